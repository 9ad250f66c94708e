import { and, eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import * as s from "#db/schema";
import { freezeAwards } from "./awards.server";

/**
 * Awards for the studies published before awards were frozen at publication (migration 0014):
 * each published study without any award row gets them from its frozen figures, once. A
 * published study with participants always has an overall winner, so "no rows" means "never
 * frozen". Run at start-up after the migrations; two processes starting together lock the
 * study row and re-check, so each study is filled once. Returns the years filled.
 */
export async function freezeMissingAwards(db: Db): Promise<number[]> {
  const missing = await db
    .select({ id: s.studies.id, year: s.studies.year })
    .from(s.studies)
    .where(and(eq(s.studies.status, "published"), sql`not exists (select 1 from ${s.studyAwards} a where a.study_id = ${s.studies.id})`));
  const filled: number[] = [];
  for (const study of missing) {
    const done = await db.transaction(async (tx) => {
      await tx.select({ id: s.studies.id }).from(s.studies).where(eq(s.studies.id, study.id)).for("update");
      const [already] = await tx.select({ id: s.studyAwards.id }).from(s.studyAwards).where(eq(s.studyAwards.studyId, study.id)).limit(1);
      if (already) return false;
      await freezeAwards(tx, study.id);
      return true;
    });
    if (done) filled.push(study.year);
  }
  return filled;
}
