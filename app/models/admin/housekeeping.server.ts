// Bookkeeping rows that have done their job and would otherwise pile up: sessions past their
// expiry, used or expired password-reset links, login-throttle counters whose window has
// passed, rate-limit counters whose window has ended, uploaded import files after 30 days, and
// coaching-log sessions COACHING_LOG_KEEP_YEARS after their date. The server runs this every hour;
// each part is one statement, so a run cut short leaves nothing half-done.

import { and, lt, or, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import * as s from "#db/schema";
import { COACHING_LOG_KEEP_YEARS } from "~/domain/coaching-log";

/**
 * Uploaded files go after this. An upload row is the staging area between a file's preview
 * and its import (and the page showing the outcome); what was loaded stays in the import
 * history (import_batches: file name, SHA-256, counts, the rows a correction replaced).
 */
export const UPLOAD_KEEP_DAYS = 30;
/** A used or expired reset link is kept a day, so a second click still says "already used". */
const RESET_KEEP_MS = 24 * 3600_000;
/** A throttle counter this old restarts at 1 anyway (15-minute window); removing it changes nothing. */
const THROTTLE_KEEP_MS = 24 * 3600_000;

export interface PurgeCounts {
  sessions: number;
  passwordResets: number;
  loginThrottle: number;
  rateLimits: number;
  /** staff uploads past UPLOAD_KEEP_DAYS: import files and contacts files (which hold e-mail addresses) */
  importUploads: number;
  coachingLog: number;
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
  // A counter whose window has ended restarts at 1 on its next hit, so removing it changes nothing.
  const rateLimits = await db.delete(s.rateLimits).where(lt(s.rateLimits.windowEndsAt, now)).returning({ key: s.rateLimits.key });
  const importUploads = await db
    .delete(s.importUploads)
    .where(lt(s.importUploads.createdAt, new Date(now.getTime() - UPLOAD_KEEP_DAYS * 24 * 3600_000)))
    .returning({ id: s.importUploads.id });
  // A coaching session names a person (docs/privacy.md): it goes when its date is this old, with its links.
  const coachingLog = await db
    .delete(s.coachingLogEntries)
    .where(sql`${s.coachingLogEntries.sessionDate} < (${now.toISOString()}::timestamptz at time zone 'Europe/Oslo')::date - make_interval(years => ${COACHING_LOG_KEEP_YEARS})`)
    .returning({ id: s.coachingLogEntries.id });
  const contactUploads = await db
    .delete(s.contactUploads)
    .where(lt(s.contactUploads.createdAt, new Date(now.getTime() - UPLOAD_KEEP_DAYS * 24 * 3600_000)))
    .returning({ id: s.contactUploads.id });
  return {
    sessions: sessions.length,
    passwordResets: passwordResets.length,
    loginThrottle: loginThrottle.length,
    rateLimits: rateLimits.length,
    importUploads: importUploads.length + contactUploads.length,
    coachingLog: coachingLog.length,
  };
}

/** The health route's probe: the database answers a trivial query (throws if it does not). */
export async function pingDatabase(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}
