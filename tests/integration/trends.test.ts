// The trends page: the company's own figures per study year, computed here independently
// from the sample's raw points, with changed questions marked; nothing of another company.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant, type Database } from "#db/client.server";
import * as s from "#db/schema";
import { formatScore } from "~/domain/format";
import type { InquiryRow, StudyData } from "~/domain/types";
import { publishStudy } from "~/models/studies/publish.server";
import { writeStudy } from "~/models/studies/study-write.server";
import { getTrends } from "~/models/insights/trends.server";
import { createTestDatabase } from "../support/db";
import { addMember, createUser, signedInCookie } from "../support/factories";
import { expectedScores, sampleStudy } from "../support/sample-study";
import { startTestServer, type TestServer } from "../support/server";

let database: Database;
let server: TestServer;
let a: string;
let cookieA: string;
const y2020 = sampleStudy(2020);
const y2021 = sampleStudy(2021);
const COMPANY = "kystbanken";
const OTHER = "fjordkraft-demo";

const mean = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;

/** Independent of the app: area score of one inquiry per scoring.md, from raw points. */
function areaScore(study: StudyData, inquiry: InquiryRow, areaCode: string): number | null {
  if (!inquiry.answered) return null;
  let points = 0;
  let max = 0;
  for (const q of study.questionnaire.questions) {
    if (q.areaCode !== areaCode || q.kind !== "points" || inquiry.answers[q.code] === undefined) continue;
    points += inquiry.answers[q.code]!;
    max += q.maxPoints!;
  }
  return max === 0 ? null : Math.round(((100 * points) / max) * 100) / 100;
}

beforeAll(async () => {
  // 2020: one question worded differently, and the other company's comments carry a canary.
  y2020.questionnaire.questions.find((q) => q.code === "K1")!.text = "En eldre formulering av K1";
  for (const i of y2020.inquiries) i.ref = i.ref.replace("S21", "S20");
  for (const i of [...y2020.inquiries, ...y2021.inquiries]) if (i.participantCode === OTHER) i.comment = "KANARI-fjordkraft-trend";
  database = await createTestDatabase();
  for (const study of [y2020, y2021]) {
    const { studyId } = await database.db.transaction((tx) => writeStudy(tx, study));
    await publishStudy(database.db, studyId);
  }
  const [company] = await database.db.select().from(s.participants).where(eq(s.participants.code, COMPANY));
  a = company!.id;
  const user = await createUser(database.db);
  await addMember(database.db, a, user.id, "viewer");
  cookieA = await signedInCookie(database.db, user.id);
  server = await startTestServer(database);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await database?.close();
});

describe("trends", () => {
  it("gives each year's total, channel and area scores as computed from the raw points", async () => {
    const trends = await withTenant(database.db, a, getTrends);
    expect(trends.years.map((y) => y.year)).toEqual([2020, 2021]);
    const expected = expectedScores();
    const own = y2021.inquiries.filter((i) => i.participantCode === COMPANY);
    const totals = own.map((i) => expected.get(i.ref)!);
    for (const y of trends.years) expect(y.totalScore).toBeCloseTo(mean(totals), 6);
    for (const channel of new Set(own.map((i) => i.channel))) {
      const row = trends.channels.find((c) => c.channel === channel)!;
      expect(row.scores[2021]).toBeCloseTo(mean(own.filter((i) => i.channel === channel).map((i) => expected.get(i.ref)!)), 6);
    }
    for (const area of y2021.questionnaire.areas) {
      const scores = own.map((i) => areaScore(y2021, i, area.code)).filter((x): x is number => x !== null);
      const row = trends.areas.find((r) => r.code === area.code);
      if (scores.length === 0) expect(row?.scores[2021]).toBeUndefined();
      else expect(row!.scores[2021]).toBeCloseTo(mean(scores), 2);
    }
  });

  it("marks a question whose text changed as not comparable, and keeps the unchanged ones comparable", async () => {
    const trends = await withTenant(database.db, a, getTrends);
    expect(trends.questions.find((q) => q.code === "K1")!.changedIn).toEqual([2021]);
    expect(trends.questions.find((q) => q.code === "V1")!.changedIn).toEqual([]);
    expect(trends.questions.some((q) => q.code.startsWith("CX"))).toBe(false);
  });

  it("renders the page with its figures for the member, nothing of another company, and 302 to login without a session", async () => {
    const res = await server.fetch("/company/trends", { cookie: cookieA });
    expect(res.status).toBe(200);
    const html = await res.text();
    const trends = await withTenant(database.db, a, getTrends);
    expect(html).toContain(formatScore(trends.years[1]!.totalScore, "nb"));
    expect(html).toContain("ikke sammenlignbar");
    expect(html).not.toContain("KANARI");
    expect(html).not.toContain("Fjordkraft");
    expect((await server.fetch("/company/trends")).status).toBe(302);
  });
});
