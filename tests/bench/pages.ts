// Page benchmark: the company pages and the API summary on ten study years of demo data,
// each against its own SQL run alone, and the query plans of every statement they issue.
//
//   npx tsx tests/bench/pages.ts [--requests 300] [--warmup 30] [--companies 50] [--scale 10]
//                                [--plan-companies 10] [--only TEXT] [--keep] [--reuse DBNAME] [--sql]
//
// Database: with DATABASE_URL a fresh database on that server (dropped afterwards unless
// --keep; --reuse DBNAME runs on one kept earlier and seeds nothing), otherwise an embedded
// PGlite in a temporary folder. Migrate, seed `--scale` study years ending 2021 (seedDemo,
// as `npm run db:seed -- --scale 10` does), then VACUUM (ANALYZE), as autovacuum would have
// by the time anyone reads the pages. `--companies` companies of 2021 get a manager with a
// session and an API token each.
//
// Pages: overview, inquiry list with filters (and with free text), one inquiry, variance,
// comparison and GET /api/v1/studies/2021/summary, through the real HTTP stack in this
// process (express + the Remix build; run `npx remix build` first when build/ is missing).
// For each page, after a warm-up, `--requests` (at least 200) sequential requests spread
// over the companies: the server's time per request (request received → response finished,
// taken around the express handler; the client's wall time beside it), p50/p95/p99 and
// req/s; every response must be 200. The page's single-fetch `.data` request (its loaders
// without the HTML render) is timed too, to show what rendering costs.
//
// "SQL alone": the loader's data functions, the same ones in the same order with the same
// arguments, called directly inside withTenant (the loader's transaction, runtime role and
// all), interleaved with the requests, same companies. Budget: page p95 ≤ 3 × SQL p95. The
// auth queries the request makes before its transaction (session + memberships, or the API
// token) are timed too (SQL+auth), but the budget is against the loader's data SQL.
//
// Plans: every statement a page issues is captured (drizzle's query logger on a second
// drizzle instance over the same client), once through HTTP and once from the direct calls,
// and the two are compared; the direct calls' statements (for `--plan-companies` companies)
// are EXPLAINed with their parameters in a rolled-back transaction as the page runs them:
// tenant statements after set_config('app.tenant_id') and SET LOCAL ROLE innsikt_tenant,
// auth statements as the owner. Both the custom plan (these parameters) and the generic plan
// (what a prepared statement switches to after five runs; PREPARE + plan_cache_mode =
// force_generic_plan) are read, and the scan node of every relation is printed. A Seq Scan on
// a tenant table (one with a tenant_id column) fails the page, except on a table of at most
// TINY_PAGES pages where the planner takes an index as soon as sequential scans are disabled
// (reading one page beats any index; that is not a missing index).
//
// Exit code 1 when a page fails (status, budget or plan), 2 on an error.

import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { PGlite } from "@electric-sql/pglite";
import { asc, eq, sql as dsql, type Logger } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { openEmbedded, openPostgres, withTenant, setDatabase, type Database, type Db, type TenantScope } from "#db/client.server";
import * as schema from "#db/schema";
import { TENANT_ROLE_NAME } from "#db/schema/tenancy";
import { authenticateApiToken } from "~/auth/api-token.server";
import { hashPassword } from "~/auth/password.server";
import { parseInquiryQuery } from "~/domain/inquiry-query";
import { createApiToken } from "~/models/accounts/api-token.server";
import { getComparison } from "~/models/insights/comparison.server";
import { isDatabaseEmpty, seedDemo } from "~/models/admin/demo.server";
import { filterFromQuery, getInquiry, inquiryFilterOptions, inquiryNeighbours, listInquiryPage } from "~/models/insights/inquiries.server";
import { findTenantStudy, getSummary } from "~/models/insights/insights.server";
import { getOverview, getOverviewExtras, listPublishedStudies } from "~/models/insights/overview.server";
import { createSession, generateSessionToken, validateSessionToken } from "~/models/accounts/session.server";
import { listMemberships } from "~/models/accounts/user.server";
import { getVariance } from "~/models/insights/variance.server";
import { benchDataOptions, buildIsStale } from "../support/bench-common";
import { startBenchServer, type BenchServer } from "../support/bench-http";

const { values: args } = parseArgs({
  options: {
    requests: { type: "string", default: "300" },
    warmup: { type: "string", default: "30" },
    ...benchDataOptions,
    /** print every captured statement in full */
    sql: { type: "boolean", default: false },
    /** how many of the companies' statements are EXPLAINed (distinct plans are listed) */
    "plan-companies": { type: "string", default: "10" },
    /** only the pages whose key contains this text */
    only: { type: "string" },
  },
});
const REQUESTS = Math.max(200, Number(args.requests));
const WARMUP = Math.max(0, Number(args.warmup));
const COMPANIES = Math.max(1, Number(args.companies));
const SCALE = Number(args.scale);
const LAST_YEAR = 2021;
const YEARS = Array.from({ length: SCALE }, (_, i) => LAST_YEAR - SCALE + 1 + i);
const BUDGET = 3;
/** A tenant table this small may be read sequentially if an index path exists (8 kB pages). */
const TINY_PAGES = 8;
const TEXT_QUERY = "svar";
const PLAN_COMPANIES = Math.max(1, Number(args["plan-companies"]));

const now = () => performance.now();
const log = (line = "") => console.log(line);

// ---------------------------------------------------------------------------------------
// Engines: the database, a way to run raw statements in a rolled-back transaction, and a
// second drizzle instance over the same client that reports every statement it sends.

type Row = Record<string, unknown>;
type Query = (text: string, params?: unknown[]) => Promise<Row[]>;

interface Captured {
  sql: string;
  params: unknown[];
}

interface Engine {
  name: string;
  kind: "postgres" | "pglite";
  database: Database;
  /** A Database whose queries are handed to `onQuery` before they are sent. */
  logged(onQuery: (q: Captured) => void): Database;
  /** `fn` in one transaction that is rolled back afterwards. */
  rolledBack<T>(fn: (q: Query) => Promise<T>): Promise<T>;
  query: Query;
  /** Whether the demo data still has to be loaded. */
  fresh: boolean;
  dispose(): Promise<void>;
}

const drizzleOptions = { schema, casing: "snake_case" } as const;
const ROLLBACK = Symbol("rollback");
const loggerOf = (onQuery: (q: Captured) => void): Logger => ({ logQuery: (text, params) => onQuery({ sql: text, params }) });

async function postgresEngine(url: string): Promise<Engine> {
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  const name = args.reuse ?? `innsikt_bench_pages_${randomBytes(5).toString("hex")}`;
  if (!args.reuse) await admin.unsafe(`create database ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const database = await openPostgres(target.toString(), { max: 10 });
  const client = (database.db as unknown as { $client: postgres.Sql }).$client;
  const [{ server_version: version } = { server_version: "?" }] = await admin<{ server_version: string }[]>`show server_version`;
  const query: Query = async (text, params = []) => (await client.unsafe(text, params as never[], { prepare: false })) as unknown as Row[];
  return {
    name: `PostgreSQL ${version.split(" ")[0]} (database ${name})`,
    kind: "postgres",
    database,
    logged(onQuery) {
      const db = drizzlePostgres({ client, ...drizzleOptions, logger: loggerOf(onQuery) }) as unknown as Db;
      return { ...database, db };
    },
    async rolledBack(fn) {
      let out: Awaited<ReturnType<typeof fn>> | undefined;
      try {
        await client.begin(async (tx) => {
          out = await fn(async (text, params = []) => (await tx.unsafe(text, params as never[], { prepare: false })) as unknown as Row[]);
          throw ROLLBACK;
        });
      } catch (error) {
        if (error !== ROLLBACK) throw error;
      }
      return out!;
    },
    query,
    fresh: !args.reuse,
    async dispose() {
      await database.close();
      if (args.keep || args.reuse) log(`Database ${name} kept (--reuse ${name} runs on it again).`);
      else await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

async function pgliteEngine(): Promise<Engine> {
  const root = mkdtempSync(path.join(os.tmpdir(), "innsikt-bench-pages-"));
  const database = await openEmbedded(path.join(root, "data"));
  const pg = (database.db as unknown as { $client: PGlite }).$client;
  return {
    name: "PGlite (embedded)",
    kind: "pglite",
    database,
    logged(onQuery) {
      const db = drizzlePglite({ client: pg, ...drizzleOptions, logger: loggerOf(onQuery) }) as unknown as Db;
      return { ...database, db };
    },
    async rolledBack(fn) {
      let out: Awaited<ReturnType<typeof fn>> | undefined;
      await pg.transaction(async (tx) => {
        out = await fn(async (text, params = []) => (await tx.query<Row>(text, params)).rows);
        await tx.rollback();
      });
      return out!;
    },
    query: async (text, params = []) => (await pg.query<Row>(text, params)).rows,
    fresh: true,
    async dispose() {
      await database.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------
// Companies: a manager with a session and an API token each, and an inquiry of theirs.

interface Company {
  tenantId: string;
  code: string;
  userId: string;
  sessionToken: string;
  cookie: string;
  apiToken: string;
  /** a phone inquiry of 2021 when the company has one (the inquiry page filters on phone) */
  ref: string;
  refIsPhone: boolean;
}

async function benchCompanies(db: Db): Promise<Company[]> {
  const [study] = await db.select({ id: schema.studies.id }).from(schema.studies).where(eq(schema.studies.year, LAST_YEAR));
  if (!study) throw new Error(`no study ${LAST_YEAR}`);
  const all = await db
    .select({ tenantId: schema.participations.tenantId, code: schema.participants.code })
    .from(schema.participations)
    .innerJoin(schema.participants, eq(schema.participants.id, schema.participations.tenantId))
    .where(eq(schema.participations.studyId, study.id))
    .orderBy(asc(schema.participants.code));
  // Evenly spread over the list (and so over the classes, which the codes do not follow).
  const picked = Array.from({ length: Math.min(COMPANIES, all.length) }, (_, i) => all[Math.floor((i * all.length) / Math.min(COMPANIES, all.length))]!);
  const passwordHash = await hashPassword(randomBytes(16).toString("hex"));
  const run = randomBytes(3).toString("hex");
  const companies: Company[] = [];
  for (const p of picked) {
    const [user] = await db
      .insert(schema.users)
      .values({ email: `bench-${run}-${p.code}@innsikt.bench`, name: `Bench ${p.code}`, passwordHash })
      .returning({ id: schema.users.id });
    await db.insert(schema.memberships).values({ tenantId: p.tenantId, userId: user!.id, role: "manager" });
    const sessionToken = generateSessionToken();
    await createSession(db, sessionToken, user!.id, { userAgent: "innsikt-bench" });
    const { token: apiToken } = await createApiToken(db, { tenantId: p.tenantId, name: `bench ${run}`, createdBy: user!.id });
    const refs = await db
      .select({ ref: schema.inquiries.ref, channel: schema.inquiries.channel })
      .from(schema.inquiries)
      .where(dsql`${schema.inquiries.tenantId} = ${p.tenantId} and ${schema.inquiries.studyId} = ${study.id}`)
      .orderBy(asc(schema.inquiries.ref));
    const phone = refs.filter((r) => r.channel === "phone");
    const pool = phone.length > 0 ? phone : refs;
    const chosen = pool[Math.floor(pool.length / 2)];
    if (!chosen) throw new Error(`${p.code} has no inquiries in ${LAST_YEAR}`);
    companies.push({
      tenantId: p.tenantId,
      code: p.code,
      userId: user!.id,
      sessionToken,
      cookie: `innsikt_session=${sessionToken}`,
      apiToken,
      ref: chosen.ref,
      refIsPhone: phone.length > 0,
    });
  }
  return companies;
}

// ---------------------------------------------------------------------------------------
// Pages: the URL, and the loader's data functions as the loader calls them.

interface Page {
  key: string;
  path(c: Company): string;
  auth: "session" | "token";
  /** the loader's body inside withTenant, as the route module has it */
  data(scope: TenantScope, c: Company): Promise<unknown>;
}

function expect<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`${what}: nothing (the page would be a 404)`);
  return value;
}

/** company.inquiries._index.tsx's loader body for one search string. */
function inquiryListData(search: string) {
  const parsed = parseInquiryQuery(new URLSearchParams(search));
  if (!parsed.ok) throw new Error(`bad query ${search}: ${parsed.field}`);
  const query = parsed.query;
  return async (scope: TenantScope) => {
    const studies = await listPublishedStudies(scope);
    const year = query.study ?? studies[0]?.year;
    const study = expect(year === undefined ? null : await findTenantStudy(scope, year), "findTenantStudy");
    return Promise.all([
      listInquiryPage(scope, study.studyId, filterFromQuery(query), query.sort, query.page),
      inquiryFilterOptions(scope, study.studyId),
    ]);
  };
}

const LIST_FILTERS = "channel=phone&band=low&sort=score-asc";
const LIST_TEXT = `q=${TEXT_QUERY}`;
const INQUIRY_FILTER = "channel=phone";

const PAGES: Page[] = [
  {
    key: "overview",
    path: () => "/company",
    auth: "session",
    async data(scope) {
      const overview = expect(await getOverview(scope, undefined), "getOverview");
      return Promise.all([getOverviewExtras(scope, overview.study.year), getSummary(scope, overview.study.year)]);
    },
  },
  {
    key: "inquiries (filters)",
    path: () => `/company/inquiries?${LIST_FILTERS}`,
    auth: "session",
    data: inquiryListData(LIST_FILTERS),
  },
  {
    key: "inquiries (text)",
    path: () => `/company/inquiries?${LIST_TEXT}`,
    auth: "session",
    data: inquiryListData(LIST_TEXT),
  },
  {
    key: "inquiry",
    path: (c) => `/company/inquiries/${encodeURIComponent(c.ref)}?${INQUIRY_FILTER}`,
    auth: "session",
    async data(scope, c) {
      const parsed = parseInquiryQuery(new URLSearchParams(INQUIRY_FILTER));
      if (!parsed.ok) throw new Error("bad inquiry query");
      const year = parsed.query.study ?? (await listPublishedStudies(scope))[0]?.year;
      const study = expect(year === undefined ? null : await findTenantStudy(scope, year), "findTenantStudy");
      expect(await getInquiry(scope, study.studyId, c.ref), `getInquiry ${c.ref}`);
      return inquiryNeighbours(scope, study.studyId, filterFromQuery(parsed.query), parsed.query.sort, c.ref);
    },
  },
  {
    key: "variance",
    path: () => "/company/variance",
    auth: "session",
    async data(scope) {
      const studies = await listPublishedStudies(scope);
      return expect(await getVariance(scope, expect(studies[0], "a study").year), "getVariance");
    },
  },
  {
    key: "comparison",
    path: () => "/company/comparison",
    auth: "session",
    async data(scope) {
      const studies = await listPublishedStudies(scope);
      return expect(await getComparison(scope, expect(studies[0], "a study").year), "getComparison");
    },
  },
  {
    key: "API summary",
    path: () => `/api/v1/studies/${LAST_YEAR}/summary`,
    auth: "token",
    async data(scope) {
      return expect(await getSummary(scope, LAST_YEAR), "getSummary");
    },
  },
];

const headersFor = (page: Page, c: Company): Record<string, string> =>
  page.auth === "token" ? { Authorization: `Bearer ${c.apiToken}` } : { Cookie: c.cookie };

/** The owner-path queries the request makes before the loader's transaction. */
async function authSql(db: Db, page: Page, c: Company, origin: string): Promise<void> {
  if (page.auth === "token") {
    await authenticateApiToken(db, new Request(origin + page.path(c), { headers: headersFor(page, c) }));
  } else {
    const found = expect(await validateSessionToken(db, c.sessionToken), "session");
    await listMemberships(db, found.user.id);
  }
}

// ---------------------------------------------------------------------------------------
// Statistics

interface Stats {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  return { n: sorted.length, p50: at(50), p95: at(95), p99: at(99), mean: sorted.reduce((s, x) => s + x, 0) / sorted.length };
}

const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

// ---------------------------------------------------------------------------------------
// Plans

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

interface Scan {
  relation: string;
  node: string;
  index?: string;
}

function scansOf(plan: PlanNode): Scan[] {
  const out: Scan[] = [];
  const indexesBelow = (node: PlanNode): string[] =>
    (node.Plans ?? []).flatMap((child) => (child["Node Type"] === "Bitmap Index Scan" ? [child["Index Name"] ?? "?"] : indexesBelow(child)));
  const walk = (node: PlanNode) => {
    const relation = node["Relation Name"];
    if (relation) {
      const index = node["Node Type"] === "Bitmap Heap Scan" ? indexesBelow(node).join("+") : node["Index Name"];
      out.push({ relation, node: node["Node Type"], index });
    }
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(plan);
  return out;
}

function planFrom(rows: Row[]): PlanNode {
  const value = rows[0]?.["QUERY PLAN"];
  const json = (typeof value === "string" ? JSON.parse(value) : value) as { Plan: PlanNode }[];
  return json[0]!.Plan;
}

const literal = (v: unknown): string => {
  if (v === null || v === undefined) return "NULL";
  const text = v instanceof Date ? v.toISOString() : typeof v === "object" ? JSON.stringify(v) : String(v);
  return `'${text.replaceAll("'", "''")}'`;
};

type Role = "owner" | "tenant";

interface Statement extends Captured {
  role: Role;
}

interface ExplainedStatement extends Statement {
  custom: Scan[];
  generic: Scan[] | string;
  /** relations read sequentially although they are tenant tables, with the verdict */
  seqOnTenant: { relation: string; plan: "custom" | "generic"; verdict: "fail" | "tiny"; note: string }[];
}

const isScopeSetup = (text: string) => /^select set_config\('app\.tenant_id'/i.test(text) || /^set local role /i.test(text);

async function explain(engine: Engine, statement: Statement, tenantId: string, tenantTables: Set<string>, pages: Map<string, number>): Promise<ExplainedStatement> {
  return engine.rolledBack(async (q) => {
    if (statement.role === "tenant") {
      await q(`select set_config('app.tenant_id', $1, true)`, [tenantId]);
      await q(`set local role ${TENANT_ROLE_NAME}`);
    }
    const custom = scansOf(planFrom(await q(`explain (format json) ${statement.sql}`, statement.params)));

    let generic: Scan[] | string;
    await q("savepoint bench_generic");
    let prepared = false;
    try {
      await q(`prepare bench_generic_stmt as ${statement.sql}`);
      prepared = true;
      await q("set local plan_cache_mode = force_generic_plan");
      const execute = statement.params.length ? `execute bench_generic_stmt(${statement.params.map(literal).join(", ")})` : "execute bench_generic_stmt";
      generic = scansOf(planFrom(await q(`explain (format json) ${execute}`)));
      await q("set local plan_cache_mode = auto");
    } catch (error) {
      generic = `n/a (${(error as Error).message})`;
      await q("rollback to savepoint bench_generic");
    }
    if (prepared) await q("deallocate bench_generic_stmt");

    const seqOnTenant: ExplainedStatement["seqOnTenant"] = [];
    const seqRelations = (scans: Scan[] | string) =>
      typeof scans === "string" ? [] : [...new Set(scans.filter((s) => s.node === "Seq Scan" && tenantTables.has(s.relation)).map((s) => s.relation))];
    const seqCustom = seqRelations(custom);
    const seqGeneric = seqRelations(generic);
    if (seqCustom.length + seqGeneric.length > 0) {
      // Would the planner use an index if it could not read the table sequentially?
      await q("set local enable_seqscan = off");
      const forced = scansOf(planFrom(await q(`explain (format json) ${statement.sql}`, statement.params)));
      await q("set local enable_seqscan = on");
      for (const [plan, relations] of [["custom", seqCustom], ["generic", seqGeneric]] as const) {
        for (const relation of relations) {
          const stillSeq = forced.some((s) => s.relation === relation && s.node === "Seq Scan");
          const size = pages.get(relation) ?? Infinity;
          const instead = forced.filter((s) => s.relation === relation).map((s) => `${s.node}${s.index ? ` ${s.index}` : ""}`).join(", ");
          if (stillSeq) seqOnTenant.push({ relation, plan, verdict: "fail", note: `no usable index: still a Seq Scan with enable_seqscan = off (${size} pages)` });
          else if (size <= TINY_PAGES) seqOnTenant.push({ relation, plan, verdict: "tiny", note: `${size} page(s); with enable_seqscan = off: ${instead}` });
          else seqOnTenant.push({ relation, plan, verdict: "fail", note: `${size} pages; the planner prefers it to ${instead}` });
        }
      }
    }
    return { ...statement, custom, generic, seqOnTenant };
  });
}

const sortedScans = (scans: Scan[] | string) =>
  typeof scans === "string" ? scans : [...scans].sort((a, b) => `${a.relation} ${a.node} ${a.index}`.localeCompare(`${b.relation} ${b.node} ${b.index}`));

const oneLine = (text: string, max = 150) => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

const describeScans = (scans: Scan[] | string) =>
  typeof scans === "string"
    ? scans
    : scans.length === 0
      ? "(no table)"
      : scans.map((s) => `${s.relation}: ${s.node}${s.index ? ` (${s.index})` : ""}`).join("; ");

// ---------------------------------------------------------------------------------------
// The run

interface PlanGroup {
  sql: string;
  role: Role;
  /** how many of the explained companies issued it */
  seen: number;
  /** distinct (custom, generic) scan lists, with how many companies got each */
  variants: Map<string, { custom: Scan[]; generic: Scan[] | string; count: number }>;
  seqOnTenant: Map<string, ExplainedStatement["seqOnTenant"][number]>;
}

interface PagePlans {
  groups: PlanGroup[];
  companies: number;
  /** statements the HTTP request issued beyond the direct calls (and the reverse), with counts */
  onlyHttp: Map<string, number>;
  onlyDirect: Map<string, number>;
}

interface PageResult {
  page: Page;
  wall: Stats;
  server: Stats;
  reqPerSecond: number;
  /** the same URL's single-fetch data request (loaders + serialisation, no React render) */
  dataOnly: Stats | string | null;
  sql: Stats;
  sqlWithAuth: Stats;
  bad: string[];
  plans: PagePlans;
}

async function capture(engine: Engine, fn: (db: Db, database: Database) => Promise<void>): Promise<Captured[]> {
  const seen: Captured[] = [];
  const database = engine.logged((q) => seen.push(q));
  await fn(database.db, database);
  return seen;
}

function multisetDiff(a: string[], b: string[]): { onlyA: string[]; onlyB: string[] } {
  const count = new Map<string, number>();
  for (const x of a) count.set(x, (count.get(x) ?? 0) + 1);
  const onlyB: string[] = [];
  for (const x of b) {
    const n = count.get(x) ?? 0;
    if (n > 0) count.set(x, n - 1);
    else onlyB.push(x);
  }
  const onlyA = [...count].flatMap(([x, n]) => Array.from({ length: n }, () => x));
  return { onlyA, onlyB };
}

const normalise = (text: string) => text.replace(/\s+/g, " ").trim();

async function main() {
  const stale = buildIsStale();
  if (stale?.startsWith("build/")) throw new Error(stale);
  if (stale) log(stale);

  const url = process.env.DATABASE_URL;
  const engine = url ? await postgresEngine(url) : await pgliteEngine();
  log(`Engine: ${engine.name}${url ? "" : " (DATABASE_URL unset)"}`);
  try {
    await run(engine);
  } finally {
    await engine.dispose();
  }
}

async function run(engine: Engine) {
  const { database } = engine;
  const db = database.db;
  let t = now();
  if (engine.fresh) {
    await database.migrate();
    if (!(await isDatabaseEmpty(db))) throw new Error("the bench database is not empty");
    log(`Seeding ${SCALE} study years (${YEARS[0]}–${LAST_YEAR}) with seedDemo…`);
    await seedDemo(db, { years: YEARS, log: (line) => log(`  ${line}  [${((now() - t) / 1000).toFixed(0)} s]`) });
    log(`Seeded in ${((now() - t) / 1000).toFixed(1)} s.`);
  } else {
    log("Reusing the seeded database (--reuse).");
  }
  t = now();
  const companies = await benchCompanies(db);
  log(`${companies.length} companies of ${LAST_YEAR}, a manager + session + API token each (${((now() - t) / 1000).toFixed(1)} s); ` +
    `${companies.filter((c) => c.refIsPhone).length} have a phone inquiry for the inquiry page.`);
  t = now();
  // As autovacuum would have done by the time anyone reads the pages: statistics, and the
  // visibility map of the freshly written tables (index-only scans, no vacuum mid-run).
  await engine.query("vacuum (analyze)");
  log(`VACUUM (ANALYZE) in ${((now() - t) / 1000).toFixed(1)} s.`);

  const counts = (await engine.query(
    `select (select count(*) from inquiries)::int as inquiries, (select count(*) from answers)::int as answers,
            (select count(*) from inquiry_area_scores)::int as area_scores, (select count(*) from participations)::int as participations`,
  ))[0]!;
  log(`Rows: ${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(", ")}`);
  const tenantTables = new Set(
    (await engine.query(`select table_name from information_schema.columns where table_schema = 'public' and column_name = 'tenant_id' order by 1`)).map(
      (r) => String(r.table_name),
    ),
  );
  const pages = new Map(
    (await engine.query(`select relname, relpages from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r'`)).map(
      (r) => [String(r.relname), Number(r.relpages)] as const,
    ),
  );
  log(`Tenant tables (tenant_id column): ${[...tenantTables].map((n) => `${n} (${pages.get(n) ?? "?"} p)`).join(", ")}`);

  const server = await startBenchServer(database);
  log(`Server: ${server.origin} (express + Remix build, in this process)\n`);
  const results: PageResult[] = [];
  try {
    // Plans first, then the timings (plansOf swaps the logging database in and back out).
    const selected = PAGES.filter((p) => !args.only || p.key.includes(args.only));
    const plansByPage = new Map<Page, PagePlans>();
    t = now();
    for (const page of selected) plansByPage.set(page, await plansOf(engine, server, page, companies, tenantTables, pages));
    log(`Statements captured and explained for ${Math.min(PLAN_COMPANIES, companies.length)} companies per page in ${((now() - t) / 1000).toFixed(1)} s.\n`);
    setDatabase(database);
    for (const page of selected) results.push(await timePage(server, database, page, companies, plansByPage.get(page)!));
  } finally {
    await server.close();
  }
  report(engine, results, companies.length);
}

async function plansOf(engine: Engine, server: BenchServer, page: Page, companies: Company[], tenantTables: Set<string>, pages: Map<string, number>): Promise<PagePlans> {
  // Per company: the page through HTTP, then the direct calls (auth as the owner, the data
  // functions in withTenant), each with the API token unused for a minute as on a first
  // call, so both issue the same statements; then the direct calls' statements EXPLAINed.
  const plans: PagePlans = { groups: [], companies: 0, onlyHttp: new Map(), onlyDirect: new Map() };
  const groups = new Map<string, PlanGroup>();
  const forgetTokenUse = (c: Company) => engine.query("update api_tokens set last_used_at = null where tenant_id = $1", [c.tenantId]);
  for (const c of companies.slice(0, PLAN_COMPANIES)) {
    await forgetTokenUse(c);
    const viaHttp = await capture(engine, async (_db, logged) => {
      setDatabase(logged);
      try {
        const response = await server.get(page.path(c), headersFor(page, c));
        if (response.status !== 200) throw new Error(`${page.key}: ${response.status} for ${page.path(c)}`);
      } finally {
        setDatabase(engine.database);
      }
    });
    await forgetTokenUse(c);
    const owner = await capture(engine, (db) => authSql(db, page, c, server.origin));
    const tenant = await capture(engine, async (db) => {
      await withTenant(db, c.tenantId, (scope) => page.data(scope, c));
    });
    const diff = multisetDiff(viaHttp.map((x) => normalise(x.sql)), [...owner, ...tenant].map((x) => normalise(x.sql)));
    for (const x of diff.onlyA) plans.onlyHttp.set(x, (plans.onlyHttp.get(x) ?? 0) + 1);
    for (const x of diff.onlyB) plans.onlyDirect.set(x, (plans.onlyDirect.get(x) ?? 0) + 1);

    const all: Statement[] = [...owner.map((x) => ({ ...x, role: "owner" as const })), ...tenant.map((x) => ({ ...x, role: "tenant" as const }))];
    for (const statement of all) {
      if (isScopeSetup(statement.sql)) continue;
      const explained = await explain(engine, statement, c.tenantId, tenantTables, pages);
      const key = `${statement.role} ${normalise(statement.sql)}`;
      const group = groups.get(key) ?? { sql: statement.sql, role: statement.role, seen: 0, variants: new Map(), seqOnTenant: new Map() };
      group.seen++;
      // Join order aside: the same scans in another order are the same variant.
      const variantKey = `${describeScans(sortedScans(explained.custom))} | ${describeScans(sortedScans(explained.generic))}`;
      const variant = group.variants.get(variantKey) ?? { custom: explained.custom, generic: explained.generic, count: 0 };
      variant.count++;
      group.variants.set(variantKey, variant);
      for (const seq of explained.seqOnTenant) group.seqOnTenant.set(`${seq.relation} ${seq.plan} ${seq.verdict}`, seq);
      groups.set(key, group);
    }
    plans.companies++;
  }
  plans.groups = [...groups.values()];
  return plans;
}

/** The single-fetch data URL of a page: its loaders' data without the HTML render. */
const dataUrl = (pagePath: string) => pagePath.replace(/^([^?]*)/, (p) => `${p.replace(/\/$/, "")}.data`);

async function timePage(server: BenchServer, database: Database, page: Page, companies: Company[], plans: PagePlans): Promise<PageResult> {
  const db = database.db;
  const company = (i: number) => companies[i % companies.length]!;
  const bad: string[] = [];
  let nonOk = 0;
  const request = async (i: number) => {
    const c = company(i);
    const response = await server.get(page.path(c), headersFor(page, c));
    if (response.status !== 200) {
      nonOk++;
      if (bad.length < 5) bad.push(`${response.status} for ${c.code} ${page.path(c)}: ${response.body.slice(0, 200)}`);
    }
    return response;
  };
  const sqlAlone = (i: number) => withTenant(db, company(i).tenantId, (scope) => page.data(scope, company(i)));

  const dataRequest = async (i: number) => {
    const c = company(i);
    return server.get(dataUrl(page.path(c)), headersFor(page, c));
  };

  // Interleaved, request i then the same company's SQL alone, SQL+auth and data request,
  // so that whatever else the machine does falls on all of them alike.
  const wall: number[] = [];
  const serverTimes: number[] = [];
  const sqlTimes: number[] = [];
  const withAuth: number[] = [];
  const dataTimes: number[] = [];
  let dataOnly: PageResult["dataOnly"] = page.auth === "session" ? null : "–";
  for (let i = 0; i < WARMUP + REQUESTS; i++) {
    const measured = i >= WARMUP;
    const response = await request(i);
    let t = now();
    await sqlAlone(i);
    const sqlMs = now() - t;
    t = now();
    await authSql(db, page, company(i), server.origin);
    await sqlAlone(i);
    const withAuthMs = now() - t;
    if (dataOnly === null) {
      const data = await dataRequest(i);
      if (data.status !== 200) dataOnly = `n/a (${data.status})`;
      else if (measured) dataTimes.push(data.serverMs);
    }
    if (!measured) continue;
    wall.push(response.wallMs);
    serverTimes.push(response.serverMs);
    sqlTimes.push(sqlMs);
    withAuth.push(withAuthMs);
  }
  if (dataOnly === null) dataOnly = stats(dataTimes);
  const reqPerSecond = REQUESTS / (wall.reduce((sum, x) => sum + x, 0) / 1000);
  const result: PageResult = { page, wall: stats(wall), server: stats(serverTimes), reqPerSecond, dataOnly, sql: stats(sqlTimes), sqlWithAuth: stats(withAuth), bad: nonOk ? [`${nonOk} of ${WARMUP + REQUESTS} not 200`, ...bad] : [], plans };
  log(
    `${page.key.padEnd(20)} server p50 ${ms(result.server.p50)} p95 ${ms(result.server.p95)} ms · SQL alone p50 ${ms(result.sql.p50)} p95 ${ms(result.sql.p95)} ms · ` +
      `${(result.server.p95 / result.sql.p95).toFixed(2)}×${nonOk ? ` · ${nonOk} not 200` : ""}`,
  );
  return result;
}

function table(header: string[], lines: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [fmt(header), widths.map((w) => "-".repeat(w)).join("  "), ...lines.map(fmt)].join("\n");
}

function reportPlans(engine: Engine, results: PageResult[]) {
  log(`\n=== Plans (${engine.name}) ===`);
  log("custom = planned with the statement's own parameters; generic = the plan a prepared statement switches to (force_generic_plan);");
  log("[tenant] statements are explained after set_config('app.tenant_id') and SET LOCAL ROLE innsikt_tenant, [owner] ones as the owner.");
  for (const r of results) {
    const { plans } = r;
    log(`\n${r.page.key} — ${r.page.path({ ref: "<ref>" } as Company)} — ${plans.groups.length} distinct statements over ${plans.companies} companies`);
    if (plans.onlyHttp.size + plans.onlyDirect.size === 0) log("  the direct calls issue exactly the statements the page issues through HTTP");
    for (const [text, n] of plans.onlyHttp) log(`  issued through HTTP beyond the direct calls (${n}× in ${plans.companies} requests): ${oneLine(text, 120)}`);
    for (const [text, n] of plans.onlyDirect) log(`  issued by the direct calls only (${n}× in ${plans.companies} runs): ${oneLine(text, 120)}`);
    plans.groups.forEach((g, i) => {
      log(`  #${i + 1} [${g.role}]${g.seen < plans.companies ? ` (${g.seen} of ${plans.companies} companies)` : ""} ${args.sql ? normalise(g.sql) : oneLine(g.sql)}`);
      for (const v of g.variants.values()) {
        const share = g.variants.size > 1 ? ` (${v.count}×)` : "";
        log(`       custom${share}: ${describeScans(v.custom)}`);
        if (describeScans(sortedScans(v.generic)) !== describeScans(sortedScans(v.custom))) log(`       generic${share}: ${describeScans(v.generic)}`);
      }
      for (const seq of g.seqOnTenant.values()) log(`       ${seq.verdict === "fail" ? "FAIL" : "ok  "} Seq Scan on tenant table ${seq.relation} (${seq.plan} plan): ${seq.note}`);
    });
    const byRelation = new Map<string, Set<string>>();
    for (const g of plans.groups) {
      for (const v of g.variants.values()) {
        for (const scan of [...v.custom, ...(typeof v.generic === "string" ? [] : v.generic)]) {
          if (scan.node === "ModifyTable") continue;
          const set = byRelation.get(scan.relation) ?? new Set<string>();
          set.add(scan.node);
          byRelation.set(scan.relation, set);
        }
      }
    }
    log(`  scan types: ${[...byRelation].sort(([a], [b]) => a.localeCompare(b)).map(([rel, nodes]) => `${rel} ${[...nodes].join("/")}`).join(", ")}`);
  }
}

function report(engine: Engine, results: PageResult[], companyCount: number) {
  reportPlans(engine, results);
  const verdicts = results.map((r) => {
    const ratio = r.server.p95 / r.sql.p95;
    const seqs = r.plans.groups.flatMap((g) => [...g.seqOnTenant.values()]);
    const seqFails = [...new Set(seqs.filter((x) => x.verdict === "fail").map((x) => x.relation))];
    const tiny = [...new Set(seqs.filter((x) => x.verdict === "tiny").map((x) => x.relation))];
    return { r, ratio, seqFails, tiny, ok: ratio <= BUDGET && seqFails.length === 0 && r.bad.length === 0 };
  });

  log(`\n=== ${engine.name}: ${REQUESTS} sequential requests per page over ${companyCount} companies, after ${WARMUP} warm-up; times in ms ===`);
  log(
    table(
      ["page", "HTTP p50", "p95", "p99", "req/s", "server p50", "p95", "p99", "data-only p95", "SQL p50", "p95", "SQL+auth p95", "server p95 / SQL p95", `≤ ${BUDGET}×`, "seq scan on tenant table", "status"],
      verdicts.map(({ r, ratio, seqFails, tiny }) => [
        r.page.key,
        ms(r.wall.p50),
        ms(r.wall.p95),
        ms(r.wall.p99),
        r.reqPerSecond.toFixed(0),
        ms(r.server.p50),
        ms(r.server.p95),
        ms(r.server.p99),
        typeof r.dataOnly === "string" || r.dataOnly === null ? (r.dataOnly ?? "–") : ms(r.dataOnly.p95),
        ms(r.sql.p50),
        ms(r.sql.p95),
        ms(r.sqlWithAuth.p95),
        `${ratio.toFixed(2)}×`,
        ratio <= BUDGET ? "PASS" : "FAIL",
        seqFails.length ? `FAIL ${seqFails.join(", ")}` : tiny.length ? `none (tiny: ${tiny.join(", ")})` : "none",
        r.bad.length ? "FAIL" : `${r.server.n}×200`,
      ]),
    ),
  );
  log(
    "\nHTTP = the client's wall time on loopback; server = request received → response finished, in the server; data-only = the same URL's\n" +
      "single-fetch .data request (every loader, no HTML render); SQL = the loader's data functions in withTenant alone; SQL+auth adds the\n" +
      "session + memberships (or API token) lookups made before it. tiny = a tenant table of at most " +
      `${TINY_PAGES} pages that the planner reads whole\nalthough an index is usable (it takes the index as soon as sequential scans are disabled).`,
  );
  for (const { r } of verdicts) for (const line of r.bad) log(`  ${r.page.key}: ${line}`);
  const failed = verdicts.filter((v) => !v.ok);
  if (failed.length) {
    log(`\nFAIL: ${failed.map((v) => v.r.page.key).join(", ")}`);
    process.exitCode = 1;
  } else {
    log(`\nPASS: every page's p95 is within ${BUDGET}× its SQL, every response 200, and no plan reads a tenant table sequentially.`);
  }
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 2;
  })
  .finally(() => {
    // The Remix entry leaves a 5 s abort timer per request; do not wait for them.
    setTimeout(() => process.exit(), 100).unref();
  });
