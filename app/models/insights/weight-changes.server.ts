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

/** Each pair of consecutive years the company took part in whose area weights differ, oldest first. */
export async function getWeightChanges(scope: TenantScope): Promise<WeightChange[]> {
  const years: Year[] = await scope.tx
    .select({ studyId: s.studies.id, year: s.studies.year, totalScore: s.participations.totalScore })
    .from(s.participations)
    .innerJoin(s.studies, eq(s.studies.id, s.participations.studyId))
    .where(and(eq(s.participations.tenantId, scope.tenantId), inArray(s.studies.status, VISIBLE_STATUSES)))
    .orderBy(asc(s.studies.year));
  if (years.length < 2) return [];
  const questionnaires = new Map<number, Awaited<ReturnType<typeof questionnaireOf>>>();
  for (const y of years) questionnaires.set(y.studyId, await questionnaireOf(scope, y.studyId));
  const weightsOf = (studyId: number) => Object.fromEntries(questionnaires.get(studyId)!.areas.map((a) => [a.code, a.weight]));

  const changes: WeightChange[] = [];
  for (let i = 1; i < years.length; i++) {
    const from = years[i - 1]!;
    const to = years[i]!;
    const [wFrom, wTo] = [weightsOf(from.studyId), weightsOf(to.studyId)];
    if (!weightsDiffer(wFrom, wTo)) continue;
    const later = questionnaires.get(to.studyId)!;
    const earlier = questionnaires.get(from.studyId)!;
    const codes = [...later.areas.map((a) => a.code), ...earlier.areas.map((a) => a.code).filter((code) => !(code in wTo))];
    changes.push({
      fromYear: from.year,
      toYear: to.year,
      areas: codes.map((code) => ({ code, name: later.names[code] ?? earlier.names[code]!, from: wFrom[code] ?? null, to: wTo[code] ?? null })),
      published: from.totalScore ?? 0,
      recomputed: sameAreas(wFrom, wTo) ? totalWithWeights(earlier, wTo, await inquiriesToScore(scope, from.studyId)) : null,
    });
  }
  return changes;
}
