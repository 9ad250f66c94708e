// Rendering off the event loop (the coaching pack's files, the company report): rendering is
// CPU-bound for seconds, so the web server hands it to the process's one render thread, a
// long-lived worker thread at background priority that loads the renderers once and renders
// each document it is given, and the event loop stays free. Started when first needed; it
// ends after a while without work and is started again by the next render.

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

/** What a render module (a `*.worker.ts` file) exports: the render thread calls `render`. */
export interface RenderModule<Input = never, Result extends object = object> {
  /** Renders; returns what to post back and the buffers to move (not copy) with it. */
  render(input: Input): Promise<{ result: Result; transfer: ArrayBuffer[] }>;
}

/**
 * A render module's result with its `bytes` moved to the parent rather than copied. They go as
 * a copy of their own: a Buffer may share its memory with Node's pool, which cannot be moved.
 */
export function withMovedBytes<Rest extends object>(data: Uint8Array, rest: Rest): { result: Rest & { bytes: Uint8Array }; transfer: ArrayBuffer[] } {
  const bytes = new Uint8Array(data);
  return { result: { ...rest, bytes }, transfer: [bytes.buffer] };
}

/** Moved bytes as a Buffer over the same memory (no copy). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A task sent to the render thread: which module renders what. */
export interface RenderRequest {
  id: number;
  /** an absolute path to a module exporting RenderModule's `render` */
  module: string;
  input: unknown;
}

/** The render thread's answer to the task of the same id. */
export type RenderResponse = { id: number } & WorkerReply<object>;

/** The render thread's entry: it takes tasks and runs each module's `render`. */
const THREAD_MODULE = path.join(projectRoot, "app", "exports", "render-thread.worker.ts");

/**
 * How long the render thread waits for another task before it ends: a season's evening asks for
 * packs and reports in runs, and each new thread would load react-pdf, the fonts and the app's
 * modules again (about 0.6 s of CPU); an idle portal gives the memory back.
 */
export const RENDER_THREAD_IDLE_MS = 5 * 60_000;

interface Pending {
  settle: (reply: WorkerReply<object>) => void;
}

interface RenderThread {
  worker: Worker;
  pending: Map<number, Pending>;
  idleTimer: NodeJS.Timeout | null;
}

let thread: RenderThread | null = null;
let nextId = 1;

/** The process's render thread, started (at background priority, see workerBootstrap) when first needed. */
function renderThread(): RenderThread {
  if (thread) return thread;
  // A clean execArgv: the parent's flags (vitest's, tsx's CLI) are not the worker's business.
  const worker = new Worker(workerBootstrap(THREAD_MODULE), { eval: true, execArgv: [] });
  const current: RenderThread = { worker, pending: new Map(), idleTimer: null };
  // Every task still open when the thread fails or stops gets this reply, and the next task starts a new thread.
  const failAll = (message: string, stack?: string) => {
    if (thread === current) thread = null;
    for (const [id, task] of current.pending) {
      current.pending.delete(id);
      task.settle({ ok: false, message, stack });
    }
  };
  worker.on("message", ({ id, ...reply }: RenderResponse) => {
    const task = current.pending.get(id);
    current.pending.delete(id);
    task?.settle(reply);
    if (current.pending.size === 0) idle(current);
  });
  worker.on("error", (error) => failAll(error.message, error.stack));
  worker.on("exit", (code) => failAll(`the render thread stopped (exit code ${code}) without a result`));
  thread = current;
  return current;
}

/** No task open: the thread no longer keeps the process alive, and ends after RENDER_THREAD_IDLE_MS. */
function idle(current: RenderThread) {
  current.worker.unref();
  // A new task clears this timer before it is sent (renderInWorker).
  current.idleTimer = setTimeout(() => {
    if (thread === current) thread = null;
    void current.worker.terminate();
  }, RENDER_THREAD_IDLE_MS);
  current.idleTimer.unref();
}

/**
 * Render in the process's one render thread: it imports `workerModule` (once) and calls its
 * `render(input)`. Settles with what `result` makes of the reply, or with an Error
 * "<failure>: <why>". The thread is long-lived and runs below the pages' priority; tasks
 * given together share it (rendering is CPU-bound, so they would share the core anyway).
 */
export function renderInWorker<Result, Value>(workerModule: string, input: unknown, failure: string, result: (reply: { ok: true } & Result) => Value): Promise<Value> {
  return new Promise((resolve, reject) => {
    const current = renderThread();
    if (current.idleTimer) clearTimeout(current.idleTimer);
    current.idleTimer = null;
    current.worker.ref();
    const id = nextId++;
    current.pending.set(id, {
      settle: (reply) => {
        if (reply.ok) {
          try {
            resolve(result(reply as { ok: true } & Result));
          } catch (error) {
            reject(new Error(`${failure}: ${error instanceof Error ? error.message : String(error)}`, { cause: error }));
          }
          return;
        }
        const cause = new Error(reply.message);
        if (reply.stack) cause.stack = reply.stack;
        reject(new Error(`${failure}: ${reply.message}`, { cause }));
      },
    });
    const request: RenderRequest = { id, module: workerModule, input };
    try {
      current.worker.postMessage(request);
    } catch (error) {
      // The input could not be sent (not cloneable): this task ends here, the thread goes on.
      current.pending.delete(id);
      if (current.pending.size === 0) idle(current);
      reject(new Error(`${failure}: ${error instanceof Error ? error.message : String(error)}`, { cause: error }));
    }
  });
}

/** Ends the render thread now (tests; a shutdown need not: an idle thread does not keep the process alive). */
export async function stopRenderThread(): Promise<void> {
  const current = thread;
  thread = null;
  if (current) await current.worker.terminate();
}
