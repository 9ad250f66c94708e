// Imports started from the staff console run as jobs on the job queue (~/jobs): the request
// that uploads (or commits) returns at once, a worker process (maybe another one) runs the
// check or the import, and the page follows the progress, which the job writes to the
// upload's row. A job cut off with its process is retried (pg-boss expires it); one that
// fails on every try is recorded as failed.

import { and, desc, eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import * as s from "#db/schema";
import type { ImportProblem } from "~/domain/import-validate";
import { progressWriter } from "~/jobs/progress.server";
import { enqueue, type JobPayloads } from "~/jobs/queue.server";
import { checksumOf } from "./import-file.server";
import { runImport, type ImportDiff, type ImportKind, type ImportProgress } from "./import.server";

export type UploadStatus = "checking" | "previewed" | "refused" | "unchanged" | "importing" | "imported" | "failed" | "cancelled";

/** What the console shows; the diff's key lists cut to a sample. */
export interface StoredOutcome {
  problems?: ImportProblem[];
  truncated?: boolean;
  diff?: { rows: number; added: number; changed: number; removed: number; unchanged: number; samples: { added: string[]; changed: string[]; removed: string[] } } | null;
  error?: string;
  /** The study's newest import batch when the preview was made: a commit needs it unchanged. */
  baseBatchId?: number | null;
  /** The preview was made again because the study changed after the first one. */
  rechecked?: boolean;
}

const SAMPLE = 50;

type UploadJob = JobPayloads["import.upload"];

const QUEUED: ImportProgress = { phase: "reading", done: 0, total: 1 };

/** The progress of a running check or import, from its row: null when it is not running. */
export async function jobProgress(db: Db, uploadId: string): Promise<ImportProgress | null> {
  const [row] = await db.select({ status: s.importUploads.status, progress: s.importUploads.progress }).from(s.importUploads).where(eq(s.importUploads.id, uploadId));
  if (!row || (row.status !== "checking" && row.status !== "importing")) return null;
  return (row.progress as ImportProgress | null) ?? QUEUED;
}

function storedDiff(diff: ImportDiff | null): StoredOutcome["diff"] {
  if (!diff) return null;
  return {
    rows: diff.rows,
    added: diff.added.length,
    changed: diff.changed.length,
    removed: diff.removed.length,
    unchanged: diff.unchanged,
    samples: { added: diff.added.slice(0, SAMPLE), changed: diff.changed.slice(0, SAMPLE), removed: diff.removed.slice(0, SAMPLE) },
  };
}

/** Stores an uploaded file and starts checking it (a dry run). */
export async function createUpload(db: Db, input: { studyId: number; kind: ImportKind; fileName: string; bytes: Uint8Array; userId: string | null }) {
  const [row] = await db
    .insert(s.importUploads)
    .values({
      studyId: input.studyId,
      kind: input.kind,
      fileName: input.fileName.slice(0, 255) || "upload",
      checksum: checksumOf(input.bytes),
      bytes: input.bytes,
      status: "checking",
      outcome: {},
      progress: QUEUED,
      createdBy: input.userId,
    })
    .returning({ id: s.importUploads.id });
  await startJob(db, { uploadId: row!.id, mode: "preview", userId: input.userId, rechecked: false });
  return row!.id;
}

async function newestBatchId(db: Db, studyId: number): Promise<number | null> {
  const [row] = await db.select({ id: s.importBatches.id }).from(s.importBatches).where(eq(s.importBatches.studyId, studyId)).orderBy(desc(s.importBatches.id)).limit(1);
  return row?.id ?? null;
}

/**
 * Commits a previewed upload as `userId`. When the study has had another import since the
 * preview, the shown preview is out of date: the file is checked again instead ("rechecked").
 */
export async function commitUpload(db: Db, uploadId: string, userId: string | null): Promise<"started" | "rechecked" | "not-committable"> {
  const [upload] = await db.select({ studyId: s.importUploads.studyId, status: s.importUploads.status, outcome: s.importUploads.outcome }).from(s.importUploads).where(eq(s.importUploads.id, uploadId));
  if (!upload || upload.status !== "previewed") return "not-committable";
  const stale = ((upload.outcome as StoredOutcome).baseBatchId ?? null) !== (await newestBatchId(db, upload.studyId));
  const [row] = await db
    .update(s.importUploads)
    .set({ status: stale ? "checking" : "importing", progress: QUEUED })
    .where(and(eq(s.importUploads.id, uploadId), eq(s.importUploads.status, "previewed")))
    .returning({ id: s.importUploads.id });
  if (!row) return "not-committable";
  await startJob(db, { uploadId, mode: stale ? "preview" : "commit", userId, rechecked: stale });
  return stale ? "rechecked" : "started";
}

/** Discards a previewed upload; it can no longer be committed. */
export async function cancelUpload(db: Db, uploadId: string): Promise<void> {
  await db.update(s.importUploads).set({ status: "cancelled" }).where(and(eq(s.importUploads.id, uploadId), eq(s.importUploads.status, "previewed")));
}

/** Queues the job; if even that fails, the upload is marked failed rather than left "checking". */
async function startJob(db: Db, job: UploadJob): Promise<void> {
  try {
    await enqueue("import.upload", job);
  } catch (error) {
    await recordFailure(db, job.uploadId);
    throw error;
  }
}

async function recordFailure(db: Db, uploadId: string) {
  await db
    .update(s.importUploads)
    .set({ status: "failed", outcome: { error: "internal" }, progress: null })
    .where(eq(s.importUploads.id, uploadId))
    .catch(() => {});
}

/**
 * The job (run by a worker, ~/jobs/runtime.server): checks or imports the uploaded file and
 * stores the outcome. Throws to have it retried, except on its last attempt, when the upload
 * is recorded as failed. A retry of a job that already finished (its process died between
 * storing the outcome and telling the queue) does nothing.
 */
export async function runUploadJob(db: Db, job: UploadJob, { lastAttempt }: { lastAttempt: boolean }): Promise<void> {
  const { uploadId } = job;
  const [upload] = await db.select().from(s.importUploads).where(eq(s.importUploads.id, uploadId));
  if (!upload || upload.status !== (job.mode === "preview" ? "checking" : "importing")) return;
  const progress = progressWriter<ImportProgress>((p) =>
    db
      .update(s.importUploads)
      .set({ progress: p })
      .where(and(eq(s.importUploads.id, uploadId), eq(s.importUploads.status, upload.status))),
  );
  try {
    const baseBatchId = job.mode === "preview" ? await newestBatchId(db, upload.studyId) : null;
    const outcome = await runImport(db, {
      studyId: upload.studyId,
      kind: upload.kind,
      fileName: upload.fileName,
      bytes: upload.bytes,
      userId: job.userId,
      dryRun: job.mode === "preview",
      onProgress: (p) => progress.update({ ...p }),
    });
    await progress.flush();
    let status: UploadStatus;
    let stored: StoredOutcome;
    let batchId: number | null = null;
    if (outcome.status === "refused") {
      status = "refused";
      stored = { problems: outcome.problems, truncated: outcome.truncated };
    } else if (outcome.status === "unchanged") {
      status = "unchanged";
      stored = { diff: storedDiff(outcome.diff) };
    } else if (outcome.status === "preview") {
      status = "previewed";
      stored = { diff: storedDiff(outcome.diff), baseBatchId, rechecked: job.rechecked };
    } else {
      status = "imported";
      stored = { diff: storedDiff(outcome.diff) };
      batchId = outcome.batchId;
    }
    await db.update(s.importUploads).set({ status, outcome: stored, batchId, progress: null }).where(eq(s.importUploads.id, uploadId));
  } catch (error) {
    await progress.flush();
    console.error(`import job ${uploadId} failed${lastAttempt ? "" : " (it will be retried)"}`, error);
    if (lastAttempt) await recordFailure(db, uploadId);
    throw error;
  }
}

/** An upload with its study's year, name and status, for the staff upload page; null if there is none. */
export async function getUploadWithStudy(db: Db, uploadId: string) {
  const upload = await getUpload(db, uploadId);
  if (!upload) return null;
  const [study] = await db
    .select({ year: s.studies.year, name: s.studies.name, status: s.studies.status })
    .from(s.studies)
    .where(eq(s.studies.id, upload.studyId));
  return study ? { upload, study } : null;
}

export async function getUpload(db: Db, uploadId: string) {
  const [row] = await db
    .select({
      id: s.importUploads.id,
      studyId: s.importUploads.studyId,
      kind: s.importUploads.kind,
      fileName: s.importUploads.fileName,
      checksum: s.importUploads.checksum,
      status: s.importUploads.status,
      outcome: s.importUploads.outcome,
      progress: s.importUploads.progress,
      batchId: s.importUploads.batchId,
      createdAt: s.importUploads.createdAt,
    })
    .from(s.importUploads)
    .where(eq(s.importUploads.id, uploadId));
  if (!row) return null;
  const { progress, ...rest } = row;
  const status = row.status as UploadStatus;
  const running = status === "checking" || status === "importing";
  return { ...rest, status, outcome: row.outcome as StoredOutcome, job: running ? ((progress as ImportProgress | null) ?? QUEUED) : null };
}

export async function latestUploads(db: Db, studyId: number) {
  return db
    .select({ id: s.importUploads.id, kind: s.importUploads.kind, fileName: s.importUploads.fileName, status: s.importUploads.status, createdAt: s.importUploads.createdAt })
    .from(s.importUploads)
    .where(eq(s.importUploads.studyId, studyId))
    .orderBy(desc(s.importUploads.createdAt))
    .limit(20);
}

/** The import history of a study: who loaded which file when, and what it changed. */
export async function importHistory(db: Db, studyId: number) {
  const rows = await db
    .select({
      id: s.importBatches.id,
      kind: s.importBatches.kind,
      fileName: s.importBatches.fileName,
      checksum: s.importBatches.checksum,
      rowCount: s.importBatches.rowCount,
      counts: s.importBatches.counts,
      createdAt: s.importBatches.createdAt,
      createdBy: s.users.email,
      /** a correction answering a query (spec/season.md): which query, on which inquiry */
      queryId: s.importBatches.queryId,
      queryRef: s.inquiryQueries.inquiryRef,
    })
    .from(s.importBatches)
    .leftJoin(s.users, eq(s.users.id, s.importBatches.createdBy))
    .leftJoin(s.inquiryQueries, eq(s.inquiryQueries.id, s.importBatches.queryId))
    .where(eq(s.importBatches.studyId, studyId))
    .orderBy(desc(s.importBatches.id));
  return rows.map((r) => ({ ...r, counts: r.counts as { added: number; changed: number; removed: number; unchanged: number } }));
}
