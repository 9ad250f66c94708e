// The one implementation of spec/scoring.md for a single inquiry. Every score is
// computed with exact BigInt fractions; floating point never decides a rounding.

import type { Band, Channel, QuestionKind, Questionnaire } from "./types";
import { CX_RANGES } from "./types";

/** An exact rational number; `den` is always positive. */
export interface Fraction {
  num: bigint;
  den: bigint;
}

export interface InquiryScore {
  /** 0..100, rounded to 2 decimals half away from zero (the stored score). */
  totalScore: number;
  band: Band;
  /** Only areas with at least one answered scored question, in questionnaire order. */
  areaScores: { areaCode: string; score: number }[];
}

export interface InquiryToScore {
  channel: Channel;
  answered: boolean;
  /** question code -> points; a question absent here does not apply to this inquiry. */
  answers: Record<string, number>;
}

export type CxKind = Exclude<QuestionKind, "points">;

const TOTAL_DECIMALS = 2;

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** num/den in lowest terms with a positive denominator. */
export function fraction(num: bigint, den: bigint): Fraction {
  if (den === 0n) throw new RangeError("Division by zero in an exact fraction.");
  const sign = den < 0n ? -1n : 1n;
  const divisor = gcd(num, den) || 1n;
  return { num: (sign * num) / divisor, den: (sign * den) / divisor };
}

export const ZERO: Fraction = { num: 0n, den: 1n };

export function addFractions(a: Fraction, b: Fraction): Fraction {
  return fraction(a.num * b.den + b.num * a.den, a.den * b.den);
}

export function subtractFractions(a: Fraction, b: Fraction): Fraction {
  return fraction(a.num * b.den - b.num * a.den, a.den * b.den);
}

export function multiplyFractions(a: Fraction, b: Fraction): Fraction {
  return fraction(a.num * b.num, a.den * b.den);
}

export function divideFractions(a: Fraction, b: Fraction): Fraction {
  return fraction(a.num * b.den, a.den * b.num);
}

/** The double nearest to an exact fraction (read from a 20-significant-digit decimal). */
export function fractionToNumber(value: Fraction): number {
  if (value.num === 0n) return 0;
  const negative = value.num < 0n;
  const num = negative ? -value.num : value.num;
  const shift = Math.max(0, 20 + value.den.toString().length - num.toString().length);
  const digits = (num * 10n ** BigInt(shift)) / value.den;
  return Number(`${negative ? "-" : ""}${digits}e-${shift}`);
}

/** Parses a decimal string such as "-12.5", "0.1" or "1.5e-7" into an exact fraction. */
function parseDecimal(text: string): Fraction {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text.trim());
  if (!match || `${match[2]}${match[3] ?? ""}` === "") {
    throw new RangeError(`Not a decimal number: "${text}".`);
  }
  const [, sign, whole = "", decimals = "", exponentText] = match;
  const exponent = Number(exponentText ?? "0") - decimals.length;
  let num = BigInt(`${whole}${decimals}` || "0");
  if (sign === "-") num = -num;
  return exponent >= 0 ? fraction(num * 10n ** BigInt(exponent), 1n) : fraction(num, 10n ** BigInt(-exponent));
}

/**
 * The exact value of a JS number as written in its shortest decimal form,
 * so a weight of 0.1 is 1/10, not the binary value nearest to it.
 */
export function fractionOf(value: number): Fraction {
  if (!Number.isFinite(value)) throw new RangeError(`Not a finite number: ${value}.`);
  return parseDecimal(String(value));
}

/** Rounds an exact fraction half away from zero to `decimals` places. */
export function roundFraction(value: Fraction, decimals: number): number {
  if (!Number.isInteger(decimals) || decimals < 0) {
    throw new RangeError(`decimals must be a whole number ≥ 0, got ${decimals}.`);
  }
  const negative = value.num < 0n;
  const scaled = (negative ? -value.num : value.num) * 10n ** BigInt(decimals);
  let units = scaled / value.den;
  if (2n * (scaled % value.den) >= value.den) units += 1n;
  if (units === 0n) return 0; // never -0, which would display as "-0,0"
  const digits = units.toString().padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals);
  const decimalPart = decimals > 0 ? `.${digits.slice(digits.length - decimals)}` : "";
  return Number(`${negative ? "-" : ""}${whole}${decimalPart}`);
}

/**
 * Rounds a float half away from zero. The value is first read to 15 significant
 * digits (as spreadsheets do), so float noise from earlier arithmetic such as
 * 1.005 being stored as 1.00499999999999989… cannot pull a half below the line.
 */
export function roundHalfAwayFromZero(value: number, decimals: number): number {
  if (!Number.isFinite(value)) throw new RangeError(`Not a finite number: ${value}.`);
  return roundFraction(parseDecimal(value.toPrecision(15)), decimals);
}

export function bandOf(score: number): Band {
  if (Number.isNaN(score) || score < 0 || score > 100) {
    throw new RangeError(`A total score lies in 0..100, got ${score}.`);
  }
  if (score === 100) return "perfect";
  if (score >= 80) return "high";
  if (score >= 70) return "mid";
  return "low";
}


export function scoreInquiry(questionnaire: Questionnaire, inquiry: InquiryToScore): InquiryScore {
  const questionsByCode = new Map(questionnaire.questions.map((question) => [question.code, question]));
  for (const [code, points] of Object.entries(inquiry.answers)) {
    const question = questionsByCode.get(code);
    if (!question) throw new Error(`Answer to unknown question "${code}".`);
    if (!inquiry.answered) {
      throw new Error(`An unanswered inquiry may carry no answers, but question "${code}" has one.`);
    }
    if (question.channels && !question.channels.includes(inquiry.channel)) {
      throw new Error(`Question "${code}" does not apply to channel "${inquiry.channel}" but has an answer.`);
    }
    const [min, max] = question.kind === "points" ? [0, question.maxPoints ?? 0] : CX_RANGES[question.kind];
    if (!Number.isInteger(points) || points < min || points > max) {
      throw new Error(`Question "${code}" takes a whole number ${min}..${max}, got ${points}.`);
    }
  }
  if (!inquiry.answered) return { totalScore: 0, band: "low", areaScores: [] };

  const areaScores: InquiryScore["areaScores"] = [];
  let weightedSum = ZERO;
  let weightSum = ZERO;
  for (const area of questionnaire.areas) {
    let points = 0n;
    let maxPoints = 0n;
    for (const question of questionnaire.questions) {
      if (question.areaCode !== area.code || question.kind !== "points") continue;
      const answer = inquiry.answers[question.code];
      if (answer === undefined) continue;
      if (question.maxPoints === null || question.maxPoints <= 0) {
        throw new Error(`Scored question "${question.code}" has no positive max points.`);
      }
      points += BigInt(answer);
      maxPoints += BigInt(question.maxPoints);
    }
    if (maxPoints === 0n) continue;
    const areaScore = fraction(100n * points, maxPoints);
    // The total uses the exact area score; the area score is stored rounded to
    // 2 decimals like the total, so stored area means agree with what is shown.
    areaScores.push({ areaCode: area.code, score: roundFraction(areaScore, TOTAL_DECIMALS) });
    const weight = fractionOf(area.weight);
    weightedSum = addFractions(weightedSum, multiplyFractions(weight, areaScore));
    weightSum = addFractions(weightSum, weight);
  }
  if (areaScores.length === 0) {
    throw new Error("An answered inquiry has no answer to any scored question; import validation should have refused it.");
  }
  if (weightSum.num <= 0n) {
    throw new Error("The areas scored on this inquiry have no positive total weight.");
  }
  const totalScore = roundFraction(divideFractions(weightedSum, weightSum), TOTAL_DECIMALS);
  return { totalScore, band: bandOf(totalScore), areaScores };
}

/**
 * Customer-experience figure of one unscored question over the inquiries that
 * answered it; null when nobody did. NPS is a whole number, CSAT a percentage
 * at full precision, CES and scale7 the mean answer.
 */
export function cxFigures(kind: CxKind, answers: number[]): number | null {
  if (answers.length === 0) return null;
  const [min, max] = CX_RANGES[kind];
  for (const answer of answers) {
    if (!Number.isInteger(answer) || answer < min || answer > max) {
      throw new RangeError(`A ${kind} answer is a whole number ${min}..${max}, got ${answer}.`);
    }
  }
  const count = BigInt(answers.length);
  const countWhere = (test: (answer: number) => boolean) => BigInt(answers.filter(test).length);
  switch (kind) {
    case "nps": {
      const promoters = countWhere((answer) => answer >= 9);
      const detractors = countWhere((answer) => answer <= 6);
      return roundFraction(fraction(100n * (promoters - detractors), count), 0);
    }
    case "csat":
      return (100 * answers.filter((answer) => answer >= 4).length) / answers.length;
    case "ces":
    case "scale7":
      return answers.reduce((sum, answer) => sum + answer, 0) / answers.length;
  }
}
