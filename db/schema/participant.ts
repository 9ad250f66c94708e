import { sql } from "drizzle-orm";
import { boolean, check, index, integer, numeric, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { classes, studies } from "./study";
import { pgPolicy } from "drizzle-orm/pg-core";
import { currentTenant, tenantPolicies, tenantRole } from "./tenancy";

/**
 * A company across years; its id is the tenant id. The runtime role sees only
 * its own row: competitor names reach tenants through benchmark_ranking alone.
 */
export const participants = pgTable(
  "participants",
  {
    id: uuid().primaryKey().defaultRandom(),
    code: text().notNull().unique(),
    name: text().notNull(),
    orgNumber: text(),
    /** Privacy: a company may hide its agents' first names from its own pages. */
    hideAgentNames: boolean().notNull().default(false),
    /** Whether viewers may download the company reports (managers and team leads always may). */
    viewersDownloadReports: boolean().notNull().default(true),
    /** Fair use: this company's own cap on open coaching bookings; null takes coaching_settings' default. */
    openBookingsCap: integer(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("participants_open_bookings_cap", sql`${t.openBookingsCap} between 0 and 1000`),
    pgPolicy("participants_tenant_isolation", {
      for: "all",
      to: tenantRole,
      using: sql`${t.id} = ${currentTenant}`,
      withCheck: sql`${t.id} = ${currentTenant}`,
    }),
    pgPolicy("participants_owner_access", { for: "all", to: "current_user", using: sql`true`, withCheck: sql`true` }),
  ],
).enableRLS();

/** A company in one study, in one class. Stored figures are written at import. */
export const participations = pgTable(
  "participations",
  {
    tenantId: uuid()
      .notNull()
      .references(() => participants.id, { onDelete: "cascade" }),
    studyId: integer()
      .notNull()
      .references(() => studies.id, { onDelete: "cascade" }),
    classId: integer()
      .notNull()
      .references(() => classes.id),
    /** Name as shown in that year's results list. */
    displayName: text().notNull(),
    inquiryCount: integer().notNull().default(0),
    answeredCount: integer().notNull().default(0),
    /** Mean of the stored inquiry scores, unanswered as 0 (full precision). */
    totalScore: numeric({ precision: 12, scale: 6, mode: "number" }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.studyId] }),
    index().on(t.studyId, t.classId),
    ...tenantPolicies(t.tenantId, "participations"),
  ],
).enableRLS();
