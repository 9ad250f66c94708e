import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "#db/client.server";
import * as s from "#db/schema";
import {
  createSession,
  generateSessionToken,
  hashToken,
  invalidateUserSessions,
  SESSION_ABSOLUTE_MS,
  SESSION_IDLE_MS,
  validateSessionToken,
} from "~/models/accounts/session.server";
import { loginBlockedFor, recordLoginFailure, recordLoginSuccess } from "~/auth/throttle.server";
import { createTestDatabase } from "../support/db";
import { createUser } from "../support/factories";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

const DAY = 24 * 3600_000;

describe("sessions (Lucia guide)", () => {
  it("tokens are 32 base32 characters of randomness and stored only as SHA-256", async () => {
    const user = await createUser(database.db);
    const token = generateSessionToken();
    expect(token).toMatch(/^[a-z2-7]{32}$/);
    expect(generateSessionToken()).not.toBe(token);
    const session = await createSession(database.db, token, user.id);
    expect(session.id).toBe(hashToken(token));
    expect(session.id).not.toContain(token);
  });

  it("slides the idle expiry on use, but never past the absolute maximum", async () => {
    const user = await createUser(database.db);
    const token = generateSessionToken();
    const start = new Date("2026-01-01T08:00:00Z");
    await createSession(database.db, token, user.id, { now: start });
    // Used every 6 days: each use extends the idle expiry, so it survives past 7 days...
    let now = start;
    for (let day = 6; day <= 24; day += 6) {
      now = new Date(start.getTime() + day * DAY);
      const found = await validateSessionToken(database.db, token, now);
      expect(found, `day ${day}`).not.toBeNull();
      expect(found!.session.expiresAt.getTime()).toBe(Math.min(now.getTime() + SESSION_IDLE_MS, start.getTime() + SESSION_ABSOLUTE_MS));
    }
    // ...but not past 30 days after login.
    expect(await validateSessionToken(database.db, token, new Date(start.getTime() + SESSION_ABSOLUTE_MS + 1000))).toBeNull();
    expect(await database.db.select().from(s.sessions).where(eq(s.sessions.id, hashToken(token)))).toHaveLength(0);
  });

  it("expires after 7 idle days", async () => {
    const user = await createUser(database.db);
    const token = generateSessionToken();
    const start = new Date("2026-02-01T08:00:00Z");
    await createSession(database.db, token, user.id, { now: start });
    expect(await validateSessionToken(database.db, token, new Date(start.getTime() + 7 * DAY + 1000))).toBeNull();
  });

  it("revocation ends every session of a user, or every other one", async () => {
    const user = await createUser(database.db);
    const other = await createUser(database.db);
    const [t1, t2, t3] = [generateSessionToken(), generateSessionToken(), generateSessionToken()];
    await createSession(database.db, t1, user.id);
    await createSession(database.db, t2, user.id);
    await createSession(database.db, t3, other.id);
    await invalidateUserSessions(database.db, user.id, hashToken(t1));
    expect(await validateSessionToken(database.db, t1)).not.toBeNull();
    expect(await validateSessionToken(database.db, t2)).toBeNull();
    await invalidateUserSessions(database.db, user.id);
    expect(await validateSessionToken(database.db, t1)).toBeNull();
    expect(await validateSessionToken(database.db, t3)).not.toBeNull();
  });

  it("a disabled user's session is refused", async () => {
    const user = await createUser(database.db);
    const token = generateSessionToken();
    await createSession(database.db, token, user.id);
    await database.db.update(s.users).set({ disabledAt: new Date() }).where(eq(s.users.id, user.id));
    expect(await validateSessionToken(database.db, token)).toBeNull();
  });
});

describe("login throttling", () => {
  it("blocks after 5 failures with a growing delay, forgets after success, and is per account", async () => {
    const email = "throttle@example.no";
    const t0 = new Date("2026-03-01T10:00:00Z");
    for (let i = 0; i < 4; i++) await recordLoginFailure(database.db, email, t0);
    expect(await loginBlockedFor(database.db, email, t0)).toBe(0);
    await recordLoginFailure(database.db, email, t0);
    expect(await loginBlockedFor(database.db, email, t0)).toBe(60);
    await recordLoginFailure(database.db, email, t0);
    expect(await loginBlockedFor(database.db, email, t0)).toBe(120);
    expect(await loginBlockedFor(database.db, "someone.else@example.no", t0)).toBe(0);
    expect(await loginBlockedFor(database.db, "THROTTLE@example.no", t0)).toBe(120);
    await recordLoginSuccess(database.db, email);
    expect(await loginBlockedFor(database.db, email, t0)).toBe(0);
  });

  it("caps the block at one hour", async () => {
    const email = "many@example.no";
    const t0 = new Date("2026-03-02T10:00:00Z");
    for (let i = 0; i < 20; i++) await recordLoginFailure(database.db, email, t0);
    expect(await loginBlockedFor(database.db, email, t0)).toBe(3600);
  });
});
