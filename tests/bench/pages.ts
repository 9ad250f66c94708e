// Page benchmark: the company pages and the API summary on ten study years of demo data,
// each against its own SQL run alone, and the query plans of every statement they issue.
//
//   npx tsx tests/bench/pages.ts [--requests 300] [--warmup 30] [--companies 50] [--scale 10]
//                                [--plan-companies 10] [--only TEXT] [--budget 3] [--keep] [--reuse DBNAME] [--sql]
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
// "SQL alone": the very statements the page issued, captured with their parameters at the
// driver (every postgres.js `unsafe` call under drizzle, with its row count
// and the transaction it ran in) during a request of that company's page, then replayed
// directly on a plain connection (no drizzle, no model code): the auth statements as the
// request sent them, each transaction's statements (set_config, SET LOCAL ROLE and the
// loaders' queries) in a transaction of their own. Interleaved with the requests, same
// companies. Budget: page p95 ≤ 3 × SQL p95 (--budget; 3 at --scale 10: on smaller data the
// SQL is quicker while rendering costs the same, so the ratio grows), where SQL is the statements of the page's
// transactions (the loaders' data); SQL+auth adds the statements before them (session +
// memberships, or the API token), i.e. every statement the request issued.
//
// Statements check: per company, after one request to warm up (so the API token's
// last_used_at is fresh, as in the timed requests), the page is captured twice through HTTP;
// the two captures must issue the same statements (text and row counts, per transaction),
// and the first must replay directly without an error and with the same row count for every
// statement. Any difference fails the page.
//
// Plans: the captured statements (for `--plan-companies` companies) are EXPLAINed with their
// parameters in a rolled-back transaction as the page runs them:
// tenant statements after set_config('app.tenant_id') and SET LOCAL ROLE innsikt_tenant,
// auth statements as the owner. Both the custom plan (these parameters) and the generic plan
// (what a prepared statement switches to after five runs; PREPARE + plan_cache_mode =
// force_generic_plan) are read, and the scan node of every relation is printed. A Seq Scan on
// a tenant table (one with a tenant_id column) fails the page, except on a table of at most
// TINY_PAGES pages where the planner takes an index as soon as sequential scans are disabled
// (reading one page beats any index; that is not a missing index).
//
// Exit code 1 when a page fails (status, statements, budget or plan), 2 on an error.

import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { asc, eq, sql as dsql } from "drizzle-orm";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { openEmbedded, openPostgres, setDatabase, socketDirOf, type Database, type Db } from "#db/client.server";
import * as schema from "#db/schema";
import { TENANT_ROLE_NAME } from "#db/schema/tenancy";
import { hashPassword } from "~/auth/password.server";
import { createApiToken } from "~/models/accounts/api-token.server";
import { isDatabaseEmpty, seedDemo } from "~/models/admin/demo.server";
import { createSession, generateSessionToken } from "~/models/accounts/session.server";
import { benchDataOptions, buildIsStale } from "../support/bench-common";
import { multisetDiff, normalise, recordPostgres, replay, signature, transactionsOf, type Captured } from "../support/statement-capture";
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
    /** page p95 ≤ budget × SQL p95; 3 is set for --scale 10, where the SQL outweighs the page's fixed rendering cost */
    budget: { type: "string", default: "3" },
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
const BUDGET = Number(args.budget);
/** A tenant table this small may be read sequentially if an index path exists (8 kB pages). */
const TINY_PAGES = 8;
const TEXT_QUERY = "svar";
const PLAN_COMPANIES = Math.max(1, Number(args["plan-companies"]));

const now = () => performance.now();
const log = (line = "") => console.log(line);

// ---------------------------------------------------------------------------------------
// Engines: the database, a way to run raw statements in a rolled-back transaction, a second
// drizzle instance over the same client whose driver calls are recorded, and the direct
// replay of recorded statements on a plain connection.

type Row = Record<string, unknown>;
type Query = (text: string, params?: unknown[]) => Promise<Row[]>;

interface Engine {
  name: string;
  kind: "postgres" | "pglite";
  database: Database;
  /** A Database whose driver calls are appended to `into` (with their row counts once answered). */
  recording(into: Captured[]): Database;
  /** Runs `statements` directly on a plain connection, each transaction in one of its own; their row counts. */
  replay(statements: Captured[]): Promise<number[]>;
  /** `fn` in one transaction that is rolled back afterwards. */
  rolledBack<T>(fn: (q: Query) => Promise<T>): Promise<T>;
  query: Query;
  /** Whether the demo data still has to be loaded. */
  fresh: boolean;
  dispose(): Promise<void>;
}

const drizzleOptions = { schema, casing: "snake_case" } as const;
const ROLLBACK = Symbol("rollback");

/** An Engine over postgres.js: `client` is the Database's own, `plain` the replay's connection. */
function postgresJsEngine(parts: { name: string; kind: Engine["kind"]; database: Database; plain: postgres.Sql; fresh: boolean; dispose(): Promise<void> }): Engine {
  const { database, plain } = parts;
  const client = (database.db as unknown as { $client: postgres.Sql }).$client;
  // The replay's connection gets drizzle's type handling (timestamps and dates pass through
  // as text both ways), so the captured parameters go out unchanged.
  drizzlePostgres({ client: plain });
  const query: Query = async (text, params = []) => (await client.unsafe(text, params as never[], { prepare: false })) as unknown as Row[];
  return {
    name: parts.name,
    kind: parts.kind,
    database,
    recording(into) {
      const db = drizzlePostgres({ client: recordPostgres(client, into, { tx: 0 }), ...drizzleOptions }) as unknown as Db;
      return { ...database, db };
    },
    replay: (statements) => replay(plain, statements),
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
    fresh: parts.fresh,
    async dispose() {
      await plain.end();
      await parts.dispose();
    },
  };
}

async function postgresEngine(url: string): Promise<Engine> {
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  const name = args.reuse ?? `innsikt_bench_pages_${randomBytes(5).toString("hex")}`;
  if (!args.reuse) await admin.unsafe(`create database ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const database = await openPostgres(target.toString(), { max: 10 });
  const [{ server_version: version } = { server_version: "?" }] = await admin<{ server_version: string }[]>`show server_version`;
  return postgresJsEngine({
    name: `PostgreSQL ${version.split(" ")[0]} (database ${name})`,
    kind: "postgres",
    database,
    plain: postgres(target.toString(), { max: 1, onnotice: () => {} }),
    fresh: !args.reuse,
    async dispose() {
      await database.close();
      if (args.keep || args.reuse) log(`Database ${name} kept (--reuse ${name} runs on it again).`);
      else await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  });
}

async function pgliteEngine(): Promise<Engine> {
  // The embedded database as npm start runs it: PGlite shared over a Unix socket, which the
  // Database (and the replay's own connection) reach through postgres.js.
  const root = mkdtempSync(path.join(os.tmpdir(), "innsikt-bench-pages-"));
  const dataDir = path.join(root, "data");
  const database = await openEmbedded(dataDir);
  return postgresJsEngine({
    name: "PGlite (embedded, over its socket)",
    kind: "pglite",
    database,
    plain: postgres({ host: socketDirOf(dataDir), port: 5432, user: "postgres", database: "postgres", max: 1, prepare: false, onnotice: () => {} }),
    fresh: true,
    async dispose() {
      await database.close();
      rmSync(root, { recursive: true, force: true });
    },
  });
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
// Pages: the URL and how the request signs in.

interface Page {
  key: string;
  path(c: Company): string;
  auth: "session" | "token";
}

const LIST_FILTERS = "channel=phone&band=low&sort=score-asc";
const LIST_TEXT = `q=${TEXT_QUERY}`;
const INQUIRY_FILTER = "channel=phone";

const PAGES: Page[] = [
  { key: "overview", path: () => "/company", auth: "session" },
  { key: "inquiries (filters)", path: () => `/company/inquiries?${LIST_FILTERS}`, auth: "session" },
  { key: "inquiries (text)", path: () => `/company/inquiries?${LIST_TEXT}`, auth: "session" },
  { key: "inquiry", path: (c) => `/company/inquiries/${encodeURIComponent(c.ref)}?${INQUIRY_FILTER}`, auth: "session" },
  { key: "variance", path: () => "/company/variance", auth: "session" },
  { key: "comparison", path: () => "/company/comparison", auth: "session" },
  { key: "API summary", path: () => `/api/v1/studies/${LAST_YEAR}/summary`, auth: "token" },
];

const headersFor = (page: Page, c: Company): Record<string, string> =>
  page.auth === "token" ? { Authorization: `Bearer ${c.apiToken}` } : { Cookie: c.cookie };

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
  /** how many companies' statements were explained */
  companies: number;
  /** per company (tenant id): the statements its request issued, as captured the first time */
  captured: Map<string, Captured[]>;
  /** how many companies' requests were captured twice and replayed */
  checked: number;
  /** differences between the two captures, or between a capture and its direct replay */
  problems: string[];
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

/** The statements one request of `page` issues, recorded at the driver. */
async function captureRequest(engine: Engine, server: BenchServer, page: Page, c: Company): Promise<Captured[]> {
  const into: Captured[] = [];
  setDatabase(engine.recording(into));
  try {
    const response = await server.get(page.path(c), headersFor(page, c));
    if (response.status !== 200) throw new Error(`${page.key}: ${response.status} for ${page.path(c)}`);
  } finally {
    setDatabase(engine.database);
  }
  return into;
}

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
    // Statements and plans first, then the timings (captureRequest swaps the recording database in and back out).
    const selected = PAGES.filter((p) => !args.only || p.key.includes(args.only));
    const plansByPage = new Map<Page, PagePlans>();
    t = now();
    for (const page of selected) plansByPage.set(page, await plansOf(engine, server, page, companies, tenantTables, pages));
    log(`Statements captured twice and replayed for ${companies.length} companies, explained for ${Math.min(PLAN_COMPANIES, companies.length)}, per page in ${((now() - t) / 1000).toFixed(1)} s.\n`);
    setDatabase(database);
    for (const page of selected) results.push(await timePage(engine, server, page, companies, plansByPage.get(page)!));
  } finally {
    await server.close();
  }
  report(engine, results, companies.length);
}

async function plansOf(engine: Engine, server: BenchServer, page: Page, companies: Company[], tenantTables: Set<string>, pages: Map<string, number>): Promise<PagePlans> {
  // Per company: one request to warm up (the API token's last_used_at is then fresh, as in
  // the timed requests), then two captured requests, which must issue the same statements;
  // the first is replayed directly and must give the same row counts. The first
  // `--plan-companies` companies' statements are then EXPLAINed.
  const plans: PagePlans = { groups: [], companies: 0, captured: new Map(), checked: 0, problems: [] };
  const groups = new Map<string, PlanGroup>();
  for (const [index, c] of companies.entries()) {
    const warm = await server.get(page.path(c), headersFor(page, c));
    if (warm.status !== 200) throw new Error(`${page.key}: ${warm.status} for ${page.path(c)}`);
    const first = await captureRequest(engine, server, page, c);
    const second = await captureRequest(engine, server, page, c);
    plans.captured.set(c.tenantId, first);
    plans.checked++;
    const diff = multisetDiff(signature(first), signature(second));
    for (const x of diff.onlyA) plans.problems.push(`${c.code}: only the first request issued ${oneLine(x, 160)}`);
    for (const x of diff.onlyB) plans.problems.push(`${c.code}: only the second request issued ${oneLine(x, 160)}`);
    for (const s of first) if (s.rows === null) plans.problems.push(`${c.code}: failed in the page: ${oneLine(s.sql, 120)}`);
    try {
      const replayed = await engine.replay(first);
      const expected = transactionsOf(first).flat();
      expected.forEach((s, i) => {
        if (replayed[i] !== s.rows) plans.problems.push(`${c.code}: replayed directly ${replayed[i]} rows, the page got ${s.rows}: ${oneLine(s.sql, 120)}`);
      });
    } catch (error) {
      plans.problems.push(`${c.code}: the direct replay failed: ${(error as Error).message}`);
    }
    if (index >= PLAN_COMPANIES) continue;

    // Inside a transaction, the statements after SET LOCAL ROLE run as the tenant role.
    const all: Statement[] = transactionsOf(first).flatMap((group) => {
      let role: Role = "owner";
      return group.map((statement) => {
        if (/^set local role /i.test(statement.sql)) role = "tenant";
        return { ...statement, role };
      });
    });
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

async function timePage(engine: Engine, server: BenchServer, page: Page, companies: Company[], plans: PagePlans): Promise<PageResult> {
  const company = (i: number) => companies[i % companies.length]!;
  // The company's captured statements, replayed directly: its transactions (the loaders'
  // data), and everything the request issued (auth included).
  const statementsOf = (i: number) => plans.captured.get(company(i).tenantId)!;
  const sqlAlone = (i: number) => engine.replay(statementsOf(i).filter((s) => s.tx !== null));
  const sqlWithAuth = (i: number) => engine.replay(statementsOf(i));
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
    await sqlWithAuth(i);
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
    const sample = [...plans.captured.values()][0] ?? [];
    log(`  ${sample.length} statements per request (${sample.filter((x) => x.tx !== null).length} in ${transactionsOf(sample).filter((g) => g[0]!.tx !== null).length} transaction(s))`);
    if (plans.problems.length === 0) log(`  every one of ${plans.checked} companies: two requests issued the same statements, and they replay directly with the same row counts`);
    for (const problem of plans.problems.slice(0, 10)) log(`  FAIL ${problem}`);
    if (plans.problems.length > 10) log(`  … ${plans.problems.length - 10} more differences`);
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
    return { r, ratio, seqFails, tiny, ok: ratio <= BUDGET && seqFails.length === 0 && r.bad.length === 0 && r.plans.problems.length === 0 };
  });

  log(`\n=== ${engine.name}: ${REQUESTS} sequential requests per page over ${companyCount} companies, after ${WARMUP} warm-up; times in ms ===`);
  log(
    table(
      ["page", "HTTP p50", "p95", "p99", "req/s", "server p50", "p95", "p99", "data-only p95", "SQL p50", "p95", "SQL+auth p95", "server p95 / SQL p95", `≤ ${BUDGET}×`, "statements", "seq scan on tenant table", "status"],
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
        r.plans.problems.length ? `FAIL ${r.plans.problems.length}` : "same",
        seqFails.length ? `FAIL ${seqFails.join(", ")}` : tiny.length ? `none (tiny: ${tiny.join(", ")})` : "none",
        r.bad.length ? "FAIL" : `${r.server.n}×200`,
      ]),
    ),
  );
  log(
    "\nHTTP = the client's wall time on loopback; server = request received → response finished, in the server; data-only = the same URL's\n" +
      "single-fetch .data request (every loader, no HTML render); SQL = the statements of the page's transactions (its loaders' data),\n" +
      "as captured from the page, replayed directly on a plain connection; SQL+auth = every statement the request issued (the session +\n" +
      "memberships or API token lookups before them too). statements = two requests issued the same statements and they replay with the\n" +
      "same row counts. tiny = a tenant table of at most " +
      `${TINY_PAGES} pages that the planner reads whole\nalthough an index is usable (it takes the index as soon as sequential scans are disabled).`,
  );
  for (const { r } of verdicts) for (const line of r.bad) log(`  ${r.page.key}: ${line}`);
  const failed = verdicts.filter((v) => !v.ok);
  if (failed.length) {
    log(`\nFAIL: ${failed.map((v) => v.r.page.key).join(", ")}`);
    process.exitCode = 1;
  } else {
    log(`\nPASS: every page's p95 is within ${BUDGET}× its SQL, its statements are the same on every request and replay directly, every response 200, and no plan reads a tenant table sequentially.`);
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
