// Read-API tokens: `iks_` + 160 random bits, shown once; only the SHA-256 is stored.

import { and, desc, eq } from "drizzle-orm";
import type { Executor, TenantScope } from "#db/client.server";
import * as s from "#db/schema";
import { recordStaffAction, recordTenantAction } from "~/models/admin/audit.server";
import { generateSessionToken, hashToken } from "./session.server";

export const API_TOKEN_PREFIX = "iks_";

/** `db` is the owner connection (command line) or a tenant-scoped transaction (the manager's page). */
export async function createApiToken(db: Executor, input: { tenantId: string; name: string; createdBy: string | null; byStaff?: boolean }) {
  const token = API_TOKEN_PREFIX + generateSessionToken();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(s.apiTokens)
      .values({ tenantId: input.tenantId, name: input.name.trim(), tokenHash: hashToken(token), createdBy: input.createdBy })
      .returning({ id: s.apiTokens.id });
    await recordTenantAction(tx, input.tenantId, input.createdBy, { action: "api_token.create", details: { name: input.name } });
    if (input.byStaff) await recordStaffAction(tx, { actorUserId: input.createdBy, action: "api_token.create", participantId: input.tenantId, details: { name: input.name } });
    return { id: row!.id, token };
  });
}

export interface ApiTokenSummary {
  id: string;
  name: string;
  createdAt: Date;
  createdByName: string | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** The company's tokens, newest first; never the hash. */
export async function listApiTokens({ tx, tenantId }: TenantScope): Promise<ApiTokenSummary[]> {
  return tx
    .select({
      id: s.apiTokens.id,
      name: s.apiTokens.name,
      createdAt: s.apiTokens.createdAt,
      createdByName: s.users.name,
      lastUsedAt: s.apiTokens.lastUsedAt,
      revokedAt: s.apiTokens.revokedAt,
    })
    .from(s.apiTokens)
    .leftJoin(s.users, eq(s.users.id, s.apiTokens.createdBy))
    .where(eq(s.apiTokens.tenantId, tenantId))
    .orderBy(desc(s.apiTokens.createdAt), desc(s.apiTokens.id));
}

/** Revokes one of the company's tokens (again: a no-op); null when it has no such token. */
export async function revokeApiToken(
  { tx, tenantId }: TenantScope,
  input: { tokenId: string; actorUserId: string },
  now = new Date(),
): Promise<{ name: string } | null> {
  const [token] = await tx
    .select({ name: s.apiTokens.name, revokedAt: s.apiTokens.revokedAt })
    .from(s.apiTokens)
    .where(and(eq(s.apiTokens.tenantId, tenantId), eq(s.apiTokens.id, input.tokenId)));
  if (!token) return null;
  if (token.revokedAt) return { name: token.name };
  await tx.update(s.apiTokens).set({ revokedAt: now }).where(and(eq(s.apiTokens.tenantId, tenantId), eq(s.apiTokens.id, input.tokenId)));
  await recordTenantAction(tx, tenantId, input.actorUserId, { action: "api_token.revoke", details: { name: token.name } });
  return { name: token.name };
}
