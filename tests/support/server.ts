import type { AddressInfo } from "node:net";
import { setDatabase, type Database } from "#db/client.server";
import { startJobs } from "~/jobs/runtime.server";
import { createApp, loadBuild } from "~/server/app";
import { createHttpServer } from "~/server/malformed-request";

/**
 * The real HTTP stack (middleware + Remix build) on a loopback port, on this file's database.
 * With `jobs`, the job queue and the workers of imports and coaching packs run in this process
 * too, as under `npm start` (the database needs a url: createTestDatabase({ shared: true })).
 * `instance` loads the build afresh, with module state of its own, as a second app process would.
 */
export async function startTestServer(database: Database, options: { jobs?: boolean; instance?: string } = {}) {
  setDatabase(database);
  // The request-driven jobs; the periodic ones (mail, sweeps) are tested on their own and would
  // otherwise send and sweep under the feet of tests that look at the outbox or the bookings.
  const jobs = options.jobs ? await startJobs(database, { work: true, only: ["import.upload", "pack.build", "report.build"], pollingIntervalSeconds: 0.5, log: () => {} }) : null;
  const app = createApp(await loadBuild(options.instance));
  const server = await new Promise<import("node:http").Server>((resolve) => {
    const s = createHttpServer(app).listen(0, "127.0.0.1", () => resolve(s));
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await jobs?.stop({ graceful: true, timeoutSeconds: 10 });
    },
    /** fetch with no redirects followed and, for non-GET, a same-origin Origin header. */
    fetch(path: string, init: RequestInit & { cookie?: string; form?: Record<string, string> } = {}) {
      const headers = new Headers(init.headers);
      if (init.cookie) headers.set("Cookie", init.cookie);
      const method = init.method ?? (init.form ? "POST" : "GET");
      if (method !== "GET" && !headers.has("Origin")) headers.set("Origin", origin);
      const body = init.form ? new URLSearchParams(init.form) : init.body;
      return fetch(origin + path, { ...init, method, headers, body, redirect: "manual" });
    },
  };
}

export type TestServer = Awaited<ReturnType<typeof startTestServer>>;

export function sessionCookieFrom(response: Response): string {
  const header = response.headers.get("set-cookie") ?? "";
  const match = /innsikt_session=([^;]+)/.exec(header);
  if (!match) throw new Error(`no session cookie in response (status ${response.status})`);
  return `innsikt_session=${match[1]}`;
}
