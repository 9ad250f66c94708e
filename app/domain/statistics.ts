// Aggregates over stored (already rounded) inquiry scores, per spec/scoring.md.
// Means and quartiles are exact over the values' decimal forms, so a displayed
// x.x5 is never tipped by float summation; empty input gives null, never NaN.

import {
  ZERO,
  addFractions as add,
  fraction,
  fractionOf,
  fractionToNumber as toNumber,
  multiplyFractions as multiply,
  subtractFractions as subtract,
  type Fraction,
} from "./scoring";

function exactMean(values: readonly number[]): Fraction {
  const sum = values.reduce((total, value) => add(total, fractionOf(value)), ZERO);
  return fraction(sum.num, sum.den * BigInt(values.length));
}

/** Arithmetic mean; null for no values. */
export function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : toNumber(exactMean(values));
}

/** Population standard deviation (divides by n, as the spec asks); null for no values. */
export function populationStdDev(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const center = exactMean(values);
  let squares = ZERO;
  for (const value of values) {
    const deviation = subtract(fractionOf(value), center);
    squares = add(squares, multiply(deviation, deviation));
  }
  return Math.sqrt(toNumber(fraction(squares.num, squares.den * BigInt(values.length))));
}

function sortedAscending(values: readonly number[]): number[] {
  if (values.some((value) => !Number.isFinite(value))) throw new RangeError("Values must be finite numbers.");
  return [...values].sort((a, b) => a - b);
}

/** Exact value at position (n − 1)·q of ascending values. */
function interpolate(sorted: readonly number[], q: number): Fraction {
  const position = multiply(fractionOf(sorted.length - 1), fractionOf(q));
  const below = Number(position.num / position.den);
  const lower = fractionOf(sorted[below] as number);
  const upper = fractionOf(sorted[Math.min(below + 1, sorted.length - 1)] as number);
  const share = fraction(position.num - BigInt(below) * position.den, position.den);
  return add(lower, multiply(share, subtract(upper, lower)));
}

/**
 * Spreadsheet QUARTILE.INC / PERCENTILE.INC: linear interpolation between the
 * closest ranks at position (n − 1)·q of the sorted values; q in 0..1.
 * null for no values.
 */
export function quartileInc(values: readonly number[], q: number): number | null {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`q lies in 0..1, got ${q}.`);
  if (values.length === 0) return null;
  return toNumber(interpolate(sortedAscending(values), q));
}

/** Interquartile range Q3 − Q1 (QUARTILE.INC); null for no values. */
export function iqr(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = sortedAscending(values);
  return toNumber(subtract(interpolate(sorted, 0.75), interpolate(sorted, 0.25)));
}

/** null for no values. */
export function minMax(values: readonly number[]): { min: number; max: number } | null {
  if (values.length === 0) return null;
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    if (Number.isNaN(value)) throw new RangeError("minMax got NaN.");
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return { min, max };
}

/**
 * Rank by score, 1 = best; equal scores share the better rank and the next
 * rank skips (90, 80, 80, 70 → 1, 2, 2, 4). Scores are compared exactly, as
 * stored. Returns id → rank.
 */
export function rankWithTies(scores: readonly { id: string; score: number }[]): Map<string, number> {
  const ranks = new Map<string, number>();
  for (const { id, score } of scores) {
    if (Number.isNaN(score)) throw new RangeError(`Score of "${id}" is NaN.`);
    if (ranks.has(id)) throw new Error(`"${id}" is ranked twice.`);
    ranks.set(id, 0);
  }
  const ranked = [...scores].sort((a, b) => b.score - a.score);
  ranked.forEach((entry, index) => {
    const previous = ranked[index - 1];
    const rank = previous && previous.score === entry.score ? (ranks.get(previous.id) as number) : index + 1;
    ranks.set(entry.id, rank);
  });
  return ranks;
}

/** Small seeded PRNG (mulberry32): the same seed gives the same sequence in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface BootstrapOptions {
  /** Two-sided confidence, default 0.9. */
  confidence?: number;
  /** Number of resamples, default 2000. */
  resamples?: number;
  /** Fixes the resampling so a page shows the same interval on every load. */
  seed: number;
}

/**
 * Percentile bootstrap interval of the mean: resample with replacement, take
 * the (1 − confidence)/2 and (1 + confidence)/2 quantiles (QUARTILE.INC style)
 * of the resampled means. null for no values.
 */
export function bootstrapInterval(
  values: readonly number[],
  { confidence = 0.9, resamples = 2000, seed }: BootstrapOptions,
): { low: number; high: number } | null {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence lies in (0, 1), got ${confidence}.`);
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`resamples must be ≥ 1, got ${resamples}.`);
  if (values.length === 0) return null;
  const random = mulberry32(seed);
  const n = values.length;
  const means: number[] = [];
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[Math.floor(random() * n)] as number;
    means.push(sum / n);
  }
  means.sort((a, b) => a - b);
  const tail = (1 - confidence) / 2;
  return { low: floatQuantile(means, tail), high: floatQuantile(means, 1 - tail) };
}

// Resampled means are already float estimates, so exact interpolation buys nothing here.
function floatQuantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const lower = sorted[below] as number;
  const upper = sorted[Math.min(below + 1, sorted.length - 1)] as number;
  return lower + (position - below) * (upper - lower);
}
