// Invitations into a company's tenant: a single-use link whose token is only stored
// as its SHA-256, valid for INVITATION_TTL_MS, sent through the e-mail outbox.

import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db, Executor } from "#db/client.server";
import * as s from "#db/schema";
import { osloLongDateNb } from "~/domain/oslo-time";
import type { TenantRole } from "~/domain/types";
import { env } from "~/env.server";
import { hashPassword } from "~/auth/password.server";
import { recordStaffAction, recordTenantAction } from "~/models/admin/audit.server";
import { enqueueEmail } from "~/mail/outbox.server";
import { generateSessionToken, hashToken } from "./session.server";

export const INVITATION_TTL_MS = 7 * 24 * 3600_000;
/** An invitation nobody used gets one automatic reminder this long after it was sent (a new link: the old one has run out). */
export const REMINDER_AFTER_MS = 7 * 24 * 3600_000;

const ROLE_NAMES: Record<TenantRole, string> = { manager: "leder", teamlead: "teamleder", viewer: "leser" };

export async function createInvitation(
  db: Db,
  input: {
    tenantId: string;
    email: string;
    role: TenantRole;
    invitedBy: string | null;
    now?: Date;
    /** false when the company's own manager invites: then only the company's log has it */
    byStaff?: boolean;
    action?: "invitation.create" | "invitation.resend";
    /** a reminder of an earlier invitation: said so in the mail, and no automatic reminder of its own */
    reminder?: boolean;
    /** the person's name from a contacts file, for the greeting */
    name?: string | null;
  },
) {
  const action = input.action ?? "invitation.create";
  const now = input.now ?? new Date();
  const email = input.email.trim().toLowerCase();
  const token = generateSessionToken() + generateSessionToken();
  const link = `${env().publicUrl}/invitation/${token}`;
  return db.transaction(async (tx) => {
    const [company] = await tx.select({ name: s.participants.name }).from(s.participants).where(eq(s.participants.id, input.tenantId));
    if (!company) throw new Error("Unknown company.");
    // A new invitation to the same address replaces an open one.
    await tx
      .update(s.invitations)
      .set({ revokedAt: now })
      .where(and(eq(s.invitations.tenantId, input.tenantId), eq(s.invitations.email, email), isNull(s.invitations.acceptedAt), isNull(s.invitations.revokedAt)));
    const [invitation] = await tx
      .insert(s.invitations)
      .values({
        tenantId: input.tenantId,
        email,
        role: input.role,
        tokenHash: hashToken(token),
        invitedBy: input.invitedBy,
        createdAt: now,
        expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
        remindAt: input.reminder ? null : new Date(now.getTime() + REMINDER_AFTER_MS),
      })
      .returning();
    const expires = osloLongDateNb(invitation!.expiresAt);
    await enqueueEmail(tx, {
      to: email,
      subject: `${input.reminder ? "Påminnelse: " : ""}Invitasjon til Innsikt for ${company.name}`,
      text: [
        input.name?.trim() ? `Hei ${input.name.trim()},` : `Hei,`,
        ``,
        `Du er invitert til Innsikt, Kundeserviceprisens portal for resultater, som ${ROLE_NAMES[input.role]} for ${company.name}.`,
        ``,
        `Åpne lenken for å velge passord og logge inn (gjelder til ${expires}, og kan brukes én gang):`,
        link,
        ``,
        `Hilsen Kundeserviceprisen`,
        ``,
        `---`,
        `You have been invited to Innsikt for ${company.name}. Open the link above to choose a password (valid once, until ${invitation!.expiresAt.toISOString().slice(0, 10)}).`,
      ].join("\n"),
    });
    const logged = input.reminder ? "invitation.remind" : action;
    if (input.byStaff !== false) await recordStaffAction(tx, { actorUserId: input.invitedBy, action: logged, participantId: input.tenantId, details: { email, role: input.role } });
    await recordTenantAction(tx, input.tenantId, input.invitedBy, { action: logged, details: { email, role: input.role } });
    return { invitation: invitation!, token, link };
  });
}

export type InvitationState = "open" | "expired" | "used" | "revoked";

/** The invitation behind a link, with whether it can still be used. Owner path (no tenant yet). */
export async function findInvitation(db: Db | Executor, token: string, now = new Date()) {
  const [row] = await db
    .select({
      tenantId: s.invitations.tenantId,
      id: s.invitations.id,
      email: s.invitations.email,
      role: s.invitations.role,
      expiresAt: s.invitations.expiresAt,
      acceptedAt: s.invitations.acceptedAt,
      revokedAt: s.invitations.revokedAt,
      companyName: s.participants.name,
    })
    .from(s.invitations)
    .innerJoin(s.participants, eq(s.participants.id, s.invitations.tenantId))
    .where(eq(s.invitations.tokenHash, hashToken(token)));
  if (!row) return null;
  const state: InvitationState = row.acceptedAt ? "used" : row.revokedAt ? "revoked" : row.expiresAt <= now ? "expired" : "open";
  const [existing] = await db.select({ id: s.users.id, name: s.users.name }).from(s.users).where(eq(sql`lower(${s.users.email})`, row.email));
  return { ...row, state, existingUser: existing ?? null };
}

export class InvitationUnusableError extends Error {}

/**
 * Uses an invitation once: creates the account (or joins the existing one, which the
 * caller has authenticated) and the membership. Concurrent use of one link: one wins.
 */
export async function acceptInvitation(
  db: Db,
  input: { token: string; name?: string; password?: string; existingUserId?: string; now?: Date },
): Promise<{ userId: string; tenantId: string }> {
  const now = input.now ?? new Date();
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return db.transaction(async (tx) => {
    const [inv] = await tx
      .update(s.invitations)
      .set({ acceptedAt: now })
      .where(and(eq(s.invitations.tokenHash, hashToken(input.token)), isNull(s.invitations.acceptedAt), isNull(s.invitations.revokedAt), gt(s.invitations.expiresAt, now)))
      .returning();
    if (!inv) throw new InvitationUnusableError("The invitation is used, revoked or expired.");
    let userId = input.existingUserId;
    if (!userId) {
      if (!passwordHash || !input.name) throw new InvitationUnusableError("A name and a password are needed.");
      const [user] = await tx
        .insert(s.users)
        .values({ email: inv.email, name: input.name, passwordHash })
        .onConflictDoNothing({ target: s.users.email })
        .returning({ id: s.users.id });
      if (!user) throw new InvitationUnusableError("An account with this e-mail address already exists.");
      userId = user.id;
    }
    // A member who accepts another invitation keeps the higher of the two roles: an invitation
    // never lowers a role (that is a change on the members page, which keeps the last manager).
    // ROLES lists the roles highest first and the enum tenant_role is declared from it
    // (db/schema/enums.ts), so PostgreSQL orders the values alike: least() is the higher role.
    const [membership] = await tx
      .insert(s.memberships)
      .values({ tenantId: inv.tenantId, userId, role: inv.role })
      .onConflictDoUpdate({
        target: [s.memberships.tenantId, s.memberships.userId],
        set: { role: sql`least(${s.memberships.role}, excluded.role)` },
      })
      .returning({ role: s.memberships.role });
    const details = membership!.role === inv.role ? { email: inv.email, role: inv.role } : { email: inv.email, role: inv.role, kept: membership!.role };
    await recordTenantAction(tx, inv.tenantId, userId, { action: "invitation.accept", details });
    return { userId, tenantId: inv.tenantId };
  });
}

/** Open and recent invitations of a company, for its staff page. */
export async function listInvitations(db: Db, tenantId: string) {
  return db
    .select({ id: s.invitations.id, email: s.invitations.email, role: s.invitations.role, createdAt: s.invitations.createdAt, expiresAt: s.invitations.expiresAt, acceptedAt: s.invitations.acceptedAt, revokedAt: s.invitations.revokedAt })
    .from(s.invitations)
    .where(eq(s.invitations.tenantId, tenantId))
    .orderBy(desc(s.invitations.createdAt))
    .limit(50);
}
