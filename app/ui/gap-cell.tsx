import type { ReactNode } from "react";
import { formatScore, formatSignedGap } from "~/domain/format";
import { roundHalfAwayFromZero } from "~/domain/scoring";
import { useLocale, useT } from "~/i18n/i18n";
import { Td, type Column } from "./data-table";

/** Gap classes: colour is never the only carrier, the signed number is always written out. */
export function gapClass(gap: number): string {
  if (gap >= 5) return "bg-green-200 text-green-950";
  if (gap >= 0) return "bg-green-50 text-green-900";
  if (gap > -5) return "bg-amber-100 text-amber-950";
  if (gap > -10) return "bg-orange-200 text-orange-950";
  return "bg-red-200 text-red-950";
}

const cellClass = (own: number | null, reference: number | null) => (own === null || reference === null ? "text-gray-700" : gapClass(own - reference));

/** The signed gap, read out as "x above/below"; "–" when either side is missing. */
function Gap({ own, reference }: { own: number | null; reference: number | null }) {
  const locale = useLocale();
  const t = useT();
  if (own === null || reference === null) return "–";
  const gap = own - reference;
  return (
    <>
      <span aria-hidden="true">{formatSignedGap(gap, locale)}</span>
      <span className="sr-only">{t(gap >= 0 ? "comparison.gapAbove" : "comparison.gapBelow", { value: formatScore(Math.abs(roundHalfAwayFromZero(gap, 1)), locale) })}</span>
    </>
  );
}

export function GapCell({ own, reference }: { own: number | null; reference: number | null }) {
  return (
    <Td numeric className={cellClass(own, reference)}>
      <Gap own={own} reference={reference} />
    </Td>
  );
}

/** A DataTable column of gaps, each cell coloured by its size. */
export function gapColumn<Row>(key: string, header: ReactNode, own: (row: Row) => number | null, reference: (row: Row) => number | null): Column<Row> {
  return {
    key,
    header,
    numeric: true,
    cell: (row) => <Gap own={own(row)} reference={reference(row)} />,
    cellClassName: (row) => cellClass(own(row), reference(row)),
  };
}
