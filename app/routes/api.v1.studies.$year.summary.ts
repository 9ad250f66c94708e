// GET /api/v1/studies/{year}/summary: the company's figures in one study.
import { apiLoader, apiMethodNotAllowed, apiNotFound, parseParam, parseQuery, serialize } from "~/auth/api-token.server";
import { NoQuerySchema, SummarySchema, YearParamSchema } from "~/api/api-schemas";
import { getSummary } from "~/models/insights/insights.server";

export const loader = apiLoader(async ({ request, params, scope }) => {
  const year = parseParam("year", params.year, YearParamSchema);
  parseQuery(request, NoQuerySchema);
  const summary = await getSummary(scope, year);
  if (!summary) throw apiNotFound(`No study ${year} in review or published with this company.`);
  return serialize(SummarySchema, summary);
});

export const action = apiMethodNotAllowed;
