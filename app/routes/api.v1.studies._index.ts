// GET /api/v1/studies: the studies the token's company took part in, in review or published.
import { apiLoader, apiMethodNotAllowed, parseQuery, serialize } from "~/auth/api-token.server";
import { NoQuerySchema, StudyListSchema } from "~/api/api-schemas";
import { osloIsoDateTime } from "~/domain/oslo-time";
import { listTenantStudies } from "~/models/insights/insights.server";

export const loader = apiLoader(async ({ request, scope }) => {
  parseQuery(request, NoQuerySchema);
  const studies = await listTenantStudies(scope);
  return serialize(
    StudyListSchema,
    studies.map((study) => ({ ...study, reviewUntil: study.reviewUntil ? osloIsoDateTime(study.reviewUntil) : null })),
  );
});

export const action = apiMethodNotAllowed;
