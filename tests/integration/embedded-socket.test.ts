// The embedded database shared over its Unix socket (db/embedded-socket.server.ts): many
// connections at once, in and out of transactions, each getting its own statement's answer.
// On pglite-socket's own server (0.2.17) this failed with "portal does not exist".
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openEmbedded, resultRows, socketDirOf, type Database } from "#db/client.server";

let work: string;
let database: Database;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), "innsikt-socket-"));
  database = await openEmbedded(path.join(work, "pglite"));
}, 60_000);

afterAll(async () => {
  await database?.close();
  rmSync(work, { recursive: true, force: true });
});

describe("the shared embedded database", () => {
  it("is reachable only by this user", () => {
    expect(statSync(socketDirOf(path.join(work, "pglite"))).mode & 0o777).toBe(0o700);
  });

  it("answers each of many concurrent connections with its own statement's result, transactions kept whole", async () => {
    const wrong: string[] = [];
    const loop = async (k: number) => {
      for (let i = 0; i < 150; i += 1) {
        const v = k * 1000 + i;
        if (k % 2) {
          const [row] = resultRows<{ v: number }>(await database.db.execute(sql`select ${v}::int as v`));
          if (row?.v !== v) wrong.push(`${v} got ${row?.v}`);
        } else {
          await database.db.transaction(async (tx) => {
            await tx.execute(sql`select set_config('app.probe', ${String(v)}, true)`);
            await tx.execute(sql`select pg_sleep(0)`);
            const [row] = resultRows<{ x: string }>(await tx.execute(sql`select current_setting('app.probe') as x`));
            if (row?.x !== String(v)) wrong.push(`tx ${v} got ${row?.x}`);
          });
        }
      }
    };
    await Promise.all([0, 1, 2, 3, 4, 5].map(loop));
    expect(wrong).toEqual([]);
  }, 120_000);

  it("rolls back what a connection left open when it goes away, and serves the others on", async () => {
    const other = await import("postgres").then((m) => m.default({ host: socketDirOf(path.join(work, "pglite")), port: 5432, user: "postgres", database: "postgres", max: 1, prepare: false }));
    await other.unsafe("begin; create table left_open (x int)");
    await other.end({ timeout: 1 });
    const [row] = resultRows<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from pg_tables where tablename = 'left_open'`));
    expect(row?.n).toBe(0);
  });
});
