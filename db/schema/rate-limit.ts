import { index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Fixed-window counters shared by every app process (app/auth/rate-limit.server.ts): one row
 * per bucket (what is limited) and key (who: a client address, an e-mail), reset when its
 * window has ended. Owner connection only; the runtime role has no grant on it.
 */
export const rateLimits = pgTable(
  "rate_limits",
  {
    bucket: text().notNull(),
    key: text().notNull(),
    hits: integer().notNull(),
    windowEndsAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.key] }), index().on(t.windowEndsAt)],
);
