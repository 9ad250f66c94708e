import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { LineChart } from "~/ui/charts";
import { requireTenantMember } from "~/auth/guards.server";
import { getDatabase, withTenant } from "#db/client.server";
import { formatPercent, formatScore } from "~/domain/format";
import { useLocale, useT } from "~/i18n/i18n";
import { getTrends, type TrendRow } from "~/models/insights/trends.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { NoStudy } from "~/ui/no-study";

export const meta: MetaFunction = () => [{ title: "Utvikling – Innsikt" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requireTenantMember(request);
  const { db } = await getDatabase();
  return { trends: await withTenant(db, member.tenantId, getTrends), companyName: member.tenantName };
}

function Cell({ value }: { value: number | undefined }) {
  const locale = useLocale();
  return <td className="px-3 py-2 text-right tabular-nums">{value === undefined ? "–" : formatScore(value, locale)}</td>;
}

function Change({ row, years }: { row: TrendRow; years: number[] }) {
  const t = useT();
  const locale = useLocale();
  const [prev, last] = years.slice(-2);
  const a = prev === undefined ? undefined : row.scores[prev];
  const b = last === undefined ? undefined : row.scores[last];
  if (a === undefined || b === undefined) return <td className="px-3 py-2 text-right">–</td>;
  const diff = Math.round((b - a) * 10) / 10;
  const sign = diff > 0 ? "+" : diff < 0 ? "−" : "±";
  return (
    <td className={`px-3 py-2 text-right tabular-nums ${diff > 0 ? "text-green-800" : diff < 0 ? "text-red-800" : ""}`}>
      <span aria-hidden="true">{`${sign}${formatScore(Math.abs(diff), locale)}`}</span>
      <span className="sr-only">{t(diff > 0 ? "trends.up" : diff < 0 ? "trends.down" : "trends.same", { value: formatScore(Math.abs(diff), locale) })}</span>
    </td>
  );
}

export default function TrendsPage() {
  const { trends, companyName } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const years = trends.years.map((y) => y.year);
  if (years.length === 0) {
    return <NoStudy title={t("trends.title")} />;
  }
  const ownLabel = companyName;
  const classLabel = t("trends.classMean");
  const chartData = trends.years.map((y) => ({ year: String(y.year), [ownLabel]: y.totalScore, [classLabel]: y.classMean ?? undefined }));
  const yearHeaders = (
    <>
      {years.map((y) => (
        <th key={y} scope="col" className="px-3 py-2 text-right">
          {y}
        </th>
      ))}
      <th scope="col" className="px-3 py-2 text-right">
        {years.length > 1 ? t("trends.change", { from: years[years.length - 2]!, to: years[years.length - 1]! }) : t("trends.changeNone")}
      </th>
    </>
  );
  return (
    <div className="space-y-8">
      <div>
        <p className="text-sm font-medium text-gray-700">{companyName}</p>
        <h1 className="text-3xl font-semibold">{t("trends.title")}</h1>
        <p className="mt-2 max-w-3xl text-gray-700">{t("trends.intro")}</p>
      </div>

      <section aria-labelledby="total-title" className="rounded-lg bg-white p-6 shadow">
        <h2 id="total-title" className="text-xl font-semibold">
          {t("trends.total")}
        </h2>
        {years.length > 1 && (
          <figure className="mt-4" aria-label={t("trends.chartLabel")}>
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
              connectNulls
            />
            <figcaption className="mt-2 flex gap-6 text-sm text-gray-700">
              <span className="inline-flex items-center gap-2">
                <span aria-hidden="true" className="inline-block h-1 w-4 rounded bg-blue-500" />
                {ownLabel}
              </span>
              <span className="inline-flex items-center gap-2">
                <span aria-hidden="true" className="inline-block h-1 w-4 rounded bg-slate-500" />
                {classLabel}
              </span>
            </figcaption>
          </figure>
        )}
        <table className="mt-6 w-full text-left">
          <caption className="sr-only">{t("trends.total")}</caption>
          <thead>
            <tr className="border-b border-gray-300">
              <th scope="col" className="px-3 py-2">{t("trends.year")}</th>
              <th scope="col" className="px-3 py-2">{t("trends.class")}</th>
              <th scope="col" className="px-3 py-2 text-right">{t("trends.totalScore")}</th>
              <th scope="col" className="px-3 py-2 text-right">{classLabel}</th>
              <th scope="col" className="px-3 py-2 text-right">{t("trends.inquiries")}</th>
              <th scope="col" className="px-3 py-2 text-right">{t("trends.answerRate")}</th>
            </tr>
          </thead>
          <tbody>
            {trends.years.map((y) => (
              <tr key={y.year} className="border-b border-gray-100">
                <th scope="row" className="px-3 py-2 font-medium">{y.year}</th>
                <td className="px-3 py-2">{y.className}</td>
                <Cell value={y.totalScore} />
                <td className="px-3 py-2 text-right tabular-nums">{y.classMean === null ? t("trends.classHidden") : formatScore(y.classMean, locale)}</td>
                <td className="px-3 py-2 text-right tabular-nums">{y.inquiries}</td>
                <td className="px-3 py-2 text-right tabular-nums">{formatPercent(y.answerRate, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="channels-title" className="rounded-lg bg-white p-6 shadow">
        <h2 id="channels-title" className="text-xl font-semibold">
          {t("trends.channels")}
        </h2>
        <div className="overflow-x-auto">
          <table className="mt-4 w-full text-left">
            <caption className="sr-only">{t("trends.channels")}</caption>
            <thead>
              <tr className="border-b border-gray-300">
                <th scope="col" className="px-3 py-2">{t("trends.channel")}</th>
                {yearHeaders}
              </tr>
            </thead>
            <tbody>
              {trends.channels.map((c) => (
                <tr key={c.channel} className="border-b border-gray-100">
                  <th scope="row" className="px-3 py-2 font-medium">{t(`channel.${c.channel}`)}</th>
                  {years.map((y) => (
                    <Cell key={y} value={c.scores[y]} />
                  ))}
                  <Change row={{ code: c.channel, name: c.channel, scores: c.scores }} years={years} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="areas-title" className="rounded-lg bg-white p-6 shadow">
        <h2 id="areas-title" className="text-xl font-semibold">
          {t("trends.areas")}
        </h2>
        <div className="overflow-x-auto">
          <table className="mt-4 w-full text-left">
            <caption className="sr-only">{t("trends.areas")}</caption>
            <thead>
              <tr className="border-b border-gray-300">
                <th scope="col" className="px-3 py-2">{t("trends.area")}</th>
                {yearHeaders}
              </tr>
            </thead>
            <tbody>
              {trends.areas.map((a) => (
                <tr key={a.code} className="border-b border-gray-100">
                  <th scope="row" className="px-3 py-2 font-medium">
                    {a.code} {a.name}
                  </th>
                  {years.map((y) => (
                    <Cell key={y} value={a.scores[y]} />
                  ))}
                  <Change row={a} years={years} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="questions-title" className="rounded-lg bg-white p-6 shadow">
        <h2 id="questions-title" className="text-xl font-semibold">
          {t("trends.questions")}
        </h2>
        <p className="mt-1 text-gray-700">{t("trends.questionsIntro")}</p>
        <div className="overflow-x-auto">
          <table className="mt-4 w-full text-left">
            <caption className="sr-only">{t("trends.questions")}</caption>
            <thead>
              <tr className="border-b border-gray-300">
                <th scope="col" className="px-3 py-2">{t("trends.question")}</th>
                {yearHeaders}
              </tr>
            </thead>
            <tbody>
              {trends.questions.map((q) => {
                const changed = q.changedIn.length > 0;
                return (
                  <tr key={q.code} className="border-b border-gray-100 align-top">
                    <th scope="row" className="px-3 py-2 font-normal">
                      <span className="font-medium">{q.code}</span> {q.name}
                      {changed && (
                        <span className="mt-1 block text-sm text-amber-900">
                          {t("trends.notComparable", { years: q.changedIn.join(", ") })}
                        </span>
                      )}
                    </th>
                    {years.map((y) => (
                      <Cell key={y} value={q.scores[y]} />
                    ))}
                    {changed ? <td className="px-3 py-2 text-right">{t("trends.notComparableShort")}</td> : <Change row={q} years={years} />}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
