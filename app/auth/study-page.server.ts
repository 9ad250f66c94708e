import { z } from "zod";
import { getDatabase, withTenant, type TenantScope } from "#db/client.server";
import { listPublishedStudies } from "~/models/insights/overview.server";
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
 * chosen with `?study=YEAR` (the newest published one by default), and 404 for a year the
 * company did not take part in. `load` returns null when there is nothing for that year.
 * With no published study at all the page gets `data: null` and shows its empty state.
 */
export async function loadStudyPage<T>(
  request: Request,
  load: (scope: TenantScope, year: number) => Promise<T | null>,
  /** For a page that reads `study` with the rest of its own query: the year it read. */
  own?: { year: number | undefined },
) {
  const member = await requireTenantMember(request);
  const named = own ? own.year : studyYearOf(request);
  const { db } = await getDatabase();
  return withTenant(db, member.tenantId, async (scope) => {
    // A named year is read beside the list of studies; the default (the newest) needs the list first.
    const [studies, namedData] = await Promise.all([listPublishedStudies(scope), named === undefined ? null : load(scope, named)]);
    const chosen = named ?? studies[0]?.year;
    const data = named !== undefined ? namedData : chosen === undefined ? null : await load(scope, chosen);
    if (data === null && (named !== undefined || studies.length > 0)) throw notFound();
    return { data, studies, companyName: member.tenantName, role: member.role };
  });
}
