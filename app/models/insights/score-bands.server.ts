// The score bands across years (issue 18, point 6): per study year the company took part in, the
// whole study's band counts per channel (benchmark_channel, frozen at publication; each figure
// only where at least MIN_CONTRIBUTORS companies contributed) beside the company's own counts
// from its stored inquiry bands. Bands are spec/scoring.md's (the stored band of each inquiry).

import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { TenantScope } from "#db/client.server";
import * as s from "#db/schema";
import type { BandCounts } from "~/domain/band-share";
import { CHANNELS, type Channel } from "~/domain/types";
import { MIN_CONTRIBUTORS } from "~/models/studies/publish.server";
import { VISIBLE_STATUSES } from "./insights.server";

export type { BandCounts };

export interface BandRow {
  /** null: every channel together */
  channel: Channel | null;
  own: BandCounts | null;
  /** the whole study's; null when hidden (fewer than 3 companies) or not published yet */
  study: BandCounts | null;
}

export interface BandYear {
  year: number;
  /** in review: the whole study's figures come at publication */
  preliminary: boolean;
  rows: BandRow[];
}

const zero = (): BandCounts => ({ perfect: 0, high: 0, mid: 0, low: 0 });

type StoredBands = { participants: number; bandPerfect: number | null; bandHigh: number | null; bandMid: number | null; bandLow: number | null };
function shown(row: StoredBands | undefined): BandCounts | null {
  if (!row || row.participants < MIN_CONTRIBUTORS || row.bandPerfect === null || row.bandHigh === null || row.bandMid === null || row.bandLow === null) return null;
  return { perfect: row.bandPerfect, high: row.bandHigh, mid: row.bandMid, low: row.bandLow };
}

export async function getScoreBands({ tx, tenantId }: TenantScope): Promise<BandYear[]> {
  const years = await tx
    .select({ studyId: s.studies.id, year: s.studies.year, status: s.studies.status })
    .from(s.participations)
    .innerJoin(s.studies, eq(s.studies.id, s.participations.studyId))
    .where(and(eq(s.participations.tenantId, tenantId), inArray(s.studies.status, VISIBLE_STATUSES)))
    .orderBy(asc(s.studies.year));
  if (years.length === 0) return [];
  const studyIds = years.map((y) => y.studyId);
  const bandColumns = { participants: sql<number>`participants`, bandPerfect: sql<number | null>`band_perfect`, bandHigh: sql<number | null>`band_high`, bandMid: sql<number | null>`band_mid`, bandLow: sql<number | null>`band_low` };
  const [own, studyRows, channelRows] = await Promise.all([
    tx
      .select({ studyId: s.inquiries.studyId, channel: s.inquiries.channel, band: s.inquiries.band, n: sql<number>`count(*)::int` })
      .from(s.inquiries)
      .where(and(eq(s.inquiries.tenantId, tenantId), inArray(s.inquiries.studyId, studyIds)))
      .groupBy(s.inquiries.studyId, s.inquiries.channel, s.inquiries.band),
    tx.select({ studyId: s.benchmarkStudy.studyId, ...bandColumns }).from(s.benchmarkStudy).where(inArray(s.benchmarkStudy.studyId, studyIds)),
    tx.select({ studyId: s.benchmarkChannel.studyId, channel: s.benchmarkChannel.channel, ...bandColumns }).from(s.benchmarkChannel).where(inArray(s.benchmarkChannel.studyId, studyIds)),
  ]);
  return years.map(({ studyId, year, status }) => {
    const published = status === "published";
    const ownOf = (channel: Channel | null) => {
      const rows = own.filter((r) => r.studyId === studyId && (channel === null || r.channel === channel));
      if (rows.length === 0) return null;
      const counts = zero();
      for (const r of rows) counts[r.band] += r.n;
      return counts;
    };
    const channels = CHANNELS.filter((c) => own.some((r) => r.studyId === studyId && r.channel === c) || channelRows.some((r) => r.studyId === studyId && r.channel === c));
    const rows: BandRow[] = [
      ...channels.map((channel) => ({
        channel,
        own: ownOf(channel),
        study: published ? shown(channelRows.find((r) => r.studyId === studyId && r.channel === channel)) : null,
      })),
      { channel: null, own: ownOf(null), study: published ? shown(studyRows.find((r) => r.studyId === studyId)) : null },
    ];
    return { year, preliminary: status === "review", rows };
  });
}
