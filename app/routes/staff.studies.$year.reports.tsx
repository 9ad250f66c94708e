// /staff/studies/:year/reports: the company reports of a study for staff (issue 19). Its
// loader also feeds the panel on the study page (a fetcher, polled while reports build); its
// action queues the builds (one job per company) and sends the browser back.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { requireStaffStudy } from "~/auth/staff-study.server";
import { useT } from "~/i18n/i18n";
import { queueStudyReports, ReportError, studyReportsState } from "~/models/reports/company-reports.server";
import { TextLink } from "~/ui/button";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { PageHeader } from "~/ui/page-header";
import { StaffReports, type StaffReportsData } from "~/ui/staff-reports";

export const meta: MetaFunction = ({ params }) => [{ title: `Rapporter ${params.year ?? ""} – Innsikt` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, study } = await requireStaffStudy(request, params);
  const state = await studyReportsState(db, study.id);
  return { year: study.year, published: study.status === "published", ...state } satisfies StaffReportsData;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, study, staff: { user } } = await requireStaffStudy(request, params);
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent !== "build" && intent !== "retry-failed") return data({ error: "reportJobs.staff.notPublished" as const }, { status: 400 });
  try {
    const { companies } = await queueStudyReports(db, { studyId: study.id, userId: user.id, onlyFailed: intent === "retry-failed" });
    const back = new URL(request.headers.get("referer") ?? "", "http://x").pathname === `/staff/studies/${study.year}/reports` ? "/reports" : "";
    throw redirect(`/staff/studies/${study.year}${back}?reports=${companies}#reports`);
  } catch (error) {
    if (error instanceof ReportError) return data({ error: "reportJobs.staff.notPublished" as const }, { status: 409 });
    throw error;
  }
}

export default function StudyReportsPage() {
  const loaderData = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  const queued = search.get("reports");
  const t = useT();
  return (
    <div className="space-y-8">
      <PageHeader
        title={t("reportJobs.staff.title.page", { year: loaderData.year })}
        back={<TextLink to={`/staff/studies/${loaderData.year}`}>{t("staff.studies.title")}</TextLink>}
      />
      <StaffReports data={loaderData} queued={queued !== null && /^\d+$/.test(queued) ? Number(queued) : null} />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
