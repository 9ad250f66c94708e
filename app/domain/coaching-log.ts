// The coaching log's form (issue 18), one zod schema for the browser and the server; its
// messages are catalogue keys (app/ui/form.tsx).

import * as z from "zod";

export const COACHED_KINDS = ["name", "label"] as const;
export const FOLLOW_UP_FILTERS = ["overdue", "upcoming", "none"] as const;
/** Sessions are deleted this many years after their date (docs/privacy.md, housekeeping). */
export const COACHING_LOG_KEEP_YEARS = 3;
/** At most this many inquiries linked to one session. */
export const MAX_LINKED_REFS = 50;

const REF = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;
const noControl = (text: string) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(text);

/** A required text of at most `max` characters, trimmed, without control characters. */
const requiredText = (max: number, required: string, tooLong: string) =>
  z.string({ error: required }).trim().min(1, { error: required }).max(max, { error: tooLong }).refine(noControl, { error: required });

/** "S21-0001, S21-0002" (commas, semicolons or white space) → the refs, in order, once each. */
export function splitRefs(text: string | undefined): string[] {
  return [...new Set((text ?? "").split(/[\s,;]+/).filter((ref) => ref !== ""))];
}

export const CoachingLogSchema = z
  .object({
    sessionDate: z.iso.date({ error: "coachingLog.error.date" }),
    coachedKind: z.enum(COACHED_KINDS, { error: "coachingLog.error.kind" }),
    coached: requiredText(60, "coachingLog.error.coachedRequired", "coachingLog.error.coachedTooLong"),
    habit: requiredText(500, "coachingLog.error.habitRequired", "coachingLog.error.habitTooLong"),
    refs: z
      .string()
      .max(2000, { error: "coachingLog.error.refs" })
      .optional()
      .refine((text) => splitRefs(text).every((ref) => REF.test(ref)), { error: "coachingLog.error.refs" })
      .refine((text) => splitRefs(text).length <= MAX_LINKED_REFS, { error: "coachingLog.error.tooManyRefs" }),
    packId: z.uuid({ error: "coachingLog.error.pack" }).optional(),
    followUpDate: z.iso.date({ error: "coachingLog.error.date" }).optional(),
  })
  .refine((v) => !v.followUpDate || v.followUpDate >= v.sessionDate, { path: ["followUpDate"], error: "coachingLog.error.followUpBefore" });

export type CoachingLogForm = z.output<typeof CoachingLogSchema>;

export const CoachingLogFilterSchema = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  followUp: z.enum(FOLLOW_UP_FILTERS).optional().catch(undefined),
  from: z.iso.date().optional().catch(undefined),
  to: z.iso.date().optional().catch(undefined),
});
export type CoachingLogFilterInput = z.output<typeof CoachingLogFilterSchema>;
