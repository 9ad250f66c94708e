import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "#db/client.server";
import { BODY_LIMITS, DEFAULT_BODY_LIMIT, bodyLimitFor } from "~/server/body-limit";
import { createTestDatabase } from "../support/db";
import { createUser, signedInCookie } from "../support/factories";
import { startTestServer, type TestServer } from "../support/server";

// Every route has a body limit enforced while the body streams in, before anything buffers
// it: 413 at once for a declared Content-Length over it, 413 as soon as a chunked body
// passes it, and the rest of the body is thrown away, not kept.
const MB = 1024 * 1024;
const PUBLIC_FORMS = ["/login", "/forgot-password", "/reset-password/abcdefghijklmnop", "/language", "/invitation/abcdefghijklmnop", "/logout"];
let database: Database;
let server: TestServer;
let cookie: string;
const saved = { key: process.env.STRIPE_SECRET_KEY, secret: process.env.STRIPE_WEBHOOK_SECRET };

beforeAll(async () => {
  database = await createTestDatabase();
  cookie = await signedInCookie(database.db, (await createUser(database.db)).id);
  // Card payment configured, so the webhook route would check a signature if reached.
  process.env.STRIPE_SECRET_KEY = "sk_test_limits";
  process.env.STRIPE_WEBHOOK_SECRET = "whsec_limits";
  server = await startTestServer(database);
}, 120_000);

afterAll(async () => {
  for (const [name, value] of [["STRIPE_SECRET_KEY", saved.key], ["STRIPE_WEBHOOK_SECRET", saved.secret]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await server?.close();
  await database?.close();
});

type Sent = { status: number; type: string; body: string; bytesSent: number };

/**
 * POSTs `size` bytes (`prefix`, then filler) in 64 KB writes, with a Content-Length or
 * chunked, as a well-behaved client: it stops writing when the answer comes.
 */
function post(path: string, options: { size: number; chunked: boolean; prefix?: string; headers?: Record<string, string> }): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.origin}${path}`, {
      method: "POST",
      agent: false,
      headers: {
        Origin: server.origin,
        "Content-Type": "application/x-www-form-urlencoded",
        ...(options.chunked ? {} : { "Content-Length": String(options.size) }),
        ...options.headers,
      },
    });
    const filler = Buffer.alloc(64 * 1024, "a");
    let sent = 0;
    let answered = false;
    let result: Omit<Sent, "bytesSent"> | null = null;
    const finish = () => {
      if (!result) return;
      req.destroy();
      resolve({ ...result, bytesSent: sent });
    };
    req.on("response", (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on("data", (part: Buffer) => parts.push(part));
      res.on("end", () => {
        result = { status: res.statusCode ?? 0, type: String(res.headers["content-type"] ?? ""), body: Buffer.concat(parts).toString("utf8") };
        finish();
      });
    });
    req.on("error", (error) => (result ? finish() : reject(error)));
    const pump = () => {
      while (sent < options.size && !answered) {
        let part: Buffer = filler;
        if (sent === 0 && options.prefix) part = Buffer.concat([Buffer.from(options.prefix), filler]);
        part = part.subarray(0, Math.min(part.length, options.size - sent));
        sent += part.length;
        if (!req.write(part)) return void req.once("drain", pump);
      }
      if (sent >= options.size) req.end();
      finish();
    };
    pump();
  });
}

/**
 * An attacker's client on a raw socket: goes on sending a chunked body of `size` bytes
 * whatever the server answers (honouring only TCP back-pressure) until it is all out or the
 * server closes the connection; then gives the answer's head.
 */
function streamAll(path: string, size: number): Promise<{ head: string; bytesSent: number }> {
  return new Promise((resolve, reject) => {
    const { port, host } = new URL(server.origin);
    const socket = net.connect(Number(port), "127.0.0.1");
    const chunk = Buffer.concat([Buffer.from("10000\r\n"), Buffer.alloc(0x10000, "a"), Buffer.from("\r\n")]);
    let sent = 0;
    let received = "";
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      socket.destroy();
      const end = received.indexOf("\r\n\r\n");
      if (end < 0) reject(new Error(`no answer (sent ${sent} bytes)`));
      else resolve({ head: received.slice(0, end), bytesSent: sent });
    };
    socket.on("data", (data: Buffer) => (received += data.toString("latin1")));
    socket.on("error", finish);
    socket.on("close", finish);
    const pump = () => {
      while (sent < size && !done) {
        sent += 0x10000;
        if (!socket.write(chunk)) return void socket.once("drain", pump);
      }
      if (!done) socket.end("0\r\n\r\n");
    };
    socket.on("connect", () => {
      socket.write(`POST ${path} HTTP/1.1\r\nHost: ${host}\r\nOrigin: ${server.origin}\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n`);
      pump();
    });
  });
}

describe("request body limits", () => {
  it("keeps the limits in one table: 16 KB for public forms, 1 MB for the webhook, 50 MB and the envelope for staff uploads, 1 MB otherwise", () => {
    for (const path of PUBLIC_FORMS) expect({ path, limit: bodyLimitFor(path) }).toEqual({ path, limit: 16 * 1024 });
    expect(bodyLimitFor("/LOGIN/")).toBe(16 * 1024);
    expect(bodyLimitFor("/login.data")).toBe(16 * 1024);
    expect(bodyLimitFor("/l%6Fgin")).toBe(16 * 1024);
    expect(bodyLimitFor("/webhooks/stripe")).toBe(1 * MB);
    expect(bodyLimitFor("/staff/studies/2021")).toBe(51 * MB);
    expect(bodyLimitFor("/staff/studies/2021.data")).toBe(51 * MB);
    expect(bodyLimitFor("/company/settings/privacy")).toBe(DEFAULT_BODY_LIMIT);
    expect(DEFAULT_BODY_LIMIT).toBe(1 * MB);
    expect(BODY_LIMITS.length).toBe(3);
  });

  it.each(PUBLIC_FORMS)("refuses 30 MB to %s with 413, with a Content-Length and chunked", async (path) => {
    for (const chunked of [false, true]) {
      const res = await post(path, { size: 30 * MB, chunked });
      expect({ path, chunked, status: res.status }).toEqual({ path, chunked, status: 413 });
      expect(res.type).toContain("text/html");
      expect(res.body).toContain("For mye data");
      expect(res.body).toContain("16 KB");
      // Refused long before the 30 MB were sent.
      expect(res.bytesSent).toBeLessThan(10 * MB);
    }
  });

  it("answers a request just under a public form's limit as usual, with a Content-Length and chunked", async () => {
    const prefix = "email=nobody%40example.no&password=wrong-password&pad=";
    for (const chunked of [false, true]) {
      const res = await post("/login", { size: 16 * 1024 - 1, chunked, prefix });
      expect({ chunked, status: res.status }).toEqual({ chunked, status: 401 });
      expect(res.body).toContain("Feil e-postadresse eller passord");
    }
  });

  it("refuses a webhook body over 1 MB with JSON 413 before the signature is checked; just under it reaches the signature check", async () => {
    const headers = { "Content-Type": "application/json", "Stripe-Signature": "t=1,v1=bad" };
    for (const chunked of [false, true]) {
      const over = await post("/webhooks/stripe", { size: 1 * MB + 1, chunked, headers });
      expect({ chunked, status: over.status }).toEqual({ chunked, status: 413 });
      expect(over.type).toContain("application/json");
      expect(JSON.parse(over.body)).toEqual({ error: { code: "payload_too_large", message: expect.stringContaining("1 MB") } });
    }
    const under = await post("/webhooks/stripe", { size: 1 * MB, chunked: true, headers, prefix: "{}" });
    expect(under.status).toBe(400);
    expect(under.body).toContain("Invalid Stripe signature");
  });

  it("refuses a signed-in form over 1 MB and an API request over 1 MB (in JSON)", async () => {
    const form = await post("/account/sessions", { size: 2 * MB, chunked: true, headers: { Cookie: cookie } });
    expect(form.status).toBe(413);
    expect(form.body).toContain("1 MB");
    const api = await post("/api/v1/studies", { size: 2 * MB, chunked: false });
    expect(api.status).toBe(413);
    expect(JSON.parse(api.body).error.code).toBe("payload_too_large");
  });

  it("refuses a staff upload whose declared size is over 50 MB and its envelope at once", async () => {
    const res = await post("/staff/studies/2021", { size: 60 * MB, chunked: false, headers: { Cookie: cookie, "Content-Type": "multipart/form-data; boundary=x" } });
    expect(res.status).toBe(413);
    expect(res.body).toContain("51 MB");
    expect(res.bytesSent).toBeLessThan(10 * MB);
  });

  it("does not hold a streamed 30 MB body in memory, even when the client goes on sending it", async () => {
    // The same request once, small: the code it runs is loaded and compiled before measuring.
    await streamAll("/login", 1 * MB);
    const before = process.memoryUsage();
    let peakRss = before.rss;
    let peakHeap = before.heapUsed + before.arrayBuffers;
    const sampler = setInterval(() => {
      const now = process.memoryUsage();
      peakRss = Math.max(peakRss, now.rss);
      peakHeap = Math.max(peakHeap, now.heapUsed + now.arrayBuffers);
    }, 5);
    let res: Awaited<ReturnType<typeof streamAll>>;
    try {
      res = await streamAll("/login", 30 * MB);
    } finally {
      clearInterval(sampler);
    }
    const grew = { rss: (peakRss - before.rss) / MB, heap: (peakHeap - before.heapUsed - before.arrayBuffers) / MB };
    expect(grew.rss).toBeLessThan(15);
    expect(grew.heap).toBeLessThan(15);
    expect(res.head).toMatch(/^HTTP\/1\.1 413 /);
  });
});
