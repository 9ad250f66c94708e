import { BANDS, type Band } from "./types";

export type BandCounts = Record<Band, number>;

/** A band's share of all the counted inquiries (0..1); null for no counts or no inquiries. */
export function bandShare(counts: BandCounts | null, band: Band): number | null {
  if (!counts) return null;
  const total = BANDS.reduce((sum, b) => sum + counts[b], 0);
  return total === 0 ? null : counts[band] / total;
}
