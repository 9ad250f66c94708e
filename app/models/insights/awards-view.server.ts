// What companies and staff see of a year's awards (issue 16, spec/season.md): the winners of a
// published study, a company's own awards with what its diploma and badge say, and the public
// results list for the press. Everything reads the awards and ranking frozen at publication;
// before publication there is nothing (null), for companies and in the files alike.

import { and, asc, eq, sql } from "drizzle-orm";
import type { Db, Executor, TenantScope } from "#db/client.server";
import * as s from "#db/schema";
import { CHANNELS, type Channel } from "~/domain/types";
import type { AwardCertificate, ResultsList } from "~/exports/awards/types";
import { awardsDocument, frozenAwards, type AwardRow, type AwardsDocument } from "~/models/studies/awards.server";

/** One of the company's own awards, named by a key that the download route takes back. */
export interface OwnAward {
  key: string;
  certificate: AwardCertificate;
}

/** "class:bank", "channel:phone", "overall": an award of a year, as a URL names it. */
export const awardKeyOf = (row: Pick<AwardRow, "kind" | "classCode" | "channel">) =>
  row.kind === "class" ? `class:${row.classCode}` : row.kind === "channel" ? `channel:${row.channel}` : "overall";

const certificateOf = (year: number, studyName: string, row: AwardRow): AwardCertificate => ({
  year,
  studyName,
  kind: row.kind,
  className: row.kind === "class" ? row.className : null,
  channel: row.kind === "channel" ? row.channel : null,
  participantName: row.participantName,
  score: row.score,
});

export interface CompanyAwardsPage {
  year: number;
  studyName: string;
  awards: AwardsDocument;
  own: OwnAward[];
}

/**
 * The awards of `year` as a company sees them: all winners, and its own awards. Null unless the
 * study is published and the company took part (the awards' RLS says the same a second time).
 */
export async function getCompanyAwards({ tx, tenantId }: TenantScope, year: number): Promise<CompanyAwardsPage | null> {
  const [study] = await tx
    .select({ id: s.studies.id, name: s.studies.name })
    .from(s.studies)
    .innerJoin(s.participations, and(eq(s.participations.studyId, s.studies.id), eq(s.participations.tenantId, tenantId)))
    .where(and(eq(s.studies.year, year), eq(s.studies.status, "published")));
  if (!study) return null;
  const rows = await frozenAwards(tx, study.id);
  return {
    year,
    studyName: study.name,
    awards: awardsDocument(year, rows),
    own: rows.filter((r) => r.participantId === tenantId).map((r) => ({ key: awardKeyOf(r), certificate: certificateOf(year, study.name, r) })),
  };
}

/** One of the company's own awards by its key; null when it has no such award (→ 404, whoever won it). */
export async function findOwnAward(scope: TenantScope, year: number, key: string): Promise<AwardCertificate | null> {
  const page = await getCompanyAwards(scope, year);
  return page?.own.find((a) => a.key === key)?.certificate ?? null;
}

/**
 * The public results list of a published study (staff; for the press): each class's published
 * ranking, then the channel and overall winners. Paused classes and companies take no part
 * (spec/season.md) and are left out. Null before publication.
 */
export async function getResultsList(db: Db | Executor, year: number): Promise<ResultsList | null> {
  const [study] = await db
    .select({ id: s.studies.id, name: s.studies.name })
    .from(s.studies)
    .where(and(eq(s.studies.year, year), eq(s.studies.status, "published")));
  if (!study) return null;
  const notPaused = sql`not exists (select 1 from ${s.studyPauses} sp where sp.study_id = ${study.id} and (sp.class_code = ${s.classes.code} or sp.participant_id = ${s.benchmarkRanking.participantId}))`;
  const [ranking, classRows, awards] = await Promise.all([
    db
      .select({
        classId: s.benchmarkRanking.classId,
        rank: s.benchmarkRanking.rank,
        participantName: s.benchmarkRanking.participantName,
        totalScore: s.benchmarkRanking.totalScore,
      })
      .from(s.benchmarkRanking)
      .innerJoin(s.classes, eq(s.classes.id, s.benchmarkRanking.classId))
      .where(and(eq(s.benchmarkRanking.studyId, study.id), notPaused))
      .orderBy(asc(s.benchmarkRanking.rank), asc(s.benchmarkRanking.participantName)),
    db
      .select({ classId: s.classes.id, code: s.classes.code, name: s.classes.name, participants: s.benchmarkClass.participants })
      .from(s.classes)
      .innerJoin(s.benchmarkClass, eq(s.benchmarkClass.classId, s.classes.id))
      .where(
        and(
          eq(s.classes.studyId, study.id),
          sql`not exists (select 1 from ${s.studyPauses} sp where sp.study_id = ${study.id} and sp.class_code = ${s.classes.code})`,
        ),
      )
      .orderBy(asc(s.classes.name)),
    frozenAwards(db, study.id),
  ]);
  const winners = (rows: AwardRow[]) => rows.map((r) => ({ participantName: r.participantName, score: r.score })).sort((a, b) => a.participantName.localeCompare(b.participantName, "nb"));
  return {
    year,
    studyName: study.name,
    classes: classRows
      .map((c) => ({
        classCode: c.code,
        className: c.name,
        participants: c.participants ?? 0,
        rows: ranking.filter((r) => r.classId === c.classId).map(({ rank, participantName, totalScore }) => ({ rank, participantName, totalScore })),
      }))
      .filter((c) => c.rows.length > 0),
    channels: CHANNELS.map((channel: Channel) => ({ channel, winners: winners(awards.filter((a) => a.kind === "channel" && a.channel === channel)) })),
    overall: { winners: winners(awards.filter((a) => a.kind === "overall")) },
  };
}
