import { sql } from "drizzle-orm";
import { check, customType, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./account";
import { participants } from "./participant";
import { studies } from "./study";
import { tenantPolicies } from "./tenancy";

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => "bytea" });

/**
 * A company's built report of a published study (issue 19): the full report or the one-page
 * summary, in one language. queued → building → ready, or failed (with `error`). The PDF is in
 * `content` (migration 0021 says why bytea). `generation` counts (re)build requests: a build
 * stores its file only if the row's generation is still the one it claimed.
 */
export const companyReports = pgTable(
  "company_reports",
  {
    tenantId: uuid()
      .notNull()
      .references(() => participants.id, { onDelete: "cascade" }),
    studyId: integer()
      .notNull()
      .references(() => studies.id, { onDelete: "cascade" }),
    kind: text().notNull(),
    lang: text().notNull(),
    status: text().notNull().default("queued"),
    generation: integer().notNull().default(1),
    /** the job building it (a retry of the same job takes it up again) */
    jobId: uuid(),
    error: text(),
    content: bytea(),
    sizeBytes: integer(),
    builtAt: timestamp({ withTimezone: true }),
    /** when the current generation was asked for */
    queuedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** when a job was sent for it; null: none yet (the sweep sends one) */
    enqueuedAt: timestamp({ withTimezone: true }),
    requestedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    /** while building: { done, total } of the company's reports, written by the job */
    progress: jsonb(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.studyId, t.kind, t.lang] }),
    index().on(t.studyId, t.status),
    check("company_reports_kind", sql`${t.kind} in ('full', 'summary')`),
    check("company_reports_lang", sql`${t.lang} in ('nb', 'en')`),
    check("company_reports_status", sql`${t.status} in ('queued', 'building', 'ready', 'failed')`),
    ...tenantPolicies(t.tenantId, "company_reports"),
  ],
).enableRLS();
