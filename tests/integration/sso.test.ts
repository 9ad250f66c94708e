// Single sign-on with a company's own OpenID provider (issue 17, points 3 and 5), against a REAL
// provider (oidc-provider, ../support/oidc-provider-child.ts) on a free loopback port, driven
// over HTTP with a cookie jar per browser: the whole authorization code flow with PKCE, state
// and nonce, and each refusal with its own message.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resultRows, type Database } from "#db/client.server";
import * as s from "#db/schema";
import { decryptSsoSecret } from "~/auth/sso-secret.server";
import { hashPassword } from "~/auth/password.server";
import { translate, type MessageKey } from "~/i18n/i18n";
import { createInvitation } from "~/models/accounts/invitation.server";
import { mailPendingPasswordResets, requestPasswordReset } from "~/models/accounts/password-reset.server";
import { CLOCK_FILE_VARIABLE } from "../support/clock-preload";
import { freePort } from "../support/child-server";
import { createTestDatabase } from "../support/db";
import { addMember, createStudy, createTenant, createUser, signedInCookie } from "../support/factories";
import { startTestServer, type TestServer } from "../support/server";
import { CLOCK_PRELOAD } from "../support/test-clock";

const PROVIDER_CHILD = fileURLToPath(new URL("../support/oidc-provider-child.ts", import.meta.url));
const SECRET_A = "hemmelighet-for-alfa-0123456789";
const SECRET_B = "hemmelighet-for-beta-9876543210";
const PASSWORD = "riktig-passord-123";

let database: Database;
let server: TestServer;
let provider: { origin: string; child: ChildProcess; clockFile: string; dir: string };
let tenantA: string;
let tenantB: string;
let managerA: string;
let staffCookie: string;

const say = (key: MessageKey, params: Record<string, string> = {}) => translate("nb", key, params);

async function startProvider(redirectUri: string) {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), "innsikt-oidc-"));
  const clockFile = path.join(dir, "clock-offset");
  writeFileSync(clockFile, "0");
  const clients = [
    { client_id: "innsikt-alfa", client_secret: SECRET_A, redirect_uris: [redirectUri] },
    { client_id: "innsikt-beta", client_secret: SECRET_B, redirect_uris: [redirectUri] },
    { client_id: "another-service", client_secret: "another-secret-0123456789", redirect_uris: ["http://127.0.0.1:1/cb"] },
  ];
  const child = spawn(process.execPath, ["--import", "tsx", "--import", pathToFileURL(CLOCK_PRELOAD).href, PROVIDER_CHILD], {
    env: { ...process.env, OIDC_TEST_CONFIG: JSON.stringify({ port, clients }), [CLOCK_FILE_VARIABLE]: clockFile },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => String(d).includes("ready") && resolve());
    child.once("exit", (code) => reject(new Error(`the OpenID provider exited with ${code}:\n${output}`)));
  });
  return { origin: `http://127.0.0.1:${port}`, child, clockFile, dir };
}

/** Moves the provider's clock by `offsetMs` and waits until it runs on it. */
async function setProviderClock(offsetMs: number) {
  writeFileSync(`${provider.clockFile}.tmp`, String(offsetMs));
  const { renameSync } = await import("node:fs");
  renameSync(`${provider.clockFile}.tmp`, provider.clockFile);
  await expect
    .poll(async () => Math.round((Number(await (await fetch(`${provider.origin}/__test/now`)).text()) - Date.now()) / 60_000), { timeout: 5_000, interval: 30 })
    .toBe(Math.round(offsetMs / 60_000));
}

const control = (what: "login-as" | "id-token-for", body: Record<string, string | null>) =>
  fetch(`${provider.origin}/__test/${what}`, { method: "POST", body: JSON.stringify(body) }).then((r) => expect(r.status).toBe(204));

/** A browser's cookies, by name (paths and expiry are not needed here; deletions are honoured). */
class Jar {
  private cookies = new Map<string, string>();
  take(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === "" || /max-age=0\b/i.test(line) || /expires=[^;]*1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  get(name: string) {
    return this.cookies.get(name);
  }
}

/**
 * The e-mail step, then the browser at the provider (which signs in as the login hint, or as a
 * test names) until it is sent back: the callback URL, not yet opened, and the app's cookies.
 */
async function toCallback(email: string, form: Record<string, string> = {}) {
  const app = new Jar();
  const atProvider = new Jar();
  const start = await server.fetch("/login", { form: { email, redirectTo: "/company/variance", ...form } });
  expect(start.status, await start.clone().text()).toBe(302);
  app.take(start);
  const authorization = new URL(start.headers.get("location")!);
  let url = authorization.href;
  for (let hop = 0; !url.startsWith(server.origin); hop++) {
    expect(hop, `stuck at the provider: ${url}`).toBeLessThan(10);
    const res = await fetch(url, { redirect: "manual", headers: { cookie: atProvider.header() } });
    atProvider.take(res);
    const next = res.headers.get("location");
    if (!next) throw new Error(`the provider answered ${res.status} at ${url}: ${(await res.text()).slice(0, 500)}`);
    url = new URL(next, url).href;
  }
  return { authorization, callback: new URL(url), app };
}

const openCallback = (callback: URL, app: Jar) => server.fetch(callback.pathname + callback.search, { cookie: app.header() });

async function refusedWith(res: Response, key: MessageKey) {
  const html = await res.text();
  expect(res.status, html.slice(0, 300)).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  expect(res.headers.get("set-cookie") ?? "").not.toContain("innsikt_session=");
  expect(html).toContain(say(key));
}

async function sessionsOf(email: string) {
  const [user] = await database.db.select({ id: s.users.id }).from(s.users).where(eq(s.users.email, email));
  if (!user) return 0;
  return (await database.db.select().from(s.sessions).where(eq(s.sessions.userId, user.id))).length;
}

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  const study = await createStudy(db, { year: 2021, status: "draft" });
  tenantA = (await createTenant(db, study, { name: "Alfa Energi", scores: [80] })).tenantId;
  tenantB = (await createTenant(db, study, { name: "Beta Forsikring", scores: [70] })).tenantId;
  const manager = await createUser(db, { email: "leder@alfa.test", passwordHash: await hashPassword(PASSWORD) });
  await addMember(db, tenantA, manager.id, "manager");
  managerA = await signedInCookie(db, manager.id);
  const staff = await createUser(db, { email: "ansatt@operator.test", isStaff: true });
  staffCookie = await signedInCookie(db, staff.id);
  await addMember(db, tenantA, (await createUser(db, { email: "alice@alfa.test" })).id, "teamlead");
  await addMember(db, tenantB, (await createUser(db, { email: "bob@beta.test" })).id, "manager");
  // An address of A's domain whose only membership is in B.
  server = await startTestServer(database);
  process.env.PUBLIC_URL = server.origin;
  provider = await startProvider(`${server.origin}/sso/callback`);
}, 120_000);

afterAll(async () => {
  provider?.child.kill();
  if (provider) rmSync(provider.dir, { recursive: true, force: true });
  await server?.close();
  await database?.close();
  delete process.env.PUBLIC_URL;
});

describe("SSO settings", () => {
  it("a manager sets up the company's provider; the secret is stored encrypted and never shown back", async () => {
    const res = await server.fetch("/company/settings/sso", {
      cookie: managerA,
      form: { intent: "sso", issuer: provider.origin, clientId: "innsikt-alfa", clientSecret: SECRET_A, domains: "Alfa.test, @alfa-energi.test" },
    });
    expect(res.status).toBe(200);
    const [row] = await database.db.select().from(s.ssoConfigs).where(eq(s.ssoConfigs.tenantId, tenantA));
    expect(row!.clientSecretEncrypted).not.toContain(SECRET_A);
    expect(row!.clientSecretEncrypted).toMatch(/^v1:/);
    expect(decryptSsoSecret(row!.clientSecretEncrypted, tenantA)).toBe(SECRET_A);
    // Nowhere in plain text, in any table or column (audit details included).
    const tables = resultRows<{ table_name: string }>(await database.db.execute(sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`));
    for (const { table_name } of tables) {
      const text = JSON.stringify(resultRows(await database.db.execute(sql.raw(`select t::text as row from "${table_name}" t`))));
      expect(text, table_name).not.toContain(SECRET_A);
    }
    // Moved to another company's row, it does not decrypt.
    expect(decryptSsoSecret(row!.clientSecretEncrypted, tenantB)).toBeNull();
    expect(row!.passwordAllowed).toBe(false);
    expect(row!.selfRegistration).toBe(false);
    const domains = await database.db.select({ domain: s.ssoDomains.domain }).from(s.ssoDomains).where(eq(s.ssoDomains.tenantId, tenantA));
    expect(domains.map((d) => d.domain).sort()).toEqual(["alfa-energi.test", "alfa.test"]);

    const page = await (await server.fetch("/company/settings/sso", { cookie: managerA })).text();
    expect(page).toContain("innsikt-alfa");
    expect(page).not.toContain(SECRET_A);
    expect(page).toContain(`${server.origin}/sso/callback`);
    const audit = await database.db.select().from(s.tenantAuditEvents).where(and(eq(s.tenantAuditEvents.tenantId, tenantA), eq(s.tenantAuditEvents.action, "sso.settings")));
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]!.details)).not.toContain(SECRET_A);
    expect(await database.db.select().from(s.auditEvents).where(eq(s.auditEvents.action, "sso.settings"))).toHaveLength(1);
  });

  it("staff set up another company's provider from its company page, password sign-in still allowed", async () => {
    const [b] = await database.db.select({ code: s.participants.code }).from(s.participants).where(eq(s.participants.id, tenantB));
    const res = await server.fetch(`/staff/companies/${b!.code}`, {
      cookie: staffCookie,
      form: { intent: "sso", issuer: provider.origin, clientId: "innsikt-beta", clientSecret: SECRET_B, domains: "beta.test", passwordAllowed: "on" },
    });
    expect(res.status).toBe(200);
    const [row] = await database.db.select().from(s.ssoConfigs).where(eq(s.ssoConfigs.tenantId, tenantB));
    expect(row).toMatchObject({ clientId: "innsikt-beta", passwordAllowed: true });
    expect(row!.clientSecretEncrypted).not.toContain(SECRET_B);
  });

  it("a domain belongs to one company, public mail domains to none; an empty secret keeps the stored one", async () => {
    const taken = await server.fetch("/company/settings/sso", {
      cookie: managerA,
      form: { intent: "sso", issuer: provider.origin, clientId: "innsikt-alfa", clientSecret: "", domains: "alfa.test beta.test" },
    });
    expect(taken.status).toBe(400);
    expect(await taken.text()).toContain(say("sso.error.domainTaken", { domain: "beta.test" }));
    const gmail = await server.fetch("/company/settings/sso", { cookie: managerA, form: { intent: "sso", issuer: provider.origin, clientId: "innsikt-alfa", domains: "gmail.com" } });
    expect(gmail.status).toBe(400);
    expect(await gmail.text()).toContain(say("sso.error.domainPublic", { domain: "gmail.com" }));
    const [row] = await database.db.select().from(s.ssoConfigs).where(eq(s.ssoConfigs.tenantId, tenantA));
    expect(decryptSsoSecret(row!.clientSecretEncrypted, tenantA)).toBe(SECRET_A);
  });
});

describe("signing in with the company's provider", () => {
  it("the whole code flow with PKCE, state and nonce signs a member of the company in, into that company", async () => {
    const { authorization, callback, app } = await toCallback("alice@alfa.test");
    expect(authorization.origin).toBe(provider.origin);
    expect(authorization.searchParams.get("client_id")).toBe("innsikt-alfa");
    expect(authorization.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorization.searchParams.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(authorization.searchParams.get("state")).toBeTruthy();
    expect(authorization.searchParams.get("nonce")).toBeTruthy();
    expect(authorization.searchParams.get("redirect_uri")).toBe(`${server.origin}/sso/callback`);
    expect(app.get("innsikt_sso")).toBeTruthy();
    expect(callback.searchParams.get("code")).toBeTruthy();

    const res = await openCallback(callback, app);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/company/variance");
    app.take(res);
    const page = await server.fetch("/company", { cookie: app.header() });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Alfa Energi");

    // A replayed callback (the same code, state and browser): refused, no second session.
    const before = await sessionsOf("alice@alfa.test");
    await refusedWith(await server.fetch(callback.pathname + callback.search, { cookie: `innsikt_sso=${app.get("innsikt_sso") ?? ""}` }), "sso.refused.used");
    expect(await sessionsOf("alice@alfa.test")).toBe(before);
  });

  it("a callback whose state was tampered with is refused", async () => {
    const { callback, app } = await toCallback("alice@alfa.test");
    const tampered = new URL(callback);
    tampered.searchParams.set("state", `${callback.searchParams.get("state")}x`);
    await refusedWith(await openCallback(tampered, app), "sso.refused.unknown-state");
    // ...as is the true state from another browser (no binding cookie).
    await refusedWith(await server.fetch(callback.pathname + callback.search), "sso.refused.unknown-state");
  });

  it("an ID token the provider issued to another client (wrong audience) is refused", async () => {
    await control("id-token-for", { clientId: "another-service" });
    const { callback, app } = await toCallback("alice@alfa.test");
    await refusedWith(await openCallback(callback, app), "sso.refused.wrong-audience");
  });

  it("an expired ID token (the provider's clock two hours behind) is refused", async () => {
    await setProviderClock(-2 * 3600_000);
    try {
      const { callback, app } = await toCallback("alice@alfa.test");
      await refusedWith(await openCallback(callback, app), "sso.refused.expired");
    } finally {
      await setProviderClock(0);
    }
  });

  it("A's provider cannot sign in anyone of another company's domain, nor anyone without a membership of A", async () => {
    // A's provider vouches for a member of B: B's domain is not one of A's.
    await control("login-as", { email: "bob@beta.test" });
    try {
      const { callback, app } = await toCallback("alice@alfa.test");
      await refusedWith(await openCallback(callback, app), "sso.refused.other-domain");
    } finally {
      await control("login-as", { email: null });
    }
    expect(await sessionsOf("bob@beta.test")).toBe(0);
    // An address of A's domain with a membership of B only.
    await addMember(database.db, tenantB, (await createUser(database.db, { email: "carol@alfa.test" })).id, "viewer");
    const carol = await toCallback("carol@alfa.test");
    await refusedWith(await openCallback(carol.callback, carol.app), "sso.refused.no-access");
    expect(await sessionsOf("carol@alfa.test")).toBe(0);
  });

  it("no membership and no invitation: refused; an invitation to the company lets the person in with its role", async () => {
    const stranger = await toCallback("dina@alfa.test");
    await refusedWith(await openCallback(stranger.callback, stranger.app), "sso.refused.no-access");
    expect(await database.db.select().from(s.users).where(eq(s.users.email, "dina@alfa.test"))).toHaveLength(0);

    await createInvitation(database.db, { tenantId: tenantA, email: "dina@alfa.test", role: "teamlead", invitedBy: null });
    const invited = await toCallback("dina@alfa.test");
    const res = await openCallback(invited.callback, invited.app);
    expect(res.status).toBe(302);
    const [user] = await database.db.select().from(s.users).where(eq(s.users.email, "dina@alfa.test"));
    expect(user!.passwordHash).toBeNull();
    const [membership] = await database.db.select().from(s.memberships).where(and(eq(s.memberships.tenantId, tenantA), eq(s.memberships.userId, user!.id)));
    expect(membership!.role).toBe("teamlead");
    const open = await database.db.select().from(s.invitations).where(and(eq(s.invitations.email, "dina@alfa.test")));
    expect(open.every((i) => i.acceptedAt)).toBe(true);
  });

  it("with self-registration on, an unknown address of the domain joins as a viewer", async () => {
    await database.db.update(s.ssoConfigs).set({ selfRegistration: true }).where(eq(s.ssoConfigs.tenantId, tenantA));
    try {
      const { callback, app } = await toCallback("erik@alfa-energi.test");
      expect((await openCallback(callback, app)).status).toBe(302);
      const [user] = await database.db.select().from(s.users).where(eq(s.users.email, "erik@alfa-energi.test"));
      const [membership] = await database.db.select().from(s.memberships).where(eq(s.memberships.userId, user!.id));
      expect(membership).toMatchObject({ tenantId: tenantA, role: "viewer" });
    } finally {
      await database.db.update(s.ssoConfigs).set({ selfRegistration: false }).where(eq(s.ssoConfigs.tenantId, tenantA));
    }
  });
});

describe("the login page's e-mail step", () => {
  it("a domain whose company allows no passwords goes to the provider, even with a password typed", async () => {
    const res = await server.fetch("/login", { form: { email: "leder@alfa.test", password: PASSWORD } });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(new RegExp(`^${provider.origin}/auth\\?`));
    expect(res.headers.get("set-cookie") ?? "").not.toContain("innsikt_session=");
  });

  it("a domain whose company still allows passwords gets the password step with a button to its provider; others the password step", async () => {
    const beta = await server.fetch("/login", { form: { email: "bob@beta.test" } });
    expect(beta.status).toBe(200);
    const html = await beta.text();
    expect(html).toContain(say("login.passwordStep"));
    expect(html).toContain(say("login.sso.button", { company: "Beta Forsikring" }));
    const other = await server.fetch("/login", { form: { email: "someone@example.no" } });
    expect(other.status).toBe(200);
    const otherHtml = await other.text();
    expect(otherHtml).toContain(say("login.passwordStep"));
    expect(otherHtml).not.toContain(say("login.sso.button", { company: "Beta Forsikring" }));
    // The button starts the flow at B's provider.
    const started = await server.fetch("/login", { form: { email: "bob@beta.test", intent: "sso" } });
    expect(started.status).toBe(302);
    expect(new URL(started.headers.get("location")!).searchParams.get("client_id")).toBe("innsikt-beta");
  });
});

describe("no password for an address its company signs in with its own provider only", () => {
  it("the invitation page sends the person to the provider and refuses a password sent anyway", async () => {
    const { token } = await createInvitation(database.db, { tenantId: tenantA, email: "frida@alfa.test", role: "viewer", invitedBy: null });
    const page = await server.fetch(`/invitation/${token}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(say("sso.invite.intro", { company: "Alfa Energi" }));
    expect(html).toContain(say("login.sso.button", { company: "Alfa Energi" }));
    expect(html).not.toContain('name="password"');

    const posted = await server.fetch(`/invitation/${token}`, { form: { name: "Frida", password: PASSWORD, confirm: PASSWORD } });
    expect(posted.status).toBe(403);
    expect(await posted.text()).toContain(say("sso.invite.providerOnly"));
    expect(posted.headers.get("set-cookie") ?? "").not.toContain("innsikt_session=");
    expect(await database.db.select().from(s.users).where(eq(s.users.email, "frida@alfa.test"))).toHaveLength(0);

    // The page's button is the login's e-mail step: on to A's provider, where the invitation admits her.
    const started = await server.fetch("/login", { form: { email: "frida@alfa.test", redirectTo: "/company" } });
    expect(started.status).toBe(302);
    expect(started.headers.get("location")).toMatch(new RegExp(`^${provider.origin}/auth\\?`));
  });

  it("a password reset link sets no password and opens no session", async () => {
    await requestPasswordReset(database.db, { email: "leder@alfa.test" });
    await mailPendingPasswordResets(database.db);
    const [mail] = await database.db.select().from(s.emailOutbox).where(and(eq(s.emailOutbox.toAddress, "leder@alfa.test"), sql`${s.emailOutbox.textBody} like '%/reset-password/%'`));
    const token = /\/reset-password\/([a-z2-7]{32})/.exec(mail!.textBody ?? "")![1]!;
    const [before] = await database.db.select({ hash: s.users.passwordHash }).from(s.users).where(eq(s.users.email, "leder@alfa.test"));
    const res = await server.fetch(`/reset-password/${token}`, { form: { password: "EtHeltNyttPassord2026", confirm: "EtHeltNyttPassord2026" } });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain(say("sso.reset.providerOnly"));
    expect(res.headers.get("set-cookie") ?? "").not.toContain("innsikt_session=");
    const [after] = await database.db.select({ hash: s.users.passwordHash }).from(s.users).where(eq(s.users.email, "leder@alfa.test"));
    expect(after!.hash).toBe(before!.hash);
  });
});
