import { desc, eq, sql } from "drizzle-orm";
import type { Db, Executor } from "#db/client.server";
import * as s from "#db/schema";
import { recordStaffAction } from "~/models/admin/audit.server";
import { publishStudyIn } from "./publish.server";

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

/** What a study holds and whether it can be published; read by the console and the CLI. */
export async function studyReadiness(db: Db | Executor, studyId: number) {
  const [row] = await db
    .select({
      questions: sql<number>`(select count(*)::int from questions q where q.study_id = ${studyId})`,
      participants: sql<number>`(select count(*)::int from participations p where p.study_id = ${studyId})`,
      inquiries: sql<number>`(select count(*)::int from inquiries i where i.study_id = ${studyId})`,
      lastImportAt: sql<Date | null>`(select max(created_at) from import_batches b where b.study_id = ${studyId})`,
    })
    .from(s.studies)
    .where(eq(s.studies.id, studyId));
  const counts = row ?? { questions: 0, participants: 0, inquiries: 0, lastImportAt: null };
  const lastImportAt = counts.lastImportAt ? new Date(counts.lastImportAt) : null;
  return { ...counts, lastImportAt, publishable: counts.questions > 0 && counts.participants > 0 && counts.inquiries > 0 };
}

export class NotPublishableError extends Error {}

/** Publishes (or re-publishes) a study, recorded in the audit trail. */
export async function publishStudyAs(db: Db, studyId: number, userId: string | null): Promise<void> {
  const readiness = await studyReadiness(db, studyId);
  if (!readiness.publishable) {
    throw new NotPublishableError("The study needs a questionnaire, participants and results before it can be published.");
  }
  await db.transaction(async (tx) => {
    await tx.select({ id: s.studies.id }).from(s.studies).where(eq(s.studies.id, studyId)).for("update");
    await publishStudyIn(tx, studyId);
    await recordStaffAction(tx, { actorUserId: userId, action: "study.publish", studyId, details: { inquiries: readiness.inquiries } });
  });
}
