// Fair use of coaching slots (issue 12, point 8): a company may hold or book only so many
// open bookings (future, held or confirmed); staff set the default on /staff/coaching, and a
// company may have its own. The bookings trigger of migration 0009 decides, in the booking's
// transaction, so parallel requests of one company cannot slip past it together.
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "#db/client.server";
import * as s from "#db/schema";
import { createCoach, createProduct, createSlot } from "~/models/coaching/coaching-offer.server";
import { createTestDatabase } from "../support/db";
import { addMember, createStudy, createTenant, createUser, signedInCookie } from "../support/factories";
import { startTestServer, type TestServer } from "../support/server";

const HOUR = 3600_000;
let database: Database;
let server: TestServer;
let staffCookie: string;
let staffId: string;
let coachId: number;
let productId: number;
let study: Awaited<ReturnType<typeof createStudy>>;
let slotOffsetHours = 100;

async function newSlot() {
  const start = new Date(Date.now() + (slotOffsetHours += 2) * HOUR);
  start.setUTCMinutes(0, 0, 0);
  return (await createSlot(database.db, { coachId, startsAt: start, endsAt: new Date(start.getTime() + HOUR), actorUserId: null })).id;
}

async function newCompany() {
  const tenant = await createTenant(database.db, study);
  const lead = await createUser(database.db);
  await addMember(database.db, tenant.tenantId, lead.id, "teamlead");
  return { tenantId: tenant.tenantId, code: tenant.code, cookie: await signedInCookie(database.db, lead.id) };
}

const book = (cookie: string, slotId: number) =>
  server.fetch("/company/coaching/book", { cookie, form: { productId: String(productId), slotId: String(slotId), focus: "", method: "invoice" } });

const openBookings = async (tenantId: string) =>
  (await database.db.select().from(s.bookings).where(eq(s.bookings.tenantId, tenantId))).filter((b) => b.status === "held" || b.status === "confirmed");

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  const staff = await createUser(database.db, { isStaff: true });
  staffId = staff.id;
  staffCookie = await signedInCookie(database.db, staff.id);
  study = await createStudy(database.db);
  coachId = (await createCoach(database.db, { name: "Kari Åsheim", email: "kari@cap.example", bio: "", languages: ["nb"], actorUserId: null })).id;
  productId = (
    await createProduct(database.db, { nameNb: "Oppfølging", nameEn: "Follow-up", descriptionNb: "", descriptionEn: "", priceOre: 100_000, durationMinutes: 60, format: "video", actorUserId: null })
  ).id;
}, 180_000);

afterAll(async () => {
  await server?.close();
  await database?.close();
});

describe("the cap on a company's open coaching bookings", () => {
  it("staff set the default on the coaching page (audited); a nonsense value is refused", async () => {
    const page = await (await server.fetch("/staff/coaching", { cookie: staffCookie })).text();
    expect(page).toContain("Åpne bestillinger per selskap");
    expect(page).toMatch(/name="cap"[^>]*value="3"|value="3"[^>]*name="cap"/);
    for (const cap of ["-1", "2.5", "tre", "1001", ""]) {
      const refused = await server.fetch("/staff/coaching", { cookie: staffCookie, form: { intent: "booking-cap", cap } });
      expect(refused.status, cap).toBe(400);
      expect(await refused.text()).toContain("Skriv et helt tall fra 0 til 1000");
    }
    const saved = await server.fetch("/staff/coaching", { cookie: staffCookie, form: { intent: "booking-cap", cap: "3" } });
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain("Grensen er lagret");
    const audit = await database.db.select().from(s.auditEvents).where(eq(s.auditEvents.action, "coaching.cap.default"));
    expect(audit).toMatchObject([{ actorUserId: staffId, details: { from: 3, to: 3 } }]);
    // Only staff.
    const company = await newCompany();
    expect((await server.fetch("/staff/coaching", { cookie: company.cookie, form: { intent: "booking-cap", cap: "100" } })).status).toBe(403);
  });

  it("20 parallel booking requests of one company with a cap of 3: exactly 3 succeed, 17 get a clear 409 and no hold", async () => {
    const company = await newCompany();
    const slots = await Promise.all(Array.from({ length: 20 }, () => newSlot()));
    const responses = await Promise.all(slots.map((slotId) => book(company.cookie, slotId)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((st) => st === 302)).toHaveLength(3);
    expect(statuses.filter((st) => st === 409)).toHaveLength(17);
    const html = await responses.find((r) => r.status === 409)!.text();
    expect(html).toContain("Selskapet har nådd grensen for åpne coachingbestillinger");
    expect(html).toContain('role="alert"');
    expect(await openBookings(company.tenantId)).toHaveLength(3);
    // No hold, no expired leftover: the refused requests wrote nothing.
    expect(await database.db.select().from(s.bookings).where(inArray(s.bookings.slotId, slots))).toHaveLength(3);
  });

  it("counts only future open bookings: a cancelled one frees a place; another company is not affected", async () => {
    const company = await newCompany();
    for (let i = 0; i < 3; i++) expect((await book(company.cookie, await newSlot())).status).toBe(302);
    expect((await book(company.cookie, await newSlot())).status).toBe(409);
    const other = await newCompany();
    expect((await book(other.cookie, await newSlot())).status).toBe(302);

    const [first] = await openBookings(company.tenantId);
    const cancelled = await server.fetch(`/company/coaching/bookings/${first!.id}`, { cookie: company.cookie, form: { intent: "cancel" } });
    expect(cancelled.status).toBe(200);
    expect((await book(company.cookie, await newSlot())).status).toBe(302);
    expect(await openBookings(company.tenantId)).toHaveLength(3);
  });

  it("a company's own cap, set on the staff company page, overrides the default in both directions (audited); empty restores it", async () => {
    const setCap = (code: string, cap: string) => server.fetch(`/staff/companies/${code}`, { cookie: staffCookie, form: { intent: "booking-cap", cap } });
    const strict = await newCompany();
    for (const cap of ["-1", "1.5", "mange", "1001"]) expect((await setCap(strict.code, cap)).status, cap).toBe(400);
    const saved = await setCap(strict.code, "0");
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain("Grensen er lagret");
    expect((await book(strict.cookie, await newSlot())).status).toBe(409);
    expect(await openBookings(strict.tenantId)).toHaveLength(0);

    const generous = await newCompany();
    expect((await setCap(generous.code, "5")).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await book(generous.cookie, await newSlot())).status).toBe(302);
    expect((await book(generous.cookie, await newSlot())).status).toBe(409);
    expect((await setCap(strict.code, "")).status).toBe(200);
    expect((await book(strict.cookie, await newSlot())).status).toBe(302);

    const audit = await database.db.select().from(s.auditEvents).where(eq(s.auditEvents.action, "coaching.cap.company"));
    expect(audit.map((a) => [a.participantId, a.actorUserId, (a.details as { to: number | null }).to])).toEqual([
      [strict.tenantId, staffId, 0],
      [generous.tenantId, staffId, 5],
      [strict.tenantId, staffId, null],
    ]);
    // Only staff.
    expect((await server.fetch(`/staff/companies/${strict.code}`, { cookie: strict.cookie, form: { intent: "booking-cap", cap: "100" } })).status).toBe(403);
  });
});
