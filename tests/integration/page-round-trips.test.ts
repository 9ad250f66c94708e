// How many times a page waits on the database (issue 13, bench:load): each wait is a round trip
// to PostgreSQL while the request holds a pooled connection (inside the tenant transaction, on
// its connection), and under load every one of them queues. Statements sent together (pipelined
// by postgres.js, or on two pooled connections at once) are one wait. Counted at the driver:
// a statement sent while none of the request's statements is outstanding starts a new wait.
// BEGIN and COMMIT are postgres.js's own and not seen here; they add two waits to every page.
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDatabase, type Database, type Db } from "#db/client.server";
import * as schema from "#db/schema";
import { createApiToken } from "~/models/accounts/api-token.server";
import { publishStudy } from "~/models/studies/publish.server";
import { writeStudy } from "~/models/studies/study-write.server";
import { createTestDatabase } from "../support/db";
import { addMember, createUser, signedInCookie } from "../support/factories";
import { sampleStudy } from "../support/sample-study";
import { startTestServer, type TestServer } from "../support/server";

interface Tally {
  statements: number;
  waits: number;
  outstanding: number;
  /**
   * The company frame's one statement (the new-results banner, app/routes/company.tsx), sent
   * beside the page's own on another pooled connection: counted apart, because while it is
   * outstanding every statement of the page would look pipelined with it and hide its waits.
   */
  beside: number;
}

/** The statement of the new-results banner (app/models/accounts/results-seen.server.ts). */
const BESIDE = /insert into results_seen/;

/** postgres.js `sql`, counting statements and waits into `tally` (and following transactions). */
function counting(sql: postgres.Sql, tally: Tally): postgres.Sql {
  return new Proxy(sql, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== "function") return value;
      if (prop === "unsafe") {
        return (...args: unknown[]) => {
          type Then = (this: unknown, resolve?: (v: unknown) => unknown, reject?: (e: unknown) => unknown) => unknown;
          const pending = (value as (...a: unknown[]) => unknown).apply(target, args) as { then: Then };
          const then = pending.then;
          let sent = false;
          // postgres.js sends a statement on its first `then`.
          pending.then = function (this: unknown, resolve, reject) {
            if (!sent && typeof args[0] === "string" && BESIDE.test(args[0])) {
              sent = true;
              tally.beside++;
            }
            if (!sent) {
              sent = true;
              tally.statements++;
              if (tally.outstanding === 0) tally.waits++;
              tally.outstanding++;
              const done = () => void tally.outstanding--;
              then.call(this, done, done);
            }
            return then.call(this, resolve, reject);
          };
          return pending;
        };
      }
      if (prop === "begin") {
        return (...args: unknown[]) => {
          const fn = args.pop() as (inner: postgres.Sql) => unknown;
          return (value as (...a: unknown[]) => unknown).call(target, ...args, (inner: postgres.Sql) => fn(counting(inner, tally)));
        };
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}

let database: Database;
let server: TestServer;
let cookie: string;
let token: string;
let ref: string;

beforeAll(async () => {
  // postgres.js on both engines (the embedded one over its socket), as the app runs.
  database = await createTestDatabase({ shared: true });
  for (const year of [2020, 2021]) {
    const { studyId } = await database.db.transaction((tx) => writeStudy(tx, sampleStudy(year)));
    await publishStudy(database.db, studyId);
  }
  const [p] = await database.db.select().from(schema.participants).where(eq(schema.participants.code, "kystbanken"));
  const user = await createUser(database.db);
  await addMember(database.db, p!.id, user.id, "manager");
  cookie = await signedInCookie(database.db, user.id);
  token = (await createApiToken(database.db, { tenantId: p!.id, name: "round trips", createdBy: user.id })).token;
  const [inquiry] = await database.db.select({ ref: schema.inquiries.ref }).from(schema.inquiries).where(eq(schema.inquiries.tenantId, p!.id)).limit(1);
  ref = inquiry!.ref;
  server = await startTestServer(database);
}, 120_000);

afterAll(async () => {
  setDatabase(database);
  await server?.close();
  await database?.close();
});


async function waitsOf(path: string, headers: Record<string, string>): Promise<Tally> {
  const tally: Tally = { statements: 0, waits: 0, outstanding: 0, beside: 0 };
  const client = (database.db as unknown as { $client: postgres.Sql }).$client;
  const db = drizzle({ client: counting(client, tally), schema, casing: "snake_case" }) as unknown as Db;
  setDatabase({ ...database, db });
  try {
    const response = await server.fetch(path, { headers });
    expect(response.status, path).toBe(200);
    await response.text();
  } finally {
    setDatabase(database);
  }
  return tally;
}

describe("round trips to the database per page (pipelined statements count once)", () => {
  // Before issue 13's pipelining these pages waited 13, 7, 9, 8, 10, 8 and (API summary) 13 times.
  const pages: [string, () => string, number][] = [
    ["overview", () => "/company?study=2021", 5],
    ["inquiry list", () => "/company/inquiries?study=2021&channel=chat", 4],
    ["inquiry", () => `/company/inquiries/${encodeURIComponent(ref)}?study=2021`, 4],
    ["variance", () => "/company/variance", 5],
    ["comparison", () => "/company/comparison", 6],
    ["trends", () => "/company/trends", 3],
  ];
  for (const [name, path, most] of pages) {
    it(`${name}: at most ${most} waits`, async () => {
      const tally = await waitsOf(path(), { Cookie: cookie });
      expect(tally.waits, `${tally.statements} statements in ${tally.waits} waits`).toBeLessThanOrEqual(most);
      // The banner adds one statement to a company page, no more (sent beside the page's own).
      expect(tally.beside, "statements of the new-results banner").toBe(1);
    });
  }

  it("API summary: at most 6 waits", async () => {
    const tally = await waitsOf("/api/v1/studies/2021/summary", { Authorization: `Bearer ${token}`, Accept: "application/json" });
    expect(tally.waits, `${tally.statements} statements in ${tally.waits} waits`).toBeLessThanOrEqual(6);
  });
});
