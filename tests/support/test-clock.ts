// The test's side of ./clock-preload.ts: one moved clock shared by the test and the child
// processes it starts with `clock.env` (and the preload). The test process itself keeps the real
// `Date` (vitest times tests with it): read the moved time with `clock.now()` and pass it on
// (e.g. schedulePublication's `now`).
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { CLOCK_FILE_VARIABLE } from "./clock-preload";

/** The preload module, for `node --import`. */
export const CLOCK_PRELOAD = fileURLToPath(new URL("./clock-preload.ts", import.meta.url));

export interface TestClock {
  /** the environment a child needs to follow this clock (with CLOCK_PRELOAD loaded) */
  env: Record<string, string>;
  /** the moved time */
  now(): Date;
  /** the offset from the real clock, in ms */
  offsetMs(): number;
  /**
   * Moves the clock forward to `to` in every process that follows it and waits until each of
   * `pids` has taken up the new offset (each acknowledges it within a few ms of asking the time).
   */
  moveTo(to: Date, pids: number[]): Promise<void>;
}

export function createTestClock(dir: string): TestClock {
  const file = path.join(dir, "clock-offset");
  let offset = 0;
  writeFileSync(file, "0");
  const acknowledged = (pid: number) => {
    const ack = `${file}.ack-${pid}`;
    return existsSync(ack) ? Number(readFileSync(ack, "utf8")) : null;
  };
  return {
    env: { [CLOCK_FILE_VARIABLE]: file },
    now: () => new Date(Date.now() + offset),
    offsetMs: () => offset,
    async moveTo(to, pids) {
      const next = to.getTime() - Date.now();
      if (next < offset) throw new Error(`the clock only moves forward (it is at ${new Date(Date.now() + offset).toISOString()}, asked for ${to.toISOString()})`);
      offset = next;
      // Whole or not at all: the servers read the file while it is written (a rename is atomic).
      writeFileSync(`${file}.tmp`, String(offset));
      renameSync(`${file}.tmp`, file);
      await expect.poll(() => pids.map(acknowledged), { timeout: 10_000, interval: 50 }).toEqual(pids.map(() => offset));
    },
  };
}
