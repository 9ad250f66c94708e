import { formatScore, formatSignedGap } from "~/domain/format";
import { roundHalfAwayFromZero } from "~/domain/scoring";
import { useLocale, useT } from "~/i18n/i18n";

/** Gap classes: colour is never the only carrier, the signed number is always written out. */
export function gapClass(gap: number): string {
  if (gap >= 5) return "bg-green-200 text-green-950";
  if (gap >= 0) return "bg-green-50 text-green-900";
  if (gap > -5) return "bg-amber-100 text-amber-950";
  if (gap > -10) return "bg-orange-200 text-orange-950";
  return "bg-red-200 text-red-950";
}

export function GapCell({ own, reference }: { own: number | null; reference: number | null }) {
  const locale = useLocale();
  const t = useT();
  if (own === null || reference === null) return <td className="px-3 py-2 text-right text-gray-700">–</td>;
  const gap = own - reference;
  return (
    <td className={`px-3 py-2 text-right tabular-nums ${gapClass(gap)}`}>
      <span aria-hidden="true">{formatSignedGap(gap, locale)}</span>
      <span className="sr-only">{t(gap >= 0 ? "comparison.gapAbove" : "comparison.gapBelow", { value: formatScore(Math.abs(roundHalfAwayFromZero(gap, 1)), locale) })}</span>
    </td>
  );
}
