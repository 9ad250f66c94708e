// Action plans (issue 18): what a plan aims at, how it is written in a form and a URL, and the
// two judgements made of it (met, overdue). Pure: the values come from
// app/models/insights/plan-metrics.server.ts.

import type { Translate } from "~/i18n/i18n";
import { formatDuration, formatScore, type Locale } from "./format";
import { osloClock } from "./oslo-time";
import { CHANNELS, type Channel } from "./types";

export const PLAN_STATUSES = ["planned", "in_progress", "done"] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

/**
 * The figure a plan aims at; every value is on a 0–100 scale: an area's, a question's or a
 * channel's score as the pages show it, or the percentage of the channel's inquiries answered
 * within `goalSeconds` (an unanswered inquiry is outside every goal).
 */
export type PlanMetric =
  | { kind: "area"; code: string }
  | { kind: "question"; code: string }
  | { kind: "channel"; channel: Channel }
  | { kind: "responseTime"; channel: Channel; goalSeconds: number };

export const MAX_GOAL_SECONDS = 30 * 24 * 3600;
const CODE = /^[A-Za-z0-9._-]{1,40}$/;
const isChannel = (v: string): v is Channel => (CHANNELS as readonly string[]).includes(v);

/**
 * The metric of a form or URL: `area:V`, `question:V1`, `channel:phone`, or `response:phone`
 * with the goal in seconds beside it. Null when it is none of them.
 */
export function parseMetric(value: string, goalSeconds?: number | null): PlanMetric | null {
  const at = value.indexOf(":");
  if (at < 0) return null;
  const kind = value.slice(0, at);
  const code = value.slice(at + 1);
  if (kind === "area" || kind === "question") return CODE.test(code) ? { kind, code } : null;
  if (!isChannel(code)) return null;
  if (kind === "channel") return { kind, channel: code };
  if (kind === "response") {
    if (goalSeconds === undefined || goalSeconds === null || !Number.isInteger(goalSeconds) || goalSeconds < 1 || goalSeconds > MAX_GOAL_SECONDS) return null;
    return { kind: "responseTime", channel: code, goalSeconds };
  }
  return null;
}

/** The form's value of a metric (the goal goes in its own field). */
export function metricKey(metric: PlanMetric): string {
  switch (metric.kind) {
    case "area":
    case "question":
      return `${metric.kind}:${metric.code}`;
    case "channel":
      return `channel:${metric.channel}`;
    case "responseTime":
      return `response:${metric.channel}`;
  }
}

/** The stored columns of a metric, and back. */
export function metricColumns(metric: PlanMetric): { metricKind: string; metricCode: string; goalSeconds: number | null } {
  switch (metric.kind) {
    case "area":
    case "question":
      return { metricKind: metric.kind, metricCode: metric.code, goalSeconds: null };
    case "channel":
      return { metricKind: "channel", metricCode: metric.channel, goalSeconds: null };
    case "responseTime":
      return { metricKind: "response_time", metricCode: metric.channel, goalSeconds: metric.goalSeconds };
  }
}

export function metricFromColumns(row: { metricKind: string; metricCode: string; goalSeconds: number | null }): PlanMetric {
  if (row.metricKind === "area" || row.metricKind === "question") return { kind: row.metricKind, code: row.metricCode };
  const channel = row.metricCode as Channel;
  if (row.metricKind === "response_time") return { kind: "responseTime", channel, goalSeconds: row.goalSeconds ?? 0 };
  return { kind: "channel", channel };
}

/** Higher is better for every metric: met when the new value reaches the target. */
export function isMet(value: number | null, target: number): boolean | null {
  return value === null ? null : value >= target;
}

/** Today's date in Oslo, as `YYYY-MM-DD` (a due date's form). */
export function osloToday(now = new Date()): string {
  const { year, month, day } = osloClock(now);
  return `${year}-${month}-${day}`;
}

/** Past its due date (in Oslo) and not done. */
export function isOverdue(plan: { dueDate: string; status: string }, now = new Date()): boolean {
  return plan.status !== "done" && plan.dueDate < osloToday(now);
}

/** `YYYY-MM-DD` plus `days`. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export const REMINDER_DAYS_BEFORE = 7;

/** A metric in words: "Område V Velkomst og mottak", "Andel på Telefon innen 1 min". */
export function metricLabel(t: Translate, locale: Locale, metric: PlanMetric, name: string | null): string {
  switch (metric.kind) {
    case "area":
      return t("plans.metric.area", { code: metric.code, name: name ?? "" }).trim();
    case "question":
      return t("plans.metric.question", { code: metric.code, name: name ?? "" }).trim();
    case "channel":
      return t("plans.metric.channel", { channel: t(`channel.${metric.channel}`) });
    case "responseTime":
      return t("plans.metric.responseTime", { channel: t(`channel.${metric.channel}`), goal: formatDuration(metric.goalSeconds, locale) });
  }
}

/** A value with the study year it is from, or "–". */
export function valueWithYear(t: Translate, locale: Locale, value: number | null, year: number | null): string {
  if (value === null) return t("plans.value.none");
  return year === null ? formatScore(value, locale) : t("plans.value.withYear", { value: formatScore(value, locale), year });
}

