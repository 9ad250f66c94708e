import { and, eq, sql } from "drizzle-orm";
import type { TenantScope, Tx } from "#db/client.server";
import * as s from "#db/schema";
import { bootstrapInterval, mean } from "~/domain/statistics";
import { BANDS, CHANNELS, type Band, type Channel } from "~/domain/types";
import { classFiguresVisible, getAreasAndCx, listTenantStudies, type VisibleStatus } from "./insights.server";

/** A study as the company pages name it: a study in review is marked preliminary. */
export interface CompanyStudy {
  year: number;
  name: string;
  status: VisibleStatus;
  /** the review deadline while in review; null once published */
  reviewUntil: Date | null;
}

/** The studies the tenant took part in and may see (review or published), newest first. */
export async function listCompanyStudies(scope: TenantScope): Promise<CompanyStudy[]> {
  return (await listTenantStudies(scope)).map(({ year, name, status, reviewUntil }) => ({ year, name, status, reviewUntil }));
}

export type BandCounts = Record<Band, number>;

export interface Overview {
  study: CompanyStudy;
  studies: CompanyStudy[];
  participantName: string;
  totalScore: number;
  inquiries: number;
  answered: number;
  answerRate: number;
  class: { code: string; name: string; participants: number; shown: boolean; mean: number | null; best: number | null; rank: number | null };
  bands: BandCounts;
  /** mean and bands are null when fewer than 3 companies took part in the study; all of it null in review */
  wholeStudy: { participants: number; inquiries: number; mean: number | null; bands: BandCounts | null } | null;
}

/** Band counts of a benchmark row (its band_* columns); null where too few companies contributed. */
export const bandsOf = (row: { bandPerfect: number | null; bandHigh: number | null; bandMid: number | null; bandLow: number | null }): BandCounts | null =>
  row.bandPerfect === null || row.bandHigh === null || row.bandMid === null || row.bandLow === null
    ? null
    : { perfect: row.bandPerfect, high: row.bandHigh, mid: row.bandMid, low: row.bandLow };

/**
 * The company's overview of one study it may see (the newest when `year` is omitted);
 * null when it took part in no such study, which routes turn into 404. Reads stored
 * figures and, once the study is published, the benchmark tables; in review nothing
 * of the class or the study (spec/season.md).
 */
export async function getOverview(scope: TenantScope, year?: number): Promise<Overview | null> {
  const found = await overviewRow(scope, year);
  return found ? overviewOf(found, await bandCounts(scope, found.row.studyId)) : null;
}

/** How many of the company's inquiries of a study fall in each band. */
async function bandCounts({ tx, tenantId }: TenantScope, studyId: number): Promise<BandCounts> {
  const own = await tx
    .select({ band: s.inquiries.band, n: sql<number>`count(*)::int` })
    .from(s.inquiries)
    .where(and(eq(s.inquiries.tenantId, tenantId), eq(s.inquiries.studyId, studyId)))
    .groupBy(s.inquiries.band);
  return Object.fromEntries(BANDS.map((b) => [b, own.find((x) => x.band === b)?.n ?? 0])) as BandCounts;
}

type OverviewRow = NonNullable<Awaited<ReturnType<typeof overviewRow>>>;

/** The visible studies and the chosen one's participation, class and whole-study figures; null as getOverview. */
async function overviewRow(scope: TenantScope, year?: number) {
  const { tx, tenantId } = scope;
  const studies = await listCompanyStudies(scope);
  const study = year === undefined ? studies[0] : studies.find((x) => x.year === year);
  if (!study) return null;

  const [row] = await tx
    .select({
      studyId: s.studies.id,
      classId: s.classes.id,
      participantName: s.participations.displayName,
      totalScore: s.participations.totalScore,
      inquiries: s.participations.inquiryCount,
      answered: s.participations.answeredCount,
      classCode: s.classes.code,
      className: s.classes.name,
      bench: s.benchmarkClass,
      rank: s.benchmarkRanking.rank,
      all: s.benchmarkStudy,
    })
    .from(s.participations)
    .innerJoin(s.studies, eq(s.studies.id, s.participations.studyId))
    .innerJoin(s.classes, eq(s.classes.id, s.participations.classId))
    .leftJoin(s.benchmarkClass, eq(s.benchmarkClass.classId, s.classes.id))
    .leftJoin(s.benchmarkStudy, eq(s.benchmarkStudy.studyId, s.studies.id))
    .leftJoin(
      s.benchmarkRanking,
      and(eq(s.benchmarkRanking.studyId, s.studies.id), eq(s.benchmarkRanking.participantId, s.participations.tenantId)),
    )
    .where(and(eq(s.participations.tenantId, tenantId), eq(s.studies.year, study.year), eq(s.studies.status, study.status)));
  if (!row) return null;
  // Before publication there are no class or study figures to show, whatever the tables hold.
  const published = classFiguresVisible(study);
  return { study, studies, row: { ...row, bench: published ? row.bench : null, all: published ? row.all : null, rank: published ? row.rank : null } };
}

function overviewOf({ study, studies, row }: OverviewRow, bands: BandCounts): Overview {
  const shown = row.bench?.shown ?? false;
  return {
    study,
    studies,
    participantName: row.participantName,
    totalScore: row.totalScore ?? 0,
    inquiries: row.inquiries,
    answered: row.answered,
    answerRate: row.inquiries ? row.answered / row.inquiries : 0,
    class: {
      code: row.classCode,
      name: row.className,
      participants: row.bench?.participants ?? 0,
      shown,
      mean: shown ? (row.bench?.mean ?? null) : null,
      best: shown ? (row.bench?.best ?? null) : null,
      rank: shown ? row.rank : null,
    },
    bands,
    wholeStudy: row.all ? { participants: row.all.participants, inquiries: row.all.inquiries, mean: row.all.mean, bands: bandsOf(row.all) } : null,
  };
}

export interface OverviewExtras {
  channels: { channel: Channel; inquiries: number; score: number; classMean: number | null; classBest: number | null }[];
  /** The company's score over its answered inquiries only: quality without availability. */
  ifAllAnswered: number | null;
  /** 90 % bootstrap interval of the total score over the company's inquiries. */
  interval: { low: number; high: number } | null;
  classBands: BandCounts | null;
}

/**
 * The rest of the overview: channels against the class, availability against quality, how
 * firm the total is, and the class's band counts. Own inquiries and frozen class figures.
 */
export async function getOverviewExtras({ tx, tenantId }: TenantScope, year: number): Promise<OverviewExtras | null> {
  const [p] = await tx
    .select({ studyId: s.studies.id, classId: s.participations.classId, bench: s.benchmarkClass })
    .from(s.participations)
    .innerJoin(s.studies, eq(s.studies.id, s.participations.studyId))
    .innerJoin(s.benchmarkClass, eq(s.benchmarkClass.classId, s.participations.classId))
    .where(and(eq(s.participations.tenantId, tenantId), eq(s.studies.year, year), eq(s.studies.status, "published")));
  if (!p) return null;
  const [own, classChannels] = await Promise.all([ownInquiries(tx, tenantId, p.studyId), classChannelsOf(tx, p.classId, p.bench.shown)]);
  return extrasOf(tenantId, year, own, classChannels, p.bench);
}

const ownInquiries = (tx: Tx, tenantId: string, studyId: number) =>
  tx
    .select({ score: s.inquiries.totalScore, answered: s.inquiries.answered, channel: s.inquiries.channel })
    .from(s.inquiries)
    .where(and(eq(s.inquiries.tenantId, tenantId), eq(s.inquiries.studyId, studyId)));

const classChannelsOf = async (tx: Tx, classId: number, shown: boolean) =>
  shown ? await tx.select().from(s.benchmarkClassChannel).where(eq(s.benchmarkClassChannel.classId, classId)) : [];

function extrasOf(
  tenantId: string,
  year: number,
  own: { score: number; answered: boolean; channel: Channel }[],
  classChannels: { channel: Channel; mean: number | null; best: number | null }[],
  bench: (Parameters<typeof bandsOf>[0] & { shown: boolean }) | null,
): OverviewExtras {
  const channels = CHANNELS.flatMap((channel) => {
    const scores = own.filter((i) => i.channel === channel).map((i) => i.score);
    if (scores.length === 0) return [];
    const cls = classChannels.find((c) => c.channel === channel);
    return [{ channel, inquiries: scores.length, score: mean(scores)!, classMean: cls?.mean ?? null, classBest: cls?.best ?? null }];
  });
  const scores = own.map((i) => i.score);
  // Seeded by company and year, so the interval is the same on every visit.
  const seed = [...`${tenantId}:${year}`].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7);
  return {
    channels,
    ifAllAnswered: mean(own.filter((i) => i.answered).map((i) => i.score)),
    interval: scores.length >= 2 ? bootstrapInterval(scores, { confidence: 0.9, seed }) : null,
    classBands: bench?.shown ? bandsOf(bench) : null,
  };
}

/** The company's own awards of a published study (issue 16), for the overview; none before publication. */
const ownAwardsOf = async (tx: Tx, tenantId: string, studyId: number, published: boolean) =>
  published
    ? await tx
        .select({ kind: s.studyAwards.kind, className: s.studyAwards.className, channel: s.studyAwards.channel, score: s.studyAwards.score })
        .from(s.studyAwards)
        .where(and(eq(s.studyAwards.studyId, studyId), eq(s.studyAwards.participantId, tenantId)))
    : [];

/**
 * Everything the overview page shows (getOverview, getOverviewExtras and the summary's areas
 * and CX figures) in five statements after the study list and the participation row, sent together
 * (the participation and class rows are read once, not three times).
 */
export async function getOverviewPage(scope: TenantScope, year?: number) {
  const found = await overviewRow(scope, year);
  if (!found) return null;
  const { tx, tenantId } = scope;
  const { row } = found;
  const [bands, own, classChannels, { byArea, cx }, awards] = await Promise.all([
    bandCounts(scope, row.studyId),
    ownInquiries(tx, tenantId, row.studyId),
    classChannelsOf(tx, row.classId, row.bench?.shown ?? false),
    getAreasAndCx(scope, { studyId: row.studyId, classId: row.classId, classShown: row.bench?.shown ?? false }),
    ownAwardsOf(tx, tenantId, row.studyId, classFiguresVisible(found.study)),
  ]);
  return { overview: overviewOf(found, bands), extras: extrasOf(tenantId, found.study.year, own, classChannels, row.bench), areas: byArea, cx, awards };
}
