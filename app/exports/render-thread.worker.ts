// The process's render thread (started by renderInWorker in ./render-worker.server.ts, with
// tsx's loader registered and the thread at background priority first): it takes tasks as they
// come, imports each task's render module once, and posts back what the module's `render`
// made, moving the bytes rather than copying them. It runs until the parent ends it.

import { pathToFileURL } from "node:url";
import { parentPort } from "node:worker_threads";
import { failedReply, type RenderModule, type RenderRequest, type RenderResponse } from "./render-worker.server";

if (!parentPort) throw new Error("render-thread.worker.ts runs only as a worker thread (see renderInWorker).");
const port = parentPort;

port.on("message", (request: RenderRequest) => void run(request));

async function run({ id, module, input }: RenderRequest): Promise<void> {
  try {
    const renderer = (await import(pathToFileURL(module).href)) as RenderModule<unknown>;
    const { result, transfer } = await renderer.render(input);
    const reply: RenderResponse = { id, ok: true, ...result };
    port.postMessage(reply, transfer);
  } catch (error) {
    const reply: RenderResponse = { id, ...failedReply(error) };
    port.postMessage(reply);
  }
}
