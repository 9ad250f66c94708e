// What companies and staff see of the awards (issue 16): nothing before publication; after it,
// every company of the study sees all winners, a winner downloads its own diploma and badge (and
// nobody else's), the overview names the company's own awards, and staff get the results list
// as a page and as files for the press.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as s from "#db/schema";
import { translate } from "~/i18n/i18n";
import { awardKeyOf } from "~/models/insights/awards-view.server";
import { frozenAwards, type AwardRow } from "~/models/studies/awards.server";
import { openReview, publishNow } from "~/models/studies/season.server";
import { writeStudy } from "~/models/studies/study-write.server";
import { createUser, signedInCookie } from "../support/factories";
import { pdfText } from "../support/pdf-text";
import { publishedStudies } from "../support/published-sample";
import { sampleStudy } from "../support/sample-study";

const DAY = 86_400_000;
const study = sampleStudy(2021);
const nb = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate("nb", key, params);

let sample: Awaited<ReturnType<typeof publishedStudies>>;
let studyId: number;
let staffCookie: string;

beforeAll(async () => {
  const older = sampleStudy(2020);
  older.inquiries = older.inquiries.map((i) => ({ ...i, ref: `P-${i.ref}` }));
  sample = await publishedStudies(older);
  const db = sample.database.db;
  ({ studyId } = await db.transaction((tx) => writeStudy(tx, study)));
  await openReview(db, studyId, { until: new Date(Date.now() + 7 * DAY), userId: null });
  const staff = await createUser(db, { isStaff: true });
  staffCookie = await signedInCookie(db, staff.id);
}, 120_000);

afterAll(() => sample?.close());

const get = (path: string, cookie: string) => sample.server.fetch(path, { cookie });
const codeOf = (participantId: string) => [...sample.ids.entries()].find(([, id]) => id === participantId)![0];

describe("before publication", () => {
  it("the awards page says they come with publication, no file of an award exists, and the results list is not made", async () => {
    const member = await sample.memberCookie("kystbanken", "manager");
    const page = await get("/company/awards", member);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(nb("awardPages.notYet.title"));
    expect(html).not.toContain(nb("awardPages.classes"));
    for (const key of ["overall", "class:bank", "channel:phone"]) {
      expect((await get(`/company/awards/download?study=2021&award=${key}&format=pdf`, member)).status).toBe(404);
    }
    expect(await (await get("/staff/studies/2021/results", staffCookie)).text()).toContain(nb("results.notPublished"));
    expect((await get("/staff/studies/2021/results/download?format=csv", staffCookie)).status).toBe(404);
  });
});

describe("after publication", () => {
  let awards: AwardRow[];
  let winner: AwardRow;
  let winnerCookie: string;
  let otherCookie: string;

  beforeAll(async () => {
    await publishNow(sample.database.db, studyId, null);
    awards = await frozenAwards(sample.database.db, studyId);
    winner = awards.find((a) => a.kind === "class")!;
    winnerCookie = await sample.memberCookie(codeOf(winner.participantId), "viewer");
    const loser = study.participants.find((p) => !awards.some((a) => a.participantId === sample.ids.get(p.code)))!;
    otherCookie = await sample.memberCookie(loser.code, "viewer");
  });

  it("every company of the study sees all the winners; a winner sees its own awards with their files", async () => {
    expect(awards.length).toBeGreaterThan(0);
    for (const cookie of [winnerCookie, otherCookie]) {
      const html = await (await get("/company/awards?study=2021", cookie)).text();
      for (const award of awards) expect(html).toContain(award.participantName);
    }
    const own = await (await get("/company/awards?study=2021", winnerCookie)).text();
    expect(own).toContain(nb("awards.award.class", { class: winner.className! }));
    expect(own).toContain(`award=${encodeURIComponent(awardKeyOf(winner))}&amp;format=pdf`);
    const theirs = await (await get("/company/awards?study=2021", otherCookie)).text();
    expect(theirs).not.toContain("/company/awards/download");
    // The overview names the company's own awards.
    expect(await (await get("/company/?study=2021", winnerCookie)).text()).toContain(nb("awardPages.own"));
    expect(await (await get("/company/?study=2021", otherCookie)).text()).not.toContain(nb("awardPages.own"));
  });

  it("the winner downloads its diploma (nb and en) and badge (SVG and PNG); another company gets 404 for the same award", async () => {
    const key = encodeURIComponent(awardKeyOf(winner));
    for (const lang of ["nb", "en"] as const) {
      const pdf = await get(`/company/awards/download?study=2021&award=${key}&format=pdf&lang=${lang}`, winnerCookie);
      expect(pdf.status).toBe(200);
      expect(pdf.headers.get("content-type")).toBe("application/pdf");
      const { text } = await pdfText(new Uint8Array(await pdf.arrayBuffer()));
      expect(text).toContain(winner.participantName);
      expect(text).toContain(winner.className!);
    }
    const svg = await get(`/company/awards/download?study=2021&award=${key}&format=svg`, winnerCookie);
    expect(svg.headers.get("content-type")).toBe("image/svg+xml");
    expect(await svg.text()).toMatch(/^<svg[^>]*role="img"/);
    const png = new Uint8Array(await (await get(`/company/awards/download?study=2021&award=${key}&format=png`, winnerCookie)).arrayBuffer());
    expect([...png.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    for (const format of ["pdf", "svg", "png"]) {
      expect((await get(`/company/awards/download?study=2021&award=${key}&format=${format}`, otherCookie)).status).toBe(404);
    }
    // A made-up or malformed key is no way in either.
    expect((await get(`/company/awards/download?study=2021&award=class:nope&format=pdf`, winnerCookie)).status).toBe(404);
    expect((await get(`/company/awards/download?study=2021&award=<x>&format=pdf`, winnerCookie)).status).toBe(404);
  });

  it("staff see the results list and download it as CSV, XLSX and PDF; companies are refused", async () => {
    const page = await (await get("/staff/studies/2021/results", staffCookie)).text();
    const [ranking] = await sample.database.db.select().from(s.benchmarkRanking).where(eq(s.benchmarkRanking.studyId, studyId)).limit(1);
    expect(page).toContain(ranking!.participantName);
    for (const award of awards) expect(page).toContain(award.participantName);
    const csv = await get("/staff/studies/2021/results/download?format=csv", staffCookie);
    expect(csv.status).toBe(200);
    const text = await csv.text();
    for (const p of study.participants) expect(text).toContain(p.name);
    for (const format of ["xlsx", "pdf"]) {
      const file = await get(`/staff/studies/2021/results/download?format=${format}&lang=en`, staffCookie);
      expect({ format, status: file.status }).toEqual({ format, status: 200 });
      expect((await file.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    }
    const member = await sample.memberCookie("kystbanken", "manager");
    expect((await get("/staff/studies/2021/results", member)).status).toBe(403);
    expect((await get("/staff/studies/2021/results/download?format=csv", member)).status).toBe(403);
  });
});
