// Issue 17, point 2: a manager runs the company's team on /company/settings/members (invite,
// resend, withdraw, change a role, remove access, see who last signed in); the company always
// keeps an active manager, also when two managers demote each other at once; staff do the same
// from the staff company page through the same model; every change in both audit logs.
import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resultRows, type Database, type Db } from "#db/client.server";
import * as s from "#db/schema";
import { translate } from "~/i18n/i18n";
import { changeMemberRole, LastManagerError } from "~/models/accounts/members.server";
import { createTestDatabase, onPostgresServer } from "../support/db";
import { addMember, createStudy, createTenant, createUser, signedInCookie, type TestStudy } from "../support/factories";
import { startTestServer, type TestServer } from "../support/server";

const PAGE = "/company/settings/members";
let database: Database;
let db: Db;
let server: TestServer;
let study: TestStudy;
let staffId: string;
let staffCookie: string;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  server = await startTestServer(database);
  study = await createStudy(db);
  const staff = await createUser(db, { isStaff: true, name: "Siri Staff" });
  staffId = staff.id;
  staffCookie = await signedInCookie(db, staff.id);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await database?.close();
});

/** A company with a manager (signed in), a team lead and a viewer (never signed in). */
async function company(name = "Alfa Bank") {
  const tenant = await createTenant(db, study, { name });
  const person = async (role: "manager" | "teamlead" | "viewer", who: string) => {
    const user = await createUser(db, { name: who });
    await addMember(db, tenant.tenantId, user.id, role);
    return user;
  };
  const manager = await person("manager", "Mona Leder");
  const teamlead = await person("teamlead", "Tore Teamleder");
  const viewer = await person("viewer", "Vera Leser");
  return { ...tenant, manager, teamlead, viewer, cookie: await signedInCookie(db, manager.id) };
}

const post = (cookie: string, form: Record<string, string>) => server.fetch(PAGE, { cookie, form });
const roleOf = async (tenantId: string, userId: string) =>
  (await db.select({ role: s.memberships.role }).from(s.memberships).where(and(eq(s.memberships.tenantId, tenantId), eq(s.memberships.userId, userId))))[0]?.role ?? null;
const tenantLog = (tenantId: string) =>
  db.select({ action: s.tenantAuditEvents.action, actor: s.tenantAuditEvents.actorUserId, details: s.tenantAuditEvents.details }).from(s.tenantAuditEvents).where(eq(s.tenantAuditEvents.tenantId, tenantId)).orderBy(s.tenantAuditEvents.at);
const staffLog = (tenantId: string) =>
  db.select({ action: s.auditEvents.action, actor: s.auditEvents.actorUserId, details: s.auditEvents.details }).from(s.auditEvents).where(eq(s.auditEvents.participantId, tenantId)).orderBy(s.auditEvents.id);
const linksTo = async (address: string) =>
  (await db.select({ text: s.emailOutbox.textBody }).from(s.emailOutbox).where(eq(s.emailOutbox.toAddress, address)).orderBy(s.emailOutbox.id)).map((m) => /\/invitation\/([a-z2-7]+)/.exec(m.text ?? "")![1]!);
const pending = (tenantId: string) =>
  db
    .select({ id: s.invitations.id, email: s.invitations.email, role: s.invitations.role, revokedAt: s.invitations.revokedAt })
    .from(s.invitations)
    .where(eq(s.invitations.tenantId, tenantId))
    .orderBy(s.invitations.createdAt);

describe("the members page", () => {
  it("lists the people with their role, status and last sign-in, and the pending invitations; only managers get it", async () => {
    const c = await company();
    await db.insert(s.invitations).values({ tenantId: c.tenantId, email: "ny@alfa.example", role: "teamlead", tokenHash: "x".repeat(64), expiresAt: new Date(Date.now() + 86_400_000) });
    const response = await server.fetch(PAGE, { cookie: c.cookie });
    expect(response.status).toBe(200);
    const html = await response.text();
    for (const text of [translate("nb", "members.title"), "Mona Leder", c.manager.email, "Tore Teamleder", "Vera Leser", c.viewer.email, "ny@alfa.example", translate("nb", "members.list.lastLogin")]) {
      expect(html).toContain(text);
    }
    // The manager has signed in (a session); the viewer never has.
    const row = (name: string) => html.slice(html.indexOf(name), html.indexOf("</tr>", html.indexOf(name)));
    expect(row("Mona Leder")).toContain(translate("nb", "members.status.active"));
    expect(row("Vera Leser")).toContain(translate("nb", "members.status.invitedOnly"));
    expect(row("Vera Leser")).toContain(translate("nb", "members.lastLogin.never"));
    const [manager] = await db.select({ at: s.users.lastLoginAt }).from(s.users).where(eq(s.users.id, c.manager.id));
    expect(manager!.at).toBeInstanceOf(Date);
    // The company settings navigation links it for a manager only.
    expect(html).toContain(`href="${PAGE}"`);
    for (const user of [c.teamlead, c.viewer]) {
      const cookie = await signedInCookie(db, user.id);
      expect((await server.fetch(PAGE, { cookie })).status).toBe(403);
      expect((await post(cookie, { intent: "invite", email: "x@alfa.example", role: "viewer" })).status).toBe(403);
      expect((await post(cookie, { intent: "change-role", userId: user.id, role: "manager" })).status).toBe(403);
      expect(await (await server.fetch("/company", { cookie })).text()).not.toContain(`href="${PAGE}"`);
    }
    expect(await roleOf(c.tenantId, c.viewer.id)).toBe("viewer");
    expect(await pending(c.tenantId)).toHaveLength(1);
  });

  it("invites by e-mail with a role: the mail is in the outbox (the link is not on the page), the company's log has it, the staff log does not", async () => {
    const c = await company();
    const invited = await post(c.cookie, { intent: "invite", email: " Ny.Teamleder@Alfa.example ", role: "teamlead" });
    expect(invited.status).toBe(200);
    const html = await invited.text();
    expect(html).toContain(translate("nb", "members.invite.sent", { email: "ny.teamleder@alfa.example" }));
    expect(html).not.toMatch(/\/invitation\/[a-z2-7]{20,}/);
    expect(await pending(c.tenantId)).toMatchObject([{ email: "ny.teamleder@alfa.example", role: "teamlead", revokedAt: null }]);
    const [token] = await linksTo("ny.teamleder@alfa.example");
    expect((await server.fetch(`/invitation/${token}`)).status).toBe(200);
    expect(await tenantLog(c.tenantId)).toEqual([{ action: "invitation.create", actor: c.manager.id, details: { email: "ny.teamleder@alfa.example", role: "teamlead" } }]);
    expect(await staffLog(c.tenantId)).toEqual([]);

    // Someone who already has access: change their role instead (409, beside the field).
    const again = await post(c.cookie, { intent: "invite", email: c.viewer.email.toUpperCase(), role: "manager" });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain(translate("nb", "members.invite.alreadyMember", { email: c.viewer.email }));
    for (const form of [{ email: "ikke-en-adresse", role: "viewer" }, { email: "a@alfa.example", role: "eier" }, { email: "", role: "viewer" }]) {
      expect((await post(c.cookie, { intent: "invite", ...form })).status, JSON.stringify(form)).toBe(400);
    }
    expect(await pending(c.tenantId)).toHaveLength(1);
    expect(await linksTo(c.viewer.email)).toEqual([]);
  });

  it("sends an invitation again (the old link stops working) and withdraws one; both in the company's log", async () => {
    const c = await company();
    expect((await post(c.cookie, { intent: "invite", email: "kari@alfa.example", role: "viewer" })).status).toBe(200);
    const [first] = await pending(c.tenantId);
    const resent = await post(c.cookie, { intent: "resend-invitation", invitationId: first!.id });
    expect(resent.status).toBe(200);
    expect(await resent.text()).toContain(translate("nb", "members.invitations.resent", { email: "kari@alfa.example" }));
    const [oldLink, newLink] = await linksTo("kari@alfa.example");
    expect((await server.fetch(`/invitation/${oldLink}`)).status).toBe(410);
    expect((await server.fetch(`/invitation/${newLink}`)).status).toBe(200);
    const rows = await pending(c.tenantId);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.revokedAt).not.toBeNull();
    expect(rows[1]).toMatchObject({ email: "kari@alfa.example", role: "viewer", revokedAt: null });
    // The replaced one is no longer pending.
    expect((await post(c.cookie, { intent: "resend-invitation", invitationId: first!.id })).status).toBe(404);

    const withdrawn = await post(c.cookie, { intent: "revoke-invitation", invitationId: rows[1]!.id });
    expect(withdrawn.status).toBe(200);
    expect(await withdrawn.text()).toContain(translate("nb", "members.invitations.revoked", { email: "kari@alfa.example" }));
    expect((await server.fetch(`/invitation/${newLink}`)).status).toBe(410);
    expect((await post(c.cookie, { intent: "revoke-invitation", invitationId: rows[1]!.id })).status).toBe(404);
    expect((await post(c.cookie, { intent: "revoke-invitation", invitationId: "ikke-en-id" })).status).toBe(404);
    expect((await tenantLog(c.tenantId)).map((e) => e.action)).toEqual(["invitation.create", "invitation.resend", "invitation.revoke"]);
    expect(await staffLog(c.tenantId)).toEqual([]);
  });

  it("changes a role (at the person's next request) and removes access, ending the person's sessions", async () => {
    const c = await company();
    const teamleadCookie = await signedInCookie(db, c.teamlead.id);
    expect((await server.fetch("/company/coaching", { cookie: teamleadCookie })).status).toBe(200);
    const changed = await post(c.cookie, { intent: "change-role", userId: c.teamlead.id, role: "viewer" });
    expect(changed.status).toBe(200);
    expect(await changed.text()).toContain(translate("nb", "members.roleChanged", { name: "Tore Teamleder", role: "Leser" }));
    expect(await roleOf(c.tenantId, c.teamlead.id)).toBe("viewer");
    expect((await server.fetch("/company/coaching", { cookie: teamleadCookie })).status).toBe(403);
    expect(await (await post(c.cookie, { intent: "change-role", userId: c.teamlead.id, role: "viewer" })).text()).toContain(
      translate("nb", "members.roleUnchanged", { name: "Tore Teamleder", role: "Leser" }),
    );
    expect((await post(c.cookie, { intent: "change-role", userId: c.teamlead.id, role: "eier" })).status).toBe(400);
    expect((await post(c.cookie, { intent: "change-role", userId: "ikke-en-id", role: "viewer" })).status).toBe(404);

    const removed = await post(c.cookie, { intent: "revoke-member", userId: c.teamlead.id });
    expect(removed.status).toBe(200);
    expect(await removed.text()).toContain(translate("nb", "members.revoked", { name: "Tore Teamleder" }));
    expect(await roleOf(c.tenantId, c.teamlead.id)).toBeNull();
    // No company left: signed out, not just refused.
    expect(await db.select().from(s.sessions).where(eq(s.sessions.userId, c.teamlead.id))).toEqual([]);
    const after = await server.fetch("/company", { cookie: teamleadCookie });
    expect(after.status).toBe(302);
    expect(after.headers.get("location")).toMatch(/^\/login\?/);
    expect((await post(c.cookie, { intent: "revoke-member", userId: c.teamlead.id })).status).toBe(404);

    // A person with another company keeps their session there and loses this one at once.
    const other = await company("Beta Forsikring");
    await addMember(db, other.tenantId, c.viewer.id, "viewer");
    const viewerCookie = await signedInCookie(db, c.viewer.id);
    expect((await server.fetch("/switch-company", { cookie: viewerCookie, form: { tenantId: c.tenantId } })).status).toBeLessThan(400);
    expect((await post(c.cookie, { intent: "revoke-member", userId: c.viewer.id })).status).toBe(200);
    const [session] = await db.select({ active: s.sessions.activeTenantId }).from(s.sessions).where(eq(s.sessions.userId, c.viewer.id));
    expect(session!.active).toBeNull();
    expect(await (await server.fetch("/company", { cookie: viewerCookie })).text()).toContain("Beta Forsikring");

    expect((await tenantLog(c.tenantId)).map((e) => [e.action, e.actor, e.details])).toEqual([
      ["membership.role", c.manager.id, { email: c.teamlead.email, from: "teamlead", to: "viewer" }],
      ["membership.revoke", c.manager.id, { email: c.teamlead.email, role: "viewer" }],
      ["membership.revoke", c.manager.id, { email: c.viewer.email, role: "viewer" }],
    ]);
    expect(await staffLog(c.tenantId)).toEqual([]);
  });
});

describe("the company keeps an active manager", () => {
  it("refuses to demote or remove the last active manager (409 with a clear message), for the manager and for staff; a disabled manager does not count", async () => {
    const c = await company();
    const message = translate("nb", "members.lastManager");
    const forms: Record<string, string>[] = [{ intent: "change-role", userId: c.manager.id, role: "teamlead" }, { intent: "revoke-member", userId: c.manager.id }];
    for (const form of forms) {
      const refused = await post(c.cookie, form);
      expect(refused.status, form.intent).toBe(409);
      expect(await refused.text()).toContain(message);
      const byStaff = await server.fetch(`/staff/companies/${c.code}`, { cookie: staffCookie, form });
      expect(byStaff.status, form.intent).toBe(409);
      expect(await byStaff.text()).toContain(message);
    }
    expect(await roleOf(c.tenantId, c.manager.id)).toBe("manager");

    // A second manager whose account is disabled is no manager to keep.
    const gone = await createUser(db, { name: "Gunnar Borte" });
    await addMember(db, c.tenantId, gone.id, "manager");
    await db.update(s.users).set({ disabledAt: new Date() }).where(eq(s.users.id, gone.id));
    expect((await post(c.cookie, { intent: "change-role", userId: c.manager.id, role: "viewer" })).status).toBe(409);
    // ...but may itself be demoted, and with a second active manager the first may step down.
    expect((await post(c.cookie, { intent: "change-role", userId: gone.id, role: "viewer" })).status).toBe(200);
    expect((await post(c.cookie, { intent: "change-role", userId: c.teamlead.id, role: "manager" })).status).toBe(200);
    const steppedDown = await post(c.cookie, { intent: "change-role", userId: c.manager.id, role: "viewer" });
    expect(steppedDown.status).toBe(302);
    expect(steppedDown.headers.get("location")).toBe("/company");
    expect((await server.fetch(PAGE, { cookie: c.cookie })).status).toBe(403);
    expect(await roleOf(c.tenantId, c.teamlead.id)).toBe("manager");
    expect((await tenantLog(c.tenantId)).map((e) => e.action)).toEqual(["membership.role", "membership.role", "membership.role"]);
  });

  it("two managers demoting each other at the same time: one change wins, the other is refused, one manager remains", async () => {
    const c = await company();
    await db.update(s.memberships).set({ role: "manager" }).where(and(eq(s.memberships.tenantId, c.tenantId), eq(s.memberships.userId, c.teamlead.id)));
    const other = await signedInCookie(db, c.teamlead.id);
    const answers = await Promise.all([
      post(c.cookie, { intent: "change-role", userId: c.teamlead.id, role: "viewer" }),
      post(other, { intent: "change-role", userId: c.manager.id, role: "viewer" }),
    ]);
    // The loser is refused by the rule (409) or, when the winner committed before its guard ran,
    // because it is no manager any more (403).
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses[0]).toBe(200);
    expect([403, 409]).toContain(statuses[1]);
    const managers = await db.select().from(s.memberships).where(and(eq(s.memberships.tenantId, c.tenantId), eq(s.memberships.role, "manager")));
    expect(managers).toHaveLength(1);
  });
});

// PGlite runs one transaction at a time, so the race needs a real server: the first demotion is
// held open until the second has either finished (no lock: both would win) or is seen waiting.
describe.skipIf(!onPostgresServer())("the last-manager rule under concurrency (PostgreSQL)", () => {
  it("a demotion that races another waits for it, then sees it and is refused", async () => {
    const c = await company();
    await db.update(s.memberships).set({ role: "manager" }).where(and(eq(s.memberships.tenantId, c.tenantId), eq(s.memberships.userId, c.teamlead.id)));
    let changed!: () => void;
    const firstChanged = new Promise<void>((resolve) => (changed = resolve));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = db.transaction(async (tx) => {
      await changeMemberRole(tx as unknown as Db, { tenantId: c.tenantId, userId: c.teamlead.id, role: "viewer", actor: { userId: c.manager.id, staff: false } });
      changed();
      await held;
    });
    await firstChanged;
    let settled = false;
    const second = changeMemberRole(db, { tenantId: c.tenantId, userId: c.manager.id, role: "viewer", actor: { userId: c.teamlead.id, staff: false } }).then(
      (outcome) => outcome,
      (error: unknown) => error,
    );
    void second.then(() => (settled = true));
    const waiting = async () =>
      resultRows<{ n: number }>(await db.execute(sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`))[0]!.n > 0;
    while (!settled && !(await waiting())) await new Promise((resolve) => setTimeout(resolve, 10));
    release();
    await first;
    expect(await second).toBeInstanceOf(LastManagerError);
    const roles = await db.select({ userId: s.memberships.userId, role: s.memberships.role }).from(s.memberships).where(inArray(s.memberships.userId, [c.manager.id, c.teamlead.id]));
    expect(Object.fromEntries(roles.map((r) => [r.userId, r.role]))).toEqual({ [c.manager.id]: "manager", [c.teamlead.id]: "viewer" });
  });
});

describe("isolation and staff", () => {
  it("a manager of A cannot list, invite into, change or remove anyone of B, whatever ids the form carries", async () => {
    const a = await company("Alfa Bank");
    const b = await company("Beta Bank");
    await db.insert(s.invitations).values({ tenantId: b.tenantId, email: "hemmelig@beta.example", role: "manager", tokenHash: "y".repeat(64), expiresAt: new Date(Date.now() + 86_400_000) });
    const [invitationB] = await pending(b.tenantId);
    const page = await (await server.fetch(`${PAGE}?company=${b.tenantId}`, { cookie: a.cookie })).text();
    for (const secret of [b.manager.email, b.viewer.email, "hemmelig@beta.example"]) expect(page).not.toContain(secret);

    const forged = { tenantId: b.tenantId, participantId: b.tenantId, code: b.code };
    expect((await post(a.cookie, { ...forged, intent: "change-role", userId: b.viewer.id, role: "manager" })).status).toBe(404);
    expect((await post(a.cookie, { ...forged, intent: "change-role", userId: b.manager.id, role: "viewer" })).status).toBe(404);
    expect((await post(a.cookie, { ...forged, intent: "revoke-member", userId: b.viewer.id })).status).toBe(404);
    expect((await post(a.cookie, { ...forged, intent: "resend-invitation", invitationId: invitationB!.id })).status).toBe(404);
    expect((await post(a.cookie, { ...forged, intent: "revoke-invitation", invitationId: invitationB!.id })).status).toBe(404);
    // An invitation goes to the session's company, never the form's.
    expect((await post(a.cookie, { ...forged, intent: "invite", email: "inn@beta.example", role: "manager" })).status).toBe(200);
    expect((await pending(a.tenantId)).map((i) => i.email)).toEqual(["inn@beta.example"]);

    expect(await pending(b.tenantId)).toMatchObject([{ email: "hemmelig@beta.example", revokedAt: null }]);
    expect(await roleOf(b.tenantId, b.viewer.id)).toBe("viewer");
    expect(await roleOf(b.tenantId, b.manager.id)).toBe("manager");
    expect(await tenantLog(b.tenantId)).toEqual([]);
    expect(await linksTo("hemmelig@beta.example")).toEqual([]);
  });

  it("staff do all of it from the staff company page, through the same rules, and each change is in both logs", async () => {
    const c = await company();
    const staffPost = (form: Record<string, string>) => server.fetch(`/staff/companies/${c.code}`, { cookie: staffCookie, form });
    const page = await (await server.fetch(`/staff/companies/${c.code}`, { cookie: staffCookie })).text();
    expect(page).toContain(translate("nb", "members.list.lastLogin"));
    expect((await staffPost({ intent: "invite", email: "ny@alfa.example", role: "viewer" })).status).toBe(200);
    expect((await staffPost({ intent: "invite", email: c.viewer.email, role: "viewer" })).status).toBe(409);
    const [invitation] = await pending(c.tenantId);
    expect((await staffPost({ intent: "resend-invitation", invitationId: invitation!.id })).status).toBe(200);
    const [, fresh] = await pending(c.tenantId);
    expect((await staffPost({ intent: "revoke-invitation", invitationId: fresh!.id })).status).toBe(200);
    expect((await staffPost({ intent: "change-role", userId: c.viewer.id, role: "teamlead" })).status).toBe(200);
    expect((await staffPost({ intent: "revoke-member", userId: c.viewer.id })).status).toBe(200);
    const expected = [
      ["invitation.create", staffId, { email: "ny@alfa.example", role: "viewer" }],
      ["invitation.resend", staffId, { email: "ny@alfa.example", role: "viewer" }],
      ["invitation.revoke", staffId, { email: "ny@alfa.example", role: "viewer" }],
      ["membership.role", staffId, { email: c.viewer.email, from: "viewer", to: "teamlead" }],
      ["membership.revoke", staffId, { email: c.viewer.email, role: "teamlead" }],
    ];
    expect((await tenantLog(c.tenantId)).map((e) => [e.action, e.actor, e.details])).toEqual(expected);
    expect((await staffLog(c.tenantId)).map((e) => [e.action, e.actor, e.details])).toEqual(expected);
  });
});
