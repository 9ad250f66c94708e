// The real HTTP stack (express + the Remix build, as startTestServer runs it) on a loopback
// port, with the server's own time per request: from the request reaching the HTTP server
// to the last byte of the response handed to the socket ('finish'). Nothing in the app is
// changed for it; the timing wraps the express handler from outside.
//
// The client is node:http with a keep-alive agent, so a request costs no new TCP connection
// and as little client-side work as Node allows; its wall time is reported beside the
// server's.

import http from "node:http";
import type { AddressInfo } from "node:net";
import { setDatabase, type Database } from "#db/client.server";
import { createApp, loadBuild } from "~/server/app";

const BENCH_ID = "x-bench-id";

export interface TimedResponse {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
  /** request written → response body read, in the client (ms) */
  wallMs: number;
  /** request received → response finished, in the server (ms) */
  serverMs: number;
}

export interface BenchServer {
  origin: string;
  get(path: string, headers?: Record<string, string>): Promise<TimedResponse>;
  close(): Promise<void>;
}

export async function startBenchServer(database: Database): Promise<BenchServer> {
  setDatabase(database);
  const app = createApp(await loadBuild());
  const finished = new Map<string, { promise: Promise<number>; resolve: (ms: number) => void }>();
  const slot = (id: string) => {
    let entry = finished.get(id);
    if (!entry) {
      let resolve!: (ms: number) => void;
      const promise = new Promise<number>((r) => (resolve = r));
      entry = { promise, resolve };
      finished.set(id, entry);
    }
    return entry;
  };

  const server = http.createServer((req, res) => {
    const started = process.hrtime.bigint();
    const id = req.headers[BENCH_ID];
    if (typeof id === "string") {
      const done = () => slot(id).resolve(Number(process.hrtime.bigint() - started) / 1e6);
      res.once("finish", done);
      res.once("close", done); // an aborted response still settles the wait
    }
    app(req, res);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let counter = 0;

  return {
    origin,
    async get(path, headers = {}) {
      const id = String(++counter);
      const started = process.hrtime.bigint();
      const response = await new Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
        const req = http.request(
          { host: "127.0.0.1", port, path, method: "GET", agent, headers: { ...headers, [BENCH_ID]: id, "User-Agent": "innsikt-bench" } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (chunk: Buffer) => chunks.push(chunk));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
            res.on("error", reject);
          },
        );
        req.on("error", reject);
        req.end();
      });
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const serverMs = await slot(id).promise;
      finished.delete(id);
      return { ...response, wallMs, serverMs };
    },
    close() {
      agent.destroy();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
