// The one metric evaluator of action plans: a metric's value for (tenant, study year), taken
// from the figures the pages show — getTrends for areas, questions and channels (the trends
// page's own figures, which are the comparison's and the overview's own scores) — so a plan's
// baseline and result are always what the company sees on its pages.

import { eq } from "drizzle-orm";
import type { TenantScope } from "#db/client.server";
import * as s from "#db/schema";
import type { PlanMetric } from "~/domain/plans";
import type { Channel } from "~/domain/types";
import { withinGoalShares } from "./response-times.server";
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

/**
 * A response-time metric: the share of the company's inquiries on the channel within the plan's
 * goal, from withinGoalShares (the one computation the overview and targets pages use), on 0–100
 * as plans keep every value.
 */
async function withinGoalPercent({ tx, tenantId }: TenantScope, year: number, channel: Channel, goalSeconds: number): Promise<number | null> {
  const [study] = await tx.select({ id: s.studies.id }).from(s.studies).where(eq(s.studies.year, year));
  if (!study) return null;
  const [share] = await withinGoalShares(tx, tenantId, study.id, { [channel]: goalSeconds });
  return share?.share == null ? null : 100 * share.share;
}
