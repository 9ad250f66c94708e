// Issue 18, action plans: created from a weak area (the gap map's link pre-fills the form), with a
// baseline equal to the trends page's figure; roles; another company's owner, pack, booking and
// plan refused; the next study's publication fills result and met equal to the trends page; the
// overdue count, the list's filters, the owner's reminder, the download and GET /api/v1/plans.
// Over HTTP, on the real app.
import { and, eq, sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resultRows, withTenant, type Database } from "#db/client.server";
import * as s from "#db/schema";
import { formatScore } from "~/domain/format";
import type { StudyData } from "~/domain/types";
import { translate } from "~/i18n/i18n";
import { createApiToken } from "~/models/accounts/api-token.server";
import { getTrends } from "~/models/insights/trends.server";
import { remindPlanOwners } from "~/models/plans/plans.server";
import { publishStudy } from "~/models/studies/publish.server";
import { writeStudy } from "~/models/studies/study-write.server";
import { createTestDatabase } from "../support/db";
import { addMember, createUser, signedInCookie } from "../support/factories";
import { sampleStudy } from "../support/sample-study";
import { startTestServer, type TestServer } from "../support/server";

const A = "kystbanken";
const B = "fjordkraft-demo";
const DAY = 86_400_000;

let database: Database;
let server: TestServer;
let tenantA: string;
let tenantB: string;
const users = {} as Record<"manager" | "teamlead" | "viewer" | "managerB", { id: string; cookie: string }>;
let exportA: string;
let exportB: string;
let weakArea: { code: string; name: string };

const rows = async <T,>(query: ReturnType<typeof sql>) => resultRows<T>(await database.db.execute(query));

async function exportRow(tenantId: string, studyId: number, fileName: string) {
  const [row] = await database.db
    .insert(s.coachingExports)
    .values({ tenantId, studyId, format: "csv", selection: {}, fileName, status: "ready", content: Buffer.from("x"), expiresAt: new Date(Date.now() + 30 * DAY) })
    .returning({ id: s.coachingExports.id });
  return row!.id;
}

/** A form post with repeated fields (ticked boxes). */
const post = (path: string, cookie: string, fields: [string, string][]) => server.fetch(path, { method: "POST", cookie, body: new URLSearchParams(fields) });

const planFields = (over: Record<string, string> = {}): [string, string][] =>
  Object.entries({ title: "Løft velkomsten", metric: `area:${weakArea.code}`, target: "90", dueDate: "2099-06-30", status: "planned", owner: users.teamlead.id, notes: "", ...over });

const planOf = async (id: string) => (await database.db.select().from(s.actionPlans).where(eq(s.actionPlans.id, id)))[0]!;
const trendsOf = (tenantId: string) => withTenant(database.db, tenantId, (scope) => getTrends(scope));

beforeAll(async () => {
  database = await createTestDatabase();
  const { studyId } = await database.db.transaction((tx) => writeStudy(tx, sampleStudy(2021)));
  await publishStudy(database.db, studyId);
  const ids = new Map((await database.db.select().from(s.participants)).map((p) => [p.code, p.id]));
  tenantA = ids.get(A)!;
  tenantB = ids.get(B)!;
  for (const [key, tenant, role] of [
    ["manager", tenantA, "manager"],
    ["teamlead", tenantA, "teamlead"],
    ["viewer", tenantA, "viewer"],
    ["managerB", tenantB, "manager"],
  ] as const) {
    const user = await createUser(database.db, { name: `Plan ${key}` });
    await addMember(database.db, tenant, user.id, role);
    users[key] = { id: user.id, cookie: await signedInCookie(database.db, user.id) };
  }
  exportA = await exportRow(tenantA, studyId, "pakke-a.csv");
  exportB = await exportRow(tenantB, studyId, "pakke-b.csv");
  // The weakest area of A against its class mean: where the gap map offers a plan.
  const [area] = await rows<{ code: string; name: string }>(sql`
    select a.code, a.name from areas a
    join benchmark_class_area b on b.area_id = a.id
    join participations p on p.class_id = b.class_id and p.tenant_id = ${tenantA}
    where a.study_id = ${studyId} and a.weight > 0
    order by (select avg(x.score) from inquiry_area_scores x where x.tenant_id = ${tenantA} and x.area_id = a.id) - b.mean limit 1`);
  weakArea = area!;
  server = await startTestServer(database);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await database?.close();
});

describe("action plans", () => {
  let planId: string;

  it("the gap map offers a plan for a weak area, pre-filling the form; the new plan's baseline is the trends page's figure, and it is audited", async () => {
    const comparison = await (await server.fetch("/company/comparison", { cookie: users.manager.cookie })).text();
    const link = `/company/plans/new?${new URLSearchParams({ metric: `area:${weakArea.code}`, title: `${weakArea.code} ${weakArea.name}` })}`;
    expect(comparison).toContain(link.replace(/&/g, "&amp;"));
    // A viewer is offered no such link.
    expect(await (await server.fetch("/company/comparison", { cookie: users.viewer.cookie })).text()).not.toContain("/company/plans/new");

    const form = await (await server.fetch(link, { cookie: users.manager.cookie })).text();
    expect(form).toMatch(new RegExp(`<option[^>]*value="area:${weakArea.code}"[^>]*selected`));

    const created = await post("/company/plans/new", users.manager.cookie, [...planFields(), ["packs", exportA]]);
    expect(created.status).toBe(302);
    planId = /\/company\/plans\/([0-9a-f-]{36})/.exec(created.headers.get("location") ?? "")![1]!;
    const plan = await planOf(planId);
    const trends = await trendsOf(tenantA);
    const shown = trends.areas.find((a) => a.code === weakArea.code)!.scores[2021]!;
    expect(plan.baseline).toBeCloseTo(shown, 6);
    expect(plan).toMatchObject({ tenantId: tenantA, ownerId: users.teamlead.id, target: 90, dueDate: "2099-06-30", status: "planned", resultStudyId: null });

    const page = await (await server.fetch(`/company/plans/${planId}`, { cookie: users.viewer.cookie })).text();
    expect(page).toContain(`${formatScore(shown, "nb")} (2021)`);
    expect(page).toContain("pakke-a.csv");
    const [audit] = await database.db.select().from(s.tenantAuditEvents).where(and(eq(s.tenantAuditEvents.tenantId, tenantA), eq(s.tenantAuditEvents.action, "plan.create")));
    expect(audit).toMatchObject({ actorUserId: users.manager.id, details: { planId, title: "Løft velkomsten", packs: [exportA] } });
  });

  it("viewers read only; team leads create and edit but do not delete; managers delete; every change audited", async () => {
    expect((await server.fetch("/company/plans/new", { cookie: users.viewer.cookie })).status).toBe(403);
    expect((await post("/company/plans/new", users.viewer.cookie, planFields())).status).toBe(403);
    expect((await post(`/company/plans/${planId}`, users.viewer.cookie, [["intent", "save"], ...planFields({ title: "Leser" })])).status).toBe(403);

    const edited = await post(`/company/plans/${planId}`, users.teamlead.cookie, [["intent", "save"], ...planFields({ status: "in_progress" })]);
    expect(edited.status).toBe(200);
    expect((await planOf(planId)).status).toBe("in_progress");
    expect((await post(`/company/plans/${planId}`, users.teamlead.cookie, [["intent", "delete"]])).status).toBe(403);

    const other = await post("/company/plans/new", users.teamlead.cookie, planFields({ title: "Slettes" }));
    const otherId = /plans\/([0-9a-f-]{36})/.exec(other.headers.get("location")!)![1]!;
    const deleted = await post(`/company/plans/${otherId}`, users.manager.cookie, [["intent", "delete"]]);
    expect(deleted.status).toBe(302);
    expect(await database.db.select().from(s.actionPlans).where(eq(s.actionPlans.id, otherId))).toEqual([]);
    const actions = await database.db
      .select({ action: s.tenantAuditEvents.action })
      .from(s.tenantAuditEvents)
      .where(and(eq(s.tenantAuditEvents.tenantId, tenantA), sql`${s.tenantAuditEvents.action} like 'plan.%'`))
      .orderBy(s.tenantAuditEvents.at);
    expect(actions.map((a) => a.action)).toEqual(["plan.create", "plan.update", "plan.create", "plan.delete"]);
  });

  it("refuses another company's owner, pack and booking as unknown (400, nothing written), and answers 404 for its plan", async () => {
    const before = await database.db.select().from(s.actionPlans).where(eq(s.actionPlans.tenantId, tenantA));
    // A booking id that is not ours (the isolation matrix uses a real one of another company).
    const [bookingB] = await rows<{ id: string }>(sql`select gen_random_uuid()::text as id`);
    const cases: [[string, string][], "plans.form.error.owner" | "plans.form.error.pack" | "plans.form.error.booking"][] = [
      [planFields({ owner: users.managerB.id }), "plans.form.error.owner"],
      [[...planFields(), ["packs", exportB]], "plans.form.error.pack"],
      [[...planFields(), ["bookings", bookingB!.id]], "plans.form.error.booking"],
    ];
    for (const [fields, key] of cases) {
      const created = await post("/company/plans/new", users.manager.cookie, fields);
      expect(created.status).toBe(400);
      expect(await created.text()).toContain(translate("nb", key));
      const saved = await post(`/company/plans/${planId}`, users.manager.cookie, [["intent", "save"], ...fields]);
      expect(saved.status).toBe(400);
    }
    expect(await database.db.select().from(s.actionPlans).where(eq(s.actionPlans.tenantId, tenantA))).toEqual(before);

    // The database refuses such a link too, whatever the app checks: the keys hold the tenant.
    const forged = await database.db.insert(s.actionPlanLinks).values({ tenantId: tenantA, planId, exportId: exportB }).catch((e: Error) => e);
    expect(forged).toBeInstanceOf(Error);

    // B's manager: A's plan is not found, and cannot be changed or deleted.
    expect((await server.fetch(`/company/plans/${planId}`, { cookie: users.managerB.cookie })).status).toBe(404);
    expect((await post(`/company/plans/${planId}`, users.managerB.cookie, [["intent", "delete"]])).status).toBe(404);
    expect((await post(`/company/plans/${planId}`, users.managerB.cookie, [["intent", "save"], ...planFields({ owner: "" })])).status).toBe(404);
    expect(await (await server.fetch("/company/plans", { cookie: users.managerB.cookie })).text()).not.toContain("Løft velkomsten");
  });

  it("counts overdue plans on the overview, and the list filters by status, owner and overdue", async () => {
    const overdue = await post("/company/plans/new", users.manager.cookie, planFields({ title: "Forfalt plan", dueDate: "2020-01-31", owner: users.manager.id }));
    expect(overdue.status).toBe(302);
    const overview = await (await server.fetch("/company", { cookie: users.viewer.cookie })).text();
    expect(overview).toContain(translate("nb", "plans.overview.overdue", { count: 1 }));
    // The titles the list links (the page's data repeats them).
    const list = async (query: string) =>
      [...(await (await server.fetch(`/company/plans${query}`, { cookie: users.viewer.cookie })).text()).matchAll(/>(Forfalt plan|Løft velkomsten)<\/a>/g)].map((m) => m[1]);
    expect(await list("")).toEqual(expect.arrayContaining(["Forfalt plan", "Løft velkomsten"]));
    expect(await list("?overdue=1")).toEqual(["Forfalt plan"]);
    expect(await list("?status=in_progress")).toEqual(["Løft velkomsten"]);
    expect(await list(`?owner=${users.teamlead.id}`)).toEqual(["Løft velkomsten"]);
    // B's overview counts nothing of A's.
    expect(await (await server.fetch("/company", { cookie: users.managerB.cookie })).text()).not.toContain(translate("nb", "plans.overview.overdue", { count: 1 }));
  });

  it("reminds the owner a week before the due date, in their language, once", async () => {
    await database.db.update(s.users).set({ locale: "en" }).where(eq(s.users.id, users.teamlead.id));
    const [owner] = await database.db.select({ email: s.users.email }).from(s.users).where(eq(s.users.id, users.teamlead.id));
    const mails = async () => database.db.select({ subject: s.emailOutbox.subject, text: s.emailOutbox.textBody }).from(s.emailOutbox).where(eq(s.emailOutbox.toAddress, owner!.email));
    // Due 2099-06-30: nothing eight days before, one mail seven days before, none again the day after.
    await remindPlanOwners(database.db, new Date("2099-06-22T10:00:00Z"));
    expect(await mails()).toEqual([]);
    await remindPlanOwners(database.db, new Date("2099-06-23T10:00:00Z"));
    await remindPlanOwners(database.db, new Date("2099-06-24T10:00:00Z"));
    const sent = await mails();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.subject).toBe("Due in a week: Løft velkomsten");
    expect(sent[0]!.text).toContain(`/company/plans/${planId}`);
  });

  it("downloads the plans and the targets as CSV and XLSX, and GET /api/v1/plans gives them as season.md says", async () => {
    // A total target of 2021 far above the result: the targets table says "not met", with the trends' total beside it.
    await database.db.insert(s.targets).values({ tenantId: tenantA, year: 2021, kind: "total", subject: "", target: 99.5 });
    const total = (await trendsOf(tenantA)).years.find((y) => y.year === 2021)!.totalScore;
    const csv = await server.fetch("/company/plans/download?format=csv", { cookie: users.viewer.cookie });
    expect(csv.status).toBe(200);
    const text = await csv.text();
    expect(text).toContain('"Løft velkomsten"');
    expect(text).toContain(translate("nb", "plans.list.baseline"));
    const targetLine = text.split(/\r?\n/).find((line) => line.startsWith("2021;") && line.includes(translate("nb", "targets.total")));
    expect(targetLine).toBeDefined();
    expect(targetLine).toContain("99,5");
    expect(targetLine).toContain(String(total).replace(".", ","));
    expect(targetLine).toContain(translate("nb", "plans.result.notMet"));
    const xlsx = await server.fetch("/company/plans/download?format=xlsx", { cookie: users.viewer.cookie });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    const titles = book.worksheets[0]!.getColumn(1).values.filter(Boolean);
    expect(titles).toEqual(expect.arrayContaining(["Løft velkomsten", "Forfalt plan"]));
    expect(book.worksheets.map((w) => w.name)).toEqual([translate("nb", "plans.export.sheet"), translate("nb", "plans.export.targetsSheet")]);
    expect(book.worksheets[1]!.getRow(2).getCell(3).value).toBe(99.5);

    const { token } = await createApiToken(database.db, { tenantId: tenantA, name: "BI", createdBy: null });
    const api = await server.fetch("/api/v1/plans", { headers: { Authorization: `Bearer ${token}` } });
    expect(api.status).toBe(200);
    const plans = (await api.json()) as Record<string, unknown>[];
    const plan = plans.find((p) => p.id === planId)!;
    expect(Object.keys(plan).sort()).toEqual(["baseline", "dueDate", "id", "metric", "result", "status", "target", "title"]);
    expect(plan).toMatchObject({ title: "Løft velkomsten", metric: { kind: "area", code: weakArea.code, name: weakArea.name }, target: 90, dueDate: "2099-06-30", status: "in_progress", result: null });
    const doc = (await (await server.fetch("/api/v1/openapi.json")).json()) as { paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
    expect(doc.paths["/api/v1/plans"]).toBeDefined();
    expect(doc.components.schemas.PlanMetric).toBeDefined();
  });

  it("publishing the next study gives each open plan the new value and met or not met, equal to the trends page's figures", async () => {
    // A response-time plan too: its value is a plain count of the inquiries within the goal.
    const rt = await post("/company/plans/new", users.manager.cookie, planFields({ title: "Svar telefonen", metric: "response:phone", goalSeconds: "60", target: "50" }));
    const rtId = /plans\/([0-9a-f-]{36})/.exec(rt.headers.get("location")!)![1]!;

    // 2022: A answers every question of the weak area in full on its answered inquiries.
    const next: StudyData = sampleStudy(2022);
    for (const i of next.inquiries) i.ref = i.ref.replace(/^S21-/, "S22-");
    const areaQuestions = next.questionnaire.questions.filter((q) => q.areaCode === weakArea.code && q.kind === "points");
    for (const i of next.inquiries) {
      if (i.participantCode !== A || !i.answered) continue;
      for (const q of areaQuestions) if (i.answers[q.code] !== undefined) i.answers[q.code] = q.maxPoints!;
    }
    const { studyId } = await database.db.transaction((tx) => writeStudy(tx, next));
    await publishStudy(database.db, studyId);

    const trends = await trendsOf(tenantA);
    const shown = trends.areas.find((a) => a.code === weakArea.code)!.scores[2022]!;
    const plan = await planOf(planId);
    expect(plan.resultStudyId).toBe(studyId);
    expect(plan.result).toBeCloseTo(shown, 6);
    expect(plan.met).toBe(shown >= 90);

    const [count] = await rows<{ n: number; within: number }>(sql`
      select count(*)::int as n, count(*) filter (where answered and wait_seconds <= 60)::int as within
      from inquiries where tenant_id = ${tenantA} and study_id = ${studyId} and channel = 'phone'`);
    const rtPlan = await planOf(rtId);
    expect(rtPlan.result).toBeCloseTo((100 * count!.within) / count!.n, 6);
    expect(rtPlan.met).toBe((100 * count!.within) / count!.n >= 50);

    // The plan's page and the trends page show the same figure; B's plans are untouched.
    const verdict = translate("nb", plan.met ? "plans.result.met" : "plans.result.notMet");
    const page = await (await server.fetch(`/company/plans/${planId}`, { cookie: users.viewer.cookie })).text();
    expect(page).toContain(`${formatScore(shown, "nb")} (2022)`);
    expect(page).toContain(verdict);
    const trendsPage = await (await server.fetch("/company/trends", { cookie: users.viewer.cookie })).text();
    expect(trendsPage).toContain(translate("nb", "plans.trends.title"));
    expect(trendsPage).toContain(`${formatScore(shown, "nb")} (2022)`);
    expect(trendsPage).toContain(formatScore(shown, "nb"));
  });
});
