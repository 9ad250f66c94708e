// GET /api/v1/studies/{year}/queries: the company's queries of a study (spec/season.md).
import { apiLoader, apiMethodNotAllowed, apiNotFound, parseParam, parseQuery, serialize } from "~/auth/api-token.server";
import { NoQuerySchema, QueryListSchema, YearParamSchema } from "~/api/api-schemas";
import { osloIsoDateTime } from "~/domain/oslo-time";
import { listCompanyQueries, seasonStudyOf } from "~/models/studies/queries.server";

export const loader = apiLoader(async ({ request, params, scope }) => {
  const year = parseParam("year", params.year, YearParamSchema);
  parseQuery(request, NoQuerySchema);
  if (!(await seasonStudyOf(scope, year))) throw apiNotFound(`No study ${year} in review or published with this company.`);
  const queries = await listCompanyQueries(scope, { year });
  return serialize(
    QueryListSchema,
    queries.map(({ raisedByName: _name, ...q }) => ({ ...q, raisedAt: osloIsoDateTime(q.raisedAt), answeredAt: q.answeredAt ? osloIsoDateTime(q.answeredAt) : null })),
  );
});

export const action = apiMethodNotAllowed;
