import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant, type Database } from "#db/client.server";
import * as s from "#db/schema";
import { createTestDatabase } from "../support/db";
import { createStudy, createTenant, createUser, addMember } from "../support/factories";

let database: Database;
let a: Awaited<ReturnType<typeof createTenant>>;
let b: Awaited<ReturnType<typeof createTenant>>;

beforeAll(async () => {
  database = await createTestDatabase();
  const study = await createStudy(database.db);
  a = await createTenant(database.db, study);
  b = await createTenant(database.db, study);
  const user = await createUser(database.db);
  await addMember(database.db, a.tenantId, user.id);
});
afterAll(() => database.close());

const rowsOf = <T>(result: unknown): T[] => ((result as { rows?: T[] }).rows ?? (result as T[]));

describe("row-level security as the runtime role", () => {
  it("a tenant's transaction sees none of another tenant's rows, even with no tenant filter", async () => {
    const tables = ["participations", "inquiries", "memberships", "participants"];
    for (const table of tables) {
      const seen = await withTenant(database.db, a.tenantId, async ({ tx }) =>
        rowsOf<{ n: number; foreign: number }>(
          await tx.execute(
            sql.raw(
              `select count(*)::int as n, count(*) filter (where ${table === "participants" ? "id" : "tenant_id"} <> '${a.tenantId}')::int as foreign from ${table}`,
            ),
          ),
        ),
      );
      expect(seen[0]!.foreign, table).toBe(0);
      if (table !== "memberships") expect(seen[0]!.n, table).toBeGreaterThan(0);
    }
    const text = await withTenant(database.db, a.tenantId, async ({ tx }) =>
      rowsOf<{ comment: string }>(await tx.execute(sql`select comment from inquiries`)),
    );
    expect(text.map((r) => r.comment).join(" ")).not.toContain(b.canary);
    expect(text).toHaveLength(a.inquiries.length);
  });

  it("cannot insert rows into another tenant", async () => {
    const attempt = withTenant(database.db, a.tenantId, ({ tx }) =>
      tx.insert(s.tenantAuditEvents).values({ tenantId: b.tenantId, action: "sneaky" }),
    );
    await expect(attempt).rejects.toMatchObject({ cause: { message: expect.stringMatching(/row-level security/) } });
  });

  it("cannot update or delete another tenant's rows (they are invisible, so nothing changes)", async () => {
    // participants: the one column the role may update (a company's privacy setting).
    const updated = await withTenant(database.db, a.tenantId, async ({ tx }) =>
      rowsOf(await tx.execute(sql`update participants set hide_agent_names = true where id = ${b.tenantId} returning id`)),
    );
    expect(updated).toHaveLength(0);
    // Results are read-only to the role altogether (least privilege, migration 0008).
    for (const statement of [sql`update inquiries set comment = 'overwritten' where tenant_id = ${b.tenantId}`, sql`delete from inquiries where tenant_id = ${b.tenantId}`]) {
      await expect(withTenant(database.db, a.tenantId, ({ tx }) => tx.execute(statement))).rejects.toMatchObject({ cause: { code: "42501" } });
    }
    const bRows = rowsOf<{ comment: string }>(await database.db.execute(sql`select comment from inquiries where tenant_id = ${b.tenantId}`));
    expect(bRows).toHaveLength(b.inquiries.length);
    expect(bRows.every((r) => r.comment.startsWith(b.canary))).toBe(true);
    const [company] = rowsOf<{ hide: boolean }>(await database.db.execute(sql`select hide_agent_names as hide from participants where id = ${b.tenantId}`));
    expect(company!.hide).toBe(false);
  });

  it("cannot move its own row to another tenant", async () => {
    const attempt = withTenant(database.db, a.tenantId, ({ tx }) =>
      tx.execute(sql`update inquiries set tenant_id = ${b.tenantId} where tenant_id = ${a.tenantId}`),
    );
    await expect(attempt).rejects.toThrow();
  });

  it("sees nothing with no tenant set", async () => {
    const counts = await database.db.transaction(async (tx) => {
      await tx.execute(sql`set local role innsikt_tenant`);
      return rowsOf<{ i: number; p: number; m: number; u: number }>(
        await tx.execute(
          sql`select (select count(*) from inquiries)::int as i, (select count(*) from participations)::int as p,
                     (select count(*) from memberships)::int as m, (select count(*) from users)::int as u`,
        ),
      );
    });
    expect(counts[0]).toEqual({ i: 0, p: 0, m: 0, u: 0 });
  });

  it("an empty tenant setting left on a pooled connection also means no rows, not an error", async () => {
    const counts = await database.db.transaction(async (tx) => {
      await tx.execute(sql`select set_config('app.tenant_id', '', true)`);
      await tx.execute(sql`set local role innsikt_tenant`);
      return rowsOf<{ i: number }>(await tx.execute(sql`select count(*)::int as i from inquiries`));
    });
    expect(counts[0]!.i).toBe(0);
  });

  it("the runtime role cannot read auth and staff tables", async () => {
    for (const table of ["sessions", "audit_events", "email_outbox", "password_resets", "import_batches", "login_throttle", "rate_limits", "password_reset_requests"]) {
      const attempt = withTenant(database.db, a.tenantId, ({ tx }) => tx.execute(sql.raw(`select count(*) from ${table}`)));
      await expect(attempt, table).rejects.toMatchObject({ cause: { message: expect.stringMatching(/permission denied/) } });
    }
    const attempt = withTenant(database.db, a.tenantId, ({ tx }) => tx.execute(sql`select password_hash from users`));
    await expect(attempt).rejects.toMatchObject({ cause: { message: expect.stringMatching(/permission denied/) } });
  });
});

describe("catalogue checks", () => {
  it("every table with a tenant_id column has RLS enabled and forced, with a policy", async () => {
    const rows = rowsOf<{ table: string; enabled: boolean; forced: boolean; policies: number }>(
      await database.db.execute(sql`
        select c.relname as table, c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
               (select count(*)::int from pg_policy p where p.polrelid = c.oid) as policies
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'r'
          and (exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)
               or c.relname in ('participants', 'users'))`),
    );
    expect(rows.length).toBeGreaterThanOrEqual(13);
    const weak = rows.filter((r) => !r.enabled || !r.forced || r.policies === 0).map((r) => r.table);
    expect(weak).toEqual([]);
  });

  it("every tenant table has tenant_id first in its primary key", async () => {
    const rows = rowsOf<{ table: string; first: string }>(
      await database.db.execute(sql`
        select c.relname as table, a.attname as first
        from pg_constraint k join pg_class c on c.oid = k.conrelid
        join pg_attribute a on a.attrelid = c.oid and a.attnum = k.conkey[1]
        where k.contype = 'p' and c.relnamespace = 'public'::regnamespace
          and exists (select 1 from pg_attribute t where t.attrelid = c.oid and t.attname = 'tenant_id')`),
    );
    expect(rows.length).toBeGreaterThanOrEqual(11);
    expect(rows.filter((r) => r.first !== "tenant_id")).toEqual([]);
  });

  it("the runtime role is not superuser, cannot bypass RLS or log in, and owns nothing", async () => {
    const role = rowsOf<{ rolsuper: boolean; rolbypassrls: boolean; rolcanlogin: boolean; owned: number }>(
      await database.db.execute(sql`
        select r.rolsuper, r.rolbypassrls, r.rolcanlogin,
               (select count(*)::int from pg_class c where c.relowner = r.oid) as owned
        from pg_roles r where r.rolname = 'innsikt_tenant'`),
    );
    expect(role).toEqual([{ rolsuper: false, rolbypassrls: false, rolcanlogin: false, owned: 0 }]);
  });
});
