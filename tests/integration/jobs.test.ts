// The job queue (app/jobs, pg-boss) on a real database: jobs survive a restart, a failing job
// is retried with backoff until it succeeds, two workers on one database run each job once,
// a cron schedule fires once per period however many processes run it, and a job whose
// worker process is killed in the middle is finished by another worker. Runs on PostgreSQL
// (DATABASE_URL) and on PGlite, whose test copy is shared over a socket like `npm start`'s.
// Side effects are counted in a table of the test's own; no timing is asserted except
// pg-boss's lower bounds on the backoff, read from the database's own clock.

import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import * as s from "#db/schema";
import { runImport } from "~/models/studies/import.server";
import { fairPriority } from "~/models/coaching/render-queue.server";
import { createStudy } from "~/models/studies/study.server";
import { startJobs } from "~/jobs/runtime.server";
import type { JobRuntime } from "~/jobs/queue.server";
import { createTestDatabase } from "../support/db";
import { createUser, signedInCookie } from "../support/factories";
import { largeStudy, studyFiles } from "../support/large-study";
import { startTestServer } from "../support/server";
import { EFFECTS_TABLE, effectsPool, testQueues, type EffectsPool } from "../support/test-jobs";

vi.setConfig({ testTimeout: 90_000 });

const study = largeStudy({ year: 2021, inquiries: 1_500 });
const files = studyFiles(study);
const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
let database: Database & { url?: string };
let pool: EffectsPool;
const runtimes: JobRuntime[] = [];
const children: ChildProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase({ shared: true });
  pool = effectsPool(database.url!);
  await pool.query(EFFECTS_TABLE);
}, 60_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  for (const runtime of runtimes) await runtime.stop({ graceful: false }).catch(() => {});
  await pool?.end();
  await database?.close();
});

/** A job queue in this process on the test database: `work` runs the test job types as `name`. */
async function queue(name: string, work: boolean, options: { cron?: boolean; maintenance?: number } = {}) {
  const queues = testQueues(pool, name);
  if (!options.cron) delete queues["test.tick"]!.cron;
  const runtime = await startJobs(database, {
    work,
    appHandlers: false,
    extraQueues: queues,
    pollingIntervalSeconds: 0.5,
    maintenanceIntervalSeconds: options.maintenance ?? 1,
    cronMonitorIntervalSeconds: 1,
    log: () => {},
  });
  runtimes.push(runtime);
  return runtime;
}

async function effects(queue: string, key?: string) {
  const { rows } = await pool.query<{ key: string; what: string; worker: string; at: Date }>(
    `select key, what, worker, at from job_effects where queue = $1 ${key ? "and key = $2" : ""} order by id`,
    key ? [queue, key] : [queue],
  );
  return rows;
}

/** Polls `check` (a database read) until it returns something truthy; fails after `seconds`. */
async function until<T>(what: string, check: () => Promise<T | null | undefined | false>, seconds = 30): Promise<T> {
  for (let i = 0; i < seconds * 10; i++) {
    const value = await check();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function jobState(name: string, id: string) {
  const { rows } = await pool.query<{ state: string; retry_count: number }>("select state, retry_count from pgboss.job where name = $1 and id = $2", [name, id]);
  return rows[0] ?? null;
}

describe("the job queue", () => {
  it("keeps a job queued while no worker runs, and runs it after a restart", async () => {
    const web = await queue("web", false);
    const id = await web.boss.send("test.effect", { key: "restart" });
    expect(id).toBeTruthy();
    await web.stop();
    expect(await effects("test.effect", "restart")).toEqual([]);
    expect((await jobState("test.effect", id!))?.state).toBe("created");

    const worker = await queue("after-restart", true);
    await until("the job to run", async () => (await effects("test.effect", "restart")).length === 1);
    await until("the job to complete", async () => (await jobState("test.effect", id!))?.state === "completed");
    expect((await effects("test.effect", "restart")).map((e) => e.worker)).toEqual(["after-restart"]);
    await worker.stop();
  });

  it("retries a failing job with growing delays until it succeeds", async () => {
    const worker = await queue("retry", true);
    const id = await worker.boss.send("test.flaky", { key: "flaky", failures: 2 });
    await until("the third attempt to succeed", async () => (await effects("test.flaky", "flaky")).some((e) => e.what === "done"));
    const attempts = (await effects("test.flaky", "flaky")).filter((e) => e.what === "attempt");
    expect(attempts).toHaveLength(3);
    // Backoff: retry n waits at least retryDelay × 2^(n-1) seconds (1 s, then 2 s).
    const gaps = attempts.slice(1).map((a, i) => a.at.getTime() - attempts[i]!.at.getTime());
    expect(gaps[0]).toBeGreaterThanOrEqual(1000);
    expect(gaps[1]).toBeGreaterThanOrEqual(2000);
    await until("the job to complete", async () => (await jobState("test.flaky", id!))?.state === "completed");
    expect((await jobState("test.flaky", id!))?.retry_count).toBe(2);
    await worker.stop();
  });

  it("runs each of 20 jobs exactly once with two workers on one database", async () => {
    const a = await queue("a", true);
    const b = await queue("b", true);
    const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).boss.send("test.effect", { key: `many-${i}` })));
    expect(new Set(ids).size).toBe(20);
    await until("20 effects", async () => (await effects("test.effect")).filter((e) => e.key.startsWith("many-")).length >= 20);
    // Every job completed, and none ran twice.
    await until("all 20 jobs to complete", async () => {
      const { rows } = await pool.query<{ n: string }>("select count(*) as n from pgboss.job where name = 'test.effect' and id = any($1::uuid[]) and state = 'completed'", [ids]);
      return Number(rows[0]!.n) === 20;
    });
    const done = (await effects("test.effect")).filter((e) => e.key.startsWith("many-"));
    expect(done).toHaveLength(20);
    expect(new Set(done.map((e) => e.key)).size).toBe(20);
    await Promise.all([a.stop(), b.stop()]);
  });

  it("takes companies in turn when each job's priority is fairPriority of its company's waiting jobs (coaching packs)", async () => {
    // Queued while no worker runs, as startExport does: priority = fairPriority(the company's builds waiting or running).
    const web = await queue("web-order", false);
    const waiting = new Map<string, number>();
    for (const [company, n] of [["A", 5], ["B", 3], ["C", 1]] as const) {
      for (let i = 1; i <= n; i++) {
        await web.boss.send("test.order", { key: `${company}${i}` }, { priority: fairPriority(waiting.get(company) ?? 0) });
        waiting.set(company, (waiting.get(company) ?? 0) + 1);
      }
    }
    const worker = await queue("order-worker", true);
    await until("all nine", async () => (await effects("test.order")).length === 9);
    // A company that queued five makes the others wait behind one of its packs, not all five.
    expect((await effects("test.order")).map((e) => e.key)).toEqual(["A1", "B1", "C1", "A2", "B2", "A3", "B3", "A4", "A5"]);
    await Promise.all([worker.stop(), web.stop()]);
  });

  it("fires a cron schedule once per minute, whether one process or two keep the clock", async () => {
    const child = await startChild("tick-child");
    let local: JobRuntime | null = null;
    try {
      const [{ start }] = (await pool.query<{ start: Date }>("select now() as start")).rows as [{ start: Date }];
      local = await queue("tick-local", true, { cron: true });
      await until("the first tick", async () => (await effects("test.tick")).length > 0);
      // Both processes check the clock every second; give them a few more rounds.
      await new Promise((resolve) => setTimeout(resolve, 5000));
      await local.boss.unschedule("test.tick");
      // Let whatever was already due run to the end, then count.
      await until("no tick left waiting", async () => {
        const { rows } = await pool.query<{ n: number }>(
          "select count(*)::int as n from pgboss.job where (name = 'test.tick' or (name = '__pgboss__send-it' and singleton_key = 'test.tick')) and state in ('created', 'retry', 'active')",
        );
        return rows[0]!.n === 0;
      });
      const [{ end }] = (await pool.query<{ end: Date }>("select now() as end")).rows as [{ end: Date }];
      // pg-boss turns each minute's schedule into one "send it" job per minute slot, and that job
      // then queues the tick; the tick runs when a worker polls, so its own time can fall into the
      // next minute. Count per slot, from the database: one send per minute, one tick per send.
      const { rows: sends } = await pool.query<{ slot: Date }>(
        "select singleton_on as slot from pgboss.job where name = '__pgboss__send-it' and singleton_key = 'test.tick' and created_on >= $1 union all select singleton_on from pgboss.archive where name = '__pgboss__send-it' and singleton_key = 'test.tick' and created_on >= $1",
        [start.toISOString()],
      );
      const ticks = await effects("test.tick");
      expect(ticks.length).toBeGreaterThan(0);
      expect(new Set(sends.map((row) => new Date(row.slot).getTime())).size).toBe(sends.length);
      expect(ticks).toHaveLength(sends.length);
      // And never more ticks than minutes the test lasted.
      const minutesSpanned = Math.floor(new Date(end).getTime() / 60_000) - Math.floor(new Date(start).getTime() / 60_000) + 1;
      expect(ticks.length).toBeLessThanOrEqual(minutesSpanned);
    } finally {
      await local?.stop();
      await stopChild(child);
    }
  });

  it("finishes a job in another worker when the process running it is killed half-way", async () => {
    // Only a child process works at first: it takes the slow job and waits on its release.
    const web = await queue("web-kill", false);
    const child = await startChild("doomed");
    const id = await web.boss.send("test.slow", { key: "kill" });
    const started = await until("the child to start the job", async () => (await effects("test.slow", "kill")).find((e) => e.what === "started"));
    expect(started.worker).toBe("doomed");
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    expect((await jobState("test.slow", id!))?.state).toBe("active");

    // Released now, so the next attempt finishes; this process's worker takes it once it expires.
    await pool.query("insert into job_effects (queue, key, what, worker) values ('test.slow', 'kill', 'release', 'test')");
    const survivor = await queue("survivor", true);
    await until("another worker to finish the job", async () => (await effects("test.slow", "kill")).find((e) => e.what === "finished"));
    await until("the job to complete", async () => (await jobState("test.slow", id!))?.state === "completed");
    const story = (await effects("test.slow", "kill")).filter((e) => e.what !== "release").map((e) => `${e.what}:${e.worker}`);
    expect(story).toEqual(["started:doomed", "started:survivor", "finished:survivor"]);
    expect((await jobState("test.slow", id!))?.retry_count).toBe(1);
    await Promise.all([survivor.stop(), web.stop()]);
  });

  it("shows an upload's progress from the database while a worker in another process checks it", { timeout: 240_000 }, async () => {
    // This process is web only: it serves the pages and queues the job; a child process runs it.
    const studyId = (await createStudy(database.db, { year: study.year, userId: null })).id;
    for (const kind of ["questionnaire", "participants"] as const) {
      expect((await runImport(database.db, { studyId, kind, fileName: `${kind}.csv`, bytes: files[kind], userId: null })).status).toBe("imported");
    }
    const staff = await signedInCookie(database.db, (await createUser(database.db, { isStaff: true })).id);
    // Every progress the worker writes to the upload's row is kept here, to look at afterwards.
    await pool.query("create table upload_progress_log (id serial primary key, status text, progress jsonb)");
    await pool.query(`create function log_upload_progress() returns trigger language plpgsql as $$
      begin insert into upload_progress_log (status, progress) values (new.status, new.progress); return new; end $$`);
    await pool.query("create trigger log_upload_progress after update of progress on import_uploads for each row execute function log_upload_progress()");
    const web = await startJobs(database, { work: false, log: () => {} });
    runtimes.push(web);
    const server = await startTestServer(database);
    try {
      const form = new FormData();
      form.set("kind", "results");
      form.set("file", new Blob([Buffer.from(files.results)]), "results.csv");
      const posted = await server.fetch(`/staff/studies/${study.year}`, { method: "POST", body: form, cookie: staff });
      const uploadId = /\/staff\/uploads\/([0-9a-f-]+)/.exec(posted.headers.get("location") ?? "")![1]!;
      const progress = async () =>
        (await (await server.fetch(`/staff/upload-progress/${uploadId}`, { cookie: staff })).json()) as { running: boolean; phase?: string; done?: number; total?: number };
      // Queued, no worker anywhere yet: the row says it is waiting to be checked.
      expect(await progress()).toEqual({ running: true, phase: "reading", done: 0, total: 1 });

      const child = await startChild("import-worker", true);
      const seen: { running: boolean; phase?: string; done?: number }[] = [];
      await until("the check to finish", async () => {
        const p = await progress();
        seen.push(p);
        return !p.running;
      }, 120);
      // What the other process wrote to the row on the way (recorded by the test's trigger):
      // the phases with rows done, while the upload was still being checked.
      const { rows: written } = await pool.query<{ status: string; progress: { phase: string; done: number; total: number } }>("select status, progress from upload_progress_log order by id");
      const midway = written.filter((w) => w.status === "checking" && w.progress && w.progress.done > 0);
      expect(midway.length).toBeGreaterThan(0);
      expect(midway.every((w) => w.progress.total > 0 && w.progress.done <= w.progress.total)).toBe(true);
      // The page read only the row: every answer it gave while running is one of the row's values.
      for (const p of seen.filter((p) => p.running)) {
        expect([{ phase: "reading", done: 0 }, ...written.map((w) => w.progress)].some((w) => w && w.phase === p.phase && w.done === p.done)).toBe(true);
      }
      const page = await (await server.fetch(`/staff/uploads/${uploadId}`, { cookie: staff })).text();
      expect(page).not.toContain("progress-label");
      const [row] = await database.db.select({ status: s.importUploads.status }).from(s.importUploads).where(eq(s.importUploads.id, uploadId));
      expect(row!.status).toBe("previewed");
      await stopChild(child);
    } finally {
      await server.close();
      await web.stop();
    }
  });
});

/** A worker process (tests/support/jobs-child.ts) running the test job types (and with `app` the app's); resolves once it polls. */
function startChild(name: string, app = false): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "tests/support/jobs-child.ts", "--url", database.url!, "--name", name, ...(app ? ["--app"] : [])], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let stderr = "";
    child.stderr!.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => reject(new Error(`the worker child never got ready: ${stderr}`)), 60_000);
    child.once("exit", (code) => reject(new Error(`the worker child exited (${code}): ${stderr}`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      if (line.includes('"event":"ready"')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
  });
}

async function stopChild(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}
