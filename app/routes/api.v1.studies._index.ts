// GET /api/v1/studies: the published studies the token's company took part in.
import { apiLoader, apiMethodNotAllowed, parseQuery, serialize } from "~/auth/api-token.server";
import { NoQuerySchema, StudyListSchema } from "~/api/api-schemas";
import { listTenantStudies } from "~/models/insights/insights.server";

export const loader = apiLoader(async ({ request, scope }) => {
  parseQuery(request, NoQuerySchema);
  const studies = await listTenantStudies(scope);
  return serialize(StudyListSchema, studies);
});

export const action = apiMethodNotAllowed;
