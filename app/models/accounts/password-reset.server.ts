// Forgotten passwords. A request only records itself; the mail delivery step (the
// mail.deliver job) turns it into a reset link (single use, valid one hour) mailed through the
// outbox when the address has an account, so the answer and the work of the request are the
// same for every address. Setting a new password ends every session of the person, clears the
// login throttle (so a person locked out by someone guessing their password gets back in at
// once), and is logged.

import { and, asc, eq, gt, inArray, isNull } from "drizzle-orm";
import type { Db } from "#db/client.server";
import * as s from "#db/schema";
import { hashPassword } from "~/auth/password.server";
import { countHit } from "~/auth/rate-limit.server";
import { recordLoginSuccess } from "~/auth/throttle.server";
import { env } from "~/env.server";
import { recordStaffAction } from "~/models/admin/audit.server";
import { enqueueEmail } from "~/mail/outbox.server";
import { generateSessionToken, hashToken, invalidateUserSessions } from "./session.server";

export const RESET_TTL_MS = 60 * 60_000;
/** Reset mails per address per hour; more requests are answered the same but send nothing. */
export const MAX_RESET_REQUESTS_PER_HOUR = 3;

export async function requestPasswordReset(db: Db, input: { email: string; now?: Date }): Promise<void> {
  const now = input.now ?? new Date();
  const email = input.email.trim().toLowerCase();
  // No account lookup here: the same two statements for every address, so neither timing nor
  // database work tells whether it has an account. The delivery step decides (below).
  const { hits } = await countHit(db, "reset-mail:email", email, 3600, now);
  if (hits > MAX_RESET_REQUESTS_PER_HOUR) return;
  await db.insert(s.passwordResetRequests).values({ email, requestedAt: now });
}

/**
 * Turns pending requests into reset links and their mails (for addresses with an active
 * account; the rest are dropped), in one transaction that also removes the requests.
 * Requests locked by another process are skipped, so two servers never mail one twice.
 */
export async function mailPendingPasswordResets(db: Db, options: { now?: Date } = {}): Promise<number> {
  const now = options.now ?? new Date();
  const baseUrl = env().publicUrl;
  return db.transaction(async (tx) => {
    const due = tx.select({ id: s.passwordResetRequests.id }).from(s.passwordResetRequests).orderBy(asc(s.passwordResetRequests.id)).limit(50).for("update", { skipLocked: true });
    const pending = await tx.delete(s.passwordResetRequests).where(inArray(s.passwordResetRequests.id, due)).returning({ email: s.passwordResetRequests.email });
    let mailed = 0;
    for (const { email } of pending) {
      const [user] = await tx.select({ id: s.users.id, disabledAt: s.users.disabledAt }).from(s.users).where(eq(s.users.email, email));
      if (!user || user.disabledAt) continue;
      const token = generateSessionToken();
      await tx.insert(s.passwordResets).values({ userId: user.id, tokenHash: hashToken(token), expiresAt: new Date(now.getTime() + RESET_TTL_MS), createdAt: now });
      const link = `${baseUrl}/reset-password/${token}`;
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
      mailed++;
    }
    return mailed;
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
