import * as z from "zod";
import { getDatabase, withTenant, type TenantScope } from "#db/client.server";
import { listCompanyStudies, type CompanyStudy } from "~/models/insights/overview.server";
import { reviewIsOpen } from "~/models/studies/season.server";
import { notFound, requireTenantMember } from "./guards.server";

const Query = z.object({ study: z.coerce.number().int().min(1900).max(2999).optional() });

/** The `?study=YEAR` of a company page; a malformed year is 404, like a year not taken part in. */
function studyYearOf(request: Request): number | undefined {
  const query = Query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw notFound();
  return query.data.study;
}

/**
 * The loader shape of every per-study company page: the member's tenant scope, the study
 * chosen with `?study=YEAR` (the newest the company may see by default: in review or
 * published), and 404 for a year the company did not take part in or may not see yet.
 * `load` returns null when there is nothing for that year. With no study at all the page
 * gets `data: null` and shows its empty state. A page of class comparisons passes
 * `publishedOnly`: for a study in review it gets `data: null` with `study` set, and says
 * that the comparison comes with the results (spec/season.md: nothing of the class in review).
 */
export async function loadStudyPage<T>(
  request: Request,
  load: (scope: TenantScope, year: number) => Promise<T | null>,
  /** For a page that reads `study` with the rest of its own query: the year it read. */
  own?: { year: number | undefined },
  options: { publishedOnly?: boolean } = {},
) {
  const member = await requireTenantMember(request);
  const named = own ? own.year : studyYearOf(request);
  const { db } = await getDatabase();
  return withTenant(db, member.tenantId, async (scope) => {
    // A named year is read beside the list of studies; the default (the newest) needs the list first.
    const [studies, namedData] = await Promise.all([listCompanyStudies(scope), named === undefined ? null : load(scope, named)]);
    const study: CompanyStudy | null = (named === undefined ? studies[0] : studies.find((x) => x.year === named)) ?? null;
    const base = { studies, study: study && { ...study, reviewOpen: reviewIsOpen(study) }, companyName: member.tenantName, role: member.role };
    if (!study) {
      if (named !== undefined) throw notFound();
      return { ...base, data: null };
    }
    if (options.publishedOnly && study.status !== "published") return { ...base, data: null };
    const data = named !== undefined ? namedData : await load(scope, study.year);
    if (data === null) throw notFound();
    return { ...base, data };
  });
}
