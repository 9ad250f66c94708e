// Rate limits shared by every app process: fixed-window counters in PostgreSQL (table
// rate_limits), so they hold across processes and restarts. The sign-in forms are limited
// per client address here, and per account where each form says (login_throttle for
// passwords, a counter per e-mail for reset mails).

import type { AppLoadContext, HeadersFunction } from "@remix-run/node";
import { sql } from "drizzle-orm";
import { resultRows, type Executor } from "#db/client.server";
import type { Locale } from "~/domain/format";
import { env } from "~/env.server";
import { translate } from "~/i18n/i18n";

export interface Hit {
  /** Hits in the current window, this one included. */
  hits: number;
  /** Seconds until the window ends (at least 1). */
  retryAfterSeconds: number;
}

/** Counts one hit on (bucket, key) in a window of `windowSeconds`: one statement, atomic across processes. */
export async function countHit(db: Executor, bucket: string, key: string, windowSeconds: number, now = new Date()): Promise<Hit> {
  const at = now.toISOString();
  const ends = new Date(now.getTime() + windowSeconds * 1000).toISOString();
  const [row] = resultRows<{ hits: number; retry_after: number }>(
    await db.execute(sql`
      insert into rate_limits (bucket, key, hits, window_ends_at) values (${bucket}, ${key}, 1, ${ends}::timestamptz)
      on conflict (bucket, key) do update set
        hits = case when rate_limits.window_ends_at <= ${at}::timestamptz then 1 else rate_limits.hits + 1 end,
        window_ends_at = case when rate_limits.window_ends_at <= ${at}::timestamptz then excluded.window_ends_at else rate_limits.window_ends_at end
      returning hits, greatest(1, ceil(extract(epoch from window_ends_at - ${at}::timestamptz)))::int as retry_after`),
  );
  return { hits: Number(row!.hits), retryAfterSeconds: Number(row!.retry_after) };
}

/** The forms anyone can post to without a session. */
export type PublicForm = "login" | "forgot-password" | "invitation" | "reset-password";

/**
 * Posts per client address per minute to each public form (20). FORM_RATE_LIMIT_PER_MINUTE raises
 * it (many people behind one address; the test suite, which signs in from 127.0.0.1).
 */
export const formLimitPerMinute = (): number => env().formRateLimitPerMinute;

/** The client address app/server/app.ts put into the load context (express's req.ip under TRUST_PROXY). */
export function clientAddress(context: AppLoadContext): string {
  const address = context.clientAddress;
  if (typeof address !== "string" || address === "") throw new Error("No client address in the load context: serve the app through app/server/app.ts.");
  return address;
}

/** Counts this post to `form` from the client's address: 0 when allowed, else seconds to wait. */
export async function formAttemptWait(db: Executor, form: PublicForm, context: AppLoadContext, now = new Date()): Promise<number> {
  const { hits, retryAfterSeconds } = await countHit(db, `form:${form}`, clientAddress(context), 60, now);
  return hits > formLimitPerMinute() ? retryAfterSeconds : 0;
}

/** The message and the 429 status with Retry-After for a form page refused by the address limit. */
export function tooManyAttempts(locale: Locale, seconds: number) {
  return { message: translate(locale, "limit.tooManyAttempts", { count: seconds }), init: { status: 429, headers: { "Retry-After": String(seconds) } } };
}

/** A form route's `headers`: Retry-After on a refused post must reach the browser, not only the data. */
export const retryAfterHeaders: HeadersFunction = ({ actionHeaders, loaderHeaders }) => (actionHeaders.has("Retry-After") ? actionHeaders : loaderHeaders);
