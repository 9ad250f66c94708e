import { eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import * as s from "#db/schema";
import { recordStaffAction } from "~/models/admin/audit.server";

/** What the person's own account page shows of them. */
export async function getAccount(db: Db, userId: string) {
  const [row] = await db
    .select({ name: s.users.name, email: s.users.email, locale: s.users.locale, seasonMails: s.users.seasonMails })
    .from(s.users)
    .where(eq(s.users.id, userId));
  return row ?? null;
}

/**
 * The person turns the season e-mails (review opened, results published; spec/season.md) on or
 * off for themselves: their own user row, whatever company they are in. Logged like the other
 * account changes (a password reset), in the audit trail, in the same transaction; a save that
 * changes nothing writes nothing. Returns whether it changed.
 */
export async function setSeasonMails(db: Db, input: { userId: string; on: boolean }): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select({ on: s.users.seasonMails }).from(s.users).where(eq(s.users.id, input.userId)).for("update");
    if (!row || row.on === input.on) return false;
    await tx.update(s.users).set({ seasonMails: input.on }).where(eq(s.users.id, input.userId));
    await recordStaffAction(tx, { actorUserId: input.userId, action: "account.season_mails", details: { on: input.on } });
    return true;
  });
}
