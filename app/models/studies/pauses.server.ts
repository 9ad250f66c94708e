import { and, asc, eq, gt, sql } from "drizzle-orm";
import { getDatabase, resultRows, withTenant, type Db, type Executor, type TenantScope } from "#db/client.server";
import * as s from "#db/schema";
import { recordStaffAction } from "~/models/admin/audit.server";
import { markStudyReportsStale, sendReportJobs } from "~/models/reports/company-reports.server";
import { computeAwards, freezeAwards, frozenAwards } from "./awards.server";

// Pauses (spec/season.md): staff mark a class (by its code) or a company as sitting a year
// out, with a reason; it then takes no part in that year's awards. A pause set or lifted on a
// published study recomputes its frozen awards in the same transaction, and queues the company
// reports that show them to be built again.

export const PAUSE_REASON_MAX = 500;

export class PauseError extends Error {
  constructor(
    public readonly code: "no-participant" | "no-class" | "reason" | "exists" | "not-found",
    message: string,
  ) {
    super(message);
  }
}

export type PauseSubject = { classCode: string } | { participantCode: string };

export interface StudyPause {
  id: number;
  classCode: string | null;
  participantId: string | null;
  participantCode: string | null;
  participantName: string | null;
  reason: string;
  createdAt: Date;
  createdByName: string | null;
}

/** The pauses of a study, classes first, for the staff pages. */
export async function listPauses(db: Db, studyId: number): Promise<StudyPause[]> {
  return db
    .select({
      id: s.studyPauses.id,
      classCode: s.studyPauses.classCode,
      participantId: s.studyPauses.participantId,
      participantCode: s.participants.code,
      participantName: s.participants.name,
      reason: s.studyPauses.reason,
      createdAt: s.studyPauses.createdAt,
      createdByName: s.users.name,
    })
    .from(s.studyPauses)
    .leftJoin(s.participants, eq(s.participants.id, s.studyPauses.participantId))
    .leftJoin(s.users, eq(s.users.id, s.studyPauses.createdBy))
    .where(eq(s.studyPauses.studyId, studyId))
    .orderBy(sql`${s.studyPauses.classCode} is null`, asc(s.studyPauses.classCode), asc(s.participants.name));
}

/** Marks a class or a company paused for the study's year. */
export async function pauseInStudy(db: Db, input: { studyId: number; subject: PauseSubject; reason: string; userId: string | null }): Promise<StudyPause> {
  const reason = input.reason.trim();
  if (reason.length < 1 || reason.length > PAUSE_REASON_MAX) throw new PauseError("reason", `The reason must be 1–${PAUSE_REASON_MAX} characters.`);
  const { id, reportsStale } = await db.transaction(async (tx) => {
    const [study] = await tx.select().from(s.studies).where(eq(s.studies.id, input.studyId)).for("update");
    if (!study) throw new Error(`No study ${input.studyId}.`);
    let classCode: string | null = null;
    let participantId: string | null = null;
    if ("classCode" in input.subject) {
      classCode = input.subject.classCode.trim();
      // A paused class may have no class row this year, but its code is one of some year.
      const [known] = await tx.select({ id: s.classes.id }).from(s.classes).where(eq(s.classes.code, classCode)).limit(1);
      if (!known) throw new PauseError("no-class", `No study has a class with the code ${classCode}.`);
    } else {
      const [participant] = await tx.select({ id: s.participants.id }).from(s.participants).where(eq(s.participants.code, input.subject.participantCode.trim()));
      if (!participant) throw new PauseError("no-participant", `No company with the code ${input.subject.participantCode}.`);
      participantId = participant.id;
    }
    const existing = await tx
      .select({ id: s.studyPauses.id })
      .from(s.studyPauses)
      .where(
        and(
          eq(s.studyPauses.studyId, study.id),
          classCode === null ? eq(s.studyPauses.participantId, participantId!) : eq(s.studyPauses.classCode, classCode),
        ),
      );
    if (existing.length > 0) throw new PauseError("exists", "That class or company is already paused this year.");
    const [row] = await tx.insert(s.studyPauses).values({ studyId: study.id, classCode, participantId, reason, createdBy: input.userId }).returning({ id: s.studyPauses.id });
    await recordStaffAction(tx, {
      actorUserId: input.userId,
      action: "study.pause",
      studyId: study.id,
      participantId,
      details: { classCode, reason },
    });
    return { id: row!.id, reportsStale: await awardsChanged(tx, study) };
  });
  if (reportsStale) await sendReportJobs(db, { studyId: input.studyId });
  return (await listPauses(db, input.studyId)).find((p) => p.id === id)!;
}

/** Lifts a pause; a published study's awards are recomputed with the class or company back in. */
export async function unpauseInStudy(db: Db, input: { studyId: number; pauseId: number; userId: string | null }): Promise<void> {
  const reportsStale = await db.transaction(async (tx) => {
    const [study] = await tx.select().from(s.studies).where(eq(s.studies.id, input.studyId)).for("update");
    if (!study) throw new Error(`No study ${input.studyId}.`);
    const [removed] = await tx
      .delete(s.studyPauses)
      .where(and(eq(s.studyPauses.id, input.pauseId), eq(s.studyPauses.studyId, study.id)))
      .returning();
    if (!removed) throw new PauseError("not-found", "No such pause.");
    await recordStaffAction(tx, {
      actorUserId: input.userId,
      action: "study.unpause",
      studyId: study.id,
      participantId: removed.participantId,
      details: { classCode: removed.classCode, reason: removed.reason },
    });
    return awardsChanged(tx, study);
  });
  if (reportsStale) await sendReportJobs(db, { studyId: input.studyId });
}

/**
 * A published study's awards after a pause was set or lifted: frozen again, and the stored
 * company reports, which show them, queued to be built again (sent after the commit).
 */
async function awardsChanged(tx: Executor, study: { id: number; status: string }): Promise<boolean> {
  if (study.status !== "published") return false;
  await freezeAwards(tx, study.id);
  return (await markStudyReportsStale(tx, study.id)) > 0;
}

/**
 * What the staff pages show of a study's awards and pauses: the pauses, what can be paused
 * (every class code of every year, newest name first, and every company), and the awards:
 * before publication a preview computed now from the current data (stored nowhere, seen by
 * no tenant), after it the frozen ones.
 */
export async function staffAwardsOverview(db: Db, study: { id: number; year: number; status: string }) {
  const published = study.status === "published";
  const [pauses, awards, classCodes, companyOptions, classesThisYear] = await Promise.all([
    listPauses(db, study.id),
    published ? frozenAwards(db, study.id) : computeAwards(db, study.id),
    db
      .selectDistinctOn([s.classes.code], { code: s.classes.code, name: s.classes.name })
      .from(s.classes)
      .innerJoin(s.studies, eq(s.studies.id, s.classes.studyId))
      .orderBy(asc(s.classes.code), sql`${s.studies.year} desc`),
    db.select({ code: s.participants.code, name: s.participants.name }).from(s.participants).orderBy(asc(s.participants.name)),
    db
      .selectDistinct({ code: s.classes.code, name: s.classes.name })
      .from(s.participations)
      .innerJoin(s.classes, eq(s.classes.id, s.participations.classId))
      .where(and(eq(s.participations.studyId, study.id), gt(s.participations.inquiryCount, 0))),
  ]);
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, "nb");
  const awarded = new Set(awards.filter((a) => a.kind === "class").map((a) => a.classCode));
  const pausedClasses = new Set(pauses.map((p) => p.classCode).filter(Boolean));
  return {
    year: study.year,
    published,
    pauses: pauses.map((p) => ({ ...p, className: classCodes.find((c) => c.code === p.classCode)?.name ?? null })),
    classOptions: classCodes.sort(byName),
    companyOptions,
    awards: awards.map(({ kind, classCode, className, channel, participantName, score }) => ({ kind, classCode, className, channel, participantName, score })),
    /** Classes with participants this year, not paused, without a winner (fewer than 3 taking part). */
    classesWithoutWinner: classesThisYear.filter((c) => !awarded.has(c.code) && !pausedClasses.has(c.code)).sort(byName),
    hasResults: classesThisYear.length > 0,
  };
}

export interface CompanyPause {
  year: number;
  /** class: the company's class sits the year out; company: the company itself. */
  kind: "class" | "company";
  reason: string;
  /** whether the company has results in that year (a paused company may still have been measured) */
  tookPart: boolean;
}

/**
 * For a tenant request: the pause, if any, that applies to the company in the newest
 * published study, by its own pause or its class's (the class code of its newest
 * participation). RLS shows a tenant the class pauses and its own company pause only.
 */
export async function companyPause({ tx, tenantId }: TenantScope): Promise<CompanyPause | null> {
  // One statement, so a page can send it beside its own reads (one wait).
  const result = await tx.execute<{ year: number; class_code: string | null; reason: string; took_part: boolean }>(sql`
    with newest as (select id, year from studies where status = 'published' order by year desc limit 1),
    own as (
      select p.study_id, c.code from participations p join classes c on c.id = p.class_id join studies st on st.id = p.study_id
      where p.tenant_id = ${tenantId} order by st.year desc limit 1
    )
    select n.year, sp.class_code, sp.reason, exists (select 1 from own where own.study_id = n.id) as took_part
    from newest n join study_pauses sp on sp.study_id = n.id
    where sp.participant_id = ${tenantId} or sp.class_code = (select code from own)
    order by sp.participant_id is null
    limit 1`);
  const [row] = resultRows<{ year: number; class_code: string | null; reason: string; took_part: boolean }>(result);
  if (!row) return null;
  return { year: Number(row.year), kind: row.class_code === null ? "company" : "class", reason: row.reason, tookPart: Boolean(row.took_part) };
}

/** companyPause for a page's loader, in the member's tenant scope. */
export async function companyPauseOf(tenantId: string): Promise<CompanyPause | null> {
  const { db } = await getDatabase();
  return withTenant(db, tenantId, companyPause);
}

/**
 * For a tenant request: the published years the company sat out because of a pause (its own
 * or that of a class it has been in), with the reason, oldest first: the trends show them as
 * labelled gaps rather than leaving the year out.
 */
export async function companyPausedYears({ tx, tenantId }: TenantScope): Promise<{ year: number; reason: string }[]> {
  const rows = await tx.execute<{ year: number; reason: string }>(sql`
    select distinct on (st.year) st.year, sp.reason
    from study_pauses sp join studies st on st.id = sp.study_id
    where st.status = 'published'
      and not exists (select 1 from participations p where p.study_id = st.id and p.tenant_id = ${tenantId})
      and (sp.participant_id = ${tenantId}
           or sp.class_code in (select c.code from participations p join classes c on c.id = p.class_id where p.tenant_id = ${tenantId}))
    order by st.year, sp.participant_id is null`);
  return resultRows<{ year: number; reason: string }>(rows).map((r) => ({ year: Number(r.year), reason: r.reason }));
}
