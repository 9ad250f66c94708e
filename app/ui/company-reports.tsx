import { useFetcher } from "@remix-run/react";
import { useCallback, useEffect } from "react";
import { formatNumber } from "~/domain/format";
import { REPORT_KINDS, REPORT_LANGS, type ReportKind, type ReportLang, type ReportStatus } from "~/domain/reports";
import { useLocale, useT } from "~/i18n/i18n";
import { Button, ButtonLink } from "./button";
import { DataTable, type Column } from "./data-table";
import { Notice } from "./notice";
import { Section } from "./section";

// The company's report and management summary of a published study (issue 19): a download
// link for each that is built, a button that has it made when it is not, "being built" while
// it is. On the reports page (/company/reports, whose loader and action these are) and, loaded
// by a fetcher and polled while a report builds, on the overview.

export interface CompanyReportsData {
  year: number;
  /** whether this member may download (viewers only when the company lets them) */
  allowed: boolean;
  reports: { kind: ReportKind; lang: ReportLang; status: ReportStatus; sizeBytes: number | null }[];
}

const POLL_MS = 1500;

/** On the overview of a published study: the reports, loaded after the page. */
export function CompanyReportsPanel({ year }: { year: number }) {
  const fetcher = useFetcher<CompanyReportsData>();
  const { load } = fetcher;
  const url = `/company/reports?study=${year}`;
  const building = Boolean(fetcher.data?.reports.some((r) => r.status === "queued" || r.status === "building"));
  const reload = useCallback(() => load(url), [load, url]);
  useEffect(() => {
    load(url);
  }, [load, url]);
  useEffect(() => {
    if (!building || fetcher.state !== "idle") return;
    const timer = setTimeout(() => load(url), POLL_MS);
    return () => clearTimeout(timer);
  }, [building, fetcher.state, fetcher.data, load, url]);
  if (!fetcher.data) return null;
  return <CompanyReports data={fetcher.data} onBuilt={reload} />;
}

export function CompanyReports({ data, onBuilt }: { data: CompanyReportsData; onBuilt: (() => void) | null }) {
  const t = useT();
  const title = t("reportJobs.company.title", { year: data.year });
  return (
    <Section id="report" title={title} description={t("reportJobs.company.help")}>
      {!data.allowed ? (
        <p className="text-gray-700">{t("reportJobs.company.notAllowed")}</p>
      ) : (
        <DataTable
          caption={title}
          captionHidden
          rows={REPORT_KINDS.map((kind) => ({ kind }))}
          rowKey={(row) => row.kind}
          empty=""
          columns={[
            { key: "kind", header: t("reportJobs.company.report"), rowHeader: true, cell: (row) => t(`reportJobs.company.kind.${row.kind}`) },
            ...REPORT_LANGS.map(
              (lang): Column<{ kind: ReportKind }> => ({
                key: lang,
                header: t(`reportJobs.company.lang.${lang}`),
                cell: (row) => <ReportCell year={data.year} kind={row.kind} lang={lang} report={data.reports.find((r) => r.kind === row.kind && r.lang === lang) ?? null} onBuilt={onBuilt} />,
              }),
            ),
          ]}
        />
      )}
    </Section>
  );
}

function ReportCell({
  year,
  kind,
  lang,
  report,
  onBuilt,
}: {
  year: number;
  kind: ReportKind;
  lang: ReportLang;
  report: CompanyReportsData["reports"][number] | null;
  onBuilt: (() => void) | null;
}) {
  const t = useT();
  const locale = useLocale();
  const fetcher = useFetcher<{ status: ReportStatus }>();
  const names = { kind: t(`reportJobs.company.kind.${kind}`), lang: t(`reportJobs.company.lang.${lang}`) };
  // Once per answer of the build request: the panel reloads and then polls.
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data) onBuilt?.();
  }, [fetcher.state, fetcher.data, onBuilt]);
  if (report?.status === "ready") {
    const size = `${formatNumber(Math.max(1, Math.round((report.sizeBytes ?? 0) / 1024)), locale)} kB`;
    return (
      <ButtonLink to={`/company/reports/download?study=${year}&kind=${kind}&lang=${lang}`} reloadDocument small aria-label={t("reportJobs.company.download", { ...names, size })}>
        {t("reportJobs.company.downloadShort")} <span className="text-xs font-normal">({size})</span>
      </ButtonLink>
    );
  }
  const pending = fetcher.state !== "idle" || report?.status === "queued" || report?.status === "building";
  if (pending) {
    return (
      <span role="status" data-report-status="building" title={t("reportJobs.company.buildingLong", names)}>
        {t("reportJobs.company.building")}
      </span>
    );
  }
  return (
    <div className="space-y-1">
      {report?.status === "failed" && (
        <Notice tone="error" live={false}>
          {t("reportJobs.company.failed")}
        </Notice>
      )}
      <fetcher.Form method="post" action={`/company/reports?index&study=${year}`}>
        <input type="hidden" name="intent" value="build" />
        <input type="hidden" name="study" value={year} />
        <input type="hidden" name="kind" value={kind} />
        <input type="hidden" name="lang" value={lang} />
        <Button small tone="secondary" aria-label={t("reportJobs.company.build", names)}>
          {t("reportJobs.company.buildShort")}
        </Button>
      </fetcher.Form>
    </div>
  );
}
