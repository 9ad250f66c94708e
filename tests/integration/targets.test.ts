// Issue 18, points 1 and 2: targets per study year and response-time goals per channel. The
// shares within a goal, own and class (>= 3 companies), and the inquiry list's outside/within
// filter equal a plain SQL count over the inquiries; managers set targets and goals (audited),
// team leads and viewers only read them; the pages show target, result, gap and met in words.
import { readFileSync } from "node:fs";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resultRows, withTenant, type Db } from "#db/client.server";
import * as s from "#db/schema";
import { formatScore } from "~/domain/format";
import type { ResponseGoals } from "~/domain/targets";
import type { Channel } from "~/domain/types";
import { translate } from "~/i18n/i18n";
import { withinGoalShares } from "~/models/insights/response-times.server";
import { publishedStudies } from "../support/published-sample";
import { sampleStudy } from "../support/sample-study";

const YEAR = 2021;
const STROM = "fjordkraft-demo"; // class Strøm: 3 companies on phone and messenger, 2 on chat, 1 on e-mail
const NETTHANDEL = "handlekurven"; // class Netthandel: 2 companies
const GOALS: ResponseGoals = { phone: 60, email: 3 * 3600, chat: 120, messenger: 90 };

let sample: Awaited<ReturnType<typeof publishedStudies>>;
let db: Db;
let studyId: number;

beforeAll(async () => {
  sample = await publishedStudies(sampleStudy(YEAR));
  db = sample.database.db;
  studyId = (await db.select({ id: s.studies.id }).from(s.studies).where(eq(s.studies.year, YEAR)))[0]!.id;
}, 120_000);

afterAll(async () => {
  await sample?.close();
});

const rows = async <T>(query: ReturnType<typeof sql>) => resultRows<T>(await db.execute(query));
const goalValues = (goals: ResponseGoals) =>
  sql.join(
    Object.entries(goals).map(([c, g]) => sql`(${c}::channel, ${g}::int)`),
    sql`, `,
  );

/** The plain count, on the owner path: inquiries of the company (or its whole class) on each channel, and those answered within the goal. */
async function plainCounts(code: string, goals: ResponseGoals, whole: "company" | "class") {
  const tenantId = sample.ids.get(code)!;
  const who =
    whole === "company"
      ? sql`i.tenant_id = ${tenantId}`
      : sql`i.tenant_id in (select tenant_id from participations where study_id = ${studyId} and class_id = (select class_id from participations where tenant_id = ${tenantId} and study_id = ${studyId}))`;
  return rows<{ channel: Channel; n: number; within: number; companies: number }>(sql`
    select i.channel, count(*)::int as n, count(*) filter (where i.answered and i.wait_seconds is not null and i.wait_seconds <= g.goal)::int as within,
           count(distinct i.tenant_id)::int as companies
    from inquiries i join (values ${goalValues(goals)}) as g(channel, goal) on g.channel = i.channel
    where i.study_id = ${studyId} and ${who} group by i.channel`);
}

describe("the share of inquiries within the response-time goal", () => {
  for (const code of [STROM, NETTHANDEL]) {
    it(`equals a plain SQL count, own and class, the class only where >= 3 companies contributed (${code})`, async () => {
      const tenantId = sample.ids.get(code)!;
      const shares = await withTenant(db, tenantId, (scope) => withinGoalShares(scope.tx, scope.tenantId, studyId, GOALS));
      const own = await plainCounts(code, GOALS, "company");
      const klass = await plainCounts(code, GOALS, "class");
      expect(shares.map((x) => x.channel)).toEqual(["phone", "email", "chat", "messenger"]);
      let shownClass = 0;
      for (const share of shares) {
        const o = own.find((r) => r.channel === share.channel);
        const c = klass.find((r) => r.channel === share.channel);
        expect(share.goalSeconds).toBe(GOALS[share.channel]);
        expect(share.inquiries).toBe(o?.n ?? 0);
        expect(share.within).toBe(o?.within ?? 0);
        expect(share.share).toBe(o ? o.within / o.n : null);
        expect(share.classParticipants).toBe(c?.companies ?? 0);
        if (c && c.companies >= 3) {
          expect(share.classShare).toBe(c.within / c.n);
          shownClass += 1;
        } else expect(share.classShare).toBeNull();
      }
      // Strøm: phone and messenger have 3 companies (shown), chat 2 and e-mail 1 (hidden); Netthandel is a class of 2.
      expect(shownClass).toBe(code === STROM ? 2 : 0);
      // Unanswered inquiries are outside the goal, whatever the goal.
      const unanswered = await rows<{ n: number }>(sql`select count(*)::int as n from inquiries where tenant_id = ${tenantId} and study_id = ${studyId} and not answered`);
      expect(unanswered[0]!.n).toBeGreaterThan(0);
      const generous = await withTenant(db, tenantId, (scope) => withinGoalShares(scope.tx, scope.tenantId, studyId, { phone: 2_592_000, chat: 2_592_000, messenger: 2_592_000, email: 2_592_000 }));
      expect(generous.reduce((sum, x) => sum + x.inquiries - x.within, 0)).toBe(unanswered[0]!.n);
    });
  }

  it("the inquiry list's outside/within-the-goal filter counts what a plain SQL count does (per channel and in all)", async () => {
    const tenantId = sample.ids.get(STROM)!;
    const cookie = await sample.memberCookie(STROM, "manager");
    const goals: ResponseGoals = { phone: 45, messenger: 100 }; // chat has no goal: neither outside nor within
    const saved = await sample.server.fetch("/company/follow-up/targets", { cookie, form: { intent: "goals", goal_phone: "45", goal_messenger: "1,67" } });
    expect(saved.status).toBe(200);
    expect(await db.select({ c: s.responseGoals.channel, g: s.responseGoals.goalSeconds }).from(s.responseGoals).where(eq(s.responseGoals.tenantId, tenantId)).orderBy(s.responseGoals.channel)).toEqual([
      { c: "phone", g: 45 },
      { c: "messenger", g: 100 },
    ]);
    const counts = await plainCounts(STROM, goals, "company");
    const listed = async (query: string) => {
      const html = await (await sample.server.fetch(`/company/inquiries?study=${YEAR}${query}`, { cookie })).text();
      const match = /(\d+) henvendelser?</.exec(html);
      return Number(match?.[1]);
    };
    const outside = counts.reduce((sum, r) => sum + r.n - r.within, 0);
    const within = counts.reduce((sum, r) => sum + r.within, 0);
    expect(outside).toBeGreaterThan(0);
    expect(await listed("&goal=outside")).toBe(outside);
    expect(await listed("&goal=within")).toBe(within);
    for (const r of counts) expect(await listed(`&goal=outside&channel=${r.channel}`)).toBe(r.n - r.within);
    expect(await listed("&goal=outside&channel=chat")).toBe(0);
    // The overview shows the same shares, and links to the list outside the goal.
    const overview = await (await sample.server.fetch(`/company?study=${YEAR}`, { cookie })).text();
    const phone = counts.find((r) => r.channel === "phone")!;
    expect(overview).toContain(translate("nb", "goals.col.ownCount", { within: phone.within, count: phone.n }));
    expect(overview).toContain(`/company/inquiries?study=${YEAR}&amp;channel=phone&amp;goal=outside`);
  });
});

describe("migration 0018", () => {
  it("gives studies published before it the class wait-time histogram a publication freezes", async () => {
    const histogram = () => rows<Record<string, unknown>>(sql`select * from benchmark_class_wait order by class_id, channel, wait_seconds nulls first`);
    const published = await histogram();
    expect(published.length).toBeGreaterThan(0);
    await db.transaction(async (tx) => {
      await tx.execute(sql`delete from benchmark_class_wait`);
      const migration = readFileSync(new URL("../../db/migrations/0018_targets_and_response_goals.sql", import.meta.url), "utf8");
      const backfill = migration.split("--> statement-breakpoint").map((x) => x.trim()).filter((x) => /^(--[^\n]*\n)*WITH/.test(x));
      expect(backfill).toHaveLength(1);
      await tx.execute(sql.raw(backfill[0]!));
    });
    expect(await histogram()).toEqual(published);
  });
});

describe("targets per study year", () => {
  it("a manager sets them (audited); team leads and viewers read them and cannot set them; the pages show target, gap and met", async () => {
    const tenantId = sample.ids.get(NETTHANDEL)!;
    const manager = await sample.memberCookie(NETTHANDEL, "manager");
    const teamlead = await sample.memberCookie(NETTHANDEL, "teamlead");
    const viewer = await sample.memberCookie(NETTHANDEL, "viewer");
    const [own] = await db.select({ total: s.participations.totalScore }).from(s.participations).where(and(eq(s.participations.tenantId, tenantId), eq(s.participations.studyId, studyId)));
    const total = own!.total!;
    const page = await (await sample.server.fetch(`/company/follow-up/targets?year=${YEAR}`, { cookie: manager })).text();
    const areaLabel = /<label[^>]*for="([^"]+)"[^>]*>Mål for (\w+) /.exec(page.slice(page.indexOf("Mål per prestasjonsområde")))!;
    const areaField = areaLabel[1]!.replace(/^targets-\d+-/, "");
    const areaCode = areaLabel[2]!;

    // Below the result: met; above: not met.
    const form = { intent: "targets", year: String(YEAR), total: "10", channel_phone: "99,5", [areaField]: "55" };
    for (const cookie of [teamlead, viewer]) {
      expect((await sample.server.fetch("/company/follow-up/targets", { cookie, form })).status).toBe(403);
    }
    expect(await db.select().from(s.targets).where(eq(s.targets.tenantId, tenantId))).toEqual([]);
    const saved = await sample.server.fetch("/company/follow-up/targets", { cookie: manager, form });
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain(translate("nb", "targets.form.saved", { count: 3, year: YEAR }));
    const stored = await db.select({ kind: s.targets.kind, subject: s.targets.subject, target: s.targets.target }).from(s.targets).where(eq(s.targets.tenantId, tenantId)).orderBy(s.targets.kind);
    expect(stored).toEqual([
      { kind: "area", subject: areaCode, target: 55 },
      { kind: "channel", subject: "phone", target: 99.5 },
      { kind: "total", subject: "", target: 10 },
    ]);

    // Out of range or too precise: refused with the reason, nothing changed.
    const bad = await sample.server.fetch("/company/follow-up/targets", { cookie: manager, form: { ...form, total: "100,5", channel_phone: "80,25" } });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain(translate("nb", "targets.error.number"));

    // Emptying a field removes that target; the audit log holds both saves with every change.
    expect((await sample.server.fetch("/company/follow-up/targets", { cookie: manager, form: { ...form, channel_phone: "" } })).status).toBe(200);
    const audit = await db
      .select({ action: s.tenantAuditEvents.action, details: s.tenantAuditEvents.details })
      .from(s.tenantAuditEvents)
      .where(and(eq(s.tenantAuditEvents.tenantId, tenantId), eq(s.tenantAuditEvents.action, "targets.set")))
      .orderBy(s.tenantAuditEvents.at); // ids are random uuids: the order is the time
    expect(audit.map((a) => a.details)).toEqual([
      {
        year: YEAR,
        changes: [
          { kind: "total", subject: "", from: null, to: 10 },
          { kind: "channel", subject: "phone", from: null, to: 99.5 },
          { kind: "area", subject: areaCode, from: null, to: 55 },
        ],
      },
      { year: YEAR, changes: [{ kind: "channel", subject: "phone", from: 99.5, to: null }] },
    ]);

    // Every role reads them: the targets page (no form for the viewer), the overview's total with
    // its target in words, the comparison and the trends.
    const met = translate("nb", "targets.kpi", { target: formatScore(10, "nb"), status: translate("nb", "targets.met"), gap: "" }).split(" (")[0]!;
    for (const cookie of [viewer, teamlead]) {
      const read = await (await sample.server.fetch(`/company/follow-up/targets?year=${YEAR}`, { cookie })).text();
      expect(read).toContain(translate("nb", "targets.readOnly"));
      expect(read).not.toContain(translate("nb", "targets.form.save"));
      expect(read).toContain(translate("nb", "targets.met"));
    }
    const overview = await (await sample.server.fetch(`/company?study=${YEAR}`, { cookie: viewer })).text();
    expect(overview).toContain(met);
    expect(total).toBeGreaterThan(10);
    const comparison = await (await sample.server.fetch(`/company/comparison?study=${YEAR}`, { cookie: viewer })).text();
    expect(comparison).toContain(met);
    expect(comparison).toContain(translate("nb", "targets.col.target"));
    const trends = await (await sample.server.fetch("/company/trends", { cookie: viewer })).text();
    expect(trends).toContain(translate("nb", "targets.trends.title"));

    // The next year can be planned before its study exists; a year far off cannot.
    expect((await sample.server.fetch(`/company/follow-up/targets?year=${YEAR + 1}`, { cookie: manager })).status).toBe(200);
    expect((await sample.server.fetch(`/company/follow-up/targets?year=${YEAR + 5}`, { cookie: manager })).status).toBe(404);
    expect((await sample.server.fetch("/company/follow-up/targets", { cookie: manager, form: { ...form, year: String(YEAR + 5) } })).status).toBe(404);
  });

  it("response-time goals: set by a manager in the channel's unit, stored in seconds, audited; refused for others", async () => {
    const tenantId = sample.ids.get("pakkeposten")!;
    const manager = await sample.memberCookie("pakkeposten", "manager");
    const viewer = await sample.memberCookie("pakkeposten", "viewer");
    const form = { intent: "goals", goal_phone: "60", goal_email: "24", goal_chat: "2", goal_messenger: "" };
    expect((await sample.server.fetch("/company/follow-up/targets", { cookie: viewer, form })).status).toBe(403);
    expect((await sample.server.fetch("/company/follow-up/targets", { cookie: manager, form: { ...form, goal_phone: "0" } })).status).toBe(400);
    expect((await sample.server.fetch("/company/follow-up/targets", { cookie: manager, form })).status).toBe(200);
    const goals = await db.select({ c: s.responseGoals.channel, g: s.responseGoals.goalSeconds }).from(s.responseGoals).where(eq(s.responseGoals.tenantId, tenantId)).orderBy(s.responseGoals.channel);
    expect(goals).toEqual([
      { c: "phone", g: 60 },
      { c: "email", g: 86_400 },
      { c: "chat", g: 120 },
    ]);
    const [entry] = await db.select({ details: s.tenantAuditEvents.details }).from(s.tenantAuditEvents).where(and(eq(s.tenantAuditEvents.tenantId, tenantId), eq(s.tenantAuditEvents.action, "response_goals.set")));
    expect(entry!.details).toEqual({
      changes: [
        { channel: "phone", from: null, to: 60 },
        { channel: "email", from: null, to: 86_400 },
        { channel: "chat", from: null, to: 120 },
      ],
    });
    // The form shows them back in the channel's unit.
    const page = await (await sample.server.fetch("/company/follow-up/targets", { cookie: manager })).text();
    expect(page).toMatch(/name="goal_email"[^>]*value="24"|value="24"[^>]*name="goal_email"/);
  });
});
