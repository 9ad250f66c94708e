// GET /api/v1/studies/{year}/inquiries: the company's inquiries, newest first, cursor-paged.
import { apiLoader, apiMethodNotAllowed, apiNotFound, parseParam, parseQuery, serialize } from "~/auth/api-token.server";
import { InquiryListQuerySchema, InquiryPageSchema, YearParamSchema, withOsloTimes } from "~/api/api-schemas";
import { findTenantStudy } from "~/models/insights/insights.server";
import { listInquiries } from "~/models/insights/inquiries.server";

export const loader = apiLoader(async ({ request, params, scope }) => {
  const year = parseParam("year", params.year, YearParamSchema);
  const { cursor, limit, ...filter } = parseQuery(request, InquiryListQuerySchema);
  const study = await findTenantStudy(scope, year);
  if (!study) throw apiNotFound(`No study ${year} in review or published with this company.`);
  const page = await listInquiries(scope, study.studyId, filter, { cursor, limit });
  return serialize(InquiryPageSchema, { data: page.data.map(withOsloTimes), meta: page.meta });
});

export const action = apiMethodNotAllowed;
