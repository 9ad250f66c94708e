// GET /api/v1/studies/{year}/inquiries/{ref}: one inquiry in full.
import { apiLoader, apiMethodNotAllowed, apiNotFound, parseParam, parseQuery, serialize } from "~/auth/api-token.server";
import { InquiryDetailSchema, NoQuerySchema, RefParamSchema, YearParamSchema, withOsloTimes } from "~/api/api-schemas";
import { findTenantStudy } from "~/models/insights/insights.server";
import { getInquiry } from "~/models/insights/inquiries.server";

export const loader = apiLoader(async ({ request, params, scope }) => {
  const year = parseParam("year", params.year, YearParamSchema);
  const ref = parseParam("ref", params.ref, RefParamSchema);
  parseQuery(request, NoQuerySchema);
  const study = await findTenantStudy(scope, year);
  if (!study) throw apiNotFound(`No study ${year} in review or published with this company.`);
  const inquiry = await getInquiry(scope, study.studyId, ref);
  if (!inquiry) throw apiNotFound(`No such inquiry in ${year}.`);
  return serialize(InquiryDetailSchema, withOsloTimes(inquiry));
});

export const action = apiMethodNotAllowed;
