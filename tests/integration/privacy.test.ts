// Personal data (issue 6, item 6): the transcript retention rule, the staff export of all of
// a company's data, deleting a company with everything it owns, the company's choice to
// hide agent names, and logins in the audit log.
import { eq } from "drizzle-orm";
import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as s from "#db/schema";
import { hashPassword } from "~/auth/password.server";
import { purgeOldTranscripts, retentionCutoff } from "~/models/admin/company-data.server";
import { runImport } from "~/models/studies/import.server";
import { addMember, createUser, signedInCookie } from "../support/factories";
import { publishedStudies } from "../support/published-sample";
import { sampleStudy } from "../support/sample-study";
import { csvBytes, resultsCsv } from "../support/study-csv";

const KEEP = "fjordkraft-demo";
const GONE = "pakkeposten";
const CANARY = "CANARY-PAKKEPOSTEN-PRIVACY";

let sample: Awaited<ReturnType<typeof publishedStudies>>;
let staff: string;
const study = sampleStudy(2021);

/** A correction of the results file: the given inquiries get another comment. */
async function correctComments(refs: string[], label: string) {
  const db = sample.database.db;
  for (const inquiry of study.inquiries) if (refs.includes(inquiry.ref)) inquiry.comment = `${inquiry.comment ?? ""} (${label})`;
  const [row] = await db.select({ id: s.studies.id }).from(s.studies).where(eq(s.studies.year, study.year));
  const outcome = await runImport(db, { studyId: row!.id, kind: "results", fileName: `${label}.csv`, bytes: csvBytes(resultsCsv(study.questionnaire, study.inquiries)), userId: null });
  expect(outcome.status).toBe("imported");
  return row!.id;
}

/** Every earlier version of an inquiry the import history holds. */
async function replacedInquiries() {
  const batches = await sample.database.db.select().from(s.importBatches).where(eq(s.importBatches.kind, "results"));
  return batches.flatMap((b) => (b.replaced ?? []) as { ref: string; participantCode: string; comment: string | null; transcript: string | null }[]);
}

const uploadRow = (studyId: number, createdAt: Date, text: string) => ({
  studyId,
  kind: "results" as const,
  fileName: "resultater.csv",
  checksum: "x",
  bytes: new TextEncoder().encode(text),
  status: "imported",
  outcome: {},
  createdAt,
});

beforeAll(async () => {
  for (const inquiry of study.inquiries.filter((i) => i.participantCode === GONE)) inquiry.comment = `${CANARY} ${inquiry.ref}`;
  study.inquiries.find((i) => i.participantCode === KEEP && i.agentName === null)!.agentName = "Sølvi";
  sample = await publishedStudies(study);
  staff = await signedInCookie(sample.database.db, (await createUser(sample.database.db, { isStaff: true })).id);
}, 180_000);

afterAll(async () => {
  await sample?.close();
});

describe("transcript retention", () => {
  it("removes transcripts older than the configured years, keeps newer ones, and logs it", async () => {
    const db = sample.database.db;
    const withTranscript = (await db.select().from(s.inquiries)).filter((i) => i.transcript !== null);
    expect(withTranscript.length).toBeGreaterThan(2);
    // The sample is from 2021: "now" in 2024 with a 3-year rule cuts only the inquiries before 2021-mm-dd.
    const sorted = withTranscript.sort((a, b) => +a.contactedAt - +b.contactedAt);
    const middle = sorted[Math.floor(sorted.length / 2)]!.contactedAt;
    const now = new Date(middle);
    now.setUTCFullYear(now.getUTCFullYear() + 3);
    const cutoff = retentionCutoff(3, now);
    const expectedGone = withTranscript.filter((i) => i.contactedAt < cutoff).length;
    expect(expectedGone).toBeGreaterThan(0);
    expect(expectedGone).toBeLessThan(withTranscript.length);

    // A correction replaced an old and a recent inquiry: their earlier versions, transcripts
    // included, are in the import history. Two results files were uploaded, one a day before
    // "now" and one an hour before it.
    const notGone = sorted.filter((i) => i.tenantId === sample.ids.get(KEEP));
    const oldOne = notGone.find((i) => i.contactedAt < cutoff)!;
    const recentOne = notGone.findLast((i) => i.contactedAt >= cutoff)!;
    const studyId = await correctComments([oldOne.ref, recentOne.ref], "retting");
    expect((await replacedInquiries()).filter((r) => r.transcript !== null).map((r) => r.ref).sort()).toEqual([oldOne.ref, recentOne.ref].sort());
    const [stale, fresh] = await db
      .insert(s.importUploads)
      .values([uploadRow(studyId, new Date(now.getTime() - 2 * 86_400_000), oldOne.transcript!), uploadRow(studyId, new Date(now.getTime() - 3600_000), oldOne.transcript!)])
      .returning({ id: s.importUploads.id });

    expect(await purgeOldTranscripts(db, 3, now)).toBe(expectedGone);
    const history = await replacedInquiries();
    expect(history.find((r) => r.ref === oldOne.ref)!.transcript).toBeNull();
    expect(history.find((r) => r.ref === oldOne.ref)!.comment).not.toBeNull();
    expect(history.find((r) => r.ref === recentOne.ref)!.transcript).toBe(recentOne.transcript);
    const uploadsLeft = (await db.select({ id: s.importUploads.id }).from(s.importUploads)).map((u) => u.id);
    expect(uploadsLeft).not.toContain(stale!.id);
    expect(uploadsLeft).toContain(fresh!.id);
    const after = await db.select().from(s.inquiries);
    for (const row of after) {
      if (row.contactedAt < cutoff) expect(row.transcript).toBeNull();
    }
    expect(after.filter((i) => i.transcript !== null)).toHaveLength(withTranscript.length - expectedGone);
    const logged = await db.select().from(s.auditEvents).where(eq(s.auditEvents.action, "retention.transcripts"));
    expect(logged.at(-1)!.details).toMatchObject({ years: 3, inquiries: expectedGone, historyBatches: 1, uploadedFiles: 1 });
    expect(await purgeOldTranscripts(db, 3, now)).toBe(0);
  });
});

describe("company data export", () => {
  it("gives staff a zip of the company's own data, shoppers only as code, gender, age group and county, no secrets", async () => {
    await sample.database.db.insert(s.targets).values({ tenantId: sample.ids.get(KEEP)!, year: 2021, kind: "total", subject: "", target: 77.5 });
    await sample.database.db.insert(s.responseGoals).values({ tenantId: sample.ids.get(KEEP)!, channel: "phone", goalSeconds: 45 });
    const response = await sample.server.fetch(`/staff/companies/${KEEP}/export`, { cookie: staff, form: {} });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
    expect(Object.keys(files)).toEqual(expect.arrayContaining(["company.json", "inquiries.json", "inquiries.csv", "answers.csv", "people.json", "bookings.json", "audit-events.json", "action-plans.json"]));
    const inquiries = JSON.parse(strFromU8(files["inquiries.json"]!)) as Record<string, unknown>[];
    const own = study.inquiries.filter((i) => i.participantCode === KEEP).map((i) => i.ref);
    expect(inquiries.map((i) => i.ref).sort()).toEqual(own.sort());
    expect(Object.keys(inquiries[0]!)).toContain("shopperAgeGroup");
    expect(Object.keys(inquiries[0]!)).not.toContain("shopperAge");
    const everything = Object.values(files).map((f) => strFromU8(f)).join("\n");
    expect(everything).not.toContain(CANARY);
    expect(JSON.parse(strFromU8(files["targets.json"]!))).toMatchObject([{ year: 2021, kind: "total", subject: "", target: 77.5 }]);
    expect(JSON.parse(strFromU8(files["response-goals.json"]!))).toMatchObject([{ channel: "phone", goalSeconds: 45 }]);
    expect(everything).not.toMatch(/tokenHash|passwordHash|\$argon2/);
    expect([...files["inquiries.csv"]!.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    // The earlier versions a correction replaced (two of its inquiries, in the retention test).
    const history = JSON.parse(strFromU8(files["import-history.json"]!)) as { kind: string; replacedVersion: { participantCode: string; shopper: Record<string, unknown> } }[];
    expect(history).toHaveLength(2);
    for (const entry of history) {
      expect(entry.kind).toBe("results");
      expect(entry.replacedVersion.participantCode).toBe(KEEP);
      expect(Object.keys(entry.replacedVersion.shopper).sort()).toEqual(["ageGroup", "code", "gender", "region"]);
    }
    const [logged] = (await sample.database.db.select().from(s.auditEvents).where(eq(s.auditEvents.action, "company.export"))).slice(-1);
    expect(logged!.participantId).toBe(sample.ids.get(KEEP));
  });

  it("is staff only, and POST only", async () => {
    const member = await sample.memberCookie(KEEP, "manager");
    expect((await sample.server.fetch(`/staff/companies/${KEEP}/export`, { cookie: member, form: {} })).status).toBe(403);
    expect((await sample.server.fetch(`/staff/companies/${KEEP}/export`, { cookie: staff })).status).toBe(405);
    expect((await sample.server.fetch(`/staff/companies/no-such-company/export`, { cookie: staff, form: {} })).status).toBe(404);
  });
});

describe("deleting a company", () => {
  it("needs the code typed, then removes the company with everything it owns and nobody else's data", async () => {
    const db = sample.database.db;
    const goneId = sample.ids.get(GONE)!;
    const onlyHere = await createUser(db);
    await addMember(db, goneId, onlyHere.id, "manager");
    const alsoElsewhere = await createUser(db);
    await addMember(db, goneId, alsoElsewhere.id, "viewer");
    await addMember(db, sample.ids.get(KEEP)!, alsoElsewhere.id, "viewer");
    const keptBefore = (await db.select().from(s.inquiries).where(eq(s.inquiries.tenantId, sample.ids.get(KEEP)!))).length;
    // A correction of one of its inquiries and one of another company's: both earlier
    // versions are in the import history; its results file is still uploaded.
    const goneRef = study.inquiries.find((i) => i.participantCode === GONE)!.ref;
    const keptRef = study.inquiries.find((i) => i.participantCode === KEEP)!.ref;
    const studyId = await correctComments([goneRef, keptRef], "retting-2");
    expect((await replacedInquiries()).some((r) => r.ref === goneRef && r.comment?.includes(CANARY))).toBe(true);
    await db.insert(s.importUploads).values(uploadRow(studyId, new Date(), `${goneRef};${CANARY}`));
    const uploadsBefore = (await db.select({ id: s.importUploads.id }).from(s.importUploads).where(eq(s.importUploads.studyId, studyId))).length;

    const refused = await sample.server.fetch(`/staff/companies/${GONE}`, { cookie: staff, form: { intent: "delete", confirm: "pakke" } });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Skriv selskapets kode");
    expect(await db.select().from(s.participants).where(eq(s.participants.id, goneId))).toHaveLength(1);

    const deleted = await sample.server.fetch(`/staff/companies/${GONE}`, { cookie: staff, form: { intent: "delete", confirm: GONE } });
    expect(deleted.status).toBe(302);
    expect(deleted.headers.get("location")).toMatch(/^\/staff\/companies\?deleted=/);
    expect(await db.select().from(s.participants).where(eq(s.participants.id, goneId))).toHaveLength(0);
    for (const table of [s.inquiries, s.answers, s.inquiryAreaScores, s.participations, s.memberships, s.tenantAuditEvents] as const) {
      expect(await db.select().from(table).where(eq(table.tenantId, goneId))).toHaveLength(0);
    }
    expect((await db.select().from(s.inquiries)).some((i) => i.comment?.includes(CANARY))).toBe(false);
    expect(await db.select().from(s.users).where(eq(s.users.id, onlyHere.id))).toHaveLength(0);
    expect(await db.select().from(s.users).where(eq(s.users.id, alsoElsewhere.id))).toHaveLength(1);
    const ranking = await db.select().from(s.benchmarkRanking).where(eq(s.benchmarkRanking.participantId, goneId));
    expect(ranking.every((r) => r.participantName === "Slettet deltaker")).toBe(true);
    expect(await db.select().from(s.inquiries).where(eq(s.inquiries.tenantId, sample.ids.get(KEEP)!))).toHaveLength(keptBefore);
    const history = await replacedInquiries();
    expect(history.filter((r) => r.participantCode === GONE)).toEqual([]);
    expect(JSON.stringify(history)).not.toContain(CANARY);
    expect(history.some((r) => r.ref === keptRef)).toBe(true);
    expect(await db.select().from(s.importUploads).where(eq(s.importUploads.studyId, studyId))).toEqual([]);
    const [logged] = (await db.select().from(s.auditEvents).where(eq(s.auditEvents.action, "company.delete"))).slice(-1);
    expect(logged!.details).toMatchObject({ code: GONE, peopleDeleted: 1, historyBatches: 1, uploadedFiles: uploadsBefore });
    const list = await sample.server.fetch(deleted.headers.get("location")!, { cookie: staff });
    expect(await list.text()).toContain("er slettet med alle sine data");
  });
});

describe("agent names", () => {
  it("can be hidden by a manager for the whole company, logged in its audit log; team leads cannot change it", async () => {
    const db = sample.database.db;
    const manager = await sample.memberCookie(KEEP, "manager");
    const lead = await sample.memberCookie(KEEP, "teamlead");
    const named = study.inquiries.find((i) => i.agentName === "Sølvi")!;
    const page = () => sample.server.fetch(`/company/inquiries/${named.ref}?study=2021`, { cookie: manager }).then((r) => r.text());
    expect(await page()).toContain("Sølvi");
    expect((await sample.server.fetch("/company/settings/privacy", { cookie: lead })).status).toBe(403);
    expect((await sample.server.fetch("/company/settings/privacy", { cookie: lead, form: { hideAgentNames: "on" } })).status).toBe(403);

    const saved = await sample.server.fetch("/company/settings/privacy", { cookie: manager, form: { hideAgentNames: "on" } });
    expect(saved.status).toBe(200);
    expect(await page()).not.toContain("Sølvi");
    const [event] = await db.select().from(s.tenantAuditEvents).where(eq(s.tenantAuditEvents.action, "privacy.agent_names"));
    expect(event).toMatchObject({ tenantId: sample.ids.get(KEEP), details: { hidden: true } });

    await sample.server.fetch("/company/settings/privacy", { cookie: manager, form: {} });
    expect(await page()).toContain("Sølvi");
  });
});

describe("login audit", () => {
  it("records a successful login in the audit log", async () => {
    const db = sample.database.db;
    const user = await createUser(db, { passwordHash: await hashPassword("Riktig-passord-123") });
    const response = await sample.server.fetch("/login", { form: { email: user.email, password: "Riktig-passord-123" } });
    expect(response.status).toBe(302);
    const events = await db.select().from(s.auditEvents).where(eq(s.auditEvents.actorUserId, user.id));
    expect(events.map((e) => e.action)).toContain("auth.login");
  });
});
