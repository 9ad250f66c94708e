import { sql } from "drizzle-orm";
import { check, index, integer, numeric, pgTable, primaryKey, smallint, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./account";
import { channelEnum } from "./enums";
import { participants } from "./participant";
import { classes } from "./study";
import { tenantPolicies } from "./tenancy";

/**
 * A company's targets for one study year (issue 18): the total score (`kind` total, subject ''),
 * an area (subject = the area's code, stable across years) or a channel (subject = the channel).
 * By year, not study, so a manager can set next year's targets before that study exists.
 */
export const targets = pgTable(
  "targets",
  {
    tenantId: uuid()
      .notNull()
      .references(() => participants.id, { onDelete: "cascade" }),
    year: smallint().notNull(),
    kind: text({ enum: ["total", "area", "channel"] }).notNull(),
    subject: text().notNull(),
    target: numeric({ precision: 5, scale: 2, mode: "number" }).notNull(),
    updatedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.year, t.kind, t.subject] }),
    check("targets_kind", sql`${t.kind} in ('total', 'area', 'channel')`),
    check(
      "targets_subject",
      sql`(${t.kind} = 'total' and ${t.subject} = '') or (${t.kind} = 'channel' and ${t.subject} in ('phone', 'email', 'chat', 'messenger')) or (${t.kind} = 'area' and char_length(${t.subject}) between 1 and 20)`,
    ),
    check("targets_range", sql`${t.target} between 0 and 100`),
    check("targets_year", sql`${t.year} between 1900 and 2999`),
    ...tenantPolicies(t.tenantId, "targets"),
  ],
).enableRLS();

/**
 * A company's response-time goal per channel (issue 18), in seconds whatever unit the page
 * shows: an inquiry is within the goal when it was answered with a recorded wait time of at most
 * this; unanswered ones and answered ones without a wait time are not. One goal for every year.
 */
export const responseGoals = pgTable(
  "response_goals",
  {
    tenantId: uuid()
      .notNull()
      .references(() => participants.id, { onDelete: "cascade" }),
    channel: channelEnum().notNull(),
    goalSeconds: integer().notNull(),
    updatedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.channel] }),
    check("response_goals_range", sql`${t.goalSeconds} between 1 and 2592000`),
    ...tenantPolicies(t.tenantId, "response_goals"),
  ],
).enableRLS();

/**
 * Frozen at publish (issue 18): how many of a class's inquiries on a channel had each wait
 * time (null: unanswered or no wait recorded), so the class's share within any company's goal
 * is a sum over this histogram. Rows only where at least MIN_CONTRIBUTORS companies of the class
 * had inquiries on the channel (benchmark_class_channel.participants says how many).
 */
export const benchmarkClassWait = pgTable(
  "benchmark_class_wait",
  {
    classId: integer()
      .notNull()
      .references(() => classes.id, { onDelete: "cascade" }),
    channel: channelEnum().notNull(),
    waitSeconds: integer(),
    inquiries: integer().notNull(),
  },
  (t) => [index().on(t.classId, t.channel)],
);
