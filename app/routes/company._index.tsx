import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { notFound, requireTenantMember } from "~/auth/guards.server";
import { getDatabase, withTenant } from "#db/client.server";
import { formatNumber, formatPercent, formatScore } from "~/domain/format";
import { useLocale, useT } from "~/i18n/i18n";
import { getOverviewPage, listPublishedStudies } from "~/models/insights/overview.server";
import { BandChart } from "~/ui/band-chart";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { NoStudy } from "~/ui/no-study";
import { GapCell } from "~/ui/gap-cell";
import { Kpi } from "~/ui/kpi";
import { StudyPicker } from "~/ui/study-picker";
import { TooFewNote } from "~/ui/too-few";

export const meta: MetaFunction = () => [{ title: "Oversikt – Innsikt" }];

const QuerySchema = z.object({ study: z.coerce.number().int().min(1900).max(2999).optional() });

export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requireTenantMember(request);
  const query = QuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw notFound();
  const { db } = await getDatabase();
  return withTenant(db, member.tenantId, async (scope) => {
    const page = await getOverviewPage(scope, query.data.study);
    if (page) return { ...page, empty: false as const };
    // A named study the company did not take part in (or that is unpublished) is 404.
    if (query.data.study !== undefined || (await listPublishedStudies(scope)).length > 0) throw notFound();
    return { overview: null, extras: null, areas: [], cx: null, empty: true as const };
  });
}

export default function CompanyOverview() {
  const { overview, extras, areas, cx } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  if (!overview) {
    return <NoStudy title={t("overview.noStudy")} />;
  }
  const klass = overview.class;
  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <p className="text-sm font-medium text-gray-700">{overview.participantName}</p>
          <h1 className="text-3xl font-semibold">
            {t("overview.title")}: {overview.study.name}
          </h1>
          <p className="mt-1 text-gray-700">{t("overview.class", { name: klass.name })}</p>
        </div>
        <StudyPicker studies={overview.studies} year={overview.study.year} />
      </div>
      <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5">
        <Kpi label={t("overview.totalScore")} value={formatScore(overview.totalScore, locale)} />
        <Kpi
          label={t("overview.rank")}
          value={klass.rank !== null ? t("overview.rankOf", { rank: klass.rank, n: klass.participants }) : "–"}
        />
        <Kpi label={t("overview.classMean")} value={klass.mean !== null ? formatScore(klass.mean, locale) : "–"} />
        <Kpi label={t("overview.classBest")} value={klass.best !== null ? formatScore(klass.best, locale) : "–"} />
        <Kpi
          label={t("overview.answerRate")}
          value={formatPercent(overview.answerRate, locale)}
          detail={t("overview.answeredOf", { answered: overview.answered, count: overview.inquiries })}
        />
      </dl>
      {!klass.shown && (
        <p role="note" className="rounded border border-gray-300 bg-white p-4 text-gray-800">
          {t("overview.classHidden")}
        </p>
      )}
      {extras && (
        <dl className="grid gap-4 sm:grid-cols-2">
          <Kpi
            label={t("overview.ifAllAnswered")}
            value={extras.ifAllAnswered === null ? "–" : formatScore(extras.ifAllAnswered, locale)}
            detail={t("overview.ifAllAnswered.help", { actual: formatScore(overview.totalScore, locale) })}
          />
          <Kpi
            label={t("overview.interval")}
            value={extras.interval ? `${formatScore(extras.interval.low, locale)}–${formatScore(extras.interval.high, locale)}` : "–"}
            detail={t("overview.interval.help")}
          />
        </dl>
      )}
      <BandChart own={overview.bands} reference={overview.wholeStudy.bands} classBands={extras?.classBands} />
      {extras && (
        <section aria-labelledby="channels-title" className="rounded-lg bg-white p-6 shadow">
          <h2 id="channels-title" className="text-xl font-semibold">
            {t("overview.channels")}
          </h2>
          <div className="overflow-x-auto">
            <table className="mt-4 w-full text-left">
              <caption className="sr-only">{t("overview.channels")}</caption>
              <thead>
                <tr className="border-b border-gray-300">
                  <th scope="col" className="px-3 py-2">{t("trends.channel")}</th>
                  <th scope="col" className="px-3 py-2 text-right">{t("trends.inquiries")}</th>
                  <th scope="col" className="px-3 py-2 text-right">{t("overview.series.own")}</th>
                  <th scope="col" className="px-3 py-2 text-right">{t("overview.classMean")}</th>
                  <th scope="col" className="px-3 py-2 text-right">{t("comparison.vsMean")}</th>
                  <th scope="col" className="px-3 py-2 text-right">{t("overview.classBest")}</th>
                </tr>
              </thead>
              <tbody>
                {extras.channels.map((c) => (
                  <tr key={c.channel} className="border-b border-gray-100">
                    <th scope="row" className="px-3 py-2 font-medium">{t(`channel.${c.channel}`)}</th>
                    <td className="px-3 py-2 text-right tabular-nums">{c.inquiries}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{formatScore(c.score, locale)}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{c.classMean === null ? "–" : formatScore(c.classMean, locale)}</td>
                    <GapCell own={c.score} reference={c.classMean} />
                    <td className="px-3 py-2 text-right tabular-nums">{c.classBest === null ? "–" : formatScore(c.classBest, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <TooFewNote hidden={extras.channels.some((c) => c.classMean === null)} />
        </section>
      )}
      {areas.length > 0 && (
        <section aria-labelledby="areas-title" className="rounded-lg bg-white p-6 shadow">
          <h2 id="areas-title" className="text-xl font-semibold">
            {t("overview.areas")}
          </h2>
          <div className="overflow-x-auto">
            <table className="mt-4 w-full text-left">
              <caption className="sr-only">{t("overview.areas")}</caption>
              <thead>
                <tr className="border-b border-gray-300">
                  <th scope="col" className="px-3 py-2">{t("trends.area")}</th>
                  <th scope="col" className="px-3 py-2 text-right">{t("overview.series.own")}</th>
                  <th scope="col" className="px-3 py-2 text-right">{t("overview.classMean")}</th>
                  <th scope="col" className="px-3 py-2 text-right">{t("comparison.vsMean")}</th>
                  <th scope="col" className="px-3 py-2 text-right">{t("overview.classBest")}</th>
                </tr>
              </thead>
              <tbody>
                {areas.map((a) => (
                  <tr key={a.code} className="border-b border-gray-100">
                    <th scope="row" className="px-3 py-2 font-medium">
                      {a.code} {a.name}
                    </th>
                    <td className="px-3 py-2 text-right tabular-nums">{a.score === null ? "–" : formatScore(a.score, locale)}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{a.classMean === null ? "–" : formatScore(a.classMean, locale)}</td>
                    <GapCell own={a.score} reference={a.classMean} />
                    <td className="px-3 py-2 text-right tabular-nums">{a.classBest === null ? "–" : formatScore(a.classBest, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <TooFewNote hidden={areas.some((a) => a.score !== null && a.classMean === null)} />
        </section>
      )}
      {cx && (cx.nps !== null || cx.csat !== null || cx.ces !== null) && (
        <section aria-labelledby="cx-title">
          <h2 id="cx-title" className="text-xl font-semibold">
            {t("overview.cx")}
          </h2>
          <p className="mt-1 text-gray-700">{t("overview.cx.help")}</p>
          <dl className="mt-4 grid gap-4 sm:grid-cols-3">
            {cx.nps !== null && <Kpi label="NPS" value={formatNumber(cx.nps, locale)} detail={t("overview.cx.nps")} />}
            {cx.csat !== null && <Kpi label="CSAT" value={formatPercent(cx.csat / 100, locale)} detail={t("overview.cx.csat")} />}
            {cx.ces !== null && <Kpi label="CES" value={formatNumber(cx.ces, locale, 1)} detail={t("overview.cx.ces")} />}
          </dl>
        </section>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
