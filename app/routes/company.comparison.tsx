import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { loadStudyPage } from "~/auth/study-page.server";
import { formatScore } from "~/domain/format";
import { can } from "~/domain/permissions";
import { useLocale, useT } from "~/i18n/i18n";
import { getComparison } from "~/models/insights/comparison.server";
import { TableBox, Td, Th, Tr } from "~/ui/data-table";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { GapCell } from "~/ui/gap-cell";
import { NO_TARGETS } from "~/domain/targets";
import { getYearFollowUp } from "~/models/insights/targets.server";
import { TargetCells, useTargetDetail } from "~/ui/targets";
import { CreatePlanLink } from "~/ui/create-plan-link";
import { NoStudy } from "~/ui/no-study";
import { Notice } from "~/ui/notice";
import { PageHeader } from "~/ui/page-header";
import { Section } from "~/ui/section";
import { StudyPageHeader } from "~/ui/study-page-header";
import { StudyPicker } from "~/ui/study-picker";
import { TooFewNote } from "~/ui/too-few";

export const meta: MetaFunction = () => [{ title: "Sammenligning – Innsikt" }];

export async function loader({ request }: LoaderFunctionArgs) {
  // Nothing of the class exists before publication: a study in review gets the page's "comes later" notice.
  const page = await loadStudyPage(
    request,
    async (scope, year) => {
      const [comparison, followUp] = await Promise.all([getComparison(scope, year), getYearFollowUp(scope, year)]);
      return comparison && { comparison, targets: followUp.targets };
    },
    undefined,
    { publishedOnly: true },
  );
  return {
    comparison: page.data?.comparison ?? null,
    targets: page.data?.targets ?? NO_TARGETS,
    studies: page.studies,
    study: page.study,
    companyName: page.companyName,
    mayPlan: can(page.role, "plans:write"),
  };
}

export default function ComparisonPage() {
  const { comparison: c, targets, studies, study, companyName, mayPlan } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const targetDetail = useTargetDetail();
  if (!c && study?.status === "review") {
    return (
      <div className="space-y-6">
        <StudyPageHeader eyebrow={companyName} title={`${t("comparison.title")} – ${study.name}`} study={study} actions={<StudyPicker studies={studies} year={study.year} />} />
        <Notice tone="info" live={false} title={t("review.notYet.title")}>
          {t("review.notYet.comparison", { name: study.name })}
        </Notice>
      </div>
    );
  }
  if (!c) {
    return <NoStudy title={t("comparison.title")} />;
  }
  const score = (v: number | null) => (v === null ? "–" : formatScore(v, locale));
  const areaName = new Map(c.areas.map((a) => [a.code, a.name]));
  const lifts = c.nextPlace && (c.nextPlace.singleArea.length > 0 ? c.nextPlace.singleArea : c.nextPlace.combined);
  // One row of the gap map: an area (bold, shaded) or one of its questions (indented).
  const areaTargets = Object.keys(targets.areas).length > 0;
  // A weak row (below the class mean) offers a plan aimed at it, to those who may make one.
  const gapRow = (key: string, header: ReactNode, x: { code: string; name: string; own: number | null; classMean: number | null; classBest: number | null }, area: boolean) => (
    <Tr key={key} className={area ? "bg-gray-50" : ""}>
      <Th scope="row" className={area ? "font-semibold" : "pl-8 !font-normal"}>
        {header}
      </Th>
      <Td numeric className={area ? "font-semibold" : ""}>
        {score(x.own)}
      </Td>
      <Td numeric>{score(x.classMean)}</Td>
      <GapCell own={x.own} reference={x.classMean} />
      <Td numeric>{score(x.classBest)}</Td>
      <GapCell own={x.own} reference={x.classBest} />
      {areaTargets && <TargetCells own={x.own} target={area ? targets.areas[key] : undefined} />}
      {mayPlan && (
        <Td>
          {x.own !== null && x.classMean !== null && x.own < x.classMean && (
            <CreatePlanLink metric={`${area ? "area" : "question"}:${x.code}`} name={`${x.code} ${x.name}`} />
          )}
        </Td>
      )}
    </Tr>
  );
  return (
    <div className="space-y-8">
      <PageHeader
        eyebrow={companyName}
        title={`${t("comparison.title")} – ${c.className} ${c.year}`}
        actions={<StudyPicker studies={studies} year={c.year} />}
      />
      {targets.total !== null && (
        <p className="text-gray-800">
          <span className="font-medium">{`${t("targets.total")} ${formatScore(c.totalScore, locale)}`}</span>
          {` – ${targetDetail(c.totalScore, targets.total)}`}
        </p>
      )}

      {!c.shown && <Notice tone="warning">{t("comparison.hidden", { count: c.participants })}</Notice>}

      {c.shown && (
        <Section id="ranking" title={t("comparison.ranking")} description={t("comparison.rankingIntro")} plain>
          <TableBox caption={t("comparison.ranking")} captionHidden className="max-w-xl">
            <thead>
              <tr>
                <Th numeric>{t("comparison.rank")}</Th>
                <Th>{t("comparison.participant")}</Th>
                <Th numeric>{t("comparison.totalScore")}</Th>
              </tr>
            </thead>
            <tbody>
              {c.ranking.map((r) => (
                <Tr key={`${r.rank}-${r.participantName}`} className={r.own ? "bg-blue-50 font-semibold" : ""} aria-current={r.own ? "true" : undefined}>
                  <Td numeric>{r.rank}</Td>
                  <Th scope="row" className={r.own ? "font-semibold" : "!font-normal"}>
                    {r.participantName}
                    {r.own && <span className="sr-only"> ({t("comparison.you")})</span>}
                  </Th>
                  <Td numeric>{formatScore(r.totalScore, locale)}</Td>
                </Tr>
              ))}
            </tbody>
          </TableBox>
        </Section>
      )}

      {c.nextPlace && (
        <Section
          id="lift"
          title={t("comparison.lift.title")}
          description={t("comparison.lift.intro", {
            rank: c.nextPlace.rank,
            name: c.nextPlace.participantName,
            score: formatScore(c.nextPlace.totalScore, locale),
            gap: formatScore(c.nextPlace.gap, locale),
          })}
        >
          {lifts ? (
            <ul className="list-disc space-y-1 pl-6">
              {lifts.map((l) => (
                <li key={l.areaCode}>
                  {t("comparison.lift.single", { area: `${l.areaCode} ${l.areaName}`, points: formatScore(l.points, locale), from: formatScore(l.from, locale), to: formatScore(l.to, locale) })}
                </li>
              ))}
            </ul>
          ) : (
            <p>{t("comparison.lift.impossible")}</p>
          )}
          <p className="mt-3 text-sm text-gray-700">{t("comparison.lift.method")}</p>
        </Section>
      )}

      <Section id="gap" title={t("comparison.gap.title")} description={t("comparison.gap.intro")} plain>
        <TableBox caption={t("comparison.gap.title")} captionHidden>
          <thead>
            <tr>
              <Th>{t("comparison.item")}</Th>
              <Th numeric>{companyName}</Th>
              <Th numeric>{t("comparison.classMean")}</Th>
              <Th numeric>{t("comparison.vsMean")}</Th>
              <Th numeric>{t("comparison.classBest")}</Th>
              <Th numeric>{t("comparison.vsBest")}</Th>
              {areaTargets && (
                <>
                  <Th numeric>{t("targets.col.target")}</Th>
                  <Th numeric>{t("targets.col.gap")}</Th>
                  <Th>{t("targets.col.status")}</Th>
                </>
              )}
              {mayPlan && <Th>{t("plans.gap.column")}</Th>}
            </tr>
          </thead>
          {c.areas.map((a) => (
            <tbody key={a.code} className="border-b-2 border-gray-200">
              {gapRow(a.code, `${a.code} ${a.name}`, a, true)}
              {c.questions
                .filter((q) => q.areaCode === a.code)
                .map((q) =>
                  gapRow(
                    q.code,
                    <>
                      <span className="font-medium">{q.code}</span> {q.name}
                      <span className="sr-only"> ({areaName.get(q.areaCode)})</span>
                    </>,
                    q,
                    false,
                  ),
                )}
            </tbody>
          ))}
        </TableBox>
        <p className="mt-3 text-sm text-gray-700">{t("comparison.gap.legend")}</p>
        <TooFewNote hidden={c.shown && [...c.areas, ...c.questions].some((x) => x.own !== null && x.classMean === null)} />
      </Section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
