import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { LineChart } from "~/ui/charts";
import { requireTenantMember } from "~/auth/guards.server";
import { getDatabase, withTenant } from "#db/client.server";
import { formatPercent, formatScore } from "~/domain/format";
import { useLocale, useT } from "~/i18n/i18n";
import { getTrends, type QuestionTrend, type TrendRow } from "~/models/insights/trends.server";
import { listTargetsByYear } from "~/models/insights/targets.server";
import type { Channel } from "~/domain/types";
import { targetRowsByYear, type TargetRow } from "~/domain/targets";
import { useTargetColumns } from "~/ui/targets";
import { getWeightChanges } from "~/models/insights/weight-changes.server";
import { companyPausedYears } from "~/models/studies/pauses.server";
import { listPlans } from "~/models/plans/plans.server";
import { metricLabel, valueWithYear } from "~/domain/plans";
import { PlanResult } from "~/ui/plan-form";
import { TextLink } from "~/ui/button";
import { ChartLegend } from "~/ui/chart-legend";
import { DataTable, TableSection, type Column } from "~/ui/data-table";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { NoStudy } from "~/ui/no-study";
import { PageHeader } from "~/ui/page-header";
import { questionColumn } from "~/ui/question-column";
import { Card, Section } from "~/ui/section";
import { WeightChanges } from "~/ui/weight-change";

export const meta: MetaFunction = () => [{ title: "Utvikling – Innsikt" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requireTenantMember(request);
  const { db } = await getDatabase();
  const [trends, paused, targets, weightChanges, plans] = await withTenant(db, member.tenantId, (scope) =>
    Promise.all([getTrends(scope), companyPausedYears(scope), listTargetsByYear(scope), getWeightChanges(scope), listPlans(scope)]),
  );
  return { trends, paused, targets, weightChanges, plans, companyName: member.tenantName };
}

/** The change from the second last year to the last, rounded to one decimal; null where either is missing. */
function changeOf(scores: Record<number, number>, years: number[]): number | null {
  const [prev, last] = years.slice(-2);
  const a = prev === undefined ? undefined : scores[prev];
  const b = last === undefined ? undefined : scores[last];
  return a === undefined || b === undefined ? null : Math.round((b - a) * 10) / 10;
}

function Change({ diff }: { diff: number | null }) {
  const t = useT();
  const locale = useLocale();
  if (diff === null) return "–";
  const sign = diff > 0 ? "+" : diff < 0 ? "−" : "±";
  return (
    <>
      <span aria-hidden="true">{`${sign}${formatScore(Math.abs(diff), locale)}`}</span>
      <span className="sr-only">{t(diff > 0 ? "trends.up" : diff < 0 ? "trends.down" : "trends.same", { value: formatScore(Math.abs(diff), locale) })}</span>
    </>
  );
}

const changeClass = (diff: number | null) => (diff === null || diff === 0 ? "" : diff > 0 ? "text-green-800" : "text-red-800");

export default function TrendsPage() {
  const { trends, paused, targets, weightChanges, plans, companyName } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  // The targets of each year the company took part in, against that year's result (issue 18).
  const areaNames = new Map(trends.areas.map((a) => [a.code, a.name]));
  const targetLabel = (r: TargetRow) =>
    r.kind === "total" ? t("targets.total") : r.kind === "channel" ? t(`channel.${r.subject as Channel}`) : `${r.subject} ${areaNames.get(r.subject) ?? ""}`.trim();
  const targetRows = targetRowsByYear(trends, targets).map((r) => ({ ...r, label: targetLabel(r) }));
  const targetColumns = useTargetColumns<TargetRow & { label: string }>((r) => r.result, (r) => r.target);
  const years = trends.years.map((y) => y.year);
  // A year still in review is named preliminary wherever it appears.
  const preliminary = new Set(trends.years.filter((y) => y.preliminary).map((y) => y.year));
  const yearLabel = (year: number) => (preliminary.has(year) ? t("review.year", { year }) : String(year));
  if (years.length === 0) {
    return <NoStudy title={t("trends.title")} />;
  }
  const ownLabel = companyName;
  const classLabel = t("trends.classMean");
  // A year sat out because of a pause is a labelled gap in the line (spec/season.md), not a missing year.
  const gaps = paused.filter((p) => p.year > years[0]! && p.year < years[years.length - 1]!);
  const chartData = [
    ...trends.years.map((y) => ({ at: y.year, year: yearLabel(y.year), [ownLabel]: y.totalScore as number | undefined, [classLabel]: y.classMean ?? undefined })),
    ...gaps.map((p) => ({ at: p.year, year: t("pause.member.gap", { year: p.year }), [ownLabel]: undefined, [classLabel]: undefined })),
  ].sort((a, b) => a.at - b.at);
  const score = (v: number | undefined) => (v === undefined ? "–" : formatScore(v, locale));
  /** A score per year and the latest change; a row whose change is not comparable says so instead. */
  const yearColumns = <Row extends { scores: Record<number, number> }>(notComparable: (row: Row) => boolean = () => false): Column<Row>[] => [
    ...years.map((y) => ({ key: String(y), header: yearLabel(y), numeric: true, cell: (row: Row) => score(row.scores[y]) })),
    {
      key: "change",
      header: years.length > 1 ? t("trends.change", { from: yearLabel(years[years.length - 2]!), to: yearLabel(years[years.length - 1]!) }) : t("trends.changeNone"),
      numeric: true,
      cell: (row) => (notComparable(row) ? t("trends.notComparableShort") : <Change diff={changeOf(row.scores, years)} />),
      cellClassName: (row) => (notComparable(row) ? "" : changeClass(changeOf(row.scores, years))),
    },
  ];
  return (
    <div className="space-y-8">
      <PageHeader
        eyebrow={companyName}
        title={t("trends.title")}
        intro={
          <>
            <p className="max-w-3xl">{t("trends.intro")}</p>
            <p className="mt-2">
              <TextLink to="/company/score-bands">{t("bands.link")}</TextLink>
            </p>
          </>
        }
      />

      <Section id="total" title={t("trends.total")} plain>
        {years.length > 1 && (
          <Card className="mb-4">
            <figure aria-label={t("trends.chartLabel")}>
              <LineChart
                className="h-64"
                data={chartData}
                index="year"
                categories={[ownLabel, classLabel]}
                colors={["blue", "slate"]}
                valueFormatter={(v: number) => formatScore(v, locale)}
                minValue={0}
                maxValue={100}
                yAxisWidth={48}
                showLegend={false}
                connectNulls={gaps.length === 0}
              />
              <ChartLegend
                shape="line"
                items={[
                  { label: ownLabel, swatch: "bg-blue-500" },
                  { label: classLabel, swatch: "bg-slate-500" },
                ]}
              />
            </figure>
          </Card>
        )}
        {paused.length > 0 && (
          <ul className="mb-4 space-y-1 text-sm text-gray-800" aria-label={t("pause.staff.title")}>
            {paused.map((p) => (
              <li key={p.year}>
                <strong>{t("pause.member.gap", { year: p.year })}</strong> – {t("pause.member.reason", { reason: p.reason })}
              </li>
            ))}
          </ul>
        )}
        <DataTable
          caption={t("trends.total")}
          captionHidden
          rows={trends.years}
          rowKey={(y) => String(y.year)}
          empty={null}
          columns={[
            { key: "year", header: t("trends.year"), rowHeader: true, cell: (y) => yearLabel(y.year) },
            { key: "class", header: t("trends.class"), cell: (y) => y.className },
            { key: "total", header: t("trends.totalScore"), numeric: true, cell: (y) => score(y.totalScore) },
            { key: "classMean", header: classLabel, numeric: true, cell: (y) => (y.classMean !== null ? formatScore(y.classMean, locale) : y.preliminary ? t("review.classLater") : t("trends.classHidden")) },
            { key: "inquiries", header: t("trends.inquiries"), numeric: true, cell: (y) => y.inquiries },
            { key: "answerRate", header: t("trends.answerRate"), numeric: true, cell: (y) => formatPercent(y.answerRate, locale) },
          ]}
        />
      </Section>

      {targetRows.length > 0 && (
        <TableSection
          id="targets"
          title={t("targets.trends.title")}
          description={t("targets.trends.intro")}
          rows={targetRows}
          rowKey={(r) => r.key}
          empty={null}
          columns={[
            { key: "year", header: t("targets.trends.year"), cell: (r) => yearLabel(r.year) },
            { key: "item", header: t("targets.col.item"), rowHeader: true, cell: (r) => r.label },
            { key: "result", header: t("targets.col.result"), numeric: true, cell: (r) => (r.result === null ? "–" : formatScore(r.result, locale)) },
            ...targetColumns,
          ]}
        />
      )}
      <WeightChanges changes={weightChanges} />

      <TableSection
        id="channels"
        title={t("trends.channels")}
        rows={trends.channels}
        rowKey={(c) => c.channel}
        empty={t("inquiry.none")}
        columns={[{ key: "channel", header: t("trends.channel"), rowHeader: true, cell: (c) => t(`channel.${c.channel}`) }, ...yearColumns<(typeof trends.channels)[number]>()]}
      />

      <TableSection
        id="areas"
        title={t("trends.areas")}
        rows={trends.areas}
        rowKey={(a) => a.code}
        empty={t("inquiry.none")}
        columns={[{ key: "area", header: t("trends.area"), rowHeader: true, cell: (a) => `${a.code} ${a.name}` }, ...yearColumns<TrendRow>()]}
      />

      <TableSection
        id="questions"
        title={t("trends.questions")}
        description={t("trends.questionsIntro")}
        rows={trends.questions}
        rowKey={(q) => q.code}
        empty={t("inquiry.none")}
        columns={[
          questionColumn<QuestionTrend>(
            t("trends.question"),
            (q) => q.name,
            (q) => q.changedIn.length > 0 && <span className="mt-1 block text-sm text-amber-900">{t("trends.notComparable", { years: q.changedIn.join(", ") })}</span>,
          ),
          ...yearColumns<QuestionTrend>((q) => q.changedIn.length > 0),
        ]}
      />

      {plans.length > 0 && (
        <TableSection
          id="plans"
          title={t("plans.trends.title")}
          description={t("plans.trends.intro")}
          rows={plans}
          rowKey={(p) => p.id}
          empty={null}
          columns={[
            { key: "plan", header: t("plans.list.plan"), rowHeader: true, cell: (p) => <TextLink to={`/company/plans/${p.id}`}>{p.title}</TextLink> },
            { key: "metric", header: t("plans.list.metric"), cell: (p) => metricLabel(t, locale, p.metric, p.metricName) },
            { key: "baseline", header: t("plans.list.baseline"), numeric: true, cell: (p) => valueWithYear(t, locale, p.baseline, p.baselineYear) },
            { key: "target", header: t("plans.list.target"), numeric: true, cell: (p) => formatScore(p.target, locale) },
            { key: "result", header: t("plans.list.result"), cell: (p) => <PlanResult result={p.result} resultYear={p.resultYear} met={p.met} /> },
          ]}
        />
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
