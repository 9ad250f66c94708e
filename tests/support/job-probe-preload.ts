// Test-only preload that lets a test see what the job workers of a child process did, without a
// hook in production code: it wraps pg-boss's fetch (every poll of every worker goes through it)
// and keeps, per queue, how often this process polled it and how many jobs it took, with the
// real wall-clock time of the last poll and the last job taken. It writes them as JSON to
// `<INNSIKT_TEST_JOB_PROBE_DIR>/<pid>.json` (at most every 200 ms, and at once when a job is
// taken). Load it with `node --import tsx --import <file URL of this module> …`; see
// ./child-server.ts, which reads it back (`jobProbe()`).
import { renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

export const JOB_PROBE_VARIABLE = "INNSIKT_TEST_JOB_PROBE_DIR";

/** What the probe file holds, per queue name. */
export type JobProbe = Record<string, { polls: number; lastPollAt: number; jobs: number; lastJobAt: number | null }>;

function install(dir: string): void {
  // pg-boss is CommonJS: the app's `import PgBoss from "pg-boss"` loads this same module instance.
  const require = createRequire(import.meta.url);
  const Manager = require("pg-boss/src/manager.js") as { prototype: { fetch: (name: string, ...rest: unknown[]) => Promise<unknown[]> } };
  const file = path.join(dir, `${process.pid}.json`);
  // The real wall clock, also when ./clock-preload.ts moved Date.
  const realNow = () => Math.round(performance.timeOrigin + performance.now());
  const probe: JobProbe = {};
  let writtenAt = 0;
  const write = (force: boolean) => {
    if (!force && realNow() - writtenAt < 200) return;
    writtenAt = realNow();
    // Whole or not at all: the test reads the file while this process writes it.
    writeFileSync(`${file}.tmp`, JSON.stringify(probe));
    renameSync(`${file}.tmp`, file);
  };
  const fetch = Manager.prototype.fetch;
  Manager.prototype.fetch = async function (name, ...rest) {
    const jobs = await fetch.call(this, name, ...rest);
    const entry = (probe[name] ??= { polls: 0, lastPollAt: 0, jobs: 0, lastJobAt: null });
    entry.polls += 1;
    entry.lastPollAt = realNow();
    if (jobs.length > 0) {
      entry.jobs += jobs.length;
      entry.lastJobAt = entry.lastPollAt;
    }
    write(jobs.length > 0);
    return jobs;
  };
}

const dir = process.env[JOB_PROBE_VARIABLE];
if (dir) install(dir);
