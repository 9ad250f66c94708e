// Onboarding a study's companies (issue 17): the contacts file through the staff pages (upload,
// preview, send), its all-or-nothing and idempotent sending, the onboarding page's counts against
// a plain SQL count, the reminder button, and the automatic reminder through the job queue.
import { randomBytes } from "node:crypto";
import { and, eq, gte, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, Db } from "#db/client.server";
import * as s from "#db/schema";
import { startJobs } from "~/jobs/runtime.server";
import { acceptInvitation, createInvitation } from "~/models/accounts/invitation.server";
import { purgeExpired, UPLOAD_KEEP_DAYS } from "~/models/admin/housekeeping.server";
import { createContactUpload, getContactUpload, listOnboarding, previewContacts, remindDueInvitations } from "~/models/accounts/onboarding.server";
import { BROKEN, CONTACT_ROWS, contactsCsv, contactsFor } from "../support/contacts-file";
import { createTestDatabase } from "../support/db";
import { addMember, createStudy, createTenant, createUser, signedInCookie } from "../support/factories";
import { startTestServer, type TestServer } from "../support/server";

const DAY = 24 * 3600_000;
let database: Database;
let server: TestServer;
let staffCookie: string;
let staffId: string;
let nextYear = 2040;

beforeAll(async () => {
  database = await createTestDatabase({ shared: true });
  server = await startTestServer(database);
  const staff = await createUser(database.db, { isStaff: true });
  staffId = staff.id;
  staffCookie = await signedInCookie(database.db, staff.id);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await database?.close();
});

/** A study of its own with `companies` companies, and the 170 people of its contacts file. */
async function season(companies = 57) {
  const db = database.db;
  const study = await createStudy(db, { year: nextYear++ });
  const tenants = [];
  for (let i = 0; i < companies; i++) tenants.push(await createTenant(db, study, { scores: [80] }));
  const contacts = contactsFor(tenants.map((t) => t.code), randomBytes(3).toString("hex"));
  return { study, year: study.study.year, tenants, contacts, ref: { id: study.study.id, year: study.study.year } };
}

async function upload(year: number, csv: string, name = "kontakter.csv"): Promise<string> {
  const form = new FormData();
  form.set("file", new Blob([csv], { type: "text/csv" }), name);
  const response = await server.fetch(`/staff/studies/${year}/onboarding`, { method: "POST", body: form, cookie: staffCookie });
  expect(response.status).toBe(302);
  const location = response.headers.get("location")!;
  expect(location).toMatch(new RegExp(`^/staff/studies/${year}/onboarding/contacts/[0-9a-f-]{36}$`));
  return location;
}

const mailsTo = (db: Db, emails: string[], since = new Date(0)) =>
  db.select().from(s.emailOutbox).where(and(inArray(s.emailOutbox.toAddress, emails), gte(s.emailOutbox.createdAt, since)));

describe("the contacts file", () => {
  it("of 170 rows with 3 bad ones: the preview names exactly those rows and columns, and nothing is sent", async () => {
    const db = database.db;
    const { year, ref, contacts, tenants } = await season();
    const page = await upload(year, contactsCsv(contacts, { broken: true }));
    const html = await (await server.fetch(page, { cookie: staffCookie })).text();
    expect(html).toContain("3 problemer i filen");
    for (const bad of BROKEN) expect(html).toContain(`data-problem-row="${bad.row}"`);

    const preview = await previewContacts(db, ref, new TextEncoder().encode(contactsCsv(contacts, { broken: true })));
    expect(preview.ok).toBe(false);
    if (preview.ok) return;
    expect(preview.problems.map((p) => ({ row: p.row, column: p.column, value: p.value }))).toEqual(BROKEN.map((b) => ({ ...b })));

    const send = await server.fetch(page, { form: { intent: "send" }, cookie: staffCookie });
    expect(send.status).toBe(409);
    expect(await mailsTo(db, contacts.map((c) => c.email))).toHaveLength(0);
    const invitations = await db.select().from(s.invitations).where(inArray(s.invitations.tenantId, tenants.map((t) => t.tenantId)));
    expect(invitations).toHaveLength(0);
  }, 120_000);

  it("fixed: one invitation per new address, in both audit logs; the preview survives a reload; the same file again sends none", async () => {
    const db = database.db;
    const { year, ref, contacts, tenants } = await season();
    const emails = contacts.map((c) => c.email);
    // Row 2's person is already a member, row 3's has an open invitation, row 4's ran out.
    const member = await createUser(db, { email: contacts[0]!.email.toUpperCase() });
    await addMember(db, tenants[0]!.tenantId, member.id, "manager");
    await createInvitation(db, { tenantId: tenants[1]!.tenantId, email: contacts[1]!.email, role: "manager", invitedBy: null });
    await createInvitation(db, { tenantId: tenants[2]!.tenantId, email: contacts[2]!.email, role: "manager", invitedBy: null, now: new Date(Date.now() - 8 * DAY) });

    const csv = contactsCsv(contacts);
    const page = await upload(year, csv);
    const before = await (await server.fetch(page, { cookie: staffCookie })).text();
    expect(before).toContain(`data-count="new">167<`);
    expect(before).toContain(`data-count="expired">1<`);
    expect(before).toContain(`data-count="invited">1<`);
    expect(before).toContain(`data-count="member">1<`);
    expect(before).toContain("Send 168 invitasjoner");

    const started = new Date();
    const send = await server.fetch(page, { form: { intent: "send" }, cookie: staffCookie });
    expect(send.status).toBe(200);
    const sent = await mailsTo(db, emails, started);
    const expected = emails.filter((e) => e !== contacts[0]!.email && e !== contacts[1]!.email);
    expect(sent.map((m) => m.toAddress).sort()).toEqual(expected.sort());
    expect(new Set(sent.map((m) => m.toAddress)).size).toBe(CONTACT_ROWS - 2);
    expect(sent.every((m) => m.subject?.startsWith("Invitasjon til Innsikt for "))).toBe(true);
    // Row 5 (Person 5) is greeted by name.
    expect(sent.find((m) => m.toAddress === contacts[3]!.email)?.textBody).toMatch(/^Hei Person 5,/);

    const tenantIds = tenants.map((t) => t.tenantId);
    const staffAudit = await db.select().from(s.auditEvents).where(and(eq(s.auditEvents.action, "invitation.create"), gte(s.auditEvents.at, started), eq(s.auditEvents.actorUserId, staffId)));
    expect(staffAudit.filter((a) => tenantIds.includes(a.participantId!))).toHaveLength(168);
    const tenantAudit = await db.select().from(s.tenantAuditEvents).where(and(eq(s.tenantAuditEvents.action, "invitation.create"), gte(s.tenantAuditEvents.at, started), inArray(s.tenantAuditEvents.tenantId, tenantIds)));
    expect(tenantAudit).toHaveLength(168);

    // A reload shows the file against today's state: everyone invited or a member.
    const after = await (await server.fetch(page, { cookie: staffCookie })).text();
    expect(after).toContain(`data-count="invited">169<`);
    expect(after).toContain(`data-count="new">0<`);
    expect(after).toContain("Ingenting nytt å sende");

    // The same file uploaded and sent again (a stale page's button) sends nothing new.
    const again = await upload(year, csv, "kontakter-igjen.csv");
    expect((await server.fetch(again, { form: { intent: "send" }, cookie: staffCookie })).status).toBe(200);
    expect(await mailsTo(db, emails, started)).toHaveLength(168);
    const preview = await previewContacts(db, ref, new TextEncoder().encode(csv));
    expect(preview.ok && preview.counts).toEqual({ new: 0, expired: 0, invited: 169, member: 1 });
  }, 120_000);

  it("is kept as long as an import file, then purged (it holds e-mail addresses)", async () => {
    const db = database.db;
    const { ref } = await season(1);
    const id = await createContactUpload(db, { studyId: ref.id, fileName: "gammel.csv", bytes: new TextEncoder().encode("participant_code,email,role\n"), userId: null });
    const [upload] = await db.select({ createdAt: s.contactUploads.createdAt }).from(s.contactUploads).where(eq(s.contactUploads.id, id));
    await purgeExpired(db, new Date(upload!.createdAt.getTime() + (UPLOAD_KEEP_DAYS - 1) * DAY));
    expect(await getContactUpload(db, ref.id, id)).not.toBeNull();
    await purgeExpired(db, new Date(upload!.createdAt.getTime() + (UPLOAD_KEEP_DAYS + 1) * DAY));
    expect(await getContactUpload(db, ref.id, id)).toBeNull();
    // A month on, the staff session ran out too: the next tests sign in again.
    staffCookie = await signedInCookie(db, staffId);
  }, 60_000);

  it("refuses a company outside the study, a repeated person, an unknown and a missing column; accepts bokmål roles and any case", async () => {
    const db = database.db;
    const { ref, tenants } = await season(2);
    const other = await createStudy(db, { year: nextYear++ });
    const outside = await createTenant(db, other, { scores: [70] });
    const [a, b] = tenants;
    const csv = [
      "Participant_Code , EMAIL,role,navn",
      `${a!.code},Kari@Example.no,Leder,x`,
      `${outside.code},ola@example.no,leser,x`,
      `${b!.code},per@example.no,viewer,x`,
      `${b!.code},PER@example.no,teamlead,x`,
    ].join("\n");
    const preview = await previewContacts(db, ref, new TextEncoder().encode(csv));
    expect(preview.ok).toBe(false);
    if (preview.ok) return;
    expect(preview.problems.map((p) => [p.row, p.column, p.message.en])).toEqual([
      [1, "navn", expect.stringContaining("unknown column")],
      [3, "participant_code", `the participant takes no part in study ${ref.year}`],
      [5, "email", expect.stringContaining("already on row 4")],
    ]);
    const fine = await previewContacts(db, ref, new TextEncoder().encode(`participant_code,email,role\n${a!.code},Kari@Example.no,Leder\n`));
    expect(fine.ok && fine.contacts).toEqual([expect.objectContaining({ email: "kari@example.no", role: "manager", status: "new" })]);
    const missing = await previewContacts(db, ref, new TextEncoder().encode(`participant_code,email\n${a!.code},kari@example.no\n`));
    expect(!missing.ok && missing.problems.map((p) => [p.row, p.column])).toEqual([[1, "role"]]);
  }, 60_000);
});

describe("the onboarding page", () => {
  it("shows each company's state, with counts equal to a plain SQL count, and filters by state", async () => {
    const db = database.db;
    const { year, study, tenants } = await season(6);
    const [signedIn, invited, memberOnly, teamleadOnly] = tenants;
    const { token } = await createInvitation(db, { tenantId: signedIn!.tenantId, email: `m-${signedIn!.code}@example.no`, role: "manager", invitedBy: null });
    const { userId } = await acceptInvitation(db, { token, name: "Mona Leder", password: "passord-1234-lang" });
    await signedInCookie(db, userId); // the session the invitation page opens on acceptance
    await createInvitation(db, { tenantId: invited!.tenantId, email: `m-${invited!.code}@example.no`, role: "manager", invitedBy: null });
    const quiet = await createUser(db);
    await addMember(db, memberOnly!.tenantId, quiet.id, "manager");
    await createInvitation(db, { tenantId: teamleadOnly!.tenantId, email: `t-${teamleadOnly!.code}@example.no`, role: "teamlead", invitedBy: null });

    // The plain SQL: a manager who has signed in (any way: users.last_login_at), else a
    // waiting manager invitation or a manager member, else nobody.
    const plain = await db.execute<{ state: string; n: number }>(sql`
      with c as (
        select p.id,
          exists (select 1 from memberships m join users u on u.id = m.user_id
                  where m.tenant_id = p.id and m.role = 'manager' and u.disabled_at is null
                    and u.last_login_at is not null) as signed_in,
          exists (select 1 from memberships m where m.tenant_id = p.id and m.role = 'manager')
            or exists (select 1 from invitations i where i.tenant_id = p.id and i.role = 'manager' and i.accepted_at is null and i.revoked_at is null) as invited
        from participations pa join participants p on p.id = pa.tenant_id where pa.study_id = ${study.study.id})
      select case when signed_in then 'signedIn' when invited then 'invited' else 'nobody' end as state, count(*)::int as n from c group by 1`);
    const rows = (Array.isArray(plain) ? plain : (plain as { rows: { state: string; n: number }[] }).rows) as { state: string; n: number }[];
    const counted = Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
    const expected = { signedIn: counted.signedIn ?? 0, invited: counted.invited ?? 0, nobody: counted.nobody ?? 0 };
    expect(expected).toEqual({ signedIn: 1, invited: 2, nobody: 3 });

    const { counts, companies } = await listOnboarding(db, study.study.id);
    expect(counts).toEqual(expected);
    expect(companies.find((c) => c.tenantId === signedIn!.tenantId)?.state).toBe("signedIn");
    expect(companies.find((c) => c.tenantId === teamleadOnly!.tenantId)?.state).toBe("nobody");

    const html = await (await server.fetch(`/staff/studies/${year}/onboarding`, { cookie: staffCookie })).text();
    for (const [state, n] of Object.entries(expected)) expect(html).toContain(`data-count="${state}">${n}<`);
    const nobody = await (await server.fetch(`/staff/studies/${year}/onboarding?state=nobody`, { cookie: staffCookie })).text();
    expect(nobody).toContain(teamleadOnly!.participant.name);
    expect(nobody).not.toContain(signedIn!.participant.name);
  }, 60_000);

  it("reminds a company's waiting people with a new link each, in both audit logs; a company of another study is 404", async () => {
    const db = database.db;
    const { year, tenants } = await season(2);
    const other = await season(1);
    const [company] = tenants;
    const first = await createInvitation(db, { tenantId: company!.tenantId, email: `a-${company!.code}@example.no`, role: "manager", invitedBy: null });
    await createInvitation(db, { tenantId: company!.tenantId, email: `b-${company!.code}@example.no`, role: "viewer", invitedBy: null, now: new Date(Date.now() - 9 * DAY) });
    const started = new Date();
    const response = await server.fetch(`/staff/studies/${year}/onboarding`, { form: { intent: "remind", company: company!.code }, cookie: staffCookie });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Påminnelse sendt til 2 personer");
    const mails = await mailsTo(db, [`a-${company!.code}@example.no`, `b-${company!.code}@example.no`], started);
    expect(mails.map((m) => m.subject)).toEqual([expect.stringMatching(/^Påminnelse: Invitasjon/), expect.stringMatching(/^Påminnelse: Invitasjon/)]);
    const [old] = await db.select().from(s.invitations).where(and(eq(s.invitations.tenantId, company!.tenantId), eq(s.invitations.id, first.invitation.id)));
    expect(old!.revokedAt).not.toBeNull();
    const staffAudit = await db.select().from(s.auditEvents).where(and(eq(s.auditEvents.action, "invitation.remind"), eq(s.auditEvents.participantId, company!.tenantId)));
    expect(staffAudit).toHaveLength(2);
    const tenantAudit = await db.select().from(s.tenantAuditEvents).where(and(eq(s.tenantAuditEvents.action, "invitation.remind"), eq(s.tenantAuditEvents.tenantId, company!.tenantId)));
    expect(tenantAudit).toHaveLength(2);
    // A reminder has no automatic reminder of its own.
    const open = await db.select().from(s.invitations).where(and(eq(s.invitations.tenantId, company!.tenantId), sql`${s.invitations.revokedAt} is null`));
    expect(open.map((i) => i.remindAt)).toEqual([null, null]);

    const wrong = await server.fetch(`/staff/studies/${year}/onboarding`, { form: { intent: "remind", company: other.tenants[0]!.code }, cookie: staffCookie });
    expect(wrong.status).toBe(404);
  }, 60_000);

  it("sends the automatic reminder 7 days after an unused invitation through the job queue, once", async () => {
    const db = database.db;
    const { tenants } = await season(1);
    const tenantId = tenants[0]!.tenantId;
    const now = Date.now();
    const due = `due-${tenants[0]!.code}@example.no`;
    const young = `young-${tenants[0]!.code}@example.no`;
    const used = `used-${tenants[0]!.code}@example.no`;
    // Time moves by writing the invitations as sent 8 and 6 days ago.
    await createInvitation(db, { tenantId, email: due, role: "manager", invitedBy: null, now: new Date(now - 8 * DAY) });
    await createInvitation(db, { tenantId, email: young, role: "viewer", invitedBy: null, now: new Date(now - 6 * DAY) });
    const accepted = await createInvitation(db, { tenantId, email: used, role: "viewer", invitedBy: null, now: new Date(now - 8 * DAY) });
    await acceptInvitation(db, { token: accepted.token, name: "Brukt", password: "passord-1234-lang", now: new Date(now - 7.5 * DAY) });
    const reminders = () => db.select().from(s.emailOutbox).where(and(inArray(s.emailOutbox.toAddress, [due, young, used]), sql`${s.emailOutbox.subject} like 'Påminnelse:%'`));

    // Two worker processes' queues, as two `npm run worker`s: the reminder still goes out once.
    const runtimes = [];
    try {
      for (let i = 0; i < 2; i++) runtimes.push(await startJobs(database, { work: true, only: ["invitations.remind-due"], pollingIntervalSeconds: 0.5, log: () => {} }));
      await expect.poll(async () => (await reminders()).length, { timeout: 30_000, interval: 250 }).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 1500)); // the other worker's run, if any, finds nothing
    } finally {
      for (const runtime of runtimes) await runtime.stop({ graceful: false }).catch(() => {});
    }
    expect((await reminders()).map((m) => m.toAddress)).toEqual([due]);
    const remindAudit = await db.select().from(s.tenantAuditEvents).where(and(eq(s.tenantAuditEvents.action, "invitation.remind"), eq(s.tenantAuditEvents.tenantId, tenantId)));
    expect(remindAudit).toHaveLength(1);

    // Two days on, the younger one is due; the reminded one never again (nor a reminder, ever).
    await remindDueInvitations(db, new Date(now + 2 * DAY));
    expect((await reminders()).map((m) => m.toAddress).sort()).toEqual([due, young].sort());
    await remindDueInvitations(db, new Date(now + 60 * DAY));
    expect((await reminders()).map((m) => m.toAddress).sort()).toEqual([due, young].sort());
  }, 90_000);
});
