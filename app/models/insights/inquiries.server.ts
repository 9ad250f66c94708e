// The company's own inquiries of one study: a filtered, cursor-paged list and one
// inquiry in full. Shoppers appear only as gender, age group and region.

import { and, asc, desc, eq, gte, inArray, lte, sql, type SQL } from "drizzle-orm";
import * as z from "zod";
import { likeContains, type TenantScope, type Tx } from "#db/client.server";
import * as s from "#db/schema";
import { recordTenantAction } from "~/models/admin/audit.server";
import { withinGoalSql } from "./response-times.server";
import { AGE_GROUP_BOUNDS, ageGroupOf, type AgeGroup } from "~/domain/age-group";
import type { InquiryQuery } from "~/domain/inquiry-query";
import type { Band, Channel, Gender, QuestionKind } from "~/domain/types";

/**
 * Filters of the inquiry list; every one optional, all of them ANDed. To add one
 * (age group, answered, area below a threshold, free text, ...) add its field
 * here and its condition in `filterConditions`; the mapped type insists on both.
 */
export interface InquiryFilter {
  channel?: Channel;
  band?: Band;
  shopperGender?: Gender;
  shopperRegion?: string;
  /** inclusive, on the stored total score */
  minScore?: number;
  maxScore?: number;
  ageGroup?: AgeGroup;
  answered?: boolean;
  /** inquiries whose score in area `code` is below `below` */
  areaBelow?: { code: string; below: number };
  /** words in the shopper's comment or the transcript */
  text?: string;
  /**
   * against the company's response-time goal of the inquiry's channel (issue 18): an inquiry
   * on a channel without a goal is neither; unanswered ones are outside (withinGoalSql)
   */
  responseGoal?: "outside" | "within";
}

const filterConditions: { [K in keyof InquiryFilter]-?: (value: NonNullable<InquiryFilter[K]>) => SQL } = {
  channel: (value) => eq(s.inquiries.channel, value),
  band: (value) => eq(s.inquiries.band, value),
  shopperGender: (value) => eq(s.shoppers.gender, value),
  shopperRegion: (value) => sql`lower(${s.shoppers.region}) = lower(${value})`,
  minScore: (value) => gte(s.inquiries.totalScore, value),
  maxScore: (value) => lte(s.inquiries.totalScore, value),
  ageGroup: (value) => {
    const { min, max } = AGE_GROUP_BOUNDS[value];
    return max === null ? gte(s.shoppers.age, min) : and(gte(s.shoppers.age, min), lte(s.shoppers.age, max))!;
  },
  answered: (value) => eq(s.inquiries.answered, value),
  areaBelow: ({ code, below }) => sql`exists (select 1 from ${s.inquiryAreaScores} x join ${s.areas} a on a.id = x.area_id
    where x.tenant_id = ${s.inquiries.tenantId} and x.inquiry_id = ${s.inquiries.id} and a.code = ${code} and x.score < ${below})`,
  text: (value) => sql`(${s.inquiries.comment} ilike ${likeContains(value)} or ${s.inquiries.transcript} ilike ${likeContains(value)})`,
  responseGoal: (value) => sql`exists (select 1 from ${s.responseGoals} g where g.tenant_id = ${s.inquiries.tenantId} and g.channel = ${s.inquiries.channel}
    and ${value === "within" ? sql`` : sql`not`} ${withinGoalSql(s.inquiries.waitSeconds, sql`g.goal_seconds`)})`,
};

function filterWhere(filter: InquiryFilter): SQL[] {
  const conditions: SQL[] = [];
  for (const key of Object.keys(filterConditions) as (keyof InquiryFilter)[]) {
    const value = filter[key];
    if (value !== undefined) conditions.push((filterConditions[key] as (v: typeof value) => SQL)(value));
  }
  return conditions;
}

/** A cursor that is not one this module wrote (or was written for another sort): a 400. */
export class InvalidCursorError extends Error {
  constructor() {
    super("The cursor is not valid. Use meta.cursor of the previous page as it was given.");
    this.name = "InvalidCursorError";
  }
}

// The cursor is the last row's sort key, opaque to callers: base64url of
// ["newest", contacted_at in UTC with microseconds, id]. The sort's name is in it
// so a later sort option refuses a cursor of another order instead of skipping rows.
const SORT = "newest";
const cursorTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const CursorSchema = z.tuple([z.literal(SORT), z.string().regex(cursorTime), z.uuid()]);

function encodeCursor(at: string, id: string): string {
  return Buffer.from(JSON.stringify([SORT, at, id])).toString("base64url");
}

export function decodeCursor(cursor: string): { at: string; id: string } {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) throw new InvalidCursorError();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw new InvalidCursorError();
  }
  const result = CursorSchema.safeParse(parsed);
  // The regex admits month 13; a real date must read back as itself.
  if (!result.success || Number.isNaN(Date.parse(result.data[1])) || !new Date(result.data[1]).toISOString().startsWith(result.data[1].slice(0, 19))) {
    throw new InvalidCursorError();
  }
  return { at: result.data[1], id: result.data[2] };
}

export interface InquiryListItem {
  ref: string;
  channel: Channel;
  contactedAt: Date;
  answered: boolean;
  totalScore: number;
  band: Band;
  shopper: { gender: Gender; ageGroup: AgeGroup; region: string };
}

export interface Page<T> {
  data: T[];
  meta: { cursor: string | null; hasNextPage: boolean };
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

const listColumns = {
  id: s.inquiries.id,
  ref: s.inquiries.ref,
  channel: s.inquiries.channel,
  contactedAt: s.inquiries.contactedAt,
  answered: s.inquiries.answered,
  totalScore: s.inquiries.totalScore,
  band: s.inquiries.band,
  gender: s.shoppers.gender,
  age: s.shoppers.age,
  region: s.shoppers.region,
};

type ListRow = { [K in keyof typeof listColumns]: (typeof listColumns)[K]["_"]["data"] };

const toListItem = (row: ListRow): InquiryListItem => ({
  ref: row.ref,
  channel: row.channel,
  contactedAt: row.contactedAt,
  answered: row.answered,
  totalScore: row.totalScore,
  band: row.band,
  shopper: { gender: row.gender, ageGroup: ageGroupOf(row.age), region: row.region },
});

/**
 * The company's inquiries of a study it may see (resolve `studyId` with
 * findTenantStudy first), newest first with the id as tiebreak, one page at a time.
 */
export async function listInquiries(
  { tx, tenantId }: TenantScope,
  studyId: number,
  filter: InquiryFilter,
  page: { cursor?: string | null; limit?: number } = {},
): Promise<Page<InquiryListItem>> {
  const limit = Math.min(Math.max(Math.trunc(page.limit ?? DEFAULT_PAGE_SIZE), 1), MAX_PAGE_SIZE);
  const after = page.cursor ? decodeCursor(page.cursor) : null;
  const conditions = [eq(s.inquiries.tenantId, tenantId), eq(s.inquiries.studyId, studyId), ...filterWhere(filter)];
  if (after) conditions.push(sql`(${s.inquiries.contactedAt}, ${s.inquiries.id}) < (${after.at}::timestamptz, ${after.id}::uuid)`);

  const rows = await tx
    .select({ ...listColumns, cursorAt: sql<string>`to_char(${s.inquiries.contactedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')` })
    .from(s.inquiries)
    .innerJoin(s.shoppers, eq(s.shoppers.id, s.inquiries.shopperId))
    .where(and(...conditions))
    .orderBy(desc(s.inquiries.contactedAt), desc(s.inquiries.id))
    .limit(limit + 1);

  const hasNextPage = rows.length > limit;
  const shown = rows.slice(0, limit);
  const last = shown.at(-1);
  return { data: shown.map(toListItem), meta: { cursor: hasNextPage && last ? encodeCursor(last.cursorAt, last.id) : null, hasNextPage } };
}

export interface InquiryDetail extends InquiryListItem {
  attempts: number;
  waitSeconds: number | null;
  /** null when the company hides its agents' names */
  agentName: string | null;
  scenario: string;
  comment: string | null;
  transcript: string | null;
  /** every area that can carry a score; score null where this inquiry has none */
  areas: { code: string; name: string; score: number | null }[];
  /** every question; points null where not applicable (the answer itself for unscored kinds) */
  questions: {
    code: string;
    text: string;
    areaCode: string;
    kind: QuestionKind;
    points: number | null;
    maxPoints: number | null;
    /** the class's mean of points / max × 100; null for unscored kinds and when the class is hidden */
    classMean: number | null;
  }[];
}

/** The columns of an inquiry in full, with what its areas, questions and agent name depend on. */
const detailColumns = {
  ...listColumns,
  attempts: s.inquiries.attempts,
  waitSeconds: s.inquiries.waitSeconds,
  agentName: s.inquiries.agentName,
  hideAgentNames: s.participants.hideAgentNames,
  scenario: s.inquiries.scenario,
  comment: s.inquiries.comment,
  transcript: s.inquiries.transcript,
  classId: s.participations.classId,
  classShown: s.benchmarkClass.shown,
};

/** The company's inquiries of the study in full (refs in `refs`; RLS and the tenant condition keep it to its own). */
function detailRows(tx: Tx, tenantId: string, studyId: number, refs: SQL) {
  return tx
    .select(detailColumns)
    .from(s.inquiries)
    .innerJoin(s.shoppers, eq(s.shoppers.id, s.inquiries.shopperId))
    .innerJoin(s.participants, eq(s.participants.id, s.inquiries.tenantId))
    .innerJoin(s.participations, and(eq(s.participations.tenantId, s.inquiries.tenantId), eq(s.participations.studyId, s.inquiries.studyId)))
    .leftJoin(s.benchmarkClass, eq(s.benchmarkClass.classId, s.participations.classId))
    .where(and(eq(s.inquiries.tenantId, tenantId), eq(s.inquiries.studyId, studyId), refs));
}

type DetailRow = Awaited<ReturnType<typeof detailRows>>[number];
type AreaRow = Omit<Awaited<ReturnType<typeof inquiryAreas>>[number], "inquiryId">;
type QuestionRow = Omit<Awaited<ReturnType<typeof inquiryQuestions>>[number], "inquiryId">;

function toDetail(row: DetailRow, areas: AreaRow[], questions: QuestionRow[]): InquiryDetail {
  const classShown = row.classShown ?? false;
  return {
    ...toListItem(row),
    attempts: row.attempts,
    waitSeconds: row.waitSeconds,
    agentName: row.hideAgentNames ? null : row.agentName,
    scenario: row.scenario,
    comment: row.comment,
    transcript: row.transcript,
    areas,
    questions: questions.map((q) => ({ ...q, classMean: classShown && q.kind === "points" ? (q.classMean ?? null) : null })),
  };
}

/** One inquiry with every area and question result; null when the company has no such ref in that study. */
export async function getInquiry({ tx, tenantId }: TenantScope, studyId: number, ref: string): Promise<InquiryDetail | null> {
  const rows = await detailRows(tx, tenantId, studyId, eq(s.inquiries.ref, ref));
  const [detail] = await inFull(tx, tenantId, studyId, rows);
  return detail ?? null;
}

/**
 * Many inquiries in full, as getInquiry reads each, in three statements whatever their number
 * (a coaching pack, a company report): in the order of `refs`, leaving out refs the company
 * does not have.
 */
export async function getInquiries({ tx, tenantId }: TenantScope, studyId: number, refs: readonly string[]): Promise<InquiryDetail[]> {
  if (refs.length === 0) return [];
  const rows = await detailRows(tx, tenantId, studyId, inArray(s.inquiries.ref, [...refs]));
  const details = new Map((await inFull(tx, tenantId, studyId, rows)).map((detail) => [detail.ref, detail]));
  return refs.flatMap((ref) => details.get(ref) ?? []);
}

/** The rows with their areas and questions, read for all of them at once (two statements, sent together). */
async function inFull(tx: Tx, tenantId: string, studyId: number, rows: DetailRow[]): Promise<InquiryDetail[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  // One company, one study: one class.
  const [areas, questions] = await Promise.all([inquiryAreas(tx, tenantId, studyId, ids), inquiryQuestions(tx, tenantId, studyId, ids, rows[0]!.classId)]);
  const areasOf = byInquiry(areas);
  const questionsOf = byInquiry(questions);
  return rows.map((row) => toDetail(row, areasOf.get(row.id) ?? [], questionsOf.get(row.id) ?? []));
}

/** Rows of several inquiries, grouped by their inquiry (without its id), each group in the rows' order. */
function byInquiry<T extends { inquiryId: string }>(list: T[]): Map<string, Omit<T, "inquiryId">[]> {
  const grouped = new Map<string, Omit<T, "inquiryId">[]>();
  for (const { inquiryId, ...rest } of list) {
    let own = grouped.get(inquiryId);
    if (!own) grouped.set(inquiryId, (own = []));
    own.push(rest);
  }
  return grouped;
}

// The areas and questions of the given inquiries (of one company, one study), each row with
// its inquiry's id, in the inquiry page's order (byInquiry keeps it within each inquiry).
const inquiryAreas = (tx: Tx, tenantId: string, studyId: number, inquiryIds: string[]) =>
  tx
    .select({ inquiryId: s.inquiries.id, code: s.areas.code, name: s.areas.name, score: s.inquiryAreaScores.score })
    .from(s.areas)
    .innerJoin(s.inquiries, and(eq(s.inquiries.tenantId, tenantId), eq(s.inquiries.studyId, s.areas.studyId), inArray(s.inquiries.id, inquiryIds)))
    .leftJoin(
      s.inquiryAreaScores,
      and(eq(s.inquiryAreaScores.tenantId, tenantId), eq(s.inquiryAreaScores.inquiryId, s.inquiries.id), eq(s.inquiryAreaScores.areaId, s.areas.id)),
    )
    .where(
      and(
        eq(s.areas.studyId, studyId),
        sql`exists (select 1 from ${s.questions} where ${s.questions.areaId} = ${s.areas.id} and ${s.questions.kind} = 'points')`,
      ),
    )
    .orderBy(asc(s.areas.position));

const inquiryQuestions = (tx: Tx, tenantId: string, studyId: number, inquiryIds: string[], classId: number) =>
  tx
    .select({
      inquiryId: s.inquiries.id,
      code: s.questions.code,
      text: s.questions.text,
      areaCode: s.areas.code,
      kind: s.questions.kind,
      points: s.answers.value,
      maxPoints: s.questions.maxPoints,
      classMean: s.benchmarkClassQuestion.mean,
    })
    .from(s.questions)
    .innerJoin(s.areas, eq(s.areas.id, s.questions.areaId))
    .innerJoin(s.inquiries, and(eq(s.inquiries.tenantId, tenantId), eq(s.inquiries.studyId, s.questions.studyId), inArray(s.inquiries.id, inquiryIds)))
    .leftJoin(s.answers, and(eq(s.answers.tenantId, tenantId), eq(s.answers.inquiryId, s.inquiries.id), eq(s.answers.questionId, s.questions.id)))
    .leftJoin(s.benchmarkClassQuestion, and(eq(s.benchmarkClassQuestion.questionId, s.questions.id), eq(s.benchmarkClassQuestion.classId, classId)))
    .where(eq(s.questions.studyId, studyId))
    .orderBy(asc(s.areas.position), asc(s.questions.position));

// ---------------------------------------------------------------------------------------
// The inquiry list page: numbered pages, a choice of order, and an inquiry's neighbours
// in the same filter and order (previous / next on the inquiry page).

export const INQUIRY_SORTS = ["newest", "oldest", "score-asc", "score-desc"] as const;
export type InquirySort = (typeof INQUIRY_SORTS)[number];
export const LIST_PAGE_SIZE = 25;

function orderOf(sort: InquirySort) {
  switch (sort) {
    case "oldest":
      return [asc(s.inquiries.contactedAt), asc(s.inquiries.ref)];
    case "score-asc":
      return [asc(s.inquiries.totalScore), asc(s.inquiries.ref)];
    case "score-desc":
      return [desc(s.inquiries.totalScore), asc(s.inquiries.ref)];
    default:
      return [desc(s.inquiries.contactedAt), desc(s.inquiries.ref)];
  }
}

export interface InquiryListRow extends InquiryListItem {
  agentName: string | null;
  excerpt: string | null;
}

export async function listInquiryPage(
  { tx, tenantId }: TenantScope,
  studyId: number,
  filter: InquiryFilter,
  sort: InquirySort,
  page: number,
): Promise<{ rows: InquiryListRow[]; total: number; page: number; pages: number }> {
  const where = and(eq(s.inquiries.tenantId, tenantId), eq(s.inquiries.studyId, studyId), ...filterWhere(filter));
  const rowsOf = (p: number) =>
    tx
      .select({ ...listColumns, agentName: s.inquiries.agentName, hide: s.participants.hideAgentNames, comment: sql<string | null>`left(${s.inquiries.comment}, 160)` })
      .from(s.inquiries)
      .innerJoin(s.shoppers, eq(s.shoppers.id, s.inquiries.shopperId))
      .innerJoin(s.participants, eq(s.participants.id, s.inquiries.tenantId))
      .where(where)
      .orderBy(...orderOf(sort))
      .limit(LIST_PAGE_SIZE)
      .offset((p - 1) * LIST_PAGE_SIZE);
  // The count and the asked-for page together; a page past the end is read again as the last one.
  const asked = Math.max(1, page);
  const [[{ total } = { total: 0 }], askedRows] = await Promise.all([
    tx
      .select({ total: sql<number>`count(*)::int` })
      .from(s.inquiries)
      .innerJoin(s.shoppers, eq(s.shoppers.id, s.inquiries.shopperId))
      .where(where),
    rowsOf(asked),
  ]);
  const pages = Math.max(1, Math.ceil(total / LIST_PAGE_SIZE));
  const current = Math.min(asked, pages);
  const rows = current === asked ? askedRows : await rowsOf(current);
  return {
    rows: rows.map((r) => ({ ...toListItem(r), agentName: r.hide ? null : r.agentName, excerpt: r.comment })),
    total,
    page: current,
    pages,
  };
}

/** Where `ref` stands in the filtered, ordered list, and the refs before and after it. */
export async function inquiryNeighbours(
  { tx, tenantId }: TenantScope,
  studyId: number,
  filter: InquiryFilter,
  sort: InquirySort,
  ref: string,
): Promise<{ position: number; total: number; prev: string | null; next: string | null } | null> {
  const refs = await listAllInquiryRefs({ tx, tenantId }, studyId, filter, sort);
  const index = refs.indexOf(ref);
  if (index < 0) return null;
  return { position: index + 1, total: refs.length, prev: refs[index - 1] ?? null, next: refs[index + 1] ?? null };
}

/** The refs of every inquiry in the filter, in the list's order; at most `limit` when given. */
export async function listAllInquiryRefs(
  { tx, tenantId }: TenantScope,
  studyId: number,
  filter: InquiryFilter,
  sort: InquirySort,
  limit?: number,
): Promise<string[]> {
  const query = tx
    .select({ ref: s.inquiries.ref })
    .from(s.inquiries)
    .innerJoin(s.shoppers, eq(s.shoppers.id, s.inquiries.shopperId))
    .where(and(eq(s.inquiries.tenantId, tenantId), eq(s.inquiries.studyId, studyId), ...filterWhere(filter)))
    .orderBy(...orderOf(sort));
  const rows = await (limit === undefined ? query : query.limit(limit));
  return rows.map((r) => r.ref);
}

/** What the filter form offers: the study's scored areas and the counties of the company's shoppers. */
export async function inquiryFilterOptions({ tx, tenantId }: TenantScope, studyId: number) {
  const [areas, regions] = await Promise.all([
    tx
      .select({ code: s.areas.code, name: s.areas.name })
      .from(s.areas)
      .where(and(eq(s.areas.studyId, studyId), sql`exists (select 1 from ${s.questions} where ${s.questions.areaId} = ${s.areas.id} and ${s.questions.kind} = 'points')`))
      .orderBy(asc(s.areas.position)),
    tx
      .selectDistinct({ region: s.shoppers.region })
      .from(s.inquiries)
      .innerJoin(s.shoppers, eq(s.shoppers.id, s.inquiries.shopperId))
      .where(and(eq(s.inquiries.tenantId, tenantId), eq(s.inquiries.studyId, studyId)))
      .orderBy(asc(s.shoppers.region)),
  ]);
  return { areas, regions: regions.map((r) => r.region) };
}

/** The page's URL query as a model filter. */
export function filterFromQuery(q: Omit<InquiryQuery, "study" | "sort" | "page">): InquiryFilter {
  return {
    channel: q.channel,
    band: q.band,
    shopperGender: q.gender,
    ageGroup: q.age,
    shopperRegion: q.region,
    answered: q.answered === undefined ? undefined : q.answered === "yes",
    areaBelow: q.area !== undefined && q.below !== undefined ? { code: q.area, below: q.below } : undefined,
    minScore: q.min,
    maxScore: q.max,
    text: q.q,
    responseGoal: q.goal,
  };
}

/** Whether the company hides its agents' first names (then no page or pack shows them). */
export async function hidesAgentNames({ tx, tenantId }: TenantScope): Promise<boolean> {
  const [row] = await tx.select({ hide: s.participants.hideAgentNames }).from(s.participants).where(eq(s.participants.id, tenantId));
  return row?.hide ?? false;
}

/** A manager's choice to hide or show the agents' first names, recorded in the company's audit log. */
export async function setHideAgentNames({ tx, tenantId }: TenantScope, input: { hide: boolean; actorUserId: string }): Promise<void> {
  await tx.update(s.participants).set({ hideAgentNames: input.hide }).where(eq(s.participants.id, tenantId));
  await recordTenantAction(tx, tenantId, input.actorUserId, { action: "privacy.agent_names", details: { hidden: input.hide } });
}
