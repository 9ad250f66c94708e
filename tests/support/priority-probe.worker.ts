// A render module for tests/unit/render-worker.test.ts. It reads its thread's nice value as the
// first thing it does (the priority at which the render thread loads a render module), counts
// the renders it was given (the module is loaded once per thread), and can end its thread.

import { readlinkSync } from "node:fs";
import os from "node:os";
import { threadId } from "node:worker_threads";

const link = readlinkSync("/proc/thread-self");
const niceAtLoad = os.getPriority(Number(link.slice(link.lastIndexOf("/") + 1)));
let renders = 0;

export interface ProbeResult {
  niceAtLoad: number;
  threadId: number;
  renders: number;
}

export async function render(input: { exit?: number } | null): Promise<{ result: ProbeResult; transfer: ArrayBuffer[] }> {
  if (input?.exit !== undefined) process.exit(input.exit);
  renders += 1;
  return { result: { niceAtLoad, threadId, renders }, transfer: [] };
}
