// The import pipeline of spec/import-format.md, shared by the staff console, the command
// line, the demo seed and the tests: read the file, validate it with app/domain, compare it
// with what the study holds, and write the difference in one transaction.
//
// Rows are matched by their key (question code, participant code, inquiry ref). Unchanged
// rows are left alone; changed and removed ones are replaced and their earlier version is
// kept in import_batches.replaced. The same file twice changes nothing.

import { randomUUID } from "node:crypto";
import { and, desc, eq, inArray, notInArray, sql } from "drizzle-orm";
import { resultRows, type Db, type Executor } from "#db/client.server";
import * as s from "#db/schema";
import {
  MAX_PROBLEMS,
  validateParticipants,
  validateQuestionnaire,
  validateResults,
  type ImportProblem,
  type Sheet,
} from "~/domain/import-validate";
import { scoreInquiry } from "~/domain/scoring";
import type { ImportKind, InquiryRow, ParticipantRow, Questionnaire } from "~/domain/types";
import { checksumOf, readImportFile, type FileFormat } from "./import-file.server";
import { recordStaffAction } from "~/models/admin/audit.server";
import { publishStudyIn } from "./publish.server";
import { markStudyReportsStale, sendReportJobs } from "~/models/reports/company-reports.server";

export { IMPORT_KINDS, type ImportKind } from "~/domain/types";

export interface ImportDiff {
  rows: number;
  added: string[];
  changed: string[];
  removed: string[];
  unchanged: number;
}

export type ImportPhase = "reading" | "validating" | "comparing" | "writing" | "finishing";
export interface ImportProgress {
  phase: ImportPhase;
  done: number;
  total: number;
}

export type ImportOutcome =
  | { status: "refused"; problems: ImportProblem[]; truncated: boolean }
  | { status: "unchanged"; diff: ImportDiff | null }
  | { status: "preview"; diff: ImportDiff; format: FileFormat }
  | { status: "imported"; diff: ImportDiff; batchId: number; format: FileFormat };

export interface ImportRequest {
  studyId: number;
  kind: ImportKind;
  fileName: string;
  bytes: Uint8Array;
  userId: string | null;
  /** Validate and compare only; write nothing. */
  dryRun?: boolean;
  onProgress?: (progress: ImportProgress) => void;
}

const msg = (nb: string, en: string) => ({ nb, en });
const refused = (problems: ImportProblem[]): ImportOutcome => ({
  status: "refused",
  problems: problems.slice(0, MAX_PROBLEMS),
  truncated: problems.length >= MAX_PROBLEMS,
});
const studyProblem = (nb: string, en: string, column = "", value = ""): ImportProblem => ({ row: 0, column, value, message: msg(nb, en) });

/** Runs one import. Never throws for bad input: problems come back as `refused`. */
export async function runImport(db: Db, request: ImportRequest): Promise<ImportOutcome> {
  const progress = request.onProgress ?? (() => {});
  progress({ phase: "reading", done: 0, total: 1 });
  const read = await readImportFile(request.bytes);
  if (!read.ok) return refused(read.problems);
  const checksum = checksumOf(request.bytes);
  const total = read.sheet.rows.length;

  let reportsStale = false;
  const outcome = await db.transaction(async (tx): Promise<ImportOutcome> => {
    // One import per study at a time; a second waits for the first to finish.
    const [study] = await tx.select().from(s.studies).where(eq(s.studies.id, request.studyId)).for("update");
    if (!study) return refused([studyProblem("Studien finnes ikke.", "the study does not exist")]);

    const [last] = await tx
      .select({ checksum: s.importBatches.checksum })
      .from(s.importBatches)
      .where(and(eq(s.importBatches.studyId, study.id), eq(s.importBatches.kind, request.kind)))
      .orderBy(desc(s.importBatches.id))
      .limit(1);
    if (last?.checksum === checksum) return { status: "unchanged", diff: null } satisfies ImportOutcome;

    progress({ phase: "validating", done: 0, total });
    const plan = await planImport(tx, study.id, request.kind, read.sheet);
    if (!plan.ok) return refused(plan.problems);
    progress({ phase: "comparing", done: total, total });
    const diff = plan.diff;
    const nothingChanged = diff.added.length === 0 && diff.changed.length === 0 && diff.removed.length === 0;
    if (request.dryRun) return { status: "preview", diff, format: read.format } satisfies ImportOutcome;
    if (nothingChanged) return { status: "unchanged", diff } satisfies ImportOutcome;

    const [batch] = await tx
      .insert(s.importBatches)
      .values({
        studyId: study.id,
        kind: request.kind,
        fileName: request.fileName,
        checksum,
        rowCount: diff.rows,
        counts: { added: diff.added.length, changed: diff.changed.length, removed: diff.removed.length, unchanged: diff.unchanged },
        replaced: null,
        createdBy: request.userId,
      })
      .returning({ id: s.importBatches.id });
    const batchId = batch!.id;
    const replaced = await plan.write(batchId, (done) => progress({ phase: "writing", done, total }));
    if (replaced.length > 0) await tx.update(s.importBatches).set({ replaced }).where(eq(s.importBatches.id, batchId));
    progress({ phase: "finishing", done: total, total });
    // A published study stays consistent: the frozen class and study figures are recomputed
    // with the correction, in the same transaction, so no company ever sees its new own
    // figures beside old class figures.
    if (study.status === "published") {
      await publishStudyIn(tx, study.id);
      await recordStaffAction(tx, { actorUserId: request.userId, action: "study.publish", studyId: study.id, details: { after: `import.${request.kind}`, batchId } });
      // The stored company reports show these figures: rebuilt (jobs sent after the commit).
      reportsStale = (await markStudyReportsStale(tx, study.id)) > 0;
    }
    await recordStaffAction(tx, {
      actorUserId: request.userId,
      action: `import.${request.kind}`,
      studyId: study.id,
      details: { fileName: request.fileName, checksum, batchId, added: diff.added.length, changed: diff.changed.length, removed: diff.removed.length },
    });
    return { status: "imported", diff, batchId, format: read.format } satisfies ImportOutcome;
  });
  if (reportsStale) await sendReportJobs(db, { studyId: request.studyId });
  return outcome;
}

type Plan =
  | { ok: false; problems: ImportProblem[] }
  | { ok: true; diff: ImportDiff; write: (batchId: number, onRows: (done: number) => void) => Promise<unknown[]> };

function planImport(tx: Executor, studyId: number, kind: ImportKind, sheet: Sheet): Promise<Plan> {
  if (kind === "questionnaire") {
    const v = validateQuestionnaire(sheet);
    return v.ok ? planQuestionnaire(tx, studyId, v.questionnaire) : Promise.resolve(v);
  }
  if (kind === "participants") {
    const v = validateParticipants(sheet);
    return v.ok ? planParticipants(tx, studyId, v.participants) : Promise.resolve(v);
  }
  return planResults(tx, studyId, sheet);
}

function diffByKey<T>(incoming: Map<string, T>, existing: Map<string, T>, same: (a: T, b: T) => boolean): ImportDiff {
  const added: string[] = [];
  const changed: string[] = [];
  let unchanged = 0;
  for (const [key, row] of incoming) {
    const old = existing.get(key);
    if (old === undefined) added.push(key);
    else if (same(old, row)) unchanged++;
    else changed.push(key);
  }
  const removed = [...existing.keys()].filter((key) => !incoming.has(key));
  return { rows: incoming.size, added, changed, removed, unchanged };
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

// ---------------------------------------------------------------------------------------
// Questionnaire

/** The study's stored questionnaire, in file order; null when none is loaded. */
export async function loadQuestionnaire(tx: Executor, studyId: number): Promise<Questionnaire | null> {
  const areaRows = await tx.select().from(s.areas).where(eq(s.areas.studyId, studyId)).orderBy(s.areas.position);
  if (areaRows.length === 0) return null;
  const areaCode = new Map(areaRows.map((a) => [a.id, a.code]));
  const questionRows = await tx.select().from(s.questions).where(eq(s.questions.studyId, studyId)).orderBy(s.questions.position);
  return {
    areas: areaRows.map((a) => ({ code: a.code, name: a.name, weight: a.weight })),
    questions: questionRows.map((q) => ({
      code: q.code,
      areaCode: areaCode.get(q.areaId)!,
      text: q.text,
      kind: q.kind,
      maxPoints: q.maxPoints,
      channels: q.channels,
    })),
  };
}

function questionRecords(q: Questionnaire) {
  const areas = new Map(q.areas.map((a) => [a.code, a]));
  return new Map(
    q.questions.map((question, position) => {
      const area = areas.get(question.areaCode)!;
      return [
        question.code,
        {
          areaCode: area.code,
          areaName: area.name,
          areaWeight: area.weight,
          text: question.text,
          kind: question.kind,
          maxPoints: question.maxPoints,
          channels: question.channels ? [...question.channels].sort() : null,
          position,
        },
      ] as const;
    }),
  );
}

async function countInquiries(tx: Executor, studyId: number): Promise<number> {
  const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(s.inquiries).where(eq(s.inquiries.studyId, studyId));
  return row?.n ?? 0;
}

async function planQuestionnaire(tx: Executor, studyId: number, questionnaire: Questionnaire): Promise<Plan> {
  const current = await loadQuestionnaire(tx, studyId);
  const incoming = questionRecords(questionnaire);
  const existing = current ? questionRecords(current) : new Map<string, ReturnType<typeof questionRecords> extends Map<string, infer V> ? V : never>();
  const diff = diffByKey(incoming, existing, sameJson);

  const inquiries = await countInquiries(tx, studyId);
  if (inquiries > 0 && current) {
    // Results are scored against this questionnaire: only texts, names and weights may change
    // (the stored scores are then recomputed); a change of what is asked needs new results.
    const structural = (q: { areaCode: string; kind: string; maxPoints: number | null; channels: string[] | null }) =>
      JSON.stringify([q.areaCode, q.kind, q.maxPoints, q.channels]);
    const problems: ImportProblem[] = [];
    for (const code of diff.added) problems.push(studyProblem(
      `Spørsmålet ${code} er nytt, men studien har allerede ${inquiries} henvendelser scoret uten det.`,
      `question ${code} is new, but the study already has ${inquiries} inquiries scored without it`,
      "question_code", code));
    for (const code of diff.removed) problems.push(studyProblem(
      `Spørsmålet ${code} mangler, men studiens ${inquiries} henvendelser har svar på det.`,
      `question ${code} is missing, but the study's ${inquiries} inquiries have answers to it`,
      "question_code", code));
    for (const code of diff.changed) {
      if (structural(existing.get(code)!) !== structural(incoming.get(code)!)) problems.push(studyProblem(
        `Område, type, maksimalpoeng eller kanaler for ${code} er endret, men studien har allerede resultater scoret etter det gamle.`,
        `the area, kind, max points or channels of ${code} changed, but the study already has results scored by the old ones`,
        "question_code", code));
    }
    if (problems.length > 0) return { ok: false, problems };
  }

  return {
    ok: true,
    diff,
    write: async () => {
      const replaced = [...diff.changed, ...diff.removed].map((code) => ({ code, ...existing.get(code)! }));
      await writeQuestionnaire(tx, studyId, questionnaire);
      if (inquiries > 0 && diff.changed.length > 0) await rescoreStudy(tx, studyId, questionnaire);
      return replaced;
    },
  };
}

/** Makes the stored questionnaire equal to `questionnaire`, keeping ids of unchanged codes. */
export async function writeQuestionnaire(tx: Executor, studyId: number, questionnaire: Questionnaire): Promise<void> {
  const areaIds = new Map<string, number>();
  for (const [i, area] of questionnaire.areas.entries()) {
    const [row] = await tx
      .insert(s.areas)
      .values({ studyId, code: area.code, name: area.name, weight: area.weight, position: i + 1 })
      .onConflictDoUpdate({ target: [s.areas.studyId, s.areas.code], set: { name: area.name, weight: area.weight, position: i + 1 } })
      .returning({ id: s.areas.id });
    areaIds.set(area.code, row!.id);
  }
  const codes = questionnaire.questions.map((q) => q.code);
  await tx.delete(s.questions).where(and(eq(s.questions.studyId, studyId), notInArray(s.questions.code, codes)));
  for (const [i, q] of questionnaire.questions.entries()) {
    const values = { areaId: areaIds.get(q.areaCode)!, text: q.text, kind: q.kind, maxPoints: q.maxPoints, channels: q.channels, position: i + 1 };
    await tx
      .insert(s.questions)
      .values({ studyId, code: q.code, ...values })
      .onConflictDoUpdate({ target: [s.questions.studyId, s.questions.code], set: values });
  }
  await tx.delete(s.areas).where(and(eq(s.areas.studyId, studyId), notInArray(s.areas.code, [...areaIds.keys()])));
}

/** Recomputes every stored inquiry score of a study (after a change of weights). */
async function rescoreStudy(tx: Executor, studyId: number, questionnaire: Questionnaire): Promise<void> {
  type Row = { tenant_id: string; id: string; channel: InquiryRow["channel"]; answered: boolean; answers: Record<string, number> | null };
  const rows = await tx.execute(sql`
    select i.tenant_id, i.id, i.channel, i.answered,
      (select jsonb_object_agg(q.code, a.value) from answers a join questions q on q.id = a.question_id
        where a.tenant_id = i.tenant_id and a.inquiry_id = i.id) as answers
    from inquiries i where i.study_id = ${studyId}`);
  const areaIds = await areaIdsOf(tx, studyId);
  const updates: { tenantId: string; id: string; total: number; band: string }[] = [];
  const areaScoreRows: (typeof s.inquiryAreaScores.$inferInsert)[] = [];
  for (const r of resultRows<Row>(rows)) {
    const score = scoreInquiry(questionnaire, { channel: r.channel, answered: r.answered, answers: r.answers ?? {} });
    updates.push({ tenantId: r.tenant_id, id: r.id, total: score.totalScore, band: score.band });
    for (const a of score.areaScores) areaScoreRows.push({ tenantId: r.tenant_id, inquiryId: r.id, areaId: areaIds.get(a.areaCode)!, score: a.score });
  }
  for (let i = 0; i < updates.length; i += CHUNK) {
    const chunk = updates.slice(i, i + CHUNK);
    await tx.execute(sql`
      update inquiries i set total_score = v.total, band = v.band::band
      from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as v("tenantId" uuid, id uuid, total numeric, band text)
      where i.tenant_id = v."tenantId" and i.id = v.id`);
  }
  await tx.execute(sql`delete from inquiry_area_scores where (tenant_id, inquiry_id) in (select tenant_id, id from inquiries where study_id = ${studyId})`);
  await insertChunked(areaScoreRows, (chunk) => insertAreaScoreRows(tx, chunk));
  await refreshParticipationFigures(tx, studyId);
}

async function areaIdsOf(tx: Executor, studyId: number): Promise<Map<string, number>> {
  const rows = await tx.select({ id: s.areas.id, code: s.areas.code }).from(s.areas).where(eq(s.areas.studyId, studyId));
  return new Map(rows.map((r) => [r.code, r.id]));
}

// ---------------------------------------------------------------------------------------
// Participants

async function loadParticipants(tx: Executor, studyId: number) {
  const rows = await tx
    .select({
      tenantId: s.participants.id,
      code: s.participants.code,
      name: s.participations.displayName,
      orgNumber: s.participants.orgNumber,
      classCode: s.classes.code,
      className: s.classes.name,
      inquiries: s.participations.inquiryCount,
    })
    .from(s.participations)
    .innerJoin(s.participants, eq(s.participants.id, s.participations.tenantId))
    .innerJoin(s.classes, eq(s.classes.id, s.participations.classId))
    .where(eq(s.participations.studyId, studyId));
  return new Map(rows.map((r) => [r.code, r]));
}

const participantRecord = (p: { name: string; orgNumber: string | null; classCode: string; className: string }) => ({
  name: p.name,
  orgNumber: p.orgNumber,
  classCode: p.classCode,
  className: p.className,
});

async function planParticipants(tx: Executor, studyId: number, participants: ParticipantRow[]): Promise<Plan> {
  const existingRows = await loadParticipants(tx, studyId);
  const existing = new Map([...existingRows].map(([code, r]) => [code, participantRecord(r)]));
  const incoming = new Map(participants.map((p) => [p.code, participantRecord(p)]));
  const diff = diffByKey(incoming, existing, sameJson);
  const problems = diff.removed
    .filter((code) => existingRows.get(code)!.inquiries > 0)
    .map((code) =>
      studyProblem(
        `Deltakeren ${code} mangler i filen, men har ${existingRows.get(code)!.inquiries} henvendelser i studiens resultater. Last inn rettede resultater først.`,
        `participant ${code} is missing from the file but has ${existingRows.get(code)!.inquiries} inquiries in the study's results; load corrected results first`,
        "participant_code",
        code,
      ),
    );
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    diff,
    write: async () => {
      await writeParticipants(tx, studyId, participants);
      return [...diff.changed, ...diff.removed].map((code) => ({ code, ...existing.get(code)! }));
    },
  };
}

/** Makes the study's participants and classes equal to the file; creates tenants seen for the first time. */
export async function writeParticipants(tx: Executor, studyId: number, participants: ParticipantRow[]): Promise<Map<string, string>> {
  const classIds = new Map<string, number>();
  for (const [code, name] of new Map(participants.map((p) => [p.classCode, p.className]))) {
    const [row] = await tx
      .insert(s.classes)
      .values({ studyId, code, name })
      .onConflictDoUpdate({ target: [s.classes.studyId, s.classes.code], set: { name } })
      .returning({ id: s.classes.id });
    classIds.set(code, row!.id);
  }
  // A company keeps its code across years; its name and number follow the newest file (an
  // empty org_number there clears a wrong one).
  const tenantIds = new Map<string, string>();
  for (let i = 0; i < participants.length; i += CHUNK) {
    const chunk = participants.slice(i, i + CHUNK);
    const rows = await tx
      .insert(s.participants)
      .values(chunk.map((p) => ({ code: p.code, name: p.name, orgNumber: p.orgNumber })))
      .onConflictDoUpdate({
        target: s.participants.code,
        set: { name: sql`excluded.name`, orgNumber: sql`excluded.org_number` },
      })
      .returning({ id: s.participants.id, code: s.participants.code });
    for (const r of rows) tenantIds.set(r.code, r.id);
    await tx
      .insert(s.participations)
      .values(chunk.map((p) => ({ tenantId: tenantIds.get(p.code)!, studyId, classId: classIds.get(p.classCode)!, displayName: p.name })))
      .onConflictDoUpdate({
        target: [s.participations.tenantId, s.participations.studyId],
        set: { classId: sql`excluded.class_id`, displayName: sql`excluded.display_name` },
      });
  }
  const keep = [...tenantIds.values()];
  await tx.delete(s.participations).where(and(eq(s.participations.studyId, studyId), notInArray(s.participations.tenantId, keep)));
  await tx.execute(sql`delete from classes c where c.study_id = ${studyId}
    and not exists (select 1 from participations p where p.class_id = c.id)`);
  return tenantIds;
}

// ---------------------------------------------------------------------------------------
// Results

const CHUNK = 1000;

async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>, onRows?: (done: number) => void): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await insert(rows.slice(i, i + CHUNK));
    onRows?.(Math.min(i + CHUNK, rows.length));
  }
}

/** An inquiry as compared and as kept in the history: plain JSON, answers in code order. */
function inquiryRecord(i: InquiryRow) {
  return {
    participantCode: i.participantCode,
    channel: i.channel,
    shopper: { code: i.shopper.code, gender: i.shopper.gender, age: i.shopper.age, region: i.shopper.region },
    scenario: i.scenario,
    contactedAt: i.contactedAt.toISOString(),
    attempts: i.attempts,
    answered: i.answered,
    waitSeconds: i.waitSeconds,
    agentName: i.agentName,
    comment: i.comment,
    transcript: i.transcript,
    answers: Object.fromEntries(Object.entries(i.answers).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
}

async function loadInquiryRecords(tx: Executor, studyId: number, onlyRef?: string): Promise<Map<string, string>> {
  const result = await tx.execute<{ ref: string; record: unknown }>(sql`
    select i.ref, jsonb_build_object(
      'participantCode', p.code, 'channel', i.channel,
      'shopper', jsonb_build_object('code', sh.code, 'gender', sh.gender, 'age', sh.age, 'region', sh.region),
      'scenario', i.scenario,
      'contactedAt', to_char(i.contacted_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'attempts', i.attempts, 'answered', i.answered, 'waitSeconds', i.wait_seconds,
      'agentName', i.agent_name, 'comment', i.comment, 'transcript', i.transcript,
      'answers', coalesce((select jsonb_object_agg(q.code, a.value) from answers a join questions q on q.id = a.question_id
                 where a.tenant_id = i.tenant_id and a.inquiry_id = i.id), '{}'::jsonb)) as record
    from inquiries i
    join participants p on p.id = i.tenant_id
    join shoppers sh on sh.id = i.shopper_id
    where i.study_id = ${studyId} ${onlyRef === undefined ? sql`` : sql`and i.ref = ${onlyRef}`}`);
  const map = new Map<string, string>();
  for (const r of resultRows<{ ref: string; record: unknown }>(result)) {
    const record = typeof r.record === "string" ? JSON.parse(r.record) : r.record;
    map.set(r.ref, JSON.stringify(reorder(record as ReturnType<typeof inquiryRecord>)));
  }
  return map;
}

/** jsonb sorts keys by length; put them back in inquiryRecord's order to compare as text. */
function reorder(r: ReturnType<typeof inquiryRecord>): ReturnType<typeof inquiryRecord> {
  return inquiryRecord({
    ref: "",
    participantCode: r.participantCode,
    channel: r.channel,
    shopper: r.shopper,
    scenario: r.scenario,
    contactedAt: new Date(r.contactedAt),
    attempts: r.attempts,
    answered: r.answered,
    waitSeconds: r.waitSeconds,
    agentName: r.agentName,
    comment: r.comment,
    transcript: r.transcript,
    answers: r.answers,
  });
}

async function planResults(tx: Executor, studyId: number, sheet: Sheet): Promise<Plan> {
  const questionnaire = await loadQuestionnaire(tx, studyId);
  const participants = await loadParticipants(tx, studyId);
  const problems: ImportProblem[] = [];
  if (!questionnaire) problems.push(studyProblem("Last inn spørreskjemaet for studien først.", "load the study's questionnaire first"));
  if (participants.size === 0) problems.push(studyProblem("Last inn deltakerne i studien først.", "load the study's participants first"));
  if (!questionnaire || problems.length > 0) return { ok: false, problems };

  const v = validateResults(sheet, questionnaire, new Set(participants.keys()));
  if (!v.ok) return v;
  // A header alone would remove every inquiry of the study: surely a wrong file.
  if (v.inquiries.length === 0) return { ok: false, problems: [studyProblem("Filen har ingen henvendelser.", "the file has no inquiries")] };
  const incoming = new Map(v.inquiries.map((i) => [i.ref, JSON.stringify(inquiryRecord(i))]));
  const existing = await loadInquiryRecords(tx, studyId);
  const diff = diffByKey(incoming, existing, (a, b) => a === b);
  return {
    ok: true,
    diff,
    write: async (batchId, onRows) => {
      const replacedRefs = [...diff.changed, ...diff.removed];
      const replaced = replacedRefs.map((ref) => ({ ref, ...JSON.parse(existing.get(ref)!) }));
      for (let i = 0; i < replacedRefs.length; i += CHUNK) {
        await tx.delete(s.inquiries).where(and(eq(s.inquiries.studyId, studyId), inArray(s.inquiries.ref, replacedRefs.slice(i, i + CHUNK))));
      }
      const toWrite = new Set([...diff.added, ...diff.changed]);
      await writeInquiries(tx, studyId, questionnaire, v.inquiries.filter((i) => toWrite.has(i.ref)), {
        tenantIds: new Map([...participants].map(([code, p]) => [code, p.tenantId])),
        batchId,
        onRows,
      });
      return replaced;
    },
  };
}

/**
 * Inserts validated inquiries with their answers and area scores, every inquiry scored
 * here once by the scoring engine. Shoppers are upserted; unused ones removed.
 */
export async function writeInquiries(
  tx: Executor,
  studyId: number,
  questionnaire: Questionnaire,
  inquiries: InquiryRow[],
  options: { tenantIds: Map<string, string>; batchId: number | null; onRows?: (done: number) => void },
): Promise<void> {
  const shoppers = new Map(inquiries.map((i) => [i.shopper.code, i.shopper]));
  const shopperIds = new Map<string, number>();
  const shopperList = [...shoppers.values()];
  for (let i = 0; i < shopperList.length; i += CHUNK) {
    const rows = await tx
      .insert(s.shoppers)
      .values(shopperList.slice(i, i + CHUNK).map((sh) => ({ studyId, code: sh.code, gender: sh.gender, age: sh.age, region: sh.region })))
      .onConflictDoUpdate({
        target: [s.shoppers.studyId, s.shoppers.code],
        set: { gender: sql`excluded.gender`, age: sql`excluded.age`, region: sql`excluded.region` },
      })
      .returning({ id: s.shoppers.id, code: s.shoppers.code });
    for (const r of rows) shopperIds.set(r.code, r.id);
  }

  const areaIds = await areaIdsOf(tx, studyId);
  const questionRows = await tx.select({ id: s.questions.id, code: s.questions.code }).from(s.questions).where(eq(s.questions.studyId, studyId));
  const questionIds = new Map(questionRows.map((q) => [q.code, q.id]));
  const questionDefs = new Map(questionnaire.questions.map((q) => [q.code, q]));

  for (let start = 0; start < inquiries.length; start += CHUNK) {
    const inquiryRows: (typeof s.inquiries.$inferInsert)[] = [];
    const answerRows: (typeof s.answers.$inferInsert)[] = [];
    const areaScoreRows: (typeof s.inquiryAreaScores.$inferInsert)[] = [];
    for (const inquiry of inquiries.slice(start, start + CHUNK)) {
      const tenantId = options.tenantIds.get(inquiry.participantCode)!;
      const id = randomUUID();
      const score = scoreInquiry(questionnaire, inquiry);
      inquiryRows.push({
        tenantId,
        id,
        studyId,
        ref: inquiry.ref,
        channel: inquiry.channel,
        shopperId: shopperIds.get(inquiry.shopper.code)!,
        scenario: inquiry.scenario,
        contactedAt: inquiry.contactedAt,
        attempts: inquiry.attempts,
        answered: inquiry.answered,
        waitSeconds: inquiry.waitSeconds,
        agentName: inquiry.agentName,
        comment: inquiry.comment,
        transcript: inquiry.transcript,
        totalScore: score.totalScore,
        band: score.band,
        importBatchId: options.batchId,
      });
      for (const [code, value] of Object.entries(inquiry.answers)) {
        const def = questionDefs.get(code)!;
        answerRows.push({ tenantId, inquiryId: id, questionId: questionIds.get(code)!, value, percent: def.kind === "points" ? (value / def.maxPoints!) * 100 : null });
      }
      for (const area of score.areaScores) areaScoreRows.push({ tenantId, inquiryId: id, areaId: areaIds.get(area.areaCode)!, score: area.score });
    }
    await insertInquiryRows(tx, inquiryRows);
    await insertAnswerRows(tx, answerRows);
    await insertAreaScoreRows(tx, areaScoreRows);
    options.onRows?.(Math.min(start + CHUNK, inquiries.length));
    // Let other requests in between chunks (matters on the single-threaded embedded database).
    await new Promise((resolve) => setImmediate(resolve));
  }
  await tx.execute(sql`delete from shoppers sh where sh.study_id = ${studyId}
    and not exists (select 1 from inquiries i where i.shopper_id = sh.id)`);
  await refreshParticipationFigures(tx, studyId);
}

// Bulk inserts pass each chunk as one JSON parameter: building multi-row VALUES statements
// with tens of thousands of bound parameters cost more than the database's own work
// (tests/bench/import: 4.9× → about 2× PostgreSQL's COPY of the same rows).
const json = (rows: unknown[]) => sql.param(JSON.stringify(rows));

async function insertInquiryRows(tx: Executor, rows: (typeof s.inquiries.$inferInsert)[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.execute(sql`
    insert into inquiries (tenant_id, id, study_id, ref, channel, shopper_id, scenario, contacted_at, attempts,
      answered, wait_seconds, agent_name, comment, transcript, total_score, band, import_batch_id)
    select "tenantId", id, "studyId", ref, channel, "shopperId", scenario, "contactedAt", attempts, answered,
      "waitSeconds", "agentName", comment, transcript, "totalScore", band, "importBatchId"
    from json_to_recordset(${json(rows)}::json) as r("tenantId" uuid, id uuid, "studyId" int, ref text, channel channel,
      "shopperId" int, scenario text, "contactedAt" timestamptz, attempts smallint, answered boolean, "waitSeconds" int,
      "agentName" text, comment text, transcript text, "totalScore" numeric, band band, "importBatchId" int)`);
}

async function insertAnswerRows(tx: Executor, rows: (typeof s.answers.$inferInsert)[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.execute(sql`
    insert into answers (tenant_id, inquiry_id, question_id, value, percent)
    select "tenantId", "inquiryId", "questionId", value, percent
    from json_to_recordset(${json(rows)}::json) as r("tenantId" uuid, "inquiryId" uuid, "questionId" int, value smallint, percent float8)`);
}

async function insertAreaScoreRows(tx: Executor, rows: (typeof s.inquiryAreaScores.$inferInsert)[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.execute(sql`
    insert into inquiry_area_scores (tenant_id, inquiry_id, area_id, score)
    select "tenantId", "inquiryId", "areaId", score
    from json_to_recordset(${json(rows)}::json) as r("tenantId" uuid, "inquiryId" uuid, "areaId" int, score numeric)`);
}

/** Participant totals: the mean of all stored inquiry scores, unanswered counted as 0. */
export async function refreshParticipationFigures(tx: Executor, studyId: number): Promise<void> {
  await tx.execute(sql`
    update participations p set
      inquiry_count = coalesce(agg.n, 0),
      answered_count = coalesce(agg.answered, 0),
      total_score = agg.mean
    from participations p2
    left join (
      select tenant_id, count(*)::int as n, count(*) filter (where answered)::int as answered, avg(total_score) as mean
      from inquiries where study_id = ${studyId} group by tenant_id
    ) agg on agg.tenant_id = p2.tenant_id
    where p.study_id = ${studyId} and p2.study_id = p.study_id and p2.tenant_id = p.tenant_id`);
}

// ---------------------------------------------------------------------------------------
// Corrections (spec/season.md): an accepted query changes the points of questions of one
// inquiry. It is a new version in the import history like a file (who, when, what it
// replaced) that names the query, scored by the same engine, and a published study's
// frozen figures are recomputed in the same transaction.

export class CorrectionError extends Error {
  constructor(
    public readonly code: "no-inquiry" | "unanswered" | "unknown-question" | "not-points" | "not-applicable" | "out-of-range" | "no-change",
    public readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
  }
}

/** Changes the points of `changes` (question code -> whole points) of inquiry `ref`; returns the import batch. */
export async function correctInquiry(
  tx: Executor,
  input: { studyId: number; ref: string; changes: Record<string, number>; userId: string | null; queryId: string | null; label: string },
): Promise<{ batchId: number; before: number; after: number }> {
  const [study] = await tx.select().from(s.studies).where(eq(s.studies.id, input.studyId)).for("update");
  if (!study) throw new CorrectionError("no-inquiry", "the study does not exist");
  const questionnaire = await loadQuestionnaire(tx, study.id);
  const existing = await loadInquiryRecords(tx, study.id, input.ref);
  const text = existing.get(input.ref);
  if (!questionnaire || !text) throw new CorrectionError("no-inquiry", input.ref);
  const record = JSON.parse(text) as ReturnType<typeof inquiryRecord>;
  if (!record.answered) throw new CorrectionError("unanswered", input.ref);
  const questions = new Map(questionnaire.questions.map((q) => [q.code, q]));
  const answers = { ...record.answers };
  for (const [code, points] of Object.entries(input.changes)) {
    const question = questions.get(code);
    if (!question) throw new CorrectionError("unknown-question", code);
    if (question.kind !== "points") throw new CorrectionError("not-points", code);
    if (question.channels && !question.channels.includes(record.channel)) throw new CorrectionError("not-applicable", code);
    if (!Number.isInteger(points) || points < 0 || points > question.maxPoints!) throw new CorrectionError("out-of-range", `${code}: 0..${question.maxPoints}`);
    answers[code] = points;
  }
  if (sameJson(answers, record.answers)) throw new CorrectionError("no-change", input.ref);
  const row: InquiryRow = { ...record, ref: input.ref, contactedAt: new Date(record.contactedAt), answers } as InquiryRow;
  const before = scoreInquiry(questionnaire, { ...row, answers: record.answers }).totalScore;
  const after = scoreInquiry(questionnaire, row).totalScore;

  const change = { ref: input.ref, changes: input.changes, queryId: input.queryId };
  const [batch] = await tx
    .insert(s.importBatches)
    .values({
      studyId: study.id,
      kind: "results",
      fileName: input.label,
      checksum: checksumOf(new TextEncoder().encode(JSON.stringify(change))),
      rowCount: 1,
      counts: { added: 0, changed: 1, removed: 0, unchanged: 0 },
      replaced: [{ ref: input.ref, ...record }],
      createdBy: input.userId,
      queryId: input.queryId,
    })
    .returning({ id: s.importBatches.id });
  const batchId = batch!.id;
  await tx.delete(s.inquiries).where(and(eq(s.inquiries.studyId, study.id), eq(s.inquiries.ref, input.ref)));
  const participants = await loadParticipants(tx, study.id);
  await writeInquiries(tx, study.id, questionnaire, [row], { tenantIds: new Map([...participants].map(([code, p]) => [code, p.tenantId])), batchId });
  if (study.status === "published") {
    await publishStudyIn(tx, study.id, study.publishedAt ?? new Date());
    await recordStaffAction(tx, { actorUserId: input.userId, action: "study.publish", studyId: study.id, details: { after: "correction", batchId } });
    // The stored company reports show these figures: the caller sends the rebuild jobs after its commit (sendReportJobs).
    await markStudyReportsStale(tx, study.id);
  }
  await recordStaffAction(tx, {
    actorUserId: input.userId,
    action: "import.correction",
    studyId: study.id,
    details: { batchId, ref: input.ref, changes: input.changes, queryId: input.queryId, before, after },
  });
  return { batchId, before, after };
}
