import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  doublePrecision,
  foreignKey,
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { bandEnum, channelEnum } from "./enums";
import { participations } from "./participant";
import { areas, questions, shoppers, studies } from "./study";
import { tenantPolicies } from "./tenancy";

export const inquiries = pgTable(
  "inquiries",
  {
    tenantId: uuid().notNull(),
    id: uuid().notNull().defaultRandom(),
    studyId: integer()
      .notNull()
      .references(() => studies.id, { onDelete: "cascade" }),
    ref: text().notNull(),
    channel: channelEnum().notNull(),
    shopperId: integer()
      .notNull()
      .references(() => shoppers.id),
    scenario: text().notNull(),
    contactedAt: timestamp({ withTimezone: true }).notNull(),
    attempts: smallint().notNull(),
    answered: boolean().notNull(),
    waitSeconds: integer(),
    agentName: text(),
    comment: text(),
    transcript: text(),
    /** Computed once at import by app/domain/scoring.ts, rounded to 2 decimals. */
    totalScore: numeric({ precision: 5, scale: 2, mode: "number" }).notNull(),
    band: bandEnum().notNull(),
    importBatchId: integer(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique().on(t.tenantId, t.studyId, t.ref),
    foreignKey({
      name: "inquiries_participation_fk",
      columns: [t.tenantId, t.studyId],
      foreignColumns: [participations.tenantId, participations.studyId],
    }).onDelete("cascade"),
    index().on(t.tenantId, t.studyId, t.contactedAt),
    check("inquiries_attempts", sql`${t.attempts} in (1, 2) and (${t.channel} <> 'email' or ${t.attempts} = 1)`),
    check("inquiries_score_range", sql`${t.totalScore} between 0 and 100`),
    check("inquiries_unanswered_zero", sql`${t.answered} or (${t.totalScore} = 0 and ${t.waitSeconds} is null)`),
    ...tenantPolicies(t.tenantId, "inquiries"),
  ],
).enableRLS();

/** Per inquiry and area; absent where no question of the area was answered. */
export const inquiryAreaScores = pgTable(
  "inquiry_area_scores",
  {
    tenantId: uuid().notNull(),
    inquiryId: uuid().notNull(),
    areaId: integer()
      .notNull()
      .references(() => areas.id, { onDelete: "cascade" }),
    score: numeric({ precision: 5, scale: 2, mode: "number" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.inquiryId, t.areaId] }),
    foreignKey({
      name: "inquiry_area_scores_inquiry_fk",
      columns: [t.tenantId, t.inquiryId],
      foreignColumns: [inquiries.tenantId, inquiries.id],
    }).onDelete("cascade"),
    ...tenantPolicies(t.tenantId, "inquiry_area_scores"),
  ],
).enableRLS();

/** One row per question that had a value; a not-applicable question has none. */
export const answers = pgTable(
  "answers",
  {
    tenantId: uuid().notNull(),
    inquiryId: uuid().notNull(),
    questionId: integer()
      .notNull()
      .references(() => questions.id, { onDelete: "cascade" }),
    value: smallint().notNull(),
    /** value / max_points × 100 for scored questions; NULL for unscored kinds. */
    percent: doublePrecision(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.inquiryId, t.questionId] }),
    foreignKey({
      name: "answers_inquiry_fk",
      columns: [t.tenantId, t.inquiryId],
      foreignColumns: [inquiries.tenantId, inquiries.id],
    }).onDelete("cascade"),
    check("answers_value_range", sql`${t.value} between 0 and 10`),
    ...tenantPolicies(t.tenantId, "answers"),
  ],
).enableRLS();
