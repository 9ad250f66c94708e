import { eq, sql, type SQL } from "drizzle-orm";
import type { Db, Executor } from "#db/client.server";
import * as s from "#db/schema";
import { evaluatePlansForStudy } from "~/models/plans/plans.server";
import { freezeAwards } from "./awards.server";

/**
 * spec/scoring.md and DESIGN.md: a figure computed from other companies is shown only when at
 * least this many companies contributed to it, whatever its kind (class, channel, area,
 * question, spread, bands). Below it the figure is stored as null, beside its count.
 */
export const MIN_CONTRIBUTORS = 3;
/** The class-level name of the same rule. */
export const MIN_CLASS_PARTICIPANTS = MIN_CONTRIBUTORS;

/** `value` when `n` companies are enough to show it, otherwise null. */
const shownIf = (n: SQL, value: SQL) => sql`case when ${n} >= ${MIN_CONTRIBUTORS} then ${value} end`;
/** The mean and best of a group's participant scores (`score`, one row each), shown only with enough participants. */
const classMeanAndBest = sql`${shownIf(sql`count(*)`, sql`avg(score)`)}, ${shownIf(sql`count(*)`, sql`max(score)`)}`;
/** The four band counts of the inquiries `i`, or four nulls below the threshold. */
const bandCountsIf = (n: SQL) =>
  sql.join(
    (["perfect", "high", "mid", "low"] as const).map((band) => shownIf(n, sql.raw(`count(*) filter (where i.band = '${band}')::int`))),
    sql`, `,
  );

/**
 * Freezes a study: computes every benchmark table from the stored, rounded
 * inquiry scores (aggregates only, in SQL) and its awards, then marks it published. Running it
 * again after a corrected import recomputes everything.
 */
export async function publishStudy(db: Db, studyId: number, now = new Date()): Promise<void> {
  await db.transaction((tx) => publishStudyIn(tx, studyId, now));
}

/** publishStudy inside the caller's transaction. */
export async function publishStudyIn(tx: Executor, studyId: number, now = new Date()): Promise<void> {
  await computeBenchmarks(tx, studyId);
  // The awards are frozen with the figures they come from (spec/season.md).
  await freezeAwards(tx, studyId);
  await tx.update(s.studies).set({ status: "published", publishedAt: now }).where(eq(s.studies.id, studyId));
  // The companies' action plans get this study's value and met or not met (issue 18), from the
  // figures just frozen, in the same transaction: no page ever shows a study without them.
  await evaluatePlansForStudy(tx, studyId, now);
}

export async function computeBenchmarks(tx: Executor, studyId: number): Promise<void> {
  for (const table of [s.benchmarkStudy, s.benchmarkChannel, s.benchmarkRanking]) await tx.delete(table).where(eq(table.studyId, studyId));
  await tx.delete(s.benchmarkClass).where(eq(s.benchmarkClass.studyId, studyId));
  const classIds = sql`(select id from classes where study_id = ${studyId})`;
  await tx.execute(sql`delete from benchmark_class_channel where class_id in ${classIds}`);
  await tx.execute(sql`delete from benchmark_class_area where class_id in ${classIds}`);
  await tx.execute(sql`delete from benchmark_class_question where class_id in ${classIds}`);
  await tx.execute(sql`delete from benchmark_class_wait where class_id in ${classIds}`);

  // Whole study: participants count once each; bands are counted over inquiries.
  await tx.execute(sql`
    with ps as (select count(*)::int as n, avg(total_score) as mean from participations where study_id = ${studyId} and inquiry_count > 0)
    insert into benchmark_study (study_id, participants, inquiries, answered, mean, band_perfect, band_high, band_mid, band_low)
    select ${studyId}, ps.n, count(i.id)::int, count(i.id) filter (where i.answered)::int,
      ${shownIf(sql`ps.n`, sql`ps.mean`)}, ${bandCountsIf(sql`ps.n`)}
    from ps left join inquiries i on i.study_id = ${studyId}
    group by ps.n, ps.mean`);

  // Per channel: the mean of the participants' channel scores (each participant once).
  await tx.execute(sql`
    with pc as (
      select tenant_id, channel, avg(total_score) as score from inquiries where study_id = ${studyId} group by tenant_id, channel
    )
    insert into benchmark_channel (study_id, channel, participants, inquiries, mean, band_perfect, band_high, band_mid, band_low)
    select ${studyId}, i.channel, count(distinct i.tenant_id)::int, count(*)::int,
      ${shownIf(sql`count(distinct i.tenant_id)`, sql`(select avg(score) from pc where pc.channel = i.channel)`)},
      ${bandCountsIf(sql`count(distinct i.tenant_id)`)}
    from inquiries i where i.study_id = ${studyId} group by i.channel`);

  await tx.execute(sql`
    with ps as (
      select p.tenant_id, p.class_id, p.total_score,
             (select stddev_pop(total_score) from inquiries i where i.tenant_id = p.tenant_id and i.study_id = p.study_id) as spread
      from participations p where p.study_id = ${studyId} and p.inquiry_count > 0
    ), cls as (
      select class_id, count(*)::int as n, avg(total_score) as mean, max(total_score) as best, avg(spread) as spread
      from ps group by class_id
    )
    insert into benchmark_class (class_id, study_id, participants, inquiries, shown, mean, best, typical_std_dev, band_perfect, band_high, band_mid, band_low)
    select c.id, ${studyId}, coalesce(cls.n, 0), count(i.id)::int, coalesce(cls.n, 0) >= ${MIN_CLASS_PARTICIPANTS},
      ${shownIf(sql`cls.n`, sql`cls.mean`)}, ${shownIf(sql`cls.n`, sql`cls.best`)}, ${shownIf(sql`cls.n`, sql`cls.spread`)},
      ${bandCountsIf(sql`coalesce(cls.n, 0)`)}
    from classes c
    left join cls on cls.class_id = c.id
    left join participations p on p.class_id = c.id and p.study_id = ${studyId}
    left join inquiries i on i.tenant_id = p.tenant_id and i.study_id = p.study_id
    where c.study_id = ${studyId}
    group by c.id, cls.n, cls.mean, cls.best, cls.spread`);

  // Per class and channel, area and question: every cell with its own count of companies, so a
  // class of six where only two were contacted by chat does not give away the other's chat score.
  await tx.execute(sql`
    with pc as (
      select p.class_id, i.tenant_id, i.channel, count(*) as n, avg(i.total_score) as score
      from inquiries i join participations p on p.tenant_id = i.tenant_id and p.study_id = i.study_id
      where i.study_id = ${studyId} group by p.class_id, i.tenant_id, i.channel
    )
    insert into benchmark_class_channel (class_id, channel, participants, inquiries, mean, best)
    select class_id, channel, count(*)::int, sum(n)::int, ${classMeanAndBest}
    from pc group by class_id, channel`);

  // Wait times per class and channel (issue 18): a histogram, so the class's share within any
  // company's response-time goal is a sum; only where enough companies were contacted on it.
  await tx.execute(sql`
    with iw as (
      select p.class_id, i.tenant_id, i.channel, i.wait_seconds
      from inquiries i join participations p on p.tenant_id = i.tenant_id and p.study_id = i.study_id
      where i.study_id = ${studyId}
    ), enough as (
      select class_id, channel from iw group by class_id, channel having count(distinct tenant_id) >= ${MIN_CONTRIBUTORS}
    )
    insert into benchmark_class_wait (class_id, channel, wait_seconds, inquiries)
    select iw.class_id, iw.channel, iw.wait_seconds, count(*)::int
    from iw join enough e on e.class_id = iw.class_id and e.channel = iw.channel
    group by iw.class_id, iw.channel, iw.wait_seconds`);

  // Area: participant score = mean of its inquiries' area scores where it has one.
  await tx.execute(sql`
    with pa as (
      select p.class_id, a.tenant_id, a.area_id, avg(a.score) as score
      from inquiry_area_scores a
      join inquiries i on i.tenant_id = a.tenant_id and i.id = a.inquiry_id
      join participations p on p.tenant_id = i.tenant_id and p.study_id = i.study_id
      where i.study_id = ${studyId} group by p.class_id, a.tenant_id, a.area_id
    )
    insert into benchmark_class_area (class_id, area_id, participants, mean, best)
    select class_id, area_id, count(*)::int, ${classMeanAndBest}
    from pa group by class_id, area_id`);

  await tx.execute(sql`
    with pq as (
      select p.class_id, a.tenant_id, a.question_id, avg(a.percent) as score
      from answers a
      join inquiries i on i.tenant_id = a.tenant_id and i.id = a.inquiry_id
      join participations p on p.tenant_id = i.tenant_id and p.study_id = i.study_id
      where i.study_id = ${studyId} and a.percent is not null group by p.class_id, a.tenant_id, a.question_id
    )
    insert into benchmark_class_question (class_id, question_id, participants, mean, best)
    select class_id, question_id, count(*)::int, ${classMeanAndBest}
    from pq group by class_id, question_id`);

  // The public results list: rank 1 = best, equal scores share the better rank.
  await tx.execute(sql`
    insert into benchmark_ranking (study_id, class_id, participant_id, participant_name, total_score, rank)
    select study_id, class_id, tenant_id, display_name, total_score,
           rank() over (partition by class_id order by total_score desc)
    from participations where study_id = ${studyId} and inquiry_count > 0`);
}
