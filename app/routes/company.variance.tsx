import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BarChart } from "~/ui/charts";
import { loadStudyPage } from "~/auth/study-page.server";
import { formatNumber, formatScore } from "~/domain/format";
import { useLocale, useT, type MessageKey } from "~/i18n/i18n";
import { getVariance, type Spread } from "~/models/insights/variance.server";
import { DataTable, TableSection } from "~/ui/data-table";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { Kpi, KpiGrid } from "~/ui/kpi";
import { NoStudy } from "~/ui/no-study";
import { questionColumn } from "~/ui/question-column";
import { Card, Section } from "~/ui/section";
import { StudyPageHeader } from "~/ui/study-page-header";
import { StudyPicker } from "~/ui/study-picker";

export const meta: MetaFunction = () => [{ title: "Variasjon – Innsikt" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const page = await loadStudyPage(request, getVariance);
  return { variance: page.data, studies: page.studies, study: page.study, companyName: page.companyName };
}

function SpreadTable({ title, id, rows, label }: { title: string; id: string; rows: Spread[]; label: (key: string) => string }) {
  const t = useT();
  const locale = useLocale();
  const f = (v: number | null) => (v === null ? "–" : formatScore(v, locale));
  return (
    <TableSection
      id={id}
      title={title}
      rows={rows}
      rowKey={(r) => r.key}
      empty={t("inquiry.none")}
      columns={[
        { key: "group", header: t("variance.group"), rowHeader: true, cell: (r) => label(r.key) },
        { key: "inquiries", header: t("variance.inquiries"), numeric: true, cell: (r) => formatNumber(r.inquiries, locale) },
        { key: "mean", header: t("variance.mean"), numeric: true, cell: (r) => f(r.mean) },
        { key: "stdDev", header: t("variance.stdDev"), numeric: true, cell: (r) => f(r.stdDev) },
        { key: "iqr", header: t("variance.iqr"), numeric: true, cell: (r) => f(r.iqr) },
        { key: "range", header: t("variance.range"), numeric: true, cell: (r) => (r.min === null ? "–" : `${f(r.min)}–${f(r.max)}`) },
      ]}
    />
  );
}

export default function VariancePage() {
  const { variance: v, studies, study, companyName } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  if (!v) {
    return <NoStudy title={t("variance.title")} />;
  }
  const f = (x: number | null) => (x === null ? "–" : formatScore(x, locale));
  const countLabel = t("variance.count");
  const binLabel = (b: { from: number; to: number }) => (b.from === 100 ? "100" : `${b.from}–${b.from + 9}`);
  const chartData = v.distribution.map((b) => ({ bin: binLabel(b), [countLabel]: b.count }));
  const comparedToClass =
    v.overall.stdDev === null || v.classTypicalStdDev === null
      ? null
      : v.overall.stdDev <= v.classTypicalStdDev
        ? t("variance.steadier", { own: f(v.overall.stdDev), cls: f(v.classTypicalStdDev) })
        : t("variance.lessSteady", { own: f(v.overall.stdDev), cls: f(v.classTypicalStdDev) });
  return (
    <div className="space-y-8">
      <StudyPageHeader
        eyebrow={companyName}
        title={`${t("variance.title")} ${v.year}`}
        study={study}
        intro={<p className="max-w-3xl">{t("variance.intro")}</p>}
        actions={<StudyPicker studies={studies} year={v.year} />}
      />

      <KpiGrid columns={4}>
        <Kpi label={t("variance.stdDev")} value={f(v.overall.stdDev)} detail={comparedToClass ?? (study?.status === "review" ? undefined : t("variance.classHidden"))} />
        <Kpi label={t("variance.iqr")} value={f(v.overall.iqr)} detail={t("variance.iqrHelp")} />
        <Kpi label={t("variance.range")} value={v.overall.min === null ? "–" : `${f(v.overall.min)}–${f(v.overall.max)}`} />
        <Kpi label={t("variance.mean")} value={f(v.overall.mean)} detail={t("variance.inquiriesN", { count: v.overall.inquiries })} />
      </KpiGrid>

      <Section id="distribution" title={t("variance.distribution")} plain>
        <Card>
          <figure aria-label={t("variance.distributionChart")}>
            <BarChart className="h-56" data={chartData} index="bin" categories={[countLabel]} colors={["blue"]} allowDecimals={false} yAxisWidth={40} showLegend={false} />
          </figure>
        </Card>
        <DataTable
          caption={t("variance.distribution")}
          captionHidden
          className="mt-4 max-w-md"
          rows={v.distribution}
          rowKey={(b) => String(b.from)}
          empty={t("inquiry.none")}
          columns={[
            { key: "bin", header: t("variance.scoreRange"), rowHeader: true, className: "!font-normal", cell: binLabel },
            { key: "count", header: countLabel, numeric: true, cell: (b) => b.count },
          ]}
        />
      </Section>

      <SpreadTable id="by-channel" title={t("variance.byChannel")} rows={v.byChannel} label={(k) => t(`channel.${k}` as MessageKey)} />
      <SpreadTable id="by-gender" title={t("variance.byGender")} rows={v.byGender} label={(k) => t(`gender.${k}` as MessageKey)} />
      <SpreadTable id="by-age" title={t("variance.byAge")} rows={v.byAgeGroup} label={(k) => t("variance.ageGroup", { group: k })} />
      <SpreadTable id="by-region" title={t("variance.byRegion")} rows={v.byRegion} label={(k) => k} />

      <TableSection
        id="questions"
        title={t("variance.questions")}
        description={t("variance.questionsIntro")}
        rows={v.questions.slice(0, 8)}
        rowKey={(q) => q.code}
        empty={t("inquiry.none")}
        columns={[
          questionColumn<(typeof v.questions)[number]>(t("trends.question"), (q) => q.text),
          { key: "answers", header: t("variance.answers"), numeric: true, cell: (q) => q.answers },
          { key: "mean", header: t("variance.meanPercent"), numeric: true, cell: (q) => f(q.mean) },
          { key: "stdDev", header: t("variance.stdDev"), numeric: true, cell: (q) => f(q.stdDev) },
        ]}
      />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
