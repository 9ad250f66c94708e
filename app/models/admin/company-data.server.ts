// Personal data and a company's own data, for the operator (docs/privacy.md): export all
// of a company's data as a zip of JSON and CSV, delete a company with everything it owns,
// and the retention rule that removes transcripts older than the configured number of
// years. Owner path, staff only; every action is written to the staff audit log.

import { and, asc, eq, inArray, isNotNull, lt, sql, type SQL } from "drizzle-orm";
import { strToU8, zipSync } from "fflate";
import { resultRows, type Db, type Executor } from "#db/client.server";
import * as s from "#db/schema";
import { ageGroupOf } from "~/domain/age-group";
import { toCsv, type CsvValue } from "~/domain/spreadsheet-safety";
import { env } from "~/env.server";
import { recordStaffAction } from "./audit.server";

/**
 * Years a transcript is kept after its inquiry (TRANSCRIPT_RETENTION_YEARS); null when the
 * rule is not configured. It is off by default because the demo's studies lie years back;
 * production sets it (docs/operations.md, docs/privacy.md; 3 is the suggested value).
 */
export const transcriptRetentionYears = (): number | null => env().transcriptRetentionYears;

/** The cut-off: inquiries made before this lose their transcript. */
export function retentionCutoff(years: number, now = new Date()): Date {
  const cutoff = new Date(now);
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - years);
  return cutoff;
}

/** An earlier version `e` in the import history of batch `b` that is the company's own row. */
const companyVersion = (code: string) => sql`((b.kind = 'results' and e->>'participantCode' = ${code}) or (b.kind = 'participants' and e->>'code' = ${code}))`;

/**
 * Rewrites the earlier versions of rows kept in the import history (`import_batches.replaced`):
 * in every batch `b` holding a version `e` that `touches` selects, each version becomes
 * `element` (itself by default), and only those `keep` selects stay (all by default).
 * Returns how many batches changed.
 */
async function rewriteHistory(tx: Executor, change: { touches: SQL; element?: SQL; keep?: SQL }): Promise<number> {
  const result = await tx.execute(sql`
    update import_batches b set replaced = (
      select coalesce(jsonb_agg(${change.element ?? sql`e`} order by n) filter (where ${change.keep ?? sql`true`}), '[]'::jsonb)
      from jsonb_array_elements(b.replaced) with ordinality as x(e, n))
    where b.replaced is not null and exists (select 1 from jsonb_array_elements(b.replaced) as y(e) where ${change.touches})
    returning b.id`);
  return resultRows(result).length;
}

/**
 * The retention rule: removes transcripts (and comments are kept: they are the shopper's
 * own assessment, without the agent's words) of inquiries older than `years`, also from the
 * import history (the earlier versions of rows a correction replaced) and from the uploaded
 * results files of the studies concerned (upload rows are a staging area; the history in
 * import_batches stays). Returns how many inquiries lost their transcript.
 */
export async function purgeOldTranscripts(db: Db, years: number, now = new Date()): Promise<number> {
  const cutoff = retentionCutoff(years, now);
  return db.transaction(async (tx) => {
    const purged = await tx
      .update(s.inquiries)
      .set({ transcript: null })
      .where(and(isNotNull(s.inquiries.transcript), lt(s.inquiries.contactedAt, cutoff)))
      .returning({ id: s.inquiries.id });
    const old = sql`e->>'transcript' is not null and (e->>'contactedAt')::timestamptz < ${cutoff.toISOString()}::timestamptz`;
    const historyBatches = await rewriteHistory(tx, {
      touches: sql`b.kind = 'results' and ${old}`,
      element: sql`case when ${old} then jsonb_set(e, '{transcript}', 'null'::jsonb) else e end`,
    });
    // A file being worked on (uploaded in the last day) is left to finish its preview and import.
    const files = await tx
      .delete(s.importUploads)
      .where(
        and(
          eq(s.importUploads.kind, "results"),
          lt(s.importUploads.createdAt, new Date(now.getTime() - 24 * 3600_000)),
          inArray(s.importUploads.studyId, tx.select({ id: s.inquiries.studyId }).from(s.inquiries).where(lt(s.inquiries.contactedAt, cutoff))),
        ),
      )
      .returning({ id: s.importUploads.id });
    if (purged.length + historyBatches + files.length > 0) {
      await recordStaffAction(tx, {
        actorUserId: null,
        action: "retention.transcripts",
        details: { years, before: cutoff.toISOString(), inquiries: purged.length, historyBatches, uploadedFiles: files.length },
      });
    }
    return purged.length;
  });
}

/** Rows of the export as CSV (one column per key of the first row); dates as ISO 8601, nested values as JSON text. */
export function recordsCsv(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return "\uFEFF";
  const header = Object.keys(rows[0]!);
  const field = (value: unknown): CsvValue =>
    value === null || value === undefined || typeof value === "string" || typeof value === "number" || typeof value === "bigint" || typeof value === "boolean"
      ? value
      : value instanceof Date
        ? value.toISOString()
        : JSON.stringify(value);
  return toCsv([header, ...rows.map((r) => header.map((h) => field(r[h])))], { delimiter: ";" });
}

/**
 * Everything stored about and for one company, as a zip: JSON of each table (its own rows
 * only) and CSV of its inquiries. Shoppers appear as in the portal (code, gender, age group,
 * county); secrets (token hashes, password hashes) are left out.
 */
export async function exportCompanyData(db: Db, participantId: string, actorUserId: string | null): Promise<{ fileName: string; zip: Uint8Array } | null> {
  const [company] = await db.select().from(s.participants).where(eq(s.participants.id, participantId));
  if (!company) return null;
  const byTenant = <T extends { tenantId: unknown }>(table: T) => eq(table.tenantId as never, participantId);

  const participations = await db
    .select({ year: s.studies.year, study: s.studies.name, classCode: s.classes.code, className: s.classes.name })
    .from(s.participations)
    .innerJoin(s.studies, eq(s.studies.id, s.participations.studyId))
    .innerJoin(s.classes, eq(s.classes.id, s.participations.classId))
    .where(eq(s.participations.tenantId, participantId))
    .orderBy(asc(s.studies.year));
  const inquiryRows = await db
    .select({
      year: s.studies.year,
      ref: s.inquiries.ref,
      channel: s.inquiries.channel,
      contactedAt: s.inquiries.contactedAt,
      attempts: s.inquiries.attempts,
      answered: s.inquiries.answered,
      waitSeconds: s.inquiries.waitSeconds,
      totalScore: s.inquiries.totalScore,
      band: s.inquiries.band,
      agentName: s.inquiries.agentName,
      scenario: s.inquiries.scenario,
      comment: s.inquiries.comment,
      transcript: s.inquiries.transcript,
      shopperCode: s.shoppers.code,
      shopperGender: s.shoppers.gender,
      shopperAge: s.shoppers.age,
      shopperRegion: s.shoppers.region,
      id: s.inquiries.id,
    })
    .from(s.inquiries)
    .innerJoin(s.studies, eq(s.studies.id, s.inquiries.studyId))
    .innerJoin(s.shoppers, eq(s.shoppers.id, s.inquiries.shopperId))
    .where(eq(s.inquiries.tenantId, participantId))
    .orderBy(asc(s.studies.year), asc(s.inquiries.ref));
  const inquiries = inquiryRows.map(({ shopperAge, id: _id, ...r }) => ({ ...r, shopperAgeGroup: ageGroupOf(shopperAge) }));
  const answers = await db
    .select({ ref: s.inquiries.ref, year: s.studies.year, question: s.questions.code, value: s.answers.value })
    .from(s.answers)
    .innerJoin(s.inquiries, and(eq(s.inquiries.tenantId, s.answers.tenantId), eq(s.inquiries.id, s.answers.inquiryId)))
    .innerJoin(s.studies, eq(s.studies.id, s.inquiries.studyId))
    .innerJoin(s.questions, eq(s.questions.id, s.answers.questionId))
    .where(eq(s.answers.tenantId, participantId))
    .orderBy(asc(s.studies.year), asc(s.inquiries.ref), asc(s.questions.code));
  const people = await db
    .select({ email: s.users.email, name: s.users.name, role: s.memberships.role })
    .from(s.memberships)
    .innerJoin(s.users, eq(s.users.id, s.memberships.userId))
    .where(eq(s.memberships.tenantId, participantId))
    .orderBy(asc(s.users.email));
  const invitations = await db
    .select({ email: s.invitations.email, role: s.invitations.role, createdAt: s.invitations.createdAt, expiresAt: s.invitations.expiresAt, acceptedAt: s.invitations.acceptedAt, revokedAt: s.invitations.revokedAt })
    .from(s.invitations)
    .where(byTenant(s.invitations));
  const apiTokens = await db
    .select({ name: s.apiTokens.name, createdAt: s.apiTokens.createdAt, lastUsedAt: s.apiTokens.lastUsedAt, revokedAt: s.apiTokens.revokedAt })
    .from(s.apiTokens)
    .where(byTenant(s.apiTokens));
  const exports = await db
    .select({ id: s.coachingExports.id, createdAt: s.coachingExports.createdAt, format: s.coachingExports.format, selection: s.coachingExports.selection, fileName: s.coachingExports.fileName, status: s.coachingExports.status })
    .from(s.coachingExports)
    .where(byTenant(s.coachingExports));
  const bookings = await db.select().from(s.bookings).where(byTenant(s.bookings));
  const payments = await db.select().from(s.payments).where(byTenant(s.payments));
  // The coaching log (issue 18) as recorded, whatever the agent-name setting: it is the company's own data.
  const logEntries = await db
    .select({
      id: s.coachingLogEntries.id,
      sessionDate: s.coachingLogEntries.sessionDate,
      coached: s.coachingLogEntries.coached,
      coachedKind: s.coachingLogEntries.coachedKind,
      habit: s.coachingLogEntries.habit,
      packId: s.coachingLogEntries.packId,
      followUpDate: s.coachingLogEntries.followUpDate,
      createdBy: s.users.email,
      createdAt: s.coachingLogEntries.createdAt,
      updatedAt: s.coachingLogEntries.updatedAt,
    })
    .from(s.coachingLogEntries)
    .leftJoin(s.users, eq(s.users.id, s.coachingLogEntries.createdBy))
    .where(byTenant(s.coachingLogEntries))
    .orderBy(asc(s.coachingLogEntries.sessionDate), asc(s.coachingLogEntries.createdAt));
  const logLinks = await db
    .select({ entryId: s.coachingLogInquiries.entryId, year: s.studies.year, ref: s.inquiries.ref })
    .from(s.coachingLogInquiries)
    .innerJoin(s.inquiries, and(eq(s.inquiries.tenantId, s.coachingLogInquiries.tenantId), eq(s.inquiries.id, s.coachingLogInquiries.inquiryId)))
    .innerJoin(s.studies, eq(s.studies.id, s.inquiries.studyId))
    .where(byTenant(s.coachingLogInquiries))
    .orderBy(asc(s.studies.year), asc(s.inquiries.ref));
  const coachingLog = logEntries.map((e) => ({ ...e, inquiries: logLinks.filter((l) => l.entryId === e.id).map(({ year, ref }) => ({ year, ref })) }));
  const actionPlans = await db.select().from(s.actionPlans).where(byTenant(s.actionPlans));
  const actionPlanLinks = await db.select().from(s.actionPlanLinks).where(byTenant(s.actionPlanLinks));
  const audit = await db.select({ at: s.tenantAuditEvents.at, action: s.tenantAuditEvents.action, details: s.tenantAuditEvents.details }).from(s.tenantAuditEvents).where(byTenant(s.tenantAuditEvents));

  // Earlier versions of its rows that corrections replaced (the import history), shoppers
  // shown as everywhere else (age group, not age).
  const historyRows = resultRows<{ year: number; fileName: string; importedAt: unknown; kind: string; row: Record<string, unknown> }>(
    await db.execute(sql`
      select st.year, b.file_name as "fileName", b.created_at as "importedAt", b.kind::text as kind, e as row
      from import_batches b
      join studies st on st.id = b.study_id
      cross join lateral jsonb_array_elements(b.replaced) with ordinality as x(e, n)
      where b.replaced is not null and ${companyVersion(company.code)}
      order by b.id, n`),
  );
  const importHistory = historyRows.map(({ row, ...batch }) => {
    const version = typeof row === "string" ? (JSON.parse(row) as Record<string, unknown>) : row;
    const shopper = version.shopper as { code: string; gender: string; age: number; region: string } | undefined;
    return {
      ...batch,
      replacedVersion: shopper ? { ...version, shopper: { code: shopper.code, gender: shopper.gender, ageGroup: ageGroupOf(shopper.age), region: shopper.region } } : version,
    };
  });

  // Targets and response-time goals (issue 18).
  const targets = await db
    .select({ year: s.targets.year, kind: s.targets.kind, subject: s.targets.subject, target: s.targets.target, updatedAt: s.targets.updatedAt })
    .from(s.targets)
    .where(eq(s.targets.tenantId, participantId))
    .orderBy(asc(s.targets.year), asc(s.targets.kind), asc(s.targets.subject));
  const responseGoals = await db
    .select({ channel: s.responseGoals.channel, goalSeconds: s.responseGoals.goalSeconds, updatedAt: s.responseGoals.updatedAt })
    .from(s.responseGoals)
    .where(eq(s.responseGoals.tenantId, participantId))
    .orderBy(asc(s.responseGoals.channel));
  const json = (value: unknown) => strToU8(`${JSON.stringify(value, null, 2)}\n`);
  const files: Record<string, Uint8Array> = {
    "README.txt": strToU8(
      [
        `Data export for ${company.name} (${company.code}), ${new Date().toISOString()}.`,
        "JSON files hold every stored row of the company; inquiries.csv and answers.csv the same inquiries for spreadsheets",
        "(UTF-8 with BOM, semicolon-separated). Shoppers appear as code, gender, age group and county.",
        "import-history.json holds earlier versions of the company's rows that later corrections of the study files replaced.",
        "",
      ].join("\r\n"),
    ),
    "company.json": json({ code: company.code, name: company.name, orgNumber: company.orgNumber, hideAgentNames: company.hideAgentNames, createdAt: company.createdAt }),
    "participations.json": json(participations),
    "inquiries.json": json(inquiries),
    "inquiries.csv": strToU8(recordsCsv(inquiries)),
    "answers.csv": strToU8(recordsCsv(answers)),
    "people.json": json(people),
    "invitations.json": json(invitations),
    "api-tokens.json": json(apiTokens),
    "coaching-exports.json": json(exports),
    "bookings.json": json(bookings),
    "payments.json": json(payments),
    "coaching-log.json": json(coachingLog),
    "action-plans.json": json({ plans: actionPlans, links: actionPlanLinks }),
    "audit-events.json": json(audit),
    "import-history.json": json(importHistory),
    "targets.json": json(targets),
    "response-goals.json": json(responseGoals),
  };
  await recordStaffAction(db, { actorUserId, action: "company.export", participantId, details: { code: company.code, inquiries: inquiries.length } });
  const stamp = new Date().toISOString().slice(0, 10);
  return { fileName: `innsikt-${company.code}-${stamp}.zip`, zip: zipSync(files, { level: 6 }) };
}

/**
 * Deletes a company and everything it owns: participations, inquiries with their answers and
 * scores, memberships, invitations, tokens, exports, bookings, payments, the coaching log and action plans (all cascade from
 * participants), and its tenant audit events. Its line in published rankings is anonymised;
 * the frozen class aggregates stay as published. People keep their accounts (they may belong
 * to other companies); those left with no company and no staff role are deleted too.
 */
export async function deleteCompany(db: Db, participantId: string, actorUserId: string | null): Promise<{ code: string; name: string; inquiries: number; people: number } | null> {
  return db.transaction(async (tx) => {
    const [company] = await tx.select().from(s.participants).where(eq(s.participants.id, participantId)).for("update");
    if (!company) return null;
    const [{ n: inquiryCount } = { n: 0 }] = await tx.select({ n: sql<number>`count(*)::int` }).from(s.inquiries).where(eq(s.inquiries.tenantId, participantId));
    const members = await tx.select({ userId: s.memberships.userId }).from(s.memberships).where(eq(s.memberships.tenantId, participantId));
    // Its rows in the import history (earlier versions a correction replaced) go, and so do the
    // uploaded participants and results files of its studies (upload rows are a staging area:
    // the history's file names, checksums and counts stay). Participant codes are unique.
    const historyBatches = await rewriteHistory(tx, { touches: companyVersion(company.code), keep: sql`${companyVersion(company.code)} is not true` });
    const files = await tx
      .delete(s.importUploads)
      .where(
        and(
          inArray(s.importUploads.kind, ["participants", "results"]),
          inArray(s.importUploads.studyId, tx.select({ id: s.participations.studyId }).from(s.participations).where(eq(s.participations.tenantId, participantId))),
        ),
      )
      .returning({ id: s.importUploads.id });
    // A booking's slot is the operator's; the booking itself goes with the company.
    await tx.update(s.benchmarkRanking).set({ participantName: "Slettet deltaker" }).where(eq(s.benchmarkRanking.participantId, participantId));
    await tx.delete(s.participants).where(eq(s.participants.id, participantId));
    let people = 0;
    if (members.length > 0) {
      const orphaned = await tx
        .delete(s.users)
        .where(
          and(
            inArray(
              s.users.id,
              members.map((m) => m.userId),
            ),
            eq(s.users.isStaff, false),
            sql`not exists (select 1 from ${s.memberships} m where m.user_id = ${s.users.id})`,
          ),
        )
        .returning({ id: s.users.id });
      people = orphaned.length;
    }
    await recordStaffAction(tx, {
      actorUserId,
      action: "company.delete",
      details: { code: company.code, name: company.name, inquiries: inquiryCount, peopleDeleted: people, historyBatches, uploadedFiles: files.length },
    });
    return { code: company.code, name: company.name, inquiries: inquiryCount, people };
  });
}
