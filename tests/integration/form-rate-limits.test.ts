// The public forms (login, forgot password, accepting an invitation, setting a new password)
// are limited per client address with counters in PostgreSQL, as well as per account
// (issue 12, point 4); and a "forgot password" request does the same work for every address.
// These tests run with the real default limit (vitest.config.ts raises it for the others).
import { randomBytes } from "node:crypto";
import type { PGlite } from "@electric-sql/pglite";
import { and, desc, eq } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDatabase, type Database, type Db } from "#db/client.server";
import * as s from "#db/schema";
import { hashPassword } from "~/auth/password.server";
import { formLimitPerMinute } from "~/auth/rate-limit.server";
import { THROTTLE_FREE_FAILURES } from "~/auth/throttle.server";
import { createInvitation } from "~/models/accounts/invitation.server";
import { deliverOutbox } from "~/mail/outbox.server";
import { mailPendingPasswordResets, MAX_RESET_REQUESTS_PER_HOUR, requestPasswordReset } from "~/models/accounts/password-reset.server";
import { createTestDatabase } from "../support/db";
import { createStudy, createTenant, createUser } from "../support/factories";
import { startTestServer, type TestServer } from "../support/server";

const LIMIT = 20;
const PASSWORD = "Riktig-passord-123";
const REFUSED = "For mange forsøk fra nettverket ditt på kort tid";

let database: Database;
/** TRUST_PROXY unset: the socket's address counts, X-Forwarded-For is ignored. */
let direct: TestServer;
/** TRUST_PROXY=loopback: X-Forwarded-For from the (loopback) proxy decides the address. */
let proxied: TestServer;
let tenantId: string;
const saved = { limit: process.env.FORM_RATE_LIMIT_PER_MINUTE, outbox: process.env.OUTBOX_DIR };

async function startProxied(): Promise<TestServer> {
  process.env.TRUST_PROXY = "loopback";
  try {
    return await startTestServer(database);
  } finally {
    delete process.env.TRUST_PROXY;
  }
}

beforeAll(async () => {
  delete process.env.FORM_RATE_LIMIT_PER_MINUTE;
  process.env.OUTBOX_DIR = `/tmp/innsikt-rate-limit-outbox-${process.pid}`;
  database = await createTestDatabase();
  const study = await createStudy(database.db);
  tenantId = (await createTenant(database.db, study)).tenantId;
  direct = await startTestServer(database);
  proxied = await startProxied();
}, 120_000);

afterAll(async () => {
  if (saved.limit === undefined) delete process.env.FORM_RATE_LIMIT_PER_MINUTE;
  else process.env.FORM_RATE_LIMIT_PER_MINUTE = saved.limit;
  if (saved.outbox === undefined) delete process.env.OUTBOX_DIR;
  else process.env.OUTBOX_DIR = saved.outbox;
  await direct?.close();
  await proxied?.close();
  await database?.close();
});

/** A documentation address (RFC 5737) of its own for each use, so tests do not share counters. */
let nextAddress = 1;
const address = () => `203.0.113.${nextAddress++}`;
const token = (length: number) => Array.from(randomBytes(length), (b) => "abcdefghijklmnopqrstuvwxyz234567"[b % 32]).join("");
const from = (ip: string) => ({ "X-Forwarded-For": ip });

type Post = (server: TestServer, ip: string, i: number) => Promise<Response>;

/** One post to each form, as a different account (or link) each time. */
const FORMS: Record<string, Post> = {
  login: (server, ip, i) => server.fetch("/login", { form: { email: `person-${i}-${token(6)}@example.no`, password: "feil-passord" }, headers: from(ip) }),
  "forgot-password": (server, ip, i) => server.fetch("/forgot-password", { form: { email: `person-${i}-${token(6)}@example.no` }, headers: from(ip) }),
  invitation: (server, ip) => server.fetch(`/invitation/${token(52)}`, { form: { name: "Kari", password: "Langt-nok-passord-1", confirm: "Langt-nok-passord-1" }, headers: from(ip) }),
  "reset-password": (server, ip) => server.fetch(`/reset-password/${token(32)}`, { form: { password: "Langt-nok-passord-1", confirm: "Langt-nok-passord-1" }, headers: from(ip) }),
};

async function expectRefused(response: Response) {
  expect(response.status).toBe(429);
  const wait = Number(response.headers.get("retry-after"));
  expect(wait).toBeGreaterThanOrEqual(1);
  expect(wait).toBeLessThanOrEqual(60);
  const html = await response.text();
  expect(html).toContain(REFUSED);
  expect(html).toContain(`Vent ${wait} sekunder`);
}

describe("per client address", () => {
  it("runs with the real default: 20 posts a minute per form", () => {
    expect(formLimitPerMinute()).toBe(LIMIT);
  });

  for (const [name, post] of Object.entries(FORMS)) {
    it(`${name}: the 21st post from one address, across accounts, is 429 with Retry-After; another address is not affected`, async () => {
      const ip = address();
      for (let i = 0; i < LIMIT; i++) expect((await post(proxied, ip, i)).status, `post ${i + 1}`).not.toBe(429);
      await expectRefused(await post(proxied, ip, LIMIT));
      expect((await post(proxied, address(), 0)).status).not.toBe(429);
    });
  }

  it("refuses on the form page itself: a live invitation and a live reset link show their form with the message", async () => {
    const ip = address();
    for (let i = 0; i < LIMIT; i++) await FORMS.invitation!(proxied, ip, i);
    const { link } = await createInvitation(database.db, { tenantId, email: `invited-${token(6)}@example.no`, role: "viewer", invitedBy: null });
    const path = new URL(link).pathname;
    const refused = await proxied.fetch(path, { form: { name: "Kari", password: "Langt-nok-passord-1", confirm: "Langt-nok-passord-1" }, headers: from(ip) });
    await expectRefused(refused.clone());
    expect(await refused.text()).toContain('name="confirm"');
    // The invitation is still open: the refused post did nothing.
    expect((await proxied.fetch(path)).status).toBe(200);

    const user = await createUser(database.db);
    await requestPasswordReset(database.db, { email: user.email });
    await mailPendingPasswordResets(database.db);
    const [mail] = await database.db.select().from(s.emailOutbox).where(eq(s.emailOutbox.toAddress, user.email));
    const resetPath = /\/reset-password\/[a-z2-7]{32}/.exec(mail!.textBody ?? "")![0];
    for (let i = 0; i < LIMIT; i++) await FORMS["reset-password"]!(proxied, ip, i);
    const refusedReset = await proxied.fetch(resetPath, { form: { password: "Langt-nok-passord-1", confirm: "Langt-nok-passord-1" }, headers: from(ip) });
    await expectRefused(refusedReset.clone());
    expect(await refusedReset.text()).toContain('name="confirm"');
    expect((await proxied.fetch(resetPath)).status).toBe(200);
  });

  it("follows X-Forwarded-For only with TRUST_PROXY: without it, every post counts for the socket's address", async () => {
    for (let i = 0; i < LIMIT; i++) expect((await FORMS["reset-password"]!(direct, address(), i)).status).toBe(410);
    await expectRefused(await FORMS["reset-password"]!(direct, address(), LIMIT));
  });

  it("keeps its counters in PostgreSQL: a new app instance on the same database sees them", async () => {
    const ip = address();
    const first = await startProxied();
    for (let i = 0; i < LIMIT; i++) await FORMS.login!(first, ip, i);
    await first.close();
    const second = await startProxied();
    try {
      await expectRefused(await FORMS.login!(second, ip, LIMIT));
      const [row] = await database.db.select().from(s.rateLimits).where(and(eq(s.rateLimits.bucket, "form:login"), eq(s.rateLimits.key, ip)));
      expect(row?.hits).toBe(LIMIT + 1);
      // The row is the whole state: without it the address may post again.
      await database.db.delete(s.rateLimits).where(and(eq(s.rateLimits.bucket, "form:login"), eq(s.rateLimits.key, ip)));
      expect((await FORMS.login!(second, ip, 0)).status).toBe(401);
    } finally {
      await second.close();
    }
  });
});

describe("per account, from many addresses", () => {
  it("login: five failures block the account whatever address they come from", async () => {
    const user = await createUser(database.db, { passwordHash: await hashPassword(PASSWORD) });
    for (let i = 0; i < THROTTLE_FREE_FAILURES; i++) {
      expect((await proxied.fetch("/login", { form: { email: user.email, password: "feil-passord" }, headers: from(address()) })).status).toBe(401);
    }
    const blocked = await proxied.fetch("/login", { form: { email: user.email, password: PASSWORD }, headers: from(address()) });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("forgot password: at most three reset mails an hour per account, the same answer beyond", async () => {
    const user = await createUser(database.db);
    const answers = new Set<string>();
    for (let i = 0; i <= MAX_RESET_REQUESTS_PER_HOUR; i++) {
      const response = await proxied.fetch("/forgot-password", { form: { email: user.email }, headers: from(address()) });
      expect(response.status).toBe(200);
      answers.add(/role="status"[^>]*>([^<]+)</.exec(await response.text())?.[1] ?? "");
    }
    expect(answers.size).toBe(1);
    await mailPendingPasswordResets(database.db);
    expect(await database.db.select().from(s.emailOutbox).where(eq(s.emailOutbox.toAddress, user.email))).toHaveLength(MAX_RESET_REQUESTS_PER_HOUR);
  });
});

describe("forgot password does the same work for every address", () => {
  /** The same database through a drizzle instance that reports every statement it sends. */
  function capturing(onQuery: (query: string) => void): Database {
    const options = { schema: s, casing: "snake_case" as const, logger: { logQuery: (query: string) => onQuery(query) } };
    const client = (database.db as unknown as { $client: unknown }).$client;
    const db = database.kind === "pglite" ? drizzlePglite({ client: client as PGlite, ...options }) : drizzlePostgres({ client: client as postgres.Sql, ...options });
    return { ...database, db: db as unknown as Db };
  }

  async function statementsOf(email: string): Promise<string[]> {
    const statements: string[] = [];
    setDatabase(capturing((query) => statements.push(query.replace(/\s+/g, " ").trim())));
    try {
      const response = await proxied.fetch("/forgot-password", { form: { email }, headers: from(address()) });
      expect(response.status).toBe(200);
    } finally {
      setDatabase(database);
    }
    return statements;
  }

  it("the same statements for a known and an unknown address, no mail during the request; the delivery step mails the account", async () => {
    const user = await createUser(database.db);
    const unknown = `ingen-${token(8)}@example.no`;
    const known = await statementsOf(user.email);
    const other = await statementsOf(unknown);
    expect(known.length).toBeGreaterThan(0);
    expect(known).toEqual(other);
    expect(known.some((q) => /"users"|"password_resets"|"email_outbox"/.test(q))).toBe(false);

    // Nothing for the account yet: no link, no mail.
    expect(await database.db.select().from(s.passwordResets).where(eq(s.passwordResets.userId, user.id))).toHaveLength(0);
    expect(await database.db.select().from(s.emailOutbox).where(eq(s.emailOutbox.toAddress, user.email))).toHaveLength(0);

    // The delivery step (the server's outbox timer) writes the link and sends it, to the account only.
    expect(await mailPendingPasswordResets(database.db)).toBeGreaterThanOrEqual(1);
    const sent: string[] = [];
    const results = await deliverOutbox(database.db, async (message, id) => {
      sent.push(String(message.to));
      return `test:${id}`;
    });
    expect(results.every((r) => r.ok)).toBe(true);
    expect(sent).toContain(user.email);
    expect(sent).not.toContain(unknown);
    const [mail] = await database.db.select().from(s.emailOutbox).where(eq(s.emailOutbox.toAddress, user.email)).orderBy(desc(s.emailOutbox.id));
    expect(mail?.sentAt).not.toBeNull();
    expect(mail?.textBody).toMatch(/\/reset-password\/[a-z2-7]{32}/);
  });
});
