// The overview's channel, availability, interval and class-band figures against values
// computed here from expected-scores.csv.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant, type Database } from "#db/client.server";
import * as s from "#db/schema";
import { formatScore } from "~/domain/format";
import { getOverviewExtras } from "~/models/overview.server";
import { publishStudy } from "~/models/publish.server";
import { createSession, generateSessionToken } from "~/models/session.server";
import { writeStudy } from "~/models/study-write.server";
import { createTestDatabase } from "../support/db";
import { addMember, createUser } from "../support/factories";
import { expectedScores, sampleStudy } from "../support/sample-study";
import { startTestServer, type TestServer } from "../support/server";

const study = sampleStudy(2021);
const expected = expectedScores();
let database: Database;
let server: TestServer;
const ids = new Map<string, string>();
const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const band = (x: number) => (x === 100 ? "perfect" : x >= 80 ? "high" : x >= 70 ? "mid" : "low");

beforeAll(async () => {
  database = await createTestDatabase();
  const { studyId } = await database.db.transaction((tx) => writeStudy(tx, study));
  await publishStudy(database.db, studyId);
  for (const p of await database.db.select().from(s.participants)) ids.set(p.code, p.id);
  server = await startTestServer(database);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await database?.close();
});

describe("overview extras", () => {
  it("match channel class figures, the answered-only score, the class bands and a stable interval", async () => {
    for (const p of study.participants) {
      const x = (await withTenant(database.db, ids.get(p.code)!, (scope) => getOverviewExtras(scope, 2021)))!;
      const own = study.inquiries.filter((i) => i.participantCode === p.code);
      const scores = own.map((i) => expected.get(i.ref)!);
      const answered = own.filter((i) => i.answered).map((i) => expected.get(i.ref)!);
      expect(x.ifAllAnswered!).toBeCloseTo(avg(answered), 9);
      expect(x.interval!.low).toBeLessThanOrEqual(avg(scores));
      expect(x.interval!.high).toBeGreaterThanOrEqual(avg(scores));
      expect(x.interval!.low).toBeGreaterThanOrEqual(Math.min(...scores));
      const again = (await withTenant(database.db, ids.get(p.code)!, (scope) => getOverviewExtras(scope, 2021)))!;
      expect(again.interval).toEqual(x.interval);
      const classmates = study.participants.filter((m) => m.classCode === p.classCode).map((m) => m.code);
      for (const c of x.channels) {
        expect(c.score).toBeCloseTo(avg(own.filter((i) => i.channel === c.channel).map((i) => expected.get(i.ref)!)), 9);
        if (classmates.length < 3) {
          expect(c.classMean).toBeNull();
          continue;
        }
        const perMate = classmates
          .map((m) => study.inquiries.filter((i) => i.participantCode === m && i.channel === c.channel).map((i) => expected.get(i.ref)!))
          .filter((xs) => xs.length > 0)
          .map(avg);
        expect(c.classMean!).toBeCloseTo(avg(perMate), 2);
        expect(c.classBest!).toBeCloseTo(Math.max(...perMate), 2);
      }
      if (classmates.length >= 3) {
        const classScores = study.inquiries.filter((i) => classmates.includes(i.participantCode)).map((i) => expected.get(i.ref)!);
        for (const b of ["perfect", "high", "mid", "low"] as const) expect(x.classBands![b]).toBe(classScores.filter((v) => band(v) === b).length);
      } else expect(x.classBands).toBeNull();
    }
  });

  it("shows them on the page", async () => {
    const user = await createUser(database.db);
    await addMember(database.db, ids.get("kystbanken")!, user.id, "viewer");
    const token = generateSessionToken();
    await createSession(database.db, token, user.id);
    const html = await (await server.fetch("/company", { cookie: `innsikt_session=${token}` })).text();
    const x = (await withTenant(database.db, ids.get("kystbanken")!, (scope) => getOverviewExtras(scope, 2021)))!;
    expect(html).toContain("Score hvis alle var besvart");
    expect(html).toContain(formatScore(x.ifAllAnswered!, "nb"));
    expect(html).toContain(`${formatScore(x.interval!.low, "nb")}–${formatScore(x.interval!.high, "nb")}`);
    expect(html).toContain("Score per kanal");
    expect(html).toContain("Kundeopplevelse");
  });
});
