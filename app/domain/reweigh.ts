// Honest comparisons across years (issue 18, point 6): a year's participant total as it would
// have been with another year's area weights. Each inquiry is scored again by THE scoring
// implementation (scoreInquiry, spec/scoring.md) from its stored points, with the area weights
// replaced by code; the participant total is then the mean of all inquiry totals, unanswered
// ones counted as 0, exactly as a published total is.

import { scoreInquiry, type InquiryToScore } from "./scoring";
import { mean } from "./statistics";
import type { Questionnaire } from "./types";

/** Whether two years' areas differ in weight (same codes) or in which areas there are. */
export function weightsDiffer(a: Record<string, number>, b: Record<string, number>): boolean {
  const codes = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...codes].some((code) => a[code] !== b[code]);
}

/** The same areas (by code) in both years: only then can one year's weights stand in for the other's. */
export function sameAreas(a: Record<string, number>, b: Record<string, number>): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((code, i) => code === kb[i]);
}

/**
 * The participant total of `inquiries` (scored against `questionnaire`, their own year's) with
 * the areas weighted by `weights` (area code → weight) instead; null for no inquiries.
 * Throws when an area of the questionnaire has no weight in `weights`.
 */
export function totalWithWeights(questionnaire: Questionnaire, weights: Record<string, number>, inquiries: readonly InquiryToScore[]): number | null {
  const reweighted: Questionnaire = {
    questions: questionnaire.questions,
    areas: questionnaire.areas.map((area) => {
      const weight = weights[area.code];
      if (weight === undefined) throw new RangeError(`Area "${area.code}" has no weight to use.`);
      return { ...area, weight };
    }),
  };
  return mean(inquiries.map((inquiry) => scoreInquiry(reweighted, inquiry).totalScore));
}
