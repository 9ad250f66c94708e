// Class comparison for one company and one published study: per area and per question the
// company against the class mean and best (a gap map), the published ranking of the class,
// and "what would it take" to climb one place. Reads the company's own stored scores (RLS)
// and the benchmark tables frozen at publishing; no other company's raw rows.

import { and, asc, eq, sql } from "drizzle-orm";
import { resultRows, type TenantScope } from "#db/client.server";
import * as s from "#db/schema";

export interface GapRow {
  code: string;
  name: string;
  areaCode: string;
  own: number | null;
  classMean: number | null;
  classBest: number | null;
}

export interface Lift {
  areaCode: string;
  areaName: string;
  from: number;
  to: number;
  /** area points needed on every inquiry that has the area */
  points: number;
}

export interface Comparison {
  year: number;
  className: string;
  shown: boolean;
  participants: number;
  totalScore: number;
  rank: number | null;
  areas: GapRow[];
  questions: GapRow[];
  ranking: { rank: number; participantName: string; totalScore: number; own: boolean }[];
  /** null when first already, or the class is hidden */
  nextPlace: { rank: number; participantName: string; totalScore: number; gap: number; singleArea: Lift[]; combined: Lift[] | null } | null;
}

export async function getComparison({ tx, tenantId }: TenantScope, year: number): Promise<Comparison | null> {
  const [p] = await tx
    .select({
      studyId: s.studies.id,
      classId: s.classes.id,
      className: s.classes.name,
      totalScore: s.participations.totalScore,
      inquiries: s.participations.inquiryCount,
      shown: s.benchmarkClass.shown,
      participants: s.benchmarkClass.participants,
    })
    .from(s.participations)
    .innerJoin(s.studies, eq(s.studies.id, s.participations.studyId))
    .innerJoin(s.classes, eq(s.classes.id, s.participations.classId))
    .innerJoin(s.benchmarkClass, eq(s.benchmarkClass.classId, s.classes.id))
    .where(and(eq(s.participations.tenantId, tenantId), eq(s.studies.year, year), eq(s.studies.status, "published")));
  if (!p) return null;

  // The gap map's two reads and the class ranking do not depend on each other: sent together.
  const [areaResult, questionResult, rankingRows] = await Promise.all([
    tx.execute(sql`
      select a.id, a.code, a.name, a.weight,
        (select avg(x.score) from inquiry_area_scores x join inquiries i on i.tenant_id = x.tenant_id and i.id = x.inquiry_id
          where x.tenant_id = ${tenantId} and i.study_id = ${p.studyId} and x.area_id = a.id) as own,
        b.mean, b.best
      from areas a left join benchmark_class_area b on b.area_id = a.id and b.class_id = ${p.classId}
      where a.study_id = ${p.studyId} and a.weight > 0
      order by a.position`),
    tx.execute(sql`
      select q.code, q.text, a.code as area_code,
        (select avg(an.percent) from answers an join inquiries i on i.tenant_id = an.tenant_id and i.id = an.inquiry_id
          where an.tenant_id = ${tenantId} and i.study_id = ${p.studyId} and an.question_id = q.id) as own,
        b.mean, b.best
      from questions q join areas a on a.id = q.area_id
      left join benchmark_class_question b on b.question_id = q.id and b.class_id = ${p.classId}
      where q.study_id = ${p.studyId} and q.kind = 'points'
      order by q.position`),
    p.shown
      ? tx
          .select({ participantId: s.benchmarkRanking.participantId, rank: s.benchmarkRanking.rank, participantName: s.benchmarkRanking.participantName, totalScore: s.benchmarkRanking.totalScore })
          .from(s.benchmarkRanking)
          .where(and(eq(s.benchmarkRanking.studyId, p.studyId), eq(s.benchmarkRanking.classId, p.classId)))
          .orderBy(asc(s.benchmarkRanking.rank), asc(s.benchmarkRanking.participantName))
      : [],
  ]);
  const areaRows = resultRows<{ id: number; code: string; name: string; weight: string; own: string | null; mean: string | null; best: string | null }>(areaResult);
  const questionRows = resultRows<{ code: string; text: string; area_code: string; own: string | null; mean: string | null; best: string | null }>(questionResult);
  const n = (v: string | null) => (v === null ? null : Number(v));
  const hide = (v: string | null) => (p.shown ? n(v) : null);
  const areas: GapRow[] = areaRows.map((r) => ({ code: r.code, name: r.name, areaCode: r.code, own: n(r.own), classMean: hide(r.mean), classBest: hide(r.best) }));
  const questions: GapRow[] = questionRows.map((r) => ({ code: r.code, name: r.text, areaCode: r.area_code, own: n(r.own), classMean: hide(r.mean), classBest: hide(r.best) }));

  const ranking = rankingRows.map((r) => ({ rank: r.rank, participantName: r.participantName, totalScore: r.totalScore, own: r.participantId === tenantId }));
  const totalScore = p.totalScore ?? 0;
  const own = ranking.find((r) => r.own);
  const rank = own?.rank ?? null;

  let nextPlace: Comparison["nextPlace"] = null;
  const above = rank && rank > 1 ? [...ranking].reverse().find((r) => r.rank < rank) : undefined;
  if (above) {
    const gap = above.totalScore - totalScore;
    const leverage = await areaLeverage({ tx, tenantId }, p.studyId, p.inquiries);
    const lifts = areaRows
      .map((a) => ({ a, k: leverage.get(a.id) ?? 0, from: Number(a.own ?? 0) }))
      .filter((x) => x.k > 0 && x.a.own !== null);
    const singleArea = lifts
      .map(({ a, k, from }) => ({ areaCode: a.code, areaName: a.name, from, points: gap / k, to: from + gap / k }))
      .filter((l) => l.to <= 100)
      .sort((x, y) => x.points - y.points)
      .map((l) => ({ ...l, points: ceil2(l.points), to: ceil2(l.to) }));
    nextPlace = { rank: above.rank, participantName: above.participantName, totalScore: above.totalScore, gap, singleArea, combined: singleArea.length > 0 ? null : combine(lifts, gap) };
  }
  return { year, className: p.className, shown: p.shown, participants: p.participants, totalScore, rank, areas, questions, ranking, nextPlace };
}

const ceil2 = (x: number) => Math.ceil(x * 100 - 1e-9) / 100;

/**
 * How much the company's total moves per area point: raising area a by one point on every
 * inquiry that has it raises that inquiry's total by w_a / W_i (W_i = the weights of the
 * areas scored on it), and the company's total — a mean over all inquiries, unanswered
 * as 0 — by the mean of that over all inquiries.
 */
async function areaLeverage({ tx, tenantId }: TenantScope, studyId: number, inquiries: number): Promise<Map<number, number>> {
  const rows = resultRows<{ area_id: number; k: string }>(
    await tx.execute(sql`
      with per as (
        select x.inquiry_id, x.area_id, a.weight, sum(a.weight) over (partition by x.inquiry_id) as w
        from inquiry_area_scores x join areas a on a.id = x.area_id
        join inquiries i on i.tenant_id = x.tenant_id and i.id = x.inquiry_id
        where x.tenant_id = ${tenantId} and i.study_id = ${studyId}
      )
      select area_id, sum(weight / w) as k from per group by area_id`),
  );
  return new Map(rows.map((r) => [r.area_id, Number(r.k) / Math.max(inquiries, 1)]));
}

/** No single area is enough: fill the areas with the most leverage first, up to 100. */
function combine(lifts: { a: { code: string; name: string }; k: number; from: number }[], gap: number): Lift[] | null {
  let remaining = gap;
  const out: Lift[] = [];
  for (const { a, k, from } of [...lifts].sort((x, y) => y.k - x.k)) {
    if (remaining <= 0) break;
    const room = 100 - from;
    const points = Math.min(room, remaining / k);
    if (points <= 0) continue;
    remaining -= points * k;
    out.push({ areaCode: a.code, areaName: a.name, from, points: ceil2(points), to: ceil2(from + points) });
  }
  return remaining > 1e-9 ? null : out;
}
