// Coaching pack exports: recorded when asked for (who, when, which selection), built in
// the background (the inquiries are read in the request's tenant scope, the file is
// rendered in a worker thread), stored in coaching_exports and downloadable again for
// EXPORT_RETENTION_DAYS. Every read and write goes through withTenant, so RLS keeps a
// company to its own exports whatever id it asks for.

import { and, desc, eq, gt, lt, notInArray, sql } from "drizzle-orm";
import { withTenant, type Db, type TenantScope } from "#db/client.server";
import * as s from "#db/schema";
import { EXPORT_RETENTION_DAYS, type PackFormat, type PackProgress } from "~/domain/coaching-pack";
import type { Locale } from "~/domain/format";
import { collectPack, resolveSelection, type PackSelection } from "./coaching-pack.server";
import { packFileName, renderPackInWorker } from "./coaching-render.server";
import { findTenantStudy } from "./insights.server";
import { FairQueue } from "./render-queue.server";

const DAY_MS = 24 * 60 * 60 * 1000;
/** A build still "building" after this long died with its process. */
const STALE_BUILD_MS = 15 * 60 * 1000;

interface Job extends PackProgress {
  done: number;
}
const holder = globalThis as unknown as { __innsiktPackJobs?: Map<string, Job>; __innsiktPackRenderQueue?: FairQueue };
const jobs = (holder.__innsiktPackJobs ??= new Map());

/**
 * Renders one file at a time: each render is a worker thread busy on one core (about 70 ms a
 * PDF page), and the web server keeps the other. Later exports wait their turn ("rendering"),
 * taken in turn by company (./render-queue.server).
 */
const renderQueue = (holder.__innsiktPackRenderQueue ??= new FairQueue());

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
 * Records the export and starts building it. Returns null when the study is not one the
 * company may see; throws PackSelectionError when the selection cannot make a pack.
 * `finished` settles when the file is stored (or the build failed); the page polls instead.
 */
export async function startExport(db: Db, request: ExportRequest, now = new Date()): Promise<{ id: string; finished: Promise<void> } | null> {
  const created = await withTenant(db, request.tenantId, async (scope) => {
    const study = await findTenantStudy(scope, request.selection.study);
    if (!study) return null;
    const refs = await resolveSelection(scope, study, request.selection);
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
    await scope.tx.insert(s.tenantAuditEvents).values({
      tenantId: request.tenantId,
      actorUserId: request.userId,
      action: "coaching.export",
      details: { exportId: row!.id, format: request.format, year: study.year, inquiries: refs.length, selection: request.selection },
    });
    return { id: row!.id, study, refs };
  });
  if (!created) return null;

  const job: Job = { phase: "collecting", done: 0, total: created.refs.length };
  jobs.set(created.id, job);
  const finished = (async () => {
    try {
      const pack = await withTenant(db, request.tenantId, (scope) =>
        collectPack(scope, created.study, {
          selection: request.selection,
          refs: created.refs,
          companyName: request.companyName,
          locale: request.locale,
          now,
          onProgress: (done) => void (job.done = done),
        }),
      );
      job.phase = "rendering";
      const file = await renderQueue.run(request.tenantId, () => renderPackInWorker(pack, request.format));
      job.phase = "saving";
      await withTenant(db, request.tenantId, (scope) =>
        scope.tx
          .update(s.coachingExports)
          .set({ status: "ready", content: file.bytes, fileName: packFileName(pack, request.format) })
          .where(and(eq(s.coachingExports.tenantId, scope.tenantId), eq(s.coachingExports.id, created.id))),
      );
      job.phase = "done";
    } catch (error) {
      job.phase = "failed";
      console.error(`Coaching export ${created.id} failed:`, error);
      await withTenant(db, request.tenantId, (scope) =>
        scope.tx
          .update(s.coachingExports)
          .set({ status: "failed", error: error instanceof Error ? error.message.slice(0, 500) : String(error).slice(0, 500) })
          .where(and(eq(s.coachingExports.tenantId, scope.tenantId), eq(s.coachingExports.id, created.id))),
      ).catch((e: unknown) => console.error(`Could not record the failure of export ${created.id}:`, e));
    } finally {
      // Keep the final phase a little while for a page that polls late.
      setTimeout(() => jobs.delete(created.id), 60_000).unref();
    }
  })();
  return { id: created.id, finished };
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
};

function toSummary(row: { [K in keyof typeof summaryColumns]: unknown }): ExportSummary {
  const r = row as Omit<ExportSummary, "progress">;
  return { ...r, progress: jobs.get(r.id) ?? null };
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
 * Housekeeping (owner path, run by the server's timer): exports past their 30 days are
 * deleted, and builds whose process died are marked failed.
 */
export async function sweepExports(db: Db, now = new Date()): Promise<{ expired: number; stale: number }> {
  const expired = await db.delete(s.coachingExports).where(lt(s.coachingExports.expiresAt, now)).returning({ id: s.coachingExports.id });
  const staleBefore = new Date(now.getTime() - STALE_BUILD_MS);
  const running = [...jobs.keys()];
  const stale = await db
    .update(s.coachingExports)
    .set({ status: "failed", error: "The build was interrupted." })
    .where(
      and(
        eq(s.coachingExports.status, "building"),
        lt(s.coachingExports.createdAt, staleBefore),
        running.length === 0 ? undefined : notInArray(s.coachingExports.id, running),
      ),
    )
    .returning({ id: s.coachingExports.id });
  return { expired: expired.length, stale: stale.length };
}
