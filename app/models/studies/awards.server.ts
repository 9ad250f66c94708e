import { and, asc, eq, sql } from "drizzle-orm";
import type { Db, Executor, TenantScope } from "#db/client.server";
import * as s from "#db/schema";
import { CHANNELS, type Channel } from "~/domain/types";

// The awards of a study (spec/season.md, "Awards"). Scores are the aggregates of scoring.md,
// compared as the ranking compares them: the participant total score as stored (the mean of
// the stored, rounded inquiry scores, unanswered as 0, kept to 6 decimals) and, per channel,
// the same mean over its inquiries on that channel, rounded to the same 6 decimals. Equal
// scores share an award as they share a rank (rank() = 1).
// - class winner: rank 1 of each class with at least 3 participants;
// - best in channel: among participants with at least 5 inquiries on that channel;
// - overall winner: the highest total score of the study.
// A paused class (by code) or company (study_pauses) takes no part: it is left out before any
// of the three is decided, also from the count of a class's participants.
// "Participants" are those with inquiries, as in the ranking (benchmark_ranking).

/** A class has a winner only with at least this many participants (spec/season.md). */
export const MIN_CLASS_PARTICIPANTS = 3;
/** Best in channel needs at least this many of the company's inquiries on that channel. */
export const MIN_CHANNEL_INQUIRIES = 5;

export type AwardKind = "class" | "channel" | "overall";

/** One winner of one award; equal scores give several rows of the same award. */
export interface AwardRow {
  kind: AwardKind;
  classId: number | null;
  classCode: string | null;
  className: string | null;
  channel: Channel | null;
  participantId: string;
  participantName: string;
  score: number;
}

export interface AwardWinner {
  participantName: string;
  score: number;
}

/** The `awards` document of spec/season.md (the API route gives exactly this). */
export interface AwardsDocument {
  year: number;
  overall: { winners: AwardWinner[] };
  classes: { classCode: string; className: string; winners: AwardWinner[] }[];
  channels: { channel: Channel; winners: AwardWinner[] }[];
}

const resultRows = <T>(r: unknown): T[] => ((r as { rows?: T[] }).rows ?? (r as T[])) as T[];

/** The awards of the study as its current data give them: computed now, stored nowhere. */
export async function computeAwards(tx: Db | Executor, studyId: number): Promise<AwardRow[]> {
  const result = await tx.execute(sql`
    with eligible as (
      select p.tenant_id, p.display_name, p.total_score, c.id as class_id, c.code as class_code, c.name as class_name
      from participations p join classes c on c.id = p.class_id
      where p.study_id = ${studyId} and p.inquiry_count > 0 and p.total_score is not null
        and not exists (select 1 from study_pauses sp where sp.study_id = ${studyId} and sp.class_code = c.code)
        and not exists (select 1 from study_pauses sp where sp.study_id = ${studyId} and sp.participant_id = p.tenant_id)
    ), by_class as (
      select e.*, count(*) over (partition by e.class_id) as n, rank() over (partition by e.class_id order by e.total_score desc) as rk
      from eligible e
    ), channel_scores as (
      select i.tenant_id, i.channel, count(*) as n, round(avg(i.total_score), 6) as score
      from inquiries i join eligible e on e.tenant_id = i.tenant_id
      where i.study_id = ${studyId}
      group by i.tenant_id, i.channel
    ), by_channel as (
      select cs.*, rank() over (partition by cs.channel order by cs.score desc) as rk
      from channel_scores cs where cs.n >= ${MIN_CHANNEL_INQUIRIES}
    ), overall as (
      select e.*, rank() over (order by e.total_score desc) as rk from eligible e
    )
    select 'class' as kind, class_id, class_code, class_name, null as channel, tenant_id, display_name, total_score as score
      from by_class where rk = 1 and n >= ${MIN_CLASS_PARTICIPANTS}
    union all
    select 'channel', null, null, null, bc.channel::text, bc.tenant_id, e.display_name, bc.score
      from by_channel bc join eligible e on e.tenant_id = bc.tenant_id where bc.rk = 1
    union all
    select 'overall', null, null, null, null, tenant_id, display_name, total_score from overall where rk = 1`);
  type Raw = {
    kind: AwardKind;
    class_id: number | null;
    class_code: string | null;
    class_name: string | null;
    channel: Channel | null;
    tenant_id: string;
    display_name: string;
    score: string | number;
  };
  return resultRows<Raw>(result).map((r) => ({
    kind: r.kind,
    classId: r.class_id === null ? null : Number(r.class_id),
    classCode: r.class_code,
    className: r.class_name,
    channel: r.channel,
    participantId: r.tenant_id,
    participantName: r.display_name,
    score: Number(r.score),
  }));
}

/**
 * Freezes the awards: replaces the study's stored awards with those of its current data. Run
 * by publishStudyIn, in the transaction that freezes the benchmark figures (publication, a
 * correction of a published study, a pause set on a published study).
 */
export async function freezeAwards(tx: Executor, studyId: number): Promise<void> {
  await tx.delete(s.studyAwards).where(eq(s.studyAwards.studyId, studyId));
  const rows = await computeAwards(tx, studyId);
  if (rows.length > 0) await tx.insert(s.studyAwards).values(rows.map((r) => ({ ...r, studyId })));
}

/** The frozen awards of a study as stored (empty for a study never published). */
export async function frozenAwards(db: Db | Executor, studyId: number): Promise<AwardRow[]> {
  const rows = await db
    .select()
    .from(s.studyAwards)
    .where(eq(s.studyAwards.studyId, studyId))
    .orderBy(asc(s.studyAwards.kind), asc(s.studyAwards.className), asc(s.studyAwards.participantName));
  return rows.map((r) => ({
    kind: r.kind,
    classId: r.classId,
    classCode: r.classCode,
    className: r.className,
    channel: r.channel,
    participantId: r.participantId,
    participantName: r.participantName,
    score: r.score,
  }));
}

const byName = (a: AwardWinner, b: AwardWinner) => a.participantName.localeCompare(b.participantName, "nb");

/**
 * The `awards` document of spec/season.md from award rows: the overall winners, then each
 * class and each channel that has a winner (classes by name, channels in the order phone,
 * email, chat, messenger). A class or channel without a winner is left out.
 */
export function awardsDocument(year: number, rows: readonly AwardRow[]): AwardsDocument {
  const winner = (r: AwardRow): AwardWinner => ({ participantName: r.participantName, score: r.score });
  const classes = new Map<string, { classCode: string; className: string; winners: AwardWinner[] }>();
  for (const r of rows) {
    if (r.kind !== "class" || !r.classCode) continue;
    const entry = classes.get(r.classCode) ?? { classCode: r.classCode, className: r.className ?? r.classCode, winners: [] };
    entry.winners.push(winner(r));
    classes.set(r.classCode, entry);
  }
  return {
    year,
    overall: { winners: rows.filter((r) => r.kind === "overall").map(winner).sort(byName) },
    classes: [...classes.values()]
      .map((c) => ({ ...c, winners: c.winners.sort(byName) }))
      .sort((a, b) => a.className.localeCompare(b.className, "nb") || a.classCode.localeCompare(b.classCode)),
    channels: CHANNELS.map((channel) => ({
      channel,
      winners: rows
        .filter((r) => r.kind === "channel" && r.channel === channel)
        .map(winner)
        .sort(byName),
    })).filter((c) => c.winners.length > 0),
  };
}

/** The frozen awards of the published study of `year`, or null (no such study, or not published). */
export async function publishedAwards(db: Db | Executor, year: number): Promise<AwardsDocument | null> {
  const [study] = await db
    .select({ id: s.studies.id })
    .from(s.studies)
    .where(and(eq(s.studies.year, year), eq(s.studies.status, "published")));
  if (!study) return null;
  return awardsDocument(year, await frozenAwards(db, study.id));
}

/**
 * The awards of `year` for a tenant request: null unless the study is published and the
 * company took part in it (RLS on study_awards says the same a second time).
 */
export async function companyAwards({ tx, tenantId }: TenantScope, year: number): Promise<AwardsDocument | null> {
  const [study] = await tx
    .select({ id: s.studies.id })
    .from(s.studies)
    .innerJoin(s.participations, and(eq(s.participations.studyId, s.studies.id), eq(s.participations.tenantId, tenantId)))
    .where(and(eq(s.studies.year, year), eq(s.studies.status, "published")));
  if (!study) return null;
  return awardsDocument(year, await frozenAwards(tx, study.id));
}
