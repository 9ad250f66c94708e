import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireTenantMember } from "~/auth/guards.server";
import { loadStudyPage } from "~/auth/study-page.server";
import { formatNumber, formatPercent, formatScore } from "~/domain/format";
import { useLocale, useT } from "~/i18n/i18n";
import { can } from "~/domain/permissions";
import { getOverviewPage } from "~/models/insights/overview.server";
import { getYearFollowUp } from "~/models/insights/targets.server";
import { NO_TARGETS } from "~/domain/targets";
import type { Channel } from "~/domain/types";
import { GoalSharesTable, useTargetColumns, useTargetDetail } from "~/ui/targets";
import { countOverduePlans } from "~/models/plans/plans.server";
import { companyPause, companyPauseOf } from "~/models/studies/pauses.server";
import { BandChart } from "~/ui/band-chart";
import { CompanyReportsPanel } from "~/ui/company-reports";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { NoStudy } from "~/ui/no-study";
import { TableSection, type Column } from "~/ui/data-table";
import { gapColumn } from "~/ui/gap-cell";
import { Kpi, KpiGrid } from "~/ui/kpi";
import { Notice } from "~/ui/notice";
import { PausedYearNotice } from "~/ui/paused-year";
import { Section } from "~/ui/section";
import { awardLabel } from "~/exports/awards/labels";
import { TextLink } from "~/ui/button";
import { CreatePlanLink } from "~/ui/create-plan-link";
import { StudyPageHeader } from "~/ui/study-page-header";
import { StudyPicker } from "~/ui/study-picker";
import { TooFewNote } from "~/ui/too-few";

export const meta: MetaFunction = () => [{ title: "Oversikt – Innsikt" }];

export async function loader({ request }: LoaderFunctionArgs) {
  // One read for the whole page (figures, extras, areas and CX) once the study is chosen.
  // The pause of the newest year (spec/season.md) is read beside the page's own figures.
  const page = await loadStudyPage(request, async (scope, year) => {
    const [data, paused, followUp, overduePlans] = await Promise.all([getOverviewPage(scope, year), companyPause(scope), getYearFollowUp(scope, year), countOverduePlans(scope)]);
    return data && { ...data, paused, followUp, overduePlans };
  });
  // No study to show at all: the company may have sat out its only year.
  const paused = page.data ? page.data.paused : await companyPauseOf((await requireTenantMember(request)).tenantId);
  return {
    ...(page.data ?? { overview: null, extras: null, areas: [], cx: null, awards: [], followUp: null, overduePlans: 0 }),
    study: page.study,
    paused,
    mayPlan: can(page.role, "plans:write"),
  };
}

export default function CompanyOverview() {
  const { overview, extras, areas, cx, awards, study, paused, followUp, overduePlans, mayPlan } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const targets = followUp?.targets ?? NO_TARGETS;
  const channelTargets = useTargetColumns<{ channel: Channel; score: number }>((c) => c.score, (c) => targets.channels[c.channel]);
  const areaTargets = useTargetColumns<{ code: string; score: number | null }>((a) => a.score, (a) => targets.areas[a.code]);
  const targetDetail = useTargetDetail();
  // In review (spec/season.md) the company's own figures are preliminary and nothing of the class is shown.
  const preliminary = study?.status === "review";
  if (!overview) {
    return (
      <div className="space-y-8">
        <PausedYearNotice pause={paused} shownYear={null} />
        <NoStudy title={t("overview.noStudy")} />
      </div>
    );
  }
  const klass = overview.class;
  const score = (v: number | null) => (v === null ? "–" : formatScore(v, locale));
  // Channels and areas are read against the class the same way.
  const againstClass = <Row extends { classMean: number | null; classBest: number | null }>(own: (row: Row) => number | null): Column<Row>[] => [
    { key: "own", header: t("overview.series.own"), numeric: true, cell: (row) => score(own(row)) },
    ...(preliminary
      ? []
      : [
          { key: "mean", header: t("overview.classMean"), numeric: true, cell: (row: Row) => score(row.classMean) },
          gapColumn<Row>("gap", t("comparison.vsMean"), own, (row) => row.classMean),
          { key: "best", header: t("overview.classBest"), numeric: true, cell: (row: Row) => score(row.classBest) },
        ]),
  ];
  return (
    <div className="space-y-8">
      <StudyPageHeader
        eyebrow={overview.participantName}
        title={`${t("overview.title")}: ${overview.study.name}`}
        study={study}
        intro={t("overview.class", { name: klass.name })}
        actions={<StudyPicker studies={overview.studies} year={overview.study.year} />}
      />
      {overduePlans > 0 && (
        <Notice tone="warning" title={t("plans.overview.overdue", { count: overduePlans })}>
          <TextLink to="/company/plans?overdue=1">{t("plans.overview.link")}</TextLink>
        </Notice>
      )}
      {awards.length > 0 && (
        <Notice tone="success" live={false} title={t("awardPages.own")}>
          <ul className="list-inside list-disc">
            {awards.map((award) => {
              const label = awardLabel({ kind: award.kind, className: award.className, channel: award.channel }, locale);
              return <li key={label}>{`${label} – ${t("awardPages.score", { score: formatScore(award.score, locale) })}`}</li>;
            })}
          </ul>
          <p className="mt-2">
            <TextLink to={`/company/awards?study=${overview.study.year}`}>{t("awardPages.overviewLink")}</TextLink>
          </p>
        </Notice>
      )}
      <PausedYearNotice pause={paused} shownYear={overview.study.year} />
      {study?.status === "published" && <CompanyReportsPanel year={overview.study.year} />}
      <KpiGrid columns={preliminary ? 2 : 5}>
        <Kpi label={t("overview.totalScore")} value={formatScore(overview.totalScore, locale)} detail={targetDetail(overview.totalScore, targets.total)} />
        {!preliminary && (
          <>
            <Kpi label={t("overview.rank")} value={klass.rank !== null ? t("overview.rankOf", { rank: klass.rank, n: klass.participants }) : "–"} />
            <Kpi label={t("overview.classMean")} value={score(klass.mean)} />
            <Kpi label={t("overview.classBest")} value={score(klass.best)} />
          </>
        )}
        <Kpi
          label={t("overview.answerRate")}
          value={formatPercent(overview.answerRate, locale)}
          detail={t("overview.answeredOf", { answered: overview.answered, count: overview.inquiries })}
        />
      </KpiGrid>
      {!klass.shown && !preliminary && (
        <Notice tone="info" live={false}>
          {t("overview.classHidden")}
        </Notice>
      )}
      {extras && (
        <KpiGrid columns={2}>
          <Kpi
            label={t("overview.ifAllAnswered")}
            value={score(extras.ifAllAnswered)}
            detail={t("overview.ifAllAnswered.help", { actual: formatScore(overview.totalScore, locale) })}
          />
          <Kpi
            label={t("overview.interval")}
            value={extras.interval ? `${formatScore(extras.interval.low, locale)}–${formatScore(extras.interval.high, locale)}` : "–"}
            detail={t("overview.interval.help")}
          />
        </KpiGrid>
      )}
      <BandChart own={overview.bands} reference={overview.wholeStudy?.bands ?? null} classBands={extras?.classBands} preliminary={preliminary} />
      {extras && (
        <TableSection
          id="channels"
          title={t("overview.channels")}
          rows={extras.channels}
          rowKey={(c) => c.channel}
          empty={t("inquiry.none")}
          columns={[
            { key: "channel", header: t("trends.channel"), rowHeader: true, cell: (c) => t(`channel.${c.channel}`) },
            { key: "inquiries", header: t("trends.inquiries"), numeric: true, cell: (c) => c.inquiries },
            ...againstClass<(typeof extras.channels)[number]>((c) => c.score),
            ...(Object.keys(targets.channels).length > 0 ? channelTargets : []),
          ]}
        >
          <TooFewNote hidden={!preliminary && extras.channels.some((c) => c.classMean === null)} />
        </TableSection>
      )}
      {areas.length > 0 && (
        <TableSection
          id="areas"
          title={t("overview.areas")}
          rows={areas}
          rowKey={(a) => a.code}
          empty={null}
          columns={[
            { key: "area", header: t("trends.area"), rowHeader: true, cell: (a) => `${a.code} ${a.name}` },
            ...againstClass<(typeof areas)[number]>((a) => a.score),
            ...(Object.keys(targets.areas).length > 0 ? areaTargets : []),
            // A weak area (below the class mean) offers a plan aimed at it.
            mayPlan &&
              !preliminary && {
                key: "plan",
                header: t("plans.gap.column"),
                cell: (a: (typeof areas)[number]) =>
                  a.score !== null && a.classMean !== null && a.score < a.classMean && <CreatePlanLink metric={`area:${a.code}`} name={`${a.code} ${a.name}`} />,
              },
          ]}
        >
          <TooFewNote hidden={!preliminary && areas.some((a) => a.score !== null && a.classMean === null)} />
        </TableSection>
      )}
      {followUp && followUp.shares.length > 0 && (
        <Section id="response-goals" title={t("goals.title", { year: overview.study.year })} plain>
          <GoalSharesTable shares={followUp.shares} year={overview.study.year} preliminary={preliminary} />
        </Section>
      )}
      {cx && (cx.nps !== null || cx.csat !== null || cx.ces !== null) && (
        <Section id="cx" title={t("overview.cx")} description={t("overview.cx.help")} plain>
          <KpiGrid columns={3}>
            {cx.nps !== null && <Kpi label="NPS" value={formatNumber(cx.nps, locale)} detail={t("overview.cx.nps")} />}
            {cx.csat !== null && <Kpi label="CSAT" value={formatPercent(cx.csat / 100, locale)} detail={t("overview.cx.csat")} />}
            {cx.ces !== null && <Kpi label="CES" value={formatNumber(cx.ces, locale, 1)} detail={t("overview.cx.ces")} />}
          </KpiGrid>
        </Section>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
