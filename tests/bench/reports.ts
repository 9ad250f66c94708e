// Report benchmark (issue 19): the company reports of the demo data's newest published study,
// built through the job queue by a real server process, while this script asks the portal's
// /healthz over and over: the time per report, and /healthz's latency during the batch
// (target: p95 under 200 ms; the rendering must stay off the server's event loop).
//
//   npx tsx tests/bench/reports.ts [--companies N] [--timeout 1800] [--target 200]
//   (npm run bench:reports -- --companies 10)
//
// Data: a scratch embedded database (a temporary PGLITE_DATA_DIR) that the server seeds with
// the demo data at its start (2 study years, 168 companies), deleted afterwards.
// Server: app/server/main.ts in its own process (tests/support/child-server.ts, as `npm start`:
// web and job workers in one process; the Remix build in build/: run `npx remix build` first).
// Batch: without --companies, staff press "Bygg rapporter" on the study (POST
// /staff/studies/<year>/reports): every company's report and summary, one job per company. With
// --companies N, the first N companies' reports are queued the same way (rows, then one job per
// company on the queue) from this script.
// Output: reports built and failed, the batch's wall time per report, each job's time per
// report (p50/p95/max, from the queue's own start and end of each job), and /healthz's
// requests, p50/p95/p99/max and errors during the batch. PASS (exit 0) when every report was
// built and /healthz's p95 is under --target ms; FAIL (exit 1) otherwise; 2 when it could not run.

import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { openEmbedded, setDatabase, type Database } from "#db/client.server";
import * as s from "#db/schema";
import { BATCH_VARIANTS } from "~/domain/reports";
import { startJobs } from "~/jobs/runtime.server";
import { sendReportJobs } from "~/models/reports/company-reports.server";
import { buildIsStale } from "../support/bench-common";
import { startChildServer, type ChildServer } from "../support/child-server";
import { createUser, signedInCookie } from "../support/factories";

const { values: args } = parseArgs({
  options: {
    companies: { type: "string" },
    timeout: { type: "string", default: "1800" },
    target: { type: "string", default: "200" },
  },
});
const companiesArg = args.companies === undefined ? null : Number(args.companies);
const timeoutMs = Number(args.timeout) * 1000;
const targetMs = Number(args.target);
if ((companiesArg !== null && !(companiesArg >= 1)) || !(timeoutMs > 0) || !(targetMs > 0)) {
  console.error("usage: tests/bench/reports.ts [--companies N] [--timeout SECONDS] [--target MS]");
  process.exit(2);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
const ms = (n: number) => (Number.isNaN(n) ? "–" : `${n.toFixed(n < 10 ? 1 : 0)} ms`);
const sec = (n: number) => (Number.isNaN(n) ? "–" : `${(n / 1000).toFixed(2)} s`);

const stale = buildIsStale();
if (stale?.startsWith("build/")) {
  console.error(stale);
  process.exit(2);
}
if (stale) console.log(stale);

const work = mkdtempSync(path.join(os.tmpdir(), "innsikt-bench-reports-"));
let server: ChildServer | null = null;
let database: Database | null = null;
let exitCode = 2;
try {
  console.log("Starting the server on a scratch embedded database (it seeds the demo data first; a minute at most) …");
  const started = Date.now();
  server = await startChildServer({ name: "reports", database: { pgliteDataDir: path.join(work, "pglite") }, outboxDir: path.join(work, "outbox") });
  console.log(`Server ${server.pid} at ${server.origin}, ready in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  database = await openEmbedded(path.join(work, "pglite"));
  setDatabase(database);
  const db = database.db;
  const [study] = await db.select({ id: s.studies.id, year: s.studies.year }).from(s.studies).where(eq(s.studies.status, "published")).orderBy(desc(s.studies.year)).limit(1);
  if (!study) throw new Error("the demo data has no published study");
  const companies = await db.select({ tenantId: s.participations.tenantId }).from(s.participations).where(eq(s.participations.studyId, study.id));
  const chosen = companiesArg === null ? companies : companies.slice(0, companiesArg);
  const expected = chosen.length * BATCH_VARIANTS.length;
  console.log(`Study ${study.year}: building ${expected} reports of ${chosen.length} of its ${companies.length} companies (${BATCH_VARIANTS.map((v) => `${v.kind}/${v.lang}`).join(", ")}).`);

  // /healthz, one request after the other, from before the batch starts until it ends.
  const health: number[] = [];
  let healthErrors = 0;
  let batchDone = false;
  const healthLoop = (async () => {
    while (!batchDone) {
      const t0 = performance.now();
      try {
        const response = await fetch(`${server!.origin}/healthz`);
        await response.arrayBuffer();
        if (response.status === 200) health.push(performance.now() - t0);
        else healthErrors += 1;
      } catch {
        healthErrors += 1;
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  })();

  const batchStart = Date.now();
  if (companiesArg === null) {
    const staff = await createUser(db, { isStaff: true, name: "Bench Staff" });
    const cookie = await signedInCookie(db, staff.id);
    const response = await fetch(`${server.origin}/staff/studies/${study.year}/reports`, {
      method: "POST",
      headers: { Cookie: cookie, Origin: server.origin, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ intent: "build" }),
      redirect: "manual",
    });
    if (response.status !== 302) throw new Error(`"Bygg rapporter" answered ${response.status}`);
  } else {
    // The same rows and one job per company, from here (a queue that only sends, no workers).
    const jobs = await startJobs(database, { work: false });
    const rows = chosen.flatMap((c) => BATCH_VARIANTS.map((v) => ({ tenantId: c.tenantId, studyId: study.id, kind: v.kind, lang: v.lang })));
    await db.insert(s.companyReports).values(rows);
    await sendReportJobs(db, { studyId: study.id });
    await jobs.stop({ graceful: true, timeoutSeconds: 5 });
  }

  let counts = { ready: 0, failed: 0, pending: expected };
  const tenants = chosen.map((c) => c.tenantId);
  for (;;) {
    const rows = await db
      .select({ status: s.companyReports.status, n: sql<number>`count(*)::int` })
      .from(s.companyReports)
      .where(and(eq(s.companyReports.studyId, study.id), inArray(s.companyReports.tenantId, tenants)))
      .groupBy(s.companyReports.status);
    const by = Object.fromEntries(rows.map((r) => [r.status, r.n])) as Record<string, number>;
    counts = { ready: by.ready ?? 0, failed: by.failed ?? 0, pending: (by.queued ?? 0) + (by.building ?? 0) };
    if (counts.pending === 0 && counts.ready + counts.failed >= expected) break;
    if (Date.now() - batchStart > timeoutMs) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const wall = Date.now() - batchStart;
  batchDone = true;
  await healthLoop;

  const jobTimes = (
    await db.execute<{ seconds: number }>(
      sql`select extract(epoch from completed_on - started_on)::float8 as seconds from pgboss.job where name = 'report.build' and state = 'completed' and completed_on is not null`,
    )
  ) as unknown as { rows?: { seconds: number }[] } | { seconds: number }[];
  const perJob = (Array.isArray(jobTimes) ? jobTimes : (jobTimes.rows ?? [])).map((r) => (Number(r.seconds) * 1000) / BATCH_VARIANTS.length).sort((a, b) => a - b);
  const [size] = await db
    .select({ avg: sql<number>`avg(size_bytes)::float8`, max: sql<number>`max(size_bytes)` })
    .from(s.companyReports)
    .where(and(eq(s.companyReports.studyId, study.id), eq(s.companyReports.status, "ready")));
  const sortedHealth = [...health].sort((a, b) => a - b);
  const p95 = percentile(sortedHealth, 95);

  console.log("");
  console.log(`reports        ${counts.ready} built, ${counts.failed} failed, ${counts.pending} not finished (of ${expected}) in ${sec(wall)}`);
  console.log(`per report     ${sec(wall / Math.max(1, counts.ready + counts.failed))} of the batch's wall time (${server ? "one server process, one job at a time" : ""})`);
  console.log(`job / report   p50 ${sec(percentile(perJob, 50))}, p95 ${sec(percentile(perJob, 95))}, max ${sec(perJob.at(-1) ?? NaN)} (${perJob.length} jobs)`);
  console.log(`size           mean ${Math.round((size?.avg ?? 0) / 1024)} kB, largest ${Math.round((size?.max ?? 0) / 1024)} kB`);
  console.log(`/healthz       ${health.length} requests during the batch, p50 ${ms(percentile(sortedHealth, 50))}, p95 ${ms(p95)}, p99 ${ms(percentile(sortedHealth, 99))}, max ${ms(sortedHealth.at(-1) ?? NaN)}, ${healthErrors} errors (target p95 < ${targetMs} ms)`);
  console.log(`load average   ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} (${os.cpus().length} cores)`);
  const pass = counts.ready === expected && healthErrors === 0 && health.length > 0 && p95 < targetMs;
  console.log(pass ? "PASS" : "FAIL");
  exitCode = pass ? 0 : 1;
} catch (error) {
  console.error(`The benchmark could not run: ${(error as Error).stack ?? String(error)}`);
  if (server) console.error(server.output.slice(-20).join("\n"));
  exitCode = 2;
} finally {
  await database?.close().catch(() => {});
  await server?.stop().catch(() => {});
  rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
