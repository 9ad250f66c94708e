// The company reports of a published study (issue 19): one row per company, study, kind and
// language in company_reports, built by jobs on the job queue, one job per company ("report.build"),
// so every worker process takes a share of a study's batch. The renderer
// (~/exports/report/company-report.server) reads the company's figures itself and keeps the
// rendering off the event loop.
//
// Who asks for a build: staff for a whole study (the owner path), a company for its own report
// (its tenant scope), and a correction of a published study (in its transaction: its figures
// and the class figures changed, so every stored report of the study is re-queued). A row is
// queued in the transaction that causes it; the job is sent after the commit, and the sweep
// ("reports.sweep", every minute) sends one for any queued row whose job is missing (a CLI
// import has no job queue). A build stores its file only if the row's generation is still the
// one it claimed, so a file built from figures that changed meanwhile is never marked ready.

import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { withTenant, type Db, type Executor, type TenantScope } from "#db/client.server";
import * as s from "#db/schema";
import { BATCH_VARIANTS, companyStatus, type ReportKind, type ReportLang, type ReportStatus } from "~/domain/reports";
import { recordStaffAction, recordTenantAction } from "~/models/admin/audit.server";
import { progressWriter } from "~/jobs/progress.server";
import { enqueue, JOB_SCHEMA, jobRuntimeOrNull } from "~/jobs/queue.server";

const r = s.companyReports;

export class ReportError extends Error {
  constructor(
    public readonly code: "not-published" | "no-participation",
    message: string,
  ) {
    super(message);
  }
}

/** The columns that make a row queued again for a new generation. */
const requeue = (requestedBy: string | null) => ({
  status: "queued",
  generation: sql`${r.generation} + 1`,
  jobId: null,
  error: null,
  progress: null,
  queuedAt: sql`now()`,
  enqueuedAt: null,
  requestedBy,
});

// ---- staff: a whole study ---------------------------------------------------------------

/**
 * Queues the reports of every company of a published study (BATCH_VARIANTS), or with
 * `onlyFailed` those that failed, and sends one job per company. Returns how many companies.
 */
export async function queueStudyReports(db: Db, input: { studyId: number; userId: string | null; onlyFailed?: boolean }): Promise<{ companies: number }> {
  const tenantIds = await db.transaction(async (tx) => {
    const [study] = await tx.select({ status: s.studies.status, year: s.studies.year }).from(s.studies).where(eq(s.studies.id, input.studyId)).for("update");
    if (study?.status !== "published") throw new ReportError("not-published", "Reports are built only for a published study.");
    let tenants: string[];
    if (input.onlyFailed) {
      const failed = await tx
        .update(r)
        .set(requeue(input.userId))
        .where(and(eq(r.studyId, input.studyId), eq(r.status, "failed")))
        .returning({ tenantId: r.tenantId });
      tenants = [...new Set(failed.map((f) => f.tenantId))];
    } else {
      const companies = await tx.select({ tenantId: s.participations.tenantId }).from(s.participations).where(eq(s.participations.studyId, input.studyId));
      tenants = companies.map((c) => c.tenantId);
      const rows = tenants.flatMap((tenantId) => BATCH_VARIANTS.map((v) => ({ tenantId, studyId: input.studyId, kind: v.kind, lang: v.lang, requestedBy: input.userId })));
      for (let i = 0; i < rows.length; i += 500) {
        await tx
          .insert(r)
          .values(rows.slice(i, i + 500))
          .onConflictDoUpdate({ target: [r.tenantId, r.studyId, r.kind, r.lang], set: requeue(input.userId) });
      }
    }
    await recordStaffAction(tx, { actorUserId: input.userId, action: "report.build", studyId: input.studyId, details: { companies: tenants.length, onlyFailed: Boolean(input.onlyFailed) } });
    return tenants;
  });
  await sendReportJobs(db, { studyId: input.studyId });
  return { companies: tenantIds.length };
}

/**
 * In the transaction of a correction of a published study: every stored report of the study
 * is queued again (the company's own figures changed, and with them the class's and the
 * study's figures every other report shows). Send the jobs after the commit (sendReportJobs).
 */
export async function markStudyReportsStale(tx: Executor, studyId: number): Promise<number> {
  const rows = await tx.update(r).set(requeue(null)).where(eq(r.studyId, studyId)).returning({ tenantId: r.tenantId });
  return rows.length;
}

/**
 * Sends one "report.build" job per company with queued reports that have no job yet (of the
 * study, when given); the companies in `first` go first. Without a job queue in this process
 * (a CLI command) it sends nothing: the sweep of a worker does. Never throws.
 */
export async function sendReportJobs(db: Db, options: { studyId?: number; first?: readonly string[] } = {}): Promise<number> {
  if (!jobRuntimeOrNull()) return 0;
  try {
    const pending = await db
      .selectDistinct({ tenantId: r.tenantId, studyId: r.studyId })
      .from(r)
      .where(and(eq(r.status, "queued"), isNull(r.enqueuedAt), options.studyId === undefined ? undefined : eq(r.studyId, options.studyId)));
    return await sendJobs(db, pending, options.first ?? []);
  } catch (error) {
    console.error(`Report jobs: ${(error as Error).message} (the sweep sends them within a minute)`);
    return 0;
  }
}

async function sendJobs(db: Db, pending: { tenantId: string; studyId: number }[], first: readonly string[]): Promise<number> {
  for (const company of pending) {
    await enqueue("report.build", company, { priority: first.includes(company.tenantId) ? 1 : 0 });
    await db
      .update(r)
      .set({ enqueuedAt: sql`now()` })
      .where(and(eq(r.tenantId, company.tenantId), eq(r.studyId, company.studyId), eq(r.status, "queued")));
  }
  return pending.length;
}

/**
 * The sweep (a job every minute): sends a job for each company whose queued reports have none
 * alive on the queue (never sent, or lost), and marks failed the builds whose job is gone
 * (every try of it died).
 */
export async function sweepReports(db: Db): Promise<{ sent: number; interrupted: number }> {
  const job = sql.raw(`"${JOB_SCHEMA}".job`);
  const alive = (tenant: typeof r.tenantId, study: typeof r.studyId) =>
    sql`exists (select 1 from ${job} j where j.name = 'report.build' and j.state in ('created', 'retry', 'active')
      and j.data->>'tenantId' = ${tenant}::text and (j.data->>'studyId')::int = ${study})`;
  const pending = await db
    .selectDistinct({ tenantId: r.tenantId, studyId: r.studyId })
    .from(r)
    .where(and(eq(r.status, "queued"), sql`not ${alive(r.tenantId, r.studyId)}`, sql`(${r.enqueuedAt} is null or ${r.enqueuedAt} < now() - interval '1 minute')`));
  const sent = await sendJobs(db, pending, []);
  const interrupted = await db
    .update(r)
    .set({ status: "failed", error: "The build was interrupted.", progress: null, jobId: null })
    .where(and(eq(r.status, "building"), sql`not exists (select 1 from ${job} j where j.name = 'report.build' and j.id = ${r.jobId} and j.state in ('created', 'retry', 'active'))`))
    .returning({ tenantId: r.tenantId });
  return { sent, interrupted: interrupted.length };
}

// ---- the job ----------------------------------------------------------------------------

export interface ReportRenderer {
  (input: { tenantId: string; studyYear: number; kind: ReportKind; lang: ReportLang }): Promise<Uint8Array>;
}

/** The renderer, loaded when first needed: the web bundle never loads the PDF library. */
const defaultRenderer: ReportRenderer = async (input) => (await import("~/exports/report/company-report.server")).renderCompanyReport(input);

/**
 * "report.build" (run by a worker): builds the company's queued reports of the study. It takes
 * them (queued, or building under this same job: a retry after its process died), renders each,
 * and stores it if no newer request came meanwhile. Throws to be retried, except on its last
 * attempt, when what is left is marked failed with the reason.
 */
export async function buildCompanyReportsJob(
  db: Db,
  job: { tenantId: string; studyId: number },
  { jobId, lastAttempt, render = defaultRenderer }: { jobId: string; lastAttempt: boolean; render?: ReportRenderer },
): Promise<{ built: number; skipped: number }> {
  const [study] = await db.select({ year: s.studies.year, status: s.studies.status }).from(s.studies).where(eq(s.studies.id, job.studyId));
  const mine = and(eq(r.tenantId, job.tenantId), eq(r.studyId, job.studyId));
  if (study?.status !== "published") {
    // Nothing is built before publication (nor after a study is taken back): a reason, no retry.
    await db
      .update(r)
      .set({ status: "failed", error: `The study ${study?.year ?? ""} is not published.`.replace("  ", " "), progress: null, jobId: null })
      .where(and(mine, inArray(r.status, ["queued", "building"])));
    return { built: 0, skipped: 0 };
  }
  const claimed = await withTenant(db, job.tenantId, ({ tx, tenantId }) =>
    tx
      .update(r)
      .set({ status: "building", jobId, progress: { done: 0, total: 0 } })
      .where(and(eq(r.tenantId, tenantId), eq(r.studyId, job.studyId), sql`(${r.status} = 'queued' or (${r.status} = 'building' and ${r.jobId} = ${jobId}))`))
      .returning({ kind: r.kind, lang: r.lang, generation: r.generation }),
  );
  claimed.sort((a, b) => (a.kind === b.kind ? a.lang.localeCompare(b.lang) : a.kind === "full" ? -1 : 1));
  const total = claimed.length;
  const building = and(mine, eq(r.status, "building"), eq(r.jobId, jobId));
  // The company's progress on its rows (owner connection: written whichever process serves the page).
  const progress = progressWriter<{ done: number; total: number }>((p) => db.update(r).set({ progress: p }).where(building));
  progress.update({ done: 0, total });
  let built = 0;
  let skipped = 0;
  let failure: unknown = null;
  for (const [i, report] of claimed.entries()) {
    const key = and(mine, eq(r.kind, report.kind), eq(r.lang, report.lang), eq(r.generation, report.generation), eq(r.status, "building"));
    try {
      const bytes = await render({ tenantId: job.tenantId, studyYear: study.year, kind: report.kind as ReportKind, lang: report.lang as ReportLang });
      const stored = await withTenant(db, job.tenantId, ({ tx }) =>
        tx
          .update(r)
          .set({ status: "ready", content: bytes, sizeBytes: bytes.byteLength, builtAt: sql`now()`, jobId: null, error: null, progress: null })
          .where(key)
          .returning({ kind: r.kind }),
      );
      if (stored.length > 0) built += 1;
      else skipped += 1; // asked for again meanwhile: the newer request's job builds it
    } catch (error) {
      failure ??= error;
      console.error(`Report ${report.kind}/${report.lang} of company ${job.tenantId} failed${lastAttempt ? "" : " (it will be retried)"}:`, error);
      if (lastAttempt) {
        const message = error instanceof Error ? error.message : String(error);
        await db.update(r).set({ status: "failed", error: message.slice(0, 500), progress: null, jobId: null }).where(key);
      }
    }
    progress.update({ done: i + 1, total });
  }
  await progress.flush();
  if (failure) throw failure;
  return { built, skipped };
}

// ---- a company: its own reports -----------------------------------------------------------

export interface OwnReport {
  kind: ReportKind;
  lang: ReportLang;
  status: ReportStatus;
  sizeBytes: number | null;
  builtAt: Date | null;
  progress: { done: number; total: number } | null;
}

/** The published study of `year` the company took part in (its id), or null. */
async function ownPublishedStudy({ tx, tenantId }: TenantScope, year: number) {
  const [row] = await tx
    .select({ studyId: s.studies.id, year: s.studies.year })
    .from(s.participations)
    .innerJoin(s.studies, eq(s.studies.id, s.participations.studyId))
    .where(and(eq(s.participations.tenantId, tenantId), eq(s.studies.year, year), eq(s.studies.status, "published")));
  return row ?? null;
}

/** The company's reports of a published study it took part in; null for any other year. */
export async function listOwnReports(scope: TenantScope, year: number): Promise<OwnReport[] | null> {
  const study = await ownPublishedStudy(scope, year);
  if (!study) return null;
  const rows = await scope.tx
    .select({ kind: r.kind, lang: r.lang, status: r.status, sizeBytes: r.sizeBytes, builtAt: r.builtAt, progress: r.progress })
    .from(r)
    .where(and(eq(r.tenantId, scope.tenantId), eq(r.studyId, study.studyId)))
    .orderBy(asc(r.kind), asc(r.lang));
  return rows.map((row) => ({ ...row, progress: row.status === "building" ? (row.progress as OwnReport["progress"]) : null }) as OwnReport);
}

/** The row of one report: a company's, of a study, in a kind and language. */
const reportRow = (key: { tenantId: string; studyId: number; kind: ReportKind; lang: ReportLang }) =>
  and(eq(r.tenantId, key.tenantId), eq(r.studyId, key.studyId), eq(r.kind, key.kind), eq(r.lang, key.lang));

/** A report a member of the company asks for (to build or to download). */
interface OwnReportRequest {
  year: number;
  kind: ReportKind;
  lang: ReportLang;
  userId: string;
}

/** The company's report asked for: its study and its row; null when the year is not one of the company's published studies. */
async function ownReport(scope: TenantScope, input: OwnReportRequest) {
  const study = await ownPublishedStudy(scope, input.year);
  if (!study) return null;
  return { studyId: study.studyId, row: reportRow({ tenantId: scope.tenantId, studyId: study.studyId, kind: input.kind, lang: input.lang }) };
}

/**
 * A company asks for one of its reports to be built (it is not built yet, or its build
 * failed). Returns its state afterwards, or null for a year that is not one of its published
 * studies. Send the job after the commit (sendReportJobs).
 */
export async function requestOwnReport(scope: TenantScope, input: OwnReportRequest): Promise<{ studyId: number; status: ReportStatus } | null> {
  const own = await ownReport(scope, input);
  if (!own) return null;
  const [row] = await scope.tx
    .insert(r)
    .values({ tenantId: scope.tenantId, studyId: own.studyId, kind: input.kind, lang: input.lang, requestedBy: input.userId })
    .onConflictDoUpdate({ target: [r.tenantId, r.studyId, r.kind, r.lang], set: requeue(input.userId), where: eq(r.status, "failed") })
    .returning({ status: r.status });
  if (row) return { studyId: own.studyId, status: row.status as ReportStatus };
  const [existing] = await scope.tx.select({ status: r.status }).from(r).where(own.row);
  return { studyId: own.studyId, status: (existing?.status ?? "queued") as ReportStatus };
}

/**
 * The file of one of the company's ready reports, its download recorded in the company's audit
 * log (same transaction); null when the year is not one of its published studies or the
 * report is not ready.
 */
export async function downloadOwnReport(scope: TenantScope, input: OwnReportRequest): Promise<{ content: Uint8Array; code: string } | null> {
  const own = await ownReport(scope, input);
  if (!own) return null;
  const [row] = await scope.tx
    .select({ content: r.content, code: s.participants.code })
    .from(r)
    .innerJoin(s.participants, eq(s.participants.id, r.tenantId))
    .where(and(own.row, eq(r.status, "ready")));
  if (!row?.content) return null;
  await recordTenantAction(scope.tx, scope.tenantId, input.userId, { action: "report.download", details: { year: input.year, kind: input.kind, lang: input.lang } });
  return { content: row.content, code: row.code };
}

/** Whether the company lets its viewers download the reports. */
export async function viewersMayDownloadReports({ tx, tenantId }: TenantScope): Promise<boolean> {
  const [row] = await tx.select({ allowed: s.participants.viewersDownloadReports }).from(s.participants).where(eq(s.participants.id, tenantId));
  return row?.allowed ?? true;
}

/** A manager's choice, recorded in the company's audit log. */
export async function setViewersDownloadReports({ tx, tenantId }: TenantScope, input: { allow: boolean; actorUserId: string }): Promise<void> {
  await tx.update(s.participants).set({ viewersDownloadReports: input.allow }).where(eq(s.participants.id, tenantId));
  await recordTenantAction(tx, tenantId, input.actorUserId, { action: "privacy.report_downloads", details: { viewers: input.allow } });
}

// ---- staff: the state of a study's reports ------------------------------------------------

export interface CompanyReportState {
  code: string;
  name: string;
  status: ReportStatus | null;
  /** reports of the company built (ready) of all it has */
  ready: number;
  total: number;
  builtAt: Date | null;
  error: string | null;
  progress: { done: number; total: number } | null;
}

export interface StudyReportsState {
  companies: CompanyReportState[];
  counts: Record<ReportStatus | "none", number>;
}

/** Staff: every company of the study with the state of its reports (the progress bar counts companies). */
export async function studyReportsState(db: Db, studyId: number): Promise<StudyReportsState> {
  const rows = await db
    .select({
      code: s.participants.code,
      name: s.participations.displayName,
      status: r.status,
      builtAt: r.builtAt,
      error: r.error,
      progress: r.progress,
    })
    .from(s.participations)
    .innerJoin(s.participants, eq(s.participants.id, s.participations.tenantId))
    .leftJoin(r, and(eq(r.tenantId, s.participations.tenantId), eq(r.studyId, s.participations.studyId)))
    .where(eq(s.participations.studyId, studyId))
    .orderBy(asc(s.participations.displayName), asc(s.participants.code));
  const byCode = new Map<string, CompanyReportState & { statuses: ReportStatus[] }>();
  for (const row of rows) {
    let company = byCode.get(row.code);
    if (!company) {
      company = { code: row.code, name: row.name, status: null, ready: 0, total: 0, builtAt: null, error: null, progress: null, statuses: [] };
      byCode.set(row.code, company);
    }
    if (!row.status) continue;
    const status = row.status as ReportStatus;
    company.statuses.push(status);
    company.total += 1;
    if (status === "ready") company.ready += 1;
    if (row.builtAt && (!company.builtAt || row.builtAt > company.builtAt)) company.builtAt = row.builtAt;
    if (status === "failed" && row.error) company.error ??= row.error;
    if (status === "building" && row.progress) company.progress = row.progress as CompanyReportState["progress"];
  }
  const counts: StudyReportsState["counts"] = { queued: 0, building: 0, ready: 0, failed: 0, none: 0 };
  const companies = [...byCode.values()].map(({ statuses, ...company }) => {
    const status = companyStatus(statuses);
    counts[status ?? "none"] += 1;
    return { ...company, status };
  });
  return { companies, counts };
}

// ---- the command line --------------------------------------------------------------------

/** The companies of a study with their codes, in code order (the command line's batch). */
export async function studyCompanies(db: Db, studyId: number): Promise<{ tenantId: string; code: string; name: string }[]> {
  return db
    .select({ tenantId: s.participations.tenantId, code: s.participants.code, name: s.participations.displayName })
    .from(s.participations)
    .innerJoin(s.participants, eq(s.participants.id, s.participations.tenantId))
    .where(eq(s.participations.studyId, studyId))
    .orderBy(asc(s.participants.code));
}

/**
 * Builds one report now, in this process (`report build`), and stores it as the company's
 * ready report unless a newer request (a correction) came while it rendered. Returns the PDF.
 */
export async function buildReportNow(
  db: Db,
  input: { tenantId: string; studyId: number; year: number; kind: ReportKind; lang: ReportLang },
  render: ReportRenderer = defaultRenderer,
): Promise<Uint8Array> {
  const [claimed] = await db
    .insert(r)
    .values({ tenantId: input.tenantId, studyId: input.studyId, kind: input.kind, lang: input.lang, status: "building" })
    .onConflictDoUpdate({ target: [r.tenantId, r.studyId, r.kind, r.lang], set: { ...requeue(null), status: "building" } })
    .returning({ generation: r.generation });
  const key = and(reportRow(input), eq(r.generation, claimed!.generation));
  try {
    const bytes = await render({ tenantId: input.tenantId, studyYear: input.year, kind: input.kind, lang: input.lang });
    await db.update(r).set({ status: "ready", content: bytes, sizeBytes: bytes.byteLength, builtAt: sql`now()`, error: null, progress: null }).where(key);
    return bytes;
  } catch (error) {
    await db.update(r).set({ status: "failed", error: (error instanceof Error ? error.message : String(error)).slice(0, 500) }).where(key);
    throw error;
  }
}
