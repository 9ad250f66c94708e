// The staff console over HTTP (real server stack): only staff get in, every input error is
// a 4xx with words, uploads are checked in the background, invitations work once.
import { readFileSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "#db/client.server";
import * as s from "#db/schema";
import { createInvitation } from "~/models/accounts/invitation.server";
import { runImport } from "~/models/studies/import.server";
import { createStudy as createEmptyStudy } from "~/models/studies/study.server";
import { createTestDatabase } from "../support/db";
import { addMember, createUser, signedInCookie } from "../support/factories";
import { samplesDir } from "../support/sample-study";
import { startTestServer, type TestServer } from "../support/server";

const sample = (name: string) => readFileSync(new URL(name, samplesDir));
let database: Database;
let server: TestServer;
let staff: string;
let manager: string;
let managerId: string;
let tenantId: string;
let uploadId: string;

const cookieFor = (userId: string) => signedInCookie(database.db, userId);

function upload(cookie: string, kind: string, file: Blob | null, fileName = "file.csv") {
  const form = new FormData();
  form.set("kind", kind);
  if (file) form.set("file", file, fileName);
  return server.fetch("/staff/studies/2021", { method: "POST", body: form, cookie });
}

async function waitForJob(id: string, cookie: string) {
  for (let i = 0; i < 200; i++) {
    const res = await server.fetch(`/staff/upload-progress/${id}`, { cookie });
    const body = (await res.json()) as { running: boolean };
    if (!body.running) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("import job did not finish");
}

beforeAll(async () => {
  process.env.OUTBOX_DIR = mkdtempSync(path.join(tmpdir(), "innsikt-outbox-"));
  database = await createTestDatabase({ shared: true });
  const { db } = database;
  const study = await createEmptyStudy(db, { year: 2021, userId: null });
  for (const kind of ["questionnaire", "participants"] as const) {
    await runImport(db, { studyId: study.id, kind, fileName: `${kind}.csv`, bytes: sample(`${kind}.csv`), userId: null });
  }
  const [bank] = await db.select().from(s.participants).where(eq(s.participants.code, "kystbanken"));
  tenantId = bank!.id;
  const staffUser = await createUser(db, { isStaff: true });
  const managerUser = await createUser(db, { name: "Mona Manager" });
  managerId = managerUser.id;
  await addMember(db, tenantId, managerUser.id, "manager");
  staff = await cookieFor(staffUser.id);
  manager = await cookieFor(managerUser.id);
  server = await startTestServer(database, { jobs: true });
  const first = await upload(staff, "results", new Blob([sample("results.csv")]), "results.csv");
  uploadId = /\/staff\/uploads\/([0-9a-f-]+)/.exec(first.headers.get("location") ?? "")![1]!;
  await waitForJob(uploadId, staff);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await database?.close();
});

const staffPages = () => [
  "/staff",
  "/staff/companies",
  "/staff/companies?q=bank",
  "/staff/companies/kystbanken",
  "/staff/studies/2021",
  `/staff/uploads/${uploadId}`,
  `/staff/upload-progress/${uploadId}`,
  "/staff/audit",
];

describe("who gets into the staff console", () => {
  it("serves every staff page to staff", async () => {
    for (const page of staffPages()) expect({ page, status: (await server.fetch(page, { cookie: staff })).status }).toEqual({ page, status: 200 });
  });

  it("answers 403 to a company member on every page and form, with nothing of the console in the body", async () => {
    for (const page of staffPages()) {
      const res = await server.fetch(page, { cookie: manager });
      expect({ page, status: res.status }).toEqual({ page, status: 403 });
      const body = await res.text();
      expect(body).not.toContain("Fjordkraft");
      expect(body).not.toContain("results.csv");
    }
    const posts: [string, Record<string, string>][] = [
      ["/staff", { year: "2030" }],
      ["/staff/studies/2021", { intent: "publish" }],
      ["/staff/companies/kystbanken", { intent: "invite", email: "x@y.no", role: "manager" }],
      ["/staff/companies/kystbanken", { intent: "revoke-member", userId: managerId }],
      ["/staff/companies/kystbanken", { intent: "change-role", userId: managerId, role: "viewer" }],
      [`/staff/uploads/${uploadId}`, { intent: "commit" }],
      ["/staff/coaching", { intent: "booking-cap", cap: "1000" }],
      ["/staff/companies/kystbanken", { intent: "booking-cap", cap: "1000" }],
    ];
    for (const [page, form] of posts) expect({ page, status: (await server.fetch(page, { form, cookie: manager })).status }).toEqual({ page, status: 403 });
    expect((await upload(manager, "results", new Blob([sample("results.csv")]))).status).toBe(403);
    const [study] = await database.db.select().from(s.studies).where(eq(s.studies.year, 2021));
    expect(study!.status).toBe("draft");
    expect(await database.db.select().from(s.studies).where(eq(s.studies.year, 2030))).toEqual([]);
    expect(await database.db.select().from(s.coachingSettings)).toEqual([{ id: true, openBookingsPerCompany: 3 }]);
    expect((await database.db.select().from(s.participants).where(eq(s.participants.id, tenantId)))[0]!.openBookingsCap).toBeNull();
  });

  it("sends anonymous visitors to the login page", async () => {
    for (const page of staffPages()) {
      const res = await server.fetch(page);
      expect({ page, status: res.status }).toEqual({ page, status: 302 });
      expect(res.headers.get("location")).toMatch(/^\/login\?redirectTo=/);
    }
  });

  it("answers 404 for a study, upload or company that does not exist", async () => {
    for (const page of ["/staff/studies/1999", "/staff/studies/abc", "/staff/uploads/not-a-uuid", "/staff/uploads/00000000-0000-4000-8000-000000000000", "/staff/companies/finnes-ikke"]) {
      expect({ page, status: (await server.fetch(page, { cookie: staff })).status }).toEqual({ page, status: 404 });
    }
  });
});

describe("studies and uploads", () => {
  it("creates a study, and refuses a taken or impossible year with a message", async () => {
    const created = await server.fetch("/staff", { form: { year: "2022", name: "Kundeserviceprisen 2022" }, cookie: staff });
    expect(created.status).toBe(302);
    expect(created.headers.get("location")).toBe("/staff/studies/2022");
    const taken = await server.fetch("/staff", { form: { year: "2022" }, cookie: staff });
    expect(taken.status).toBe(409);
    expect(await taken.text()).toContain("Det finnes allerede en undersøkelse for 2022.");
    expect((await server.fetch("/staff", { form: { year: "tjueto" }, cookie: staff })).status).toBe(400);
    expect((await server.fetch("/staff", { form: { year: "1800" }, cookie: staff })).status).toBe(400);
  });

  it("answers a refused form with its errors beside the fields and a summary on top, without JavaScript too", async () => {
    const refused = await server.fetch("/staff", { form: { year: "1800", name: "x".repeat(201) }, cookie: staff });
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toMatch(/id="create-study-year"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="create-study-year"/);
    expect(html).toContain('id="create-study-year-error"');
    expect(html).toContain('id="create-study-name-error"');
    // Both fields at once (not only the first problem), listed in the summary with links to them.
    expect(html).toMatch(/id="create-study-summary"[^]*href="#create-study-year"[^]*href="#create-study-name"/);
    const noFile = await upload(staff, "results", null);
    expect(await noFile.text()).toMatch(/id="upload-results-file-error"[^>]*>Velg en fil\./);
  });

  it("previews an upload, commits it in the background, and shows it in the history", async () => {
    const page = await (await server.fetch(`/staff/uploads/${uploadId}`, { cookie: staff })).text();
    expect(page).toContain("Dette vil endres");
    expect(await database.db.select().from(s.inquiries)).toHaveLength(0);
    const commit = await server.fetch(`/staff/uploads/${uploadId}`, { form: { intent: "commit" }, cookie: staff });
    expect(commit.status).toBe(302);
    await waitForJob(uploadId, staff);
    expect(await database.db.select().from(s.inquiries)).toHaveLength(225);
    expect(await (await server.fetch(`/staff/uploads/${uploadId}`, { cookie: staff })).text()).toContain("Importert");
    // Committing twice does nothing more.
    expect((await server.fetch(`/staff/uploads/${uploadId}`, { form: { intent: "commit" }, cookie: staff })).status).toBe(409);
    const study = await (await server.fetch("/staff/studies/2021", { cookie: staff })).text();
    expect(study).toContain("Importhistorikk");
    expect(study).toContain("results.csv");
  });

  it("refuses an upload over 50 MB, a missing file and an empty file with words, not a 500", async () => {
    const big = await upload(staff, "results", new Blob([new Uint8Array(50 * 1024 * 1024 + 1)]), "stor.csv");
    expect(big.status).toBe(413);
    expect(await big.text()).toContain("større enn 50 MB");
    expect((await upload(staff, "results", null)).status).toBe(400);
    expect((await upload(staff, "results", new Blob([]), "tom.csv")).status).toBe(400);
    expect((await upload(staff, "nonsense", new Blob(["a"]))).status).toBe(400);
  });
});

describe("people and invitations", () => {
  it("invites by e-mail, shows the link once to staff, lets it be used once, and refuses expired links", async () => {
    const invite = await server.fetch("/staff/companies/kystbanken", { form: { intent: "invite", email: "ny.leder@kystbanken.example", role: "teamlead" }, cookie: staff });
    expect(invite.status).toBe(200);
    const html = await invite.text();
    const token = /\/invitation\/([a-z2-7]+)/.exec(html)?.[1];
    expect(token).toBeDefined();
    expect((await server.fetch(`/invitation/${token}`)).status).toBe(200);

    const short = await server.fetch(`/invitation/${token}`, { form: { name: "Ny Leder", password: "kort", confirm: "kort" } });
    expect(short.status).toBe(400);
    expect(await short.text()).toContain("minst 12 tegn");
    const accepted = await server.fetch(`/invitation/${token}`, { form: { name: "Ny Leder", password: "et-langt-nok-passord", confirm: "et-langt-nok-passord" } });
    expect(accepted.status).toBe(302);
    expect(accepted.headers.get("location")).toBe("/company");
    const [membership] = await database.db.select().from(s.memberships).innerJoin(s.users, eq(s.users.id, s.memberships.userId)).where(eq(s.users.email, "ny.leder@kystbanken.example"));
    expect(membership!.memberships.role).toBe("teamlead");
    expect((await server.fetch(`/invitation/${token}`)).status).toBe(410);
    expect((await server.fetch(`/invitation/${token}`, { form: { name: "Igjen", password: "et-langt-nok-passord", confirm: "et-langt-nok-passord" } })).status).toBe(410);

    const expired = await createInvitation(database.db, { tenantId, email: "sen@kystbanken.example", role: "viewer", invitedBy: null, now: new Date(Date.now() - 8 * 24 * 3600_000) });
    expect((await server.fetch(`/invitation/${expired.token}`)).status).toBe(410);
    expect((await server.fetch("/invitation/abcdefghijklmnopqrstuvwxyz234567")).status).toBe(404);
    expect((await server.fetch("/staff/companies/kystbanken", { form: { intent: "invite", email: "ikke-en-adresse", role: "manager" }, cookie: staff })).status).toBe(400);
  });

  it("changes a member's role: it applies on the person's next request, and both audit logs have it", async () => {
    const changeRole = (role: string, userId = managerId) => server.fetch("/staff/companies/kystbanken", { form: { intent: "change-role", userId, role }, cookie: staff });
    // The company keeps an active manager (issue 17): a second one, so Mona may be demoted.
    const second = await createUser(database.db, { name: "Siv Sekund" });
    await addMember(database.db, tenantId, second.id, "manager");
    expect((await server.fetch("/company/settings/tokens", { cookie: manager })).status).toBe(200);
    const page = await (await server.fetch("/staff/companies/kystbanken", { cookie: staff })).text();
    expect(page).toContain('aria-label="Endre rollen til Mona Manager"');

    const demoted = await changeRole("viewer");
    expect(demoted.status).toBe(200);
    expect(await demoted.text()).toContain("Rollen er endret til Leser");
    // The same session, now a viewer: the manager-only page is refused, reading still works.
    expect((await server.fetch("/company/settings/tokens", { cookie: manager })).status).toBe(403);
    expect((await server.fetch("/company", { cookie: manager })).status).toBe(200);
    expect(await (await changeRole("viewer")).text()).toContain("Personen har allerede rollen Leser");

    const invalid = await changeRole("owner");
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).toMatch(/role="alert"[^>]*>(?:<[^>]+>)*Velg en rolle\./);
    expect((await changeRole("manager", "00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await changeRole("manager", "not-a-uuid")).status).toBe(404);
    // A person of another company cannot be given a role here.
    const outsider = await createUser(database.db);
    expect((await changeRole("manager", outsider.id)).status).toBe(404);
    expect(await database.db.select().from(s.memberships).where(eq(s.memberships.userId, outsider.id))).toHaveLength(0);

    expect((await changeRole("manager")).status).toBe(200);
    expect((await server.fetch("/company/settings/tokens", { cookie: manager })).status).toBe(200);
    const events = await database.db.select().from(s.tenantAuditEvents).where(eq(s.tenantAuditEvents.action, "membership.role")).orderBy(s.tenantAuditEvents.at);
    expect(events.filter((e) => e.tenantId === tenantId).map((e) => e.details)).toEqual([
      expect.objectContaining({ from: "manager", to: "viewer" }),
      expect.objectContaining({ from: "viewer", to: "manager" }),
    ]);
  });

  it("revokes a membership: the person loses the company on the next request (with no company left, signed out)", async () => {
    expect((await server.fetch("/company", { cookie: manager })).status).not.toBe(403);
    const res = await server.fetch("/staff/companies/kystbanken", { form: { intent: "revoke-member", userId: managerId }, cookie: staff });
    expect(res.status).toBe(200);
    const after = await server.fetch("/company", { cookie: manager });
    expect(after.status).toBe(302);
    expect(after.headers.get("location")).toMatch(/^\/login\?/);
    const again = await server.fetch("/staff/companies/kystbanken", { form: { intent: "revoke-member", userId: managerId }, cookie: staff });
    expect(again.status).toBe(404);
  });

  it("records every staff action in the audit log page", async () => {
    const audit = await (await server.fetch("/staff/audit", { cookie: staff })).text();
    for (const action of ["study.create", "import.results", "invitation.create", "membership.role", "membership.revoke"]) expect(audit).toContain(action);
  });
});
