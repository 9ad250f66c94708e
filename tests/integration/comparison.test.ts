// The comparison page: gap map, ranking and "what would it take", checked against figures
// computed here from the sample's raw points; a company never sees another's raw rows.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant, type Database } from "#db/client.server";
import * as s from "#db/schema";
import type { InquiryRow } from "~/domain/types";
import { getComparison } from "~/models/insights/comparison.server";
import { publishedStudies } from "../support/published-sample";
import { expectedScores, rawAreaScore, sampleStudy } from "../support/sample-study";
import type { TestServer } from "../support/server";

const study = sampleStudy(2021);
const expected = expectedScores();
let sample: Awaited<ReturnType<typeof publishedStudies>>;
let database: Database;
let server: TestServer;
const ids = new Map<string, string>();

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const round2 = (x: number) => Math.sign(x) * Math.round(Math.abs(x) * 100) / 100;
const classOf = (code: string) => study.participants.find((p) => p.code === code)!.classCode;

/** Per scoring.md, from raw points: area score of one inquiry (null when none answered), to two decimals. */
const areaScore = (i: InquiryRow, area: string) => {
  const score = rawAreaScore(study, i, area);
  return score === null ? null : round2(score);
};
const participantArea = (code: string, area: string) => {
  const xs = study.inquiries.filter((i) => i.participantCode === code).map((i) => areaScore(i, area)).filter((x): x is number => x !== null);
  return xs.length ? mean(xs) : null;
};
const participantQuestion = (code: string, q: string, max: number) => {
  const xs = study.inquiries.filter((i) => i.participantCode === code && i.answers[q] !== undefined).map((i) => (i.answers[q]! / max) * 100);
  return xs.length ? mean(xs) : null;
};
const total = (code: string) => mean(study.inquiries.filter((i) => i.participantCode === code).map((i) => expected.get(i.ref)!));

beforeAll(async () => {
  study.inquiries.filter((i) => i.participantCode === "fjordkraft-demo").forEach((i) => (i.transcript = "KANARI-comparison"));
  sample = await publishedStudies(study);
  ({ database, server } = sample);
  for (const [code, id] of sample.ids) ids.set(code, id);
}, 120_000);

afterAll(() => sample?.close());

describe("class comparison", () => {
  it("gives every area and question against the class mean and best as computed from raw points", async () => {
    for (const p of study.participants) {
      const c = (await withTenant(database.db, ids.get(p.code)!, (scope) => getComparison(scope, 2021)))!;
      const classmates = study.participants.filter((x) => x.classCode === p.classCode).map((x) => x.code);
      expect(c.totalScore).toBeCloseTo(total(p.code), 6);
      for (const a of c.areas) {
        expect(a.own ?? null).toBeCloseTo(participantArea(p.code, a.code) ?? NaN, 2);
        const others = classmates.map((m) => participantArea(m, a.code)).filter((x): x is number => x !== null);
        if (others.length >= 3) {
          expect(a.classMean!).toBeCloseTo(mean(others), 2);
          expect(a.classBest!).toBeCloseTo(Math.max(...others), 2);
        } else expect(a.classMean).toBeNull();
      }
      for (const q of c.questions) {
        const max = study.questionnaire.questions.find((x) => x.code === q.code)!.maxPoints!;
        const own = participantQuestion(p.code, q.code, max);
        if (own === null) expect(q.own).toBeNull();
        else expect(q.own!).toBeCloseTo(own, 4);
        const others = classmates.map((m) => participantQuestion(m, q.code, max)).filter((x): x is number => x !== null);
        if (others.length >= 3) expect(q.classMean!).toBeCloseTo(mean(others), 4);
        else expect(q.classMean).toBeNull();
      }
    }
  });

  it("ranks the class as published and finds area lifts that really climb one place", async () => {
    let checkedLifts = 0;
    for (const p of study.participants) {
      const c = (await withTenant(database.db, ids.get(p.code)!, (scope) => getComparison(scope, 2021)))!;
      const classmates = study.participants.filter((x) => x.classCode === classOf(p.code));
      if (classmates.length < 3) {
        expect(c.ranking).toEqual([]);
        continue;
      }
      const totals = classmates.map((m) => round2(total(m.code)));
      expect(c.ranking.map((r) => r.totalScore).sort((a, b) => b - a)).toEqual(
        totals.sort((a, b) => b - a).map((x) => expect.closeTo(x, 2)),
      );
      const own = round2(total(p.code));
      expect(c.rank).toBe(1 + totals.filter((x) => x > own + 0.005).length);
      if (!c.nextPlace) {
        expect(c.rank).toBe(1);
        continue;
      }
      // Apply the cheapest single-area lift to every inquiry with that area, rescore by
      // scoring.md, and the company must reach the place above.
      const lift = c.nextPlace.singleArea[0];
      if (!lift) continue;
      const lifted = study.inquiries
        .filter((i) => i.participantCode === p.code)
        .map((i) => {
          if (!i.answered) return 0;
          let wsum = 0;
          let acc = 0;
          for (const a of study.questionnaire.areas) {
            const sc = areaScore(i, a.code);
            if (sc === null || a.weight === 0) continue;
            wsum += a.weight;
            acc += a.weight * (a.code === lift.areaCode ? sc + lift.points : sc);
          }
          return wsum ? acc / wsum : 0;
        });
      expect(mean(lifted)).toBeGreaterThanOrEqual(c.nextPlace.totalScore - 0.01);
      checkedLifts++;
    }
    expect(checkedLifts).toBeGreaterThan(0);
  });

  it("serves the page to the company's member with no other company's raw rows, and 404 for a year it did not take part in", async () => {
    const cookie = await sample.memberCookie("kystbanken");
    const res = await server.fetch("/company/comparison", { cookie });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Resultatliste for bransjen");
    expect(html).not.toContain("KANARI");
    expect((await server.fetch("/company/comparison?study=2019", { cookie })).status).toBe(404);
    expect((await server.fetch("/company/comparison?study=abc", { cookie })).status).toBe(404);
    const [bank] = await database.db.select().from(s.participants).where(eq(s.participants.code, "kystbanken"));
    expect(bank).toBeDefined();
  });
});
