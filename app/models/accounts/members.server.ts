// A company's people: who has access, the open invitations, and the changes a manager (on
// /company/settings/members) or staff (on the staff company page) make to them. One
// implementation for both: the caller names the company (a manager's from the session's
// membership, never from the form) and who acts; staff actions also go in the staff log.
// Runs on the owner connection, like the company's booking cancellations (decision 006):
// the runtime role may not write memberships or invitations, so no tenant can make itself
// manager through a page that forgot a check. Every query filters by the company.

import { and, asc, desc, eq, isNull, ne, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server";
import * as s from "#db/schema";
import type { TenantRole } from "~/domain/types";
import { recordStaffAction, recordTenantAction, type TenantAction } from "~/models/admin/audit.server";
import { createInvitation } from "./invitation.server";

/** Who makes a change: a member of the company (its manager) or the operator's staff. */
export interface MemberActor {
  userId: string | null;
  staff: boolean;
}

/** Demoting or removing the company's last active manager (a person whose account is not disabled). */
export class LastManagerError extends Error {
  constructor() {
    super("A company must keep at least one active manager.");
  }
}

/** Inviting someone who already has access: change their role instead. */
export class AlreadyMemberError extends Error {
  constructor(readonly email: string) {
    super("The person is already a member of the company.");
  }
}

/**
 * Every change to a company's memberships takes this lock first (per company, until the
 * transaction ends), so two managers demoting each other at once run one after the other and
 * the second sees the first's change: the last manager is never lost to a race.
 */
const MEMBERS_LOCK = 7_245_017;

async function lockMembers(tx: Tx, tenantId: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(${MEMBERS_LOCK}, hashtext(${tenantId}::text))`);
}

async function otherActiveManagers(tx: Tx, tenantId: string, userId: string): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(s.memberships)
    .innerJoin(s.users, eq(s.users.id, s.memberships.userId))
    .where(and(eq(s.memberships.tenantId, tenantId), eq(s.memberships.role, "manager"), ne(s.memberships.userId, userId), isNull(s.users.disabledAt)));
  return row?.n ?? 0;
}

async function audit(tx: Tx, tenantId: string, actor: MemberActor, entry: TenantAction) {
  if (actor.staff) await recordStaffAction(tx, { actorUserId: actor.userId, action: entry.action, participantId: tenantId, details: entry.details });
  await recordTenantAction(tx, tenantId, actor.userId, entry);
}

/** The company's members with when each last signed in, by name. */
export async function listMembers(db: Db, tenantId: string) {
  return db
    .select({
      userId: s.users.id,
      name: s.users.name,
      email: s.users.email,
      role: s.memberships.role,
      since: s.memberships.createdAt,
      disabledAt: s.users.disabledAt,
      lastLoginAt: s.users.lastLoginAt,
    })
    .from(s.memberships)
    .innerJoin(s.users, eq(s.users.id, s.memberships.userId))
    .where(eq(s.memberships.tenantId, tenantId))
    .orderBy(asc(s.users.name), asc(s.users.email));
}

/** Invitations neither used nor withdrawn, newest first; an expired one can be sent again. */
export async function listPendingInvitations(db: Db, tenantId: string, now = new Date()) {
  const rows = await db
    .select({ id: s.invitations.id, email: s.invitations.email, role: s.invitations.role, createdAt: s.invitations.createdAt, expiresAt: s.invitations.expiresAt })
    .from(s.invitations)
    .where(and(eq(s.invitations.tenantId, tenantId), isNull(s.invitations.acceptedAt), isNull(s.invitations.revokedAt)))
    .orderBy(desc(s.invitations.createdAt))
    .limit(200);
  return rows.map((r) => ({ ...r, expired: r.expiresAt <= now }));
}

async function isMember(db: Db, tenantId: string, email: string): Promise<boolean> {
  const [row] = await db
    .select({ userId: s.memberships.userId })
    .from(s.memberships)
    .innerJoin(s.users, eq(s.users.id, s.memberships.userId))
    .where(and(eq(s.memberships.tenantId, tenantId), eq(sql`lower(${s.users.email})`, email.trim().toLowerCase())));
  return Boolean(row);
}

/** Invites a person by e-mail (a new invitation replaces an open one to the same address). */
export async function inviteMember(db: Db, input: { tenantId: string; email: string; role: TenantRole; actor: MemberActor }) {
  // Accepting an invitation sets the member's role: re-inviting a member could demote the last manager.
  if (await isMember(db, input.tenantId, input.email)) throw new AlreadyMemberError(input.email.trim().toLowerCase());
  return createInvitation(db, { tenantId: input.tenantId, email: input.email, role: input.role, invitedBy: input.actor.userId, byStaff: input.actor.staff });
}

async function pendingInvitation(db: Db, tenantId: string, invitationId: string) {
  const [row] = await db
    .select({ email: s.invitations.email, role: s.invitations.role })
    .from(s.invitations)
    .where(and(eq(s.invitations.tenantId, tenantId), eq(s.invitations.id, invitationId), isNull(s.invitations.acceptedAt), isNull(s.invitations.revokedAt)));
  return row ?? null;
}

/**
 * Sends a pending (or expired) invitation again: a new link valid for 7 days replaces the old
 * one, which stops working. Null when the company has no such pending invitation.
 */
export async function resendInvitation(db: Db, input: { tenantId: string; invitationId: string; actor: MemberActor }) {
  const pending = await pendingInvitation(db, input.tenantId, input.invitationId);
  if (!pending) return null;
  if (await isMember(db, input.tenantId, pending.email)) throw new AlreadyMemberError(pending.email);
  const { invitation } = await createInvitation(db, {
    tenantId: input.tenantId,
    email: pending.email,
    role: pending.role,
    invitedBy: input.actor.userId,
    byStaff: input.actor.staff,
    action: "invitation.resend",
  });
  return { email: invitation.email, expiresAt: invitation.expiresAt };
}

/** Withdraws a pending invitation; its link stops working. Null when there is no such one. */
export async function revokeInvitation(db: Db, input: { tenantId: string; invitationId: string; actor: MemberActor }) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(s.invitations)
      .set({ revokedAt: new Date() })
      .where(and(eq(s.invitations.tenantId, input.tenantId), eq(s.invitations.id, input.invitationId), isNull(s.invitations.acceptedAt), isNull(s.invitations.revokedAt)))
      .returning({ email: s.invitations.email, role: s.invitations.role });
    if (!row) return null;
    await audit(tx, input.tenantId, input.actor, { action: "invitation.revoke", details: { email: row.email, role: row.role } });
    return { email: row.email };
  });
}

async function lockedMember(tx: Tx, tenantId: string, userId: string) {
  const [row] = await tx
    .select({ role: s.memberships.role, email: s.users.email, disabledAt: s.users.disabledAt })
    .from(s.memberships)
    .innerJoin(s.users, eq(s.users.id, s.memberships.userId))
    .where(and(eq(s.memberships.tenantId, tenantId), eq(s.memberships.userId, userId)))
    .for("update", { of: s.memberships });
  return row ?? null;
}

/**
 * Gives a member another role. Roles are read from memberships on every request, so the
 * change applies at the person's next request. Null when the person is not a member of the
 * company; throws LastManagerError rather than leave the company without an active manager.
 */
export async function changeMemberRole(db: Db, input: { tenantId: string; userId: string; role: TenantRole; actor: MemberActor }) {
  return db.transaction(async (tx) => {
    await lockMembers(tx, input.tenantId);
    const before = await lockedMember(tx, input.tenantId, input.userId);
    if (!before) return null;
    if (before.role === input.role) return "unchanged" as const;
    if (before.role === "manager" && !before.disabledAt && (await otherActiveManagers(tx, input.tenantId, input.userId)) === 0) throw new LastManagerError();
    await tx
      .update(s.memberships)
      .set({ role: input.role })
      .where(and(eq(s.memberships.tenantId, input.tenantId), eq(s.memberships.userId, input.userId)));
    await audit(tx, input.tenantId, input.actor, { action: "membership.role", details: { email: before.email, from: before.role, to: input.role } });
    return "changed" as const;
  });
}

/**
 * Removes a person from the company and ends their sessions there: a person left with no
 * company (and not staff) is signed out everywhere; one with other companies loses this one
 * at once. False when the person is not a member; throws LastManagerError for the last manager.
 */
export async function revokeMembership(db: Db, input: { tenantId: string; userId: string; actor: MemberActor }) {
  return db.transaction(async (tx) => {
    await lockMembers(tx, input.tenantId);
    const before = await lockedMember(tx, input.tenantId, input.userId);
    if (!before) return false;
    if (before.role === "manager" && !before.disabledAt && (await otherActiveManagers(tx, input.tenantId, input.userId)) === 0) throw new LastManagerError();
    await tx.delete(s.memberships).where(and(eq(s.memberships.tenantId, input.tenantId), eq(s.memberships.userId, input.userId)));
    const [left] = await tx
      .select({ isStaff: s.users.isStaff, companies: sql<number>`(select count(*)::int from memberships m where m.user_id = ${s.users.id})` })
      .from(s.users)
      .where(eq(s.users.id, input.userId));
    if (left && !left.isStaff && left.companies === 0) await tx.delete(s.sessions).where(eq(s.sessions.userId, input.userId));
    else await tx.update(s.sessions).set({ activeTenantId: null }).where(and(eq(s.sessions.userId, input.userId), eq(s.sessions.activeTenantId, input.tenantId)));
    await audit(tx, input.tenantId, input.actor, { action: "membership.revoke", details: { email: before.email, role: before.role } });
    return true;
  });
}
