// Honest comparisons across years (issue 18, point 6): where the questionnaire's area weights
// changed between two years the company took part in, the earlier year's total recomputed with
// the later year's weights (app/domain/reweigh.ts, THE scoring implementation, from the stored
// points of the company's own inquiries) beside the published one.

import { and, asc, eq, inArray } from "drizzle-orm";
import type { TenantScope } from "#db/client.server";
import * as s from "#db/schema";
import { sameAreas, totalWithWeights, weightsDiffer } from "~/domain/reweigh";
import type { InquiryToScore } from "~/domain/scoring";
import type { Channel, Questionnaire } from "~/domain/types";
import { VISIBLE_STATUSES } from "./insights.server";

export interface WeightChange {
  fromYear: number;
  toYear: number;
  /** every area of either year, in the later year's order; null where the year has no such area */
  areas: { code: string; name: string; from: number | null; to: number | null }[];
  /** the company's total in the earlier year, as published (stored) */
  published: number;
  /** the same inquiries with the later year's weights; null when the areas themselves changed */
  recomputed: number | null;
}

type Year = { studyId: number; year: number; totalScore: number | null };

async function questionnaireOf({ tx }: TenantScope, studyId: number): Promise<Questionnaire & { names: Record<string, string> }> {
  const [areas, questions] = await Promise.all([
    tx.select({ id: s.areas.id, code: s.areas.code, name: s.areas.name, weight: s.areas.weight }).from(s.areas).where(eq(s.areas.studyId, studyId)).orderBy(asc(s.areas.position)),
    tx
      .select({ code: s.questions.code, areaId: s.questions.areaId, text: s.questions.text, kind: s.questions.kind, maxPoints: s.questions.maxPoints, channels: s.questions.channels })
      .from(s.questions)
      .where(eq(s.questions.studyId, studyId))
      .orderBy(asc(s.questions.position)),
  ]);
  const areaCode = new Map(areas.map((a) => [a.id, a.code]));
  return {
    areas: areas.map((a) => ({ code: a.code, name: a.name, weight: a.weight })),
    questions: questions.map((q) => ({ code: q.code, areaCode: areaCode.get(q.areaId)!, text: q.text, kind: q.kind, maxPoints: q.maxPoints, channels: q.channels as Channel[] | null })),
    names: Object.fromEntries(areas.map((a) => [a.code, a.name])),
  };
}

/** The company's inquiries of a study with their stored points, as scoreInquiry takes them. */
async function inquiriesToScore({ tx, tenantId }: TenantScope, studyId: number): Promise<InquiryToScore[]> {
  const [inquiries, answers] = await Promise.all([
    tx
      .select({ id: s.inquiries.id, channel: s.inquiries.channel, answered: s.inquiries.answered })
      .from(s.inquiries)
      .where(and(eq(s.inquiries.tenantId, tenantId), eq(s.inquiries.studyId, studyId))),
    tx
      .select({ inquiryId: s.answers.inquiryId, code: s.questions.code, value: s.answers.value })
      .from(s.answers)
      .innerJoin(s.inquiries, and(eq(s.inquiries.tenantId, s.answers.tenantId), eq(s.inquiries.id, s.answers.inquiryId)))
      .innerJoin(s.questions, eq(s.questions.id, s.answers.questionId))
      .where(and(eq(s.answers.tenantId, tenantId), eq(s.inquiries.studyId, studyId))),
  ]);
  const byInquiry = new Map(inquiries.map((i) => [i.id, { channel: i.channel, answered: i.answered, answers: {} as Record<string, number> }]));
  for (const a of answers) byInquiry.get(a.inquiryId)!.answers[a.code] = a.value;
  return [...byInquiry.values()];
}

/**
 * Each pair of consecutive years the company took part in whose area weights differ, oldest first.
 * One read of every year's areas and weights (sent with the trends page's own reads); only where
 * weights changed, a second: the earlier year's questionnaire and stored points, all pairs at once.
 */
export async function getWeightChanges(scope: TenantScope): Promise<WeightChange[]> {
  const rows = await scope.tx
    .select({ studyId: s.studies.id, year: s.studies.year, totalScore: s.participations.totalScore, code: s.areas.code, name: s.areas.name, weight: s.areas.weight })
    .from(s.participations)
    .innerJoin(s.studies, eq(s.studies.id, s.participations.studyId))
    .innerJoin(s.areas, eq(s.areas.studyId, s.studies.id))
    .where(and(eq(s.participations.tenantId, scope.tenantId), inArray(s.studies.status, VISIBLE_STATUSES)))
    .orderBy(asc(s.studies.year), asc(s.areas.position));
  const years: (Year & { weights: Record<string, number>; names: Record<string, string> })[] = [];
  for (const r of rows) {
    let y = years.at(-1);
    if (y?.studyId !== r.studyId) years.push((y = { studyId: r.studyId, year: r.year, totalScore: r.totalScore, weights: {}, names: {} }));
    y.weights[r.code] = r.weight;
    y.names[r.code] = r.name;
  }
  const pairs = years.slice(1).map((to, i) => ({ from: years[i]!, to })).filter(({ from, to }) => weightsDiffer(from.weights, to.weights));
  return Promise.all(
    pairs.map(async ({ from, to }) => {
      const codes = [...Object.keys(to.weights), ...Object.keys(from.weights).filter((code) => !(code in to.weights))];
      const recompute = sameAreas(from.weights, to.weights);
      const [earlier, inquiries] = recompute ? await Promise.all([questionnaireOf(scope, from.studyId), inquiriesToScore(scope, from.studyId)]) : [null, null];
      return {
        fromYear: from.year,
        toYear: to.year,
        areas: codes.map((code) => ({ code, name: to.names[code] ?? from.names[code]!, from: from.weights[code] ?? null, to: to.weights[code] ?? null })),
        published: from.totalScore ?? 0,
        recomputed: earlier && inquiries ? totalWithWeights(earlier, to.weights, inquiries) : null,
      };
    }),
  );
}
