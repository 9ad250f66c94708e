import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "#db/client.server";
import { hashPassword } from "~/auth/password.server";
import { createTestDatabase } from "../support/db";
import { createUser } from "../support/factories";
import { openRedirectCorpus } from "../support/open-redirect-corpus";
import { sessionCookieFrom, startTestServer, type TestServer } from "../support/server";

// Every redirect target a request can choose (login's and the language switch's redirectTo)
// must land on this site, however a browser reads it.
const PASSWORD = "riktig-passord-123";
let database: Database;
let server: TestServer;
let email: string;

beforeAll(async () => {
  database = await createTestDatabase();
  email = (await createUser(database.db, { passwordHash: await hashPassword(PASSWORD), isStaff: true })).email;
  server = await startTestServer(database);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await database?.close();
});

/** Remix writes a same-origin Location with runs of slashes collapsed ("/a//b" → "/a/b"). */
const collapsed = (path: string) => path.replace(/\/\/+/g, "/");

/** The redirect's Location as sent, and where a browser on the site would go with it. */
async function followOnce(res: Response) {
  const location = res.headers.get("location");
  expect(location, `status ${res.status}`).not.toBeNull();
  return { location: location!, resolved: new URL(location!, server.origin) };
}

describe("open redirects", () => {
  it("signing in with each known open-redirect form as redirectTo lands on a page of this site", async () => {
    const corpus = openRedirectCorpus(server.origin);
    expect(corpus.length).toBeGreaterThanOrEqual(25);
    for (const { name, value, expected } of corpus) {
      const res = await server.fetch("/login", { form: { email, password: PASSWORD, redirectTo: value } });
      expect({ name, status: res.status }).toEqual({ name, status: 302 });
      const { location, resolved } = await followOnce(res);
      expect({ name, origin: resolved.origin, location }).toEqual({ name, origin: server.origin, location: collapsed(expected) });
      // ... and that page answers (a redirect onwards stays on the site too), never a 5xx.
      const page = await server.fetch(resolved.pathname + resolved.search, { cookie: sessionCookieFrom(res) });
      expect({ name, ok: page.status < 500 }).toEqual({ name, ok: true });
      if (page.status >= 300 && page.status < 400) expect(new URL(page.headers.get("location")!, server.origin).origin).toBe(server.origin);
    }
  });

  it("the language switch's redirectTo stays on the site for every form too", async () => {
    for (const { name, value, expected } of openRedirectCorpus(server.origin)) {
      const res = await server.fetch("/language", { form: { locale: "en", redirectTo: value } });
      expect({ name, status: res.status }).toEqual({ name, status: 302 });
      const { location, resolved } = await followOnce(res);
      expect({ name, origin: resolved.origin, location }).toEqual({ name, origin: server.origin, location: collapsed(expected) });
    }
  });

  it("keeps a redirectTo on the site, normalised", async () => {
    const res = await server.fetch("/login", { form: { email, password: PASSWORD, redirectTo: `${server.origin}/staff/audit?x=1` } });
    expect(res.headers.get("location")).toBe("/staff/audit?x=1");
  });

});
