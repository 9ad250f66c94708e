import { desc, eq, sql } from "drizzle-orm";
import type { Db, Executor } from "#db/client.server";
import * as s from "#db/schema";
import { recordStaffAction } from "~/models/admin/audit.server";

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

export class StudyExistsError extends Error {
  constructor(public readonly year: number) {
    super(`A study for ${year} already exists.`);
  }
}

export { MAX_STUDY_YEAR, MIN_STUDY_YEAR } from "~/domain/types";

/** Creates an empty draft study; the year is unique. */
export async function createStudy(db: Db, input: { year: number; name?: string; userId: string | null }) {
  const name = input.name?.trim() || `Kundeserviceprisen ${input.year}`;
  return db.transaction(async (tx) => {
    const [study] = await tx
      .insert(s.studies)
      .values({ year: input.year, name })
      .onConflictDoNothing({ target: s.studies.year })
      .returning();
    if (!study) throw new StudyExistsError(input.year);
    await recordStaffAction(tx, { actorUserId: input.userId, action: "study.create", studyId: study.id, details: { year: input.year, name } });
    return study;
  });
}

export async function getStudyByYear(db: Db | Executor, year: number) {
  const [study] = await db.select().from(s.studies).where(eq(s.studies.year, year));
  return study ?? null;
}

// Readiness and publishing belong to the season's lifecycle (./season.server).
export { NotPublishableError, publishStudyAs, studyReadiness } from "./season.server";
