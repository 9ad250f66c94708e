import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { inject } from "vitest";
import { openPglite, openPostgres, type Database, type Db } from "#db/client.server";
import { serveOverSocket } from "#db/embedded-socket.server";
import { migrationsFolder } from "#db/paths";
import * as schema from "#db/schema";
import { withDatabase } from "./global-setup";

/**
 * A database of this test file's own, migrated, with no data: a copy of the
 * template on PostgreSQL, a clone of the migrated dump on PGlite.
 */
export async function createTestDatabase(options: { shared?: boolean } = {}): Promise<Database & { url?: string }> {
  const template = inject("pgTemplate");
  const url = process.env.DATABASE_URL;
  if (template && url) {
    // Named after this run's template, so a run's clean-up never drops another run's databases.
    const name = `${template.replace("innsikt_template_", "innsikt_test_")}_${randomBytes(6).toString("hex")}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name} template ${template} strategy file_copy`);
    const database = await openPostgres(withDatabase(url, name), { max: 5 });
    return {
      ...database,
      /** for a second process (tests that kill one) */
      url: withDatabase(url, name),
      close: async () => {
        await database.close();
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      },
    };
  }
  const dump = inject("pgliteDump");
  if (!dump) throw new Error("global setup provided no database");
  const pg = new PGlite({ loadDataDir: new Blob([readFileSync(dump)]) });
  return options.shared ? sharePglite(pg) : openPglite(pg);
}

/**
 * With `shared`, the PGlite clone is served over a Unix socket of its own, as `npm start` serves
 * the embedded database, so another driver (the job queue, a child process) can reach it by
 * `url`; this process uses it through the socket too, so its statements never land inside
 * another connection's transaction (PGlite is one session). On PostgreSQL every test database
 * has a url anyway.
 */
async function sharePglite(pg: PGlite): Promise<Database & { url: string }> {
  await pg.waitReady;
  const dir = mkdtempSync(path.join(tmpdir(), "innsikt-pg-"));
  const server = await serveOverSocket(pg, path.join(dir, ".s.PGSQL.5432"));
  const client = postgres({ host: dir, port: 5432, user: "postgres", database: "postgres", max: 5, prepare: false, onnotice: () => {} });
  const db = drizzle({ client, schema, casing: "snake_case" }) as unknown as Db;
  return {
    kind: "pglite",
    db,
    url: `postgres://postgres@localhost:5432/postgres?host=${encodeURIComponent(dir)}`,
    migrate: () => migrate(db as never, { migrationsFolder }),
    close: async () => {
      await client.end({ timeout: 5 });
      await server.close();
      await pg.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const onPostgresServer = () => Boolean(inject("pgTemplate"));
