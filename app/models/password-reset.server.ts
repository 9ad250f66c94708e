// Forgotten passwords. A reset link (single use, valid one hour) is mailed through the
// outbox; the answer to the request is the same whether or not the address has an account.
// Setting a new password ends every session of the person, clears the login throttle (so a
// person locked out by someone guessing their password gets back in at once), and is logged.

import { and, count, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "#db/client.server";
import * as s from "#db/schema";
import { hashPassword } from "~/auth/password.server";
import { recordLoginSuccess } from "~/auth/throttle.server";
import { recordStaffAction } from "./audit.server";
import { enqueueEmail } from "./outbox.server";
import { generateSessionToken, hashToken, invalidateUserSessions } from "./session.server";

export const RESET_TTL_MS = 60 * 60_000;
/** Open links per person per hour; more requests are answered the same but send nothing. */
const MAX_OPEN_RESETS = 3;

export async function requestPasswordReset(db: Db, input: { email: string; baseUrl: string; now?: Date }): Promise<{ link: string | null }> {
  const now = input.now ?? new Date();
  const email = input.email.trim().toLowerCase();
  return db.transaction(async (tx) => {
    const [user] = await tx.select({ id: s.users.id, disabledAt: s.users.disabledAt }).from(s.users).where(eq(s.users.email, email));
    if (!user || user.disabledAt) return { link: null };
    const [{ open } = { open: 0 }] = await tx
      .select({ open: count() })
      .from(s.passwordResets)
      .where(and(eq(s.passwordResets.userId, user.id), isNull(s.passwordResets.usedAt), gt(s.passwordResets.expiresAt, now)));
    if (open >= MAX_OPEN_RESETS) return { link: null };
    const token = generateSessionToken();
    await tx.insert(s.passwordResets).values({ userId: user.id, tokenHash: hashToken(token), expiresAt: new Date(now.getTime() + RESET_TTL_MS), createdAt: now });
    const link = `${input.baseUrl.replace(/\/$/, "")}/reset-password/${token}`;
    await enqueueEmail(tx, {
      to: email,
      subject: "Nytt passord til Innsikt / New password for Innsikt",
      text: [
        "Noen (forhåpentligvis du) har bedt om å sette nytt passord til Innsikt. Lenken virker én gang, i én time:",
        link,
        "Har du ikke bedt om dette, kan du se bort fra e-posten. Passordet ditt er uendret.",
        "",
        "Someone (hopefully you) asked to set a new password for Innsikt. The link works once, for one hour. If it was not you, ignore this e-mail.",
      ].join("\n"),
    });
    await recordStaffAction(tx, { actorUserId: user.id, action: "auth.password_reset_requested" });
    return { link };
  });
}

/** The person a reset token belongs to, while it is unused and unexpired. */
export async function findPasswordReset(db: Db, token: string, now = new Date()) {
  const [row] = await db
    .select({ id: s.passwordResets.id, userId: s.passwordResets.userId, email: s.users.email, usedAt: s.passwordResets.usedAt, expiresAt: s.passwordResets.expiresAt })
    .from(s.passwordResets)
    .innerJoin(s.users, eq(s.users.id, s.passwordResets.userId))
    .where(eq(s.passwordResets.tokenHash, hashToken(token)));
  if (!row) return null;
  return { ...row, usable: row.usedAt === null && row.expiresAt > now };
}

/** Sets the new password; null when the link is used, expired or unknown. */
export async function resetPassword(db: Db, input: { token: string; password: string; now?: Date }): Promise<{ userId: string } | null> {
  const now = input.now ?? new Date();
  const passwordHash = await hashPassword(input.password);
  const done = await db.transaction(async (tx) => {
    const [reset] = await tx
      .update(s.passwordResets)
      .set({ usedAt: now })
      .where(and(eq(s.passwordResets.tokenHash, hashToken(input.token)), isNull(s.passwordResets.usedAt), gt(s.passwordResets.expiresAt, now)))
      .returning({ userId: s.passwordResets.userId });
    if (!reset) return null;
    const [user] = await tx.update(s.users).set({ passwordHash }).where(eq(s.users.id, reset.userId)).returning({ email: s.users.email });
    // Every other open link of the person is spent too.
    await tx.update(s.passwordResets).set({ usedAt: now }).where(and(eq(s.passwordResets.userId, reset.userId), isNull(s.passwordResets.usedAt)));
    await recordStaffAction(tx, { actorUserId: reset.userId, action: "auth.password_reset" });
    return { userId: reset.userId, email: user!.email };
  });
  if (!done) return null;
  await invalidateUserSessions(db, done.userId);
  await recordLoginSuccess(db, done.email);
  return { userId: done.userId };
}
