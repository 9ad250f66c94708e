// Bookkeeping rows that have done their job and would otherwise pile up: sessions past their
// expiry, used or expired password-reset links, login-throttle counters whose window has
// passed, and uploaded import files that were never loaded. The server runs this every hour;
// each part is one statement, so a run cut short leaves nothing half-done.

import { and, inArray, lt, or, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import * as s from "#db/schema";

/** Uploads that loaded nothing (refused, cancelled, failed, or previewed and left) go after this. */
export const UNUSED_UPLOAD_DAYS = 30;
/** A used or expired reset link is kept a day, so a second click still says "already used". */
const RESET_KEEP_MS = 24 * 3600_000;
/** A throttle counter this old restarts at 1 anyway (15-minute window); removing it changes nothing. */
const THROTTLE_KEEP_MS = 24 * 3600_000;

export interface PurgeCounts {
  sessions: number;
  passwordResets: number;
  loginThrottle: number;
  importUploads: number;
}

export async function purgeExpired(db: Db, now = new Date()): Promise<PurgeCounts> {
  const sessions = await db
    .delete(s.sessions)
    .where(or(lt(s.sessions.expiresAt, now), lt(s.sessions.absoluteExpiresAt, now)))
    .returning({ id: s.sessions.id });
  const resetCutoff = new Date(now.getTime() - RESET_KEEP_MS);
  const passwordResets = await db
    .delete(s.passwordResets)
    .where(or(lt(s.passwordResets.expiresAt, resetCutoff), lt(s.passwordResets.usedAt, resetCutoff)))
    .returning({ id: s.passwordResets.id });
  const throttleCutoff = new Date(now.getTime() - THROTTLE_KEEP_MS);
  const loginThrottle = await db
    .delete(s.loginThrottle)
    .where(
      and(
        lt(s.loginThrottle.windowStartedAt, throttleCutoff),
        or(sql`${s.loginThrottle.blockedUntil} is null`, lt(s.loginThrottle.blockedUntil, now)),
      ),
    )
    .returning({ email: s.loginThrottle.email });
  // "imported" and "unchanged" uploads are the operator's record of what was loaded (kept
  // with the study, docs/privacy.md); "checking"/"importing" ones this old were cut off.
  const importUploads = await db
    .delete(s.importUploads)
    .where(
      and(
        lt(s.importUploads.createdAt, new Date(now.getTime() - UNUSED_UPLOAD_DAYS * 24 * 3600_000)),
        inArray(s.importUploads.status, ["previewed", "refused", "cancelled", "failed", "checking", "importing"]),
      ),
    )
    .returning({ id: s.importUploads.id });
  return { sessions: sessions.length, passwordResets: passwordResets.length, loginThrottle: loginThrottle.length, importUploads: importUploads.length };
}
