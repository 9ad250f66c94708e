import { desc, eq, sql } from "drizzle-orm";
import type { Executor } from "#db/client.server";
import * as s from "#db/schema";

export interface StaffAction {
  actorUserId: string | null;
  /** dotted verb, e.g. `study.create`, `import.results`, `invitation.create` */
  action: string;
  studyId?: number | null;
  participantId?: string | null;
  details?: Record<string, unknown>;
}

/** Every staff action is written in the same transaction as the change it describes. */
export async function recordStaffAction(tx: Executor, a: StaffAction): Promise<void> {
  await tx.insert(s.auditEvents).values({
    actorUserId: a.actorUserId,
    action: a.action,
    studyId: a.studyId ?? null,
    participantId: a.participantId ?? null,
    details: a.details ?? {},
  });
}

export const AUDIT_PAGE_SIZE = 50;

/** Newest first, with the actor's e-mail, the study's year and the company's name. */
export async function listStaffActions(tx: Executor, options: { before?: number; action?: string } = {}) {
  return tx
    .select({
      id: s.auditEvents.id,
      at: s.auditEvents.at,
      action: s.auditEvents.action,
      actorEmail: s.users.email,
      studyYear: s.studies.year,
      participantName: s.participants.name,
      participantCode: s.participants.code,
      details: s.auditEvents.details,
    })
    .from(s.auditEvents)
    .leftJoin(s.users, eq(s.users.id, s.auditEvents.actorUserId))
    .leftJoin(s.studies, eq(s.studies.id, s.auditEvents.studyId))
    .leftJoin(s.participants, eq(s.participants.id, s.auditEvents.participantId))
    .where(
      sql`${options.before ? sql`${s.auditEvents.id} < ${options.before}` : sql`true`}
        and ${options.action ? sql`${s.auditEvents.action} like ${options.action + "%"}` : sql`true`}`,
    )
    .orderBy(desc(s.auditEvents.id))
    .limit(AUDIT_PAGE_SIZE + 1);
}
