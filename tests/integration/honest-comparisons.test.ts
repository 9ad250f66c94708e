// Issue 18, point 6: honest comparisons across years. 2020 weighs "Velkomst og mottak" heavier and
// "Kundebehandleren" lighter than 2021 (as the real study changed them); the trends page says so
// and shows 2020's total recomputed with 2021's weights beside the published one. The figure is
// checked against scoring the 2020 inquiries with 2021's weights by hand, here in the test. The
// score-band page's shares equal plain SQL counts, and the whole study's follow the >= 3 rule.
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resultRows, withTenant } from "#db/client.server";
import * as s from "#db/schema";
import { formatPercent, formatScore } from "~/domain/format";
import { totalWithWeights } from "~/domain/reweigh";
import { BANDS, CHANNELS, type StudyData } from "~/domain/types";
import { translate } from "~/i18n/i18n";
import { bandShare } from "~/domain/band-share";
import { getScoreBands } from "~/models/insights/score-bands.server";
import { getWeightChanges } from "~/models/insights/weight-changes.server";
import { publishedStudies } from "../support/published-sample";
import { sampleStudy } from "../support/sample-study";

const COMPANY = "kystbanken";
const EMAIL_IN_2020 = new Set(["kystbanken", "handlekurven"]);
const WEIGHTS_2020: Record<string, number> = { V: 20, B: 20, K: 30, L: 20, A: 10, CX: 0 };

let sample: Awaited<ReturnType<typeof publishedStudies>>;
let s2020: StudyData;
let s2021: StudyData;

beforeAll(async () => {
  s2020 = sampleStudy(2020);
  for (const area of s2020.questionnaire.areas) area.weight = WEIGHTS_2020[area.code]!;
  for (const inquiry of s2020.inquiries) inquiry.ref = inquiry.ref.replace(/^S21-/, "S20-");
  // E-mail in 2020 from two companies only: the whole study's e-mail bands are hidden that year.
  s2020.inquiries = s2020.inquiries.filter((i) => i.channel !== "email" || EMAIL_IN_2020.has(i.participantCode));
  s2021 = sampleStudy(2021);
  sample = await publishedStudies(s2020, s2021);
}, 180_000);

afterAll(async () => {
  await sample?.close();
});

/** Scoring by hand (spec/scoring.md), deliberately not through app/domain/scoring.ts. */
function byHand(study: StudyData, weights: Record<string, number>, code: string): number {
  const totals = study.inquiries
    .filter((i) => i.participantCode === code)
    .map((inquiry) => {
      if (!inquiry.answered) return 0;
      let weighted = 0;
      let weightSum = 0;
      for (const area of study.questionnaire.areas) {
        let points = 0;
        let max = 0;
        for (const q of study.questionnaire.questions) {
          if (q.areaCode !== area.code || q.kind !== "points" || inquiry.answers[q.code] === undefined) continue;
          points += inquiry.answers[q.code]!;
          max += q.maxPoints!;
        }
        if (max === 0) continue;
        weighted += weights[area.code]! * ((100 * points) / max);
        weightSum += weights[area.code]!;
      }
      const total = weighted / weightSum;
      return Math.round(total * 100 + 1e-9) / 100;
    });
  return totals.reduce((a, b) => a + b, 0) / totals.length;
}

const weightsOf = (study: StudyData) => Object.fromEntries(study.questionnaire.areas.map((a) => [a.code, a.weight]));

describe("honest comparisons across years", () => {
  it("recomputes the earlier year's total with the later year's weights, equal to scoring it by hand", async () => {
    const db = sample.database.db;
    const tenantId = sample.ids.get(COMPANY)!;
    const changes = await withTenant(db, tenantId, (scope) => getWeightChanges(scope));
    expect(changes).toHaveLength(1);
    const [change] = changes;
    expect(change).toMatchObject({ fromYear: 2020, toYear: 2021 });
    expect(change!.areas.find((a) => a.code === "K")).toMatchObject({ from: 30, to: 40 });
    expect(change!.areas.find((a) => a.code === "V")).toMatchObject({ from: 20, to: 10 });

    const expected = byHand(s2020, weightsOf(s2021), COMPANY);
    expect(change!.recomputed).toBeCloseTo(expected, 9);
    const [stored] = await db
      .select({ total: s.participations.totalScore })
      .from(s.participations)
      .innerJoin(s.studies, eq(s.studies.id, s.participations.studyId))
      .where(and(eq(s.participations.tenantId, tenantId), eq(s.studies.year, 2020)));
    expect(change!.published).toBe(stored!.total);
    // The published figure is the same inquiries with 2020's own weights; the weights matter here.
    expect(stored!.total!).toBeCloseTo(byHand(s2020, WEIGHTS_2020, COMPANY), 9);
    expect(Math.abs(expected - stored!.total!)).toBeGreaterThan(0.05);
    // With a year's own weights the recomputation gives the published total back.
    const own2021 = s2021.inquiries.filter((i) => i.participantCode === COMPANY);
    const [stored2021] = await db
      .select({ total: s.participations.totalScore })
      .from(s.participations)
      .innerJoin(s.studies, eq(s.studies.id, s.participations.studyId))
      .where(and(eq(s.participations.tenantId, tenantId), eq(s.studies.year, 2021)));
    expect(totalWithWeights(s2021.questionnaire, weightsOf(s2021), own2021)).toBeCloseTo(stored2021!.total!, 9);

    const html = await (await sample.server.fetch("/company/trends", { cookie: await sample.memberCookie(COMPANY, "viewer") })).text();
    expect(html).toContain(translate("nb", "weights.changed", { from: 2020, to: 2021 }));
    expect(html).toContain(
      translate("nb", "weights.recomputed", { from: 2020, to: 2021, published: formatScore(stored!.total!, "nb"), recomputed: formatScore(expected, "nb") }),
    );
  });

  it("shows the whole study's score bands per channel and year beside the company's own, equal to plain SQL counts; hidden where fewer than 3 companies", async () => {
    const db = sample.database.db;
    const tenantId = sample.ids.get(COMPANY)!;
    const years = await withTenant(db, tenantId, (scope) => getScoreBands(scope));
    expect(years.map((y) => y.year)).toEqual([2020, 2021]);
    const counted = async (year: number, tenant: string | null) =>
      resultRows<{ channel: string; band: string; n: number }>(
        await db.execute(sql`
          select i.channel::text as channel, i.band::text as band, count(*)::int as n
          from inquiries i join studies st on st.id = i.study_id
          where st.year = ${year} and (${tenant}::uuid is null or i.tenant_id = ${tenant}::uuid)
          group by 1, 2`),
      );
    for (const y of years) {
      const study = await counted(y.year, null);
      const own = await counted(y.year, tenantId);
      for (const row of y.rows) {
        for (const band of BANDS) {
          const share = (rows: typeof study) => {
            const inRow = rows.filter((r) => row.channel === null || r.channel === row.channel);
            const total = inRow.reduce((a, r) => a + r.n, 0);
            return total === 0 ? null : inRow.filter((r) => r.band === band).reduce((a, r) => a + r.n, 0) / total;
          };
          expect(bandShare(row.own, band), `${y.year} ${row.channel} ${band} own`).toBe(share(own));
          const hidden = y.year === 2020 && row.channel === "email";
          expect(bandShare(row.study, band), `${y.year} ${row.channel} ${band} study`).toBe(hidden ? null : share(study));
        }
      }
    }
    expect(years[0]!.rows.map((r) => r.channel)).toEqual([...CHANNELS.filter((c) => years[0]!.rows.some((r) => r.channel === c)), null]);

    const html = await (await sample.server.fetch("/company/score-bands", { cookie: await sample.memberCookie(COMPANY, "viewer") })).text();
    expect(html).toContain(translate("nb", "bands.title"));
    expect(html).toContain(translate("nb", "anonymity.tooFew"));
    const phone2021 = years[1]!.rows.find((r) => r.channel === "phone")!;
    expect(html).toContain(formatPercent(bandShare(phone2021.study, "low")!, "nb"));
    expect(html).toContain(formatPercent(bandShare(phone2021.own, "high")!, "nb"));
  });
});
