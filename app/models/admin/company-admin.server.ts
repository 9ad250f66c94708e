// Staff path over companies (tenants): list and search, one company's participations
// and people, changing a member's role, revoking a membership. Runs as the owner; guarded by requireStaff.

import { and, asc, desc, eq, ilike, or, sql } from "drizzle-orm";
import { likeContains, type Db } from "#db/client.server";
import * as s from "#db/schema";
import type { TenantRole } from "~/domain/types";
import { recordStaffAction, recordTenantAction } from "./audit.server";

export const COMPANY_PAGE_SIZE = 50;

export async function listCompanies(db: Db, options: { q?: string; page?: number } = {}) {
  const q = options.q?.trim();
  const where = q ? or(ilike(s.participants.name, likeContains(q)), ilike(s.participants.code, likeContains(q)), eq(s.participants.orgNumber, q.replace(/\s/g, ""))) : undefined;
  const page = Math.max(1, options.page ?? 1);
  const rows = await db
    .select({
      id: s.participants.id,
      code: s.participants.code,
      name: s.participants.name,
      orgNumber: s.participants.orgNumber,
      years: sql<number[]>`coalesce((select array_agg(st.year order by st.year) from participations p join studies st on st.id = p.study_id where p.tenant_id = "participants"."id"), '{}')`,
      members: sql<number>`(select count(*)::int from memberships m where m.tenant_id = "participants"."id")`,
    })
    .from(s.participants)
    .where(where)
    .orderBy(asc(s.participants.name))
    .limit(COMPANY_PAGE_SIZE + 1)
    .offset((page - 1) * COMPANY_PAGE_SIZE);
  return { companies: rows.slice(0, COMPANY_PAGE_SIZE), hasNext: rows.length > COMPANY_PAGE_SIZE, page };
}

export async function findCompanyByCode(db: Db, code: string) {
  const [row] = await db.select().from(s.participants).where(eq(s.participants.code, code));
  return row ?? null;
}

export async function getCompany(db: Db, code: string) {
  const company = await findCompanyByCode(db, code);
  if (!company) return null;
  const participations = await db
    .select({
      year: s.studies.year,
      studyName: s.studies.name,
      status: s.studies.status,
      displayName: s.participations.displayName,
      className: s.classes.name,
      inquiries: s.participations.inquiryCount,
      answered: s.participations.answeredCount,
      totalScore: s.participations.totalScore,
    })
    .from(s.participations)
    .innerJoin(s.studies, eq(s.studies.id, s.participations.studyId))
    .innerJoin(s.classes, eq(s.classes.id, s.participations.classId))
    .where(eq(s.participations.tenantId, company.id))
    .orderBy(desc(s.studies.year));
  const people = await db
    .select({ userId: s.users.id, name: s.users.name, email: s.users.email, role: s.memberships.role, since: s.memberships.createdAt, disabledAt: s.users.disabledAt })
    .from(s.memberships)
    .innerJoin(s.users, eq(s.users.id, s.memberships.userId))
    .where(eq(s.memberships.tenantId, company.id))
    .orderBy(asc(s.users.name));
  return { company, participations: participations.map((p) => ({ ...p, totalScore: p.totalScore === null ? null : Number(p.totalScore) })), people };
}

/** Removes a person from a company; their sessions lose that company on the next request. */
export async function revokeMembership(db: Db, input: { tenantId: string; userId: string; actorUserId: string | null }) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .delete(s.memberships)
      .where(and(eq(s.memberships.tenantId, input.tenantId), eq(s.memberships.userId, input.userId)))
      .returning({ role: s.memberships.role });
    if (!row) return false;
    const [user] = await tx.select({ email: s.users.email }).from(s.users).where(eq(s.users.id, input.userId));
    await tx.update(s.sessions).set({ activeTenantId: null }).where(and(eq(s.sessions.userId, input.userId), eq(s.sessions.activeTenantId, input.tenantId)));
    await recordStaffAction(tx, { actorUserId: input.actorUserId, action: "membership.revoke", participantId: input.tenantId, details: { email: user?.email, role: row.role } });
    await recordTenantAction(tx, input.tenantId, input.actorUserId, { action: "membership.revoke", details: { email: user?.email, role: row.role } });
    return true;
  });
}

/**
 * Gives a member another role. Roles are read from memberships on every request, so the
 * change applies at the person's next request (no session carries a role); both audit logs
 * record it. Returns null when the person is not a member of the company.
 */
export async function changeMemberRole(db: Db, input: { tenantId: string; userId: string; role: TenantRole; actorUserId: string | null }) {
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({ role: s.memberships.role })
      .from(s.memberships)
      .where(and(eq(s.memberships.tenantId, input.tenantId), eq(s.memberships.userId, input.userId)))
      .for("update");
    if (!before) return null;
    if (before.role === input.role) return "unchanged";
    await tx
      .update(s.memberships)
      .set({ role: input.role })
      .where(and(eq(s.memberships.tenantId, input.tenantId), eq(s.memberships.userId, input.userId)));
    const [user] = await tx.select({ email: s.users.email }).from(s.users).where(eq(s.users.id, input.userId));
    const details = { email: user?.email, from: before.role, to: input.role };
    await recordStaffAction(tx, { actorUserId: input.actorUserId, action: "membership.role", participantId: input.tenantId, details });
    await recordTenantAction(tx, input.tenantId, input.actorUserId, { action: "membership.role", details });
    return "changed";
  });
}
