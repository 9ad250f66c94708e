// The body of a rendering worker thread (started by renderPackInWorker in
// ./coaching-render.server.ts, with tsx's loader registered first): render the one
// pack it was given, post the file back without copying it, and end.

import { parentPort, workerData } from "node:worker_threads";
import { runThisThreadInBackground } from "~/jobs/thread-priority.server";
import { failedReply } from "./render-worker.server";
import { renderPack, type WorkerInput, type WorkerReply } from "./coaching-render.server";

if (!parentPort) throw new Error("coaching-render.worker.ts runs only as a worker thread (see renderPackInWorker).");
const port = parentPort;
const { pack, format } = workerData as WorkerInput;
// A render must never hold up the pages this process serves (see thread-priority.server.ts).
runThisThreadInBackground();

try {
  const rendered = await renderPack(pack, format);
  // A Buffer may share its memory with Node's pool; a copy of its own can be transferred.
  const bytes = new Uint8Array(rendered.bytes);
  const reply: WorkerReply = { ok: true, bytes, contentType: rendered.contentType, extension: rendered.extension };
  port.postMessage(reply, [bytes.buffer]);
} catch (error) {
  port.postMessage(failedReply(error));
}
