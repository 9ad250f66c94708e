// The backup and restore drill of docs/operations.md, run as an operator runs it:
// tests/ops/backup-restore.sh seeds a small demo (one study year) into a scratch database of
// this file's own, dumps it with pg_dump -Fc, restores it with pg_restore into another
// scratch database, and compares every table's exact row count, RLS flags, policies and
// grants. Needs a PostgreSQL server (DATABASE_URL) and its client tools; the embedded
// PGlite has no pg_dump, so without them the drill is skipped with a visible notice.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withDatabase } from "../support/global-setup";

const root = fileURLToPath(new URL("../..", import.meta.url));
const script = path.join(root, "tests", "ops", "backup-restore.sh");
const url = process.env.DATABASE_URL;

function pgToolDirs(): string[] {
  let versions: string[] = [];
  try {
    versions = readdirSync("/usr/lib/postgresql").map((v) => `/usr/lib/postgresql/${v}/bin`);
  } catch {
    // no Debian PostgreSQL packages
  }
  return [process.env.PG_BIN ?? "", ...versions, ...(process.env.PATH ?? "").split(path.delimiter)].filter(Boolean);
}
const hasPgTools = pgToolDirs().some((dir) => ["psql", "pg_dump", "pg_restore"].every((tool) => existsSync(path.join(dir, tool))));

const skipReason = !url
  ? "DATABASE_URL is not set (the drill needs a PostgreSQL server; the embedded PGlite has no pg_dump)"
  : !hasPgTools
    ? "no psql/pg_dump/pg_restore found (apt-get install -y postgresql-client-15, or set PG_BIN)"
    : null;
if (skipReason) {
  // Visible in the test output, so a skipped drill is never mistaken for a pass.
  console.warn(`\n⚠ Backup/restore drill SKIPPED: ${skipReason}\n`);
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile("bash", [script, ...args], { cwd: root, env, timeout: 85_000, maxBuffer: 10 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe("backup and restore (tests/ops/backup-restore.sh)", () => {
  // Databases of this file's own, never the suite's template or innsikt_test_* copies.
  const prefix = `innsikt_bkp_${randomBytes(5).toString("hex")}`;
  const scratch = [prefix, `${prefix}_restored`];
  let admin: postgres.Sql | undefined;

  beforeAll(async () => {
    if (skipReason || !url) return;
    admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${prefix}`);
  });

  afterAll(async () => {
    if (!admin) return;
    for (const name of scratch) await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  });

  (skipReason ? it.skip : it)(
    skipReason ? `dumps, restores and compares a seeded database — SKIPPED: ${skipReason}` : "dumps, restores and compares a seeded database: every table's rows, RLS, policies and grants",
    async () => {
      const { code, stdout, stderr } = await run(["--seed", "--scale", "1", "--prefix", prefix], { ...process.env, DATABASE_URL: withDatabase(url!, prefix) });
      expect(code, `${stdout}\n${stderr}`).toBe(0);
      const ok = /^backup-restore: OK \((\d+) tables, (\d+) rows\)$/m.exec(stdout);
      expect(ok, stdout).not.toBeNull();
      // One demo year: 168 companies, 4 200 inquiries and their answers, in 30-odd tables.
      expect(Number(ok![1])).toBeGreaterThanOrEqual(30);
      expect(Number(ok![2])).toBeGreaterThan(50_000);
      expect(stdout).toMatch(/^public\.inquiries\s+4200\s+4200\s+on\/on\s+2\s+SELECT$/m);
      expect(stdout).not.toContain("differs");
      // The restored copy is gone again.
      const left = await admin!<{ datname: string }[]>`select datname from pg_database where datname = ${`${prefix}_restored`}`;
      expect(left).toEqual([]);
    },
    90_000,
  );
});
