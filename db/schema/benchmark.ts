import { integer, numeric, pgTable, primaryKey, text, uuid, boolean } from "drizzle-orm/pg-core";
import { channelEnum } from "./enums";
import { areas, classes, questions, studies } from "./study";

// Frozen at publish: aggregates only, never a competitor's inquiry rows. Every figure
// carries the number of companies behind it (`participants`); below
// MIN_CONTRIBUTORS the figure itself is stored as null, so no reader can show it.
const bands = {
  bandPerfect: integer(),
  bandHigh: integer(),
  bandMid: integer(),
  bandLow: integer(),
};
const score = () => numeric({ precision: 12, scale: 6, mode: "number" });
/** How many companies contributed to the figures of a row. */
const contributors = () => integer().notNull();

export const benchmarkStudy = pgTable("benchmark_study", {
  studyId: integer()
    .primaryKey()
    .references(() => studies.id, { onDelete: "cascade" }),
  participants: contributors(),
  inquiries: integer().notNull(),
  answered: integer().notNull(),
  mean: score(),
  ...bands,
});

export const benchmarkChannel = pgTable(
  "benchmark_channel",
  {
    studyId: integer()
      .notNull()
      .references(() => studies.id, { onDelete: "cascade" }),
    channel: channelEnum().notNull(),
    participants: contributors(),
    inquiries: integer().notNull(),
    mean: score(),
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
  participants: contributors(),
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
    participants: contributors(),
    inquiries: integer().notNull(),
    mean: score(),
    best: score(),
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
    participants: contributors(),
    mean: score(),
    best: score(),
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
    participants: contributors(),
    mean: score(),
    best: score(),
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
