// bench:pages' statement capture (tests/support/statement-capture.ts): the statements drizzle
// sends are recorded at the driver with their transaction and row counts, replay directly on a
// plain connection with the same row counts, and two captures that differ are told apart.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openEmbedded, socketDirOf, type Database } from "#db/client.server";
import { multisetDiff, recordPostgres, replay, signature, type Captured } from "../support/statement-capture";

let work: string;
let database: Database;
let plain: postgres.Sql;

beforeAll(async () => {
  // The embedded database over its socket, as bench:pages runs without DATABASE_URL: postgres.js both ways.
  work = mkdtempSync(path.join(tmpdir(), "innsikt-capture-"));
  const dataDir = path.join(work, "pglite");
  database = await openEmbedded(dataDir);
  plain = postgres({ host: socketDirOf(dataDir), port: 5432, user: "postgres", database: "postgres", max: 1, prepare: false, onnotice: () => {} });
  await database.db.execute(sql`create table capture_probe (id int primary key, tenant text not null)`);
  await database.db.execute(sql`insert into capture_probe select g, case when g % 3 = 0 then 'a' else 'b' end from generate_series(1, 30) g`);
}, 60_000);

afterAll(async () => {
  await plain?.end();
  await database?.close();
  rmSync(work, { recursive: true, force: true });
});

/** What a request-like unit of work sends: one statement outside a transaction, then a transaction relying on its local setting. */
async function unitOfWork(into: Captured[], tenant: string, extra = false) {
  const client = (database.db as unknown as { $client: postgres.Sql }).$client;
  const db = drizzle({ client: recordPostgres(client, into, { tx: 0 }) });
  await db.execute(sql`select id from capture_probe where id <= ${5}`);
  await db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('app.tenant', ${tenant}, true)`);
    await Promise.all([
      tx.execute(sql`select id from capture_probe where tenant = current_setting('app.tenant', true)`),
      tx.execute(sql`update capture_probe set tenant = tenant where tenant = current_setting('app.tenant', true) and id > ${20}`),
    ]);
    if (extra) await tx.execute(sql`select 1`);
  });
}

describe("statements captured at the driver", () => {
  it("records every statement with its transaction and row count, and replays them directly with the same counts", async () => {
    const captured: Captured[] = [];
    await unitOfWork(captured, "a");
    expect(captured.map((s) => [s.tx, s.rows])).toEqual([
      [null, 5],
      [1, 1],
      [1, 10],
      [1, 4],
    ]);
    expect(captured[1]!.params).toEqual(["a"]);
    // The transaction-local setting holds only if the replay keeps the transaction whole.
    expect(await replay(plain, captured)).toEqual([5, 1, 10, 4]);
  });

  it("tells two captures apart when a statement is added or a row count differs", async () => {
    const [first, same, extra, other]: Captured[][] = [[], [], [], []];
    await unitOfWork(first!, "a");
    await unitOfWork(same!, "a");
    await unitOfWork(extra!, "a", true);
    await unitOfWork(other!, "b");
    expect(multisetDiff(signature(first!), signature(same!))).toEqual({ onlyA: [], onlyB: [] });
    expect(multisetDiff(signature(first!), signature(extra!)).onlyB).toHaveLength(1);
    expect(multisetDiff(signature(first!), signature(other!)).onlyB[0]).toContain("→ 20");
  });
});
