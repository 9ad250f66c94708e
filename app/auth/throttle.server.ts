import { eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { loginThrottle } from "#db/schema";

// Per account (e-mail, known or not): 5 failures within 15 minutes block the
// account's logins for 1 minute, doubling with every further failure, up to an
// hour. Password reset never consults this, so the owner is not locked out.
export const THROTTLE_FREE_FAILURES = 5;
const WINDOW = "15 minutes";

const normalise = (email: string) => email.trim().toLowerCase();

export async function loginBlockedFor(db: Db, email: string, now = new Date()): Promise<number> {
  const [row] = await db.select().from(loginThrottle).where(eq(loginThrottle.email, normalise(email)));
  if (!row?.blockedUntil || row.blockedUntil <= now) return 0;
  return Math.ceil((row.blockedUntil.getTime() - now.getTime()) / 1000);
}

export async function recordLoginFailure(db: Db, email: string, now = new Date()): Promise<void> {
  const at = now.toISOString();
  // One statement, so concurrent failures cannot lose a count.
  await db.execute(sql`
    insert into login_throttle (email, failures, window_started_at, blocked_until)
    values (${normalise(email)}, 1, ${at}, null)
    on conflict (email) do update set
      failures = case when login_throttle.window_started_at < ${at}::timestamptz - interval '${sql.raw(WINDOW)}'
                       and (login_throttle.blocked_until is null or login_throttle.blocked_until < ${at}::timestamptz)
                      then 1 else login_throttle.failures + 1 end,
      window_started_at = case when login_throttle.window_started_at < ${at}::timestamptz - interval '${sql.raw(WINDOW)}'
                       and (login_throttle.blocked_until is null or login_throttle.blocked_until < ${at}::timestamptz)
                      then ${at}::timestamptz else login_throttle.window_started_at end`);
  await db.execute(sql`
    update login_throttle set blocked_until = ${at}::timestamptz
      + least(interval '1 hour', interval '1 minute' * power(2, failures - ${THROTTLE_FREE_FAILURES}))
    where email = ${normalise(email)} and failures >= ${THROTTLE_FREE_FAILURES}`);
}

export async function recordLoginSuccess(db: Db, email: string): Promise<void> {
  await db.delete(loginThrottle).where(eq(loginThrottle.email, normalise(email)));
}
