import { BarChart } from "./charts";
import { formatPercent, type Locale } from "~/domain/format";
import { BANDS, type Band } from "~/domain/types";
import { useLocale, useT } from "~/i18n/i18n";
import { TooFewNote } from "./too-few";

export interface BandComparison {
  own: Record<Band, number>;
  /** The whole study's counts; null when fewer than 3 companies took part. */
  reference: Record<Band, number> | null;
  /** The class's counts; absent when the class is hidden by the anonymity rule. */
  classBands?: Record<Band, number> | null;
}

const share = (counts: Record<Band, number>, band: Band) => {
  const total = BANDS.reduce((sum, b) => sum + counts[b], 0);
  return total ? counts[band] / total : 0;
};

/**
 * Own band shares against the whole study's: a Tremor chart for the eye and,
 * with the same numbers, a table for everyone (the chart's text alternative).
 */
export function BandChart({ own, reference, classBands }: BandComparison) {
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
    <section aria-labelledby="bands-title" className="rounded-lg bg-white p-6 shadow">
      <h2 id="bands-title" className="text-xl font-semibold">
        {t("overview.bands.title")}
      </h2>
      <p className="mt-1 text-gray-700">{t("overview.bands.intro")}</p>
      <figure className="mt-4" aria-label={t("overview.bands.chartLabel")}>
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
        {/* Our own legend: Tremor 3's legend nests list items wrongly (axe "list"). */}
        <figcaption className="mt-2 flex gap-6 text-sm text-gray-700">
          <span className="inline-flex items-center gap-2">
            <span aria-hidden="true" className="inline-block h-3 w-3 rounded-sm bg-blue-500" />
            {ownLabel}
          </span>
          {classBands && (
            <span className="inline-flex items-center gap-2">
              <span aria-hidden="true" className="inline-block h-3 w-3 rounded-sm bg-amber-500" />
              {classLabel}
            </span>
          )}
          {reference && (
            <span className="inline-flex items-center gap-2">
              <span aria-hidden="true" className="inline-block h-3 w-3 rounded-sm bg-slate-500" />
              {refLabel}
            </span>
          )}
        </figcaption>
      </figure>
      <table className="mt-6 w-full text-left">
        <caption className="sr-only">{t("overview.bands.title")}</caption>
        <thead>
          <tr className="border-b border-gray-300">
            <th scope="col" className="py-2 pr-4">
              {t("overview.bands.band")}
            </th>
            <th scope="col" className="py-2 pr-4 text-right">
              {t("overview.bands.ownCount")}
            </th>
            <th scope="col" className="py-2 pr-4 text-right">
              {t("overview.bands.ownShare")}
            </th>
            {classBands && (
              <th scope="col" className="py-2 pr-4 text-right">
                {t("overview.bands.classShare")}
              </th>
            )}
            {reference && (
              <th scope="col" className="py-2 text-right">
                {t("overview.bands.studyShare")}
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {BANDS.map((band) => (
            <tr key={band} className="border-b border-gray-100">
              <th scope="row" className="py-2 pr-4 font-normal">
                {t(`band.${band}`)}
              </th>
              <td className="py-2 pr-4 text-right tabular-nums">{own[band]}</td>
              <td className="py-2 pr-4 text-right tabular-nums">{formatPercent(share(own, band), locale)}</td>
              {classBands && <td className="py-2 pr-4 text-right tabular-nums">{formatPercent(share(classBands, band), locale)}</td>}
              {reference && <td className="py-2 text-right tabular-nums">{formatPercent(share(reference, band), locale)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
      <TooFewNote hidden={!reference} />
    </section>
  );
}
