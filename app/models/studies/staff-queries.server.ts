import { and, asc, eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import * as s from "#db/schema";
import { getInquiry } from "~/models/insights/inquiries.server";
import { queryCompanyJoin, queryParticipationJoin, staffQueryColumns } from "./queries.server";

// What the staff query pages read besides listQueryQueue: the filter choices of a study's
// queue and one query with its company, raiser and correction. Staff read across tenants on
// the owner connection, as the other staff pages do.

/** The companies and classes of a study, for the queue's filter. */
export async function queueFilterOptions(db: Db, studyId: number) {
  const [companies, classes] = await Promise.all([
    db
      .select({ code: s.participants.code, name: s.participations.displayName })
      .from(s.participations)
      .innerJoin(s.participants, eq(s.participants.id, s.participations.tenantId))
      .where(eq(s.participations.studyId, studyId))
      .orderBy(asc(s.participations.displayName)),
    db.select({ code: s.classes.code, name: s.classes.name }).from(s.classes).where(eq(s.classes.studyId, studyId)).orderBy(asc(s.classes.name)),
  ]);
  return { companies, classes };
}

/** One query of a study with its company, raiser, answerer and correction batch; null if absent. */
export async function getStaffQuery(db: Db, studyId: number, id: string) {
  const raiser = s.users;
  const [row] = await db
    .select({
      ...staffQueryColumns,
      raisedByName: raiser.name,
      raisedByEmail: raiser.email,
      correctionLabel: s.importBatches.fileName,
      correctionAt: s.importBatches.createdAt,
    })
    .from(s.inquiryQueries)
    .innerJoin(s.participants, queryCompanyJoin)
    .innerJoin(s.participations, queryParticipationJoin)
    .leftJoin(raiser, eq(raiser.id, s.inquiryQueries.raisedBy))
    .leftJoin(s.importBatches, eq(s.importBatches.id, s.inquiryQueries.correctionBatchId))
    .where(and(eq(s.inquiryQueries.studyId, studyId), eq(s.inquiryQueries.id, id)));
  return row ?? null;
}

/** The inquiry a query is about, read as the company's inquiry page reads it. */
export function getQueryInquiry(db: Db, studyId: number, tenantId: string, ref: string) {
  return db.transaction((tx) => getInquiry({ tx, tenantId }, studyId, ref));
}
