import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { memberships, participants, sessions, users } from "#db/schema";
import type { TenantRole } from "~/domain/types";

// The owner path: auth needs a user's memberships across tenants, before any
// tenant is chosen. Nothing here is reachable with a tenant-scoped handle.

export async function findUserForLogin(db: Db, email: string) {
  const [user] = await db
    .select({ id: users.id, email: users.email, passwordHash: users.passwordHash, disabledAt: users.disabledAt, isStaff: users.isStaff })
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.trim().toLowerCase()));
  return user ?? null;
}

export interface MembershipSummary {
  tenantId: string;
  tenantName: string;
  role: TenantRole;
}

export async function listMemberships(db: Db, userId: string): Promise<MembershipSummary[]> {
  return db
    .select({ tenantId: memberships.tenantId, tenantName: participants.name, role: memberships.role })
    .from(memberships)
    .innerJoin(participants, eq(participants.id, memberships.tenantId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(participants.name));
}

/**
 * The memberships of the user a session (by its stored id, the token's hash) belongs to, as
 * listMemberships orders them. Whether the session is valid is not this function's question:
 * callers use the answer only once validateSessionToken has accepted the same session.
 */
export async function listSessionMemberships(db: Db, sessionId: string): Promise<MembershipSummary[]> {
  return db
    .select({ tenantId: memberships.tenantId, tenantName: participants.name, role: memberships.role })
    .from(memberships)
    .innerJoin(participants, eq(participants.id, memberships.tenantId))
    .innerJoin(sessions, eq(sessions.userId, memberships.userId))
    .where(eq(sessions.id, sessionId))
    .orderBy(asc(participants.name));
}

export async function getMembership(db: Db, userId: string, tenantId: string): Promise<MembershipSummary | null> {
  const [row] = await db
    .select({ tenantId: memberships.tenantId, tenantName: participants.name, role: memberships.role })
    .from(memberships)
    .innerJoin(participants, eq(participants.id, memberships.tenantId))
    .where(and(eq(memberships.userId, userId), eq(memberships.tenantId, tenantId)));
  return row ?? null;
}
