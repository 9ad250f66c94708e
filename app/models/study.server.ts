import { desc, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import * as s from "#db/schema";

/** Staff path: every study with its participant and inquiry counts. */
export async function listStudiesWithCounts(db: Db) {
  return db
    .select({
      id: s.studies.id,
      year: s.studies.year,
      name: s.studies.name,
      status: s.studies.status,
      publishedAt: s.studies.publishedAt,
      participants: sql<number>`(select count(*)::int from participations p where p.study_id = ${s.studies.id})`,
      inquiries: sql<number>`(select coalesce(sum(p.inquiry_count), 0)::int from participations p where p.study_id = ${s.studies.id})`,
    })
    .from(s.studies)
    .orderBy(desc(s.studies.year));
}
