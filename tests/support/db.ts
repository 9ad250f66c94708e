import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { inject } from "vitest";
import { openPglite, openPostgres, type Database } from "#db/client.server";
import { withDatabase } from "./global-setup";

/**
 * A database of this test file's own, migrated, with no data: a copy of the
 * template on PostgreSQL, a clone of the migrated dump on PGlite.
 */
export async function createTestDatabase(): Promise<Database & { url?: string }> {
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
  return openPglite(pg);
}

export const onPostgresServer = () => Boolean(inject("pgTemplate"));
