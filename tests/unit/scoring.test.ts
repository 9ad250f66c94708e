import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { bandOf, cxFigures, roundHalfAwayFromZero, scoreInquiry } from "~/domain/scoring";
import type { Channel, QuestionDef, QuestionKind, Questionnaire } from "~/domain/types";
import { CHANNELS } from "~/domain/types";

function question(
  code: string,
  areaCode: string,
  kind: QuestionKind,
  maxPoints: number | null,
  channels: Channel[] | null = null,
): QuestionDef {
  return { code, areaCode, text: `${code}?`, kind, maxPoints, channels };
}

// Weights 10/30/60 sum to 100, so a total over all three areas is Σ weight·area / 100.
const questionnaire: Questionnaire = {
  areas: [
    { code: "A", name: "Velkomst", weight: 10 },
    { code: "B", name: "Behov", weight: 30 },
    { code: "C", name: "Løsning", weight: 60 },
    { code: "CX", name: "Kundeopplevelse", weight: 0 },
  ],
  questions: [
    question("A1", "A", "points", 3, ["phone", "chat", "messenger"]),
    question("A2", "A", "points", 3, ["email"]),
    question("A3", "A", "points", 2),
    question("B1", "B", "points", 4),
    question("B2", "B", "points", 1, ["phone"]),
    question("B9", "B", "scale7", null),
    question("C1", "C", "points", 5),
    question("X1", "CX", "nps", null),
    question("X2", "CX", "csat", null),
    question("X3", "CX", "ces", null),
  ],
};

const answered = (channel: Channel, answers: Record<string, number>) => ({ channel, answered: true, answers });

describe("scoreInquiry", () => {
  it("leaves a not-applicable (absent) question out of its area", () => {
    // A = 100·3/3 = 100 (A3 absent, so its 2 max points do not count)
    // B = 100·(2+1)/(4+1) = 60, C = 100·5/5 = 100
    // total = (10·100 + 30·60 + 60·100)/100 = (1000 + 1800 + 6000)/100 = 88
    const score = scoreInquiry(questionnaire, answered("phone", { A1: 3, B1: 2, B2: 1, C1: 5 }));
    expect(score.totalScore).toBe(88);
    expect(score.band).toBe("high");
    expect(score.areaScores).toEqual([
      { areaCode: "A", score: 100 },
      { areaCode: "B", score: 60 },
      { areaCode: "C", score: 100 },
    ]);
  });

  it("counts a question answered with 0 points, unlike an absent one", () => {
    // A = 100·(3+0)/(3+2) = 60; total = (10·60 + 30·60 + 60·100)/100 = (600 + 1800 + 6000)/100 = 84
    const score = scoreInquiry(questionnaire, answered("phone", { A1: 3, A3: 0, B1: 2, B2: 1, C1: 5 }));
    expect(score.totalScore).toBe(84);
    expect(score.areaScores[0]).toEqual({ areaCode: "A", score: 60 });
  });

  it("scores an email inquiry without the questions limited to other channels", () => {
    // A1 (phone/chat/messenger) and B2 (phone) are simply absent on email.
    // A = 100·(2+2)/(3+2) = 80, B = 100·4/4 = 100, C = 100·3/5 = 60
    // total = (10·80 + 30·100 + 60·60)/100 = (800 + 3000 + 3600)/100 = 74
    const score = scoreInquiry(questionnaire, answered("email", { A2: 2, A3: 2, B1: 4, C1: 3 }));
    expect(score.totalScore).toBe(74);
    expect(score.band).toBe("mid");
    expect(score.areaScores).toEqual([
      { areaCode: "A", score: 80 },
      { areaCode: "B", score: 100 },
      { areaCode: "C", score: 60 },
    ]);
  });

  it("refuses an answer to a question limited to another channel", () => {
    expect(() => scoreInquiry(questionnaire, answered("email", { B1: 4, B2: 1 }))).toThrow(/B2.*email/);
  });

  it("hands the weight of an area with no answered question to the others pro rata", () => {
    // Area A has no answer: B = 100·3/4 = 75, C = 100·4/5 = 80
    // total = (30·75 + 60·80)/(30 + 60) = (2250 + 4800)/90 = 7050/90 = 78.3333… → 78.33
    // (counting A as 0 would give 7050/100 = 70.5)
    const score = scoreInquiry(questionnaire, answered("chat", { B1: 3, C1: 4 }));
    expect(score.totalScore).toBe(78.33);
    expect(score.areaScores.map((area) => area.areaCode)).toEqual(["B", "C"]);
  });

  it("gives an unanswered inquiry 0, band low and no area scores", () => {
    for (const channel of CHANNELS) {
      expect(scoreInquiry(questionnaire, { channel, answered: false, answers: {} })).toEqual({
        totalScore: 0,
        band: "low",
        areaScores: [],
      });
    }
  });

  it("refuses points on an unanswered inquiry", () => {
    expect(() => scoreInquiry(questionnaire, { channel: "phone", answered: false, answers: { C1: 5 } })).toThrow(
      /unanswered/,
    );
  });

  it("throws a clear error for an answered inquiry without any scored answer", () => {
    expect(() => scoreInquiry(questionnaire, answered("chat", {}))).toThrow(/no answer to any scored question/);
    // Only unscored answers is no better.
    expect(() => scoreInquiry(questionnaire, answered("chat", { X1: 9, X2: 5, B9: 7 }))).toThrow(
      /no answer to any scored question/,
    );
  });

  it("refuses points outside 0..max, fractional points and unknown questions", () => {
    expect(() => scoreInquiry(questionnaire, answered("chat", { C1: 6 }))).toThrow(/C1/);
    expect(() => scoreInquiry(questionnaire, answered("chat", { C1: -1 }))).toThrow(/C1/);
    expect(() => scoreInquiry(questionnaire, answered("chat", { C1: 2.5 }))).toThrow(/C1/);
    expect(() => scoreInquiry(questionnaire, answered("chat", { C1: 5, Z9: 1 }))).toThrow(/Z9/);
    expect(() => scoreInquiry(questionnaire, answered("chat", { C1: 5, X1: 11 }))).toThrow(/X1/);
  });

  it("ignores unscored questions, also inside a scored area", () => {
    // Same points as the first case (88); B9 (scale7) sits in area B but never counts,
    // and the CX area has only unscored questions, so it gets no score.
    const score = scoreInquiry(
      questionnaire,
      answered("phone", { A1: 3, B1: 2, B2: 1, B9: 7, C1: 5, X1: 0, X2: 1, X3: 7 }),
    );
    expect(score.totalScore).toBe(88);
    expect(score.areaScores.find((area) => area.areaCode === "B")?.score).toBe(60);
    expect(score.areaScores.some((area) => area.areaCode === "CX")).toBe(false);
  });

  it("scores exactly 100, 80 and 70 with their bands", () => {
    // 100: every answered question at max: A = 100·(3+2)/5, B = 100·5/5, C = 100·5/5
    const perfect = scoreInquiry(questionnaire, answered("phone", { A1: 3, A3: 2, B1: 4, B2: 1, C1: 5 }));
    expect(perfect).toMatchObject({ totalScore: 100, band: "perfect" });
    // 80: only C answered, C = 100·4/5 = 80, total = 60·80/60 = 80
    const high = scoreInquiry(questionnaire, answered("chat", { C1: 4 }));
    expect(high).toMatchObject({ totalScore: 80, band: "high" });
    // 70: B = 100·2/4 = 50, C = 100·4/5 = 80, total = (30·50 + 60·80)/90 = 6300/90 = 70
    const mid = scoreInquiry(questionnaire, answered("chat", { B1: 2, C1: 4 }));
    expect(mid).toMatchObject({ totalScore: 70, band: "mid" });
    // Below 70: A = 100·1/3 = 33.33…, B = 100·2/4 = 50, C = 100·4/5 = 80
    // total = (10·100/3 + 30·50 + 60·80)/100 = (333.33… + 1500 + 4800)/100 = 66.333… → 66.33
    const low = scoreInquiry(questionnaire, answered("chat", { A1: 1, B1: 2, C1: 4 }));
    expect(low).toMatchObject({ totalScore: 66.33, band: "low" });
  });

  it("computes the total from exact area scores and stores areas rounded to 2 decimals", () => {
    // A = 100·1/3 = 33.333…, B = 100·2/3 = 66.666… (stored as 33.33 and 66.67)
    // total = (10·100/3 + 30·200/3)/40 = (7000/3)/40 = 58.333… → 58.33
    // (from the rounded areas it would be (333.3 + 2000.1)/40 = 58.335 → 58.34)
    const thirds: Questionnaire = {
      areas: [
        { code: "A", name: "A", weight: 10 },
        { code: "B", name: "B", weight: 30 },
      ],
      questions: [question("A1", "A", "points", 3), question("B1", "B", "points", 3)],
    };
    expect(scoreInquiry(thirds, answered("chat", { A1: 1, B1: 2 }))).toEqual({
      totalScore: 58.33,
      band: "low",
      areaScores: [
        { areaCode: "A", score: 33.33 },
        { areaCode: "B", score: 66.67 },
      ],
    });
  });

  it("rounds a total whose exact value ends in 5 in the third decimal up", () => {
    // One area with maxima 10+10+10+2 = 32 and 1 point: 100·1/32 = 3.125 → 3.13 (area and total).
    const thirtyTwo: Questionnaire = {
      areas: [{ code: "A", name: "A", weight: 10 }],
      questions: [
        question("Q1", "A", "points", 10),
        question("Q2", "A", "points", 10),
        question("Q3", "A", "points", 10),
        question("Q4", "A", "points", 2),
      ],
    };
    const score = scoreInquiry(thirtyTwo, answered("phone", { Q1: 1, Q2: 0, Q3: 0, Q4: 0 }));
    expect(score.totalScore).toBe(3.13);
    expect(score.areaScores).toEqual([{ areaCode: "A", score: 3.13 }]);
  });

  it("rounds x.xx5 up where float arithmetic would round it down", () => {
    // Weights 1.005 and 98.995 (Σ = 100); area A = 100, area B = 0.
    // Exact: (1.005·100 + 98.995·0)/100 = 1.005 → 1.01.
    // Float: 1.005·100 = 100.49999999999999, so Math.round(x·100)/100 gives 1.00.
    const twoAreas: Questionnaire = {
      areas: [
        { code: "A", name: "A", weight: 1.005 },
        { code: "B", name: "B", weight: 98.995 },
      ],
      questions: [question("A1", "A", "points", 2), question("B1", "B", "points", 2)],
    };
    expect(Math.round(((1.005 * 100) / (1.005 + 98.995)) * 100) / 100).toBe(1); // the float trap is real
    expect(scoreInquiry(twoAreas, answered("phone", { A1: 2, B1: 0 })).totalScore).toBe(1.01);
  });

  it("keeps decimal weights exact", () => {
    // Weights 0.1, 0.2, 0.7 (float Σ = 0.9999999999999999, exact Σ = 1).
    // A = 100·1/3, B = 100·1/4 = 25, C = 100·2/5 = 40
    // total = (0.1·100/3 + 0.2·25 + 0.7·40)/1 = 3.333… + 5 + 28 = 36.333… → 36.33
    // With only B and C: (0.2·25 + 0.7·40)/0.9 = (5 + 28)/0.9 = 36.666… → 36.67
    // With A1 = 1, A3 = 2: A = 100·(1+2)/(3+2) = 60, total = (0.1·60 + 5 + 28)/1 = 39
    const decimal: Questionnaire = {
      areas: [
        { code: "A", name: "A", weight: 0.1 },
        { code: "B", name: "B", weight: 0.2 },
        { code: "C", name: "C", weight: 0.7 },
      ],
      questions: questionnaire.questions.filter((q) => ["A1", "A3", "B1", "C1"].includes(q.code)),
    };
    expect(scoreInquiry(decimal, answered("chat", { A1: 1, B1: 1, C1: 2 })).totalScore).toBe(36.33);
    expect(scoreInquiry(decimal, answered("chat", { B1: 1, C1: 2 })).totalScore).toBe(36.67);
    expect(scoreInquiry(decimal, answered("chat", { A1: 1, A3: 2, B1: 1, C1: 2 })).totalScore).toBe(39);
    // 12.5 / 87.5: A = 100·2/3, C = 100·5/5 → (12.5·200/3 + 87.5·100)/100 = 8.333… + 87.5 = 95.8333… → 95.83
    const eighths: Questionnaire = {
      areas: [
        { code: "A", name: "A", weight: 12.5 },
        { code: "C", name: "C", weight: 87.5 },
      ],
      questions: [question("A1", "A", "points", 3), question("C1", "C", "points", 5)],
    };
    expect(scoreInquiry(eighths, answered("chat", { A1: 2, C1: 5 }))).toMatchObject({
      totalScore: 95.83,
      band: "high",
      areaScores: [
        { areaCode: "A", score: 66.67 },
        { areaCode: "C", score: 100 },
      ],
    });
  });
});

describe("bandOf", () => {
  it.each([
    [100, "perfect"],
    [99.99, "high"],
    [80, "high"],
    [79.99, "mid"],
    [70, "mid"],
    [69.99, "low"],
    [0, "low"],
  ] as const)("%s is %s", (score, band) => {
    expect(bandOf(score)).toBe(band);
  });

  it("refuses a score outside 0..100", () => {
    expect(() => bandOf(100.01)).toThrow(RangeError);
    expect(() => bandOf(-1)).toThrow(RangeError);
    expect(() => bandOf(Number.NaN)).toThrow(RangeError);
  });
});

describe("roundHalfAwayFromZero", () => {
  it.each([
    [1.005, 2, 1.01], // stored as 1.00499999999999989…
    [2.675, 2, 2.68], // stored as 2.67499999999999982…
    [8.345, 2, 8.35],
    [78.45, 1, 78.5],
    [0.125, 2, 0.13],
    [-0.125, 2, -0.13],
    [-1.005, 2, -1.01],
    [2.5, 0, 3],
    [-2.5, 0, -3],
    [1.0049, 2, 1],
    [1234.5678, 2, 1234.57],
    [0.1 + 0.2, 2, 0.3],
    [1.1 * 1.1, 2, 1.21], // 1.2100000000000002
    [69.994999, 2, 69.99],
  ])("%s to %s decimals is %s", (value, decimals, expected) => {
    expect(roundHalfAwayFromZero(value, decimals)).toBe(expected);
  });

  it("never returns negative zero", () => {
    expect(Object.is(roundHalfAwayFromZero(-0.001, 2), 0)).toBe(true);
  });

  it("refuses non-finite values and bad decimals", () => {
    expect(() => roundHalfAwayFromZero(Number.NaN, 2)).toThrow(RangeError);
    expect(() => roundHalfAwayFromZero(1, -1)).toThrow(RangeError);
    expect(() => roundHalfAwayFromZero(1, 1.5)).toThrow(RangeError);
  });
});

describe("cxFigures", () => {
  it("computes NPS as %promoters − %detractors, a whole number", () => {
    // promoters 10, 10, 9 = 3; detractors 0, 5 = 2; of 7 → 100·(3 − 2)/7 = 14.28… → 14
    expect(cxFigures("nps", [10, 10, 9, 0, 5, 8, 7])).toBe(14);
    // 9, 10 vs 6, 0 of 6 → 0 (6 counts as a detractor, 7–8 as passives)
    expect(cxFigures("nps", [9, 10, 6, 0, 7, 8])).toBe(0);
    expect(cxFigures("nps", [10, 9])).toBe(100);
    expect(cxFigures("nps", [6, 0])).toBe(-100);
  });

  it("rounds NPS half away from zero", () => {
    // 1 promoter, 0 detractors, 7 passives of 8 → 12.5 → 13; mirrored → −12.5 → −13 (Math.round gives −12)
    expect(cxFigures("nps", [9, 7, 7, 7, 7, 7, 7, 7])).toBe(13);
    expect(cxFigures("nps", [6, 7, 7, 7, 7, 7, 7, 7])).toBe(-13);
  });

  it("computes CSAT as the share of 4–5 in full precision", () => {
    expect(cxFigures("csat", [5, 4, 3, 2, 1, 5])).toBe(50); // 3 of 6
    expect(cxFigures("csat", [5, 4, 3])).toBe(200 / 3); // 2 of 3 = 66.666…
  });

  it("computes CES and scale7 as the mean", () => {
    expect(cxFigures("ces", [1, 2, 4])).toBe(7 / 3);
    expect(cxFigures("scale7", [7, 6])).toBe(6.5);
  });

  it("gives null when nobody answered", () => {
    for (const kind of ["nps", "csat", "ces", "scale7"] as const) expect(cxFigures(kind, [])).toBeNull();
  });

  it("refuses answers outside the kind's range", () => {
    expect(() => cxFigures("nps", [11])).toThrow(RangeError);
    expect(() => cxFigures("csat", [0])).toThrow(RangeError);
    expect(() => cxFigures("ces", [8])).toThrow(RangeError);
    expect(() => cxFigures("scale7", [3.5])).toThrow(RangeError);
  });
});

describe("the public sample study", () => {
  const samples = new URL("../fixtures/samples/", import.meta.url);
  const read = (name: string) =>
    parse(readFileSync(new URL(name, samples), "utf8"), { columns: true }) as Record<string, string>[];

  function sampleQuestionnaire(): Questionnaire {
    const rows = read("questionnaire.csv");
    const areas = new Map<string, Questionnaire["areas"][number]>();
    for (const row of rows) {
      areas.set(row.area_code as string, {
        code: row.area_code as string,
        name: row.area_name as string,
        weight: Number(row.area_weight),
      });
    }
    return {
      areas: [...areas.values()],
      questions: rows.map((row) =>
        question(
          row.question_code as string,
          row.area_code as string,
          row.kind as QuestionKind,
          row.max_points ? Number(row.max_points) : null,
          row.channels ? (row.channels.split("|") as Channel[]) : null,
        ),
      ),
    };
  }

  it("scores every inquiry exactly as expected-scores.csv", () => {
    const sample = sampleQuestionnaire();
    const expected = new Map(read("expected-scores.csv").map((row) => [row.inquiry_ref, row.total_score]));
    const results = read("results.csv");
    expect(results).toHaveLength(225);
    expect(expected.size).toBe(225);

    const mismatches: string[] = [];
    for (const row of results) {
      const answers: Record<string, number> = {};
      for (const [column, value] of Object.entries(row)) {
        if (column.startsWith("q:") && value !== "") answers[column.slice(2)] = Number(value);
      }
      const { totalScore } = scoreInquiry(sample, {
        channel: row.channel as Channel,
        answered: row.answered === "yes",
        answers,
      });
      const want = expected.get(row.inquiry_ref as string);
      if (want === undefined || totalScore.toFixed(2) !== want || totalScore !== Number(want)) {
        mismatches.push(`${row.inquiry_ref}: ${totalScore} ≠ ${want}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
