// Rendering in a worker thread of its own (the coaching pack's files, the company report):
// rendering is CPU-bound for seconds, so the web server hands it to a thread that renders
// one document, posts it back and exits, and the event loop stays free.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { projectRoot } from "#db/paths";

/** What a rendering worker posts back: its result, or why it could not make it. */
export type WorkerReply<Result> = ({ ok: true } & Result) | { ok: false; message: string; stack?: string };

/** A worker's reply when rendering threw. */
export function failedReply(error: unknown): { ok: false; message: string; stack?: string } {
  return error instanceof Error ? { ok: false, message: error.message, stack: error.stack } : { ok: false, message: String(error) };
}

/**
 * The worker's entry, evaluated as code. Node 20 does not apply module hooks given to a
 * worker (`execArgv: ["--import", "tsx"]`) to the worker's own entry file, and tsx's
 * loader registers itself only on the main thread there; so this plain script calls
 * tsx's register API in the worker's thread and then imports the TypeScript worker
 * module. Paths are absolute, from the project root, so it works from tsx, from the
 * bundled build and from vitest, whatever the working directory.
 */
export function workerBootstrap(workerModule: string): string {
  const tsconfig = path.join(projectRoot, "tsconfig.json");
  const entry = pathToFileURL(workerModule).href;
  // The thread goes to the background before it loads the renderer (react-pdf, fonts, the
  // app's modules through tsx): that loading is a good part of a render's CPU, and at the
  // parent's priority it would take a core from the pages.
  const priority = pathToFileURL(path.join(projectRoot, "app", "jobs", "thread-priority.server.ts")).href;
  return (
    `import(${JSON.stringify(tsxRegisterApi())})` +
    `.then((tsx) => { tsx.register({ tsconfig: ${JSON.stringify(tsconfig)} }); return import(${JSON.stringify(priority)}); })` +
    `.then((priority) => { priority.runThisThreadInBackground(); return import(${JSON.stringify(entry)}); });`
  );
}

/** The URL of tsx's ESM register API ("tsx/esm/api"; its CommonJS build cannot register the hooks). */
function tsxRegisterApi(): string {
  const manifest = createRequire(path.join(projectRoot, "package.json")).resolve("tsx/package.json");
  const { exports } = JSON.parse(readFileSync(manifest, "utf8")) as { exports: Record<string, { import?: { default?: string } }> };
  const target = exports["./esm/api"]?.import?.default;
  if (!target) throw new Error(`tsx (${manifest}) has no ESM "tsx/esm/api" export to start the rendering worker with.`);
  return pathToFileURL(path.join(path.dirname(manifest), target)).href;
}

/**
 * Run `workerModule` in a worker thread of its own, given `workerData`, and let it exit
 * afterwards. Settles once the worker has exited: with what `result` makes of its reply,
 * or with an Error "<failure>: <why>".
 */
export function renderInWorker<Result, Value>(workerModule: string, workerData: unknown, failure: string, result: (reply: { ok: true } & Result) => Value): Promise<Value> {
  return new Promise((resolve, reject) => {
    // A clean execArgv: the parent's flags (vitest's, tsx's CLI) are not the worker's business.
    const worker = new Worker(workerBootstrap(workerModule), { eval: true, workerData, execArgv: [] });
    let outcome: { ok: true; value: Value } | { ok: false; error: Error } | null = null;
    const fail = (message: string, cause?: unknown) => {
      outcome ??= { ok: false, error: new Error(`${failure}: ${message}`, { cause }) };
    };
    worker.on("message", (reply: WorkerReply<Result>) => {
      if (reply.ok) outcome ??= { ok: true, value: result(reply) };
      else {
        const cause = new Error(reply.message);
        if (reply.stack) cause.stack = reply.stack;
        fail(reply.message, cause);
      }
      void worker.terminate();
    });
    worker.on("error", (error) => fail(error.message, error));
    worker.on("exit", (code) => {
      if (!outcome) fail(`the worker stopped (exit code ${code}) without a result`);
      if (outcome?.ok) resolve(outcome.value);
      else reject(outcome?.error);
    });
  });
}
