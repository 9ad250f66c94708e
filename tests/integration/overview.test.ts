import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant, type Database } from "#db/client.server";
import * as s from "#db/schema";
import { getOverview } from "~/models/insights/overview.server";
import { publishStudy } from "~/models/studies/publish.server";
import { writeStudy } from "~/models/studies/study-write.server";
import { createTestDatabase } from "../support/db";
import { expectedScores, sampleStudy } from "../support/sample-study";

let database: Database;
const data = sampleStudy(2021);
const expected = expectedScores();

// Independent of the scoring engine: every figure from expected-scores.csv and the raw rows.
const band = (x: number) => (x === 100 ? "perfect" : x >= 80 ? "high" : x >= 70 ? "mid" : "low");
const meanOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const participantMean = (code: string) => meanOf(data.inquiries.filter((i) => i.participantCode === code).map((i) => expected.get(i.ref)!));

beforeAll(async () => {
  database = await createTestDatabase();
  const { studyId } = await database.db.transaction((tx) => writeStudy(tx, data));
  await publishStudy(database.db, studyId);
});
afterAll(() => database.close());

describe("stored scores", () => {
  it("every inquiry's stored total score equals expected-scores.csv", async () => {
    const rows = await database.db.select({ ref: s.inquiries.ref, score: s.inquiries.totalScore }).from(s.inquiries);
    expect(rows).toHaveLength(225);
    for (const row of rows) expect(row.score, row.ref).toBe(expected.get(row.ref));
  });
});

describe("overview figures", () => {
  for (const participant of data.participants) {
    it(`${participant.code}: total, rank, class mean and best, answer rate, bands`, async () => {
      const [tenant] = await database.db.select().from(s.participants).where(eq(s.participants.code, participant.code));
      const overview = await withTenant(database.db, tenant!.id, (scope) => getOverview(scope));
      expect(overview).not.toBeNull();
      const own = data.inquiries.filter((i) => i.participantCode === participant.code);
      expect(overview!.totalScore).toBeCloseTo(participantMean(participant.code), 6);
      expect(overview!.inquiries).toBe(own.length);
      expect(overview!.answerRate).toBeCloseTo(own.filter((i) => i.answered).length / own.length, 10);

      const classmates = data.participants.filter((p) => p.classCode === participant.classCode).map((p) => participantMean(p.code));
      expect(overview!.class.participants).toBe(classmates.length);
      if (classmates.length < 3) {
        // The sample's Netthandel class has 2 participants: anonymity hides its aggregates.
        expect(overview!.class).toMatchObject({ shown: false, mean: null, best: null, rank: null });
        return;
      }
      expect(overview!.class.mean).toBeCloseTo(meanOf(classmates), 6);
      expect(overview!.class.best).toBeCloseTo(Math.max(...classmates), 6);
      const rank = 1 + classmates.filter((x) => x > participantMean(participant.code) + 1e-9).length;
      expect(overview!.class.rank).toBe(rank);

      for (const b of ["perfect", "high", "mid", "low"] as const) {
        expect(overview!.bands[b], b).toBe(own.filter((i) => band(expected.get(i.ref)!) === b).length);
        expect(overview!.wholeStudy!.bands![b], b).toBe([...expected.values()].filter((x) => band(x) === b).length);
      }
      expect(overview!.wholeStudy!.mean).toBeCloseTo(meanOf(data.participants.map((p) => participantMean(p.code))), 6);
    });
  }

  it("a class under 3 participants shows no class aggregate", async () => {
    const small = sampleStudy(2022);
    small.participants = small.participants.filter((p) => p.classCode !== "netthandel" || p.code === "handlekurven");
    small.inquiries = small.inquiries
      .filter((i) => small.participants.some((p) => p.code === i.participantCode))
      .map((i) => ({ ...i, ref: `X-${i.ref}` }));
    const { studyId } = await database.db.transaction((tx) => writeStudy(tx, small));
    await publishStudy(database.db, studyId);
    const [tenant] = await database.db.select().from(s.participants).where(eq(s.participants.code, "handlekurven"));
    const overview = await withTenant(database.db, tenant!.id, (scope) => getOverview(scope, 2022));
    expect(overview!.class).toMatchObject({ shown: false, mean: null, best: null, rank: null });
  });

  it("an unpublished study is invisible to its companies", async () => {
    const draft = sampleStudy(2023);
    draft.inquiries = draft.inquiries.map((i) => ({ ...i, ref: `D-${i.ref}` }));
    await database.db.transaction((tx) => writeStudy(tx, draft));
    const [tenant] = await database.db.select().from(s.participants).where(eq(s.participants.code, "kystbanken"));
    const overview = await withTenant(database.db, tenant!.id, (scope) => getOverview(scope, 2023));
    expect(overview).toBeNull();
    const latest = await withTenant(database.db, tenant!.id, (scope) => getOverview(scope));
    expect(latest!.study.year).toBe(2022);
  });

  it("another tenant's scope cannot read this tenant's overview through a forged tenant id filter", async () => {
    const [a] = await database.db.select().from(s.participants).where(eq(s.participants.code, "kystbanken"));
    const [b] = await database.db.select().from(s.participants).where(eq(s.participants.code, "fjordkraft-demo"));
    // The application filter and RLS disagree on purpose: RLS must still win.
    const leaked = await withTenant(database.db, a!.id, (scope) => getOverview({ tx: scope.tx, tenantId: b!.id }));
    expect(leaked).toBeNull();
  });
});
