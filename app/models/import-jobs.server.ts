// Imports started from the staff console run in the background of the web server: the
// request that uploads (or commits) returns at once, and the page follows the job's
// progress. The file and the outcome live in import_uploads; the live progress in memory.

import { and, desc, eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import * as s from "#db/schema";
import type { ImportProblem } from "~/domain/import-validate";
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

interface Job extends ImportProgress {
  mode: "preview" | "commit";
  /** who is recorded as doing the import: the uploader for a check, the committer for a commit */
  userId: string | null;
  rechecked?: boolean;
}
const holder = globalThis as unknown as { __innsiktImportJobs?: Map<string, Job> };
const jobs = (holder.__innsiktImportJobs ??= new Map());

export function jobProgress(uploadId: string): Job | null {
  return jobs.get(uploadId) ?? null;
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
      createdBy: input.userId,
    })
    .returning({ id: s.importUploads.id });
  startJob(db, row!.id, "preview", input.userId);
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
    .set({ status: stale ? "checking" : "importing" })
    .where(and(eq(s.importUploads.id, uploadId), eq(s.importUploads.status, "previewed")))
    .returning({ id: s.importUploads.id });
  if (!row) return "not-committable";
  startJob(db, uploadId, stale ? "preview" : "commit", userId, stale);
  return stale ? "rechecked" : "started";
}

/** Discards a previewed upload; it can no longer be committed. */
export async function cancelUpload(db: Db, uploadId: string): Promise<void> {
  await db.update(s.importUploads).set({ status: "cancelled" }).where(and(eq(s.importUploads.id, uploadId), eq(s.importUploads.status, "previewed")));
}

function startJob(db: Db, uploadId: string, mode: Job["mode"], userId: string | null, rechecked = false) {
  const job: Job = { mode, userId, rechecked, phase: "reading", done: 0, total: 1 };
  jobs.set(uploadId, job);
  void runJob(db, uploadId, job).finally(() => jobs.delete(uploadId));
}

async function runJob(db: Db, uploadId: string, job: Job) {
  try {
    const [upload] = await db.select().from(s.importUploads).where(eq(s.importUploads.id, uploadId));
    if (!upload) return;
    const baseBatchId = job.mode === "preview" ? await newestBatchId(db, upload.studyId) : null;
    const outcome = await runImport(db, {
      studyId: upload.studyId,
      kind: upload.kind,
      fileName: upload.fileName,
      bytes: upload.bytes,
      userId: job.userId,
      dryRun: job.mode === "preview",
      onProgress: (p) => Object.assign(job, p),
    });
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
    await db.update(s.importUploads).set({ status, outcome: stored, batchId }).where(eq(s.importUploads.id, uploadId));
  } catch (error) {
    console.error(`import job ${uploadId} failed`, error);
    await db
      .update(s.importUploads)
      .set({ status: "failed", outcome: { error: "internal" } })
      .where(eq(s.importUploads.id, uploadId))
      .catch(() => {});
  }
}

export async function getUpload(db: Db, uploadId: string) {
  // Looked up before the row: a job that ends between the two reads is still "running"
  // here (the page polls and reloads), never mistaken for one cut off by a restart.
  const jobBefore = jobProgress(uploadId);
  const [row] = await db
    .select({
      id: s.importUploads.id,
      studyId: s.importUploads.studyId,
      kind: s.importUploads.kind,
      fileName: s.importUploads.fileName,
      checksum: s.importUploads.checksum,
      status: s.importUploads.status,
      outcome: s.importUploads.outcome,
      batchId: s.importUploads.batchId,
      createdAt: s.importUploads.createdAt,
    })
    .from(s.importUploads)
    .where(eq(s.importUploads.id, uploadId));
  if (!row) return null;
  let status = row.status as UploadStatus;
  const job = jobProgress(uploadId) ?? jobBefore;
  // A job that is not running in this process was cut off (a restart): say so.
  if ((status === "checking" || status === "importing") && !job) status = "failed";
  return { ...row, status, outcome: row.outcome as StoredOutcome, job: job ? { ...job } : null };
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
    })
    .from(s.importBatches)
    .leftJoin(s.users, eq(s.users.id, s.importBatches.createdBy))
    .where(eq(s.importBatches.studyId, studyId))
    .orderBy(desc(s.importBatches.id));
  return rows.map((r) => ({ ...r, counts: r.counts as { added: number; changed: number; removed: number; unchanged: number } }));
}
