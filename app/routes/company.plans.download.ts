import type { LoaderFunctionArgs } from "@remix-run/node";
import * as z from "zod";
import { notFound, requireTenantMember } from "~/auth/guards.server";
import { getDatabase, withTenant } from "#db/client.server";
import { targetRowsByYear } from "~/domain/targets";
import { followUpCsv, followUpXlsx, plansTable, targetsTable } from "~/exports/plans/plans-file.server";
import { localeFromRequest } from "~/i18n/locale.server";
import { getTrends } from "~/models/insights/trends.server";
import { listTargetsByYear } from "~/models/insights/targets.server";
import { listPlans } from "~/models/plans/plans.server";

// The follow-up as a file (issue 18): the company's action plans and its targets (year by year,
// against the result, as the trends page shows them) as CSV or XLSX, for every member.

const Query = z.object({ format: z.enum(["csv", "xlsx"]) });

export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requireTenantMember(request);
  const query = Query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw notFound();
  const locale = localeFromRequest(request);
  const { db } = await getDatabase();
  const { plans, targets } = await withTenant(db, member.tenantId, async (scope) => {
    const [plans, trends, byYear] = await Promise.all([listPlans(scope), getTrends(scope), listTargetsByYear(scope)]);
    const areaNames = new Map(trends.areas.map((a) => [a.code, a.name]));
    return { plans, targets: targetRowsByYear(trends, byYear).map((r) => ({ ...r, areaName: areaNames.get(r.subject) })) };
  });
  const tables = [plansTable(plans, locale), targetsTable(targets, locale)];
  const bytes = query.data.format === "csv" ? Buffer.from(followUpCsv(tables), "utf8") : await followUpXlsx(tables, locale);
  const fileName = `tiltaksplaner.${query.data.format}`;
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": query.data.format === "csv" ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Content-Length": String(bytes.byteLength),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
