import { and, asc, eq, isNotNull, isNull, lte, ne, sql } from "drizzle-orm";
import type { Db, Executor } from "#db/client.server";
import * as s from "#db/schema";
import { formatDateTime, type Locale } from "~/domain/format";
import { env } from "~/env.server";
import { isLocale, translate } from "~/i18n/i18n";
import { enqueueEmail } from "~/mail/outbox.server";
import { recordStaffAction } from "~/models/admin/audit.server";
import { publishStudyIn } from "./publish.server";

// The season of a study (spec/season.md): draft -> review -> published. Staff open the review
// window with a deadline, then publish now or schedule the publication minute (the embargo).
// A scheduled publication is carried out by publishDueStudies, which the job queue runs every
// minute on one process at a time; it locks the study row, checks that it is still due and
// publishes, clears the schedule and queues the e-mails in that one transaction, so it
// happens once however many processes run it, and a minute the server was down is caught
// up at the next run.

export class SeasonError extends Error {
  constructor(
    public readonly code: "published" | "deadline-past" | "not-future" | "no-schedule",
    message: string,
  ) {
    super(message);
  }
}

type Study = typeof s.studies.$inferSelect;

/** The study's readiness, or NotPublishableError when it lacks a questionnaire, participants or results. */
async function requirePublishable(db: Db, studyId: number, verb: "reviewed" | "published") {
  const readiness = await studyReadiness(db, studyId);
  if (!readiness.publishable) throw new NotPublishableError(`The study needs a questionnaire, participants and results before it can be ${verb}.`);
  return readiness;
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


/** Whether companies may still raise queries: in review and before its deadline. */
export function reviewIsOpen(study: Pick<Study, "status" | "reviewUntil">, now = new Date()): boolean {
  return study.status === "review" && study.reviewUntil !== null && now < study.reviewUntil;
}

async function lockStudy(tx: Executor, studyId: number): Promise<Study> {
  const [study] = await tx.select().from(s.studies).where(eq(s.studies.id, studyId)).for("update");
  if (!study) throw new Error(`No study ${studyId}.`);
  return study;
}

/** The study, locked for a change that only a study not yet published takes. */
async function lockUnpublishedStudy(tx: Executor, studyId: number): Promise<Study> {
  const study = await lockStudy(tx, studyId);
  if (study.status === "published") throw new SeasonError("published", `Study ${study.year} is already published.`);
  return study;
}

/**
 * Opens the review window until `until`, or moves its deadline. The first opening sends each
 * active member of each participating company the review e-mail; moving the deadline does not.
 */
export async function openReview(db: Db, studyId: number, input: { until: Date; userId: string | null; now?: Date }): Promise<{ opened: boolean }> {
  const now = input.now ?? new Date();
  if (input.until <= now) throw new SeasonError("deadline-past", "The review deadline must be in the future.");
  await requirePublishable(db, studyId, "reviewed");
  return db.transaction(async (tx) => {
    const study = await lockUnpublishedStudy(tx, studyId);
    const opened = study.status === "draft";
    await tx
      .update(s.studies)
      .set({ status: "review", reviewUntil: input.until, reviewOpenedAt: study.reviewOpenedAt ?? now })
      .where(eq(s.studies.id, studyId));
    await recordStaffAction(tx, {
      actorUserId: input.userId,
      action: opened ? "study.review.open" : "study.review.deadline",
      studyId,
      details: { until: input.until.toISOString(), from: study.reviewUntil?.toISOString() ?? null },
    });
    if (opened) await mailMembers(tx, { ...study, reviewUntil: input.until }, "review");
    return { opened };
  });
}

/** Schedules the publication for `at` (a future minute), replacing an earlier schedule. */
export async function schedulePublication(db: Db, studyId: number, input: { at: Date; userId: string | null; now?: Date }): Promise<void> {
  const now = input.now ?? new Date();
  if (input.at <= now) throw new SeasonError("not-future", "The publication time must be in the future.");
  await requirePublishable(db, studyId, "published");
  await db.transaction(async (tx) => {
    const study = await lockUnpublishedStudy(tx, studyId);
    await tx.update(s.studies).set({ publishAt: input.at }).where(eq(s.studies.id, studyId));
    await recordStaffAction(tx, {
      actorUserId: input.userId,
      action: "study.publish.schedule",
      studyId,
      details: { at: input.at.toISOString(), replaced: study.publishAt?.toISOString() ?? null },
    });
  });
}

/** Cancels a scheduled publication; the study stays in its state. */
export async function cancelScheduledPublication(db: Db, studyId: number, userId: string | null): Promise<void> {
  await db.transaction(async (tx) => {
    const study = await lockStudy(tx, studyId);
    if (!study.publishAt) throw new SeasonError("no-schedule", `Study ${study.year} has no scheduled publication.`);
    await tx.update(s.studies).set({ publishAt: null }).where(eq(s.studies.id, studyId));
    await recordStaffAction(tx, { actorUserId: userId, action: "study.publish.cancel", studyId, details: { at: study.publishAt.toISOString() } });
  });
}

/**
 * Publishes now (or again, after a correction: then the figures are recomputed and nobody is
 * mailed a second time). Clears a schedule. The first publication mails the members.
 */
export async function publishNow(db: Db, studyId: number, userId: string | null, now = new Date()): Promise<{ first: boolean }> {
  const readiness = await requirePublishable(db, studyId, "published");
  return db.transaction(async (tx) => {
    const study = await lockStudy(tx, studyId);
    return publishLocked(tx, study, { userId, now, inquiries: readiness.inquiries, scheduled: false });
  });
}

/** The console's and the CLI's name for publishNow. */
export async function publishStudyAs(db: Db, studyId: number, userId: string | null): Promise<void> {
  await publishNow(db, studyId, userId);
}

async function publishLocked(tx: Executor, study: Study, input: { userId: string | null; now: Date; inquiries: number; scheduled: boolean }) {
  const first = study.status !== "published";
  await publishStudyIn(tx, study.id, first ? input.now : (study.publishedAt ?? input.now));
  await tx.update(s.studies).set({ publishAt: null }).where(eq(s.studies.id, study.id));
  await recordStaffAction(tx, {
    actorUserId: input.userId,
    action: "study.publish",
    studyId: study.id,
    details: { inquiries: input.inquiries, ...(input.scheduled ? { scheduledFor: study.publishAt?.toISOString() ?? null } : {}) },
  });
  if (first) await mailMembers(tx, study, "published");
  return { first };
}

/**
 * The job behind scheduled publication: publishes every study whose minute has come. Each
 * study in its own transaction with its row locked; one that another process is publishing
 * is skipped (SKIP LOCKED) and, once that commits, is no longer due.
 */
export async function publishDueStudies(db: Db, now = new Date()): Promise<number[]> {
  const due = await db
    .select({ id: s.studies.id })
    .from(s.studies)
    .where(and(isNotNull(s.studies.publishAt), lte(s.studies.publishAt, now), ne(s.studies.status, "published")))
    .orderBy(asc(s.studies.publishAt));
  const published: number[] = [];
  for (const { id } of due) {
    const readiness = await studyReadiness(db, id);
    const done = await db.transaction(async (tx) => {
      const [study] = await tx.select().from(s.studies).where(eq(s.studies.id, id)).for("update", { skipLocked: true });
      if (!study || !study.publishAt || study.publishAt > now || study.status === "published") return false;
      if (!readiness.publishable) {
        // Staff removed what it needs after scheduling: leave it scheduled and visible as overdue.
        return false;
      }
      await publishLocked(tx, study, { userId: null, now, inquiries: readiness.inquiries, scheduled: true });
      return true;
    });
    if (done) published.push(id);
  }
  return published;
}

/**
 * One e-mail per person: every active member (not disabled, season e-mails on) of the
 * companies taking part in the study, naming their companies, in their language.
 */
async function mailMembers(tx: Executor, study: Study, kind: "review" | "published"): Promise<void> {
  const rows = await tx
    .select({ email: s.users.email, name: s.users.name, locale: s.users.locale, company: s.participations.displayName })
    .from(s.participations)
    .innerJoin(s.memberships, eq(s.memberships.tenantId, s.participations.tenantId))
    .innerJoin(s.users, eq(s.users.id, s.memberships.userId))
    .where(and(eq(s.participations.studyId, study.id), isNull(s.users.disabledAt), eq(s.users.seasonMails, true), sql`${s.participations.inquiryCount} > 0`))
    .orderBy(asc(s.users.email), asc(s.participations.displayName));
  const people = new Map<string, { name: string; locale: Locale; companies: string[] }>();
  for (const row of rows) {
    const person = people.get(row.email) ?? { name: row.name, locale: isLocale(row.locale) ? row.locale : "nb", companies: [] };
    person.companies.push(row.company);
    people.set(row.email, person);
  }
  const base = env().publicUrl;
  for (const [email, person] of people) {
    const { locale } = person;
    const listFormat = new Intl.ListFormat(locale === "nb" ? "nb-NO" : "en-GB", { type: "conjunction" });
    const params = {
      year: study.year,
      name: person.name,
      companies: listFormat.format(person.companies),
      deadline: study.reviewUntil ? formatDateTime(study.reviewUntil, locale) : "",
      link: `${base}/company?study=${study.year}`,
      account: `${base}/account`,
    };
    await enqueueEmail(tx, {
      to: email,
      subject: translate(locale, `season.mail.${kind}.subject`, params),
      text: translate(locale, `season.mail.${kind}.body`, params),
    });
  }
}


