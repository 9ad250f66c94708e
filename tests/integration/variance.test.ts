// The variance page's figures against values computed here from expected-scores.csv with
// a plain implementation of population SD and QUARTILE.INC, and the page's isolation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant, type Database } from "#db/client.server";
import { getVariance } from "~/models/insights/variance.server";
import { publishedStudies } from "../support/published-sample";
import { expectedScores, sampleStudy } from "../support/sample-study";
import type { TestServer } from "../support/server";

const study = sampleStudy(2021);
const expected = expectedScores();
let sample: Awaited<ReturnType<typeof publishedStudies>>;
let database: Database;
let server: TestServer;
const ids = new Map<string, string>();

const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => Math.sqrt(avg(xs.map((x) => (x - avg(xs)) ** 2)));
function quartile(xs: number[], q: number) {
  const v = [...xs].sort((a, b) => a - b);
  const pos = (v.length - 1) * q;
  const lo = Math.floor(pos);
  return v[lo]! + (pos - lo) * ((v[Math.min(lo + 1, v.length - 1)] ?? v[lo]!) - v[lo]!);
}
const ageGroup = (age: number) => (age < 30 ? "18-29" : age >= 70 ? "70+" : `${Math.floor(age / 10) * 10}-${Math.floor(age / 10) * 10 + 9}`);

beforeAll(async () => {
  study.inquiries.filter((i) => i.participantCode === "fjordkraft-demo").forEach((i) => (i.comment = "KANARI-variance"));
  sample = await publishedStudies(study);
  ({ database, server } = sample);
  for (const [code, id] of sample.ids) ids.set(code, id);
}, 120_000);

afterAll(() => sample?.close());

describe("variance", () => {
  it("gives spread overall, per channel and per shopper group, and the class's typical spread", async () => {
    for (const p of study.participants) {
      const v = (await withTenant(database.db, ids.get(p.code)!, (scope) => getVariance(scope, 2021)))!;
      const own = study.inquiries.filter((i) => i.participantCode === p.code);
      const scores = own.map((i) => expected.get(i.ref)!);
      expect(v.overall.stdDev!).toBeCloseTo(sd(scores), 9);
      expect(v.overall.iqr!).toBeCloseTo(quartile(scores, 0.75) - quartile(scores, 0.25), 9);
      expect([v.overall.min, v.overall.max]).toEqual([Math.min(...scores), Math.max(...scores)]);
      for (const [groupsOf, keyOf] of [
        [v.byChannel, (i: (typeof own)[number]) => i.channel],
        [v.byGender, (i: (typeof own)[number]) => i.shopper.gender],
        [v.byAgeGroup, (i: (typeof own)[number]) => ageGroup(i.shopper.age)],
        [v.byRegion, (i: (typeof own)[number]) => i.shopper.region],
      ] as const) {
        const keys = new Set(own.map(keyOf));
        expect(groupsOf.map((g) => g.key).sort()).toEqual([...keys].sort());
        for (const g of groupsOf) {
          const xs = own.filter((i) => keyOf(i) === g.key).map((i) => expected.get(i.ref)!);
          expect(g.inquiries).toBe(xs.length);
          expect(g.stdDev!).toBeCloseTo(sd(xs), 9);
        }
      }
      expect(v.distribution.reduce((a, b) => a + b.count, 0)).toBe(own.length);
      expect(v.distribution[10]!.count).toBe(scores.filter((x) => x === 100).length);
      const classmates = study.participants.filter((x) => x.classCode === p.classCode);
      if (classmates.length >= 3) {
        const typical = avg(classmates.map((m) => sd(study.inquiries.filter((i) => i.participantCode === m.code).map((i) => expected.get(i.ref)!))));
        expect(v.classTypicalStdDev!).toBeCloseTo(typical, 2);
      } else expect(v.classTypicalStdDev).toBeNull();
      const top = v.questions[0]!;
      const values = own.filter((i) => i.answers[top.code] !== undefined).map((i) => (i.answers[top.code]! / study.questionnaire.questions.find((q) => q.code === top.code)!.maxPoints!) * 100);
      expect(top.stdDev).toBeCloseTo(sd(values), 6);
      expect(v.questions.every((q, i) => i === 0 || q.stdDev <= v.questions[i - 1]!.stdDev)).toBe(true);
    }
  });

  it("serves the page to the company's member, with nothing of another company, and 404 for another year", async () => {
    const cookie = await sample.memberCookie("kystbanken");
    const res = await server.fetch("/company/variance", { cookie });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Spredning per kanal");
    expect(html).not.toContain("KANARI");
    expect((await server.fetch("/company/variance?study=2020", { cookie })).status).toBe(404);
  });
});
