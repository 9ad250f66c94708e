// GET /api/v1/studies/{year}/awards: the winners of a published study (spec/season.md).
import { apiLoader, apiMethodNotAllowed, apiNotFound, parseParam, parseQuery, serialize } from "~/auth/api-token.server";
import { AwardsSchema, NoQuerySchema, YearParamSchema } from "~/api/api-schemas";
import { companyAwards } from "~/models/studies/awards.server";

export const loader = apiLoader(async ({ request, params, scope }) => {
  const year = parseParam("year", params.year, YearParamSchema);
  parseQuery(request, NoQuerySchema);
  const awards = await companyAwards(scope, year);
  if (!awards) throw apiNotFound(`No published study ${year} with this company.`);
  return serialize(AwardsSchema, awards);
});

export const action = apiMethodNotAllowed;
