// "An import is all or nothing" (import-format.md) must hold even when the process dies:
// a child process imports a large results file into the same database as this test and is
// killed with SIGKILL while it is writing rows. Nothing of that import may be left, what was
// imported before must be untouched, and the same file must then import in full.
//
// PostgreSQL (DATABASE_URL set): a database of this file's own, copied from the migrated
// template, whose URL the child gets. PGlite: an on-disk data folder, opened by the child
// with openEmbedded() and reopened here after the kill (crash recovery included).

import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { asc, count, eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openEmbedded, openPostgres, type Database } from "#db/client.server";
import * as s from "#db/schema";
import { runImport } from "~/models/studies/import.server";
import { createStudy } from "~/models/studies/study.server";
import { withDatabase } from "../support/global-setup";
import { largeStudy, studyFiles } from "../support/large-study";

const ROWS = 5_000;
const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const study = largeStudy({ year: 2021, inquiries: ROWS });
const files = studyFiles(study);
const answerCount = study.inquiries.reduce((n, i) => n + Object.keys(i.answers).length, 0);

interface Target {
  engine: "postgres" | "pglite";
  open(): Promise<Database>;
  /** How the child finds the same database. */
  childArgs: string[];
  dispose(): Promise<void>;
}

async function createTarget(): Promise<Target> {
  const template = inject("pgTemplate");
  const url = process.env.DATABASE_URL;
  if (template && url) {
    // innsikt_test_ so that the global teardown drops it should this file not get to.
    const name = `innsikt_test_${randomBytes(6).toString("hex")}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name} template ${template} strategy file_copy`);
    const databaseUrl = withDatabase(url, name);
    return {
      engine: "postgres",
      open: () => openPostgres(databaseUrl, { max: 3 }),
      childArgs: ["--url", databaseUrl],
      dispose: async () => {
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      },
    };
  }
  const root = mkdtempSync(path.join(os.tmpdir(), "innsikt-import-kill-"));
  const dataDir = path.join(root, "data");
  return {
    engine: "pglite",
    open: async () => {
      const database = await openEmbedded(dataDir);
      await database.migrate(); // a no-op once migrated
      return database;
    },
    childArgs: ["--pglite", dataDir],
    dispose: async () => rmSync(root, { recursive: true, force: true }),
  };
}

type ChildEvent =
  | { event: "open" }
  | { event: "progress"; phase: string; done: number; total: number }
  | { event: "outcome"; status: string };

/** Runs the child import and SIGKILLs it once it reports rows written; resolves when it is gone. */
function importAndKill(target: Target, studyId: number, file: string) {
  return new Promise<{ events: ChildEvent[]; killedAt: ChildEvent | null; signal: NodeJS.Signals | null; code: number | null; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(
        process.execPath,
        ["--import", "tsx", "tests/support/import-child.ts", ...target.childArgs, "--study", String(studyId), "--kind", "results", "--file", file],
        { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] },
      );
      const events: ChildEvent[] = [];
      let killedAt: ChildEvent | null = null;
      let stderr = "";
      child.stderr.on("data", (chunk) => (stderr += chunk));
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`the child never reported rows written; events: ${JSON.stringify(events)}; stderr: ${stderr}`));
      }, 50_000);
      createInterface({ input: child.stdout }).on("line", (line) => {
        let event: ChildEvent;
        try {
          event = JSON.parse(line) as ChildEvent;
        } catch {
          return; // not one of ours
        }
        events.push(event);
        if (!killedAt && event.event === "progress" && event.phase === "writing" && event.done > 0) {
          killedAt = event;
          child.kill("SIGKILL");
        }
      });
      child.on("error", reject);
      child.on("exit", (code, signal) => {
        clearTimeout(timer);
        resolve({ events, killedAt, signal, code, stderr });
      });
    },
  );
}

/** What the questionnaire and participants imports wrote, in a comparable form. */
async function studySetup(database: Database, studyId: number) {
  const { db } = database;
  return {
    areas: await db.select({ code: s.areas.code, name: s.areas.name, weight: s.areas.weight }).from(s.areas).where(eq(s.areas.studyId, studyId)).orderBy(asc(s.areas.code)),
    questions: await db
      .select({ code: s.questions.code, text: s.questions.text, kind: s.questions.kind, maxPoints: s.questions.maxPoints, channels: s.questions.channels })
      .from(s.questions)
      .where(eq(s.questions.studyId, studyId))
      .orderBy(asc(s.questions.code)),
    classes: await db.select({ code: s.classes.code, name: s.classes.name }).from(s.classes).where(eq(s.classes.studyId, studyId)).orderBy(asc(s.classes.code)),
    participations: await db
      .select({ code: s.participants.code, name: s.participations.displayName, inquiries: s.participations.inquiryCount, total: s.participations.totalScore })
      .from(s.participations)
      .innerJoin(s.participants, eq(s.participants.id, s.participations.tenantId))
      .where(eq(s.participations.studyId, studyId))
      .orderBy(asc(s.participants.code)),
    batches: await db.select({ kind: s.importBatches.kind, rows: s.importBatches.rowCount }).from(s.importBatches).where(eq(s.importBatches.studyId, studyId)).orderBy(asc(s.importBatches.id)),
  };
}

async function resultCounts(database: Database, studyId: number) {
  const { db } = database;
  const one = async (query: Promise<{ n: number }[]>) => (await query)[0]!.n;
  return {
    inquiries: await one(db.select({ n: count() }).from(s.inquiries).where(eq(s.inquiries.studyId, studyId))),
    // The database is this file's own: every answer and area score belongs to the study.
    answers: await one(db.select({ n: count() }).from(s.answers)),
    areaScores: await one(db.select({ n: count() }).from(s.inquiryAreaScores)),
    shoppers: await one(db.select({ n: count() }).from(s.shoppers).where(eq(s.shoppers.studyId, studyId))),
    resultBatches: await one(
      db.select({ n: count() }).from(s.importBatches).where(sql`${s.importBatches.studyId} = ${studyId} and ${s.importBatches.kind} = 'results'`),
    ),
    resultAudit: await one(db.select({ n: count() }).from(s.auditEvents).where(eq(s.auditEvents.action, "import.results"))),
  };
}

describe("killing the process in the middle of a results import", () => {
  let target: Target;
  let database: Database | null = null;
  let studyId: number;
  let before: Awaited<ReturnType<typeof studySetup>>;
  let workDir: string;
  let resultsFile: string;

  beforeAll(async () => {
    target = await createTarget();
    workDir = mkdtempSync(path.join(os.tmpdir(), "innsikt-import-kill-file-"));
    resultsFile = path.join(workDir, "results.csv");
    writeFileSync(resultsFile, files.results);

    database = await target.open();
    studyId = (await createStudy(database.db, { year: study.year, userId: null })).id;
    for (const kind of ["questionnaire", "participants"] as const) {
      const outcome = await runImport(database.db, { studyId, kind, fileName: `${kind}.csv`, bytes: files[kind], userId: null });
      expect(outcome.status, kind).toBe("imported");
    }
    before = await studySetup(database, studyId);
    // The embedded database is one process's at a time: hand it to the child.
    if (target.engine === "pglite") {
      await database.close();
      database = null;
    }
  });

  afterAll(async () => {
    await database?.close();
    await target?.dispose();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it("leaves no inquiry, answer, area score, shopper or import record behind", async () => {
    const run = await importAndKill(target, studyId, resultsFile);
    expect(run.signal, `the child exited by itself (code ${run.code}): ${run.stderr}`).toBe("SIGKILL");
    // It died mid-write: some rows were written inside the transaction, not all, and it never finished.
    expect(run.killedAt).toMatchObject({ event: "progress", phase: "writing", total: ROWS });
    const killedAt = run.killedAt as { done: number; total: number };
    expect(killedAt.done).toBeGreaterThan(0);
    expect(killedAt.done).toBeLessThan(ROWS);
    expect(run.events.some((e) => e.event === "outcome" || (e.event === "progress" && e.phase === "finishing"))).toBe(false);

    database ??= await target.open();
    expect(await resultCounts(database, studyId)).toEqual({ inquiries: 0, answers: 0, areaScores: 0, shoppers: 0, resultBatches: 0, resultAudit: 0 });
    expect(await studySetup(database, studyId)).toEqual(before);
  }, 60_000);

  it("then imports the same file in full", async () => {
    database ??= await target.open();
    const outcome = await runImport(database.db, { studyId, kind: "results", fileName: "results.csv", bytes: files.results, userId: null });
    expect(outcome.status).toBe("imported");
    if (outcome.status !== "imported") return;
    expect(outcome.diff).toMatchObject({ rows: ROWS, changed: [], removed: [], unchanged: 0 });
    expect(outcome.diff.added).toHaveLength(ROWS);

    const counts = await resultCounts(database, studyId);
    expect(counts).toMatchObject({ inquiries: ROWS, answers: answerCount, resultBatches: 1, resultAudit: 1 });
    expect(counts.areaScores).toBeGreaterThan(0);
    expect(counts.shoppers).toBe(new Set(study.inquiries.map((i) => i.shopper.code)).size);
    const after = await studySetup(database, studyId);
    expect(after.questions).toEqual(before.questions);
    expect(after.participations.reduce((n, p) => n + p.inquiries, 0)).toBe(ROWS);
  }, 60_000);
});
