import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { Executor } from "#db/client.server";
import * as s from "#db/schema";
import { scoreInquiry } from "~/domain/scoring";
import type { StudyData } from "~/domain/types";

const CHUNK = 1000;

async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

/**
 * Writes one validated study (questionnaire, participants, inquiries) with every
 * inquiry scored once, here, by the scoring engine. Run it inside a transaction:
 * callers (seed, import) rely on all or nothing.
 */
export async function writeStudy(tx: Executor, data: StudyData, options: { importBatchId?: number } = {}) {
  const [study] = await tx.insert(s.studies).values({ year: data.year, name: data.name }).returning({ id: s.studies.id });
  const studyId = study!.id;

  const classNames = new Map(data.participants.map((p) => [p.classCode, p.className]));
  const classRows = await tx
    .insert(s.classes)
    .values([...classNames].map(([code, name]) => ({ studyId, code, name })))
    .returning({ id: s.classes.id, code: s.classes.code });
  const classIds = new Map(classRows.map((c) => [c.code, c.id]));

  const areaRows = await tx
    .insert(s.areas)
    .values(data.questionnaire.areas.map((a, i) => ({ studyId, code: a.code, name: a.name, weight: a.weight, position: i + 1 })))
    .returning({ id: s.areas.id, code: s.areas.code });
  const areaIds = new Map(areaRows.map((a) => [a.code, a.id]));
  const questionRows = await tx
    .insert(s.questions)
    .values(
      data.questionnaire.questions.map((q, i) => ({
        studyId,
        areaId: areaIds.get(q.areaCode)!,
        code: q.code,
        text: q.text,
        kind: q.kind,
        maxPoints: q.maxPoints,
        channels: q.channels,
        position: i + 1,
      })),
    )
    .returning({ id: s.questions.id, code: s.questions.code });
  const questionIds = new Map(questionRows.map((q) => [q.code, q.id]));
  const questionDefs = new Map(data.questionnaire.questions.map((q) => [q.code, q]));

  // A company keeps its code across years; its name follows the newest file.
  const tenantIds = new Map<string, string>();
  for (const p of data.participants) {
    const [row] = await tx
      .insert(s.participants)
      .values({ code: p.code, name: p.name, orgNumber: p.orgNumber })
      .onConflictDoUpdate({ target: s.participants.code, set: { name: p.name, orgNumber: p.orgNumber } })
      .returning({ id: s.participants.id });
    tenantIds.set(p.code, row!.id);
  }
  await tx.insert(s.participations).values(
    data.participants.map((p) => ({ tenantId: tenantIds.get(p.code)!, studyId, classId: classIds.get(p.classCode)!, displayName: p.name })),
  );

  const shoppers = new Map(data.inquiries.map((i) => [i.shopper.code, i.shopper]));
  const shopperRows = await tx
    .insert(s.shoppers)
    .values([...shoppers.values()].map((sh) => ({ studyId, code: sh.code, gender: sh.gender, age: sh.age, region: sh.region })))
    .returning({ id: s.shoppers.id, code: s.shoppers.code });
  const shopperIds = new Map(shopperRows.map((sh) => [sh.code, sh.id]));

  const inquiryRows: (typeof s.inquiries.$inferInsert)[] = [];
  const answerRows: (typeof s.answers.$inferInsert)[] = [];
  const areaScoreRows: (typeof s.inquiryAreaScores.$inferInsert)[] = [];
  for (const inquiry of data.inquiries) {
    const tenantId = tenantIds.get(inquiry.participantCode)!;
    const id = randomUUID();
    const score = scoreInquiry(data.questionnaire, inquiry);
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
      importBatchId: options.importBatchId ?? null,
    });
    for (const [code, value] of Object.entries(inquiry.answers)) {
      const def = questionDefs.get(code)!;
      answerRows.push({
        tenantId,
        inquiryId: id,
        questionId: questionIds.get(code)!,
        value,
        percent: def.kind === "points" ? (value / def.maxPoints!) * 100 : null,
      });
    }
    for (const area of score.areaScores) areaScoreRows.push({ tenantId, inquiryId: id, areaId: areaIds.get(area.areaCode)!, score: area.score });
  }
  await insertChunked(inquiryRows, (chunk) => tx.insert(s.inquiries).values(chunk));
  await insertChunked(answerRows, (chunk) => tx.insert(s.answers).values(chunk));
  await insertChunked(areaScoreRows, (chunk) => tx.insert(s.inquiryAreaScores).values(chunk));
  await refreshParticipationFigures(tx, studyId);
  return { studyId };
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

export async function findStudyByYear(tx: Executor, year: number) {
  const [study] = await tx.select().from(s.studies).where(eq(s.studies.year, year));
  return study ?? null;
}
