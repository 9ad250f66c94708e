import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./account";
import { queryStateEnum } from "./enums";
import { participants } from "./participant";
import { studies } from "./study";
import { tenantPolicies } from "./tenancy";

/**
 * A company's query of a result in the review window (spec/season.md): on an inquiry, or on
 * one of its questions. The inquiry is named by its ref, which a re-import keeps (its row id
 * does not). A tenant request may insert (only the raising columns are granted) and read its
 * own; staff answer on the owner path. An accepted change is applied as a correction: a new
 * version in the import history that names the query.
 */
export const inquiryQueries = pgTable(
  "inquiry_queries",
  {
    tenantId: uuid()
      .notNull()
      .references(() => participants.id, { onDelete: "cascade" }),
    id: uuid().notNull().defaultRandom(),
    studyId: integer()
      .notNull()
      .references(() => studies.id, { onDelete: "cascade" }),
    inquiryRef: text().notNull(),
    /** null: the query is on the inquiry as a whole. */
    questionCode: text(),
    raisedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    reason: text().notNull(),
    state: queryStateEnum().notNull().default("open"),
    answer: text(),
    answeredBy: uuid().references(() => users.id, { onDelete: "set null" }),
    answeredAt: timestamp({ withTimezone: true }),
    raisedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** When staff were told of it (the hourly digest). */
    staffNotifiedAt: timestamp({ withTimezone: true }),
    /**
     * The import-history version that applied an accepted change. No foreign key: the import
     * history stays on the coordinator when tenant tables are distributed (docs/operations.md,
     * "The path to Citus"), as inquiries.import_batch_id has none either.
     */
    correctionBatchId: integer(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex("inquiry_queries_one_open").on(t.tenantId, t.studyId, t.inquiryRef, sql`coalesce(${t.questionCode}, '')`).where(sql`${t.state} = 'open'`),
    index().on(t.studyId, t.state),
    check("inquiry_queries_reason_length", sql`char_length(${t.reason}) between 1 and 2000`),
    check("inquiry_queries_answered", sql`(${t.state} = 'open') = (${t.answeredAt} is null)`),
    ...tenantPolicies(t.tenantId, "inquiry_queries"),
  ],
).enableRLS();
