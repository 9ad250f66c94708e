// A person's own sessions (issue 6, item 2): listed, one ended, all others ended; another
// person's session can never be ended from here.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "#db/client.server";
import * as s from "#db/schema";
import { createTestDatabase } from "../support/db";
import { createUser, signedInCookie } from "../support/factories";
import { startTestServer, type TestServer } from "../support/server";

let database: Database;
let server: TestServer;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await database?.close();
});

const handles = (html: string) => [...html.matchAll(/name="session" value="([0-9a-f]{16})"/g)].map((m) => m[1]!);

describe("own sessions", () => {
  it("lists the person's sessions, ends one, then all the others, keeping the current one", async () => {
    const user = await createUser(database.db);
    const [current, second, third] = [await signedInCookie(database.db, user.id), await signedInCookie(database.db, user.id), await signedInCookie(database.db, user.id)];
    const page = await server.fetch("/account/sessions", { cookie: current });
    expect(page.status).toBe(200);
    const listed = handles(await page.text());
    expect(listed).toHaveLength(2);

    const ended = await server.fetch("/account/sessions", { cookie: current, form: { intent: "end", session: listed[0]! } });
    expect(ended.status).toBe(200);
    expect(await database.db.select().from(s.sessions).where(eq(s.sessions.userId, user.id))).toHaveLength(2);

    const all = await server.fetch("/account/sessions", { cookie: current, form: { intent: "end-others" } });
    expect(all.status).toBe(200);
    expect(await database.db.select().from(s.sessions).where(eq(s.sessions.userId, user.id))).toHaveLength(1);
    expect((await server.fetch("/account/sessions", { cookie: current })).status).toBe(200);
    for (const gone of [second, third]) expect((await server.fetch("/account/sessions", { cookie: gone })).status).toBe(302);
  });

  it("cannot end another person's session, even with its handle", async () => {
    const me = await createUser(database.db);
    const other = await createUser(database.db);
    const mine = await signedInCookie(database.db, me.id);
    const theirs = await signedInCookie(database.db, other.id);
    await signedInCookie(database.db, other.id);
    const [theirSession] = await database.db.select().from(s.sessions).where(eq(s.sessions.userId, other.id));
    const response = await server.fetch("/account/sessions", { cookie: mine, form: { intent: "end", session: theirSession!.id.slice(0, 16) } });
    expect(response.status).toBe(404);
    expect(await database.db.select().from(s.sessions).where(eq(s.sessions.userId, other.id))).toHaveLength(2);
    expect((await server.fetch("/account/sessions", { cookie: theirs })).status).toBe(200);
    const html = await (await server.fetch("/account/sessions", { cookie: mine })).text();
    expect(html).not.toContain(theirSession!.id.slice(0, 16));
  });

  it("sends anonymous visitors to the login page", async () => {
    expect((await server.fetch("/account/sessions")).status).toBe(302);
  });
});
