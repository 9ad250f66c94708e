// Accepting an invitation as someone who is already a member of the company never lowers their
// role: a manager who opens an old viewer invitation stays manager (else the last manager could
// be lost without the members page's check), while an invitation to a higher role raises it.

import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "#db/client.server";
import type { TenantRole } from "~/domain/types";
import * as s from "#db/schema";
import { acceptInvitation, createInvitation } from "~/models/accounts/invitation.server";
import { createTestDatabase } from "../support/db";
import { addMember, createStudy, createTenant, createUser } from "../support/factories";

let database: Database;
let study: Awaited<ReturnType<typeof createStudy>>;

beforeAll(async () => {
  database = await createTestDatabase();
  study = await createStudy(database.db);
});

afterAll(async () => {
  await database?.close();
});

async function roleOf(tenantId: string, userId: string) {
  const [row] = await database.db.select({ role: s.memberships.role }).from(s.memberships).where(and(eq(s.memberships.tenantId, tenantId), eq(s.memberships.userId, userId)));
  return row?.role ?? null;
}

/** A member of a new company with `role` accepts an invitation to `invited`; the company and the member. */
async function acceptAs(email: string, role: TenantRole, invited: TenantRole) {
  const { db } = database;
  const { tenantId } = await createTenant(db, study);
  const member = await createUser(db, { email });
  await addMember(db, tenantId, member.id, role);
  const { token } = await createInvitation(db, { tenantId, email, role: invited, invitedBy: null });
  await acceptInvitation(db, { token, existingUserId: member.id });
  return { tenantId, userId: member.id };
}

describe("accepting an invitation as a member of the company", () => {
  it("keeps a manager a manager when the invitation is for a viewer, and says so in the company's log", async () => {
    const { tenantId, userId } = await acceptAs("eneste.leder@example.no", "manager", "viewer");

    expect(await roleOf(tenantId, userId)).toBe("manager");
    const [entry] = await database.db.select({ details: s.tenantAuditEvents.details }).from(s.tenantAuditEvents).where(and(eq(s.tenantAuditEvents.tenantId, tenantId), eq(s.tenantAuditEvents.action, "invitation.accept")));
    expect(entry!.details).toEqual({ email: "eneste.leder@example.no", role: "viewer", kept: "manager" });
  });

  it("raises a viewer to team lead when the invitation is for a team lead", async () => {
    const { tenantId, userId } = await acceptAs("leser@example.no", "viewer", "teamlead");
    expect(await roleOf(tenantId, userId)).toBe("teamlead");
  });

  it("keeps a team lead a team lead when the invitation is for a viewer", async () => {
    const { tenantId, userId } = await acceptAs("teamleder@example.no", "teamlead", "viewer");
    expect(await roleOf(tenantId, userId)).toBe("teamlead");
  });
});
