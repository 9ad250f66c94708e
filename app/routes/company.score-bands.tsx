import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireTenantMember } from "~/auth/guards.server";
import { getDatabase, withTenant } from "#db/client.server";
import { formatPercent } from "~/domain/format";
import { BANDS } from "~/domain/types";
import { useLocale, useT } from "~/i18n/i18n";
import { bandShare, type BandCounts } from "~/domain/band-share";
import { getScoreBands } from "~/models/insights/score-bands.server";
import { TextLink } from "~/ui/button";
import { TableBox, Td, Th, Tr } from "~/ui/data-table";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { NoStudy } from "~/ui/no-study";
import { PageHeader } from "~/ui/page-header";
import { Section } from "~/ui/section";
import { TooFewNote } from "~/ui/too-few";

// The whole study's score bands per channel for each year, as the published results show them
// (scores 100, 80–99, 70–80, under 70; spec/scoring.md "Bands"), with the company's own shares
// beside them (issue 18, point 6). The study's figures follow the anonymity rule.

export const meta: MetaFunction = () => [{ title: "Poengfordeling – Innsikt" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requireTenantMember(request);
  const { db } = await getDatabase();
  return {
    years: await withTenant(db, member.tenantId, (scope) =>
      getScoreBands(scope)
    ),
    companyName: member.tenantName,
  };
}

export default function ScoreBandsPage() {
  const { years, companyName } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  if (years.length === 0) return <NoStudy title={t("bands.title")} />;
  const cell = (counts: BandCounts | null, band: (typeof BANDS)[number]) => {
    const share = bandShare(counts, band);
    return share === null ? "–" : formatPercent(share, locale);
  };
  return (
    <div className="space-y-8">
      <PageHeader
        eyebrow={companyName}
        back={<TextLink to="/company/trends">{t("trends.title")}</TextLink>}
        title={t("bands.title")}
        intro={<p className="max-w-3xl">{t("bands.intro")}</p>}
      />
      {[...years].reverse().map((y) => {
        const title = y.preliminary
          ? t("review.year", { year: y.year })
          : String(y.year);
        const hidden = !y.preliminary && y.rows.some((r) => r.study === null);
        return (
          <Section key={y.year} id={`bands-${y.year}`} title={title} plain>
            <TableBox
              caption={t("bands.caption", { year: title })}
              captionHidden
            >
              <thead>
                <tr>
                  <Th rowSpan={2} className="bg-gray-50">
                    {t("trends.channel")}
                  </Th>
                  {BANDS.map((band) => (
                    <Th
                      key={band}
                      colSpan={2}
                      scope="colgroup"
                      className="border-b border-gray-300 bg-gray-50 text-center font-semibold"
                    >
                      {t(`band.${band}`)}
                    </Th>
                  ))}
                </tr>
                <tr>
                  {BANDS.map((band) => [
                    <Th key={`${band}-study`} numeric>
                      {t("bands.study")}
                    </Th>,
                    <Th key={`${band}-own`} numeric>
                      {t("bands.own")}
                    </Th>,
                  ])}
                </tr>
              </thead>
              <tbody>
                {y.rows.map((row) => (
                  <Tr
                    key={row.channel ?? "all"}
                    className={row.channel === null ? "font-semibold" : ""}
                  >
                    <Th scope="row">
                      {row.channel
                        ? t(`channel.${row.channel}`)
                        : t("bands.allChannels")}
                    </Th>
                    {BANDS.map((band) => [
                      <Td key={`${band}-study`} numeric>
                        {cell(row.study, band)}
                      </Td>,
                      <Td key={`${band}-own`} numeric className="bg-blue-50">
                        {cell(row.own, band)}
                      </Td>,
                    ])}
                  </Tr>
                ))}
              </tbody>
            </TableBox>
            {y.preliminary && (
              <p className="mt-3 text-sm text-gray-700">
                {t("bands.studyLater")}
              </p>
            )}
            <TooFewNote hidden={hidden} />
          </Section>
        );
      })}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
