// The staff side of the season over HTTP (spec/season.md): the study page opens the review and
// schedules the publication from Oslo times typed in a form (a time the spring skips, a past
// time and a study that is not ready are refused with words and change nothing), the queue
// filters a study's queries, and a query's page answers it once, applying a change of points
// as a correction scored by the one engine and kept in the import history.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant, type Database } from "#db/client.server";
import * as s from "#db/schema";
import { formatDateTime, formatScore } from "~/domain/format";
import { osloInstant } from "~/domain/oslo-time";
import { scoreInquiry } from "~/domain/scoring";
import type { StudyData } from "~/domain/types";
import { translate, type MessageKey } from "~/i18n/i18n";
import { raiseQuery } from "~/models/studies/queries.server";
import { createStudy } from "~/models/studies/study.server";
import { writeStudy } from "~/models/studies/study-write.server";
import { createTestDatabase } from "../support/db";
import { addMember, createUser, signedInCookie } from "../support/factories";
import { sampleStudy } from "../support/sample-study";
import { startTestServer, type TestServer } from "../support/server";

const DAY = 86_400_000;
const nb = (key: MessageKey, params?: Record<string, string | number>) => translate("nb", key, params);
/** The page's text as a browser shows it (React may escape quotes). */
const text = async (response: Response) => (await response.text()).replaceAll("&#x27;", "'").replaceAll("&quot;", '"');

/** A wall-clock time `days` from now as a datetime-local value (Oslo), on the minute. */
function osloInput(days: number, hour = 16): string {
  const d = new Date(Date.now() + days * DAY);
  const oslo = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Oslo", year: "numeric", month: "2-digit", day: "2-digit" }).format(d);
  return `${oslo}T${String(hour).padStart(2, "0")}:00`;
}
const instantOf = (input: string) => {
  const [date, time] = input.split("T") as [string, string];
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const [hour, minute] = time.split(":").map(Number) as [number, number];
  return osloInstant({ year, month, day, hour, minute });
};

let database: Database;
let server: TestServer;
let data: StudyData;
let studyId: number;
let ids: Map<string, string>;
let staff: string;
let staffId: string;
let lead: { id: string; email: string };
let leadCookie: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  data = sampleStudy(2021);
  ({ studyId } = await db.transaction((tx) => writeStudy(tx, data)));
  await createStudy(db, { year: 2022, userId: null }); // empty: not ready for review or publication
  ids = new Map((await db.select().from(s.participants)).map((p) => [p.code, p.id]));
  const staffUser = await createUser(db, { isStaff: true, name: "Stine Stab" });
  staffId = staffUser.id;
  staff = await signedInCookie(db, staffUser.id);
  lead = await createUser(db, { name: "Tina Teamleder" });
  leadCookie = await signedInCookie(db, lead.id);
  server = await startTestServer(database);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await database?.close();
});

const studyRow = async (year = 2021) => (await database.db.select().from(s.studies).where(eq(s.studies.year, year)))[0]!;
const post = (path: string, form: Record<string, string>, cookie = staff) => server.fetch(path, { form, cookie });
const auditCount = async (action: string) => (await database.db.select().from(s.auditEvents).where(eq(s.auditEvents.action, action))).length;

describe("the season section of the staff study page", () => {
  it("refuses a time the spring skips, a past time and nonsense with a 400 and the reason, and changes nothing", async () => {
    const before = await studyRow();
    const cases: [string, string][] = [
      ["2031-03-30T02:30", nb("staffSeason.time.nonexistent", { value: "2031-03-30 02:30" })],
      ["2020-04-20T16:00", nb("staffSeason.review.past", { value: "2020-04-20 16:00" })],
      ["i morgen", nb("staffSeason.time.invalid")],
      ["", nb("staffSeason.time.required")],
    ];
    for (const [until, message] of cases) {
      const res = await post("/staff/studies/2021?index", { intent: "review", until });
      expect(res.status, until).toBe(400);
      expect(await text(res), until).toContain(message);
    }
    const past = await post("/staff/studies/2021?index", { intent: "schedule", at: "2020-05-06T18:00" });
    expect(past.status).toBe(400);
    expect(await text(past)).toContain(nb("staffSeason.schedule.past", { value: "2020-05-06 18:00" }));
    const after = await studyRow();
    expect(after).toEqual(before);
    expect(after.status).toBe("draft");
    expect(await auditCount("study.review.open")).toBe(0);
  });

  it("refuses to open the review of, or schedule, a study that lacks results, naming what is missing", async () => {
    for (const [intent, name, heading] of [
      ["review", "until", "staffSeason.review.notReady"],
      ["schedule", "at", "staffSeason.schedule.notReady"],
    ] as const) {
      const res = await post("/staff/studies/2022?index", { intent, [name]: osloInput(10) });
      expect(res.status).toBe(409);
      const html = await text(res);
      expect(html).toContain(nb(heading));
      expect(html).toContain(nb("staffSeason.readiness.results"));
    }
    const empty = await studyRow(2022);
    expect(empty.status).toBe("draft");
    expect(empty.publishAt).toBeNull();
  });

  it("opens the review with the typed Oslo deadline, then moves it (audited once each by the model)", async () => {
    const until = osloInput(7);
    const res = await post("/staff/studies/2021?index", { intent: "review", until });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/staff/studies/2021?season=opened#season-title");
    const opened = await studyRow();
    expect(opened.status).toBe("review");
    expect(opened.reviewUntil).toEqual(instantOf(until));
    expect(await auditCount("study.review.open")).toBe(1);

    const page = await text(await server.fetch("/staff/studies/2021?season=opened", { cookie: staff }));
    expect(page).toContain(nb("staffSeason.review.opened", { deadline: formatDateTime(instantOf(until), "nb") }));
    expect(page).toContain(nb("staffSeason.review.open", { deadline: formatDateTime(instantOf(until), "nb") }));
    expect(page).toContain(`value="${until}"`);

    const later = osloInput(9, 12);
    const moved = await post("/staff/studies/2021?index", { intent: "review", until: later });
    expect(moved.headers.get("location")).toBe("/staff/studies/2021?season=moved#season-title");
    expect((await studyRow()).reviewUntil).toEqual(instantOf(later));
    expect(await auditCount("study.review.open")).toBe(1);
    expect(await auditCount("study.review.deadline")).toBe(1);
  });

  it("schedules the publication minute, shows it with a countdown, and cancels it", async () => {
    const at = osloInput(20, 18);
    const res = await post("/staff/studies/2021?index", { intent: "schedule", at });
    expect(res.status).toBe(302);
    expect((await studyRow()).publishAt).toEqual(instantOf(at));
    expect(await auditCount("study.publish.schedule")).toBe(1);

    const page = await text(await server.fetch("/staff/studies/2021", { cookie: staff }));
    expect(page).toMatch(/publiseres om \d+ d( \d+ t)?/);
    expect(page).toContain("data-countdown");
    expect(page).toContain('class="sr-only">Publiseringen er planlagt til');
    expect(page).toContain(nb("staffSeason.schedule.cancel"));

    const cancel = await post("/staff/studies/2021?index", { intent: "cancel-schedule" });
    expect(cancel.status).toBe(302);
    expect(cancel.headers.get("location")).toBe("/staff/studies/2021?season=cancelled#season-title");
    const after = await studyRow();
    expect(after.publishAt).toBeNull();
    expect(after.status).toBe("review");
    expect(await auditCount("study.publish.cancel")).toBe(1);

    const again = await post("/staff/studies/2021?index", { intent: "cancel-schedule" });
    expect(again.status).toBe(409);
    expect(await text(again)).toContain(nb("staffSeason.schedule.noSchedule"));
  });
});

describe("the query queue and a query's page", () => {
  /** An answered inquiry with a points question it scored 1 on (max above 1). */
  function pickInquiry() {
    const points = new Map(data.questionnaire.questions.filter((q) => q.kind === "points").map((q) => [q.code, q]));
    for (const inquiry of data.inquiries) {
      if (!inquiry.answered) continue;
      const code = Object.entries(inquiry.answers).find(([c, v]) => v === 1 && (points.get(c)?.maxPoints ?? 0) >= 2)?.[0];
      if (code) return { inquiry, code };
    }
    throw new Error("the sample has no answered inquiry with a 1 on a points question");
  }
  let queryId: string;
  let otherCompany: string;

  beforeAll(async () => {
    const db = database.db;
    const { inquiry, code } = pickInquiry();
    const tenantId = ids.get(inquiry.participantCode)!;
    await addMember(db, tenantId, lead.id, "teamlead");
    ({ id: queryId } = await withTenant(db, tenantId, (scope) =>
      raiseQuery(scope, { year: 2021, ref: inquiry.ref, questionCode: code, reason: "Agenten svarte faktisk på spørsmålet.", userId: lead.id, role: "teamlead" }),
    ));
    // A second query, of another company in another class.
    const klass = data.participants.find((p) => p.code === inquiry.participantCode)!.classCode;
    const other = data.inquiries.find((i) => i.answered && data.participants.find((p) => p.code === i.participantCode)!.classCode !== klass)!;
    otherCompany = other.participantCode;
    const manager = await createUser(db, { name: "Mona Manager" });
    await addMember(db, ids.get(otherCompany)!, manager.id, "manager");
    await withTenant(db, ids.get(otherCompany)!, (scope) =>
      raiseQuery(scope, { year: 2021, ref: other.ref, questionCode: null, reason: "Se over hele henvendelsen.", userId: manager.id, role: "manager" }),
    );
  });

  const refsIn = (html: string) => [...html.matchAll(/href="\/staff\/studies\/2021\/queries\/([0-9a-f-]{36})"/g)].map((m) => m[1]);

  it("lists the study's queries and filters them by state, company, class and age", async () => {
    const { inquiry } = pickInquiry();
    const klass = data.participants.find((p) => p.code === inquiry.participantCode)!.classCode;
    const get = async (search: string) => {
      const res = await server.fetch(`/staff/studies/2021/queries${search}`, { cookie: staff });
      return { status: res.status, html: await text(res) };
    };
    const all = await get("");
    expect(all.status).toBe(200);
    expect(refsIn(all.html)).toHaveLength(2);
    expect(all.html).toContain(inquiry.ref);
    expect(refsIn((await get("?state=open")).html)).toHaveLength(2);
    expect(refsIn((await get("?state=accepted")).html)).toHaveLength(0);
    expect(refsIn((await get(`?company=${inquiry.participantCode}`)).html)).toEqual([queryId]);
    expect(refsIn((await get(`?class=${klass}`)).html)).toEqual([queryId]);
    expect(refsIn((await get("?older=0")).html)).toHaveLength(2);
    expect(refsIn((await get("?older=3")).html)).toHaveLength(0);
    const bad = await get("?older=tre");
    expect(bad.status).toBe(400);
    expect(bad.html).toContain(nb("staffQueue.filter.olderThanInvalid"));

    // The study page counts them and links into the queue by state.
    const study = await text(await server.fetch("/staff/studies/2021", { cookie: staff }));
    expect(study).toContain('href="/staff/studies/2021/queries?state=open"');
    expect(study).toContain(nb("staffSeason.queries.count", { state: nb("query.state.open"), count: 2 }));
  });

  it("is staff only: a company member gets 403", async () => {
    for (const path of ["/staff/studies/2021/queries", `/staff/studies/2021/queries/${queryId}`]) {
      expect((await server.fetch(path, { cookie: leadCookie })).status, path).toBe(403);
    }
    expect((await post(`/staff/studies/2021/queries/${queryId}`, { verdict: "accepted", note: "x" }, leadCookie)).status).toBe(403);
  });

  it("answers a query after the deadline: accepted, 1 point to 2, the total as the engine scores it, the batch naming the query; a second answer is refused", async () => {
    const db = database.db;
    const { inquiry, code } = pickInquiry();
    // The window has closed: open queries can still be answered.
    await db.update(s.studies).set({ reviewUntil: new Date(Date.now() - 60_000) }).where(eq(s.studies.id, studyId));
    const path = `/staff/studies/2021/queries/${queryId}`;
    const page = await text(await server.fetch(path, { cookie: staff }));
    expect(page).toContain("Agenten svarte faktisk på spørsmålet.");
    expect(page).toContain(`name="points.${code}"`);

    // A missing note and a point out of range are field errors; nothing is answered.
    const bad = await post(path, { verdict: "accepted", note: " ", [`points.${code}`]: "99" });
    expect(bad.status).toBe(400);
    const badHtml = await text(bad);
    expect(badHtml).toContain(nb("staffQuery.form.noteRequired"));
    expect((await db.select().from(s.inquiryQueries).where(eq(s.inquiryQueries.id, queryId)))[0]!.state).toBe("open");

    // As a browser sends it: every point field, one of them changed.
    const form: Record<string, string> = { verdict: "accepted", note: "Riktig, poenget er rettet." };
    const applicable = data.questionnaire.questions.filter((q) => q.kind === "points" && inquiry.answers[q.code] !== undefined);
    for (const q of applicable) form[`points.${q.code}`] = String(inquiry.answers[q.code]);
    form[`points.${code}`] = "2";
    const expected = scoreInquiry(data.questionnaire, { ...inquiry, answers: { ...inquiry.answers, [code]: 2 } }).totalScore;
    const before = scoreInquiry(data.questionnaire, inquiry).totalScore;

    const res = await post(path, form);
    expect(res.status).toBe(200);
    const html = await text(res);
    expect(html).toContain(nb("staffQuery.doneChanged", { state: nb("query.state.accepted"), after: formatScore(expected, "nb"), before: formatScore(before, "nb") }));
    expect(html).toContain('href="/staff/studies/2021#history"');

    const [stored] = await db.select().from(s.inquiries).where(and(eq(s.inquiries.studyId, studyId), eq(s.inquiries.ref, inquiry.ref)));
    expect(stored!.totalScore).toBe(expected);
    const [query] = await db.select().from(s.inquiryQueries).where(eq(s.inquiryQueries.id, queryId));
    expect(query).toMatchObject({ state: "accepted", answer: "Riktig, poenget er rettet.", answeredBy: staffId });
    const batches = await db.select().from(s.importBatches).where(eq(s.importBatches.queryId, queryId));
    expect(batches).toHaveLength(1);
    expect(batches[0]!.id).toBe(query!.correctionBatchId);
    // Only the changed question went in as a change.
    const [correction] = (await db.select().from(s.auditEvents).where(eq(s.auditEvents.action, "import.correction"))).map((e) => e.details as { changes: Record<string, number> });
    expect(correction!.changes).toEqual({ [code]: 2 });
    expect(await auditCount("query.answer")).toBe(1);

    // The import history lists the batch; the answered query is read-only.
    // The import history names the query the correction answers, with a link to it.
    const studyPage = await text(await server.fetch("/staff/studies/2021", { cookie: staff }));
    expect(studyPage).toContain(`href="/staff/studies/2021/queries/${queryId}"`);
    expect(studyPage).toContain(nb("staffSeason.history.correction", { ref: inquiry.ref }));
    const answered = await text(await server.fetch(path, { cookie: staff }));
    expect(answered).not.toContain(`name="points.${code}"`);
    expect(answered).toContain("Riktig, poenget er rettet.");

    const second = await post(path, { verdict: "rejected", note: "Igjen." });
    expect(second.status).toBe(409);
    expect(await text(second)).toContain(nb("staffQuery.error.not-open"));
    const [still] = await db.select().from(s.inquiryQueries).where(eq(s.inquiryQueries.id, queryId));
    expect(still).toMatchObject({ state: "accepted", answer: "Riktig, poenget er rettet." });
    expect(await db.select().from(s.importBatches).where(eq(s.importBatches.queryId, queryId))).toHaveLength(1);
  });

  it("answers an unknown query id with 404, not 500", async () => {
    const ghost = "00000000-0000-4000-8000-000000000000";
    expect((await server.fetch(`/staff/studies/2021/queries/${ghost}`, { cookie: staff })).status).toBe(404);
    expect((await post(`/staff/studies/2021/queries/${ghost}`, { verdict: "rejected", note: "x" })).status).toBe(404);
    expect((await server.fetch("/staff/studies/2021/queries/not-a-uuid", { cookie: staff })).status).toBe(404);
  });
});
