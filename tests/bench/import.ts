// Import benchmark: a year of results (4,300 inquiries, 16 questions, comments and
// transcripts) through runImport, against PostgreSQL's own COPY of the very same rows.
//
//   npx tsx tests/bench/import.ts [--rows 4300] [--runs 3] [--engine pglite|postgres]
//
// Runs on the embedded PGlite (a temporary data folder) and, when DATABASE_URL is set, on a
// fresh database created in that server (dropped afterwards). For each engine: migrate,
// create the study, import questionnaire and participants, then time runImport of the
// results file (read + validate + compare + write, one transaction). The rows it wrote to
// inquiries, answers and inquiry_area_scores are then copied out, the three tables
// truncated, and COPY ... FROM loads the same rows back into the real tables (constraints,
// indexes, foreign keys and all) in one transaction. The budget: import ≤ 5 × COPY.
// With --runs N each side runs N times (a clean slate each time) and the median counts.
// Exit code 1 when an engine misses the budget.

import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { openPglite, openPostgres, type Database } from "#db/client.server";
import { runImport, type ImportKind, type ImportPhase } from "~/models/studies/import.server";
import { createStudy } from "~/models/studies/study.server";
import { largeStudy, studyFiles } from "../support/large-study";

const { values: args } = parseArgs({
  options: {
    rows: { type: "string", default: "4300" },
    runs: { type: "string", default: "3" },
    year: { type: "string", default: "2021" },
    /** Only this engine: pglite or postgres. */
    engine: { type: "string" },
  },
});
const ROWS = Number(args.rows);
const RUNS = Math.max(1, Number(args.runs));
const YEAR = Number(args.year);
const BUDGET = 5;

/** The tables an import of results writes row by row, in foreign-key order. */
const TABLES = ["inquiries", "answers", "inquiry_area_scores"] as const;
type Table = (typeof TABLES)[number];

interface CopyDriver {
  /** The table's rows in COPY text format. */
  dump(table: Table, columns: string[]): Promise<Uint8Array>;
  /** Loads dumped rows back with COPY ... FROM, all tables in one transaction. */
  load(tables: { table: Table; columns: string[]; data: Uint8Array }[]): Promise<void>;
  query<T>(text: string): Promise<T[]>;
}

interface Engine {
  name: string;
  database: Database;
  copy: CopyDriver;
  dispose(): Promise<void>;
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
const columnList = (columns: string[]) => columns.map(quoteIdent).join(", ");

// ---------------------------------------------------------------------------------------
// Engines

async function pgliteEngine(): Promise<Engine> {
  const root = mkdtempSync(path.join(os.tmpdir(), "innsikt-bench-"));
  // PGlite in this process (not openEmbedded, which now serves it over a socket through
  // postgres.js): COPY goes through PGlite's own /dev/blob.
  const database = await openPglite(new PGlite(path.join(root, "data")));
  const pg = (database.db as unknown as { $client: PGlite }).$client;
  const copy: CopyDriver = {
    async dump(table, columns) {
      const result = await pg.query(`copy ${quoteIdent(table)} (${columnList(columns)}) to '/dev/blob'`);
      if (!result.blob) throw new Error(`COPY ${table} TO gave no blob`);
      return new Uint8Array(await result.blob.arrayBuffer());
    },
    async load(tables) {
      await pg.transaction(async (tx) => {
        for (const { table, columns, data } of tables) {
          await tx.query(`copy ${quoteIdent(table)} (${columnList(columns)}) from '/dev/blob'`, [], { blob: new Blob([data as Uint8Array<ArrayBuffer>]) });
        }
      });
    },
    async query<T>(text: string) {
      return (await pg.query<T>(text)).rows;
    },
  };
  return {
    name: "PGlite (embedded)",
    database,
    copy,
    async dispose() {
      await database.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

async function postgresEngine(url: string): Promise<Engine> {
  const name = `innsikt_bench_${randomBytes(6).toString("hex")}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const database = await openPostgres(target.toString(), { max: 4 });
  const sql = (database.db as unknown as { $client: postgres.Sql }).$client;
  const server = await admin<{ server_version: string }[]>`show server_version`;
  const copy: CopyDriver = {
    async dump(table, columns) {
      // A connection of its own: postgres.js 3.4 pauses the socket when a COPY TO chunk meets
      // a full stream buffer and never resumes it once the stream has ended, so the next query
      // on that connection would hang for ever.
      const once = postgres(target.toString(), { max: 1, onnotice: () => {} });
      try {
        const stream = await once`copy ${once(table)} (${once(columns)}) to stdout`.readable();
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks);
      } finally {
        await once.end({ timeout: 1 });
      }
    },
    async load(tables) {
      await sql.begin(async (tx) => {
        for (const { table, columns, data } of tables) {
          const writable = await tx`copy ${sql(table)} (${sql(columns)}) from stdin`.writable();
          await pipeline(Readable.from([Buffer.from(data)]), writable);
        }
      });
    },
    async query<T>(text: string) {
      return (await sql.unsafe(text)) as unknown as T[];
    },
  };
  return {
    name: `PostgreSQL ${server[0]!.server_version.split(" ")[0]}`,
    database,
    copy,
    async dispose() {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

// ---------------------------------------------------------------------------------------
// Measurements

const now = () => performance.now() / 1000;
const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** runImport's own progress reports, turned into the time spent between them. */
const STEPS = [
  ["reading", "read file"],
  ["validating", "lock+validate+diff"],
  ["comparing", "write rows"],
  ["finishing", "audit+commit"],
] as const;
type Step = (typeof STEPS)[number][1];

interface ImportTiming {
  seconds: number;
  steps: Partial<Record<Step, number>>;
}

async function timedImport(database: Database, studyId: number, kind: ImportKind, bytes: Uint8Array, expectAdded: number): Promise<ImportTiming> {
  const marks: [ImportPhase, number][] = [];
  const start = now();
  const outcome = await runImport(database.db, {
    studyId,
    kind,
    fileName: `${kind}.csv`,
    bytes,
    userId: null,
    onProgress: ({ phase }) => {
      if (marks.at(-1)?.[0] !== phase) marks.push([phase, now()]);
    },
  });
  const end = now();
  if (outcome.status !== "imported") throw new Error(`${kind} import: ${outcome.status} ${JSON.stringify(outcome).slice(0, 2000)}`);
  if (outcome.diff.added.length !== expectAdded) throw new Error(`${kind} import added ${outcome.diff.added.length}, expected ${expectAdded}`);
  const at = new Map(marks);
  const steps: ImportTiming["steps"] = {};
  STEPS.forEach(([phase, step], i) => {
    const from = at.get(phase);
    const next = STEPS.slice(i + 1).map(([p]) => at.get(p)).find((t) => t !== undefined) ?? end;
    if (from !== undefined) steps[step] = next - from;
  });
  return { seconds: end - start, steps };
}

async function counts(copy: CopyDriver): Promise<Record<Table, number>> {
  const [row] = await copy.query<Record<Table, number>>(
    `select ${TABLES.map((t) => `(select count(*)::int from ${t}) as ${t}`).join(", ")}`,
  );
  return row!;
}

/** Empties what the results import wrote, so the next run starts as the first did. */
async function clearResults(copy: CopyDriver): Promise<void> {
  await copy.query(`truncate ${TABLES.join(", ")}`);
  await copy.query(`delete from import_batches where kind = 'results'`);
  await copy.query(`delete from shoppers`);
  await copy.query(`update participations set inquiry_count = 0, answered_count = 0, total_score = null`);
}

interface Result {
  engine: string;
  rows: Record<Table, number>;
  importSeconds: number;
  copySeconds: number;
  importRuns: ImportTiming[];
  copyRuns: number[];
}

async function bench(engine: Engine, files: ReturnType<typeof studyFiles>, study: ReturnType<typeof largeStudy>): Promise<Result> {
  const { database, copy } = engine;
  const log = (text: string) => console.log(`  [${engine.name}] ${text}`);
  let t = now();
  await database.migrate();
  log(`migrated in ${(now() - t).toFixed(2)} s`);
  const { id: studyId } = await createStudy(database.db, { year: YEAR, userId: null });
  await timedImport(database, studyId, "questionnaire", files.questionnaire, study.questionnaire.questions.length);
  await timedImport(database, studyId, "participants", files.participants, study.participants.length);

  const importRuns: ImportTiming[] = [];
  for (let run = 0; run < RUNS; run++) {
    if (run > 0) await clearResults(copy);
    const timing = await timedImport(database, studyId, "results", files.results, study.inquiries.length);
    importRuns.push(timing);
    log(`runImport #${run + 1}: ${timing.seconds.toFixed(2)} s  (${formatSteps(timing.steps)})`);
  }
  const rows = await counts(copy);

  // The same rows, computed by the import, as COPY text.
  const columns = new Map<Table, string[]>();
  for (const table of TABLES) {
    const cols = await copy.query<{ column_name: string }>(
      `select column_name from information_schema.columns where table_schema = 'public' and table_name = '${table}' and is_generated = 'NEVER' order by ordinal_position`,
    );
    columns.set(table, cols.map((c) => c.column_name));
  }
  const dumps = [];
  for (const table of TABLES) dumps.push({ table, columns: columns.get(table)!, data: await copy.dump(table, columns.get(table)!) });
  const dumpBytes = dumps.reduce((n, d) => n + d.data.byteLength, 0);

  const copyRuns: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    await copy.query(`truncate ${TABLES.join(", ")}`);
    t = now();
    await copy.load(dumps);
    copyRuns.push(now() - t);
    const after = await counts(copy);
    for (const table of TABLES) {
      if (after[table] !== rows[table]) throw new Error(`COPY loaded ${after[table]} rows into ${table}, the import wrote ${rows[table]}`);
    }
    log(`COPY #${run + 1}: ${copyRuns.at(-1)!.toFixed(3)} s  (${(dumpBytes / 1024 / 1024).toFixed(1)} MB of COPY text)`);
  }
  return {
    engine: engine.name,
    rows,
    importSeconds: median(importRuns.map((r) => r.seconds)),
    copySeconds: median(copyRuns),
    importRuns,
    copyRuns,
  };
}

function formatSteps(steps: ImportTiming["steps"]): string {
  return Object.entries(steps)
    .map(([step, seconds]) => `${step} ${seconds!.toFixed(2)}`)
    .join(", ");
}

function table(results: Result[]): string {
  const header = ["engine", "inquiries", "answers", "area scores", "import s", "COPY s", "ratio", `≤ ${BUDGET}× COPY`];
  const lines = results.map((r) => {
    const ratio = r.importSeconds / r.copySeconds;
    return [
      r.engine,
      String(r.rows.inquiries),
      String(r.rows.answers),
      String(r.rows.inquiry_area_scores),
      r.importSeconds.toFixed(2),
      r.copySeconds.toFixed(3),
      `${ratio.toFixed(1)}×`,
      ratio <= BUDGET ? "PASS" : "FAIL",
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [fmt(header), widths.map((w) => "-".repeat(w)).join("  "), ...lines.map(fmt)].join("\n");
}

async function main() {
  const t = now();
  const study = largeStudy({ year: YEAR, inquiries: ROWS });
  const files = studyFiles(study);
  const withComment = study.inquiries.filter((i) => i.comment).length;
  const withTranscript = study.inquiries.filter((i) => i.transcript).length;
  console.log(
    `Results file: ${study.inquiries.length} inquiries × ${study.questionnaire.questions.length} questions, ` +
      `${withComment} comments, ${withTranscript} transcripts, ${(files.results.byteLength / 1024 / 1024).toFixed(1)} MB CSV ` +
      `(built in ${(now() - t).toFixed(2)} s); ${RUNS} run(s) per measurement, median counts\n`,
  );

  let makers: [string, () => Promise<Engine>][] = [["pglite", pgliteEngine]];
  if (process.env.DATABASE_URL) makers.push(["postgres", () => postgresEngine(process.env.DATABASE_URL!)]);
  else if (args.engine !== "pglite") console.log("DATABASE_URL is not set: PostgreSQL skipped.\n");
  if (args.engine) makers = makers.filter(([name]) => name === args.engine);
  if (makers.length === 0) throw new Error(`no engine to run (--engine ${args.engine}${process.env.DATABASE_URL ? "" : ", DATABASE_URL unset"})`);

  const results: Result[] = [];
  for (const [, make] of makers) {
    const engine = await make();
    try {
      results.push(await bench(engine, files, study));
    } finally {
      await engine.dispose();
    }
    console.log();
  }
  console.log(table(results));
  const failed = results.filter((r) => r.importSeconds / r.copySeconds > BUDGET);
  if (failed.length > 0) {
    console.log(`\nFAIL: runImport takes more than ${BUDGET}× COPY on ${failed.map((r) => r.engine).join(" and ")}.`);
    process.exitCode = 1;
  } else {
    console.log(`\nPASS: runImport is within ${BUDGET}× COPY on every engine.`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 2;
});
