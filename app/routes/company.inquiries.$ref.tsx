import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { notFound, requireTenantMember } from "~/auth/guards.server";
import { getDatabase, withTenant } from "#db/client.server";
import { formatDateTime, formatDuration, formatScore } from "~/domain/format";
import { inquirySearch, parseInquiryQuery } from "~/domain/inquiry-query";
import { useLocale, useT } from "~/i18n/i18n";
import { findTenantStudy } from "~/models/insights/insights.server";
import { filterFromQuery, getInquiry, inquiryNeighbours } from "~/models/insights/inquiries.server";
import { listPublishedStudies } from "~/models/insights/overview.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { GapCell } from "~/ui/gap-cell";
import { TooFewNote } from "~/ui/too-few";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.inquiry.ref ?? "Henvendelse"} – Innsikt` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireTenantMember(request);
  const parsed = parseInquiryQuery(new URL(request.url).searchParams);
  const ref = String(params.ref ?? "");
  if (!parsed.ok || ref.length === 0 || ref.length > 100) throw notFound();
  const { db } = await getDatabase();
  return withTenant(db, member.tenantId, async (scope) => {
    const year = parsed.query.study ?? (await listPublishedStudies(scope))[0]?.year;
    const study = year === undefined ? null : await findTenantStudy(scope, year);
    if (!study) throw notFound();
    const [inquiry, position] = await Promise.all([
      getInquiry(scope, study.studyId, ref),
      inquiryNeighbours(scope, study.studyId, filterFromQuery(parsed.query), parsed.query.sort, ref),
    ]);
    if (!inquiry) throw notFound();
    return { inquiry, position, query: { ...parsed.query, study: study.year, page: 1 }, className: study.className };
  });
}

export default function InquiryPage() {
  const { inquiry: i, position, query } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const search = inquirySearch(query);
  const link = (ref: string) => `/company/inquiries/${encodeURIComponent(ref)}${search}`;
  const scoreOf = (v: number | null) => (v === null ? "–" : formatScore(v, locale));
  return (
    <div className="space-y-6">
      <nav aria-label={t("inquiry.navigation")} className="flex flex-wrap items-center justify-between gap-3 text-sm">
        <Link to={`/company/inquiries${inquirySearch(query)}`} className="text-blue-700 underline">
          {t("inquiry.backToList")}
        </Link>
        {position && (
          <span className="flex items-center gap-4">
            {position.prev ? (
              <Link to={link(position.prev)} rel="prev" className="text-blue-700 underline">
                {t("inquiry.previous")}
              </Link>
            ) : (
              <span className="text-gray-700">{t("inquiry.previous")}</span>
            )}
            <span>{t("inquiry.position", { position: position.position, total: position.total })}</span>
            {position.next ? (
              <Link to={link(position.next)} rel="next" className="text-blue-700 underline">
                {t("inquiry.next")}
              </Link>
            ) : (
              <span className="text-gray-700">{t("inquiry.next")}</span>
            )}
          </span>
        )}
      </nav>

      <div>
        <h1 className="text-3xl font-semibold">
          {t("inquiry.title", { ref: i.ref })}
        </h1>
        <p className="mt-1 text-gray-700">{i.scenario}</p>
      </div>

      <dl className="grid gap-4 rounded-lg bg-white p-5 shadow sm:grid-cols-3 lg:grid-cols-6">
        <div>
          <dt className="text-sm text-gray-700">{t("overview.totalScore")}</dt>
          <dd className="text-2xl font-semibold tabular-nums">{formatScore(i.totalScore, locale)}</dd>
        </div>
        <div>
          <dt className="text-sm text-gray-700">{t("overview.bands.band")}</dt>
          <dd className="font-medium">{t(`band.${i.band}`)}</dd>
        </div>
        <div>
          <dt className="text-sm text-gray-700">{t("trends.channel")}</dt>
          <dd className="font-medium">{t(`channel.${i.channel}`)}</dd>
        </div>
        <div>
          <dt className="text-sm text-gray-700">{t("inquiries.when")}</dt>
          <dd className="font-medium">{formatDateTime(new Date(i.contactedAt), locale)}</dd>
        </div>
        <div>
          <dt className="text-sm text-gray-700">{t("inquiry.attempts")}</dt>
          <dd className="font-medium">{i.attempts}</dd>
        </div>
        <div>
          <dt className="text-sm text-gray-700">{i.channel === "email" ? t("inquiry.replyTime") : t("inquiry.waitTime")}</dt>
          <dd className="font-medium">{i.waitSeconds === null ? (i.answered ? "–" : t("inquiries.unanswered")) : formatDuration(i.waitSeconds, locale)}</dd>
        </div>
        <div>
          <dt className="text-sm text-gray-700">{t("inquiries.shopper")}</dt>
          <dd className="font-medium">
            {t(`gender.${i.shopper.gender}`)}, {t("variance.ageGroup", { group: i.shopper.ageGroup })}, {i.shopper.region}
          </dd>
        </div>
        <div>
          <dt className="text-sm text-gray-700">{t("inquiry.agent")}</dt>
          <dd className="font-medium">{i.agentName ?? "–"}</dd>
        </div>
      </dl>

      {!i.answered && (
        <p role="note" className="rounded border border-amber-400 bg-amber-50 p-4 text-amber-950">
          {t("inquiry.unansweredNote")}
        </p>
      )}

      {i.answered && (
        <section aria-labelledby="results-title" className="rounded-lg bg-white p-6 shadow">
          <h2 id="results-title" className="text-xl font-semibold">
            {t("inquiry.results")}
          </h2>
          <div className="overflow-x-auto">
            <table className="mt-4 w-full text-left text-sm">
              <caption className="sr-only">{t("inquiry.results")}</caption>
              <thead>
                <tr className="border-b border-gray-300">
                  <th scope="col" className="px-3 py-2">{t("comparison.item")}</th>
                  <th scope="col" className="px-3 py-2 text-right">{t("inquiry.points")}</th>
                  <th scope="col" className="px-3 py-2 text-right">{t("inquiry.percent")}</th>
                  <th scope="col" className="px-3 py-2 text-right">{t("comparison.classMean")}</th>
                  <th scope="col" className="px-3 py-2 text-right">{t("comparison.vsMean")}</th>
                </tr>
              </thead>
              {i.areas.map((a) => (
                <tbody key={a.code} className="border-b-2 border-gray-200">
                  <tr className="bg-gray-50">
                    <th scope="row" className="px-3 py-2 font-semibold">
                      {a.code} {a.name}
                    </th>
                    <td className="px-3 py-2" />
                    <td className="px-3 py-2 text-right font-semibold tabular-nums">{scoreOf(a.score)}</td>
                    <td className="px-3 py-2" colSpan={2} />
                  </tr>
                  {i.questions
                    .filter((q) => q.areaCode === a.code && q.kind === "points")
                    .map((q) => {
                      const percent = q.points === null || !q.maxPoints ? null : (q.points / q.maxPoints) * 100;
                      return (
                        <tr key={q.code} className="border-t border-gray-100">
                          <th scope="row" className="px-3 py-2 pl-8 font-normal">
                            <span className="font-medium">{q.code}</span> {q.text}
                          </th>
                          <td className="px-3 py-2 text-right tabular-nums">
                            {q.points === null ? t("inquiry.notApplicable") : t("inquiry.pointsOf", { points: q.points, max: q.maxPoints ?? 0 })}
                          </td>
                          <td className="px-3 py-2 text-right tabular-nums">{scoreOf(percent)}</td>
                          <td className="px-3 py-2 text-right tabular-nums">{scoreOf(q.classMean)}</td>
                          <GapCell own={percent} reference={q.classMean} />
                        </tr>
                      );
                    })}
                </tbody>
              ))}
            </table>
          </div>
          <TooFewNote hidden={i.questions.some((q) => q.kind === "points" && q.points !== null && q.classMean === null)} />
          {i.questions.some((q) => q.kind !== "points" && q.points !== null) && (
            <div className="mt-6">
              <h3 className="font-semibold">{t("overview.cx")}</h3>
              <ul className="mt-2 space-y-1">
                {i.questions
                  .filter((q) => q.kind !== "points" && q.points !== null)
                  .map((q) => (
                    <li key={q.code}>
                      {q.code} {q.text}: <strong>{q.points}</strong>
                    </li>
                  ))}
              </ul>
            </div>
          )}
        </section>
      )}

      <section aria-labelledby="comment-title" className="rounded-lg bg-white p-6 shadow">
        <h2 id="comment-title" className="text-xl font-semibold">
          {t("inquiry.comment")}
        </h2>
        <p className="mt-2 whitespace-pre-wrap">{i.comment ?? t("inquiry.none")}</p>
      </section>
      <section aria-labelledby="transcript-title" className="rounded-lg bg-white p-6 shadow">
        <h2 id="transcript-title" className="text-xl font-semibold">
          {t("inquiry.transcript")}
        </h2>
        <pre className="mt-2 max-h-[40rem] overflow-auto whitespace-pre-wrap font-sans">{i.transcript ?? t("inquiry.none")}</pre>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
