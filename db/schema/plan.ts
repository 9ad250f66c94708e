import { sql } from "drizzle-orm";
import { boolean, check, date, foreignKey, index, integer, numeric, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { memberships, users } from "./account";
import { bookings, coachingExports } from "./coaching";
import { participants } from "./participant";
import { studies } from "./study";
import { tenantPolicies } from "./tenancy";

/**
 * A company's action plan (issue 18): one metric (an area or question by code, a channel's score,
 * or a channel's share of inquiries within `goalSeconds`), its baseline from the newest published
 * study, a target, a due date, and — once the next study is published — that study's value and
 * met or not met. Migration 0019 (the owner key's ON DELETE SET NULL ("owner_id") is hand-written
 * there: drizzle cannot say it).
 */
export const actionPlans = pgTable(
  "action_plans",
  {
    tenantId: uuid()
      .notNull()
      .references(() => participants.id, { onDelete: "cascade" }),
    id: uuid().notNull().defaultRandom(),
    title: text().notNull(),
    ownerId: uuid(),
    /** area | question | channel | response_time */
    metricKind: text().notNull(),
    /** the area or question code, or the channel */
    metricCode: text().notNull(),
    goalSeconds: integer(),
    baselineStudyId: integer().references(() => studies.id, { onDelete: "set null" }),
    baseline: numeric({ precision: 12, scale: 6, mode: "number" }),
    target: numeric({ precision: 12, scale: 6, mode: "number" }).notNull(),
    dueDate: date({ mode: "string" }).notNull(),
    /** planned | in_progress | done */
    status: text().notNull().default("planned"),
    notes: text().notNull().default(""),
    resultStudyId: integer().references(() => studies.id, { onDelete: "set null" }),
    result: numeric({ precision: 12, scale: 6, mode: "number" }),
    met: boolean(),
    evaluatedAt: timestamp({ withTimezone: true }),
    reminderSentAt: timestamp({ withTimezone: true }),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ name: "action_plans_owner_fk", columns: [t.tenantId, t.ownerId], foreignColumns: [memberships.tenantId, memberships.userId] }),
    index().on(t.tenantId, t.dueDate),
    check("action_plans_title", sql`char_length(${t.title}) between 1 and 200`),
    check("action_plans_notes", sql`char_length(${t.notes}) <= 5000`),
    check("action_plans_status", sql`${t.status} in ('planned', 'in_progress', 'done')`),
    check(
      "action_plans_metric",
      sql`${t.metricKind} in ('area', 'question', 'channel', 'response_time')
		and (${t.metricKind} not in ('channel', 'response_time') or ${t.metricCode} in ('phone', 'email', 'chat', 'messenger'))
		and ((${t.metricKind} = 'response_time') = (${t.goalSeconds} is not null))
		and (${t.goalSeconds} is null or ${t.goalSeconds} between 1 and 2592000)`,
    ),
    check("action_plans_target", sql`${t.target} between 0 and 100`),
    check("action_plans_result", sql`(${t.resultStudyId} is null) = (${t.evaluatedAt} is null)`),
    ...tenantPolicies(t.tenantId, "action_plans"),
  ],
).enableRLS();

/** A plan's linked coaching pack or booking; the keys hold the tenant, so only the plan's own company's. */
export const actionPlanLinks = pgTable(
  "action_plan_links",
  {
    tenantId: uuid()
      .notNull()
      .references(() => participants.id, { onDelete: "cascade" }),
    id: uuid().notNull().defaultRandom(),
    planId: uuid().notNull(),
    exportId: uuid(),
    bookingId: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ name: "action_plan_links_plan_fk", columns: [t.tenantId, t.planId], foreignColumns: [actionPlans.tenantId, actionPlans.id] }).onDelete("cascade"),
    foreignKey({ name: "action_plan_links_export_fk", columns: [t.tenantId, t.exportId], foreignColumns: [coachingExports.tenantId, coachingExports.id] }).onDelete("cascade"),
    foreignKey({ name: "action_plan_links_booking_fk", columns: [t.tenantId, t.bookingId], foreignColumns: [bookings.tenantId, bookings.id] }).onDelete("cascade"),
    uniqueIndex("action_plan_links_export").on(t.tenantId, t.planId, t.exportId).where(sql`${t.exportId} is not null`),
    uniqueIndex("action_plan_links_booking").on(t.tenantId, t.planId, t.bookingId).where(sql`${t.bookingId} is not null`),
    check("action_plan_links_one", sql`(${t.exportId} is null) <> (${t.bookingId} is null)`),
    ...tenantPolicies(t.tenantId, "action_plan_links"),
  ],
).enableRLS();
