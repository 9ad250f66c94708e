import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireStaffStudy } from "~/auth/staff-study.server";
import { formatScore } from "~/domain/format";
import { MIN_RANKED_PARTICIPANTS } from "~/exports/awards/types";
import { useLocale, useT } from "~/i18n/i18n";
import { getResultsList } from "~/models/insights/awards-view.server";
import { ButtonLink, TextLink } from "~/ui/button";
import { ChannelWinners } from "~/ui/channel-winners";
import { DataTable } from "~/ui/data-table";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { Notice } from "~/ui/notice";
import { PageHeader } from "~/ui/page-header";
import { Section } from "~/ui/section";

// The public results list of a published year (issue 16), as staff hand it to the press: class
// by class the published ranking, then the best on each channel and the overall winner; and the
// same as XLSX, CSV and a printable PDF. Nothing before publication.

export const meta: MetaFunction = () => [{ title: "Resultatliste – Innsikt" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, study } = await requireStaffStudy(request, params);
  return { study: { year: study.year, name: study.name }, list: await getResultsList(db, study.year) };
}

export default function ResultsListPage() {
  const { study, list } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const score = (v: number) => formatScore(v, locale);
  const names = (winners: { participantName: string }[]) => winners.map((w) => w.participantName).join(", ");
  return (
    <div className="space-y-8">
      <PageHeader
        title={t("results.title", { year: study.year })}
        intro={<p className="max-w-3xl">{t("results.intro")}</p>}
        back={<TextLink to={`/staff/studies/${study.year}`}>{study.name}</TextLink>}
        actions={
          list && (
            <div className="flex flex-wrap items-center gap-2" role="group" aria-label={t("results.download")}>
              {(["pdf", "xlsx", "csv"] as const).map((format) => (
                <ButtonLink key={format} to={`/staff/studies/${study.year}/results/download?format=${format}&lang=${locale}`} reloadDocument tone="secondary" small>
                  {`${t("results.download")} ${format.toUpperCase()}`}
                </ButtonLink>
              ))}
            </div>
          )
        }
      />
      {!list ? (
        <Notice tone="info" live={false}>
          {t("results.notPublished")}
        </Notice>
      ) : (
        <>
          <Section id="overall" title={t("awardPages.overall")} plain>
            <p className="text-lg font-semibold">
              {names(list.overall.winners) || "–"}
              {list.overall.winners[0] && <span className="ml-2 font-normal text-gray-700">{t("awardPages.score", { score: score(list.overall.winners[0].score) })}</span>}
            </p>
          </Section>
          <ChannelWinners channels={list.channels} />
          {list.classes.map((c) => {
            const ranked = c.participants >= MIN_RANKED_PARTICIPANTS;
            const rows = ranked ? c.rows : [...c.rows].sort((x, y) => x.participantName.localeCompare(y.participantName, "nb"));
            return (
              <Section key={c.classCode} id={`class-${c.classCode}`} title={t("awards.results.classHeading", { class: c.className })} description={ranked ? undefined : t("awards.results.smallClass")} plain>
                <DataTable
                  caption={c.className}
                  captionHidden
                  rows={rows}
                  rowKey={(r) => r.participantName}
                  empty={null}
                  columns={[
                    { key: "rank", header: t("awards.col.rank"), numeric: true, cell: (r) => (ranked ? r.rank : "–") },
                    { key: "company", header: t("awards.col.company"), rowHeader: true, cell: (r) => r.participantName },
                    { key: "score", header: t("awards.col.totalScore"), numeric: true, cell: (r) => (ranked ? score(r.totalScore) : "–") },
                  ]}
                />
              </Section>
            );
          })}
        </>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
