// One HTTP request looks the session and the memberships up once, however many loaders run
// (Remix gives each loader its own Request, so a per-Request cache was not enough).
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { publishedStudies } from "../support/published-sample";
import { sampleStudy } from "../support/sample-study";

describe.skipIf(Boolean(inject("pgTemplate")))("per-request memo (embedded engine, where statements can be counted)", () => {
  const statements: string[] = [];
  let sample: Awaited<ReturnType<typeof publishedStudies>>;

  beforeAll(async () => {
    sample = await publishedStudies(sampleStudy(2021));
  }, 120_000);
  afterAll(() => sample?.close());

  it("runs the session and membership lookups once for a page with a root and a route loader", async () => {
    const cookie = await sample.memberCookie("kystbanken");
    const client = (sample.database.db as unknown as { $client: PGlite }).$client;
    const original = client.query.bind(client);
    (client as unknown as { query: typeof client.query }).query = ((text: string, ...rest: unknown[]) => {
      statements.push(text);
      return (original as (...a: unknown[]) => unknown)(text, ...rest);
    }) as typeof client.query;
    try {
      const res = await sample.server.fetch("/company/variance", { cookie });
      expect(res.status).toBe(200);
    } finally {
      (client as unknown as { query: typeof client.query }).query = original;
    }
    const sessionReads = statements.filter((q) => /from "sessions"/.test(q) && q.trimStart().startsWith("select"));
    const membershipReads = statements.filter((q) => /from "memberships"/.test(q) && q.trimStart().startsWith("select"));
    expect(sessionReads.length).toBe(1);
    expect(membershipReads.length).toBe(1);
  });
});
