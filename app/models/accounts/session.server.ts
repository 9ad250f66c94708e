import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { and, eq, gt, ne } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { sessions, users } from "#db/schema";

// Sessions as in the Lucia guide (lucia-auth.com/sessions/basic): the cookie
// holds a random token, the database only its SHA-256.
export const SESSION_IDLE_MS = 7 * 24 * 3600_000;
export const SESSION_ABSOLUTE_MS = 30 * 24 * 3600_000;
/** Extend the idle expiry at most once a day, so reads do not write on every request. */
const EXTEND_AFTER_MS = 24 * 3600_000;

export function generateSessionToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export function hashToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export async function createSession(db: Db, token: string, userId: string, options: { userAgent?: string | null; now?: Date } = {}) {
  const now = options.now ?? new Date();
  const [session] = await db
    .insert(sessions)
    .values({
      id: hashToken(token),
      userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + SESSION_IDLE_MS),
      absoluteExpiresAt: new Date(now.getTime() + SESSION_ABSOLUTE_MS),
      userAgent: options.userAgent?.slice(0, 300) ?? null,
    })
    .returning();
  // Every way in (password, invitation, reset, single sign-on) starts here: "last signed in".
  await db.update(users).set({ lastLoginAt: now }).where(eq(users.id, userId));
  return session!;
}

export type SessionUser = NonNullable<Awaited<ReturnType<typeof validateSessionToken>>>;

/** The session and its user, or null when unknown, expired or the user is disabled. */
export async function validateSessionToken(db: Db, token: string, now = new Date()) {
  const id = hashToken(token);
  const [row] = await db
    .select({ session: sessions, user: { id: users.id, email: users.email, name: users.name, isStaff: users.isStaff, locale: users.locale, disabledAt: users.disabledAt } })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, id));
  if (!row) return null;
  const { session, user } = row;
  if (now >= session.expiresAt || now >= session.absoluteExpiresAt || user.disabledAt) {
    await db.delete(sessions).where(eq(sessions.id, id));
    return null;
  }
  if (now.getTime() - session.lastSeenAt.getTime() >= EXTEND_AFTER_MS) {
    const expiresAt = new Date(Math.min(now.getTime() + SESSION_IDLE_MS, session.absoluteExpiresAt.getTime()));
    await db.update(sessions).set({ lastSeenAt: now, expiresAt }).where(eq(sessions.id, id));
    session.lastSeenAt = now;
    session.expiresAt = expiresAt;
  }
  return { session, user };
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Revocation: ends every session of a user, or every other one when `keep` is given. */
export async function invalidateUserSessions(db: Db, userId: string, keep?: string): Promise<void> {
  await db.delete(sessions).where(keep ? and(eq(sessions.userId, userId), ne(sessions.id, keep)) : eq(sessions.userId, userId));
}

export async function setActiveTenant(db: Db, sessionId: string, tenantId: string): Promise<void> {
  await db.update(sessions).set({ activeTenantId: tenantId }).where(eq(sessions.id, sessionId));
}

export async function listUserSessions(db: Db, userId: string, now = new Date()) {
  return db
    .select({ id: sessions.id, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt, userAgent: sessions.userAgent })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, now)));
}

/** Ends one of the user's own sessions; false when it is not theirs (or already gone). */
export async function endOwnSession(db: Db, userId: string, sessionId: string): Promise<boolean> {
  const ended = await db
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), eq(sessions.id, sessionId)))
    .returning({ id: sessions.id });
  return ended.length > 0;
}
