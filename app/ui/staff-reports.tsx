import { Form, useFetcher, useNavigation, useSearchParams } from "@remix-run/react";
import { useEffect } from "react";
import { formatDateTime } from "~/domain/format";
import type { ReportStatus } from "~/domain/reports";
import { useLocale, useT } from "~/i18n/i18n";
import { Button } from "./button";
import { DataTable, type Column } from "./data-table";
import { Notice } from "./notice";
import { PanelLoading } from "./panel-loading";
import { Section } from "./section";

// Staff's company reports of one study (issue 19): a button that builds every company's
// reports in the background, a progress bar over the companies and each company's status.
// Drawn on the study's reports page (/staff/studies/:year/reports, whose loader and action
// these are) and, loaded by a fetcher, on the study page, where it polls while a build runs.

export interface StaffReportsData {
  year: number;
  published: boolean;
  companies: {
    code: string;
    name: string;
    status: ReportStatus | null;
    ready: number;
    total: number;
    builtAt: string | Date | null;
    error: string | null;
    progress: { done: number; total: number } | null;
  }[];
  counts: Record<ReportStatus | "none", number>;
}

const POLL_MS = 1500;

/** On the study page: the panel, loaded after the page by a fetcher and polled while reports build. */
export function StudyReportsPanel({ year }: { year: number }) {
  const fetcher = useFetcher<StaffReportsData>();
  const t = useT();
  const queued = useSearchParams()[0].get("reports");
  const { load } = fetcher;
  const running = Boolean(fetcher.data && fetcher.data.counts.queued + fetcher.data.counts.building > 0);
  useEffect(() => {
    load(`/staff/studies/${year}/reports`);
  }, [load, year]);
  useEffect(() => {
    if (!running || fetcher.state !== "idle") return;
    const timer = setTimeout(() => load(`/staff/studies/${year}/reports`), POLL_MS);
    return () => clearTimeout(timer);
  }, [running, fetcher.state, fetcher.data, load, year]);
  if (!fetcher.data) {
    return <PanelLoading id="reports" title={t("reportJobs.staff.title")} loading={t("reportJobs.staff.loading")} href={`/staff/studies/${year}/reports`} open={t("reportJobs.staff.open")} />;
  }
  return <StaffReports data={fetcher.data} queued={queued !== null && /^\d+$/.test(queued) ? Number(queued) : null} />;
}

export function StaffReports({ data, queued }: { data: StaffReportsData; queued: number | null }) {
  const t = useT();
  const locale = useLocale();
  const navigation = useNavigation();
  const action = `/staff/studies/${data.year}/reports`;
  const busy = (intent: string) => navigation.state === "submitting" && navigation.formAction === action && navigation.formData?.get("intent") === intent;
  const { counts } = data;
  const total = counts.queued + counts.building + counts.ready + counts.failed;
  const done = counts.ready + counts.failed;
  type Company = StaffReportsData["companies"][number];
  const columns: Column<Company>[] = [
    { key: "company", header: t("reportJobs.staff.company"), rowHeader: true, cell: (c) => `${c.name} (${c.code})` },
    {
      key: "status",
      header: t("reportJobs.staff.status"),
      cell: (c) => (
        <span data-report-status={c.status ?? "none"}>
          {t(`reportJobs.status.${c.status ?? "none"}`)}
          {c.status === "building" && c.progress ? ` (${c.progress.done}/${c.progress.total})` : ""}
        </span>
      ),
    },
    { key: "ready", header: t("reportJobs.staff.reports"), numeric: true, cell: (c) => (c.total > 0 ? `${c.ready}/${c.total}` : "–") },
    { key: "built", header: t("reportJobs.staff.builtAt"), className: "whitespace-nowrap", cell: (c) => (c.builtAt ? formatDateTime(new Date(c.builtAt), locale) : "–") },
    { key: "error", header: t("reportJobs.staff.error"), cell: (c) => c.error ?? "" },
  ];
  return (
    <Section id="reports" title={t("reportJobs.staff.title")} description={t("reportJobs.staff.help")}>
      {!data.published ? (
        <p className="text-gray-700">{t("reportJobs.staff.notPublished")}</p>
      ) : (
        <div className="space-y-4">
          {queued !== null && <Notice tone="success">{t("reportJobs.staff.queued", { count: queued })}</Notice>}
          {total > 0 && (
            <div>
              <p id="reports-progress-label" className="font-medium">
                {t("reportJobs.staff.progress", { done, total })}
              </p>
              <progress className="mt-2 h-3 w-full max-w-xl" aria-labelledby="reports-progress-label" max={total} value={done} />
              <p className="mt-1 text-sm text-gray-700" aria-live="polite">
                {t("reportJobs.staff.counts", counts)}
              </p>
            </div>
          )}
          <Form method="post" action={action} className="flex flex-wrap gap-3">
            <Button name="intent" value="build" busy={busy("build")}>
              {total > 0 ? t("reportJobs.staff.rebuild") : t("reportJobs.staff.build")}
            </Button>
            {counts.failed > 0 && (
              <Button name="intent" value="retry-failed" tone="secondary" busy={busy("retry-failed")}>
                {t("reportJobs.staff.retryFailed")}
              </Button>
            )}
          </Form>
          <DataTable caption={t("reportJobs.staff.title")} captionHidden columns={columns} rows={data.companies} rowKey={(c) => c.code} empty={t("reportJobs.staff.none")} />
        </div>
      )}
    </Section>
  );
}
