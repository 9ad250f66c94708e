// Fast first paint, the server's part: pages, JSON and the build's assets go out compressed
// (brotli or gzip, as the browser accepts), event streams do not, and the fingerprinted
// /build files may be kept by the browser for a year without asking again.
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import zlib from "node:zlib";
import express from "express";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "#db/client.server";
import { projectRoot } from "#db/paths";
import { compressResponses } from "~/server/compression";
import { createTestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";

let database: Database;
let server: TestServer;

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** the body as sent, still encoded */
  raw: Buffer;
}

/** A GET through node:http, which neither adds an Accept-Encoding nor decodes the body. */
function get(origin: string, path: string, acceptEncoding: string | null): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.get(origin + path, { headers: acceptEncoding === null ? {} : { "Accept-Encoding": acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, raw: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
  });
}

function decode(response: RawResponse): string {
  const encoding = response.headers["content-encoding"];
  if (encoding === "br") return zlib.brotliDecompressSync(response.raw).toString("utf8");
  if (encoding === "gzip") return zlib.gunzipSync(response.raw).toString("utf8");
  return response.raw.toString("utf8");
}

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await database?.close();
});

describe("compression", () => {
  it("sends a page brotli-compressed to a browser that accepts it, gzip to one that takes only gzip, plain to one that asks for neither", async () => {
    const br = await get(server.origin, "/login", "gzip, deflate, br");
    expect(br.status).toBe(200);
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    const html = decode(br);
    expect(html).toMatch(/^<!DOCTYPE html>/i);
    expect(html).toContain("</html>");
    expect(br.raw.length).toBeLessThan(Buffer.byteLength(html) / 2);

    const gzip = await get(server.origin, "/login", "gzip");
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(decode(gzip)).toContain("</html>");

    const plain = await get(server.origin, "/login", null);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.raw.toString("utf8")).toContain("</html>");
  });

  it("compresses JSON", async () => {
    const response = await get(server.origin, "/api/v1/openapi.json", "br, gzip");
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^application\/(vnd\.oai\.openapi\+)?json/);
    expect(response.headers["content-encoding"]).toBe("br");
    expect(JSON.parse(decode(response))).toHaveProperty("openapi");
  });

  it("sends the build's fingerprinted script and stylesheet compressed, with a year-long immutable cache", async () => {
    const html = decode(await get(server.origin, "/login", "gzip"));
    const assets = [...html.matchAll(/(?:href|src)="(\/build\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
    // Files under 1 KB (the entry stub) are not worth compressing: check the larger ones.
    const sizes = await Promise.all(assets.map(async (asset) => ({ asset, bytes: (await get(server.origin, asset, null)).raw.length })));
    const large = sizes.filter((a) => a.bytes >= 1024).map((a) => a.asset);
    expect(large.some((a) => a.endsWith(".js"))).toBe(true);
    expect(large.some((a) => a.endsWith(".css"))).toBe(true);
    for (const asset of assets) {
      const response = await get(server.origin, asset, "br, gzip");
      expect(response.status, asset).toBe(200);
      expect(response.headers["cache-control"], asset).toMatch(/\bmax-age=31536000\b/);
      expect(response.headers["cache-control"], asset).toMatch(/\bimmutable\b/);
      if (large.includes(asset)) expect(response.headers["content-encoding"], asset).toBe("br");
    }
  });

  it("serves public/'s own files for an hour, and asks the file system nothing for a page", async () => {
    const favicon = await get(server.origin, "/favicon.svg", null);
    expect(favicon.status).toBe(200);
    expect(favicon.headers["content-type"]).toMatch(/^image\/svg\+xml/);
    expect(favicon.headers["cache-control"]).toMatch(/\bmax-age=3600\b/);

    const publicFolder = path.join(projectRoot, "public");
    const stat = vi.spyOn(fs, "stat");
    try {
      expect((await get(server.origin, "/login", null)).status).toBe(200);
      expect(stat.mock.calls.map(([file]) => String(file)).filter((file) => file.startsWith(publicFolder))).toEqual([]);
    } finally {
      stat.mockRestore();
    }
  });

  it("leaves event streams and files that are compressed already alone", async () => {
    const app = express();
    app.use(compressResponses);
    app.get("/events", (_req, res) => {
      res.setHeader("Content-Type", "text/event-stream");
      res.end(`data: ${"x".repeat(4000)}\n\n`);
    });
    app.get("/file.zip", (_req, res) => {
      res.setHeader("Content-Type", "application/zip");
      res.end(Buffer.alloc(4000));
    });
    app.get("/file.csv", (_req, res) => {
      res.setHeader("Content-Type", "text/csv; charset=utf-8");
      res.end("a;b\n".repeat(1000));
    });
    const listening = await new Promise<http.Server>((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
    try {
      const origin = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
      expect((await get(origin, "/events", "br, gzip")).headers["content-encoding"]).toBeUndefined();
      expect((await get(origin, "/file.zip", "br, gzip")).headers["content-encoding"]).toBeUndefined();
      const csv = await get(origin, "/file.csv", "br, gzip");
      expect(csv.headers["content-encoding"]).toBe("br");
      expect(decode(csv)).toBe("a;b\n".repeat(1000));
    } finally {
      await new Promise<void>((resolve) => listening.close(() => resolve()));
    }
  });
});
