// The overview's channel, availability, interval and class-band figures against values
// computed here from expected-scores.csv.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant, type Database } from "#db/client.server";
import { formatScore } from "~/domain/format";
import { getOverviewExtras } from "~/models/insights/overview.server";
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
const band = (x: number) => (x === 100 ? "perfect" : x >= 80 ? "high" : x >= 70 ? "mid" : "low");

beforeAll(async () => {
  sample = await publishedStudies(study);
  ({ database, server } = sample);
  for (const [code, id] of sample.ids) ids.set(code, id);
}, 120_000);

afterAll(() => sample?.close());

describe("overview extras", () => {
  it("match channel class figures, the answered-only score, the class bands and a stable interval", async () => {
    for (const p of study.participants) {
      const x = (await withTenant(database.db, ids.get(p.code)!, (scope) => getOverviewExtras(scope, 2021)))!;
      const own = study.inquiries.filter((i) => i.participantCode === p.code);
      const scores = own.map((i) => expected.get(i.ref)!);
      const answered = own.filter((i) => i.answered).map((i) => expected.get(i.ref)!);
      expect(x.ifAllAnswered!).toBeCloseTo(avg(answered), 9);
      expect(x.interval!.low).toBeLessThanOrEqual(avg(scores));
      expect(x.interval!.high).toBeGreaterThanOrEqual(avg(scores));
      expect(x.interval!.low).toBeGreaterThanOrEqual(Math.min(...scores));
      const again = (await withTenant(database.db, ids.get(p.code)!, (scope) => getOverviewExtras(scope, 2021)))!;
      expect(again.interval).toEqual(x.interval);
      const classmates = study.participants.filter((m) => m.classCode === p.classCode).map((m) => m.code);
      for (const c of x.channels) {
        expect(c.score).toBeCloseTo(avg(own.filter((i) => i.channel === c.channel).map((i) => expected.get(i.ref)!)), 9);
        if (classmates.length < 3) {
          expect(c.classMean).toBeNull();
          continue;
        }
        const perMate = classmates
          .map((m) => study.inquiries.filter((i) => i.participantCode === m && i.channel === c.channel).map((i) => expected.get(i.ref)!))
          .filter((xs) => xs.length > 0)
          .map(avg);
        // Anonymity per cell: a channel fewer than 3 companies of the class were contacted on has no class figure.
        if (perMate.length < 3) {
          expect(c.classMean).toBeNull();
          expect(c.classBest).toBeNull();
          continue;
        }
        expect(c.classMean!).toBeCloseTo(avg(perMate), 2);
        expect(c.classBest!).toBeCloseTo(Math.max(...perMate), 2);
      }
      if (classmates.length >= 3) {
        const classScores = study.inquiries.filter((i) => classmates.includes(i.participantCode)).map((i) => expected.get(i.ref)!);
        for (const b of ["perfect", "high", "mid", "low"] as const) expect(x.classBands![b]).toBe(classScores.filter((v) => band(v) === b).length);
      } else expect(x.classBands).toBeNull();
    }
  });

  it("shows them on the page", async () => {
    const html = await (await server.fetch("/company", { cookie: await sample.memberCookie("kystbanken") })).text();
    const x = (await withTenant(database.db, ids.get("kystbanken")!, (scope) => getOverviewExtras(scope, 2021)))!;
    expect(html).toContain("Score hvis alle var besvart");
    expect(html).toContain(formatScore(x.ifAllAnswered!, "nb"));
    expect(html).toContain(`${formatScore(x.interval!.low, "nb")}–${formatScore(x.interval!.high, "nb")}`);
    expect(html).toContain("Score per kanal");
    expect(html).toContain("Kundeopplevelse");
  });
});
