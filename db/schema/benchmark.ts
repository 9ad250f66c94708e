import { integer, numeric, pgTable, primaryKey, text, uuid, boolean } from "drizzle-orm/pg-core";
import { channelEnum } from "./enums";
import { areas, classes, questions, studies } from "./study";

// Frozen at publish: aggregates only, never a competitor's inquiry rows.
const bands = {
  bandPerfect: integer().notNull(),
  bandHigh: integer().notNull(),
  bandMid: integer().notNull(),
  bandLow: integer().notNull(),
};
const score = () => numeric({ precision: 12, scale: 6, mode: "number" });

export const benchmarkStudy = pgTable("benchmark_study", {
  studyId: integer()
    .primaryKey()
    .references(() => studies.id, { onDelete: "cascade" }),
  participants: integer().notNull(),
  inquiries: integer().notNull(),
  answered: integer().notNull(),
  mean: score().notNull(),
  ...bands,
});

export const benchmarkChannel = pgTable(
  "benchmark_channel",
  {
    studyId: integer()
      .notNull()
      .references(() => studies.id, { onDelete: "cascade" }),
    channel: channelEnum().notNull(),
    inquiries: integer().notNull(),
    mean: score().notNull(),
    ...bands,
  },
  (t) => [primaryKey({ columns: [t.studyId, t.channel] })],
);

export const benchmarkClass = pgTable("benchmark_class", {
  classId: integer()
    .primaryKey()
    .references(() => classes.id, { onDelete: "cascade" }),
  studyId: integer()
    .notNull()
    .references(() => studies.id, { onDelete: "cascade" }),
  participants: integer().notNull(),
  inquiries: integer().notNull(),
  /** Anonymity: fewer than 3 participants and no aggregate is shown. */
  shown: boolean().notNull(),
  mean: score(),
  best: score(),
  /** Mean of the participants' own standard deviations: the class's typical spread. */
  typicalStdDev: score(),
  ...bands,
});

export const benchmarkClassChannel = pgTable(
  "benchmark_class_channel",
  {
    classId: integer()
      .notNull()
      .references(() => classes.id, { onDelete: "cascade" }),
    channel: channelEnum().notNull(),
    inquiries: integer().notNull(),
    mean: score().notNull(),
    best: score().notNull(),
  },
  (t) => [primaryKey({ columns: [t.classId, t.channel] })],
);

export const benchmarkClassArea = pgTable(
  "benchmark_class_area",
  {
    classId: integer()
      .notNull()
      .references(() => classes.id, { onDelete: "cascade" }),
    areaId: integer()
      .notNull()
      .references(() => areas.id, { onDelete: "cascade" }),
    mean: score().notNull(),
    best: score().notNull(),
  },
  (t) => [primaryKey({ columns: [t.classId, t.areaId] })],
);

export const benchmarkClassQuestion = pgTable(
  "benchmark_class_question",
  {
    classId: integer()
      .notNull()
      .references(() => classes.id, { onDelete: "cascade" }),
    questionId: integer()
      .notNull()
      .references(() => questions.id, { onDelete: "cascade" }),
    mean: score().notNull(),
    best: score().notNull(),
  },
  (t) => [primaryKey({ columns: [t.classId, t.questionId] })],
);

/** The public results list, as published: names with total scores. */
export const benchmarkRanking = pgTable(
  "benchmark_ranking",
  {
    studyId: integer()
      .notNull()
      .references(() => studies.id, { onDelete: "cascade" }),
    classId: integer()
      .notNull()
      .references(() => classes.id, { onDelete: "cascade" }),
    participantId: uuid().notNull(),
    participantName: text().notNull(),
    totalScore: score().notNull(),
    rank: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.studyId, t.participantId] })],
);
