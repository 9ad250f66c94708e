import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { loadStudyPage } from "~/auth/study-page.server";
import { formatScore } from "~/domain/format";
import { awardLabel } from "~/exports/awards/labels";
import { useLocale, useT } from "~/i18n/i18n";
import { getCompanyAwards } from "~/models/insights/awards-view.server";
import { CHANNELS } from "~/domain/types";
import { ButtonLink } from "~/ui/button";
import { ChannelWinners } from "~/ui/channel-winners";
import { DataTable } from "~/ui/data-table";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { NoStudy } from "~/ui/no-study";
import { Notice } from "~/ui/notice";
import { PageHeader } from "~/ui/page-header";
import { StudyPageHeader } from "~/ui/study-page-header";
import { Card, Section } from "~/ui/section";
import { StudyPicker } from "~/ui/study-picker";

// The year's awards (issue 16, spec/season.md) as a company sees them once the study is
// published: its own awards with the diploma and badge to download, and every winner of the year.
// In review the page says the awards come with publication; nothing of them exists before.

export const meta: MetaFunction = () => [{ title: "Priser – Innsikt" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const page = await loadStudyPage(request, getCompanyAwards, undefined, { publishedOnly: true });
  return { awards: page.data, studies: page.studies, study: page.study, companyName: page.companyName };
}

export default function AwardsPage() {
  const { awards: a, studies, study, companyName } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  if (!a && study?.status === "review") {
    return (
      <div className="space-y-6">
        <StudyPageHeader eyebrow={companyName} title={t("awardPages.title", { year: study.year })} study={study} actions={<StudyPicker studies={studies} year={study.year} />} />
        <Notice tone="info" live={false} title={t("awardPages.notYet.title")}>
          {t("awardPages.notYet.body", { name: study.name })}
        </Notice>
      </div>
    );
  }
  if (!a) return <NoStudy title={t("nav.awards")} />;
  const score = (v: number) => formatScore(v, locale);
  const names = (winners: { participantName: string }[]) => winners.map((w) => w.participantName).join(", ");
  const download = (key: string, format: string, lang: string) => `/company/awards/download?study=${a.year}&award=${encodeURIComponent(key)}&format=${format}&lang=${lang}`;
  return (
    <div className="space-y-8">
      <PageHeader
        eyebrow={companyName}
        title={t("awardPages.title", { year: a.year })}
        intro={t("awardPages.intro", { year: a.year })}
        actions={<StudyPicker studies={studies} year={a.year} />}
      />

      <Section id="own" title={t("awardPages.own")} plain>
        {a.own.length === 0 ? (
          <Notice tone="info" live={false}>
            {t("awardPages.ownNone", { company: companyName, year: a.year })}
          </Notice>
        ) : (
          <ul className="grid gap-4 md:grid-cols-2">
            {a.own.map(({ key, certificate }) => {
              const label = awardLabel(certificate, locale);
              return (
                <li key={key}>
                  <Card className="flex h-full flex-col gap-4 sm:flex-row">
                    <img src={download(key, "svg", locale)} alt={t("awardPages.badgeAlt", { label })} width={128} height={128} className="h-32 w-32 shrink-0" />
                    <div className="min-w-0">
                      <h3 className="text-lg font-semibold">{label}</h3>
                      <p className="text-gray-700">{t("awardPages.score", { score: score(certificate.score) })}</p>
                      <p className="mt-3 text-sm font-medium">{t("awardPages.files")}</p>
                      <div className="mt-2 flex flex-wrap gap-2">
                        <ButtonLink to={download(key, "pdf", "nb")} reloadDocument tone="secondary" small>
                          {t("awardPages.diplomaNb")}
                        </ButtonLink>
                        <ButtonLink to={download(key, "pdf", "en")} reloadDocument tone="secondary" small>
                          {t("awardPages.diplomaEn")}
                        </ButtonLink>
                        <ButtonLink to={download(key, "svg", locale)} reloadDocument tone="secondary" small>
                          {t("awardPages.badgeSvg")}
                        </ButtonLink>
                        <ButtonLink to={download(key, "png", locale)} reloadDocument tone="secondary" small>
                          {t("awardPages.badgePng")}
                        </ButtonLink>
                      </div>
                    </div>
                  </Card>
                </li>
              );
            })}
          </ul>
        )}
      </Section>

      <Section id="overall" title={t("awardPages.overall")} plain>
        <Card>
          <p className="text-xl font-semibold">{names(a.awards.overall.winners) || "–"}</p>
          {a.awards.overall.winners[0] && <p className="text-gray-700">{t("awardPages.score", { score: score(a.awards.overall.winners[0].score) })}</p>}
        </Card>
      </Section>

      <Section id="classes" title={t("awardPages.classes")} description={t("awardPages.classesIntro")} plain>
        <DataTable
          caption={t("awardPages.classes")}
          captionHidden
          rows={a.awards.classes}
          rowKey={(c) => c.classCode}
          empty={null}
          columns={[
            { key: "class", header: t("awardPages.class"), rowHeader: true, cell: (c) => c.className },
            { key: "winner", header: t("awardPages.winner"), cell: (c) => names(c.winners) },
            { key: "score", header: t("awards.col.totalScore"), numeric: true, cell: (c) => score(c.winners[0]!.score) },
          ]}
        />
      </Section>

      <ChannelWinners channels={CHANNELS.map((channel) => ({ channel, winners: a.awards.channels.find((c) => c.channel === channel)?.winners ?? [] }))} />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
