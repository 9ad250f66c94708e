// Job types for tests/integration/jobs.test.ts, shared by the test process and its worker
// children (tests/support/jobs-child.ts). Their side effects go to a table of the test's own,
// job_effects (EFFECTS_TABLE), through a connection pool of their own on the database's url,
// so the test can count them whichever process ran the job.

import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { Db } from "#db/client.server";
import * as schema from "#db/schema";
import type { ExtraQueue } from "~/jobs/runtime.server";

export const EFFECTS_TABLE = `create table if not exists job_effects (
  id serial primary key,
  queue text not null,
  key text not null,
  what text not null,
  worker text not null,
  at timestamptz not null default clock_timestamp()
)`;

export interface EffectsPool {
  query<T>(text: string, params?: unknown[]): Promise<{ rows: T[] }>;
  end(): Promise<void>;
}

/**
 * A small pool on the test database's url. postgres.js takes no `?host=<socket dir>` from a
 * URL (the shared PGlite's), so that goes in as an option; no named prepared statements, which
 * PGlite's one session would share between connections.
 */
export function effectsPool(url: string): EffectsPool {
  const sql = clientOf(url, 2);
  return {
    async query<T>(text: string, params: unknown[] = []) {
      return { rows: (await sql.unsafe(text, params as never[])) as unknown as T[] };
    },
    end: () => sql.end({ timeout: 5 }),
  };
}

function clientOf(url: string, max: number) {
  const parsed = new URL(url);
  const socketDir = parsed.searchParams.get("host");
  parsed.search = "";
  return postgres(parsed.toString(), { max, prepare: false, onnotice: () => {}, ...(socketDir ? { host: socketDir } : {}) });
}

/** The app's database handle on a url (a worker child running the app's own jobs). */
export function appDatabaseOn(url: string): { url: string; db: Db; close(): Promise<void> } {
  const client = clientOf(url, 4);
  return { url, db: drizzle({ client, schema, casing: "snake_case" }) as unknown as Db, close: () => client.end({ timeout: 5 }) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * test.effect: records one effect (after a short pause, so two workers overlap);
 * test.flaky: fails the first `failures` attempts of a key, then records "done";
 * test.slow: records "started", waits until a "release" effect of its key exists, records "finished".
 * `worker` names the instance in each effect.
 */
export function testQueues(pool: EffectsPool, worker: string, overrides: { slowExpireInSeconds?: number } = {}): Record<string, ExtraQueue> {
  const record = (queue: string, key: string, what: string) =>
    pool.query("insert into job_effects (queue, key, what, worker) values ($1, $2, $3, $4)", [queue, key, what, worker]);
  return {
    "test.effect": {
      retryLimit: 0,
      retryDelay: 1,
      retryBackoff: false,
      expireInSeconds: 60,
      concurrency: 2,
      handler: (async ({ job }: { job: { data: { key: string } } }) => {
        await sleep(20);
        await record("test.effect", job.data.key, "done");
      }) as never,
    },
    "test.flaky": {
      retryLimit: 3,
      retryDelay: 1,
      retryBackoff: true,
      expireInSeconds: 60,
      handler: (async ({ job }: { job: { data: { key: string; failures: number } } }) => {
        const { rows } = await pool.query<{ n: string }>("select count(*)::int as n from job_effects where queue = 'test.flaky' and key = $1 and what = 'attempt'", [job.data.key]);
        await record("test.flaky", job.data.key, "attempt");
        if (Number(rows[0]!.n) < job.data.failures) throw new Error(`attempt ${Number(rows[0]!.n) + 1} fails on purpose`);
        await record("test.flaky", job.data.key, "done");
      }) as never,
    },
    "test.slow": {
      retryLimit: 2,
      retryDelay: 0,
      retryBackoff: false,
      expireInSeconds: overrides.slowExpireInSeconds ?? 4,
      handler: (async ({ job }: { job: { data: { key: string } } }) => {
        await record("test.slow", job.data.key, "started");
        for (;;) {
          const { rows } = await pool.query("select 1 from job_effects where queue = 'test.slow' and key = $1 and what = 'release'", [job.data.key]);
          if (rows.length > 0) break;
          await sleep(100);
        }
        await record("test.slow", job.data.key, "finished");
      }) as never,
    },
    "test.order": {
      retryLimit: 0,
      retryDelay: 1,
      retryBackoff: false,
      expireInSeconds: 60,
      concurrency: 1,
      handler: (async ({ job }: { job: { data: { key: string } } }) => {
        await record("test.order", job.data.key, "done");
      }) as never,
    },
    "test.tick": {
      policy: "stately",
      retryLimit: 0,
      retryDelay: 1,
      retryBackoff: false,
      expireInSeconds: 60,
      cron: "* * * * *",
      handler: (async () => {
        await record("test.tick", "tick", "done");
      }) as never,
    },
  };
}
