import { sql } from "drizzle-orm";
import { check, index, integer, numeric, pgTable, smallint, text, timestamp, unique } from "drizzle-orm/pg-core";
import { channelEnum, genderEnum, questionKindEnum, studyStatusEnum } from "./enums";

// Operator-level tables: no tenant, readable by every tenant request.

export const studies = pgTable("studies", {
  id: integer().primaryKey().generatedAlwaysAsIdentity(),
  year: integer().notNull().unique(),
  name: text().notNull(),
  status: studyStatusEnum().notNull().default("draft"),
  publishedAt: timestamp({ withTimezone: true }),
  /** When the review window (spec/season.md) was first opened. */
  reviewOpenedAt: timestamp({ withTimezone: true }),
  /** The review deadline: no query can be raised after it. */
  reviewUntil: timestamp({ withTimezone: true }),
  /** A scheduled publication (the embargo); cleared when it happens or is cancelled. */
  publishAt: timestamp({ withTimezone: true }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const classes = pgTable(
  "classes",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    studyId: integer().notNull().references(() => studies.id, { onDelete: "cascade" }),
    code: text().notNull(),
    name: text().notNull(),
  },
  (t) => [unique().on(t.studyId, t.code)],
);

export const areas = pgTable(
  "areas",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    studyId: integer().notNull().references(() => studies.id, { onDelete: "cascade" }),
    code: text().notNull(),
    name: text().notNull(),
    /** Per study: 2021 weighs Kundebehandleren more than 2020 did. */
    weight: numeric({ precision: 9, scale: 4, mode: "number" }).notNull(),
    position: smallint().notNull(),
  },
  (t) => [unique().on(t.studyId, t.code), check("areas_weight_nonnegative", sql`${t.weight} >= 0`)],
);

export const questions = pgTable(
  "questions",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    studyId: integer().notNull().references(() => studies.id, { onDelete: "cascade" }),
    areaId: integer().notNull().references(() => areas.id, { onDelete: "cascade" }),
    code: text().notNull(),
    text: text().notNull(),
    kind: questionKindEnum().notNull().default("points"),
    maxPoints: smallint(),
    /** NULL = every channel. */
    channels: channelEnum().array(),
    position: smallint().notNull(),
  },
  (t) => [
    unique().on(t.studyId, t.code),
    index().on(t.areaId),
    check(
      "questions_max_points",
      sql`(${t.kind} = 'points' and ${t.maxPoints} between 1 and 10) or (${t.kind} <> 'points' and ${t.maxPoints} is null)`,
    ),
  ],
);

/** Shoppers are pseudonymous and described per study (their age grows). */
export const shoppers = pgTable(
  "shoppers",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    studyId: integer().notNull().references(() => studies.id, { onDelete: "cascade" }),
    code: text().notNull(),
    gender: genderEnum().notNull(),
    age: smallint().notNull(),
    region: text().notNull(),
  },
  (t) => [unique().on(t.studyId, t.code), check("shoppers_age", sql`${t.age} between 18 and 99`)],
);
