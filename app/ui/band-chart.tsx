import { BarChart } from "./charts";
import { formatPercent, type Locale } from "~/domain/format";
import { BANDS, type Band } from "~/domain/types";
import { useLocale, useT } from "~/i18n/i18n";
import { ChartLegend } from "./chart-legend";
import { DataTable } from "./data-table";
import { Card, Section } from "./section";
import { TooFewNote } from "./too-few";

export interface BandComparison {
  own: Record<Band, number>;
  /** The whole study's counts; null when fewer than 3 companies took part. */
  reference: Record<Band, number> | null;
  /** The class's counts; absent when the class is hidden by the anonymity rule. */
  classBands?: Record<Band, number> | null;
  /** a study in review: there are no class or study figures yet, so nothing is "hidden" */
  preliminary?: boolean;
}

const share = (counts: Record<Band, number>, band: Band) => {
  const total = BANDS.reduce((sum, b) => sum + counts[b], 0);
  return total ? counts[band] / total : 0;
};

/**
 * Own band shares against the whole study's: a Tremor chart for the eye and,
 * with the same numbers, a table for everyone (the chart's text alternative).
 */
export function BandChart({ own, reference, classBands, preliminary = false }: BandComparison) {
  const t = useT();
  const locale: Locale = useLocale();
  const ownLabel = t("overview.series.own");
  const refLabel = t("overview.series.study");
  const classLabel = t("overview.series.class");
  const rows = BANDS.map((band) => ({
    band: t(`band.${band}`),
    [ownLabel]: Math.round(share(own, band) * 1000) / 10,
    ...(classBands ? { [classLabel]: Math.round(share(classBands, band) * 1000) / 10 } : {}),
    ...(reference ? { [refLabel]: Math.round(share(reference, band) * 1000) / 10 } : {}),
  }));
  const categories = [ownLabel, ...(classBands ? [classLabel] : []), ...(reference ? [refLabel] : [])];
  const colors = ["blue", ...(classBands ? ["amber"] : []), ...(reference ? ["slate"] : [])];
  return (
    <Section id="bands" title={t("overview.bands.title")} description={t("overview.bands.intro")} plain>
      <Card>
        <figure aria-label={t("overview.bands.chartLabel")}>
          <div>
            <BarChart
              className="h-64"
              data={rows}
              index="band"
              categories={categories}
              colors={colors}
              valueFormatter={(v: number) => formatPercent(v / 100, locale)}
              yAxisWidth={56}
              showLegend={false}
            />
          </div>
          <ChartLegend
            items={[
              { label: ownLabel, swatch: "bg-blue-500" },
              ...(classBands ? [{ label: classLabel, swatch: "bg-amber-500" }] : []),
              ...(reference ? [{ label: refLabel, swatch: "bg-slate-500" }] : []),
            ]}
          />
        </figure>
      </Card>
      <DataTable
        caption={t("overview.bands.title")}
        captionHidden
        className="mt-4"
        rows={BANDS}
        rowKey={(band) => band}
        empty={null}
        columns={[
          { key: "band", header: t("overview.bands.band"), rowHeader: true, cell: (band) => t(`band.${band}`) },
          { key: "count", header: t("overview.bands.ownCount"), numeric: true, cell: (band) => own[band] },
          { key: "own", header: t("overview.bands.ownShare"), numeric: true, cell: (band) => formatPercent(share(own, band), locale) },
          classBands && { key: "class", header: t("overview.bands.classShare"), numeric: true, cell: (band) => formatPercent(share(classBands, band), locale) },
          reference && { key: "study", header: t("overview.bands.studyShare"), numeric: true, cell: (band) => formatPercent(share(reference, band), locale) },
        ]}
      />
      <TooFewNote hidden={!reference && !preliminary} />
    </Section>
  );
}
