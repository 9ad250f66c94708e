// Least privilege for the runtime role (issue 12, point 7; docs/decisions/006-least-privilege.md):
// as innsikt_tenant with the tenant set (withTenant, exactly as a tenant request runs), every
// write that no tenant page needs is refused by PostgreSQL itself: changing a booking's
// status, writing payments, rewriting the audit trail, promoting oneself, writing mail. And the
// narrow paths that remain (a fresh hold; confirming one's own held invoice booking) refuse
// everything outside their rule.
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant, type Database } from "#db/client.server";
import * as s from "#db/schema";
import { createCoach, createProduct, createSlot } from "~/models/coaching/coaching-offer.server";
import { createTestDatabase } from "../support/db";
import { addMember, createStudy, createTenant, createUser } from "../support/factories";

let database: Database;
let a: { tenantId: string; userId: string; bookingId: string; heldId: string };
let b: { tenantId: string; userId: string; bookingId: string; heldId: string };
let productId: number;
let coachId: number;
let slotHours = 100;

async function freeSlot() {
  const start = new Date(Date.now() + (slotHours += 2) * 3600_000);
  start.setUTCMinutes(0, 0, 0);
  return (await createSlot(database.db, { coachId, startsAt: start, endsAt: new Date(start.getTime() + 3600_000), actorUserId: null })).id;
}

/** A confirmed invoice booking (with its payment) and a held card booking of a new company, written on the owner path. */
async function company(study: Awaited<ReturnType<typeof createStudy>>) {
  const { tenantId } = await createTenant(database.db, study);
  const user = await createUser(database.db);
  await addMember(database.db, tenantId, user.id, "teamlead");
  const [confirmed] = await database.db
    .insert(s.bookings)
    .values({ tenantId, slotId: await freeSlot(), productId, bookedBy: user.id, status: "confirmed", paymentMethod: "invoice", confirmedAt: new Date() })
    .returning();
  await database.db.insert(s.payments).values({ tenantId, bookingId: confirmed!.id, method: "invoice", amountOre: 100_000, status: "to_invoice" });
  const [held] = await database.db
    .insert(s.bookings)
    .values({ tenantId, slotId: await freeSlot(), productId, bookedBy: user.id, status: "held", paymentMethod: "invoice", heldUntil: new Date(Date.now() + 600_000) })
    .returning();
  await database.db.insert(s.tenantAuditEvents).values({ tenantId, actorUserId: user.id, action: "coaching.booking.create", details: {} });
  return { tenantId, userId: user.id, bookingId: confirmed!.id, heldId: held!.id };
}

beforeAll(async () => {
  database = await createTestDatabase();
  const study = await createStudy(database.db);
  coachId = (await createCoach(database.db, { name: "Coach", email: "coach@lp.example", bio: "", languages: ["nb"], actorUserId: null })).id;
  productId = (
    await createProduct(database.db, { nameNb: "Oppfølging", nameEn: "Follow-up", descriptionNb: "", descriptionEn: "", priceOre: 100_000, durationMinutes: 60, format: "video", actorUserId: null })
  ).id;
  a = await company(study);
  b = await company(study);
}, 120_000);
afterAll(() => database?.close());

/** Runs `statement` as company A's request would; returns PostgreSQL's SQLSTATE and message, or "ok". */
async function asA(statement: ReturnType<typeof sql>): Promise<{ code: string; message: string } | "ok"> {
  try {
    await withTenant(database.db, a.tenantId, ({ tx }) => tx.execute(statement));
    return "ok";
  } catch (error) {
    for (let e: unknown = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
      const { code, message } = e as { code?: string; message?: string };
      if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return { code, message: message ?? "" };
    }
    throw error;
  }
}
const refused = { code: "42501" };

describe("refused to the runtime role by PostgreSQL", () => {
  it("confirming, cancelling or rewriting one of its bookings (no UPDATE, no DELETE on bookings)", async () => {
    expect(await asA(sql`update bookings set status = 'confirmed', confirmed_at = now() where id = ${a.heldId}`)).toMatchObject(refused);
    expect(await asA(sql`update bookings set status = 'cancelled' where id = ${a.bookingId}`)).toMatchObject(refused);
    expect(await asA(sql`update bookings set held_until = now() + interval '1 year' where id = ${a.heldId}`)).toMatchObject(refused);
    expect(await asA(sql`delete from bookings where id = ${a.bookingId}`)).toMatchObject(refused);
    const [held] = await database.db.select().from(s.bookings).where(eq(s.bookings.id, a.heldId));
    expect(held!.status).toBe("held");
  });

  it("inserting a booking in any state but a fresh hold of one of its own members", async () => {
    const base = { tenantId: a.tenantId, productId, bookedBy: a.userId, paymentMethod: "invoice" as const };
    const soon = () => new Date(Date.now() + 30 * 60_000);
    const attempts = [
      { ...base, status: "confirmed" as const, confirmedAt: new Date() },
      { ...base, status: "held" as const, heldUntil: new Date(Date.now() + 30 * 86_400_000) }, // a hold for a month
      { ...base, status: "held" as const, heldUntil: null }, // a hold the sweep never ends
      { ...base, status: "held" as const, heldUntil: soon(), stripeCheckoutSessionId: "cs_forged" },
      { ...base, status: "held" as const, heldUntil: soon(), bookedBy: b.userId }, // mail to someone else's member
    ];
    for (const values of attempts) {
      const slotId = await freeSlot();
      const outcome = await withTenant(database.db, a.tenantId, ({ tx }) => tx.insert(s.bookings).values({ ...values, slotId })).then(
        () => "ok",
        (error: { cause?: { code?: string } }) => error.cause?.code,
      );
      expect(outcome, JSON.stringify(values)).toBe("42501");
    }
    // What the booking form does is still allowed.
    const slotId = await freeSlot();
    await withTenant(database.db, a.tenantId, ({ tx }) => tx.insert(s.bookings).values({ ...base, slotId, status: "held", heldUntil: soon() }));
    expect(await database.db.select().from(s.bookings).where(eq(s.bookings.slotId, slotId))).toHaveLength(1);
  });

  it("inserting, changing or deleting payments", async () => {
    expect(await asA(sql`insert into payments (tenant_id, booking_id, method, amount_ore, status) values (${a.tenantId}, ${a.heldId}, 'card', 1, 'paid')`)).toMatchObject(refused);
    expect(await asA(sql`update payments set status = 'invoiced' where booking_id = ${a.bookingId}`)).toMatchObject(refused);
    expect(await asA(sql`delete from payments where booking_id = ${a.bookingId}`)).toMatchObject(refused);
  });

  it("deleting, rewriting or reading the audit trail (it may only add to it)", async () => {
    expect(await asA(sql`delete from tenant_audit_events where tenant_id = ${a.tenantId}`)).toMatchObject(refused);
    expect(await asA(sql`update tenant_audit_events set action = 'nothing' where tenant_id = ${a.tenantId}`)).toMatchObject(refused);
    expect(await asA(sql`select count(*) from tenant_audit_events`)).toMatchObject(refused);
    expect(await asA(sql`insert into tenant_audit_events (tenant_id, action) values (${a.tenantId}, 'coaching.export')`)).toBe("ok");
  });

  it("promoting oneself, or anyone (no UPDATE, INSERT or DELETE on memberships)", async () => {
    expect(await asA(sql`update memberships set role = 'manager' where user_id = ${a.userId}`)).toMatchObject(refused);
    expect(await asA(sql`insert into memberships (tenant_id, user_id, role) values (${a.tenantId}, ${b.userId}, 'manager')`)).toMatchObject(refused);
    expect(await asA(sql`delete from memberships where user_id = ${a.userId}`)).toMatchObject(refused);
    expect(await asA(sql`insert into invitations (tenant_id, email, role, token_hash, expires_at) values (${a.tenantId}, 'x@example.no', 'manager', 'x', now())`)).toMatchObject(refused);
    const [membership] = await database.db.select().from(s.memberships).where(and(eq(s.memberships.tenantId, a.tenantId), eq(s.memberships.userId, a.userId)));
    expect(membership!.role).toBe("teamlead");
  });

  it("sending mail: no row of its own, no template of its choosing, no other company's booking", async () => {
    const before = (await database.db.select().from(s.emailOutbox)).length;
    expect(await asA(sql`insert into email_outbox (to_address, subject, text_body) values ('anyone@example.com', 'Hei', 'Klikk her')`)).toMatchObject(refused);
    expect(await asA(sql`insert into email_outbox (to_address, template, params) values ('anyone@example.com', 'booking.confirmed', '{}')`)).toMatchObject(refused);
    // The function that writes booking mail is for owner paths only.
    expect(await asA(sql`select innsikt_booking_mail(${a.tenantId}::uuid, ${a.bookingId}::uuid, 'confirmed')`)).toMatchObject(refused);
    expect(await asA(sql`select innsikt_booking_mail(${a.tenantId}::uuid, ${a.bookingId}::uuid, 'phishing')`)).toMatchObject(refused);
    // The one mail a tenant causes comes with confirming its own held invoice booking: not B's, not twice.
    expect(await asA(sql`select innsikt_confirm_invoice_booking(${b.heldId}::uuid)`)).toMatchObject(refused);
    expect(await asA(sql`select innsikt_confirm_invoice_booking(${a.bookingId}::uuid)`)).toMatchObject(refused);
    expect((await database.db.select().from(s.emailOutbox)).length).toBe(before);
    const [bHeld] = await database.db.select().from(s.bookings).where(eq(s.bookings.id, b.heldId));
    expect(bHeld!.status).toBe("held");
  });

  it("reading what no tenant page shows: invitations, other members' e-mail addresses, coaches' addresses", async () => {
    expect(await asA(sql`select count(*) from invitations`)).toMatchObject(refused);
    expect(await asA(sql`select email from users`)).toMatchObject(refused);
    expect(await asA(sql`select email from coaches`)).toMatchObject(refused);
    expect(await asA(sql`select name from users`)).toBe("ok");
  });

  it("reading or writing which results a person has been told about (results_seen: their own row, owner path only)", async () => {
    const [study] = await database.db.select({ id: s.studies.id }).from(s.studies).limit(1);
    await database.db.insert(s.resultsSeen).values({ userId: b.userId, studyId: study!.id });
    expect(await asA(sql`select count(*) from results_seen`)).toMatchObject(refused);
    expect(await asA(sql`insert into results_seen (user_id, study_id) values (${a.userId}, ${study!.id})`)).toMatchObject(refused);
    expect(await asA(sql`delete from results_seen where user_id = ${b.userId}`)).toMatchObject(refused);
    expect(await database.db.select().from(s.resultsSeen).where(eq(s.resultsSeen.userId, b.userId))).toHaveLength(1);
  });
});

/**
 * Everything the runtime role may do, from the catalogue: table → privileges (a column list
 * where the grant is per column). A new grant has to be added here on purpose.
 */
const EXPECTED_GRANTS: Record<string, string[]> = {
  answers: ["SELECT"],
  // Action plans (issue 18): a member writes the plan's own columns, never its tenant, id or creator.
  action_plans: [
    "DELETE",
    "INSERT",
    "SELECT",
    "UPDATE(baseline,baseline_study_id,due_date,evaluated_at,goal_seconds,met,metric_code,metric_kind,notes,owner_id,reminder_sent_at,result,result_study_id,status,target,title,updated_at)",
  ],
  action_plan_links: ["DELETE", "INSERT", "SELECT"],
  api_tokens: ["INSERT", "SELECT", "UPDATE(revoked_at)"],
  bookings: ["INSERT", "SELECT"],
  coaching_exports: ["INSERT", "SELECT", "UPDATE(content,error,file_name,status)"],
  // The coaching log (issue 18): the company's own record, written and deleted by its members.
  coaching_log_entries: ["DELETE", "INSERT", "SELECT", "UPDATE(coached,coached_kind,follow_up_date,habit,pack_id,session_date,updated_at)"],
  coaching_log_inquiries: ["DELETE", "INSERT", "SELECT"],
  inquiries: ["SELECT"],
  inquiry_area_scores: ["SELECT"],
  // Raising a query (spec/season.md): only the raising columns; answering is staff's.
  inquiry_queries: ["INSERT(inquiry_ref,question_code,raised_by,reason,study_id,tenant_id)", "SELECT"],
  memberships: ["SELECT"],
  // Awards (spec/season.md): RLS lets a tenant read those of a published study it took part in.
  study_awards: ["SELECT"],
  // Pauses: the class pauses and its own company pause, never who set one.
  study_pauses: ["SELECT(class_code,created_at,id,participant_id,reason,study_id)"],
  // Company reports (issue 19): built and stored under the company's own role; the key columns stay as inserted.
  company_reports: ["INSERT", "SELECT", "UPDATE(built_at,content,enqueued_at,error,generation,job_id,progress,queued_at,requested_by,size_bytes,status)"],
  participants: ["SELECT", "UPDATE(hide_agent_names,viewers_download_reports)"],
  participations: ["SELECT"],
  // Targets and response-time goals (issue 18): managers set them on the targets page.
  targets: ["DELETE", "INSERT", "SELECT", "UPDATE"],
  response_goals: ["DELETE", "INSERT", "SELECT", "UPDATE"],
  payments: ["SELECT"],
  tenant_audit_events: ["INSERT"],
  // Single sign-on (issue 17): the manager's page reads the settings, never the encrypted secret; writes are on the owner path.
  sso_configs: ["SELECT(client_id,issuer,password_allowed,self_registration,tenant_id,updated_at)"],
  sso_domains: ["SELECT"],
  users: ["SELECT(id,name)"],
  coaches: ["SELECT(active,bio,id,languages,name)"],
  // Operator and benchmark tables tenant pages read.
  ...Object.fromEntries(
    [
      "studies",
      "classes",
      "areas",
      "questions",
      "shoppers",
      "coaching_products",
      "coach_slots",
      "benchmark_study",
      "benchmark_channel",
      "benchmark_class",
      "benchmark_class_channel",
      "benchmark_class_area",
      "benchmark_class_question",
      "benchmark_ranking",
      "benchmark_class_wait",
    ].map((table) => [table, ["SELECT"]]),
  ),
};

describe("the grants, from the catalogue", () => {
  it("are exactly the expected ones, per table and per column; the role executes only the invoice confirmation", async () => {
    const rows = (r: unknown) => ((r as { rows?: unknown[] }).rows ?? r) as { t: string; p: string; c: string | null }[];
    const table = rows(
      await database.db.execute(sql`
        select table_name as t, privilege_type as p, null as c from information_schema.role_table_grants
        where grantee = 'innsikt_tenant' and table_schema = 'public'`),
    );
    const column = rows(
      await database.db.execute(sql`
        select table_name as t, privilege_type as p, string_agg(column_name, ',' order by column_name) as c
        from information_schema.column_privileges where grantee = 'innsikt_tenant' and table_schema = 'public'
        group by table_name, privilege_type`),
    );
    const granted: Record<string, string[]> = {};
    for (const g of table) (granted[g.t] ??= []).push(g.p);
    for (const g of column) if (!granted[g.t]?.includes(g.p)) (granted[g.t] ??= []).push(`${g.p}(${g.c})`);
    for (const list of Object.values(granted)) list.sort();
    expect(granted).toEqual(Object.fromEntries(Object.entries(EXPECTED_GRANTS).map(([t, p]) => [t, [...p].sort()])));

    const functions = rows(
      await database.db.execute(sql`
        select p.proname as t, '' as p, null as c from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'public' and has_function_privilege('innsikt_tenant', p.oid, 'EXECUTE')`),
    );
    expect(functions.map((f) => f.t)).toEqual(["innsikt_confirm_invoice_booking"]);
  });
});

describe("the narrow path that remains", () => {
  it("confirms the company's own held invoice booking once, with its payment and its two mails (rendered at delivery)", async () => {
    await withTenant(database.db, a.tenantId, ({ tx }) => tx.execute(sql`select innsikt_confirm_invoice_booking(${a.heldId}::uuid)`));
    const [after] = await database.db.select().from(s.bookings).where(eq(s.bookings.id, a.heldId));
    expect(after).toMatchObject({ status: "confirmed", heldUntil: null });
    expect(await database.db.select().from(s.payments).where(eq(s.payments.bookingId, a.heldId))).toMatchObject([{ method: "invoice", amountOre: 100_000, status: "to_invoice" }]);
    const mails = (await database.db.select().from(s.emailOutbox)).filter((m) => (m.params as { bookingId?: string } | null)?.bookingId === a.heldId);
    expect(mails.map((m) => [m.template, (m.params as { recipient: string }).recipient, m.subject])).toEqual([
      ["booking.confirmed", "booker", null],
      ["booking.confirmed", "coach", null],
    ]);
    expect(await asA(sql`select innsikt_confirm_invoice_booking(${a.heldId}::uuid)`)).toMatchObject(refused);
  });
});
