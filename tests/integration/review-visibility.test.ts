// What a company sees of a study in review (spec/season.md): its own inquiries and figures,
// marked preliminary, with the deadline; nothing of the class or the whole study, no ranking,
// in the pages and in the read API; and the query form on an inquiry page until the deadline.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as s from "#db/schema";
import { formatDateTime } from "~/domain/format";
import { translate } from "~/i18n/i18n";
import { createApiToken } from "~/models/accounts/api-token.server";
import { openReview, publishNow } from "~/models/studies/season.server";
import { writeStudy } from "~/models/studies/study-write.server";
import { publishedStudies } from "../support/published-sample";
import { sampleStudy } from "../support/sample-study";

const DAY = 86_400_000;
const A = "kystbanken";
const review = sampleStudy(2021);
const older = sampleStudy(2020);
older.inquiries = older.inquiries.map((i) => ({ ...i, ref: `P-${i.ref}` }));
const ownInquiries = review.inquiries.filter((i) => i.participantCode === A);
const ownRef = ownInquiries.find((i) => i.answered)!.ref;
const otherRef = review.inquiries.find((i) => i.participantCode !== A)!.ref;
const otherNames = review.participants.filter((p) => p.code !== A).map((p) => p.name);
const nb = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate("nb", key, params);

let sample: Awaited<ReturnType<typeof publishedStudies>>;
let studyId: number;
let until: Date;
const cookies: Record<"manager" | "teamlead" | "viewer", string> = { manager: "", teamlead: "", viewer: "" };
let token: string;

beforeAll(async () => {
  sample = await publishedStudies(older);
  const db = sample.database.db;
  ({ studyId } = await db.transaction((tx) => writeStudy(tx, review)));
  until = new Date(Date.now() + 7 * DAY);
  until.setUTCSeconds(0, 0);
  await openReview(db, studyId, { until, userId: null });
  for (const role of ["manager", "teamlead", "viewer"] as const) cookies[role] = await sample.memberCookie(A, role);
  token = (await createApiToken(db, { tenantId: sample.ids.get(A)!, name: "BI", createdBy: null })).token;
}, 120_000);

afterAll(() => sample?.close());

const page = async (path: string, role: keyof typeof cookies = "viewer") => {
  const response = await sample.server.fetch(path, { cookie: cookies[role] });
  return { status: response.status, html: await response.text() };
};
const api = async (path: string) => {
  const response = await sample.server.fetch(path, { headers: { Authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const raise = (role: keyof typeof cookies, form: Record<string, string>, ref = ownRef) =>
  sample.server.fetch(`/company/inquiries/${ref}?study=2021`, { cookie: cookies[role], form: { study: "2021", question: "", ...form } });
const queriesOf = () => sample.database.db.select().from(s.inquiryQueries).where(eq(s.inquiryQueries.studyId, studyId));
/** The text of a page without its markup, for looking for words that must not be there. */
const textOf = (html: string) => html.replace(/<script[\s\S]*?<\/script>/g, "").replace(/<[^>]+>/g, " ");

describe("a study in review, as the company sees it", () => {
  it("the overview shows the company's own figures of the review study, marked preliminary with the deadline, and nothing of the class", async () => {
    const { status, html } = await page("/company");
    expect(status).toBe(200);
    expect(html).toContain(review.name);
    expect(html).toContain(nb("review.preliminary"));
    expect(html).toContain(nb("review.banner.open", { deadline: formatDateTime(until, "nb") }));
    const text = textOf(html);
    for (const key of ["overview.rank", "overview.classMean", "overview.classBest", "overview.series.study"] as const) expect(text, key).not.toContain(nb(key));
    // The own total is there, as stored by the import.
    const [own] = await sample.database.db
      .select({ total: s.participations.totalScore })
      .from(s.participations)
      .where(and(eq(s.participations.studyId, studyId), eq(s.participations.tenantId, sample.ids.get(A)!)));
    expect(text).toContain(own!.total!.toFixed(1).replace(".", ","));
    // The published older year is still there, and in full.
    const older2020 = await page("/company?study=2020");
    expect(older2020.html).toContain(nb("overview.classMean"));
    expect(older2020.html).not.toContain(nb("review.banner.title"));
  });

  it("no page of the review study names another company or shows a class figure", async () => {
    for (const path of ["/company", "/company/inquiries?study=2021", `/company/inquiries/${ownRef}?study=2021`, "/company/comparison?study=2021", "/company/variance?study=2021", "/company/trends"]) {
      const { status, html } = await page(path);
      expect({ path, status }).toEqual({ path, status: 200 });
      const text = textOf(html);
      for (const name of otherNames) expect({ path, name, shown: text.includes(name) }).toEqual({ path, name, shown: false });
      if (path !== "/company/trends") expect({ path, classMean: text.includes(nb("comparison.classMean")) }).toEqual({ path, classMean: false });
    }
    // The trends carry the review year with the company's own figures, named preliminary, and no class mean for it.
    const trends = textOf((await page("/company/trends")).html);
    expect(trends).toContain(nb("review.year", { year: 2021 }));
    expect(trends).toContain(nb("review.classLater"));
    const comparison = await page("/company/comparison?study=2021");
    expect(comparison.html).toContain(nb("review.notYet.title"));
  });

  it("the read API lists the study with status review, gives the summary with class null, and the benchmark is 404", async () => {
    const list = (await api("/api/v1/studies")).body as unknown as { year: number; status: string; reviewUntil: string | null }[];
    expect(list.map((x) => [x.year, x.status])).toEqual([
      [2021, "review"],
      [2020, "published"],
    ]);
    expect(new Date(list[0]!.reviewUntil!).getTime()).toBe(until.getTime());
    expect(list[1]!.reviewUntil).toBeNull();
    const summary = await api("/api/v1/studies/2021/summary");
    expect(summary.status).toBe(200);
    expect(summary.body.status).toBe("review");
    expect(summary.body.class).toBeNull();
    for (const area of summary.body.byArea as { classMean: unknown; classBest: unknown }[]) expect([area.classMean, area.classBest]).toEqual([null, null]);
    expect((await api("/api/v1/studies/2021/benchmark")).status).toBe(404);
    expect((await api("/api/v1/studies/2021/awards")).status).toBe(404);
    const inquiry = await api(`/api/v1/studies/2021/inquiries/${ownRef}`);
    expect(inquiry.status).toBe(200);
    for (const q of inquiry.body.questions as { classMean: unknown }[]) expect(q.classMean).toBeNull();
    expect((await api(`/api/v1/studies/2021/inquiries/${otherRef}`)).status).toBe(404);
  });
});

describe("raising a query from the inquiry page", () => {
  it("a team lead sees the form and raises a query on one question; a second open one on it is refused; it is listed with its state", async () => {
    const form = await page(`/company/inquiries/${ownRef}?study=2021`, "teamlead");
    expect(form.html).toContain('id="raise-query"');
    const question = review.questionnaire.questions.find((q) => q.kind === "points" && ownInquiries.find((i) => i.ref === ownRef)!.answers[q.code] !== undefined)!;
    const first = await raise("teamlead", { question: question.code, reason: "Agenten tilbød faktisk en oppfølging." });
    expect(first.status).toBe(200);
    expect(await first.text()).toContain(nb("query.raised"));
    const again = await raise("manager", { question: question.code, reason: "Samme igjen." });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain(nb("query.error.alreadyOpen"));
    const rows = await queriesOf();
    expect(rows.map((r) => [r.inquiryRef, r.questionCode, r.state])).toEqual([[ownRef, question.code, "open"]]);
    const shown = await page(`/company/inquiries/${ownRef}?study=2021`, "viewer");
    expect(shown.html).toContain("Agenten tilbød faktisk en oppfølging.");
    expect(shown.html).toContain(nb("query.state.open"));
    // The question with an open query is not offered again; the whole inquiry still is.
    const again2 = await page(`/company/inquiries/${ownRef}?study=2021`, "teamlead");
    expect(again2.html).not.toContain(`<option value="${question.code}">`);
    expect(again2.html).toContain('<option value="">');
    // A viewer sees the queries but no form.
    expect(shown.html).not.toContain('id="raise-query"');
    expect(shown.html).toContain(nb("query.viewerNote"));
  });

  it("bad input is a 400 with the field's message and writes nothing", async () => {
    const before = (await queriesOf()).length;
    const empty = await raise("teamlead", { reason: "   " });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain(nb("query.error.reasonRequired"));
    const long = await raise("teamlead", { reason: "x".repeat(2001) });
    expect(long.status).toBe(400);
    expect(await long.text()).toContain(nb("query.error.reasonTooLong"));
    const unknown = await raise("teamlead", { question: "ZZ99", reason: "Hva med dette?" });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain(nb("query.error.question"));
    expect((await queriesOf()).length).toBe(before);
  });

  it("a viewer is refused (403), and another company's inquiry is 404; neither writes anything", async () => {
    const before = (await queriesOf()).length;
    expect((await raise("viewer", { reason: "Jeg er bare leser." })).status).toBe(403);
    expect((await raise("manager", { reason: "Ikke vår." }, otherRef)).status).toBe(404);
    expect((await queriesOf()).length).toBe(before);
  });

  it("after the deadline the form is gone and raising is 403; the page says until when it was open", async () => {
    const db = sample.database.db;
    const past = new Date(Date.now() - 60_000);
    await db.update(s.studies).set({ reviewUntil: past }).where(eq(s.studies.id, studyId));
    try {
      const before = (await queriesOf()).length;
      const shown = await page(`/company/inquiries/${ownRef}?study=2021`, "teamlead");
      expect(shown.html).not.toContain('id="raise-query"');
      expect(shown.html).toContain(nb("query.closedNote", { deadline: formatDateTime(past, "nb") }));
      const late = await raise("teamlead", { reason: "For sent?" });
      expect(late.status).toBe(403);
      expect(await late.text()).toContain(nb("query.error.closed"));
      expect((await queriesOf()).length).toBe(before);
      const overview = await page("/company");
      expect(overview.html).toContain(nb("review.banner.closed", { deadline: formatDateTime(past, "nb") }));
    } finally {
      await db.update(s.studies).set({ reviewUntil: until }).where(eq(s.studies.id, studyId));
    }
  });
});

describe("once the study is published", () => {
  it("the class figures appear in the pages and the API, and the preliminary marks are gone", async () => {
    await publishNow(sample.database.db, studyId, null);
    const { html } = await page("/company");
    expect(html).toContain(nb("overview.classMean"));
    expect(html).not.toContain(nb("review.banner.title"));
    expect(textOf(html)).not.toContain(nb("review.preliminary"));
    const summary = await api("/api/v1/studies/2021/summary");
    expect(summary.body.status).toBe("published");
    expect(summary.body.class).not.toBeNull();
    expect((await api("/api/v1/studies/2021/benchmark")).status).toBe(200);
    const list = (await api("/api/v1/studies")).body as unknown as { status: string; reviewUntil: unknown }[];
    expect(list[0]).toMatchObject({ status: "published", reviewUntil: null });
    // The query raised in review is still shown on its inquiry, with no form.
    const inquiry = await page(`/company/inquiries/${ownRef}?study=2021`, "teamlead");
    expect(inquiry.html).toContain("Agenten tilbød faktisk en oppfølging.");
    expect(inquiry.html).not.toContain('id="raise-query"');
  });
});
