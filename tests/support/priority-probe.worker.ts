// A worker module for tests/unit/render-worker.test.ts: reports its thread's nice value as the
// first thing it does, i.e. the priority at which a render worker's modules are loaded.

import { readlinkSync } from "node:fs";
import os from "node:os";
import { parentPort } from "node:worker_threads";

const link = readlinkSync("/proc/thread-self");
parentPort!.postMessage({ ok: true, nice: os.getPriority(Number(link.slice(link.lastIndexOf("/") + 1))) });
