import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "#db/client.server";
import { createTestDatabase } from "../support/db";
import { createUser, signedInCookie } from "../support/factories";
import { startTestServer, type TestServer } from "../support/server";

// A request this site cannot make sense of gets its own short 400 page (or a clear text when
// Node's parser refuses it before any code of ours runs): never a stack trace, never
// express's "Cannot GET" or default error page. Raw sockets send what fetch would refuse to.
let database: Database;
let server: TestServer;
let host: string;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  host = new URL(server.origin).host;
}, 120_000);

afterAll(async () => {
  await server?.close();
  await database?.close();
});

/** Sends `request` as it is and reads until the server closes the connection. */
function raw(request: string | Buffer): Promise<{ status: number; head: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(new URL(server.origin).port), "127.0.0.1");
    const parts: Buffer[] = [];
    socket.on("data", (part: Buffer) => parts.push(part));
    socket.on("error", reject);
    socket.on("close", () => {
      const text = Buffer.concat(parts).toString("utf8");
      const split = text.indexOf("\r\n\r\n");
      const head = split < 0 ? text : text.slice(0, split);
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), head, body: split < 0 ? "" : text.slice(split + 4) });
    });
    // Not end(): a half-closed client makes Node drop the answer the app is still writing.
    socket.on("connect", () => socket.write(request));
  });
}

const get = (target: string, headers: string) => raw(`GET ${target} HTTP/1.1\r\n${headers}Connection: close\r\n\r\n`);

/** The app's own answer, in Norwegian unless asked otherwise; nothing of the server's insides. */
function expectOwnAnswer(answer: { status: number; head: string; body: string }, status: number, words = "Ugyldig forespørsel") {
  expect(answer.status, answer.head + answer.body).toBe(status);
  expect(answer.body).toContain(words);
  expect(answer.body).not.toMatch(/\bat \S+ \(|\.ts:\d+|node_modules|Cannot (GET|POST)|<pre>|Error:|TypeError|URIError/);
}

describe("malformed Host headers", () => {
  it.each([
    ["a space", "exa mple.com"],
    ["an unclosed IPv6 bracket", "[::1"],
    ["two colons", "a:b:c"],
    ["an empty value", ""],
    ["an over-long name", `${"a".repeat(300)}.example`],
    ["a port out of range", "example.com:99999"],
    ["a path", "example.com/x"],
    ["userinfo", "user@example.com"],
  ])("a Host with %s gets the app's 400 page", async (_, value) => {
    expectOwnAnswer(await get("/login", `Host: ${value}\r\n`), 400);
  });

  it("no Host header at all gets the app's 400 page", async () => {
    expectOwnAnswer(await get("/login", ""), 400);
  });

  it("a Host with a control character is refused before the app with a clear text", async () => {
    const answer = await get("/login", "Host: exa\u0001mple.com\r\n");
    expectOwnAnswer(answer, 400);
    expect(answer.body).toContain("Bad request");
  });

  it("answers in English to a visitor who chose English", async () => {
    expectOwnAnswer(await get("/login", "Host: exa mple.com\r\nCookie: innsikt_lang=en\r\n"), 400, "Bad request");
  });

  it("still serves a well-formed Host", async () => {
    expect((await get("/login", `Host: ${host}\r\n`)).status).toBe(200);
    expect((await get("/login", "Host: localhost\r\n")).status).toBe(200);
    expect((await get("/login", "Host: [::1]:3000\r\n")).status).toBe(200);
  });
});

describe("malformed addresses", () => {
  it.each(["/%", "/%E0%A4%A", "/login%", "/company?q=%E0%A4%A", "/..%2f", "/..%2f..%2fetc%2fpasswd", "/%2e%2e/%2e%2e/etc/passwd", "/company/..%5c..%5cx", "/a%00b"])(
    "%s gets the app's 400 page",
    async (target) => {
      expectOwnAnswer(await get(target, `Host: ${host}\r\n`), 400);
    },
  );

  it("an absolute-form or asterisk request target gets the app's 400 page", async () => {
    expectOwnAnswer(await get("http://evil.example/login", `Host: ${host}\r\n`), 400);
    expectOwnAnswer(await raw(`OPTIONS * HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`), 400);
  });

  it("an absurdly long address gets a clear refusal (414 from the app, 431 past Node's 16 KB of headers)", async () => {
    expectOwnAnswer(await get(`/${"a".repeat(10_000)}`, `Host: ${host}\r\n`), 414, "For lang adresse");
    expectOwnAnswer(await get(`/${"a".repeat(20_000)}`, `Host: ${host}\r\n`), 431, "For store hodefelt");
  });

  it("a request line that is not HTTP gets a clear 400 text", async () => {
    expectOwnAnswer(await raw("GARBAGE\r\n\r\n"), 400);
    expectOwnAnswer(await raw(`GET /login HTTP/1.1\r\nHost: ${host}\r\nX-Bad: a\u0000b\r\n\r\n`), 400);
    expectOwnAnswer(await raw(`GET /lo gin HTTP/1.1\r\nHost: ${host}\r\n\r\n`), 400);
  });
});

describe("errors in production mode", () => {
  it("an uncaught error in a loader shows the app's error page, without the error or its stack", async () => {
    // A database that is gone: the root loader's session lookup throws.
    const broken = await createTestDatabase();
    const cookie = await signedInCookie(broken.db, (await createUser(broken.db)).id);
    const brokenServer = await startTestServer(broken);
    try {
      await broken.close();
      const res = await brokenServer.fetch("/account/sessions", { cookie });
      expect(res.status).toBe(500);
      const html = await res.text();
      expect(html).toContain("Noe gikk galt");
      expect(html).toContain("Unexpected Server Error");
      expect(html).not.toMatch(/\bat \S+ \(|\.ts:\d+|\.js:\d+|node_modules|closed|PGlite|postgres/i);
    } finally {
      await brokenServer.close();
    }
  });
});
