// /company/reports?study=YEAR: the company's report and management summary of a published study
// (issue 19), in Norwegian and English: download what is built, ask for what is not (built in
// the background), see what is being built. Its loader also feeds the panel on the overview (a
// fetcher, polled while a report builds). Managers and team leads; viewers too unless the
// company turned that off. Any year that is not one of the company's published studies is 404.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import * as z from "zod";
import { getDatabase, withTenant } from "#db/client.server";
import { forbidden, notFound, requireTenantMember } from "~/auth/guards.server";
import { mayDownloadReports, REPORT_KINDS, REPORT_LANGS } from "~/domain/reports";
import { useT } from "~/i18n/i18n";
import { listOwnReports, requestOwnReport, sendReportJobs, viewersMayDownloadReports } from "~/models/reports/company-reports.server";
import { TextLink } from "~/ui/button";
import { CompanyReports, type CompanyReportsData } from "~/ui/company-reports";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { PageHeader } from "~/ui/page-header";

export const meta: MetaFunction = () => [{ title: "Rapporter – Innsikt" }];

const Year = z.object({ study: z.coerce.number().int().min(1900).max(2999) });
const BuildSchema = Year.extend({ intent: z.literal("build"), kind: z.enum(REPORT_KINDS), lang: z.enum(REPORT_LANGS) });

function yearOf(request: Request): number {
  const query = Year.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw notFound();
  return query.data.study;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requireTenantMember(request);
  const year = yearOf(request);
  const { db } = await getDatabase();
  return withTenant(db, member.tenantId, async (scope): Promise<CompanyReportsData> => {
    const reports = await listOwnReports(scope, year);
    if (!reports) throw notFound();
    const allowed = mayDownloadReports(member.role, await viewersMayDownloadReports(scope));
    return { year, allowed, reports: allowed ? reports : [] };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const member = await requireTenantMember(request);
  const form = Object.fromEntries(await request.formData());
  const parsed = BuildSchema.safeParse(form);
  if (!parsed.success) throw notFound();
  const { study: year, kind, lang } = parsed.data;
  const { db } = await getDatabase();
  const requested = await withTenant(db, member.tenantId, async (scope) => {
    if (!mayDownloadReports(member.role, await viewersMayDownloadReports(scope))) throw forbidden();
    return requestOwnReport(scope, { year, kind, lang, userId: member.userId });
  });
  if (!requested) throw notFound();
  await sendReportJobs(db, { studyId: requested.studyId, first: [member.tenantId] });
  return data({ status: requested.status });
}

export default function CompanyReportsPage() {
  const loaderData = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <TextLink to={`/company?study=${loaderData.year}`}>{t("reportJobs.company.back")}</TextLink>
      </p>
      <PageHeader title={t("reportJobs.company.page")} />
      <CompanyReports data={loaderData} onBuilt={null} />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
