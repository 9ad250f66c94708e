import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { notFound } from "~/auth/guards.server";
import { loadStudyPage } from "~/auth/study-page.server";
import { formatDateTime, formatDuration, formatScore } from "~/domain/format";
import { inquirySearch, parseInquiryQuery } from "~/domain/inquiry-query";
import { useLocale, useT } from "~/i18n/i18n";
import { findTenantStudy } from "~/models/insights/insights.server";
import { filterFromQuery, getInquiry, inquiryNeighbours } from "~/models/insights/inquiries.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { TextLink } from "~/ui/button";
import { TableBox, Td, Th, Tr } from "~/ui/data-table";
import { GapCell } from "~/ui/gap-cell";
import { Notice } from "~/ui/notice";
import { PageHeader } from "~/ui/page-header";
import { Card, Section } from "~/ui/section";
import { TooFewNote } from "~/ui/too-few";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.inquiry.ref ?? "Henvendelse"} – Innsikt` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const parsed = parseInquiryQuery(new URL(request.url).searchParams);
  const ref = String(params.ref ?? "");
  const valid = parsed.ok && ref.length > 0 && ref.length <= 100 ? parsed.query : null;
  const page = await loadStudyPage(
    request,
    async (scope, year) => {
      const study = valid && (await findTenantStudy(scope, year));
      if (!valid || !study) return null;
      const [inquiry, position] = await Promise.all([
        getInquiry(scope, study.studyId, ref),
        inquiryNeighbours(scope, study.studyId, filterFromQuery(valid), valid.sort, ref),
      ]);
      if (!inquiry) return null;
      return { inquiry, position, query: { ...valid, study: study.year, page: 1 }, className: study.className };
    },
    { year: valid?.study },
  );
  // Unlike the list, an inquiry page has no empty state: with no study there is no inquiry.
  if (!page.data) throw notFound();
  return page.data;
}

export default function InquiryPage() {
  const { inquiry: i, position, query } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const search = inquirySearch(query);
  const link = (ref: string) => `/company/inquiries/${encodeURIComponent(ref)}${search}`;
  const scoreOf = (v: number | null) => (v === null ? "–" : formatScore(v, locale));
  // Standalone links: a whole touch target, as in the Pager.
  const target = "inline-flex min-h-[2.5rem] items-center";
  const step = (ref: string | null, rel: "prev" | "next", label: string) =>
    ref ? (
      <TextLink to={link(ref)} rel={rel} className={target}>
        {label}
      </TextLink>
    ) : (
      <span className="text-gray-700">{label}</span>
    );
  const facts: [label: string, value: ReactNode][] = [
    [t("overview.bands.band"), t(`band.${i.band}`)],
    [t("trends.channel"), t(`channel.${i.channel}`)],
    [t("inquiries.when"), formatDateTime(new Date(i.contactedAt), locale)],
    [t("inquiry.attempts"), i.attempts],
    [
      i.channel === "email" ? t("inquiry.replyTime") : t("inquiry.waitTime"),
      i.waitSeconds === null ? (i.answered ? "–" : t("inquiries.unanswered")) : formatDuration(i.waitSeconds, locale),
    ],
    [t("inquiries.shopper"), `${t(`gender.${i.shopper.gender}`)}, ${t("variance.ageGroup", { group: i.shopper.ageGroup })}, ${i.shopper.region}`],
    [t("inquiry.agent"), i.agentName ?? "–"],
  ];
  const cx = i.questions.filter((q) => q.kind !== "points" && q.points !== null);
  return (
    <div className="space-y-6">
      <nav aria-label={t("inquiry.navigation")} className="flex flex-wrap items-center justify-between gap-3 text-sm">
        <TextLink to={`/company/inquiries${inquirySearch(query)}`} className={target}>
          {t("inquiry.backToList")}
        </TextLink>
        {position && (
          <span className="flex items-center gap-4">
            {step(position.prev, "prev", t("inquiry.previous"))}
            <span>{t("inquiry.position", { position: position.position, total: position.total })}</span>
            {step(position.next, "next", t("inquiry.next"))}
          </span>
        )}
      </nav>

      <PageHeader title={t("inquiry.title", { ref: i.ref })} intro={i.scenario} />

      <Card>
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-6">
          <div>
            <dt className="text-sm text-gray-700">{t("overview.totalScore")}</dt>
            <dd className="text-2xl font-semibold tabular-nums">{formatScore(i.totalScore, locale)}</dd>
          </div>
          {facts.map(([label, value]) => (
            <div key={label}>
              <dt className="text-sm text-gray-700">{label}</dt>
              <dd className="font-medium">{value}</dd>
            </div>
          ))}
        </dl>
      </Card>

      {!i.answered && (
        <Notice tone="warning" live={false}>
          {t("inquiry.unansweredNote")}
        </Notice>
      )}

      {i.answered && (
        <Section id="results" title={t("inquiry.results")} plain>
          <TableBox caption={t("inquiry.results")} captionHidden>
            <thead>
              <tr>
                <Th>{t("comparison.item")}</Th>
                <Th numeric>{t("inquiry.points")}</Th>
                <Th numeric>{t("inquiry.percent")}</Th>
                <Th numeric>{t("comparison.classMean")}</Th>
                <Th numeric>{t("comparison.vsMean")}</Th>
              </tr>
            </thead>
            {i.areas.map((a) => (
              <tbody key={a.code} className="border-b-2 border-gray-200">
                <Tr className="bg-gray-50">
                  <Th scope="row" className="font-semibold">
                    {a.code} {a.name}
                  </Th>
                  <Td />
                  <Td numeric className="font-semibold">
                    {scoreOf(a.score)}
                  </Td>
                  <Td colSpan={2} />
                </Tr>
                {i.questions
                  .filter((q) => q.areaCode === a.code && q.kind === "points")
                  .map((q) => {
                    const percent = q.points === null || !q.maxPoints ? null : (q.points / q.maxPoints) * 100;
                    return (
                      <Tr key={q.code}>
                        <Th scope="row" className="pl-8 !font-normal">
                          <span className="font-medium">{q.code}</span> {q.text}
                        </Th>
                        <Td numeric>{q.points === null ? t("inquiry.notApplicable") : t("inquiry.pointsOf", { points: q.points, max: q.maxPoints ?? 0 })}</Td>
                        <Td numeric>{scoreOf(percent)}</Td>
                        <Td numeric>{scoreOf(q.classMean)}</Td>
                        <GapCell own={percent} reference={q.classMean} />
                      </Tr>
                    );
                  })}
              </tbody>
            ))}
          </TableBox>
          <TooFewNote hidden={i.questions.some((q) => q.kind === "points" && q.points !== null && q.classMean === null)} />
        </Section>
      )}

      {cx.length > 0 && (
        <Section id="cx" title={t("overview.cx")}>
          <ul className="space-y-1">
            {cx.map((q) => (
              <li key={q.code}>
                {q.code} {q.text}: <strong>{q.points}</strong>
              </li>
            ))}
          </ul>
        </Section>
      )}

      <Section id="comment" title={t("inquiry.comment")}>
        <p className="whitespace-pre-wrap">{i.comment ?? t("inquiry.none")}</p>
      </Section>
      <Section id="transcript" title={t("inquiry.transcript")}>
        <pre className="max-h-[40rem] overflow-auto whitespace-pre-wrap font-sans">{i.transcript ?? t("inquiry.none")}</pre>
      </Section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
