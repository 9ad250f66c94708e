import { sql } from "drizzle-orm";
import { pgPolicy, pgRole, type AnyPgColumn } from "drizzle-orm/pg-core";

/**
 * The runtime role every tenant request switches to (SET LOCAL ROLE). It owns
 * nothing, cannot log in and cannot bypass RLS; migration 0000 creates it.
 */
export const TENANT_ROLE_NAME = "innsikt_tenant";
export const tenantRole = pgRole(TENANT_ROLE_NAME).existing();

/** The tenant of the current transaction; NULL (no rows) when none was set. */
export const currentTenant = sql`nullif(current_setting('app.tenant_id', true), '')::uuid`;

/**
 * Policies of a tenant table: the runtime role sees and writes only the current
 * tenant's rows; the owner (migrations, staff and auth paths) keeps full access,
 * which FORCE ROW LEVEL SECURITY would otherwise take from it too.
 */
export function tenantPolicies(tenantColumn: AnyPgColumn, table: string) {
  return [
    pgPolicy(`${table}_tenant_isolation`, {
      as: "permissive",
      for: "all",
      to: tenantRole,
      using: sql`${tenantColumn} = ${currentTenant}`,
      withCheck: sql`${tenantColumn} = ${currentTenant}`,
    }),
    pgPolicy(`${table}_owner_access`, {
      as: "permissive",
      for: "all",
      to: "current_user",
      using: sql`true`,
      withCheck: sql`true`,
    }),
  ];
}
