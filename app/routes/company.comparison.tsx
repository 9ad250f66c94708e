import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { loadStudyPage } from "~/auth/study-page.server";
import { formatScore } from "~/domain/format";
import { useLocale, useT } from "~/i18n/i18n";
import { getComparison } from "~/models/insights/comparison.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { NoStudy } from "~/ui/no-study";
import { StudyPicker } from "~/ui/study-picker";
import { GapCell } from "~/ui/gap-cell";
import { TooFewNote } from "~/ui/too-few";

export const meta: MetaFunction = () => [{ title: "Sammenligning – Innsikt" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const page = await loadStudyPage(request, getComparison);
  return { comparison: page.data, studies: page.studies, companyName: page.companyName };
}

export default function ComparisonPage() {
  const { comparison: c, studies, companyName } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  if (!c) {
    return <NoStudy title={t("comparison.title")} />;
  }
  const score = (v: number | null) => (v === null ? "–" : formatScore(v, locale));
  const areaName = new Map(c.areas.map((a) => [a.code, a.name]));
  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <p className="text-sm font-medium text-gray-700">{companyName}</p>
          <h1 className="text-3xl font-semibold">
            {t("comparison.title")} – {c.className} {c.year}
          </h1>
        </div>
        <StudyPicker studies={studies} year={c.year} />
      </div>

      {!c.shown && (
        <p role="status" className="rounded border border-amber-400 bg-amber-50 p-4 text-amber-950">
          {t("comparison.hidden", { count: c.participants })}
        </p>
      )}

      {c.shown && (
        <section aria-labelledby="ranking-title" className="rounded-lg bg-white p-6 shadow">
          <h2 id="ranking-title" className="text-xl font-semibold">
            {t("comparison.ranking")}
          </h2>
          <p className="mt-1 text-gray-700">{t("comparison.rankingIntro")}</p>
          <table className="mt-4 w-full max-w-xl text-left">
            <caption className="sr-only">{t("comparison.ranking")}</caption>
            <thead>
              <tr className="border-b border-gray-300">
                <th scope="col" className="px-3 py-2 text-right">{t("comparison.rank")}</th>
                <th scope="col" className="px-3 py-2">{t("comparison.participant")}</th>
                <th scope="col" className="px-3 py-2 text-right">{t("comparison.totalScore")}</th>
              </tr>
            </thead>
            <tbody>
              {c.ranking.map((r) => (
                <tr key={`${r.rank}-${r.participantName}`} className={`border-b border-gray-100 ${r.own ? "bg-blue-50 font-semibold" : ""}`} aria-current={r.own ? "true" : undefined}>
                  <td className="px-3 py-2 text-right tabular-nums">{r.rank}</td>
                  <th scope="row" className="px-3 py-2 font-inherit">
                    {r.participantName}
                    {r.own && <span className="sr-only"> ({t("comparison.you")})</span>}
                  </th>
                  <td className="px-3 py-2 text-right tabular-nums">{formatScore(r.totalScore, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      {c.nextPlace && (
        <section aria-labelledby="lift-title" className="rounded-lg bg-white p-6 shadow">
          <h2 id="lift-title" className="text-xl font-semibold">
            {t("comparison.lift.title")}
          </h2>
          <p className="mt-1 max-w-3xl text-gray-700">
            {t("comparison.lift.intro", {
              rank: c.nextPlace.rank,
              name: c.nextPlace.participantName,
              score: formatScore(c.nextPlace.totalScore, locale),
              gap: formatScore(c.nextPlace.gap, locale),
            })}
          </p>
          {c.nextPlace.singleArea.length > 0 ? (
            <ul className="mt-4 list-disc space-y-1 pl-6">
              {c.nextPlace.singleArea.map((l) => (
                <li key={l.areaCode}>
                  {t("comparison.lift.single", { area: `${l.areaCode} ${l.areaName}`, points: formatScore(l.points, locale), from: formatScore(l.from, locale), to: formatScore(l.to, locale) })}
                </li>
              ))}
            </ul>
          ) : c.nextPlace.combined ? (
            <ul className="mt-4 list-disc space-y-1 pl-6">
              {c.nextPlace.combined.map((l) => (
                <li key={l.areaCode}>
                  {t("comparison.lift.single", { area: `${l.areaCode} ${l.areaName}`, points: formatScore(l.points, locale), from: formatScore(l.from, locale), to: formatScore(l.to, locale) })}
                </li>
              ))}
            </ul>
          ) : (
            <p className="mt-4">{t("comparison.lift.impossible")}</p>
          )}
          <p className="mt-3 text-sm text-gray-700">{t("comparison.lift.method")}</p>
        </section>
      )}

      <section aria-labelledby="gap-title" className="rounded-lg bg-white p-6 shadow">
        <h2 id="gap-title" className="text-xl font-semibold">
          {t("comparison.gap.title")}
        </h2>
        <p className="mt-1 max-w-3xl text-gray-700">{t("comparison.gap.intro")}</p>
        <div className="overflow-x-auto">
          <table className="mt-4 w-full text-left">
            <caption className="sr-only">{t("comparison.gap.title")}</caption>
            <thead>
              <tr className="border-b border-gray-300">
                <th scope="col" className="px-3 py-2">{t("comparison.item")}</th>
                <th scope="col" className="px-3 py-2 text-right">{companyName}</th>
                <th scope="col" className="px-3 py-2 text-right">{t("comparison.classMean")}</th>
                <th scope="col" className="px-3 py-2 text-right">{t("comparison.vsMean")}</th>
                <th scope="col" className="px-3 py-2 text-right">{t("comparison.classBest")}</th>
                <th scope="col" className="px-3 py-2 text-right">{t("comparison.vsBest")}</th>
              </tr>
            </thead>
            {c.areas.map((a) => (
              <tbody key={a.code} className="border-b-2 border-gray-200">
                <tr className="bg-gray-50">
                  <th scope="row" className="px-3 py-2 font-semibold">
                    {a.code} {a.name}
                  </th>
                  <td className="px-3 py-2 text-right font-semibold tabular-nums">{score(a.own)}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{score(a.classMean)}</td>
                  <GapCell own={a.own} reference={a.classMean} />
                  <td className="px-3 py-2 text-right tabular-nums">{score(a.classBest)}</td>
                  <GapCell own={a.own} reference={a.classBest} />
                </tr>
                {c.questions
                  .filter((q) => q.areaCode === a.code)
                  .map((q) => (
                    <tr key={q.code} className="border-t border-gray-100">
                      <th scope="row" className="px-3 py-2 pl-8 font-normal">
                        <span className="font-medium">{q.code}</span> {q.name}
                        <span className="sr-only"> ({areaName.get(q.areaCode)})</span>
                      </th>
                      <td className="px-3 py-2 text-right tabular-nums">{score(q.own)}</td>
                      <td className="px-3 py-2 text-right tabular-nums">{score(q.classMean)}</td>
                      <GapCell own={q.own} reference={q.classMean} />
                      <td className="px-3 py-2 text-right tabular-nums">{score(q.classBest)}</td>
                      <GapCell own={q.own} reference={q.classBest} />
                    </tr>
                  ))}
              </tbody>
            ))}
          </table>
        </div>
        <p className="mt-3 text-sm text-gray-700">{t("comparison.gap.legend")}</p>
        <TooFewNote hidden={c.shown && [...c.areas, ...c.questions].some((x) => x.own !== null && x.classMean === null)} />
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
