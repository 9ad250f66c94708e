// A coaching pack: the inquiries a team lead chose, with what a coaching session needs
// (weak areas and questions against the class, discussion questions, one part per
// inquiry). Built from the database by ~/models/coaching/coaching-pack.server.ts, rendered to
// PDF, XLSX and CSV by ~/exports/coaching-render.server.ts. Plain data (JSON-safe), so
// it can cross into the rendering worker. Shoppers appear only as gender, age group and
// county; the agent's first name only when the user chose to include it.

import type { AgeGroup } from "./age-group";
import type { Locale } from "./format";
import type { Band, Channel, Gender, QuestionKind } from "./types";

export const PACK_FORMATS = ["pdf", "xlsx", "csv"] as const;
export type PackFormat = (typeof PACK_FORMATS)[number];

/** The most inquiries one pack may hold (a company has about 25 per study). */
export const MAX_PACK_INQUIRIES = 500;
/** How much of a transcript a pack shows. */
export const TRANSCRIPT_EXCERPT_CHARS = 1500;
/** Exports can be downloaded again for this long. */
export const EXPORT_RETENTION_DAYS = 30;

export interface PackArea {
  code: string;
  name: string;
  /** 0–100; null where the inquiry (or selection) has no score in the area */
  score: number | null;
  /** the class's mean for the area, 0–100; null when the class is hidden */
  classMean: number | null;
}

export interface PackQuestion {
  code: string;
  text: string;
  areaCode: string;
  areaName: string;
  kind: QuestionKind;
  /** points given (or the answer for unscored kinds); null when not applicable */
  points: number | null;
  maxPoints: number | null;
  /** class mean of points / max × 100 (0–100); null for unscored kinds or a hidden class */
  classMean: number | null;
}

export interface PackInquiry {
  ref: string;
  channel: Channel;
  /** ISO 8601 */
  contactedAt: string;
  answered: boolean;
  totalScore: number;
  band: Band;
  attempts: number;
  waitSeconds: number | null;
  /** null unless the user chose to include agent names (and the company shows them) */
  agentName: string | null;
  shopper: { gender: Gender; ageGroup: AgeGroup; region: string };
  scenario: string;
  comment: string | null;
  /** at most TRANSCRIPT_EXCERPT_CHARS, with "…" when cut */
  transcriptExcerpt: string | null;
  areas: PackArea[];
  questions: PackQuestion[];
}

export interface WeakSpot {
  code: string;
  name: string;
  /** for a question: its area's name */
  areaName?: string;
  /** the selection's mean, 0–100 */
  mean: number;
  classMean: number | null;
  /** mean − classMean; null when the class is hidden */
  gap: number | null;
}

export interface CoachingPack {
  locale: Locale;
  /** ISO 8601 */
  generatedAt: string;
  companyName: string;
  study: { year: number; name: string };
  className: string | null;
  /** how the inquiries were chosen, one readable line per filter, e.g. "Kanal: Messenger" */
  selection: string[];
  includeAgentNames: boolean;
  summary: {
    count: number;
    answered: number;
    meanScore: number | null;
    /** the company's class mean total score for the study; null when hidden */
    classMeanScore: number | null;
    /** weakest first: by gap to the class when known, else by mean */
    weakAreas: WeakSpot[];
    weakQuestions: WeakSpot[];
  };
  /** per weak area, questions for the team to discuss */
  discussion: { areaName: string; questions: string[] }[];
  inquiries: PackInquiry[];
}

/** Progress of a pack being built, for the page that waits for it. */
export interface PackProgress {
  phase: "collecting" | "rendering" | "saving" | "done" | "failed";
  done: number;
  total: number;
}

const mean = (values: number[]) => (values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length);

/** Weakest first: by the gap to the class when both have one, otherwise by the selection's own mean. */
function weakestFirst(a: WeakSpot, b: WeakSpot): number {
  if (a.gap !== null && b.gap !== null) return a.gap - b.gap || a.code.localeCompare(b.code);
  if (a.gap !== null) return -1;
  if (b.gap !== null) return 1;
  return a.mean - b.mean || a.code.localeCompare(b.code);
}

/**
 * The selection's weakest areas and questions. An area's mean is over the selected
 * inquiries that have a score in it; a question's over those where it applied, as
 * points / max × 100, the same measure as the class mean it is set against.
 */
export function weakSpots(inquiries: PackInquiry[], limits = { areas: 3, questions: 5 }): { weakAreas: WeakSpot[]; weakQuestions: WeakSpot[] } {
  const areas = new Map<string, { name: string; classMean: number | null; scores: number[] }>();
  const questions = new Map<string, { text: string; areaName: string; classMean: number | null; scores: number[] }>();
  for (const inquiry of inquiries) {
    for (const area of inquiry.areas) {
      const entry = areas.get(area.code) ?? { name: area.name, classMean: area.classMean, scores: [] };
      if (area.score !== null) entry.scores.push(area.score);
      areas.set(area.code, entry);
    }
    for (const q of inquiry.questions) {
      if (q.kind !== "points" || q.maxPoints === null) continue;
      const entry = questions.get(q.code) ?? { text: q.text, areaName: q.areaName, classMean: q.classMean, scores: [] };
      if (q.points !== null) entry.scores.push((q.points / q.maxPoints) * 100);
      questions.set(q.code, entry);
    }
  }
  const spot = (code: string, name: string, scores: number[], classMean: number | null, areaName?: string): WeakSpot | null => {
    const m = mean(scores);
    if (m === null) return null;
    return { code, name, ...(areaName === undefined ? {} : { areaName }), mean: m, classMean, gap: classMean === null ? null : m - classMean };
  };
  const weakAreas = [...areas].map(([code, a]) => spot(code, a.name, a.scores, a.classMean)).filter((x): x is WeakSpot => x !== null);
  const weakQuestions = [...questions].map(([code, q]) => spot(code, q.text, q.scores, q.classMean, q.areaName)).filter((x): x is WeakSpot => x !== null);
  return { weakAreas: weakAreas.sort(weakestFirst).slice(0, limits.areas), weakQuestions: weakQuestions.sort(weakestFirst).slice(0, limits.questions) };
}

/** A transcript cut to the excerpt a pack shows. */
export function transcriptExcerpt(transcript: string | null): string | null {
  if (transcript === null || transcript.trim() === "") return null;
  const text = transcript.trim();
  return text.length <= TRANSCRIPT_EXCERPT_CHARS ? text : `${text.slice(0, TRANSCRIPT_EXCERPT_CHARS - 1).trimEnd()}…`;
}

/**
 * Whether the class is shown but some of its figures in the pack are not (fewer than 3
 * companies contributed to them), so the pack must say why those cells are empty.
 */
export function packHidesSomeClassFigures(pack: CoachingPack): boolean {
  if (pack.summary.classMeanScore === null) return false;
  const spots = [...pack.summary.weakAreas, ...pack.summary.weakQuestions];
  return (
    spots.some((x) => x.classMean === null) ||
    pack.inquiries.some((i) => i.areas.some((a) => a.score !== null && a.classMean === null) || i.questions.some((q) => q.kind === "points" && q.points !== null && q.classMean === null))
  );
}
