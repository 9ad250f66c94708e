import { describe, expect, it } from "vitest";
import {
  bootstrapInterval,
  iqr,
  mean,
  minMax,
  mulberry32,
  populationStdDev,
  quartileInc,
  rankWithTies,
} from "~/domain/statistics";

describe("mean", () => {
  it("averages", () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(mean([0, 0, 100])).toBe(100 / 3);
  });

  it("is exact over the decimal values, unlike a float sum", () => {
    // Float: (0.1 + 0.2)/2 = 0.15000000000000002; exact (1/10 + 2/10)/2 = 3/20 = 0.15.
    expect(mean([0.1, 0.2])).toBe(0.15);
    // (78.4 + 78.5)/2 = 78.45 exactly, so the display can round it to 78.5.
    expect(mean([78.4, 78.5])).toBe(78.45);
    // 10 × 0.1 summed in float is 0.9999999999999999.
    expect(mean(Array.from({ length: 10 }, () => 0.1))).toBe(0.1);
  });

  it("is null for no values", () => {
    expect(mean([])).toBeNull();
  });
});

describe("populationStdDev", () => {
  it("divides by n", () => {
    // mean 5; squared deviations 9+1+1+1+0+0+4+16 = 32; 32/8 = 4; √4 = 2 (sample sd would be 2.138…)
    expect(populationStdDev([2, 4, 4, 4, 5, 5, 7, 9])).toBe(2);
    // mean 2.5; (2.25+0.25+0.25+2.25)/4 = 1.25; √1.25
    expect(populationStdDev([1, 2, 3, 4])).toBe(Math.sqrt(1.25));
  });

  it("is 0 for one value and null for none", () => {
    expect(populationStdDev([73.5])).toBe(0);
    expect(populationStdDev([])).toBeNull();
  });
});

describe("quartileInc", () => {
  it("interpolates between closest ranks at (n − 1)·q", () => {
    // n = 4: Q1 at 0.75 → 1 + 0.75·(2 − 1) = 1.75; median at 1.5 → 2.5; Q3 at 2.25 → 3 + 0.25·1 = 3.25
    expect(quartileInc([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quartileInc([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quartileInc([1, 2, 3, 4], 0.75)).toBe(3.25);
    expect(quartileInc([1, 2, 3, 4], 0)).toBe(1);
    expect(quartileInc([1, 2, 3, 4], 1)).toBe(4);
  });

  it("sorts its input first", () => {
    // n = 6: Q1 at 1.25 → 15 + 0.25·(36 − 15) = 20.25; Q3 at 3.75 → 39 + 0.75·(40 − 39) = 39.75
    expect(quartileInc([40, 7, 39, 15, 41, 36], 0.25)).toBe(20.25);
    expect(quartileInc([40, 7, 39, 15, 41, 36], 0.75)).toBe(39.75);
  });

  it("is exact between decimal values", () => {
    // 78.4 + 0.1·(78.5 − 78.4) = 78.41; float gives 78.41000000000001
    expect(quartileInc([78.4, 78.5], 0.1)).toBe(78.41);
  });

  it("handles one value, no values and refuses q outside 0..1", () => {
    expect(quartileInc([42], 0.25)).toBe(42);
    expect(quartileInc([], 0.25)).toBeNull();
    expect(() => quartileInc([1, 2], 1.5)).toThrow(RangeError);
    expect(() => quartileInc([1, Number.NaN], 0.5)).toThrow(RangeError);
  });
});

describe("iqr and minMax", () => {
  it("gives Q3 − Q1", () => {
    expect(iqr([1, 2, 3, 4])).toBe(1.5); // 3.25 − 1.75
    expect(iqr([7, 15, 36, 39, 40, 41])).toBe(19.5); // 39.75 − 20.25
    expect(iqr([])).toBeNull();
  });

  it("gives min and max", () => {
    expect(minMax([71.5, 0, 100, 88.25])).toEqual({ min: 0, max: 100 });
    expect(minMax([])).toBeNull();
  });
});

describe("rankWithTies", () => {
  it("ranks 1 = best, ties share the better rank and the next rank skips", () => {
    const ranks = rankWithTies([
      { id: "c", score: 80 },
      { id: "d", score: 70 },
      { id: "a", score: 90 },
      { id: "b", score: 80 },
    ]);
    expect(Object.fromEntries(ranks)).toEqual({ a: 1, b: 2, c: 2, d: 4 });
  });

  it("gives every equal score rank 1 and ranks by the stored value exactly", () => {
    expect(Object.fromEntries(rankWithTies([{ id: "x", score: 75.5 }, { id: "y", score: 75.5 }]))).toEqual({ x: 1, y: 1 });
    expect(Object.fromEntries(rankWithTies([{ id: "x", score: 75.5 }, { id: "y", score: 75.51 }]))).toEqual({ y: 1, x: 2 });
    expect(rankWithTies([]).size).toBe(0);
  });

  it("refuses an id twice", () => {
    expect(() => rankWithTies([{ id: "x", score: 1 }, { id: "x", score: 2 }])).toThrow(/twice/);
  });
});

describe("bootstrapInterval", () => {
  const wide = [40, 55, 62, 70, 75, 81, 88, 93, 97, 100, 0, 66];
  const narrow = [76, 77, 78, 78, 79, 80, 80, 81, 82, 83, 77, 79];

  it("is deterministic for a seed and varies with it", () => {
    const first = bootstrapInterval(wide, { seed: 2021 });
    expect(bootstrapInterval(wide, { seed: 2021 })).toEqual(first);
    expect(bootstrapInterval(wide, { seed: 2022 })).not.toEqual(first);
  });

  it("contains the mean", () => {
    for (const values of [wide, narrow]) {
      const interval = bootstrapInterval(values, { seed: 7 });
      const center = mean(values) as number;
      expect(interval).not.toBeNull();
      expect(interval!.low).toBeLessThan(center);
      expect(interval!.high).toBeGreaterThan(center);
    }
  });

  it("narrows with less spread and widens with more confidence", () => {
    const width = (interval: { low: number; high: number } | null) => interval!.high - interval!.low;
    expect(width(bootstrapInterval(narrow, { seed: 7 }))).toBeLessThan(width(bootstrapInterval(wide, { seed: 7 })) / 4);
    expect(width(bootstrapInterval(wide, { seed: 7, confidence: 0.5 }))).toBeLessThan(
      width(bootstrapInterval(wide, { seed: 7, confidence: 0.99 })),
    );
  });

  it("is a point for constant values and null for none", () => {
    expect(bootstrapInterval([80, 80, 80], { seed: 1 })).toEqual({ low: 80, high: 80 });
    expect(bootstrapInterval([], { seed: 1 })).toBeNull();
  });

  it("refuses a confidence outside (0, 1) and no resamples", () => {
    expect(() => bootstrapInterval(wide, { seed: 1, confidence: 1 })).toThrow(RangeError);
    expect(() => bootstrapInterval(wide, { seed: 1, resamples: 0 })).toThrow(RangeError);
  });
});

describe("mulberry32", () => {
  it("repeats its sequence for a seed and stays in [0, 1)", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const first = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(first).size).toBeGreaterThan(990);
    expect(mulberry32(43)()).not.toBe(first[0]);
  });
});
