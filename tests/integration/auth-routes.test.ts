import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "#db/client.server";
import * as s from "#db/schema";
import { hashPassword } from "~/auth/password.server";
import { publishStudy } from "~/models/studies/publish.server";
import { createSession, generateSessionToken } from "~/models/accounts/session.server";
import { createTestDatabase } from "../support/db";
import { addMember, createStudy, createTenant, createUser } from "../support/factories";
import { sessionCookieFrom, startTestServer, type TestServer } from "../support/server";

const PASSWORD = "riktig-passord-123";
let database: Database;
let server: TestServer;
let a: Awaited<ReturnType<typeof createTenant>>;
let b: Awaited<ReturnType<typeof createTenant>>;
let onlyB: Awaited<ReturnType<typeof createStudy>>;
let emailA: string;
let emailStaff: string;
let emailBoth: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  const study = await createStudy(db, { year: 2021, status: "draft" });
  a = await createTenant(db, study, { name: "Alfa Bank", scores: [90, 70, 0] });
  b = await createTenant(db, study, { name: "Beta Bank", scores: [100, 80] });
  await createTenant(db, study, { name: "Gamma Bank", scores: [60, 50] });
  await publishStudy(db, study.study.id);
  // A study only B took part in, also published.
  onlyB = await createStudy(db, { year: 2019, status: "draft" });
  await db.insert(s.participations).values({ tenantId: b.tenantId, studyId: onlyB.study.id, classId: onlyB.klass.id, displayName: "Beta Bank" });
  await publishStudy(db, onlyB.study.id);

  const hash = await hashPassword(PASSWORD);
  const userA = await createUser(db, { passwordHash: hash });
  emailA = userA.email;
  await addMember(db, a.tenantId, userA.id, "viewer");
  emailStaff = (await createUser(db, { passwordHash: hash, isStaff: true })).email;
  const both = await createUser(db, { passwordHash: hash });
  emailBoth = both.email;
  await addMember(db, a.tenantId, both.id, "manager");
  await addMember(db, b.tenantId, both.id, "manager");
  server = await startTestServer(database);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await database?.close();
});

const login = (email: string, password = PASSWORD) => server.fetch("/login", { form: { email, password } });

describe("login", () => {
  it("serves the login page with security headers and a CSP nonce on its scripts", async () => {
    const res = await server.fetch("/login");
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    const html = await res.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    expect(html).toContain('<label for="login-email"');
  });

  it("a right password sets an HttpOnly, Secure, SameSite=Lax cookie and only the token's hash is stored", async () => {
    const res = await login(emailA);
    expect(res.status).toBe(302);
    const header = res.headers.get("set-cookie") ?? "";
    expect(header).toMatch(/HttpOnly/);
    expect(header).toMatch(/Secure/);
    expect(header).toMatch(/SameSite=Lax/);
    const token = /innsikt_session=([^;]+)/.exec(header)![1]!;
    const stored = await database.db.select({ id: s.sessions.id }).from(s.sessions);
    expect(stored.map((x) => x.id)).not.toContain(token);
    expect(stored.every((x) => /^[0-9a-f]{64}$/.test(x.id))).toBe(true);
  });

  it("a wrong password and an unknown user get the same 401 page, never a 500", async () => {
    const wrong = await login(emailA, "feil-passord");
    const unknown = await login("finnes.ikke@example.no", "feil-passord");
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.text()).toContain("Feil e-postadresse eller passord.");
    expect(await unknown.text()).toContain("Feil e-postadresse eller passord.");
  });

  it("an empty or malformed form gets 400 with field errors", async () => {
    const res = await server.fetch("/login", { form: { email: "ikke-en-adresse", password: "" } });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("Skriv inn en gyldig e-postadresse.");
    expect((await server.fetch("/login", { form: { email: "", password: PASSWORD } })).status).toBe(400);
  });

  it("the e-mail alone (no single sign-on for its domain) gets the password step, not a failure", async () => {
    const res = await server.fetch("/login", { form: { email: emailA, password: "" } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Skriv passordet ditt.");
    expect(res.headers.get("set-cookie") ?? "").not.toContain("innsikt_session=");
  });

  it("throttles an account after 5 failures, even for the right password", async () => {
    const user = await createUser(database.db, { passwordHash: await hashPassword(PASSWORD) });
    for (let i = 0; i < 5; i++) expect((await login(user.email, `feil-${i}`)).status).toBe(401);
    const blocked = await login(user.email);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another account is unaffected.
    expect((await login(emailStaff)).status).toBe(302);
  });

  it("refuses a POST without a same-origin Origin header (403), before any handler", async () => {
    const none = await fetch(`${server.origin}/login`, { method: "POST", body: new URLSearchParams({ email: emailA, password: PASSWORD }), redirect: "manual" });
    expect(none.status).toBe(403);
    const foreign = await server.fetch("/login", { form: { email: emailA, password: PASSWORD }, headers: { Origin: "https://evil.example" } });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get("set-cookie")).toBeNull();
  });

  it("a redirectTo to another site is ignored", async () => {
    const res = await server.fetch("/login", { form: { email: emailA, password: PASSWORD, redirectTo: "//evil.example/x" } });
    expect(res.headers.get("location")).toBe("/");
  });
});

describe("sessions and guards", () => {
  it("no session: tenant and staff pages redirect to login", async () => {
    for (const path of ["/company", "/staff", "/"]) {
      const res = await server.fetch(path);
      expect(res.status, path).toBe(302);
      expect(res.headers.get("location"), path).toMatch(/^\/login/);
    }
  });

  it("an expired session redirects to login saying so, and is deleted", async () => {
    const [user] = await database.db.select().from(s.users).limit(1);
    const token = generateSessionToken();
    await createSession(database.db, token, user!.id, { now: new Date(Date.now() - 8 * 24 * 3600_000) });
    const res = await server.fetch("/company", { cookie: `innsikt_session=${token}` });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toContain("expired=1");
  });

  it("logout is POST only and ends the session", async () => {
    const cookie = sessionCookieFrom(await login(emailA));
    expect((await server.fetch("/logout", { cookie })).status).toBe(405);
    expect((await server.fetch("/company", { cookie })).status).toBe(200);
    const out = await server.fetch("/logout", { method: "POST", cookie });
    expect(out.status).toBe(302);
    expect((await server.fetch("/company", { cookie })).status).toBe(302);
  });

  it("a company member cannot open the staff console (403)", async () => {
    const cookie = sessionCookieFrom(await login(emailA));
    expect((await server.fetch("/staff", { cookie })).status).toBe(403);
  });

  it("staff see the studies with their counts", async () => {
    const cookie = sessionCookieFrom(await login(emailStaff));
    const res = await server.fetch("/staff", { cookie });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/<th scope="row"[^>]*><a[^>]*href="\/staff\/studies\/2021"[^>]*>2021<\/a><\/th>.*?<td[^>]*>3<\/td><td[^>]*>7<\/td>/s);
  });
});

describe("tenant isolation on the overview and the switcher", () => {
  it("a member sees its own company's overview and nothing of another company", async () => {
    const cookie = sessionCookieFrom(await login(emailA));
    const res = await server.fetch("/company", { cookie });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Alfa Bank");
    // (90 + 70 + 0) / 3 = 53.33…; rank 3 of 3 (Beta 90, Gamma 55).
    expect(html).toContain("53,3");
    expect(html).toContain("3 av 3");
    expect(html).not.toContain("Beta Bank");
    expect(html).not.toContain(b.canary);
  });

  it("a study the company did not take part in is 404 with nothing of it in the body", async () => {
    const cookie = sessionCookieFrom(await login(emailA));
    const res = await server.fetch(`/company?study=${onlyB.study.year}`, { cookie });
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).not.toContain("Beta Bank");
    expect(html).not.toContain(onlyB.study.name);
  });

  it("switching to a company the user is not a member of is 404 and changes nothing", async () => {
    const cookie = sessionCookieFrom(await login(emailA));
    const res = await server.fetch("/switch-company", { form: { tenantId: b.tenantId }, cookie });
    expect(res.status).toBe(404);
    expect(await (await server.fetch("/company", { cookie })).text()).toContain("Alfa Bank");
  });

  it("a member of two companies switches between them", async () => {
    const cookie = sessionCookieFrom(await login(emailBoth));
    const first = await (await server.fetch("/company", { cookie })).text();
    expect(first).toContain('id="tenant-switcher"');
    const res = await server.fetch("/switch-company", { form: { tenantId: b.tenantId }, cookie });
    expect(res.status).toBe(302);
    const html = await (await server.fetch("/company", { cookie })).text();
    expect(html).toContain("Beta Bank");
    expect(html).toContain("90,0");
  });

  it("English is a choice, through the same catalogue", async () => {
    const cookie = sessionCookieFrom(await login(emailA));
    const res = await server.fetch("/company", { cookie: `${cookie}; innsikt_lang=en` });
    const html = await res.text();
    expect(html).toContain("Total score");
    expect(html).toContain("53.3");
    expect(html).toContain('lang="en"');
  });
});
