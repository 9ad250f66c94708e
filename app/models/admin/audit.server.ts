import { desc, eq, sql } from "drizzle-orm";
import type { Executor } from "#db/client.server";
import * as s from "#db/schema";
import type { PackFormat } from "~/domain/coaching-pack";
import type { TenantRole } from "~/domain/types";

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

/** The company's own audit log: every action it records, with the details each one carries. */
export type TenantAction =
  | { action: "privacy.agent_names"; details: { hidden: boolean } }
  | { action: "membership.revoke"; details: { email: string | undefined; role: TenantRole } }
  | { action: "membership.role"; details: { email: string | undefined; from: TenantRole; to: TenantRole } }
  | { action: "invitation.create" | "invitation.resend" | "invitation.revoke"; details: { email: string; role: TenantRole } }
  /** `kept`: the member already had a higher role, which the invitation did not lower */
  | { action: "invitation.accept"; details: { email: string; role: TenantRole; kept?: TenantRole } }
  | { action: "invitation.remind"; details: { email: string; role: TenantRole } }
  | { action: "api_token.create" | "api_token.revoke"; details: { name: string } }
  | { action: "coaching.booking.create"; details: { bookingId: string; slotId: number; productId: number; method: string } }
  | { action: "coaching.booking.paid"; details: { bookingId: string; checkoutSession: string } }
  | { action: "coaching.booking.cancel"; details: { bookingId: string } }
  | { action: "coaching.export"; details: { exportId: string; format: PackFormat; year: number; inquiries: number; selection: unknown } }
  | { action: "query.raise"; details: { queryId: string; year: number; ref: string; questionCode: string | null } }
  | { action: "query.answer"; details: { queryId: string; ref: string; state: string; batchId: number | null } }
  | { action: "targets.set"; details: { year: number; changes: { kind: "total" | "area" | "channel"; subject: string; from: number | null; to: number | null }[] } }
  | { action: "response_goals.set"; details: { changes: { channel: string; from: number | null; to: number | null }[] } }
  | { action: "sso.settings"; details: { issuer: string; clientId: string; domains: string[]; passwordAllowed: boolean; selfRegistration: boolean; secretChanged: boolean } }
  | { action: "sso.remove"; details: { issuer: string } }
  | { action: "sso.self_registration"; details: { email: string; role: TenantRole } }
  | { action: "coaching.log.create" | "coaching.log.update"; details: { entryId: string; sessionDate: string; followUpDate: string | null; inquiries: number; packId: string | null } }
  | { action: "coaching.log.delete"; details: { entryId: string; sessionDate: string } }
  | { action: "plan.create" | "plan.update"; details: Record<string, unknown> & { planId: string; title: string } }
  | { action: "plan.delete"; details: { planId: string; title: string } }
  | { action: "report.download"; details: { year: number; kind: string; lang: string } }
  | { action: "privacy.report_downloads"; details: { viewers: boolean } };

/**
 * Every change a company can see in its audit log, written in the same transaction as the
 * change (inside the tenant scope, RLS checks the tenant; on the system path the caller
 * names it). `actorUserId` is null for changes no user made (a paid checkout).
 */
export async function recordTenantAction(tx: Executor, tenantId: string, actorUserId: string | null, entry: TenantAction): Promise<void> {
  await tx.insert(s.tenantAuditEvents).values({ tenantId, actorUserId, action: entry.action, details: entry.details });
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
