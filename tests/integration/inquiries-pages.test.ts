// The inquiry list and inquiry pages over HTTP: every filter against a count computed here
// from the raw rows, stepping through a selection, and isolation between companies.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "#db/client.server";
import * as s from "#db/schema";
import type { InquiryRow } from "~/domain/types";
import { publishStudy } from "~/models/studies/publish.server";
import { writeStudy } from "~/models/studies/study-write.server";
import { createTestDatabase } from "../support/db";
import { addMember, createUser, signedInCookie } from "../support/factories";
import { expectedScores, rawAreaScore, sampleStudy } from "../support/sample-study";
import { startTestServer, type TestServer } from "../support/server";

const study = sampleStudy(2021);
const expected = expectedScores();
const A = "kystbanken";
const B = "fjordkraft-demo";
let database: Database;
let server: TestServer;
let cookie: string;
const own = () => study.inquiries.filter((i) => i.participantCode === A);
const bandOf = (x: number) => (x === 100 ? "perfect" : x >= 80 ? "high" : x >= 70 ? "mid" : "low");

/** The area score as stored (two decimals), from the raw points. */
const areaScore = (i: InquiryRow, area: string) => {
  const score = rawAreaScore(study, i, area);
  return score === null ? null : Math.round(score * 100) / 100;
};

beforeAll(async () => {
  const a = own();
  a[0]!.comment = 'Hyggelig <script>alert("x")</script> betjening, takk';
  a[1]!.transcript = "Kunde: Jeg vil si opp avtalen. Agent: Det ordner vi.";
  for (const i of study.inquiries.filter((x) => x.participantCode === B)) i.comment = "KANARI-B-inquiry";
  database = await createTestDatabase();
  const { studyId } = await database.db.transaction((tx) => writeStudy(tx, study));
  await publishStudy(database.db, studyId);
  const companies = await database.db.select().from(s.participants);
  const user = await createUser(database.db);
  await addMember(database.db, companies.find((c) => c.code === A)!.id, user.id, "viewer");
  cookie = await signedInCookie(database.db, user.id);
  server = await startTestServer(database);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await database?.close();
});

const get = (path: string) => server.fetch(path, { cookie });
/** The list heading's count: "0 henvendelser", "1 henvendelse", "1 705 henvendelser". */
const countOf = (html: string) => Number(/id="results-title"[^>]*>(?:<span[^>]*>)?([\d\u202F]+) henvendelser?</.exec(html)?.[1]?.replaceAll("\u202F", ""));

describe("inquiry list", () => {
  it("counts match the raw rows for every filter", async () => {
    const rows = own();
    const cases: [string, (i: InquiryRow) => boolean][] = [
      ["", () => true],
      ["channel=phone", (i) => i.channel === "phone"],
      ["band=low", (i) => bandOf(expected.get(i.ref)!) === "low"],
      ["answered=no", (i) => !i.answered],
      ["gender=female", (i) => i.shopper.gender === "female"],
      ["age=30-39", (i) => i.shopper.age >= 30 && i.shopper.age <= 39],
      ["min=80&max=100", (i) => expected.get(i.ref)! >= 80],
      ["area=V&below=60", (i) => (areaScore(i, "V") ?? 101) < 60],
      ["q=si+opp", (i) => (i.transcript ?? "").includes("si opp") || (i.comment ?? "").includes("si opp")],
      ["channel=chat&band=high", (i) => i.channel === "chat" && bandOf(expected.get(i.ref)!) === "high"],
    ];
    for (const [query, keep] of cases) {
      const res = await get(`/company/inquiries?${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 200 });
      expect({ query, n: countOf(await res.text()) }).toEqual({ query, n: rows.filter(keep).length });
    }
  });

  it("orders by score and escapes comments written by outsiders", async () => {
    const html = await (await get("/company/inquiries?sort=score-asc")).text();
    const refs = [...html.matchAll(/href="\/company\/inquiries\/([^"?]+)/g)].map((m) => decodeURIComponent(m[1]!));
    const scores = refs.map((r) => expected.get(r)!);
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    expect(html).not.toContain("<script>alert");
    expect(html).toContain("&lt;script&gt;");
  });

  it("answers 400 with words for a malformed filter and 404 for a year the company did not take part in", async () => {
    const bad = await get("/company/inquiries?min=abc");
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Filteret kunne ikke leses");
    expect((await get("/company/inquiries?study=2019")).status).toBe(404);
    expect((await get("/company/inquiries?channel=fax")).status).toBe(400);
  });
});

describe("inquiry page", () => {
  it("shows every scored question with points of max and the class mean, and steps through the filtered selection", async () => {
    const phone = own()
      .filter((i) => i.channel === "phone")
      .sort((a, b) => b.contactedAt.getTime() - a.contactedAt.getTime() || (a.ref < b.ref ? 1 : -1));
    const first = phone[0]!;
    const res = await get(`/company/inquiries/${first.ref}?channel=phone`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`1 av ${phone.length} i utvalget`);
    const next = /rel="next"[^>]*href="([^"]+)"|href="([^"]+)"[^>]*rel="next"/.exec(html);
    if (phone.length > 1) expect((next?.[1] ?? next?.[2])?.replaceAll("&amp;", "&")).toBe(`/company/inquiries/${phone[1]!.ref}?study=2021&channel=phone`);
    if (first.answered) {
      for (const q of study.questionnaire.questions.filter((x) => x.kind === "points")) {
        const points = first.answers[q.code];
        expect(html).toContain(points === undefined ? "ikke aktuelt" : `${points} av ${q.maxPoints}`);
      }
    }
  });

  it("gives 404 and nothing of the other company for its refs, even with filters", async () => {
    const theirs = study.inquiries.find((i) => i.participantCode === B)!;
    for (const path of [`/company/inquiries/${theirs.ref}`, `/company/inquiries/${theirs.ref}?channel=${theirs.channel}`, `/company/inquiries/${theirs.ref}?study=2021`]) {
      const res = await get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(await res.text()).not.toContain("KANARI");
    }
    const list = await (await get(`/company/inquiries?q=KANARI`)).text();
    expect(countOf(list)).toBe(0);
    expect(list.replace(/value="KANARI"/g, "")).not.toContain("KANARI-B");
  });
});
