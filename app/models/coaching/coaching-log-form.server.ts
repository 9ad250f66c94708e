// The coaching log's form submission, shared by the log page (new session) and an entry's page
// (edit): parse with the one schema, write within the tenant, and turn the model's refusals
// into field errors. A pack or inquiry of another company is refused like one of nobody's.

import type { SubmissionResult } from "@conform-to/react";
import { getDatabase, withTenant } from "#db/client.server";
import { CoachingLogSchema, splitRefs } from "~/domain/coaching-log";
import { parseWithZod } from "~/ui/form";
import { withParams } from "~/ui/field";
import { createCoachingLogEntry, updateCoachingLogEntry, type CoachingLogInput } from "./coaching-log.server";

export type SaveOutcome = { status: 200; id: string; reply: SubmissionResult<string[]> } | { status: 400 | 404; reply: SubmissionResult<string[]> | null };

export async function saveCoachingLog(member: { tenantId: string; userId: string }, form: FormData, entryId: string | null): Promise<SaveOutcome> {
  const submission = parseWithZod(form, { schema: CoachingLogSchema });
  if (submission.status !== "success") return { status: 400, reply: submission.reply() };
  const v = submission.value;
  const input: CoachingLogInput = {
    sessionDate: v.sessionDate,
    coachedKind: v.coachedKind,
    coached: v.coached,
    habit: v.habit,
    refs: splitRefs(v.refs),
    packId: v.packId ?? null,
    followUpDate: v.followUpDate ?? null,
  };
  const { db } = await getDatabase();
  const result = await withTenant(db, member.tenantId, (scope) =>
    entryId === null ? createCoachingLogEntry(scope, input, member.userId) : updateCoachingLogEntry(scope, entryId, input, member.userId),
  );
  if (result === null) return { status: 404, reply: null };
  if ("error" in result) {
    const fieldErrors: Record<string, string[]> =
      result.error === "unknownRefs"
        ? { refs: [withParams("coachingLog.error.unknownRefs", { refs: result.refs.join(", ") })] }
        : result.error === "unknownPack"
          ? { packId: ["coachingLog.error.pack"] }
          : { coachedKind: ["coachingLog.error.namesHidden"] };
    return { status: 400, reply: submission.reply({ fieldErrors }) };
  }
  return { status: 200, id: result.id, reply: submission.reply({ resetForm: entryId === null }) };
}
