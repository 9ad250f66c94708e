import { and, asc, desc, eq, inArray, isNull, lte, sql, type SQL } from "drizzle-orm";
import { resultRows, type Db, type Executor, type TenantScope } from "#db/client.server";
import * as s from "#db/schema";
import { formatScore, type Locale } from "~/domain/format";
import { canRaiseQuery, type QueryState } from "~/domain/query-rules";
import type { TenantRole } from "~/domain/types";
import { env } from "~/env.server";
import { isLocale, translate } from "~/i18n/i18n";
import { enqueueEmail } from "~/mail/outbox.server";
import { recordStaffAction, recordTenantAction } from "~/models/admin/audit.server";
import { VISIBLE_STATUSES } from "~/models/insights/insights.server";
import { correctInquiry } from "./import.server";
import { sendReportJobs } from "~/models/reports/company-reports.server";
import { reviewIsOpen } from "./season.server";

// Queries (spec/season.md): in the review window a manager or team lead disputes a result of
// one of the company's inquiries, on the inquiry or on one question, with a reason; staff
// answer accepted / partly accepted / rejected with a note, and an accepted change of points
// is applied as a correction (import history + the one scoring engine). Raising runs in the
// company's tenant scope (RLS: its own inquiries only; only the raising columns are granted);
// answering on the owner path.

export { QUERY_STATES, type QueryState } from "~/domain/query-rules";
export type QueryAnswer = Exclude<QueryState, "open">;
export { canRaiseQuery, REASON_MAX } from "~/domain/query-rules";

export class QueryError extends Error {
  constructor(
    public readonly code: "closed" | "no-inquiry" | "no-question" | "already-open" | "not-open" | "forbidden" | "no-query",
    message: string,
  ) {
    super(message);
  }
}

/** Raises a query; refused after the deadline (closed), on another company's inquiry (no-inquiry, as if absent). */
export async function raiseQuery(
  { tx, tenantId }: TenantScope,
  input: { year: number; ref: string; questionCode: string | null; reason: string; userId: string; role: TenantRole },
  now = new Date(),
): Promise<{ id: string }> {
  if (!canRaiseQuery(input.role)) throw new QueryError("forbidden", "Only a manager or team lead can raise a query.");
  const [study] = await tx.select().from(s.studies).where(eq(s.studies.year, input.year));
  if (!study) throw new QueryError("no-inquiry", "No such study.");
  const [inquiry] = await tx
    .select({ channel: s.inquiries.channel })
    .from(s.inquiries)
    .where(and(eq(s.inquiries.tenantId, tenantId), eq(s.inquiries.studyId, study.id), eq(s.inquiries.ref, input.ref)));
  if (!inquiry) throw new QueryError("no-inquiry", "No such inquiry.");
  if (!reviewIsOpen(study, now)) throw new QueryError("closed", "The review window is closed.");
  if (input.questionCode !== null) {
    const [question] = await tx
      .select({ channels: s.questions.channels })
      .from(s.questions)
      .where(and(eq(s.questions.studyId, study.id), eq(s.questions.code, input.questionCode)));
    if (!question || (question.channels && !question.channels.includes(inquiry.channel))) throw new QueryError("no-question", "No such question on this inquiry.");
  }
  const reason = input.reason.trim();
  // One open query per inquiry and question: the partial unique index decides under concurrency.
  // Only these columns are granted to the tenant role (the rest keep their defaults), so the
  // statement names them alone.
  const rows = resultRows<{ id: string }>(
    await tx.execute(sql`
      insert into inquiry_queries (tenant_id, study_id, inquiry_ref, question_code, raised_by, reason)
      values (${tenantId}, ${study.id}, ${input.ref}, ${input.questionCode}, ${input.userId}, ${reason})
      on conflict do nothing returning id`),
  );
  const row = rows[0];
  if (!row) throw new QueryError("already-open", "There is already an open query on this inquiry and question.");
  await recordTenantAction(tx, tenantId, input.userId, { action: "query.raise", details: { queryId: row.id, year: study.year, ref: input.ref, questionCode: input.questionCode } });
  return row;
}

/** The study of `year` if the company takes part in it and it is in review or published. */
export async function seasonStudyOf({ tx, tenantId }: TenantScope, year: number) {
  const [study] = await tx
    .select({ id: s.studies.id, year: s.studies.year, status: s.studies.status, reviewUntil: s.studies.reviewUntil })
    .from(s.studies)
    .innerJoin(s.participations, and(eq(s.participations.studyId, s.studies.id), eq(s.participations.tenantId, tenantId)))
    .where(and(eq(s.studies.year, year), inArray(s.studies.status, VISIBLE_STATUSES)));
  return study ?? null;
}

export interface QueryView {
  id: string;
  inquiryRef: string;
  questionCode: string | null;
  state: QueryState;
  reason: string;
  answer: string | null;
  raisedAt: Date;
  answeredAt: Date | null;
  raisedByName: string | null;
}

/** What both sides see of a query (the staff page adds who, which company and the correction). */
export const queryColumns = {
  id: s.inquiryQueries.id,
  inquiryRef: s.inquiryQueries.inquiryRef,
  questionCode: s.inquiryQueries.questionCode,
  state: s.inquiryQueries.state,
  reason: s.inquiryQueries.reason,
  answer: s.inquiryQueries.answer,
  raisedAt: s.inquiryQueries.raisedAt,
  answeredAt: s.inquiryQueries.answeredAt,
};

/** What staff see of a query besides: its company (code, and name in the study) and its correction. */
export const staffQueryColumns = {
  ...queryColumns,
  tenantId: s.inquiryQueries.tenantId,
  companyCode: s.participants.code,
  companyName: s.participations.displayName,
  correctionBatchId: s.inquiryQueries.correctionBatchId,
};

/** Join conditions of a query's company and of its participation in the study (for staffQueryColumns). */
export const queryCompanyJoin = eq(s.participants.id, s.inquiryQueries.tenantId);
export const queryParticipationJoin = and(eq(s.participations.tenantId, s.inquiryQueries.tenantId), eq(s.participations.studyId, s.inquiryQueries.studyId));

/** The company's queries of a study (one inquiry's with `ref`), newest first. */
export async function listCompanyQueries({ tx, tenantId }: TenantScope, input: { year: number; ref?: string }): Promise<QueryView[]> {
  return tx
    .select({ ...queryColumns, raisedByName: s.users.name })
    .from(s.inquiryQueries)
    .innerJoin(s.studies, eq(s.studies.id, s.inquiryQueries.studyId))
    .leftJoin(s.users, eq(s.users.id, s.inquiryQueries.raisedBy))
    .where(and(eq(s.inquiryQueries.tenantId, tenantId), eq(s.studies.year, input.year), input.ref === undefined ? undefined : eq(s.inquiryQueries.inquiryRef, input.ref)))
    .orderBy(desc(s.inquiryQueries.raisedAt), asc(s.inquiryQueries.id));
}

export interface QueueFilter {
  state?: QueryState;
  company?: string;
  classCode?: string;
  /** raised at least this many days ago */
  olderThanDays?: number;
}

/** Staff: a study's queries with their company and class, oldest open first. */
export async function listQueryQueue(db: Db | Executor, studyId: number, filter: QueueFilter = {}, now = new Date()) {
  const where: (SQL | undefined)[] = [eq(s.inquiryQueries.studyId, studyId)];
  if (filter.state) where.push(eq(s.inquiryQueries.state, filter.state));
  if (filter.company) where.push(eq(s.participants.code, filter.company));
  if (filter.classCode) where.push(eq(s.classes.code, filter.classCode));
  if (filter.olderThanDays !== undefined) where.push(lte(s.inquiryQueries.raisedAt, new Date(now.getTime() - filter.olderThanDays * 86_400_000)));
  return db
    .select({ ...staffQueryColumns, className: s.classes.name, classCode: s.classes.code })
    .from(s.inquiryQueries)
    .innerJoin(s.participants, queryCompanyJoin)
    .innerJoin(s.participations, queryParticipationJoin)
    .innerJoin(s.classes, eq(s.classes.id, s.participations.classId))
    .where(and(...where))
    .orderBy(sql`${s.inquiryQueries.state} <> 'open'`, asc(s.inquiryQueries.raisedAt));
}

/** Staff: how many queries of a study are in each state. */
export async function queryCounts(db: Db | Executor, studyId: number): Promise<Record<QueryState, number>> {
  const rows = await db
    .select({ state: s.inquiryQueries.state, n: sql<number>`count(*)::int` })
    .from(s.inquiryQueries)
    .where(eq(s.inquiryQueries.studyId, studyId))
    .groupBy(s.inquiryQueries.state);
  const counts: Record<QueryState, number> = { open: 0, accepted: 0, partly_accepted: 0, rejected: 0 };
  for (const row of rows) counts[row.state] = row.n;
  return counts;
}

/**
 * Staff answer an open query. With `changes` (accepted or partly accepted), the points are
 * corrected in the same transaction (a new import-history version naming the query). The
 * raiser is mailed the answer in their language.
 */
export async function answerQuery(
  db: Db,
  input: { queryId: string; state: QueryAnswer; answer: string; changes?: Record<string, number>; userId: string },
  now = new Date(),
): Promise<{ correction: { batchId: number; before: number; after: number } | null }> {
  const answered = await db.transaction(async (tx) => {
    const [query] = await tx.select().from(s.inquiryQueries).where(eq(s.inquiryQueries.id, input.queryId)).for("update");
    if (!query) throw new QueryError("no-query", "No such query.");
    if (query.state !== "open") throw new QueryError("not-open", "The query has already been answered.");
    const changes = input.changes && Object.keys(input.changes).length > 0 ? input.changes : null;
    if (changes && input.state === "rejected") throw new QueryError("not-open", "A rejected query changes no points.");
    const correction = changes
      ? await correctInquiry(tx, { studyId: query.studyId, ref: query.inquiryRef, changes, userId: input.userId, queryId: query.id, label: `Spørsmål/query ${query.id.slice(0, 8)} (${query.inquiryRef})` })
      : null;
    await tx
      .update(s.inquiryQueries)
      .set({ state: input.state, answer: input.answer.trim(), answeredBy: input.userId, answeredAt: now, correctionBatchId: correction?.batchId ?? null })
      .where(and(eq(s.inquiryQueries.tenantId, query.tenantId), eq(s.inquiryQueries.id, query.id)));
    const details = { queryId: query.id, ref: query.inquiryRef, state: input.state, batchId: correction?.batchId ?? null };
    await recordStaffAction(tx, { actorUserId: input.userId, action: "query.answer", studyId: query.studyId, participantId: query.tenantId, details });
    await recordTenantAction(tx, query.tenantId, input.userId, { action: "query.answer", details });
    await mailRaiser(tx, query, input.state, input.answer.trim(), correction);
    return { correction, studyId: query.studyId, tenantId: query.tenantId };
  });
  // A correction re-queued the study's stored reports: the corrected company's go first.
  if (answered.correction) await sendReportJobs(db, { studyId: answered.studyId, first: [answered.tenantId] });
  return { correction: answered.correction };
}

async function mailRaiser(
  tx: Executor,
  query: typeof s.inquiryQueries.$inferSelect,
  state: QueryAnswer,
  answer: string,
  correction: { before: number; after: number } | null,
): Promise<void> {
  if (!query.raisedBy) return;
  const [raiser] = await tx
    .select({ email: s.users.email, name: s.users.name, locale: s.users.locale, year: s.studies.year })
    .from(s.users)
    .innerJoin(s.studies, eq(s.studies.id, query.studyId))
    .where(and(eq(s.users.id, query.raisedBy), isNull(s.users.disabledAt)));
  if (!raiser) return;
  const locale: Locale = isLocale(raiser.locale) ? raiser.locale : "nb";
  const params = {
    name: raiser.name,
    ref: query.inquiryRef,
    year: raiser.year,
    state: translate(locale, `query.state.${state}`),
    answer,
    change: correction ? translate(locale, "query.mail.changed", { before: formatScore(correction.before, locale), after: formatScore(correction.after, locale) }) : "",
    link: `${env().publicUrl}/company/inquiries/${encodeURIComponent(query.inquiryRef)}?study=${raiser.year}`,
  };
  await enqueueEmail(tx, { to: raiser.email, subject: translate(locale, "query.mail.answered.subject", params), text: translate(locale, "query.mail.answered.body", params) });
}

/**
 * The staff digest: at most one e-mail per hour to each staff member listing the queries
 * raised since the last digest; each query is in one digest.
 */
export async function mailQueryDigest(db: Db, now = new Date()): Promise<number> {
  return db.transaction(async (tx) => {
    const fresh = await tx
      .select({ tenantId: s.inquiryQueries.tenantId, id: s.inquiryQueries.id, ref: s.inquiryQueries.inquiryRef, company: s.participations.displayName, year: s.studies.year })
      .from(s.inquiryQueries)
      .innerJoin(s.studies, eq(s.studies.id, s.inquiryQueries.studyId))
      .innerJoin(s.participations, and(eq(s.participations.tenantId, s.inquiryQueries.tenantId), eq(s.participations.studyId, s.inquiryQueries.studyId)))
      .where(and(isNull(s.inquiryQueries.staffNotifiedAt), lte(s.inquiryQueries.raisedAt, now)))
      .orderBy(asc(s.inquiryQueries.raisedAt))
      .for("update", { of: s.inquiryQueries, skipLocked: true });
    if (fresh.length === 0) return 0;
    const staff = await tx.select({ email: s.users.email, locale: s.users.locale }).from(s.users).where(and(eq(s.users.isStaff, true), isNull(s.users.disabledAt)));
    const lines = fresh.map((q) => `- ${q.year} · ${q.company} · ${q.ref}`).join("\n");
    for (const person of staff) {
      const locale: Locale = isLocale(person.locale) ? person.locale : "nb";
      const params = { count: fresh.length, lines, link: `${env().publicUrl}/staff/studies/${fresh[0]!.year}/queries` };
      await enqueueEmail(tx, { to: person.email, subject: translate(locale, "query.mail.digest.subject", params), text: translate(locale, "query.mail.digest.body", params) });
    }
    for (const q of fresh) {
      await tx.update(s.inquiryQueries).set({ staffNotifiedAt: now }).where(and(eq(s.inquiryQueries.tenantId, q.tenantId), eq(s.inquiryQueries.id, q.id)));
    }
    return fresh.length;
  });
}
