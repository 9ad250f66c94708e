// Coaching pack exports: recorded when asked for (who, when, which selection), built by a job
// on the job queue (~/jobs: the inquiries are read in the company's tenant scope, the file is
// rendered in a worker thread of the worker process), stored in coaching_exports and
// downloadable again for EXPORT_RETENTION_DAYS. Every tenant read and write goes through
// withTenant, so RLS keeps a company to its own exports whatever id it asks for. The build's
// progress is written to its row, so the page shows it whichever process serves it.

import { and, count, desc, eq, gt, lt, sql } from "drizzle-orm";
import { withTenant, type Db, type TenantScope } from "#db/client.server";
import * as s from "#db/schema";
import { recordTenantAction } from "~/models/admin/audit.server";
import { EXPORT_RETENTION_DAYS, type PackFormat, type PackProgress } from "~/domain/coaching-pack";
import type { Locale } from "~/domain/format";
import { progressWriter } from "~/jobs/progress.server";
import { enqueue, type JobPayloads } from "~/jobs/queue.server";
import { collectPack, resolveSelection, type PackSelection } from "./coaching-pack.server";
import { packFileName, renderPackInWorker } from "~/exports/coaching-render.server";
import { findTenantStudy } from "~/models/insights/insights.server";
import { fairPriority } from "./render-queue.server";

const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * A build still "building" after this long has no job left (every try of it died or the job
 * was lost): longer than the queue's tries take (4 × 10 min expiry plus the backoff).
 */
const STALE_BUILD_MS = 60 * 60 * 1000;

type PackJob = JobPayloads["pack.build"];

export const isUuid = (value: string | undefined): value is string =>
  typeof value === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

export interface ExportRequest {
  tenantId: string;
  companyName: string;
  userId: string;
  format: PackFormat;
  selection: PackSelection;
  locale: Locale;
}

/**
 * Records the export and queues its build. Returns null when the study is not one the
 * company may see; throws PackSelectionError when the selection cannot make a pack. The page
 * polls the row until the build is stored (or failed).
 */
export async function startExport(db: Db, request: ExportRequest, now = new Date()): Promise<{ id: string } | null> {
  const created = await withTenant(db, request.tenantId, async (scope) => {
    const study = await findTenantStudy(scope, request.selection.study);
    if (!study) return null;
    const refs = await resolveSelection(scope, study, request.selection);
    const [building] = await scope.tx
      .select({ n: count() })
      .from(s.coachingExports)
      .where(and(eq(s.coachingExports.tenantId, scope.tenantId), eq(s.coachingExports.status, "building")));
    const [row] = await scope.tx
      .insert(s.coachingExports)
      .values({
        tenantId: request.tenantId,
        studyId: study.studyId,
        createdBy: request.userId,
        format: request.format,
        selection: request.selection,
        fileName: `coaching-${study.year}.${request.format}`,
        status: "building",
        inquiryCount: refs.length,
        expiresAt: new Date(now.getTime() + EXPORT_RETENTION_DAYS * DAY_MS),
      })
      .returning({ id: s.coachingExports.id });
    await recordTenantAction(scope.tx, request.tenantId, request.userId, {
      action: "coaching.export",
      details: { exportId: row!.id, format: request.format, year: study.year, inquiries: refs.length, selection: request.selection },
    });
    return { id: row!.id, refs, waiting: building?.n ?? 0 };
  });
  if (!created) return null;
  // Companies take turns: each company's oldest waiting pack goes before anyone's second.
  const priority = fairPriority(created.waiting);
  const job: PackJob = {
    exportId: created.id,
    tenantId: request.tenantId,
    companyName: request.companyName,
    format: request.format,
    selection: request.selection,
    refs: created.refs,
    locale: request.locale,
    requestedAt: now.toISOString(),
  };
  try {
    await enqueue("pack.build", job, { priority });
  } catch (error) {
    await recordFailure(db, job, error);
    throw error;
  }
  return { id: created.id };
}

async function recordFailure(db: Db, job: PackJob, error: unknown) {
  await withTenant(db, job.tenantId, (scope) =>
    scope.tx
      .update(s.coachingExports)
      .set({ status: "failed", error: error instanceof Error ? error.message.slice(0, 500) : String(error).slice(0, 500) })
      .where(and(eq(s.coachingExports.tenantId, scope.tenantId), eq(s.coachingExports.id, job.exportId), eq(s.coachingExports.status, "building"))),
  ).catch((e: unknown) => console.error(`Could not record the failure of export ${job.exportId}:`, e));
}

/**
 * The job (run by a worker, ~/jobs/runtime.server): collects the pack in the company's tenant
 * scope, renders the file in a worker thread and stores it. Throws to have it retried, except
 * on its last attempt, when the export is recorded as failed. A retry of a build that is no
 * longer "building" does nothing.
 */
export async function buildExportJob(db: Db, job: PackJob, { lastAttempt }: { lastAttempt: boolean }): Promise<void> {
  const where = and(eq(s.coachingExports.tenantId, job.tenantId), eq(s.coachingExports.id, job.exportId), eq(s.coachingExports.status, "building"));
  // Progress on the owner connection (a housekeeping column; the tenant role may not write it).
  const progress = progressWriter<PackProgress>((p) => db.update(s.coachingExports).set({ progress: p }).where(where));
  const [row] = await db.select({ id: s.coachingExports.id }).from(s.coachingExports).where(where);
  if (!row) return;
  try {
    const total = job.refs.length;
    progress.update({ phase: "collecting", done: 0, total });
    const pack = await withTenant(db, job.tenantId, async (scope) => {
      const study = await findTenantStudy(scope, job.selection.study);
      if (!study) throw new Error(`The study ${job.selection.study} is no longer visible to the company.`);
      return collectPack(scope, study, {
        selection: job.selection,
        refs: job.refs,
        companyName: job.companyName,
        locale: job.locale,
        now: new Date(job.requestedAt),
        onProgress: (done) => progress.update({ phase: "collecting", done, total }),
      });
    });
    progress.update({ phase: "rendering", done: total, total });
    const file = await renderPackInWorker(pack, job.format);
    progress.update({ phase: "saving", done: total, total });
    await progress.flush();
    await withTenant(db, job.tenantId, (scope) =>
      scope.tx
        .update(s.coachingExports)
        .set({ status: "ready", content: file.bytes, fileName: packFileName(pack, job.format) })
        .where(and(eq(s.coachingExports.tenantId, scope.tenantId), eq(s.coachingExports.id, job.exportId))),
    );
    await db.update(s.coachingExports).set({ progress: null }).where(and(eq(s.coachingExports.tenantId, job.tenantId), eq(s.coachingExports.id, job.exportId)));
  } catch (error) {
    await progress.flush();
    console.error(`Coaching export ${job.exportId} failed${lastAttempt ? "" : " (it will be retried)"}:`, error);
    if (lastAttempt) await recordFailure(db, job, error);
    throw error;
  }
}

export interface ExportSummary {
  id: string;
  createdAt: Date;
  createdByName: string | null;
  format: PackFormat;
  year: number;
  selection: PackSelection;
  inquiryCount: number;
  status: "building" | "ready" | "failed";
  fileName: string;
  expiresAt: Date;
  sizeBytes: number | null;
  progress: PackProgress | null;
}

const summaryColumns = {
  id: s.coachingExports.id,
  createdAt: s.coachingExports.createdAt,
  createdByName: s.users.name,
  format: s.coachingExports.format,
  year: s.studies.year,
  selection: s.coachingExports.selection,
  inquiryCount: s.coachingExports.inquiryCount,
  status: s.coachingExports.status,
  fileName: s.coachingExports.fileName,
  expiresAt: s.coachingExports.expiresAt,
  sizeBytes: sql<number | null>`octet_length(${s.coachingExports.content})`,
  progress: s.coachingExports.progress,
};

function toSummary(row: { [K in keyof typeof summaryColumns]: unknown }): ExportSummary {
  const r = row as ExportSummary;
  return { ...r, progress: r.status === "building" ? (r.progress ?? { phase: "collecting", done: 0, total: r.inquiryCount }) : null };
}

/** The company's exports that can still be downloaded, newest first. */
export async function listExports({ tx, tenantId }: TenantScope, now = new Date()): Promise<ExportSummary[]> {
  const rows = await tx
    .select(summaryColumns)
    .from(s.coachingExports)
    .innerJoin(s.studies, eq(s.studies.id, s.coachingExports.studyId))
    .leftJoin(s.users, eq(s.users.id, s.coachingExports.createdBy))
    .where(and(eq(s.coachingExports.tenantId, tenantId), gt(s.coachingExports.expiresAt, now)))
    .orderBy(desc(s.coachingExports.createdAt))
    .limit(200);
  return rows.map(toSummary);
}

/** One of the company's exports; null for an unknown id, another company's, or an expired one. */
export async function getExport({ tx, tenantId }: TenantScope, id: string, now = new Date()): Promise<ExportSummary | null> {
  if (!isUuid(id)) return null;
  const [row] = await tx
    .select(summaryColumns)
    .from(s.coachingExports)
    .innerJoin(s.studies, eq(s.studies.id, s.coachingExports.studyId))
    .leftJoin(s.users, eq(s.users.id, s.coachingExports.createdBy))
    .where(and(eq(s.coachingExports.tenantId, tenantId), eq(s.coachingExports.id, id), gt(s.coachingExports.expiresAt, now)));
  return row ? toSummary(row) : null;
}

/** The stored file of a ready export; null otherwise. */
export async function getExportFile({ tx, tenantId }: TenantScope, id: string, now = new Date()) {
  if (!isUuid(id)) return null;
  const [row] = await tx
    .select({ fileName: s.coachingExports.fileName, format: s.coachingExports.format, content: s.coachingExports.content })
    .from(s.coachingExports)
    .where(
      and(
        eq(s.coachingExports.tenantId, tenantId),
        eq(s.coachingExports.id, id),
        eq(s.coachingExports.status, "ready"),
        gt(s.coachingExports.expiresAt, now),
      ),
    );
  return row?.content ? { fileName: row.fileName, format: row.format as PackFormat, content: row.content } : null;
}

/**
 * Housekeeping (owner path, a job every minute): exports past their 30 days are deleted, and
 * builds left "building" far longer than all tries of their job take are marked failed.
 */
export async function sweepExports(db: Db, now = new Date()): Promise<{ expired: number; stale: number }> {
  const expired = await db.delete(s.coachingExports).where(lt(s.coachingExports.expiresAt, now)).returning({ id: s.coachingExports.id });
  const staleBefore = new Date(now.getTime() - STALE_BUILD_MS);
  const stale = await db
    .update(s.coachingExports)
    .set({ status: "failed", error: "The build was interrupted.", progress: null })
    .where(and(eq(s.coachingExports.status, "building"), lt(s.coachingExports.createdAt, staleBefore)))
    .returning({ id: s.coachingExports.id });
  return { expired: expired.length, stale: stale.length };
}
