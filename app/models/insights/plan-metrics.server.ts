// The one metric evaluator of action plans: a metric's value for (tenant, study year), taken
// from the figures the pages show — getTrends for areas, questions and channels (the trends
// page's own figures, which are the comparison's and the overview's own scores) — so a plan's
// baseline and result are always what the company sees on its pages.

import { and, eq, sql } from "drizzle-orm";
import { resultRows, type TenantScope } from "#db/client.server";
import * as s from "#db/schema";
import type { PlanMetric } from "~/domain/plans";
import type { Channel } from "~/domain/types";
import { getTrends, type Trends } from "./trends.server";

/** What the pages show of a metric: rounded as stored (6 decimals), null where the company has no figure. */
const stored = (v: number | undefined | null) => (v === undefined || v === null || !Number.isFinite(v) ? null : Math.round(v * 1e6) / 1e6);

/**
 * The values of `metrics` for the company in the study of `year` (in the same order). Reads the
 * trends once, however many metrics; null for a metric the company has no figure for that year.
 */
export async function metricValues(scope: TenantScope, year: number, metrics: readonly PlanMetric[], trends?: Trends): Promise<(number | null)[]> {
  const needsTrends = metrics.some((m) => m.kind !== "responseTime");
  const figures = needsTrends ? (trends ?? (await getTrends(scope))) : null;
  const out: (number | null)[] = [];
  for (const metric of metrics) {
    switch (metric.kind) {
      case "area":
        out.push(stored(figures!.areas.find((a) => a.code === metric.code)?.scores[year]));
        break;
      case "question":
        out.push(stored(figures!.questions.find((q) => q.code === metric.code)?.scores[year]));
        break;
      case "channel":
        out.push(stored(figures!.channels.find((c) => c.channel === metric.channel)?.scores[year]));
        break;
      case "responseTime":
        out.push(stored(await withinGoalPercent(scope, year, metric.channel, metric.goalSeconds)));
        break;
    }
  }
  return out;
}

export async function metricValue(scope: TenantScope, year: number, metric: PlanMetric): Promise<number | null> {
  return (await metricValues(scope, year, [metric]))[0]!;
}

// LEAD: replace with withinGoalShares (app/models/insights/response-times.server.ts, the targets
// helper's one computation of the within-goal share), times 100: plans keep every value on 0–100.
async function withinGoalPercent({ tx, tenantId }: TenantScope, year: number, channel: Channel, goalSeconds: number): Promise<number | null> {
  const [study] = await tx.select({ id: s.studies.id }).from(s.studies).where(eq(s.studies.year, year));
  if (!study) return null;
  const [row] = resultRows<{ n: number; within: number }>(
    await tx.execute(sql`
      select count(*)::int as n, count(*) filter (where ${s.inquiries.answered} and ${s.inquiries.waitSeconds} <= ${goalSeconds})::int as within
      from ${s.inquiries}
      where ${and(eq(s.inquiries.tenantId, tenantId), eq(s.inquiries.studyId, study.id), eq(s.inquiries.channel, channel))}`),
  );
  return row && row.n > 0 ? (100 * row.within) / row.n : null;
}
