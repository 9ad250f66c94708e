// The schema stays distributable by tenant_id (DESIGN.md, "Growing past one machine";
// docs/operations.md, "The path to Citus"), checked on the live catalog after the migrations
// so hand-written SQL is held to it too. A new table fails here, by name, until it follows
// the rules or is classified below; exceptions are commented allow-list entries.

import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resultRows, type Database } from "#db/client.server";
import { createTestDatabase } from "../support/db";

const TENANT_COLUMN = "tenant_id";

/**
 * Tables without tenant_id that tenant pages read or that tenant tables reference: they
 * become Citus reference tables (a full copy on every node), so a tenant page stays a
 * single-shard query joined with local copies.
 */
const REFERENCE_TABLES: Record<string, string> = {
  // The tenant table itself: its id IS the tenant id. Distributing it by id would be possible,
  // but its unique(code) could not include the distribution column, and staff look companies
  // up by code. A few hundred rows a year; every tenant table references it.
  participants: "the tenants; referenced by every tenant table's tenant_id",
  // People across tenants (one user may belong to several companies); referenced by
  // memberships, invitations, api_tokens, bookings, coaching_exports, tenant_audit_events.
  users: "people across tenants; referenced by tenant tables (created_by, booked_by, …)",
  // The operator's study data, the same for every company (DESIGN.md, "Operator-level tables").
  studies: "operator data; referenced by participations, inquiries, coaching_exports",
  classes: "operator data; referenced by participations",
  areas: "operator data; referenced by inquiry_area_scores",
  questions: "operator data; referenced by answers",
  shoppers: "operator data (pseudonymous); referenced by inquiries",
  // The coaching offer: read by every company's booking page.
  coaches: "operator data; referenced by coach_slots",
  coaching_products: "operator data; referenced by bookings",
  coach_slots: "operator data; referenced by bookings",
  // Benchmark figures, computed at publish from all tenants' rows and read by every tenant page.
  benchmark_study: "computed at publish; read by tenant pages",
  benchmark_channel: "computed at publish; read by tenant pages",
  benchmark_class: "computed at publish; read by tenant pages",
  benchmark_class_channel: "computed at publish; read by tenant pages",
  benchmark_class_area: "computed at publish; read by tenant pages",
  benchmark_class_question: "computed at publish; read by tenant pages",
  benchmark_class_wait: "computed at publish; read by tenant pages",
  // Holds participant_id (a tenant id) but is deliberately cross-tenant: the published
  // results list every company of a class sees. No tenant_id column, no FK to participants.
  benchmark_ranking: "the published results list; cross-tenant by design",
  // The awards, frozen with the benchmark figures; RLS shows them only for a published study
  // the company took part in. participant_id like benchmark_ranking's: no tenant_id by design.
  study_awards: "computed at publish; the winners every company of the study sees",
  // Pauses of a year, written by staff: class pauses are for every company, a company pause
  // (participant_id, a reference to participants) for that company's own pages.
  study_pauses: "operator data; read by tenant pages (overview, trends)",
  // Read by the bookings trigger that caps a company's open bookings (migration 0009).
  coaching_settings: "operator setting (one row); read on every booking insert",
};

/**
 * Tables neither tenant pages nor tenant tables need: they stay on the coordinator (Citus
 * local tables once they reference a reference table). Auth, staff and delivery bookkeeping.
 */
const COORDINATOR_TABLES: Record<string, string> = {
  sessions: "auth; written on every request (sliding expiry), looked up by id",
  password_resets: "auth",
  login_throttle: "auth",
  password_reset_requests: "auth; pending until the mail delivery step",
  rate_limits: "form limits per client address and account; written on every public form post",
  audit_events: "staff audit log",
  import_batches: "staff import history (inquiries.import_batch_id has no foreign key to it)",
  import_uploads: "staff uploads (file bytes)",
  contact_uploads: "staff uploads of contacts files (file bytes)",
  email_outbox: "delivery queue; tenant transactions write to it only through innsikt_confirm_invoice_booking",
  stripe_events: "webhook idempotency",
  sso_logins: "SSO sign-ins under way (state, nonce, PKCE verifier), before any session; found by the state's hash",
  results_seen: "a person's own bookkeeping (the company pages' new-results banner); owner path, its one statement reads the current tenant's participations",
};

/**
 * Unique indexes or constraints on tenant tables that do not include tenant_id, each with
 * the reason and the plan for Citus. Key: "table.index_or_constraint_name".
 */
const UNIQUE_WITHOUT_TENANT: Record<string, string> = {
  // A coach slot is the operator's, shared by all companies: "one held or confirmed booking
  // per slot" is a rule ACROSS tenants, so it cannot include tenant_id, and Citus cannot keep
  // it on the distributed bookings table. Plan (docs/operations.md, "a slot sold once"): a
  // claim on the reference table coach_slots (`claimed_booking`, `claimed_by_tenant`, set by
  // `update … where id = $1 and claimed_booking is null` in the booking transaction), or a
  // coordinator-local `slot_claims (slot_id primary key)`: a database row still decides.
  "bookings.bookings_one_active_per_slot": "a slot is shared across tenants; see the comment above",
  // An e-mail domain routes sign-in to one company's provider (issue 17): a rule ACROSS tenants.
  // Plan for Citus: a coordinator-local `sso_domain_claims (domain primary key, tenant_id)`
  // written in the same transaction; the login page looks domains up there anyway.
  "sso_domains.sso_domains_one_company": "a domain belongs to one company; see the comment above",
};

/** DESIGN.md's tenant-level tables: a guard that the catalog query finds what it should. */
const DESIGN_TENANT_TABLES = [
  "participations",
  "inquiries",
  "answers",
  "memberships",
  "invitations",
  "api_tokens",
  "bookings",
  "coaching_exports",
  "tenant_audit_events",
];

interface ColumnRow {
  table_name: string;
  column_name: string;
  data_type: string;
  not_null: boolean;
}
interface ConstraintRow {
  name: string;
  type: string; // p primary key, u unique, f foreign key, x exclusion
  table_name: string;
  ref_table: string;
  columns: string;
  ref_columns: string;
}
interface UniqueIndexRow {
  name: string;
  table_name: string;
  predicate: string;
  columns: string;
}
interface Catalog {
  tables: string[];
  columns: ColumnRow[];
  constraints: ConstraintRow[];
  uniqueIndexes: UniqueIndexRow[];
}

async function readCatalog(database: Database): Promise<Catalog> {
  const q = async <T>(query: ReturnType<typeof sql>) => resultRows<T>(await database.db.execute(query));
  const tables = await q<{ table_name: string }>(sql`
    select c.relname as table_name
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
    order by 1`);
  const columns = await q<ColumnRow>(sql`
    select c.relname as table_name, a.attname as column_name,
           format_type(a.atttypid, a.atttypmod) as data_type, a.attnotnull as not_null
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
    where n.nspname = 'public' and c.relkind in ('r', 'p')
    order by c.relname, a.attnum`);
  // Column lists in key order, comma-joined (text on both drivers).
  const constraints = await q<ConstraintRow>(sql`
    select con.conname as name, con.contype::text as type, rel.relname as table_name,
           coalesce(frel.relname, '') as ref_table,
           array_to_string(array(
             select a.attname from unnest(con.conkey) with ordinality as k(attnum, ord)
             join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum order by k.ord), ',') as columns,
           coalesce(array_to_string(array(
             select a.attname from unnest(con.confkey) with ordinality as k(attnum, ord)
             join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum order by k.ord), ','), '') as ref_columns
    from pg_constraint con
    join pg_class rel on rel.oid = con.conrelid
    join pg_namespace n on n.oid = rel.relnamespace
    left join pg_class frel on frel.oid = con.confrelid
    where n.nspname = 'public' and con.contype in ('p', 'u', 'f', 'x')
    order by rel.relname, con.conname`);
  // Every unique index, whether it backs a constraint or stands alone (partial ones too);
  // only key columns count, not INCLUDE columns; an expression shows as "<expression>".
  const uniqueIndexes = await q<UniqueIndexRow>(sql`
    select ic.relname as name, tc.relname as table_name,
           coalesce(pg_get_expr(i.indpred, i.indrelid), '') as predicate,
           array_to_string(array(
             select coalesce(a.attname, '<expression>')
             from unnest(i.indkey::int2[]) with ordinality as k(attnum, ord)
             left join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
             where k.ord <= i.indnkeyatts order by k.ord), ',') as columns
    from pg_index i
    join pg_class ic on ic.oid = i.indexrelid
    join pg_class tc on tc.oid = i.indrelid
    join pg_namespace n on n.oid = tc.relnamespace
    where n.nspname = 'public' and i.indisunique
    order by tc.relname, ic.relname`);
  return { tables: tables.map((t) => t.table_name), columns, constraints, uniqueIndexes };
}

const list = (joined: string) => (joined === "" ? [] : joined.split(","));

function tenantTablesOf(catalog: Catalog): string[] {
  return [...new Set(catalog.columns.filter((c) => c.column_name === TENANT_COLUMN).map((c) => c.table_name))].sort();
}

/**
 * Every rule, as readable violations (none when the schema is distributable): tenant_id a
 * NOT NULL uuid and first in each tenant table's primary key; in every unique index or
 * exclusion constraint of a tenant table; paired first in foreign keys between tenant
 * tables; other foreign keys only tenant → reference, reference → reference, local →
 * reference | local; and every table classified.
 */
function findViolations(catalog: Catalog): string[] {
  const violations: string[] = [];
  const tenant = new Set(tenantTablesOf(catalog));
  const reference = new Set(Object.keys(REFERENCE_TABLES));
  const coordinator = new Set(Object.keys(COORDINATOR_TABLES));
  const existing = new Set(catalog.tables);
  const kind = (table: string) => (tenant.has(table) ? "tenant" : reference.has(table) ? "reference" : coordinator.has(table) ? "coordinator-local" : "unclassified");

  // Classification.
  for (const table of catalog.tables) {
    if (tenant.has(table) && (reference.has(table) || coordinator.has(table))) {
      violations.push(`${table}: has ${TENANT_COLUMN} (a tenant table, distributed by it) but is also listed as ${reference.has(table) ? "a reference" : "a coordinator-local"} table`);
    }
    if (!tenant.has(table) && !reference.has(table) && !coordinator.has(table)) {
      violations.push(
        `${table}: unclassified table without ${TENANT_COLUMN}: give it ${TENANT_COLUMN} (tenant data) or list it in REFERENCE_TABLES or COORDINATOR_TABLES of this test, with docs/operations.md`,
      );
    }
  }
  for (const table of [...reference, ...coordinator]) {
    if (!existing.has(table)) violations.push(`${table}: listed in this test but no such table exists any more: remove it from the list`);
  }

  // tenant_id itself: NOT NULL and one type, so all tenant tables can be co-located.
  for (const column of catalog.columns.filter((c) => c.column_name === TENANT_COLUMN)) {
    if (!column.not_null) violations.push(`${column.table_name}.${TENANT_COLUMN}: must be NOT NULL (a row needs a shard)`);
    if (column.data_type !== "uuid") violations.push(`${column.table_name}.${TENANT_COLUMN}: is ${column.data_type}, not uuid (tenant tables must share one co-location group)`);
  }

  // Primary keys.
  for (const table of tenant) {
    const pk = catalog.constraints.find((c) => c.table_name === table && c.type === "p");
    if (!pk) violations.push(`${table}: tenant table without a primary key (needs one starting with ${TENANT_COLUMN})`);
    else if (list(pk.columns)[0] !== TENANT_COLUMN) violations.push(`${table}: primary key ${pk.name} (${pk.columns.replaceAll(",", ", ")}) does not start with ${TENANT_COLUMN}`);
  }

  // Uniqueness: unique indexes (constraints and standalone, partial included) and exclusion constraints.
  const seenExceptions = new Set<string>();
  const uniques = [
    ...catalog.uniqueIndexes.map((u) => ({
      table: u.table_name,
      name: u.name,
      columns: list(u.columns),
      what: u.predicate ? "partial unique index" : "unique index",
      where: u.predicate ? ` where ${u.predicate}` : "",
    })),
    ...catalog.constraints.filter((c) => c.type === "x").map((c) => ({ table: c.table_name, name: c.name, columns: list(c.columns), what: "exclusion constraint", where: "" })),
  ];
  for (const unique of uniques.filter((u) => tenant.has(u.table))) {
    if (unique.columns.includes(TENANT_COLUMN)) continue;
    const key = `${unique.table}.${unique.name}`;
    if (key in UNIQUE_WITHOUT_TENANT) {
      seenExceptions.add(key);
      continue;
    }
    violations.push(`${unique.table}: ${unique.what} ${unique.name} on (${unique.columns.join(", ")})${unique.where} does not include ${TENANT_COLUMN}; Citus can only enforce uniqueness within one tenant's shard`);
  }
  for (const key of Object.keys(UNIQUE_WITHOUT_TENANT)) {
    if (!seenExceptions.has(key)) violations.push(`${key}: allowed in UNIQUE_WITHOUT_TENANT but no longer a unique index without ${TENANT_COLUMN}: remove the entry (and its note in docs/operations.md)`);
  }

  // Foreign keys.
  for (const fk of catalog.constraints.filter((c) => c.type === "f")) {
    const from = kind(fk.table_name);
    const to = kind(fk.ref_table);
    const columns = list(fk.columns);
    const refColumns = list(fk.ref_columns);
    const describe = `foreign key ${fk.name} (${columns.join(", ")}) → ${fk.ref_table} (${refColumns.join(", ")})`;
    if (from === "tenant" && to === "tenant") {
      const at = columns.indexOf(TENANT_COLUMN);
      if (at === -1 || refColumns[at] !== TENANT_COLUMN) violations.push(`${fk.table_name}: ${describe} between tenant tables must pair ${TENANT_COLUMN} with ${TENANT_COLUMN}`);
      else if (at !== 0) violations.push(`${fk.table_name}: ${describe} between tenant tables must have ${TENANT_COLUMN} first (DESIGN.md)`);
    } else if (from === "tenant" && to !== "reference") {
      violations.push(`${fk.table_name}: ${describe} points from a tenant table at a ${to} table; it must be a reference table (add it to REFERENCE_TABLES if it should be one)`);
    } else if (from === "reference" && to !== "reference") {
      violations.push(`${fk.table_name}: ${describe}: a reference table may only reference reference tables, not a ${to} table`);
    } else if (from !== "tenant" && to === "tenant") {
      violations.push(`${fk.table_name}: ${describe}: only tenant tables may reference a tenant table (this is a ${from} table)`);
    }
  }
  return violations;
}

let database: Database;
let catalog: Catalog;

beforeAll(async () => {
  database = await createTestDatabase();
  catalog = await readCatalog(database);
});
afterAll(() => database?.close());

describe("the schema stays distributable by tenant_id (Citus)", () => {
  it("finds the tenant tables DESIGN.md names, and more than a handful of tables", () => {
    const tenant = tenantTablesOf(catalog);
    expect(tenant).toEqual(expect.arrayContaining(DESIGN_TENANT_TABLES));
    expect(catalog.tables.length).toBeGreaterThan(tenant.length);
  });

  it("classifies every table: distributed by tenant_id, reference, or coordinator-local", () => {
    const violations = findViolations(catalog).filter((v) => /unclassified|listed/.test(v));
    expect(violations).toEqual([]);
  });

  it("keeps tenant_id a NOT NULL uuid and the first column of every tenant table's primary key", () => {
    const violations = findViolations(catalog).filter((v) => /primary key|NOT NULL|uuid/.test(v));
    expect(violations).toEqual([]);
  });

  it("includes tenant_id in every unique index and constraint of a tenant table, but for the explained exceptions", () => {
    const violations = findViolations(catalog).filter((v) => /unique|exclusion|UNIQUE_WITHOUT_TENANT/.test(v));
    expect(violations).toEqual([]);
    // The one known exception is still there, and still the way a slot is sold once.
    const slotIndex = catalog.uniqueIndexes.find((u) => u.name === "bookings_one_active_per_slot");
    expect(slotIndex).toMatchObject({ table_name: "bookings", columns: "slot_id" });
  });

  it("points foreign keys only where Citus allows them", () => {
    const violations = findViolations(catalog).filter((v) => /foreign key/.test(v));
    expect(violations).toEqual([]);
  });

  it("has no violation at all (the whole list, for the log)", () => {
    expect(findViolations(catalog)).toEqual([]);
  });

  it("names a new tenant table that breaks the rules, and an unclassified one", async () => {
    // DDL on this test file's own database copy only.
    await database.db.execute(sql`create table ops_check_bad_tenant (id uuid primary key, tenant_id uuid, code text unique)`);
    await database.db.execute(
      sql`create table ops_check_bad_child (tenant_id uuid not null, id uuid not null, parent_id uuid references ops_check_bad_tenant (id), primary key (tenant_id, id))`,
    );
    await database.db.execute(sql`create table ops_check_unlisted (id int primary key)`);
    try {
      const violations = findViolations(await readCatalog(database));
      expect(violations).toEqual(
        expect.arrayContaining([
          "ops_check_bad_tenant.tenant_id: must be NOT NULL (a row needs a shard)",
          "ops_check_bad_tenant: primary key ops_check_bad_tenant_pkey (id) does not start with tenant_id",
          expect.stringMatching(/^ops_check_bad_tenant: unique index ops_check_bad_tenant_code_key on \(code\) does not include tenant_id/),
          expect.stringMatching(/^ops_check_bad_child: foreign key ops_check_bad_child_parent_id_fkey \(parent_id\) → ops_check_bad_tenant \(id\) between tenant tables must pair tenant_id/),
          expect.stringMatching(/^ops_check_unlisted: unclassified table/),
        ]),
      );
      expect(violations.every((v) => v.startsWith("ops_check_"))).toBe(true);
    } finally {
      await database.db.execute(sql`drop table ops_check_bad_child, ops_check_bad_tenant, ops_check_unlisted`);
    }
  });
});
