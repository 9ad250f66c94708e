// The same company across the study years it took part in (published, and a study in review
// with its own preliminary figures only, spec/season.md):
// total score against its class, per channel, per area, and per question where the
// question's code and text are unchanged. Reads the company's own stored scores (RLS)
// and the published class figures; nothing of another company's rows.

import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { resultRows, type TenantScope } from "#db/client.server";
import * as s from "#db/schema";
import { CHANNELS, type Channel } from "~/domain/types";
import { VISIBLE_STATUSES } from "./insights.server";

export interface TrendYear {
  year: number;
  totalScore: number;
  inquiries: number;
  answerRate: number;
  className: string;
  /** null when the class has too few participants to show, and in review */
  classMean: number | null;
  /** a study in review: the company's own figures may still change */
  preliminary: boolean;
}

export interface TrendRow {
  code: string;
  name: string;
  /** year -> score; absent when the company had no score there */
  scores: Record<number, number>;
}

export interface QuestionTrend extends TrendRow {
  areaCode: string;
  /** years whose text differs from the year before: not comparable across that change */
  changedIn: number[];
  texts: Record<number, string>;
}

export interface Trends {
  years: TrendYear[];
  channels: { channel: Channel; scores: Record<number, number> }[];
  areas: TrendRow[];
  questions: QuestionTrend[];
}

const num = (v: unknown) => Number(v);

export async function getTrends({ tx, tenantId }: TenantScope): Promise<Trends> {
  const published = sql`(select id from studies where status in ('review', 'published'))`;
  // Four independent reads, sent together (one wait on PostgreSQL instead of four). The area
  // and question means are taken per area/question id first and joined to their names
  // after: the same rows in the same groups, without carrying every answer through the joins.
  const [yearRows, channelResult, areaResult, questionResult] = await Promise.all([
    tx
      .select({
        studyId: s.studies.id,
        year: s.studies.year,
        status: s.studies.status,
        totalScore: s.participations.totalScore,
        inquiries: s.participations.inquiryCount,
        answered: s.participations.answeredCount,
        className: s.classes.name,
        shown: s.benchmarkClass.shown,
        classMean: s.benchmarkClass.mean,
      })
      .from(s.participations)
      .innerJoin(s.studies, eq(s.studies.id, s.participations.studyId))
      .innerJoin(s.classes, eq(s.classes.id, s.participations.classId))
      .leftJoin(s.benchmarkClass, eq(s.benchmarkClass.classId, s.classes.id))
      .where(and(eq(s.participations.tenantId, tenantId), inArray(s.studies.status, VISIBLE_STATUSES)))
      .orderBy(asc(s.studies.year)),
    tx.execute(sql`
      select st.year, i.channel, avg(i.total_score) as score
      from inquiries i join studies st on st.id = i.study_id
      where i.tenant_id = ${tenantId} and i.study_id in ${published}
      group by st.year, i.channel`),
    // Areas: the mean of the area scores of the inquiries that have one (scoring.md).
    tx.execute(sql`
      select st.year, a.code, a.name, a.position, x.score
      from (select area_id, avg(score) as score from inquiry_area_scores where tenant_id = ${tenantId} group by area_id) x
      join areas a on a.id = x.area_id
      join studies st on st.id = a.study_id
      where a.study_id in ${published}
      order by st.year desc, a.position`),
    // Questions: mean of points / max × 100 where answered; scored questions only.
    tx.execute(sql`
      select st.year, q.code, q.text, a.code as area_code, q.position, x.score
      from (select question_id, avg(percent) as score from answers where tenant_id = ${tenantId} group by question_id) x
      join questions q on q.id = x.question_id
      join areas a on a.id = q.area_id
      join studies st on st.id = q.study_id
      where q.study_id in ${published} and q.kind = 'points'
      order by st.year desc, q.position`),
  ]);
  const years: TrendYear[] = yearRows.map((r) => ({
    year: r.year,
    totalScore: r.totalScore ?? 0,
    inquiries: r.inquiries,
    answerRate: r.inquiries ? r.answered / r.inquiries : 0,
    className: r.className,
    classMean: r.status === "published" && r.shown ? (r.classMean ?? null) : null,
    preliminary: r.status === "review",
  }));
  if (years.length === 0) return { years, channels: [], areas: [], questions: [] };

  const channelRows = resultRows<{ year: number; channel: Channel; score: string }>(channelResult);
  const channels = CHANNELS.map((channel) => ({
    channel,
    scores: Object.fromEntries(channelRows.filter((r) => r.channel === channel).map((r) => [r.year, num(r.score)])),
  })).filter((c) => Object.keys(c.scores).length > 0);

  const areaRows = resultRows<{ year: number; code: string; name: string; position: number; score: string }>(areaResult);
  const areas = new Map<string, TrendRow>();
  for (const r of areaRows) {
    const area = areas.get(r.code) ?? { code: r.code, name: r.name, scores: {} };
    area.scores[r.year] = num(r.score);
    areas.set(r.code, area);
  }

  const questionRows = resultRows<{ year: number; code: string; text: string; area_code: string; position: number; score: string }>(questionResult);
  const questions = new Map<string, QuestionTrend>();
  for (const r of questionRows) {
    const q = questions.get(r.code) ?? { code: r.code, name: r.text, areaCode: r.area_code, scores: {}, texts: {}, changedIn: [] };
    q.scores[r.year] = num(r.score);
    q.texts[r.year] = r.text;
    questions.set(r.code, q);
  }
  for (const q of questions.values()) {
    const ys = Object.keys(q.texts).map(Number).sort((a, b) => a - b);
    for (let i = 1; i < ys.length; i++) if (q.texts[ys[i]!] !== q.texts[ys[i - 1]!]) q.changedIn.push(ys[i]!);
  }
  return { years, channels, areas: [...areas.values()], questions: [...questions.values()] };
}
