import type { Executor } from "#db/client.server";
import * as s from "#db/schema";
import type { StudyData } from "~/domain/types";
import { writeInquiries, writeParticipants, writeQuestionnaire } from "./import.server";

/**
 * Writes one validated study (questionnaire, participants, inquiries) through the
 * same writers as the import pipeline, every inquiry scored once by the scoring
 * engine. Run it inside a transaction: callers (seed, tests) rely on all or nothing.
 */
export async function writeStudy(tx: Executor, data: StudyData, options: { importBatchId?: number } = {}) {
  const [study] = await tx.insert(s.studies).values({ year: data.year, name: data.name }).returning({ id: s.studies.id });
  const studyId = study!.id;
  await writeQuestionnaire(tx, studyId, data.questionnaire);
  const tenantIds = await writeParticipants(tx, studyId, data.participants);
  await writeInquiries(tx, studyId, data.questionnaire, data.inquiries, { tenantIds, batchId: options.importBatchId ?? null });
  return { studyId };
}
