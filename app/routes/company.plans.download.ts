import type { LoaderFunctionArgs } from "@remix-run/node";
import * as z from "zod";
import { notFound, requireTenantMember } from "~/auth/guards.server";
import { getDatabase, withTenant } from "#db/client.server";
import { followUpCsv, followUpXlsx, plansTable, type FollowUpTable } from "~/exports/plans/plans-file.server";
import { localeFromRequest } from "~/i18n/locale.server";
import { listPlans } from "~/models/plans/plans.server";

// The follow-up as a file (issue 18): the company's action plans as CSV or XLSX, for every member.

const Query = z.object({ format: z.enum(["csv", "xlsx"]) });

export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requireTenantMember(request);
  const query = Query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw notFound();
  const locale = localeFromRequest(request);
  const { db } = await getDatabase();
  const plans = await withTenant(db, member.tenantId, (scope) => listPlans(scope));
  // LEAD: the targets helper's table goes here as a second FollowUpTable (its sheet "Mål"/"Targets",
  // the catalogue's plans.export.targetsSheet), read in the same withTenant as the plans.
  const targets: FollowUpTable[] = [];
  const tables = [plansTable(plans, locale), ...targets];
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
