// Read-API tokens: `iks_` + 160 random bits, shown once; only the SHA-256 is stored.

import type { Db } from "#db/client.server";
import * as s from "#db/schema";
import { recordStaffAction } from "./audit.server";
import { generateSessionToken, hashToken } from "./session.server";

export const API_TOKEN_PREFIX = "iks_";

export async function createApiToken(db: Db, input: { tenantId: string; name: string; createdBy: string | null; byStaff?: boolean }) {
  const token = API_TOKEN_PREFIX + generateSessionToken();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(s.apiTokens)
      .values({ tenantId: input.tenantId, name: input.name.trim(), tokenHash: hashToken(token), createdBy: input.createdBy })
      .returning({ id: s.apiTokens.id });
    await tx.insert(s.tenantAuditEvents).values({ tenantId: input.tenantId, actorUserId: input.createdBy, action: "api_token.create", details: { name: input.name } });
    if (input.byStaff) await recordStaffAction(tx, { actorUserId: input.createdBy, action: "api_token.create", participantId: input.tenantId, details: { name: input.name } });
    return { id: row!.id, token };
  });
}
