// Starts the job queue (pg-boss) on the app's database and, in a worker process, the
// handlers of every job. `npm start` runs web and workers in one process; `npm run worker`
// (./worker.ts) only workers; INNSIKT_WORKER=off makes `npm start` web-only (it still enqueues).
//
// pg-boss keeps its tables in the schema "pgboss" of the same database and needs a session
// of its own (advisory locks, LISTEN-free polling): point DATABASE_URL at PostgreSQL or a
// session-mode pool, not at a transaction-mode PgBouncer (docs/operations.md).

import PgBoss from "pg-boss";
import type { Database } from "#db/client.server";
import { env } from "~/env.server";
import { sweepHeldBookings } from "~/models/coaching/booking.server";
import { buildExportJob, sweepExports } from "~/models/coaching/coaching-exports.server";
import { purgeOldTranscripts, transcriptRetentionYears } from "~/models/admin/company-data.server";
import { purgeExpired } from "~/models/admin/housekeeping.server";
import { runUploadJob } from "~/models/studies/import-jobs.server";
import { buildCompanyReportsJob, sweepReports } from "~/models/reports/company-reports.server";
import { publishDueStudies } from "~/models/studies/season.server";
import { mailQueryDigest } from "~/models/studies/queries.server";
import { remindDueInvitations } from "~/models/accounts/onboarding.server";
import { remindPlanOwners } from "~/models/plans/plans.server";
import { deliverOutbox } from "~/mail/outbox.server";
import { mailPendingPasswordResets } from "~/models/accounts/password-reset.server";
import { stripeSetup } from "~/models/coaching/stripe.server";
import { JOB_SCHEMA, QUEUES, enqueue, jobRuntimeOrNull, setJobRuntime, type JobName, type JobPayloads, type JobRuntime, type QueueSettings } from "./queue.server";

/** What a handler gets: the job with pg-boss's metadata, and whether this is its last try. */
export interface JobContext<T> {
  job: PgBoss.JobWithMetadata<T>;
  /** no retry follows if this attempt throws: record the failure for the user */
  lastAttempt: boolean;
}

export type Handler<T> = (context: JobContext<T>) => Promise<void>;

export interface ExtraQueue extends QueueSettings {
  handler?: Handler<never>;
}

export interface StartJobsOptions {
  /** the queue's connection string, when not JOBS_DATABASE_URL or the database's own url */
  url?: string;
  /** run this process's workers, the cron clock and pg-boss's maintenance (expiry of died jobs) */
  work: boolean;
  /** queues beyond the app's own (the tests' job types) */
  extraQueues?: Record<string, ExtraQueue>;
  /** leave out the app's own handlers (a test worker that runs only its own job types) */
  appHandlers?: boolean;
  /** run only these of the app's jobs (a test server: the request-driven ones, not the periodic ones) */
  only?: JobName[];
  /** how often an idle worker looks for jobs that other processes queued (default 1 s) */
  pollingIntervalSeconds?: number;
  /** how often jobs past their expiry (their process died) are failed and retried (default 30 s) */
  maintenanceIntervalSeconds?: number;
  /** how often the cron clock is checked (default JOBS_CRON_CHECK_SECONDS, 30 s; pg-boss's cron itself is per minute) */
  cronMonitorIntervalSeconds?: number;
  log?: (line: string) => void;
}

const LOG = (line: string) => console.log(line);

/** The handlers of the app's jobs, on `database`. */
function appHandlers(database: Pick<Database, "db">, log: (line: string) => void): { [K in JobName]: Handler<JobPayloads[K]> } {
  const { db } = database;
  return {
    async "mail.deliver"() {
      try {
        await mailPendingPasswordResets(db).catch((error: Error) => console.error(`Reset mails: ${error.message}`));
        for (const mail of await deliverOutbox(db)) log(mail.ok ? `E-mail ${mail.id} delivered: ${mail.where}` : `E-mail ${mail.id} not delivered yet: ${mail.error}`);
      } finally {
        // The next run in 10 s; the queue's policy keeps one waiting at most (the cron re-seeds a broken chain).
        await enqueue("mail.deliver", {}, { startAfter: 10 }).catch((error: Error) => console.error(`Outbox: ${error.message}`));
      }
    },
    async "bookings.sweep"() {
      const { confirmed, released } = await sweepHeldBookings(db, stripeSetup());
      if (confirmed + released > 0) log(`Bookings: ${confirmed} confirmed late, ${released} holds released.`);
    },
    async "studies.publish-due"() {
      const published = await publishDueStudies(db);
      if (published.length > 0) log(`Published ${published.length} scheduled ${published.length === 1 ? "study" : "studies"} (ids ${published.join(", ")}).`);
    },
    async "invitations.remind-due"() {
      const n = await remindDueInvitations(db);
      if (n > 0) log(`Reminded ${n} invited ${n === 1 ? "person" : "people"} who had not come yet.`);
    },
    async "queries.digest"() {
      const n = await mailQueryDigest(db);
      if (n > 0) log(`Told staff of ${n} new ${n === 1 ? "query" : "queries"}.`);
    },
    async "plans.remind"() {
      const n = await remindPlanOwners(db);
      if (n > 0) log(`Reminded the owners of ${n} action ${n === 1 ? "plan" : "plans"} due within a week.`);
    },
    async "exports.sweep"() {
      await sweepExports(db);
    },
    async "housekeeping.purge"() {
      const n = await purgeExpired(db);
      if (n.sessions + n.passwordResets + n.loginThrottle + n.rateLimits + n.importUploads + n.coachingLog > 0)
        log(
          `Purged ${n.sessions} expired sessions, ${n.passwordResets} reset links, ${n.loginThrottle} throttle counters, ${n.rateLimits} rate-limit counters, ${n.importUploads} uploaded files, ${n.coachingLog} coaching-log sessions.`,
        );
    },
    async "transcripts.retention"() {
      const years = transcriptRetentionYears();
      if (years === null) return;
      const n = await purgeOldTranscripts(db, years);
      if (n > 0) log(`Retention: removed ${n} transcripts older than ${years} years.`);
    },
    async "reports.sweep"() {
      const { sent, interrupted } = await sweepReports(db);
      if (sent + interrupted > 0) log(`Reports: ${sent} build jobs sent, ${interrupted} interrupted builds marked failed.`);
    },
    async "report.build"({ job, lastAttempt }) {
      await buildCompanyReportsJob(db, job.data, { jobId: job.id, lastAttempt });
    },
    async "import.upload"({ job, lastAttempt }) {
      await runUploadJob(db, job.data, { lastAttempt });
    },
    async "pack.build"({ job, lastAttempt }) {
      await buildExportJob(db, job.data, { lastAttempt });
    },
  };
}

/**
 * Starts pg-boss on `database.url` (creating its schema and the queues when missing) and makes
 * it this process's queue for enqueue(). With `work`, also runs the handlers, the cron schedules
 * (each fires once per period across all processes) and pg-boss's maintenance.
 */
export async function startJobs(database: Pick<Database, "url" | "db">, options: StartJobsOptions): Promise<JobRuntime> {
  // JOBS_DATABASE_URL: the same PostgreSQL database, reached directly or through a session-mode
  // pool, when DATABASE_URL goes through PgBouncer in transaction mode (not for the embedded one).
  const config = env();
  const url = (options.url ?? (database.url && database.url === config.databaseUrl ? config.jobsDatabaseUrl : undefined)) || database.url;
  if (!url) throw new Error("The job queue needs a database another driver can reach (Database.url).");
  const log = options.log ?? LOG;
  // A per-minute job starts within about this many seconds of its minute (pg-boss sends each cron job once per minute across processes).
  const cronCheckSeconds = options.cronMonitorIntervalSeconds ?? config.jobsCronCheckSeconds;
  const boss = new PgBoss({
    connectionString: url,
    schema: JOB_SCHEMA,
    application_name: options.work ? "innsikt-worker" : "innsikt-web",
    max: options.work ? 6 : 2,
    supervise: options.work,
    schedule: options.work,
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 30,
    cronMonitorIntervalSeconds: cronCheckSeconds,
    cronWorkerIntervalSeconds: Math.min(5, cronCheckSeconds),
  });
  boss.on("error", (error: Error) => console.error(`Job queue: ${error.message}`));
  await boss.start();

  const queues: Record<string, ExtraQueue> = { ...QUEUES, ...options.extraQueues };
  for (const [name, settings] of Object.entries(queues)) {
    const queueOptions = { name, policy: settings.policy ?? "standard", retryLimit: settings.retryLimit, retryDelay: settings.retryDelay, retryBackoff: settings.retryBackoff, expireInSeconds: settings.expireInSeconds };
    await boss.createQueue(name, queueOptions);
    await boss.updateQueue(name, queueOptions); // a newer version's settings for an existing queue
  }

  const localWorkers = new Map<string, string[]>();
  const runtime: JobRuntime = {
    boss,
    localWorkers,
    async stop({ graceful = true, timeoutSeconds = 30 } = {}) {
      if (jobRuntimeOrNull() === runtime) setJobRuntime(undefined);
      await boss.stop({ graceful, timeout: timeoutSeconds * 1000, wait: true });
    },
  };
  setJobRuntime(runtime);
  if (!options.work) return runtime;

  const app = Object.entries(appHandlers(database, log)).filter(([name]) => options.appHandlers !== false && (!options.only || options.only.includes(name as JobName)));
  const handlers: Record<string, Handler<never> | undefined> = {
    ...(Object.fromEntries(app) as Record<string, Handler<never>>),
    ...Object.fromEntries(Object.entries(options.extraQueues ?? {}).map(([name, queue]) => [name, queue.handler])),
  };
  for (const [name, handler] of Object.entries(handlers)) {
    if (!handler) continue;
    const settings = queues[name]!;
    const ids: string[] = [];
    for (let i = 0; i < (settings.concurrency ?? 1); i++) {
      ids.push(
        await boss.work<never>(name, { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1 }, async ([job]) => {
          if (!job) return;
          await handler({ job, lastAttempt: job.retryCount >= job.retryLimit });
        }),
      );
    }
    localWorkers.set(name, ids);
  }

  for (const [name, settings] of Object.entries(queues)) {
    if (settings.cron && handlers[name]) await boss.schedule(name, settings.cron, {}, { tz: "Europe/Oslo" });
  }
  // Start the mail chain and apply the retention rule now, not only at their next period.
  if (handlers["mail.deliver"]) await enqueue("mail.deliver", {});
  if (handlers["transcripts.retention"]) await enqueue("transcripts.retention", {});
  // A publication minute that passed while no worker ran is caught up now.
  if (handlers["studies.publish-due"]) await enqueue("studies.publish-due", {});
  // Reminders that fell due while no worker ran go out now.
  if (handlers["invitations.remind-due"]) await enqueue("invitations.remind-due", {});
  return runtime;
}

