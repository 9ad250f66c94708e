import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BarChart } from "~/ui/charts";
import { loadStudyPage } from "~/auth/study-page.server";
import { formatNumber, formatScore } from "~/domain/format";
import { useLocale, useT, type MessageKey } from "~/i18n/i18n";
import { getVariance, type Spread } from "~/models/insights/variance.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { NoStudy } from "~/ui/no-study";
import { StudyPicker } from "~/ui/study-picker";
import { Kpi } from "~/ui/kpi";

export const meta: MetaFunction = () => [{ title: "Variasjon – Innsikt" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const page = await loadStudyPage(request, getVariance);
  return { variance: page.data, studies: page.studies, companyName: page.companyName };
}

function SpreadTable({ title, id, rows, label }: { title: string; id: string; rows: Spread[]; label: (key: string) => string }) {
  const t = useT();
  const locale = useLocale();
  const f = (v: number | null) => (v === null ? "–" : formatScore(v, locale));
  return (
    <section aria-labelledby={id} className="rounded-lg bg-white p-6 shadow">
      <h2 id={id} className="text-xl font-semibold">
        {title}
      </h2>
      <div className="overflow-x-auto">
        <table className="mt-4 w-full text-left">
          <caption className="sr-only">{title}</caption>
          <thead>
            <tr className="border-b border-gray-300">
              <th scope="col" className="px-3 py-2">{t("variance.group")}</th>
              <th scope="col" className="px-3 py-2 text-right">{t("variance.inquiries")}</th>
              <th scope="col" className="px-3 py-2 text-right">{t("variance.mean")}</th>
              <th scope="col" className="px-3 py-2 text-right">{t("variance.stdDev")}</th>
              <th scope="col" className="px-3 py-2 text-right">{t("variance.iqr")}</th>
              <th scope="col" className="px-3 py-2 text-right">{t("variance.range")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} className="border-b border-gray-100">
                <th scope="row" className="px-3 py-2 font-medium">{label(r.key)}</th>
                <td className="px-3 py-2 text-right tabular-nums">{formatNumber(r.inquiries, locale)}</td>
                <td className="px-3 py-2 text-right tabular-nums">{f(r.mean)}</td>
                <td className="px-3 py-2 text-right tabular-nums">{f(r.stdDev)}</td>
                <td className="px-3 py-2 text-right tabular-nums">{f(r.iqr)}</td>
                <td className="px-3 py-2 text-right tabular-nums">
                  {r.min === null ? "–" : `${f(r.min)}–${f(r.max)}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export default function VariancePage() {
  const { variance: v, studies, companyName } = useLoaderData<typeof loader>();
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
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <p className="text-sm font-medium text-gray-700">{companyName}</p>
          <h1 className="text-3xl font-semibold">
            {t("variance.title")} {v.year}
          </h1>
          <p className="mt-2 max-w-3xl text-gray-700">{t("variance.intro")}</p>
        </div>
        <StudyPicker studies={studies} year={v.year} />
      </div>

      <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Kpi label={t("variance.stdDev")} value={f(v.overall.stdDev)} detail={comparedToClass ?? t("variance.classHidden")} />
        <Kpi label={t("variance.iqr")} value={f(v.overall.iqr)} detail={t("variance.iqrHelp")} />
        <Kpi label={t("variance.range")} value={v.overall.min === null ? "–" : `${f(v.overall.min)}–${f(v.overall.max)}`} />
        <Kpi label={t("variance.mean")} value={f(v.overall.mean)} detail={t("variance.inquiriesN", { count: v.overall.inquiries })} />
      </dl>

      <section aria-labelledby="distribution-title" className="rounded-lg bg-white p-6 shadow">
        <h2 id="distribution-title" className="text-xl font-semibold">
          {t("variance.distribution")}
        </h2>
        <figure className="mt-4" aria-label={t("variance.distributionChart")}>
          <BarChart className="h-56" data={chartData} index="bin" categories={[countLabel]} colors={["blue"]} allowDecimals={false} yAxisWidth={40} showLegend={false} />
        </figure>
        <table className="mt-4 w-full max-w-md text-left">
          <caption className="sr-only">{t("variance.distribution")}</caption>
          <thead>
            <tr className="border-b border-gray-300">
              <th scope="col" className="px-3 py-2">{t("variance.scoreRange")}</th>
              <th scope="col" className="px-3 py-2 text-right">{countLabel}</th>
            </tr>
          </thead>
          <tbody>
            {v.distribution.map((b) => (
              <tr key={b.from} className="border-b border-gray-100">
                <th scope="row" className="px-3 py-2 font-normal">{binLabel(b)}</th>
                <td className="px-3 py-2 text-right tabular-nums">{b.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <SpreadTable id="by-channel" title={t("variance.byChannel")} rows={v.byChannel} label={(k) => t(`channel.${k}` as MessageKey)} />
      <SpreadTable id="by-gender" title={t("variance.byGender")} rows={v.byGender} label={(k) => t(`gender.${k}` as MessageKey)} />
      <SpreadTable id="by-age" title={t("variance.byAge")} rows={v.byAgeGroup} label={(k) => t("variance.ageGroup", { group: k })} />
      <SpreadTable id="by-region" title={t("variance.byRegion")} rows={v.byRegion} label={(k) => k} />

      <section aria-labelledby="questions-title" className="rounded-lg bg-white p-6 shadow">
        <h2 id="questions-title" className="text-xl font-semibold">
          {t("variance.questions")}
        </h2>
        <p className="mt-1 text-gray-700">{t("variance.questionsIntro")}</p>
        <table className="mt-4 w-full text-left">
          <caption className="sr-only">{t("variance.questions")}</caption>
          <thead>
            <tr className="border-b border-gray-300">
              <th scope="col" className="px-3 py-2">{t("trends.question")}</th>
              <th scope="col" className="px-3 py-2 text-right">{t("variance.answers")}</th>
              <th scope="col" className="px-3 py-2 text-right">{t("variance.meanPercent")}</th>
              <th scope="col" className="px-3 py-2 text-right">{t("variance.stdDev")}</th>
            </tr>
          </thead>
          <tbody>
            {v.questions.slice(0, 8).map((q) => (
              <tr key={q.code} className="border-b border-gray-100">
                <th scope="row" className="px-3 py-2 font-normal">
                  <span className="font-medium">{q.code}</span> {q.text}
                </th>
                <td className="px-3 py-2 text-right tabular-nums">{q.answers}</td>
                <td className="px-3 py-2 text-right tabular-nums">{f(q.mean)}</td>
                <td className="px-3 py-2 text-right tabular-nums">{f(q.stdDev)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
