import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { openPglite, openPostgres } from "#db/client.server";
import { inCi } from "./ci";

declare module "vitest" {
  export interface ProvidedContext {
    /** Set when tests run on a PostgreSQL server: the migrated template database. */
    pgTemplate: string | null;
    /** Set on the embedded default: a migrated PGlite data dump to clone per test file. */
    pgliteDump: string | null;
  }
}

/** Migrate once; every test file then gets its own copy (a template database or a PGlite clone). */
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (!url && inCi()) {
    // The PostgreSQL-only tests skip on the embedded engine; in CI that skip would hide them.
    throw new Error("CI is set but DATABASE_URL is not: CI runs the suite on a PostgreSQL server (bash .ci/run starts one). Set DATABASE_URL, or unset CI to run on the embedded PGlite.");
  }
  buildOnce();
  if (url) {
    const template = `innsikt_template_${process.pid}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${template}`);
    await admin.unsafe(`create database ${template}`);
    const migrated = await openPostgres(withDatabase(url, template), { max: 1 });
    await migrated.migrate();
    await migrated.close();
    project.provide("pgTemplate", template);
    project.provide("pgliteDump", null);
    return async () => {
      // Only this run's leftovers: another run may share the server.
      const leftovers = await admin<{ datname: string }[]>`select datname from pg_database where datname like ${`innsikt_test_${process.pid}_%`}`;
      for (const { datname } of leftovers) await admin.unsafe(`drop database if exists ${datname} with (force)`);
      await admin.unsafe(`drop database if exists ${template} with (force)`);
      await admin.end();
    };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "innsikt-pglite-"));
  const database = await openPglite(new PGlite());
  await database.migrate();
  const pg = (database as unknown as { db: { $client: PGlite } }).db.$client;
  const dump = await pg.dumpDataDir("none");
  const file = path.join(dir, "migrated.tar");
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await database.close();
  project.provide("pgTemplate", null);
  project.provide("pgliteDump", file);
  return () => rmSync(dir, { recursive: true, force: true });
}

/** Route tests run the real server build, so build it once per test run. */
function buildOnce() {
  if (process.env.INNSIKT_SKIP_BUILD === "1") return;
  execFileSync(process.execPath, [path.join("node_modules", "@remix-run", "dev", "dist", "cli.js"), "build"], { stdio: "pipe" });
}

export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}
