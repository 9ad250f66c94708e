// A company's figures for one published study (spec/scoring.md): its own inquiries
// (RLS keeps them its own) against the frozen benchmark tables, never another
// company's rows. Numbers keep their stored precision; the API and pages round.

import { and, asc, desc, eq, exists, inArray, sql, type SQL } from "drizzle-orm";
import type { TenantScope } from "#db/client.server";
import * as s from "#db/schema";
import { cxFigures, type CxKind } from "~/domain/scoring";
import { iqr } from "~/domain/statistics";
import { CHANNELS, type Channel } from "~/domain/types";
import { bandsOf, type BandCounts } from "./overview.server";

export type { BandCounts };

/**
 * A study the company took part in and may see: in review (its own figures only, marked
 * preliminary) or published. What every figure function starts from.
 */
export interface TenantStudy {
  studyId: number;
  year: number;
  name: string;
  status: VisibleStatus;
  /** the review deadline; null for a published study */
  reviewUntil: Date | null;
  classId: number;
  classCode: string;
  className: string;
}

/** The states in which a company sees a study (spec/season.md): never a draft. */
export type VisibleStatus = "review" | "published";
export const VISIBLE_STATUSES: VisibleStatus[] = ["review", "published"];

/** Class, study and ranking figures exist for a company only once the study is published. */
export const classFiguresVisible = (study: { status: string }) => study.status === "published";

/** aggregate → JS number; SQL numeric arrives as a string on both drivers. */
const number = (expression: SQL) => sql<number>`${expression}`.mapWith(Number);
/** the same for an aggregate over possibly no rows */
const numberOrNull = (expression: SQL) => sql<number | null>`${expression}`.mapWith(Number);

const tenantStudyColumns = {
  studyId: s.studies.id,
  year: s.studies.year,
  name: s.studies.name,
  status: sql<VisibleStatus>`${s.studies.status}`,
  reviewUntil: sql<Date | null>`case when ${s.studies.status} = 'review' then ${s.studies.reviewUntil} end`.mapWith(s.studies.reviewUntil),
  classId: s.classes.id,
  classCode: s.classes.code,
  className: s.classes.name,
};

/** The studies the company took part in and may see (review or published), newest first, with its class in each. */
export async function listTenantStudies({ tx, tenantId }: TenantScope): Promise<TenantStudy[]> {
  return tx
    .select(tenantStudyColumns)
    .from(s.participations)
    .innerJoin(s.studies, eq(s.studies.id, s.participations.studyId))
    .innerJoin(s.classes, eq(s.classes.id, s.participations.classId))
    .where(and(eq(s.participations.tenantId, tenantId), inArray(s.studies.status, VISIBLE_STATUSES)))
    .orderBy(desc(s.studies.year));
}

/** The study of `year` if the company took part and may see it (review or published); null otherwise (→ 404). */
export async function findTenantStudy({ tx, tenantId }: TenantScope, year: number): Promise<TenantStudy | null> {
  const [row] = await tx
    .select(tenantStudyColumns)
    .from(s.participations)
    .innerJoin(s.studies, eq(s.studies.id, s.participations.studyId))
    .innerJoin(s.classes, eq(s.classes.id, s.participations.classId))
    .where(and(eq(s.participations.tenantId, tenantId), eq(s.studies.year, year), inArray(s.studies.status, VISIBLE_STATUSES)));
  return row ?? null;
}

export interface ChannelFigures {
  inquiries: number;
  score: number;
  stdDev: number;
}

export interface AreaFigures {
  code: string;
  name: string;
  /** null when none of the company's inquiries has a score in the area */
  score: number | null;
  /** null when the class is hidden by the anonymity rule (< 3 participants) */
  classMean: number | null;
  classBest: number | null;
}

export interface ClassFigures {
  code: string;
  name: string;
  participants: number;
  /** mean, best and rank are null when the class has fewer than 3 participants */
  mean: number | null;
  best: number | null;
  rank: number | null;
}

export interface Summary {
  year: number;
  /** `review`: the company's own figures are preliminary and nothing of the class is shown */
  status: VisibleStatus;
  participantCode: string;
  /** null only for a participation without inquiries */
  totalScore: number | null;
  answerRate: number | null;
  inquiries: number;
  bands: BandCounts;
  byChannel: Partial<Record<Channel, ChannelFigures>>;
  byArea: AreaFigures[];
  variance: { stdDev: number | null; iqr: number | null; min: number | null; max: number | null };
  cx: { nps: number | null; csat: number | null; ces: number | null };
  /** null while the study is in review (spec/season.md) */
  class: ClassFigures | null;
}

const bandSelection = {
  perfect: sql<number>`count(*) filter (where ${s.inquiries.band} = 'perfect')::int`,
  high: sql<number>`count(*) filter (where ${s.inquiries.band} = 'high')::int`,
  mid: sql<number>`count(*) filter (where ${s.inquiries.band} = 'mid')::int`,
  low: sql<number>`count(*) filter (where ${s.inquiries.band} = 'low')::int`,
};

/** An area can have a score only if it holds a scored question (the CX area cannot). */
const scoredArea = exists(
  sql`(select 1 from ${s.questions} where ${s.questions.areaId} = ${s.areas.id} and ${s.questions.kind} = 'points')`,
);

/** The class's published figures and the company's own rank; hidden below 3 participants and before publication. */
async function classFigures({ tx, tenantId }: TenantScope, study: TenantStudy) {
  if (!classFiguresVisible(study)) return { shown: false, participants: 0, mean: null, best: null, rank: null, bands: null };
  const [row] = await tx
    .select({ bench: s.benchmarkClass, rank: s.benchmarkRanking.rank })
    .from(s.benchmarkClass)
    .leftJoin(s.benchmarkRanking, and(eq(s.benchmarkRanking.studyId, study.studyId), eq(s.benchmarkRanking.participantId, tenantId)))
    .where(eq(s.benchmarkClass.classId, study.classId));
  const shown = row?.bench.shown ?? false;
  return {
    shown,
    participants: row?.bench.participants ?? 0,
    mean: shown ? (row?.bench.mean ?? null) : null,
    best: shown ? (row?.bench.best ?? null) : null,
    rank: shown ? (row?.rank ?? null) : null,
    bands: shown && row ? bandsOf(row.bench) : null,
  };
}

/**
 * The company's figures of one published study (the API's `summary`); null when it
 * did not take part or the study is unpublished.
 */
export async function getSummary(scope: TenantScope, year: number): Promise<Summary | null> {
  const { tx, tenantId } = scope;
  const study = await findTenantStudy(scope, year);
  if (!study) return null;
  const own = and(eq(s.inquiries.tenantId, tenantId), eq(s.inquiries.studyId, study.studyId));

  // Independent reads of one study: sent together (one wait on PostgreSQL instead of seven).
  const [[participation], [overall], channelRows, scores, klass, areaRows, cx] = await Promise.all([
    tx
      .select({
        code: s.participants.code,
        totalScore: s.participations.totalScore,
        inquiries: s.participations.inquiryCount,
        answered: s.participations.answeredCount,
      })
      .from(s.participations)
      .innerJoin(s.participants, eq(s.participants.id, s.participations.tenantId))
      .where(and(eq(s.participations.tenantId, tenantId), eq(s.participations.studyId, study.studyId))),
    tx
      .select({
        ...bandSelection,
        stdDev: numberOrNull(sql`stddev_pop(${s.inquiries.totalScore})`),
        min: numberOrNull(sql`min(${s.inquiries.totalScore})`),
        max: numberOrNull(sql`max(${s.inquiries.totalScore})`),
      })
      .from(s.inquiries)
      .where(own),
    tx
      .select({
        channel: s.inquiries.channel,
        inquiries: sql<number>`count(*)::int`,
        score: number(sql`avg(${s.inquiries.totalScore})`),
        stdDev: number(sql`stddev_pop(${s.inquiries.totalScore})`),
      })
      .from(s.inquiries)
      .where(own)
      .groupBy(s.inquiries.channel),
    // PostgreSQL's percentile_cont works in floating point; the domain's quartiles are
    // exact over the stored decimals (QUARTILE.INC), so the IQR is taken there.
    tx.select({ score: s.inquiries.totalScore }).from(s.inquiries).where(own),
    classFigures(scope, study),
    areaRowsOf(scope, study.studyId, study.classId),
    cxOf(scope, study.studyId),
  ]);
  if (!participation) return null;
  const byChannel: Summary["byChannel"] = {};
  for (const channel of CHANNELS) {
    const row = channelRows.find((r) => r.channel === channel);
    if (row) byChannel[channel] = { inquiries: row.inquiries, score: row.score, stdDev: row.stdDev };
  }

  return {
    year: study.year,
    status: study.status,
    participantCode: participation.code,
    totalScore: participation.inquiries ? participation.totalScore : null,
    answerRate: participation.inquiries ? participation.answered / participation.inquiries : null,
    inquiries: participation.inquiries,
    bands: { perfect: overall?.perfect ?? 0, high: overall?.high ?? 0, mid: overall?.mid ?? 0, low: overall?.low ?? 0 },
    byChannel,
    byArea: areaFiguresOf(areaRows, klass.shown),
    variance: {
      stdDev: overall?.stdDev ?? null,
      iqr: iqr(scores.map((r) => r.score)),
      min: overall?.min ?? null,
      max: overall?.max ?? null,
    },
    cx,
    class: classFiguresVisible(study)
      ? { code: study.classCode, name: study.className, participants: klass.participants, mean: klass.mean, best: klass.best, rank: klass.rank }
      : null,
  };
}

type AreaRow = Awaited<ReturnType<typeof areaRowsOf>>[number];

/** The company's mean per scored area of one study beside the class's published mean and best. */
function areaRowsOf({ tx, tenantId }: TenantScope, studyId: number, classId: number) {
  const areaScores = tx
    .select({
      areaId: s.inquiryAreaScores.areaId,
      score: sql<string>`avg(${s.inquiryAreaScores.score})`.as("score"),
    })
    .from(s.inquiryAreaScores)
    .innerJoin(s.inquiries, and(eq(s.inquiries.tenantId, s.inquiryAreaScores.tenantId), eq(s.inquiries.id, s.inquiryAreaScores.inquiryId)))
    .where(and(eq(s.inquiryAreaScores.tenantId, tenantId), eq(s.inquiries.tenantId, tenantId), eq(s.inquiries.studyId, studyId)))
    .groupBy(s.inquiryAreaScores.areaId)
    .as("own_area");
  return tx
    .select({
      code: s.areas.code,
      name: s.areas.name,
      score: areaScores.score,
      classMean: s.benchmarkClassArea.mean,
      classBest: s.benchmarkClassArea.best,
    })
    .from(s.areas)
    .leftJoin(areaScores, eq(areaScores.areaId, s.areas.id))
    .leftJoin(s.benchmarkClassArea, and(eq(s.benchmarkClassArea.areaId, s.areas.id), eq(s.benchmarkClassArea.classId, classId)))
    .where(and(eq(s.areas.studyId, studyId), scoredArea))
    .orderBy(asc(s.areas.position));
}

/** Area figures as shown: the class's columns only where the class is shown (anonymity). */
const areaFiguresOf = (rows: AreaRow[], classShown: boolean): AreaFigures[] =>
  rows.map((r) => ({
    code: r.code,
    name: r.name,
    score: r.score === null ? null : Number(r.score),
    classMean: classShown ? (r.classMean ?? null) : null,
    classBest: classShown ? (r.classBest ?? null) : null,
  }));

/** NPS, CSAT and CES of the company's answers in one study. */
async function cxOf({ tx, tenantId }: TenantScope, studyId: number): Promise<Summary["cx"]> {
  const cxRows = await tx
    .select({ kind: s.questions.kind, value: s.answers.value, n: sql<number>`count(*)::int` })
    .from(s.answers)
    .innerJoin(s.inquiries, and(eq(s.inquiries.tenantId, s.answers.tenantId), eq(s.inquiries.id, s.answers.inquiryId)))
    .innerJoin(s.questions, eq(s.questions.id, s.answers.questionId))
    .where(and(eq(s.answers.tenantId, tenantId), eq(s.inquiries.tenantId, tenantId), eq(s.inquiries.studyId, studyId), sql`${s.questions.kind} in ('nps', 'csat', 'ces')`))
    .groupBy(s.questions.kind, s.answers.value);
  const cx = (kind: CxKind) => cxFigures(kind, cxRows.filter((r) => r.kind === kind).flatMap((r) => Array<number>(r.n).fill(r.value)));
  return { nps: cx("nps"), csat: cx("csat"), ces: cx("ces") };
}

/**
 * What the overview page shows of the summary (areas against the class, CX figures), for a
 * study and class it has already read: two statements instead of the summary's eight.
 */
export async function getAreasAndCx(scope: TenantScope, study: { studyId: number; classId: number; classShown: boolean }) {
  const [areaRows, cx] = await Promise.all([areaRowsOf(scope, study.studyId, study.classId), cxOf(scope, study.studyId)]);
  return { byArea: areaFiguresOf(areaRows, study.classShown), cx };
}

export interface Benchmark {
  year: number;
  all: {
    participants: number;
    inquiries: number;
    /** null when fewer than 3 companies took part */
    mean: number | null;
    bands: BandCounts | null;
    /** only channels on which the study made inquiries; mean and bands null below 3 companies on the channel */
    byChannel: Partial<Record<Channel, { inquiries: number; mean: number | null; bands: BandCounts | null }>>;
  };
  class: {
    code: string;
    participants: number;
    /** mean, best, rank and bands are null when the class has fewer than 3 participants */
    mean: number | null;
    best: number | null;
    rank: number | null;
    bands: BandCounts | null;
  };
  /** the company's class as published; null when the class is hidden (< 3 participants) */
  ranking: { rank: number; participantName: string; totalScore: number }[] | null;
}

/**
 * The whole-study and class comparison of one published study (the API's
 * `benchmark`), from the frozen benchmark tables only; null as for getSummary and,
 * in review, "review" (there are no class or study figures before publication).
 */
export async function getBenchmark(scope: TenantScope, year: number): Promise<Benchmark | "review" | null> {
  const { tx } = scope;
  const study = await findTenantStudy(scope, year);
  if (!study) return null;
  if (!classFiguresVisible(study)) return "review";

  const [all] = await tx.select().from(s.benchmarkStudy).where(eq(s.benchmarkStudy.studyId, study.studyId));
  if (!all) return null;
  const channelRows = await tx.select().from(s.benchmarkChannel).where(eq(s.benchmarkChannel.studyId, study.studyId));
  const byChannel: Benchmark["all"]["byChannel"] = {};
  for (const channel of CHANNELS) {
    const row = channelRows.find((r) => r.channel === channel);
    if (row && row.inquiries > 0) byChannel[channel] = { inquiries: row.inquiries, mean: row.mean, bands: bandsOf(row) };
  }

  const klass = await classFigures(scope, study);
  const ranking = klass.shown
    ? await tx
        .select({ rank: s.benchmarkRanking.rank, participantName: s.benchmarkRanking.participantName, totalScore: s.benchmarkRanking.totalScore })
        .from(s.benchmarkRanking)
        .where(and(eq(s.benchmarkRanking.studyId, study.studyId), eq(s.benchmarkRanking.classId, study.classId)))
        .orderBy(asc(s.benchmarkRanking.rank), asc(s.benchmarkRanking.participantName))
    : null;

  return {
    year: study.year,
    all: { participants: all.participants, inquiries: all.inquiries, mean: all.mean, bands: bandsOf(all), byChannel },
    class: { code: study.classCode, participants: klass.participants, mean: klass.mean, best: klass.best, rank: klass.rank, bands: klass.bands },
    ranking,
  };
}
