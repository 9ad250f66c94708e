// Issue 18, point 4: the coaching log. Team leads and managers record sessions linked to the
// company's own inquiries and packs; managers delete; viewers read. Another company's entry,
// inquiry ref or pack is answered as if it did not exist. Names follow the company's "hide agent
// names" setting. The log is in the company's data export, goes with the company, and is
// deleted COACHING_LOG_KEEP_YEARS after the session. Over HTTP, on the real app.
import { and, eq } from "drizzle-orm";
import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "#db/client.server";
import * as s from "#db/schema";
import { translate } from "~/i18n/i18n";
import { deleteCompany, exportCompanyData } from "~/models/admin/company-data.server";
import { purgeExpired } from "~/models/admin/housekeeping.server";
import { createTestDatabase } from "../support/db";
import { addMember, createStudy, createTenant, createUser, signedInCookie, type TestStudy } from "../support/factories";
import { startTestServer, type TestServer } from "../support/server";

let database: Database;
let server: TestServer;
let study: TestStudy;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  study = await createStudy(database.db, { year: 2960 });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await database?.close();
});

async function company(name: string) {
  const db = database.db;
  const tenant = await createTenant(db, study, { name, scores: [80, 60, 90] });
  const cookies = {} as Record<"manager" | "teamlead" | "viewer", string>;
  const users = {} as Record<"manager" | "teamlead" | "viewer", string>;
  for (const role of ["manager", "teamlead", "viewer"] as const) {
    const user = await createUser(db, { name: `${name} ${role}` });
    await addMember(db, tenant.tenantId, user.id, role);
    users[role] = user.id;
    cookies[role] = await signedInCookie(db, user.id);
  }
  const [pack] = await db
    .insert(s.coachingExports)
    .values({
      tenantId: tenant.tenantId,
      studyId: study.study.id,
      format: "csv",
      selection: {},
      fileName: `pakke-${tenant.code}.csv`,
      status: "ready",
      content: Buffer.from("x"),
      expiresAt: new Date(Date.now() + 86_400_000),
    })
    .returning({ id: s.coachingExports.id });
  return { ...tenant, cookies, users, packId: pack!.id, refs: tenant.inquiries.map((i) => i.ref) };
}

const session = (fields: Partial<Record<string, string>> = {}) => ({
  intent: "create",
  sessionDate: "2026-11-02",
  coachedKind: "label",
  coached: "Team Chat",
  habit: "Spør etter behov før løsning",
  refs: "",
  packId: "",
  followUpDate: "",
  ...fields,
});

const entriesOf = (tenantId: string) => database.db.select().from(s.coachingLogEntries).where(eq(s.coachingLogEntries.tenantId, tenantId));
const auditOf = async (tenantId: string) =>
  (await database.db.select({ action: s.tenantAuditEvents.action, details: s.tenantAuditEvents.details }).from(s.tenantAuditEvents).where(eq(s.tenantAuditEvents.tenantId, tenantId))).filter((a) =>
    a.action.startsWith("coaching.log."),
  );

describe("the coaching log", () => {
  it("a team lead records a session with the company's inquiries and pack; every member reads it; each change audited", async () => {
    const a = await company("Alfa");
    const created = await server.fetch("/company/coaching/log?index", {
      cookie: a.cookies.teamlead,
      form: session({ coachedKind: "name", coached: "Kari", refs: `${a.refs[0]}, ${a.refs[1]}`, packId: a.packId, followUpDate: "2026-12-01" }),
    });
    expect(created.status).toBe(200);
    expect(await created.text()).toContain(translate("nb", "coachingLog.created"));
    const [entry] = await entriesOf(a.tenantId);
    expect(entry).toMatchObject({ coached: "Kari", coachedKind: "name", sessionDate: "2026-11-02", followUpDate: "2026-12-01", packId: a.packId, createdBy: a.users.teamlead });
    const links = await database.db.select().from(s.coachingLogInquiries).where(eq(s.coachingLogInquiries.entryId, entry!.id));
    expect(links.map((l) => l.inquiryId).sort()).toEqual([a.inquiries[0]!.id, a.inquiries[1]!.id].sort());

    for (const role of ["manager", "teamlead", "viewer"] as const) {
      const page = await server.fetch("/company/coaching/log", { cookie: a.cookies[role] });
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain("Kari");
      expect(html).toContain(a.refs[0]);
      expect(html).toContain(`pakke-${a.code}.csv`);
      expect(html.includes(translate("nb", "coachingLog.new")), role).toBe(role !== "viewer");
    }

    // Edit (team lead): another habit, one inquiry fewer, no pack.
    const edited = await server.fetch(`/company/coaching/log/${entry!.id}`, {
      cookie: a.cookies.teamlead,
      form: session({ intent: "update", coachedKind: "name", coached: "Kari", habit: "Oppsummer avtalen", refs: a.refs[2]! }),
    });
    expect(edited.status).toBe(302);
    const [after] = await entriesOf(a.tenantId);
    expect(after).toMatchObject({ habit: "Oppsummer avtalen", packId: null, followUpDate: null });
    expect((await database.db.select().from(s.coachingLogInquiries).where(eq(s.coachingLogInquiries.entryId, entry!.id))).map((l) => l.inquiryId)).toEqual([a.inquiries[2]!.id]);

    // Delete: a team lead may not, a manager may.
    expect((await server.fetch("/company/coaching/log?index", { cookie: a.cookies.teamlead, form: { intent: "delete", id: entry!.id } })).status).toBe(403);
    expect((await server.fetch(`/company/coaching/log/${entry!.id}`, { cookie: a.cookies.teamlead, form: { intent: "delete" } })).status).toBe(403);
    const deleted = await server.fetch("/company/coaching/log?index", { cookie: a.cookies.manager, form: { intent: "delete", id: entry!.id } });
    expect(deleted.status).toBe(200);
    expect(await entriesOf(a.tenantId)).toEqual([]);
    expect(await database.db.select().from(s.coachingLogInquiries).where(eq(s.coachingLogInquiries.tenantId, a.tenantId))).toEqual([]);

    const audit = await auditOf(a.tenantId);
    expect(audit.map((x) => x.action)).toEqual(["coaching.log.create", "coaching.log.update", "coaching.log.delete"]);
    expect(audit[0]!.details).toMatchObject({ entryId: entry!.id, inquiries: 2, packId: a.packId });
    // The audit log outlives the entry: it does not carry the coached person's name.
    expect(JSON.stringify(audit)).not.toContain("Kari");
  });

  it("a viewer records, edits and deletes nothing", async () => {
    const a = await company("Beta");
    expect((await server.fetch("/company/coaching/log?index", { cookie: a.cookies.viewer, form: session() })).status).toBe(403);
    expect(await entriesOf(a.tenantId)).toEqual([]);
    await server.fetch("/company/coaching/log?index", { cookie: a.cookies.manager, form: session() });
    const [entry] = await entriesOf(a.tenantId);
    expect((await server.fetch(`/company/coaching/log/${entry!.id}`, { cookie: a.cookies.viewer })).status).toBe(403);
    expect((await server.fetch(`/company/coaching/log/${entry!.id}`, { cookie: a.cookies.viewer, form: session({ intent: "update", habit: "Endret" }) })).status).toBe(403);
    expect((await server.fetch("/company/coaching/log?index", { cookie: a.cookies.viewer, form: { intent: "delete", id: entry!.id } })).status).toBe(403);
    expect(await entriesOf(a.tenantId)).toHaveLength(1);
  });

  it("refuses another company's inquiry refs and pack like unknown ones, and answers another company's entry with 404", async () => {
    const a = await company("Gamma");
    const b = await company("Delta");
    await server.fetch("/company/coaching/log?index", { cookie: b.cookies.manager, form: session({ coached: "Bs team", refs: b.refs[0]!, packId: b.packId }) });
    const [bEntry] = await entriesOf(b.tenantId);

    const forgedRef = await server.fetch("/company/coaching/log?index", { cookie: a.cookies.teamlead, form: session({ refs: `${a.refs[0]}, ${b.refs[0]}` }) });
    expect(forgedRef.status).toBe(400);
    expect(await forgedRef.text()).toContain(translate("nb", "coachingLog.error.unknownRefs", { refs: b.refs[0]! }));
    const forgedPack = await server.fetch("/company/coaching/log?index", { cookie: a.cookies.teamlead, form: session({ packId: b.packId }) });
    expect(forgedPack.status).toBe(400);
    expect(await forgedPack.text()).toContain(translate("nb", "coachingLog.error.pack"));
    expect(await entriesOf(a.tenantId)).toEqual([]);

    expect((await server.fetch(`/company/coaching/log/${bEntry!.id}`, { cookie: a.cookies.manager })).status).toBe(404);
    expect((await server.fetch(`/company/coaching/log/${bEntry!.id}`, { cookie: a.cookies.manager, form: session({ intent: "update", habit: "Kapret" }) })).status).toBe(404);
    expect((await server.fetch(`/company/coaching/log/${bEntry!.id}`, { cookie: a.cookies.manager, form: { intent: "delete" } })).status).toBe(404);
    expect((await server.fetch("/company/coaching/log?index", { cookie: a.cookies.manager, form: { intent: "delete", id: bEntry!.id } })).status).toBe(404);
    expect((await server.fetch("/company/coaching/log/not-a-uuid", { cookie: a.cookies.manager })).status).toBe(404);
    const page = await (await server.fetch("/company/coaching/log", { cookie: a.cookies.manager })).text();
    expect(page).not.toContain("Bs team");
    expect(await entriesOf(b.tenantId)).toMatchObject([{ habit: "Spør etter behov før løsning", coached: "Bs team" }]);
  });

  it("hides first names while the company hides agent names, and then takes labels only", async () => {
    const a = await company("Epsilon");
    await server.fetch("/company/coaching/log?index", { cookie: a.cookies.teamlead, form: session({ coachedKind: "name", coached: "Sølvi" }) });
    await server.fetch("/company/coaching/log?index", { cookie: a.cookies.teamlead, form: session({ coachedKind: "label", coached: "Kveldsskiftet" }) });
    expect(await entriesOf(a.tenantId)).toHaveLength(2);
    await database.db.update(s.participants).set({ hideAgentNames: true }).where(eq(s.participants.id, a.tenantId));

    const html = await (await server.fetch("/company/coaching/log", { cookie: a.cookies.viewer })).text();
    expect(html).not.toContain("Sølvi");
    expect(html).toContain("Kveldsskiftet");
    expect(html).toContain(translate("nb", "coachingLog.hiddenName"));
    // Searching for the hidden name must not reveal it either.
    const searched = await (await server.fetch("/company/coaching/log?q=S%C3%B8lvi", { cookie: a.cookies.viewer })).text();
    expect(searched).toContain(translate("nb", "coachingLog.list.noneFiltered"));
    const [named] = (await entriesOf(a.tenantId)).filter((e) => e.coachedKind === "name");
    expect(await (await server.fetch(`/company/coaching/log/${named!.id}`, { cookie: a.cookies.manager })).text()).not.toContain("Sølvi");

    const refused = await server.fetch("/company/coaching/log?index", { cookie: a.cookies.teamlead, form: session({ coachedKind: "name", coached: "Ola" }) });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain(translate("nb", "coachingLog.error.namesHidden"));
    expect(await entriesOf(a.tenantId)).toHaveLength(2);
  });

  it("filters by text, follow-up and date, from the URL", async () => {
    const a = await company("Zeta");
    const add = (fields: Record<string, string>) => server.fetch("/company/coaching/log?index", { cookie: a.cookies.teamlead, form: session(fields) });
    await add({ coached: "Lag A", habit: "Navn på kunden", sessionDate: "2020-01-10", followUpDate: "2020-02-10" });
    await add({ coached: "Lag B", habit: "Tilby mer hjelp", sessionDate: "2026-11-20", followUpDate: "2999-01-01" });
    await add({ coached: "Lag C", habit: "Oppsummer", sessionDate: "2026-11-25" });
    const shown = async (query: string) => {
      const html = await (await server.fetch(`/company/coaching/log${query}`, { cookie: a.cookies.viewer })).text();
      return ["Lag A", "Lag B", "Lag C"].filter((name) => html.includes(name));
    };
    expect(await shown("")).toEqual(["Lag A", "Lag B", "Lag C"]);
    expect(await shown("?followUp=overdue")).toEqual(["Lag A"]);
    expect(await shown("?followUp=upcoming")).toEqual(["Lag B"]);
    expect(await shown("?followUp=none")).toEqual(["Lag C"]);
    expect(await shown("?q=mer%20hjelp")).toEqual(["Lag B"]);
    expect(await shown("?from=2026-11-21")).toEqual(["Lag C"]);
    expect(await shown("?to=2026-11-21")).toEqual(["Lag A", "Lag B"]);
    expect(await shown("?followUp=bogus&from=nonsense")).toEqual(["Lag A", "Lag B", "Lag C"]);
  });

  it("validates the form: dates, follow-up not before the session, refs", async () => {
    const a = await company("Eta");
    const bad = async (fields: Record<string, string>, key: Parameters<typeof translate>[1]) => {
      const response = await server.fetch("/company/coaching/log?index", { cookie: a.cookies.teamlead, form: session(fields) });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain(translate("nb", key));
    };
    await bad({ sessionDate: "2026-02-30" }, "coachingLog.error.date");
    await bad({ followUpDate: "2026-11-01" }, "coachingLog.error.followUpBefore");
    await bad({ refs: "S21-0001 <script>" }, "coachingLog.error.refs");
    await bad({ habit: "   " }, "coachingLog.error.habitRequired");
    expect(await entriesOf(a.tenantId)).toEqual([]);
  });
});

describe("the coaching log under docs/privacy.md", () => {
  it("is in the company's data export, goes with the company, and is deleted three years after the session", async () => {
    const a = await company("Theta");
    await server.fetch("/company/coaching/log?index", { cookie: a.cookies.teamlead, form: session({ coachedKind: "name", coached: "Eksportert", refs: a.refs[0]!, sessionDate: "2026-11-02" }) });
    const old = new Date("2026-12-05T10:00:00Z");
    await database.db.insert(s.coachingLogEntries).values([
      { tenantId: a.tenantId, sessionDate: "2023-12-04", coached: "Gammel", coachedKind: "label", habit: "Eldre enn tre år" },
      { tenantId: a.tenantId, sessionDate: "2023-12-05", coached: "Grense", coachedKind: "label", habit: "Nøyaktig tre år" },
    ]);

    const exported = await exportCompanyData(database.db, a.tenantId, null);
    const files = unzipSync(exported!.zip);
    const log = JSON.parse(strFromU8(files["coaching-log.json"]!)) as { coached: string; inquiries: { ref: string }[] }[];
    expect(log.map((e) => e.coached)).toEqual(["Gammel", "Grense", "Eksportert"]);
    expect(log[2]!.inquiries).toEqual([{ year: 2960, ref: a.refs[0] }]);

    const counts = await purgeExpired(database.db, old);
    // (The filter test's session of 2020 goes too: the rule is the same for every company.)
    expect(counts.coachingLog).toBeGreaterThanOrEqual(1);
    expect((await entriesOf(a.tenantId)).map((e) => e.coached).sort()).toEqual(["Eksportert", "Grense"]);

    await deleteCompany(database.db, a.tenantId, null);
    expect(await entriesOf(a.tenantId)).toEqual([]);
    expect(await database.db.select().from(s.coachingLogInquiries).where(and(eq(s.coachingLogInquiries.tenantId, a.tenantId)))).toEqual([]);
  });
});
