// Test-only preload that moves a child process's wall clock (`Date`, `Date.now`) by an offset the
// test controls, so a test can let a deadline or a publication minute pass without sleeping and
// without any test hook in production code. Load it after tsx:
//   node --import tsx --import <file URL of this module> app/server/main.ts
// with INNSIKT_TEST_CLOCK_FILE naming a file that holds the offset in milliseconds (see
// ./test-clock.ts, which writes it). The file is re-read at most every 20 ms (only when the process
// asks for the time), and each new offset the process takes up is acknowledged in
// `<file>.ack-<pid>`, so the test knows when every process runs on the new clock.
//
// Monotonic time (setTimeout, setInterval, performance.now) is left alone, so timers, polling
// intervals and pg-boss's loops keep their pace. In the process that owns an embedded PGlite, the
// database's now() follows the moved clock too (its WebAssembly clock reads Date.now). Move the
// clock forward only: code that measures a duration with Date.now (pg-boss's worker loop) would
// otherwise wait the jump out.
import { readFileSync, renameSync, writeFileSync } from "node:fs";

export const CLOCK_FILE_VARIABLE = "INNSIKT_TEST_CLOCK_FILE";

const RE_READ_MS = 20;

function install(file: string): void {
  const RealDate = Date;
  const ackFile = `${file}.ack-${process.pid}`;
  let offset = 0;
  let acknowledged: number | null = null;
  let readAt = -Infinity;

  const offsetMs = () => {
    const t = performance.now();
    if (t - readAt >= RE_READ_MS) {
      readAt = t;
      try {
        const text = readFileSync(file, "utf8").trim();
        const value = Number(text);
        if (text !== "" && Number.isFinite(value)) offset = value;
      } catch {
        // no file yet: the real clock
      }
      if (offset !== acknowledged) {
        acknowledged = offset;
        writeFileSync(`${ackFile}.tmp`, String(offset));
        renameSync(`${ackFile}.tmp`, ackFile);
      }
    }
    return offset;
  };
  const now = () => RealDate.now() + offsetMs();

  // A Proxy rather than a subclass: `Date()` called without `new` (a string) keeps working, and
  // `instanceof Date`, Date.UTC, Date.parse and the prototype are the real ones.
  const MovedDate = new Proxy(RealDate, {
    construct: (target, args: unknown[], newTarget) => Reflect.construct(target, args.length === 0 ? [now()] : args, newTarget),
    apply: () => new RealDate(now()).toString(),
    get: (target, property, receiver) => (property === "now" ? now : Reflect.get(target, property, receiver)),
  });
  globalThis.Date = MovedDate;
  offsetMs(); // acknowledge the starting offset at once
}

const file = process.env[CLOCK_FILE_VARIABLE];
if (file) install(file);
