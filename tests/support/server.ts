import type { AddressInfo } from "node:net";
import { setDatabase, type Database } from "#db/client.server";
import { createApp, loadBuild } from "~/server/app";
import { createHttpServer } from "~/server/malformed-request";

/**
 * The real HTTP stack (middleware + Remix build) on a loopback port, on this file's database.
 * `instance` loads the build afresh, with module state of its own, as a second app process would.
 */
export async function startTestServer(database: Database, { instance }: { instance?: string } = {}) {
  setDatabase(database);
  const app = createApp(await loadBuild(instance));
  const server = await new Promise<import("node:http").Server>((resolve) => {
    const s = createHttpServer(app).listen(0, "127.0.0.1", () => resolve(s));
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
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
