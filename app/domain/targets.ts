// Targets and response-time goals (issue 18): pure rules shared by pages, models and tests.

import { roundHalfAwayFromZero } from "./scoring";
import { CHANNELS, type Channel } from "./types";

/** A company's targets of one study year; an absent key has no target. */
export interface YearTargets {
  total: number | null;
  channels: Partial<Record<Channel, number>>;
  /** by area code, stable across years */
  areas: Record<string, number>;
}

export const NO_TARGETS: YearTargets = { total: null, channels: {}, areas: {} };

export const hasTargets = (t: YearTargets) => t.total !== null || Object.keys(t.channels).length > 0 || Object.keys(t.areas).length > 0;

export interface TargetStatus {
  target: number;
  /** result − target, on the result as shown (one decimal) */
  gap: number;
  met: boolean;
}

/**
 * A result against its target. Judged on the result as the pages show it (one decimal), so
 * "80,0 against a target of 80,0" is never "not met". Null where either side is missing.
 */
export function targetStatus(result: number | null | undefined, target: number | null | undefined): TargetStatus | null {
  if (result === null || result === undefined || target === null || target === undefined) return null;
  const shown = roundHalfAwayFromZero(result, 1);
  return { target, gap: roundHalfAwayFromZero(shown - target, 1), met: shown >= target };
}

/** The unit each channel's goal is entered and shown in; stored in seconds. */
export const GOAL_UNITS = { phone: "seconds", email: "hours", chat: "minutes", messenger: "minutes" } as const satisfies Record<Channel, GoalUnit>;
export type GoalUnit = "seconds" | "minutes" | "hours";
export const UNIT_SECONDS: Record<GoalUnit, number> = { seconds: 1, minutes: 60, hours: 3600 };
/** The longest goal accepted: 30 days (the database checks the same). */
export const MAX_GOAL_SECONDS = 30 * 24 * 3600;

export const goalToSeconds = (channel: Channel, value: number) => Math.round(value * UNIT_SECONDS[GOAL_UNITS[channel]]);
export const goalFromSeconds = (channel: Channel, seconds: number) => seconds / UNIT_SECONDS[GOAL_UNITS[channel]];

export type ResponseGoals = Partial<Record<Channel, number>>;

/**
 * Whether one inquiry is within its channel's goal: answered, with a recorded wait time of at
 * most the goal. Unanswered inquiries, and answered ones without a wait time, are not.
 * (The SQL of app/models/insights/response-times.server.ts is the same rule.)
 */
export function withinGoal(inquiry: { answered: boolean; waitSeconds: number | null }, goalSeconds: number): boolean {
  return inquiry.answered && inquiry.waitSeconds !== null && inquiry.waitSeconds <= goalSeconds;
}

export const goalChannels = (goals: ResponseGoals) => CHANNELS.filter((c) => goals[c] !== undefined);

/**
 * The years a company can set targets for: every year it took part in and may see, and the
 * year after the newest (the next study, which may not exist yet). Newest first.
 */
export function targetYearsOf(studyYears: number[], now = new Date()): number[] {
  const next = (studyYears.length > 0 ? Math.max(...studyYears) : now.getUTCFullYear()) + 1;
  return [next, ...studyYears.filter((y) => y !== next)].sort((a, b) => b - a);
}

/** One target of one year against that year's result (the trends' figures), for the trends page and the download. */
export interface TargetRow {
  key: string;
  year: number;
  kind: "total" | "channel" | "area";
  /** the channel or the area code; "" for the total */
  subject: string;
  result: number | null;
  target: number;
}

/**
 * Every target of every year the company took part in, beside that year's result: the total,
 * each channel and each area (by code), in that order within a year. `figures` is the trends'
 * own shape (getTrends), so the rows say what the trends page says.
 */
export function targetRowsByYear(
  figures: { years: { year: number; totalScore: number | null }[]; channels: { channel: Channel; scores: Record<number, number> }[]; areas: { code: string; scores: Record<number, number> }[] },
  targets: Record<number, YearTargets>,
): TargetRow[] {
  return figures.years.flatMap(({ year, totalScore }) => {
    const y = targets[year];
    if (!y) return [];
    return [
      ...(y.total === null ? [] : [{ key: `${year}-total`, year, kind: "total" as const, subject: "", result: totalScore, target: y.total }]),
      ...CHANNELS.flatMap((c) =>
        y.channels[c] === undefined
          ? []
          : [{ key: `${year}-${c}`, year, kind: "channel" as const, subject: c, result: figures.channels.find((x) => x.channel === c)?.scores[year] ?? null, target: y.channels[c]! }],
      ),
      ...Object.entries(y.areas).map(([code, target]) => ({
        key: `${year}-area-${code}`,
        year,
        kind: "area" as const,
        subject: code,
        result: figures.areas.find((a) => a.code === code)?.scores[year] ?? null,
        target,
      })),
    ];
  });
}
