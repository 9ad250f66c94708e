import * as z from "zod";
import { getDatabase, withTenant, type TenantScope } from "#db/client.server";
import { listPublishedStudies, type PublishedStudy } from "~/models/insights/overview.server";
import { notFound, requireTenantMember } from "./guards.server";

const Query = z.object({ study: z.coerce.number().int().min(1900).max(2999).optional() });

/**
 * The loader shape of every per-study company page: the member's tenant scope, the study
 * chosen with `?study=YEAR` (the newest published one by default), and 404 for a year the
 * company did not take part in. `load` returns null when there is nothing for that year.
 * With no published study at all the page gets `data: null` and shows its empty state.
 */
export async function loadStudyPage<T>(request: Request, load: (scope: TenantScope, year: number) => Promise<T | null>) {
  const member = await requireTenantMember(request);
  const query = Query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw notFound();
  const { db } = await getDatabase();
  return withTenant(db, member.tenantId, async (scope) => {
    const studies: PublishedStudy[] = await listPublishedStudies(scope);
    const year = query.data.study ?? studies[0]?.year;
    const data = year === undefined ? null : await load(scope, year);
    if (data === null && (query.data.study !== undefined || studies.length > 0)) throw notFound();
    return { data, studies, companyName: member.tenantName };
  });
}
