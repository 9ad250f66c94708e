// Variance for one company and one published study: the spread of its inquiry scores
// overall, per channel and per shopper group, against the class's typical spread, the
// distribution of scores, and the questions that vary most. Consistency is the goal,
// variation the risk. Own stored scores (RLS) and the frozen class figure only.

import { and, eq, inArray } from "drizzle-orm";
import type { TenantScope } from "#db/client.server";
import * as s from "#db/schema";
import { AGE_GROUPS, ageGroupOf } from "~/domain/age-group";
import { iqr, mean, minMax, populationStdDev } from "~/domain/statistics";
import { CHANNELS, GENDERS } from "~/domain/types";
import { classFiguresVisible, VISIBLE_STATUSES } from "./insights.server";

export interface Spread {
  key: string;
  inquiries: number;
  mean: number | null;
  stdDev: number | null;
  iqr: number | null;
  min: number | null;
  max: number | null;
}

export interface Variance {
  year: number;
  overall: Spread;
  classTypicalStdDev: number | null;
  byChannel: Spread[];
  byGender: Spread[];
  byAgeGroup: Spread[];
  byRegion: Spread[];
  /** ten bins of ten points (0–9.99 … 90–99.99) and 100 */
  distribution: { from: number; to: number; count: number }[];
  questions: { code: string; text: string; answers: number; mean: number; stdDev: number }[];
}

export function spreadOf(key: string, scores: number[]): Spread {
  const range = minMax(scores);
  return { key, inquiries: scores.length, mean: mean(scores), stdDev: populationStdDev(scores), iqr: iqr(scores), min: range?.min ?? null, max: range?.max ?? null };
}

function groups<T>(items: T[], keyOf: (item: T) => string, order: readonly string[], score: (item: T) => number): Spread[] {
  const byKey = new Map<string, number[]>();
  for (const item of items) {
    const key = keyOf(item);
    byKey.set(key, [...(byKey.get(key) ?? []), score(item)]);
  }
  const keys = [...byKey.keys()].sort((a, b) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    return ia >= 0 && ib >= 0 ? ia - ib : a.localeCompare(b, "nb");
  });
  return keys.map((key) => spreadOf(key, byKey.get(key)!));
}

export async function getVariance({ tx, tenantId }: TenantScope, year: number): Promise<Variance | null> {
  const [p] = await tx
    .select({ studyId: s.studies.id, status: s.studies.status, shown: s.benchmarkClass.shown, typical: s.benchmarkClass.typicalStdDev })
    .from(s.participations)
    .innerJoin(s.studies, eq(s.studies.id, s.participations.studyId))
    .leftJoin(s.benchmarkClass, eq(s.benchmarkClass.classId, s.participations.classId))
    .where(and(eq(s.participations.tenantId, tenantId), eq(s.studies.year, year), inArray(s.studies.status, VISIBLE_STATUSES)));
  if (!p) return null;
  // In review the spread is the company's own; the class's typical spread comes with publication.
  const classShown = classFiguresVisible(p) && p.shown === true;
  // The inquiries and their answers, sent together.
  const [inquiries, answerRows] = await Promise.all([
    tx
      .select({ id: s.inquiries.id, score: s.inquiries.totalScore, channel: s.inquiries.channel, gender: s.shoppers.gender, age: s.shoppers.age, region: s.shoppers.region })
      .from(s.inquiries)
      .innerJoin(s.shoppers, eq(s.shoppers.id, s.inquiries.shopperId))
      .where(and(eq(s.inquiries.tenantId, tenantId), eq(s.inquiries.studyId, p.studyId))),
    tx
      .select({ code: s.questions.code, text: s.questions.text, position: s.questions.position, percent: s.answers.percent })
      .from(s.answers)
      .innerJoin(s.inquiries, and(eq(s.inquiries.tenantId, s.answers.tenantId), eq(s.inquiries.id, s.answers.inquiryId)))
      .innerJoin(s.questions, eq(s.questions.id, s.answers.questionId))
      .where(and(eq(s.answers.tenantId, tenantId), eq(s.inquiries.studyId, p.studyId), eq(s.questions.kind, "points"))),
  ]);
  const scores = inquiries.map((i) => i.score);

  const distribution = Array.from({ length: 10 }, (_, b) => ({ from: b * 10, to: b * 10 + 9.99, count: 0 }));
  distribution.push({ from: 100, to: 100, count: 0 });
  for (const sc of scores) distribution[sc >= 100 ? 10 : Math.floor(sc / 10)]!.count++;

  const perQuestion = new Map<string, { text: string; values: number[] }>();
  for (const r of answerRows) {
    if (r.percent === null) continue;
    const q = perQuestion.get(r.code) ?? { text: r.text, values: [] };
    q.values.push(r.percent);
    perQuestion.set(r.code, q);
  }
  const questions = [...perQuestion]
    .filter(([, q]) => q.values.length >= 2)
    .map(([code, q]) => ({ code, text: q.text, answers: q.values.length, mean: mean(q.values)!, stdDev: populationStdDev(q.values)! }))
    .sort((a, b) => b.stdDev - a.stdDev || a.code.localeCompare(b.code));

  return {
    year,
    overall: spreadOf("all", scores),
    classTypicalStdDev: classShown ? (p.typical ?? null) : null,
    byChannel: groups(inquiries, (i) => i.channel, CHANNELS, (i) => i.score),
    byGender: groups(inquiries, (i) => i.gender, GENDERS, (i) => i.score),
    byAgeGroup: groups(inquiries, (i) => ageGroupOf(i.age), AGE_GROUPS, (i) => i.score),
    byRegion: groups(inquiries, (i) => i.region, [], (i) => i.score),
    distribution,
    questions,
  };
}
