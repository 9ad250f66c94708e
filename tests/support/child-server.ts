// A real server process for tests that need more than one: `app/server/main.ts`, the entry of
// `npm start` (production mode, the Remix build in build/, web and job workers with the cron in
// one process), started as a child on a free loopback port, with test-only preloads (a moved
// clock: ./clock-preload.ts; a record of its job workers' polls: ./job-probe-preload.ts).
//
// On PostgreSQL give it DATABASE_URL. On the embedded engine give it PGLITE_DATA_DIR: the first
// process to open the folder owns it and serves it over its Unix socket, and a second process
// (or the test, with openEmbedded(dir)) joins through that socket, as a worker next to
// `npm start` does. The folder must hold data already, or the owner loads the demo data.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { projectRoot } from "#db/paths";
import { JOB_PROBE_VARIABLE, type JobProbe } from "./job-probe-preload";

export const JOB_PROBE_PRELOAD = fileURLToPath(new URL("./job-probe-preload.ts", import.meta.url));

export interface ChildServerOptions {
  /** a short name for logs and errors ("a", "b") */
  name: string;
  /** the database: DATABASE_URL, or PGLITE_DATA_DIR for the embedded engine */
  database: { url: string } | { pgliteDataDir: string };
  /** where delivered mail is written (.eml files) */
  outboxDir: string;
  /** modules to load with --import after tsx (e.g. CLOCK_PRELOAD) */
  preloads?: string[];
  /** a folder for the job probe (./job-probe-preload.ts is then loaded too) */
  jobProbeDir?: string;
  /** more environment (e.g. a test clock's env) */
  env?: Record<string, string>;
}

export interface ChildServer {
  name: string;
  origin: string;
  pid: number;
  /** its standard output and error, line by line (the last 2 000) */
  output: string[];
  /** what its job workers polled and took, per queue (needs jobProbeDir) */
  jobProbe(): JobProbe;
  /** SIGTERM (graceful: running jobs finish), SIGKILL after 25 s */
  stop(): Promise<void>;
}

/** A free loopback port: the kernel's pick for port 0 (the server's PORT must be a real one). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts the server and resolves once it serves /healthz with its job workers started. */
export async function startChildServer(options: ChildServerOptions): Promise<ChildServer> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  // NODE_ENV as the build in build/ was made (the test run builds it under vitest's "test"; React's
  // JSX runtime must match the build's). The app runs in production mode for anything but
  // "development" (app/env.server.ts).
  const nodeEnv = process.env.NODE_ENV === "development" ? "production" : (process.env.NODE_ENV ?? "production");
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env, NODE_ENV: nodeEnv, HOST: "127.0.0.1", PORT: String(port), PUBLIC_URL: origin, OUTBOX_DIR: options.outboxDir, INNSIKT_WORKER: "on" };
  // Nothing of the test run's own configuration leaks in: no SMTP, no Stripe, no other database.
  for (const name of ["DATABASE_URL", "JOBS_DATABASE_URL", "PGLITE_DATA_DIR", "SMTP_URL", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_API_URL", "TRUST_PROXY"]) delete env[name];
  if ("url" in options.database) env.DATABASE_URL = options.database.url;
  else env.PGLITE_DATA_DIR = options.database.pgliteDataDir;
  const preloads = [...(options.preloads ?? [])];
  if (options.jobProbeDir) {
    mkdirSync(options.jobProbeDir, { recursive: true });
    env[JOB_PROBE_VARIABLE] = options.jobProbeDir;
    preloads.push(JOB_PROBE_PRELOAD);
  }
  const args = ["--import", "tsx", ...preloads.flatMap((file) => ["--import", pathToFileURL(file).href]), path.join("app", "server", "main.ts")];
  const child: ChildProcess = spawn(process.execPath, args, { cwd: projectRoot, env, stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) output.push(line);
    if (output.length > 2000) output.splice(0, output.length - 2000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  let exited: string | null = null;
  const exit = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      exited = `exited with ${signal ?? code}`;
      resolve();
    }),
  );
  const tail = () => output.slice(-30).join("\n");
  const server: ChildServer = {
    name: options.name,
    origin,
    pid: child.pid!,
    output,
    jobProbe() {
      const file = options.jobProbeDir && path.join(options.jobProbeDir, `${child.pid}.json`);
      return file && existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as JobProbe) : {};
    },
    async stop() {
      if (exited) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 25_000);
      await exit;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited) throw new Error(`server ${options.name} ${exited}:\n${tail()}`);
    // main.ts prints this line once startJobs has started the workers and the cron.
    if (output.some((line) => line.startsWith("Background jobs run in this process too"))) {
      const healthy = await fetch(`${origin}/healthz`).then(
        (response) => response.status === 200,
        () => false,
      );
      if (healthy) return server;
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`server ${options.name} did not start within 90 s:\n${tail()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
