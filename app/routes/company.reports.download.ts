import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import * as z from "zod";
import { getDatabase, withTenant } from "#db/client.server";
import { forbidden, notFound, requireTenantMember } from "~/auth/guards.server";
import { mayDownloadReports, REPORT_KINDS, REPORT_LANGS, reportFileName } from "~/domain/reports";
import { downloadOwnReport, listOwnReports, viewersMayDownloadReports } from "~/models/reports/company-reports.server";

// A company's own report or summary as a PDF (issue 19), each download in its audit log. Only
// the company's own reports of a published study; any other year, another company's or one not
// yet published, is 404 whatever is asked. A report not built yet sends the browser to the
// reports page, where it is made or shown as being built.

const Query = z.object({
  study: z.coerce.number().int().min(1900).max(2999),
  kind: z.enum(REPORT_KINDS),
  lang: z.enum(REPORT_LANGS).default("nb"),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requireTenantMember(request);
  const query = Query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw notFound();
  const { study: year, kind, lang } = query.data;
  const { db } = await getDatabase();
  const file = await withTenant(db, member.tenantId, async (scope) => {
    if (!(await listOwnReports(scope, year))) throw notFound();
    if (!mayDownloadReports(member.role, await viewersMayDownloadReports(scope))) throw forbidden();
    return downloadOwnReport(scope, { year, kind, lang, userId: member.userId });
  });
  if (!file) throw redirect(`/company/reports?study=${year}`);
  const fileName = reportFileName({ kind, lang, year, code: file.code });
  return new Response(new Uint8Array(file.content), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Content-Length": String(file.content.byteLength),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
