// GET /api/v1/studies/{year}/benchmark: the whole-study and class comparison.
import { apiLoader, apiMethodNotAllowed, apiNotFound, parseParam, parseQuery, serialize } from "~/auth/api-token.server";
import { BenchmarkSchema, NoQuerySchema, YearParamSchema } from "~/api/api-schemas";
import { getBenchmark } from "~/models/insights/insights.server";

export const loader = apiLoader(async ({ request, params, scope }) => {
  const year = parseParam("year", params.year, YearParamSchema);
  parseQuery(request, NoQuerySchema);
  const benchmark = await getBenchmark(scope, year);
  if (!benchmark) throw apiNotFound(`No published study ${year} with this company.`);
  if (benchmark === "review") throw apiNotFound(`Study ${year} is in review: the class and study figures are made when it is published.`);
  return serialize(BenchmarkSchema, benchmark);
});

export const action = apiMethodNotAllowed;
