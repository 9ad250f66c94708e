// The awards (spec/season.md, issue 16): computed in the transaction that publishes a study,
// frozen, recomputed with a correction, never stored for a draft or a study in review, and
// readable by a tenant only once published and only if it took part. The expected winners are
// computed here a second time, independently: plain SQL reads the stored inquiry scores and a
// few lines written from season.md (exact fractions of hundredths, not the production SQL)
// decide the winners.
import { readFileSync } from "node:fs";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant, type Database } from "#db/client.server";
import * as s from "#db/schema";
import type { Channel, StudyData } from "~/domain/types";
import { awardsDocument, computeAwards, frozenAwards, type AwardRow } from "~/models/studies/awards.server";
import { correctInquiry } from "~/models/studies/import.server";
import { pauseInStudy, unpauseInStudy } from "~/models/studies/pauses.server";
import { createApiToken } from "~/models/accounts/api-token.server";
import { openReview, publishNow, schedulePublication } from "~/models/studies/season.server";
import { writeStudy } from "~/models/studies/study-write.server";
import { createTestDatabase } from "../support/db";
import { addMember, createStudy, createTenant, createUser, signedInCookie } from "../support/factories";
import { startTestServer, type TestServer } from "../support/server";
import { expectedScores, sampleStudy } from "../support/sample-study";

const rows = <T>(r: unknown): T[] => ((r as { rows?: T[] }).rows ?? (r as T[])) as T[];
// Years of their own within the staff pages' range (MIN_STUDY_YEAR..MAX_STUDY_YEAR).
let nextYear = 2070;

/**
 * The sample study, crafted: a second bank gets exact copies of the best bank's inquiries (a
 * tie at rank 1 in Bank), nobody keeps more than 4 chat inquiries (no best in chat), and
 * Netthandel has 2 participants (no class winner).
 */
function craftedStudy(): { data: StudyData; best: string; twin: string } {
  const data = sampleStudy(nextYear++);
  const scores = expectedScores();
  const banks = data.participants.filter((p) => p.classCode === "bank").map((p) => p.code);
  const mean = (code: string) => {
    const list = data.inquiries.filter((i) => i.participantCode === code).map((i) => scores.get(i.ref)!);
    return list.reduce((a, b) => a + b, 0) / list.length;
  };
  const [best, twin] = [...banks].sort((a, b) => mean(b) - mean(a));
  let inquiries = data.inquiries.filter((i) => i.participantCode !== twin);
  inquiries = inquiries.concat(data.inquiries.filter((i) => i.participantCode === best).map((i) => ({ ...i, ref: `${i.ref}-twin`, participantCode: twin! })));
  const chats = new Map<string, number>();
  inquiries = inquiries.filter((i) => {
    if (i.channel !== "chat") return true;
    const n = (chats.get(i.participantCode) ?? 0) + 1;
    chats.set(i.participantCode, n);
    return n <= 4;
  });
  return { data: { ...data, inquiries }, best: best!, twin: twin! };
}

/** The awards as season.md states them, from the stored inquiry scores read with plain SQL. */
async function independentAwards(database: Database, studyId: number) {
  const inquiries = rows<{ code: string; name: string; class_code: string; class_name: string; channel: Channel; cents: number }>(
    await database.db.execute(sql`
      select pt.code, p.display_name as name, c.code as class_code, c.name as class_name, i.channel, (i.total_score * 100)::int as cents
      from inquiries i
      join participations p on p.tenant_id = i.tenant_id and p.study_id = i.study_id
      join participants pt on pt.id = i.tenant_id
      join classes c on c.id = p.class_id
      where i.study_id = ${studyId}
        and c.code not in (select class_code from study_pauses where study_id = ${studyId} and class_code is not null)
        and i.tenant_id not in (select participant_id from study_pauses where study_id = ${studyId} and participant_id is not null)`),
  );
  type Mean = { sum: number; n: number };
  const cmp = (a: Mean, b: Mean) => a.sum * b.n - b.sum * a.n; // exact: sums of whole hundredths
  const add = (m: Map<string, Mean>, key: string, cents: number) => {
    const x = m.get(key) ?? { sum: 0, n: 0 };
    m.set(key, { sum: x.sum + Number(cents), n: x.n + 1 });
  };
  const total = new Map<string, Mean>();
  const channel = new Map<string, Mean>();
  const who = new Map<string, { name: string; classCode: string; className: string }>();
  for (const i of inquiries) {
    add(total, i.code, i.cents);
    add(channel, `${i.code}|${i.channel}`, i.cents);
    who.set(i.code, { name: i.name, classCode: i.class_code, className: i.class_name });
  }
  const score = (m: Mean) => Math.round((m.sum / m.n / 100) * 1e6) / 1e6;
  /** Everyone whose mean equals the best among `candidates`. */
  const top = (candidates: [string, Mean][]) => {
    if (candidates.length === 0) return [];
    const best = candidates.reduce((a, b) => (cmp(b[1], a[1]) > 0 ? b : a))[1];
    return candidates.filter(([, m]) => cmp(m, best) === 0).map(([code, m]) => ({ code, participantName: who.get(code)!.name, score: score(m) }));
  };
  const classes = new Map<string, [string, Mean][]>();
  for (const [code, m] of total) classes.set(who.get(code)!.classCode, [...(classes.get(who.get(code)!.classCode) ?? []), [code, m]]);
  return {
    overall: top([...total]),
    classes: new Map([...classes].map(([klass, members]) => [klass, members.length >= 3 ? top(members) : []])),
    channels: new Map(
      (["phone", "email", "chat", "messenger"] as const).map((ch) => [
        ch,
        top(
          [...channel]
            .filter(([key, m]) => key.endsWith(`|${ch}`) && m.n >= 5)
            .map(([key, m]) => [key.split("|")[0]!, m] as [string, Mean]),
        ),
      ]),
    ),
  };
}

type Expected = Awaited<ReturnType<typeof independentAwards>>;
const names = (winners: { participantName: string }[]) => winners.map((w) => w.participantName).sort();
const strip = (list: { participantName: string; score: number }[]) =>
  list.map((w) => ({ participantName: w.participantName, score: w.score })).sort((a, b) => a.participantName.localeCompare(b.participantName) || a.score - b.score);

/** The stored (or computed) award rows agree with the independent computation, award by award. */
function expectSame(actual: AwardRow[], expected: Expected) {
  const of = (pred: (r: AwardRow) => boolean) => strip(actual.filter(pred));
  expect(of((r) => r.kind === "overall")).toEqual(strip(expected.overall));
  for (const [klass, winners] of expected.classes) expect(of((r) => r.kind === "class" && r.classCode === klass), `class ${klass}`).toEqual(strip(winners));
  for (const [channel, winners] of expected.channels) expect(of((r) => r.kind === "channel" && r.channel === channel), `channel ${channel}`).toEqual(strip(winners));
  // Nothing beyond those.
  const counted = expected.overall.length + [...expected.classes.values(), ...expected.channels.values()].reduce((n, w) => n + w.length, 0);
  expect(actual).toHaveLength(counted);
}

describe("awards", () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  async function crafted() {
    const { data, best, twin } = craftedStudy();
    const { studyId } = await database.db.transaction((tx) => writeStudy(tx, data));
    const ids = new Map((await database.db.select().from(s.participants)).map((p) => [p.code, p.id]));
    return { studyId, data, best, twin, ids };
  }

  it("are computed at publication and agree with an independent computation: a shared class award, no best in chat, no winner of a class of 2", async () => {
    const { studyId, data, best, twin } = await crafted();
    const expected = await independentAwards(database, studyId);
    // The crafted cases are really there.
    expect(names(expected.classes.get("bank")!)).toEqual(data.participants.filter((p) => [best, twin].includes(p.code)).map((p) => p.name).sort());
    expect(expected.channels.get("chat")).toEqual([]);
    expect(expected.classes.get("netthandel")).toEqual([]);
    expect(expected.classes.get("strom")).toHaveLength(1);

    // Draft: nothing stored. Review: nothing stored.
    expect(await frozenAwards(database.db, studyId)).toEqual([]);
    await openReview(database.db, studyId, { until: new Date(Date.now() + 86_400_000), userId: null });
    expect(await frozenAwards(database.db, studyId)).toEqual([]);

    await publishNow(database.db, studyId, null);
    const frozen = await frozenAwards(database.db, studyId);
    expectSame(frozen, expected);
    const doc = awardsDocument(data.year, frozen);
    expect(doc.classes.find((c) => c.classCode === "bank")!.winners).toHaveLength(2);
    expect(doc.classes.map((c) => c.classCode)).not.toContain("netthandel");
    expect(doc.channels.map((c) => c.channel)).not.toContain("chat");
  });

  it("are recomputed in the transaction of a correction to a published study, and stay frozen otherwise", async () => {
    const { studyId, twin } = await crafted();
    await publishNow(database.db, studyId, null);
    const before = await frozenAwards(database.db, studyId);
    expect(names(before.filter((r) => r.kind === "class" && r.classCode === "bank"))).toHaveLength(2);

    // Changing the underlying data without a correction does not move the frozen awards.
    await database.db.execute(sql`update participations set total_score = 0 where study_id = ${studyId}`);
    expect(await frozenAwards(database.db, studyId)).toEqual(before);
    await database.db.execute(sql`
      update participations p set total_score = (select avg(total_score) from inquiries i where i.tenant_id = p.tenant_id and i.study_id = p.study_id)
      where study_id = ${studyId}`);

    // A correction lowering one of the twin's answered inquiries breaks the tie.
    const [inquiry] = rows<{ ref: string; code: string; value: number }>(
      await database.db.execute(sql`
        select i.ref, q.code, a.value from inquiries i join participants pt on pt.id = i.tenant_id
        join answers a on a.tenant_id = i.tenant_id and a.inquiry_id = i.id join questions q on q.id = a.question_id
        where i.study_id = ${studyId} and pt.code = ${twin} and i.answered and q.kind = 'points' and a.value > 0
        order by i.ref, q.code limit 1`),
    );
    await database.db.transaction((tx) =>
      correctInquiry(tx, { studyId, ref: inquiry!.ref, changes: { [inquiry!.code]: Number(inquiry!.value) - 1 }, userId: null, queryId: null, label: "korrigering" }),
    );
    const after = await frozenAwards(database.db, studyId);
    expect(after).not.toEqual(before);
    expect(after.filter((r) => r.kind === "class" && r.classCode === "bank")).toHaveLength(1);
    expectSame(after, await independentAwards(database, studyId));
  });

  it("a paused class appears in no award, nor does a paused company; lifting the pause brings them back", async () => {
    const { studyId, data, ids } = await crafted();
    const strom = data.participants.filter((p) => p.classCode === "strom");
    const pausedCompany = data.participants.find((p) => p.classCode === "bank")!;
    await pauseInStudy(database.db, { studyId, subject: { classCode: "strom" }, reason: "Pandemipause", userId: null });
    await pauseInStudy(database.db, { studyId, subject: { participantCode: pausedCompany.code }, reason: "Fusjon", userId: null });
    await publishNow(database.db, studyId, null);
    const frozen = await frozenAwards(database.db, studyId);
    const out = new Set([...strom.map((p) => ids.get(p.code)), ids.get(pausedCompany.code)]);
    expect(frozen.length).toBeGreaterThan(0);
    expect(frozen.filter((r) => out.has(r.participantId))).toEqual([]);
    expect(frozen.filter((r) => r.classCode === "strom")).toEqual([]);
    expectSame(frozen, await independentAwards(database, studyId));
    // The preview computes the same from the current data.
    expect(strip(await computeAwards(database.db, studyId))).toEqual(strip(frozen));

    // Bank keeps 3 of its 4 companies: still a class winner.
    expect(frozen.filter((r) => r.kind === "class" && r.classCode === "bank").length).toBeGreaterThan(0);

    const [classPause] = await database.db.select().from(s.studyPauses).where(eq(s.studyPauses.classCode, "strom"));
    await unpauseInStudy(database.db, { studyId, pauseId: classPause!.id, userId: null });
    const back = await frozenAwards(database.db, studyId);
    expect(back.filter((r) => r.kind === "class" && r.classCode === "strom")).toHaveLength(1);
    const audit = await database.db.select().from(s.auditEvents).where(eq(s.auditEvents.studyId, studyId));
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["study.pause", "study.unpause"]));
  });

  it("migration 0014 gives studies published before it the awards a publication freezes", async () => {
    const { studyId } = await crafted();
    await publishNow(database.db, studyId, null);
    const frozen = await frozenAwards(database.db, studyId);
    const migration = readFileSync(new URL("../../db/migrations/0014_awards_and_pauses.sql", import.meta.url), "utf8");
    const backfill = migration.split("--> statement-breakpoint").at(-1)!;
    expect(backfill).toContain("INSERT INTO \"study_awards\"");
    await database.db.execute(sql`delete from study_awards`);
    await database.db.execute(sql.raw(backfill));
    expect(strip(await frozenAwards(database.db, studyId))).toEqual(strip(frozen));
    expect((await frozenAwards(database.db, studyId)).map((r) => [r.kind, r.classCode, r.channel, r.participantId]).sort()).toEqual(
      frozen.map((r) => [r.kind, r.classCode, r.channel, r.participantId]).sort(),
    );
  });

  it("a tenant reads the awards only of a published study it took part in (RLS)", async () => {
    const { studyId, ids, data } = await crafted();
    const other = await crafted();
    await publishNow(database.db, studyId, null);
    const count = (tenantId: string) =>
      withTenant(database.db, tenantId, async ({ tx }) => rows<{ n: number }>(await tx.execute(sql`select count(*)::int as n from study_awards where study_id = ${studyId}`))[0]!.n);
    const member = ids.get(data.participants[0]!.code)!;
    const stored = (await frozenAwards(database.db, studyId)).length;
    expect(stored).toBeGreaterThan(0);
    expect(await count(member)).toBe(stored);
    // Same companies, other study (draft): they took part in `studyId`, not in other's rows' study.
    await database.db.execute(sql`insert into study_awards (study_id, kind, participant_id, participant_name, score) values (${other.studyId}, 'overall', ${member}, 'x', 1)`);
    const otherCount = await withTenant(database.db, member, async ({ tx }) =>
      rows<{ n: number }>(await tx.execute(sql`select count(*)::int as n from study_awards where study_id = ${other.studyId}`))[0]!.n,
    );
    expect(otherCount).toBe(0);
    // A company that did not take part sees nothing of the published study.
    const [outsider] = await database.db.insert(s.participants).values({ code: `out-${studyId}`, name: "Utenfor" }).returning();
    expect(await count(outsider!.id)).toBe(0);
    // Back in review (not published): nothing, though rows exist.
    await database.db.update(s.studies).set({ status: "review" }).where(eq(s.studies.id, studyId));
    expect(await count(member)).toBe(0);
    await database.db.update(s.studies).set({ status: "published" }).where(eq(s.studies.id, studyId));
  });
});

describe("GET /api/v1/studies/{year}/awards", () => {
  let database: Database;
  let server: TestServer;
  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer(database);
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });
  const get = (path: string, token: string) => server.fetch(path, { headers: { Authorization: `Bearer ${token}` } });

  it("is 404 in draft, in review and while scheduled; after publication every company of the study gets the awards, others 404", async () => {
    const { data } = craftedStudy();
    const { studyId } = await database.db.transaction((tx) => writeStudy(tx, data));
    const ids = new Map((await database.db.select().from(s.participants)).map((p) => [p.code, p.id]));
    const tokens = await Promise.all(data.participants.map(async (p) => (await createApiToken(database.db, { tenantId: ids.get(p.code)!, name: "BI", createdBy: null })).token));
    const elsewhere = await createStudy(database.db, { year: data.year + 50 });
    const outsider = await createTenant(database.db, elsewhere, { name: "Utenfor" });
    const outsiderToken = (await createApiToken(database.db, { tenantId: outsider.tenantId, name: "BI", createdBy: null })).token;
    const path = `/api/v1/studies/${data.year}/awards`;

    expect((await get(path, tokens[0]!)).status).toBe(404);
    await openReview(database.db, studyId, { until: new Date(Date.now() + 86_400_000), userId: null });
    expect((await get(path, tokens[0]!)).status).toBe(404);
    await schedulePublication(database.db, studyId, { at: new Date(Date.now() + 3_600_000), userId: null });
    expect((await get(path, tokens[0]!)).status).toBe(404);

    await publishNow(database.db, studyId, null);
    const expected = await independentAwards(database, studyId);
    const bodies: unknown[] = [];
    for (const token of tokens) {
      const res = await get(path, token);
      expect(res.status).toBe(200);
      bodies.push(await res.json());
    }
    // The same document for every company of the study.
    for (const body of bodies) expect(body).toEqual(bodies[0]);
    const body = bodies[0] as { year: number; overall: { winners: unknown[] }; classes: { classCode: string; className: string; winners: { participantName: string; score: number }[] }[]; channels: { channel: string; winners: { participantName: string; score: number }[] }[] };
    expect(Object.keys(body).sort()).toEqual(["channels", "classes", "overall", "year"]);
    expect(body.year).toBe(data.year);
    expect(strip(body.overall.winners as never)).toEqual(strip(expected.overall));
    const withWinners = <T>(m: Map<string, T[]>) => [...m].filter(([, w]) => w.length > 0);
    expect(body.classes.map((c) => c.classCode).sort()).toEqual(withWinners(expected.classes).map(([k]) => k).sort());
    for (const c of body.classes) {
      expect(c.className).toBe(data.participants.find((p) => p.classCode === c.classCode)!.className);
      expect(strip(c.winners)).toEqual(strip(expected.classes.get(c.classCode)!));
    }
    expect(body.channels.map((c) => c.channel).sort()).toEqual(withWinners(expected.channels).map(([k]) => k).sort());
    for (const c of body.channels) expect(strip(c.winners)).toEqual(strip(expected.channels.get(c.channel as Channel)!));
    expect(body.classes.find((c) => c.classCode === "bank")!.winners).toHaveLength(2);

    expect((await get(path, outsiderToken)).status).toBe(404);
    const doc = (await (await server.fetch("/api/v1/openapi.json")).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toContain("/api/v1/studies/{year}/awards");
  });
});

describe("the staff study page: pauses and the awards (preview, then frozen)", () => {
  let database: Database;
  let server: TestServer;
  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer(database);
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it("staff pause and lift a class with a reason (audited); the preview leaves it out; after publication the frozen awards", async () => {
    const { data } = craftedStudy();
    const { studyId } = await database.db.transaction((tx) => writeStudy(tx, data));
    const staff = await createUser(database.db, { isStaff: true, name: "Stine Stab" });
    const cookie = await signedInCookie(database.db, staff.id);
    const page = `/staff/studies/${data.year}/awards`;
    const stromNames = data.participants.filter((p) => p.classCode === "strom").map((p) => p.name);
    const form = (fields: Record<string, string>) => server.fetch(page, { method: "POST", body: new URLSearchParams(fields), cookie, redirect: "manual" });

    let html = await (await server.fetch(page, { cookie })).text();
    expect(html).toContain("Forhåndsvisning");
    expect(stromNames.some((n) => html.includes(n))).toBe(true);
    expect(await frozenAwards(database.db, studyId)).toEqual([]); // a preview stores nothing

    // A reason is required, and at most 500 characters.
    expect((await form({ intent: "pause", subject: "class:strom", reason: "" })).status).toBe(400);
    expect((await form({ intent: "pause", subject: "class:strom", reason: "x".repeat(501) })).status).toBe(400);
    const paused = await form({ intent: "pause", subject: "class:strom", reason: "Pandemipause" });
    expect(paused.status).toBe(302);
    expect(paused.headers.get("location")).toBe(`/staff/studies/${data.year}#pauses`);
    expect((await form({ intent: "pause", subject: "class:strom", reason: "Igjen" })).status).toBe(409);
    const [pause] = await database.db.select().from(s.studyPauses).where(eq(s.studyPauses.studyId, studyId));
    expect(pause).toMatchObject({ classCode: "strom", reason: "Pandemipause", createdBy: staff.id });

    html = await (await server.fetch(page, { cookie })).text();
    expect(html).toContain("Pandemipause");
    expect(html).toContain("Stine Stab");
    // The preview (awards table) names no company of the paused class.
    const awardsPart = html.slice(html.indexOf('id="awards-title"'), html.indexOf("</main>"));
    for (const name of stromNames) expect(awardsPart).not.toContain(name);

    expect((await form({ intent: "unpause", pauseId: String(pause!.id) })).status).toBe(302);
    expect((await form({ intent: "unpause", pauseId: String(pause!.id) })).status).toBe(404);
    const audit = await database.db.select().from(s.auditEvents).where(eq(s.auditEvents.studyId, studyId));
    expect(audit.filter((a) => a.actorUserId === staff.id).map((a) => a.action).sort()).toEqual(["study.pause", "study.unpause"]);

    await publishNow(database.db, studyId, null);
    html = await (await server.fetch(page, { cookie })).text();
    expect(html).not.toContain("Forhåndsvisning");
    expect(html).toContain("fryst ved publisering");
    const frozen = await frozenAwards(database.db, studyId);
    for (const a of frozen) expect(html).toContain(a.participantName);
  });
});

describe("a paused year, as the members see it", () => {
  let database: Database;
  let server: TestServer;
  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer(database);
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it("the overview says the newest year is paused and why, instead of quietly showing an older year", async () => {
    const first = sampleStudy(2080);
    const second = sampleStudy(2081);
    const strom = new Set(second.participants.filter((p) => p.classCode === "strom").map((p) => p.code));
    second.participants = second.participants.filter((p) => !strom.has(p.code));
    second.inquiries = second.inquiries.filter((i) => !strom.has(i.participantCode)).map((i) => ({ ...i, ref: `B-${i.ref}` }));
    const ids: number[] = [];
    for (const data of [first, second]) ids.push((await database.db.transaction((tx) => writeStudy(tx, data))).studyId);
    await pauseInStudy(database.db, { studyId: ids[1]!, subject: { classCode: "strom" }, reason: "Pandemipause for strømbransjen", userId: null });
    const bank = second.participants.find((p) => p.classCode === "bank")!;
    await pauseInStudy(database.db, { studyId: ids[1]!, subject: { participantCode: bank.code }, reason: "Fusjon", userId: null });
    for (const id of ids) await publishNow(database.db, id, null);
    const participants = new Map((await database.db.select().from(s.participants)).map((p) => [p.code, p.id]));
    const overviewOf = async (code: string, path = "/company") => {
      const user = await createUser(database.db);
      await addMember(database.db, participants.get(code)!, user.id, "viewer");
      const res = await server.fetch(path, { cookie: await signedInCookie(database.db, user.id) });
      expect(res.status).toBe(200);
      const html = await res.text();
      return html.slice(html.indexOf("<main"), html.indexOf("</main>"));
    };

    const paused = await overviewOf([...strom][0]!);
    expect(paused).toContain("Bransjen deres står over Kundeserviceprisen 2081");
    expect(paused).toContain("Begrunnelse: Pandemipause for strømbransjen");
    expect(paused).toContain("Tallene under er fra 2080");

    // A company paused on its own, measured that year: the year is shown, and marked paused.
    const own = await overviewOf(bank.code);
    expect(own).toContain("Dere står over Kundeserviceprisen 2081");
    expect(own).toContain("Begrunnelse: Fusjon");
    expect(own).not.toContain("Tallene under er fra");

    // Others see no pause, and not another company's reason.
    const other = await overviewOf(second.participants.find((p) => p.classCode === "bank" && p.code !== bank.code)!.code);
    expect(other).not.toContain("står over");
    expect(other).not.toContain("Fusjon");

    // The class is back the year after: the trends show the paused year as a labelled gap.
    const third = sampleStudy(2082);
    third.inquiries = third.inquiries.map((i) => ({ ...i, ref: `C-${i.ref}` }));
    await publishNow(database.db, (await database.db.transaction((tx) => writeStudy(tx, third))).studyId, null);
    const trends = await overviewOf([...strom][0]!, "/company/trends");
    expect(trends).toContain("2081: pause");
    expect(trends).toContain("Begrunnelse: Pandemipause for strømbransjen");
    expect(await overviewOf([...strom][0]!)).not.toContain("står over");
    expect(await overviewOf(second.participants.find((p) => p.classCode === "bank" && p.code !== bank.code)!.code, "/company/trends")).not.toContain("pause");
  });
});
