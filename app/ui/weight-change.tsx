import { formatNumber, formatScore } from "~/domain/format";
import { useLocale, useT } from "~/i18n/i18n";
import { DataTable } from "./data-table";
import { Notice } from "./notice";
import { Section } from "./section";

// Honest comparisons across years (issue 18, point 6): where the area weights changed between
// two years, say so, and show the earlier year's total recomputed with the later year's weights
// beside the published one (the figures come from app/models/insights/weight-changes.server.ts).

export interface WeightChangeView {
  fromYear: number;
  toYear: number;
  areas: { code: string; name: string; from: number | null; to: number | null }[];
  published: number;
  recomputed: number | null;
}

export function WeightChanges({ changes }: { changes: WeightChangeView[] }) {
  const t = useT();
  const locale = useLocale();
  if (changes.length === 0) return null;
  const weight = (w: number | null) => (w === null ? "–" : formatNumber(w, locale, Number.isInteger(w) ? 0 : 2));
  return (
    <Section id="weights" title={t("weights.title")} description={t("weights.intro")}>
      <div className="space-y-6">
        {changes.map((c) => (
          <div key={`${c.fromYear}-${c.toYear}`} className="space-y-3">
            <Notice tone="warning" live={false} title={t("weights.changed", { from: c.fromYear, to: c.toYear })}>
              {c.recomputed === null ? (
                <p>{t("weights.areasChanged", { from: c.fromYear, to: c.toYear })}</p>
              ) : (
                <p>
                  {t("weights.recomputed", {
                    from: c.fromYear,
                    to: c.toYear,
                    published: formatScore(c.published, locale),
                    recomputed: formatScore(c.recomputed, locale),
                  })}
                </p>
              )}
            </Notice>
            <dl className="grid max-w-xl grid-cols-2 gap-3">
              <div className="rounded border border-gray-200 p-3">
                <dt className="text-sm text-gray-700">{t("weights.published", { year: c.fromYear })}</dt>
                <dd className="text-2xl font-semibold tabular-nums" data-testid={`weights-published-${c.fromYear}`}>
                  {formatScore(c.published, locale)}
                </dd>
              </div>
              <div className="rounded border border-gray-200 p-3">
                <dt className="text-sm text-gray-700">{t("weights.withLater", { year: c.fromYear, later: c.toYear })}</dt>
                <dd className="text-2xl font-semibold tabular-nums" data-testid={`weights-recomputed-${c.fromYear}`}>
                  {c.recomputed === null ? "–" : formatScore(c.recomputed, locale)}
                </dd>
              </div>
            </dl>
            <DataTable
              caption={t("weights.tableCaption", { from: c.fromYear, to: c.toYear })}
              rows={c.areas}
              rowKey={(a) => a.code}
              empty={null}
              columns={[
                { key: "area", header: t("trends.area"), rowHeader: true, cell: (a) => `${a.code} ${a.name}` },
                { key: "from", header: String(c.fromYear), numeric: true, cell: (a) => weight(a.from) },
                { key: "to", header: String(c.toYear), numeric: true, cell: (a) => weight(a.to) },
              ]}
            />
          </div>
        ))}
      </div>
    </Section>
  );
}
