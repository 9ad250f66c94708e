// GET /api/v1/plans: the company's action plans (spec/season.md, issue 18).
import { apiLoader, apiMethodNotAllowed, parseQuery, serialize } from "~/auth/api-token.server";
import { NoQuerySchema, PlanListSchema } from "~/api/api-schemas";
import type { PlanMetric } from "~/domain/plans";
import { listPlans } from "~/models/plans/plans.server";

const wireMetric = (metric: PlanMetric, name: string | null) =>
  metric.kind === "area" || metric.kind === "question" ? { kind: metric.kind, code: metric.code, name } : metric;

export const loader = apiLoader(async ({ request, scope }) => {
  parseQuery(request, NoQuerySchema);
  const plans = await listPlans(scope);
  return serialize(
    PlanListSchema,
    plans.map((p) => ({
      id: p.id,
      title: p.title,
      metric: wireMetric(p.metric, p.metricName),
      baseline: p.baseline,
      target: p.target,
      dueDate: p.dueDate,
      status: p.status,
      result: p.resultYear === null ? null : { year: p.resultYear, value: p.result, met: p.met },
    })),
  );
});

export const action = apiMethodNotAllowed;
