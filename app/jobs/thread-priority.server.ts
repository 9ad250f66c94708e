import { readlinkSync } from "node:fs";
import os from "node:os";

/**
 * How much lower than the web requests a background thread runs (the nice value, 0–19).
 * Rendering a PDF takes a core for seconds; at nice 10 the kernel gives a request thread
 * about ten times its share whenever both want the same core, so pages keep answering
 * while a batch renders, and the render still gets every cycle nobody else wants.
 */
export const BACKGROUND_NICENESS = 10;

/**
 * Lowers the scheduling priority of the calling thread only (a worker thread, not the
 * process): on Linux the nice value is per thread, and a thread's id is readable at
 * /proc/thread-self. Returns whether it took effect; elsewhere (or where the kernel
 * refuses) the thread simply keeps its priority.
 */
export function runThisThreadInBackground(niceness = BACKGROUND_NICENESS): boolean {
  if (process.platform !== "linux") return false;
  try {
    const threadId = Number(lastSegment(readlinkSync("/proc/thread-self")));
    if (!Number.isInteger(threadId) || threadId <= 0) return false;
    os.setPriority(threadId, niceness);
    return true;
  } catch {
    return false;
  }
}

/** `/proc/thread-self` links to `<pid>/task/<tid>`. */
function lastSegment(link: string): string {
  return link.slice(link.lastIndexOf("/") + 1);
}
