// The job queue as the rest of the app sees it: which jobs exist, what each carries, and
// `enqueue`. The queue itself is pg-boss on the app's own database (schema "pgboss"), started
// by ./runtime.server (from app/server/main.ts and app/jobs/worker.ts). A job is a row: it
// survives restarts, is retried with backoff when its handler throws or its process dies
// (the job expires), and is taken by one worker however many processes run.
//
// This module loads no pg-boss code: route modules (the Remix bundle) import it to enqueue,
// and reach the process's one queue through globalThis, like getDatabase().

import type PgBoss from "pg-boss";
import type { PackFormat } from "~/domain/coaching-pack";
import type { Locale } from "~/domain/format";
import type { PackSelection } from "~/models/coaching/coaching-pack.server";

/** The schema pg-boss keeps its tables in (created by pg-boss on start). */
export const JOB_SCHEMA = "pgboss";

/** What each job carries. Names are pg-boss queue names. */
export interface JobPayloads {
  /** Reset links, then the outbox; re-queues itself 10 s after each run (and a cron per minute re-seeds it). */
  "mail.deliver": Record<string, never>;
  /** Card holds whose checkout ran out are settled with Stripe. Every minute. */
  "bookings.sweep": Record<string, never>;
  /** Coaching exports past their 30 days are deleted, builds whose job is gone marked failed. Every minute. */
  "exports.sweep": Record<string, never>;
  /** Expired sessions, reset links, counters and old uploaded files. Hourly. */
  "housekeeping.purge": Record<string, never>;
  /** Transcripts older than TRANSCRIPT_RETENTION_YEARS. Every 6 hours and at a worker's start. */
  "transcripts.retention": Record<string, never>;
  /** Studies whose scheduled publication minute has come are published (once: see models/studies/season.server). Every minute and at a worker's start. */
  "studies.publish-due": Record<string, never>;
  /** Invitations nobody used get their one automatic reminder (models/accounts/onboarding.server). Hourly and at a worker's start. */
  "invitations.remind-due": Record<string, never>;
  /** Owners of action plans due within a week are reminded, once per plan and due date. Hourly. */
  "plans.remind": Record<string, never>;
  /** Staff are told of newly raised queries: one digest e-mail per hour at most. */
  "queries.digest": Record<string, never>;
  /** Queued company reports whose job is missing are sent one, builds whose job died marked failed. Every minute. */
  "reports.sweep": Record<string, never>;
  /** A company's queued reports of a published study (models/reports/company-reports.server): one job per company. */
  "report.build": { tenantId: string; studyId: number };
  /** The staff upload's check (a dry run) or its import. */
  "import.upload": { uploadId: string; mode: "preview" | "commit"; userId: string | null; rechecked: boolean };
  /** A coaching pack: read in the company's tenant scope, rendered in a worker thread, stored. */
  "pack.build": {
    exportId: string;
    tenantId: string;
    companyName: string;
    format: PackFormat;
    selection: PackSelection;
    refs: string[];
    locale: Locale;
    /** when it was asked for (ISO): the pack's "made at" */
    requestedAt: string;
  };
}

export type JobName = keyof JobPayloads;

/** A queue's settings: pg-boss's retry, expiry and policy, and how many of its jobs one process runs at once. */
export interface QueueSettings {
  policy?: PgBoss.QueuePolicy;
  retryLimit: number;
  /** seconds before the first retry; doubled each time with retryBackoff */
  retryDelay: number;
  retryBackoff: boolean;
  /** an active job not completed by then is taken to have died with its process, and retried */
  expireInSeconds: number;
  /** jobs of this queue one process runs at a time */
  concurrency?: number;
  /** cron (minute granularity, Oslo time) that sends one job per period, across all processes */
  cron?: string;
}

const MINUTE = 60;

/** The app's queues. Order: cheap and periodic first. */
export const QUEUES: { [K in JobName]: QueueSettings } = {
  // stately: at most one waiting and one running, so the self-rescheduling chain, the cron
  // that re-seeds it and every process's start can never pile up copies.
  "mail.deliver": { policy: "stately", retryLimit: 0, retryDelay: 10, retryBackoff: false, expireInSeconds: 5 * MINUTE, cron: "* * * * *" },
  "bookings.sweep": { policy: "stately", retryLimit: 0, retryDelay: 30, retryBackoff: false, expireInSeconds: 5 * MINUTE, cron: "* * * * *" },
  "exports.sweep": { policy: "stately", retryLimit: 0, retryDelay: 30, retryBackoff: false, expireInSeconds: 5 * MINUTE, cron: "* * * * *" },
  "reports.sweep": { policy: "stately", retryLimit: 0, retryDelay: 30, retryBackoff: false, expireInSeconds: 5 * MINUTE, cron: "* * * * *" },
  "studies.publish-due": { policy: "stately", retryLimit: 2, retryDelay: 10, retryBackoff: true, expireInSeconds: 10 * MINUTE, cron: "* * * * *" },
  "invitations.remind-due": { policy: "stately", retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 10 * MINUTE, cron: "17 * * * *" },
  "queries.digest": { policy: "stately", retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 10 * MINUTE, cron: "0 * * * *" },
  "plans.remind": { policy: "stately", retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 10 * MINUTE, cron: "13 * * * *" },
  "housekeeping.purge": { policy: "stately", retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 15 * MINUTE, cron: "7 * * * *" },
  "transcripts.retention": { policy: "stately", retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 30 * MINUTE, cron: "23 */6 * * *" },
  // A check of a 50 MB file takes well under a minute; a died process's job is retried after 10.
  "import.upload": { retryLimit: 3, retryDelay: 5, retryBackoff: true, expireInSeconds: 10 * MINUTE, concurrency: 1 },
  // One render at a time per process: it keeps one core busy (a worker thread).
  "pack.build": { retryLimit: 3, retryDelay: 5, retryBackoff: true, expireInSeconds: 10 * MINUTE, concurrency: 1 },
  // A company's reports (a few renders); one company at a time per process, so a study's batch
  // spreads over the worker processes.
  "report.build": { retryLimit: 2, retryDelay: 10, retryBackoff: true, expireInSeconds: 15 * MINUTE, concurrency: 1 },
};

/** The process's running queue (set by ./runtime.server), shared with the Remix bundle's copy of this module. */
export interface JobRuntime {
  boss: PgBoss;
  /** worker ids per queue in this process, to wake at once after a local enqueue */
  localWorkers: Map<string, string[]>;
  stop(options?: { graceful?: boolean; timeoutSeconds?: number }): Promise<void>;
}

const holder = globalThis as unknown as { __innsiktJobs?: JobRuntime };

export function setJobRuntime(runtime: JobRuntime | undefined): void {
  holder.__innsiktJobs = runtime;
}

export function jobRuntimeOrNull(): JobRuntime | null {
  return holder.__innsiktJobs ?? null;
}

export function jobRuntime(): JobRuntime {
  const runtime = holder.__innsiktJobs;
  if (!runtime) throw new Error("The job queue is not started in this process (see app/jobs/runtime.server.ts).");
  return runtime;
}

export type EnqueueOptions = Pick<PgBoss.SendOptions, "priority" | "startAfter" | "singletonKey" | "singletonSeconds" | "retryLimit" | "expireInSeconds">;

/**
 * Queues a job; returns its id, or null when the queue's policy refused a duplicate. A worker
 * in this process (if any) is woken at once; others find it at their next poll.
 */
export async function enqueue<K extends JobName>(name: K, data: JobPayloads[K], options: EnqueueOptions = {}): Promise<string | null> {
  return enqueueAny(name, data, options);
}

/** enqueue for a queue name outside the app's own (the tests' job types). */
export async function enqueueAny(name: string, data: object, options: EnqueueOptions = {}): Promise<string | null> {
  const runtime = jobRuntime();
  const id = await runtime.boss.send(name, data, options);
  for (const workerId of runtime.localWorkers.get(name) ?? []) runtime.boss.notifyWorker(workerId);
  return id;
}
