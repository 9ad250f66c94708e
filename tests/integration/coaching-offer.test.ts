// The staff's coaching offer (issue 5, item 2): coaches, products and slots in Norwegian
// time, with clear refusals and no access for companies.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "#db/client.server";
import * as s from "#db/schema";
import { formatNumber } from "~/domain/format";
import { createTestDatabase } from "../support/db";
import { addMember, createStudy, createTenant, createUser, signedInCookie } from "../support/factories";
import { startTestServer, type TestServer } from "../support/server";

let database: Database;
let server: TestServer;
let staff: string;
let member: string;
const next = new Date().getFullYear() + 1;
/** The night Norway moves to summer time (02:00 → 03:00), as YYYY-MM-DD. */
const lastSundayOfMarch = (year: number) => `${year}-03-${31 - new Date(Date.UTC(year, 2, 31)).getUTCDay()}`;

const cookieOf = (userId: string) => signedInCookie(database.db, userId);

beforeAll(async () => {
  database = await createTestDatabase();
  staff = await cookieOf((await createUser(database.db, { isStaff: true })).id);
  const tenant = await createTenant(database.db, await createStudy(database.db));
  const user = await createUser(database.db);
  await addMember(database.db, tenant.tenantId, user.id, "manager");
  member = await cookieOf(user.id);
  server = await startTestServer(database);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await database?.close();
});

const post = (form: Record<string, string>, cookie = staff) => server.fetch("/staff/coaching", { form, cookie });

describe("coaching offer", () => {
  it("creates a coach and a product with a price in kroner incl. VAT", async () => {
    const coach = await server.fetch("/staff/coaching", { method: "POST", cookie: staff, body: new URLSearchParams([["intent", "coach"], ["name", "Kari Coach"], ["email", "kari@coach.example"], ["bio", "Tjue år i kundeservice."], ["languages", "nb"], ["languages", "en"]]) , headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    expect(coach.status).toBe(200);
    const [row] = await database.db.select().from(s.coaches);
    expect(row).toMatchObject({ name: "Kari Coach", languages: ["nb", "en"] });
    const product = await post({ intent: "product", nameNb: "Oppfølging av resultatene", nameEn: "Results follow-up", descriptionNb: "", descriptionEn: "", price: "4990,50", durationMinutes: "60", format: "video" });
    expect(product.status).toBe(200);
    const [p] = await database.db.select().from(s.coachingProducts);
    expect(p).toMatchObject({ priceOre: 499050, durationMinutes: 60, format: "video" });
    expect(await (await server.fetch("/staff/coaching", { cookie: staff })).text()).toContain(`kr ${formatNumber(4990.5, "nb", 2)}`);
  });

  it("stores slots entered in Norwegian time, winter and summer", async () => {
    const [coach] = await database.db.select().from(s.coaches);
    expect((await post({ intent: "slot", coachId: String(coach!.id), date: `${next}-01-15`, start: "09:00", end: "10:00" })).status).toBe(200);
    expect((await post({ intent: "slot", coachId: String(coach!.id), date: `${next}-06-15`, start: "09:00", end: "10:00" })).status).toBe(200);
    const slots = await database.db.select().from(s.coachSlots).where(eq(s.coachSlots.coachId, coach!.id)).orderBy(s.coachSlots.startsAt);
    expect(slots.map((x) => x.startsAt.toISOString())).toEqual([`${next}-01-15T08:00:00.000Z`, `${next}-06-15T07:00:00.000Z`]);
  });

  it("refuses overlapping, reversed, past and malformed input with a message, and keeps nothing of it", async () => {
    const [coach] = await database.db.select().from(s.coaches);
    const before = (await database.db.select().from(s.coachSlots)).length;
    const cases: [Record<string, string>, string][] = [
      [{ intent: "slot", coachId: String(coach!.id), date: `${next}-01-15`, start: "09:30", end: "10:30" }, "overlapper"],
      [{ intent: "slot", coachId: String(coach!.id), date: `${next}-01-16`, start: "11:00", end: "10:00" }, "etter starten"],
      [{ intent: "slot", coachId: String(coach!.id), date: "2001-01-16", start: "09:00", end: "10:00" }, "allerede vært"],
      [{ intent: "slot", coachId: String(coach!.id), date: "i morgen", start: "09:00", end: "10:00" }, "gyldig dato"],
      // 02:30 on the last Sunday of March does not exist in Oslo: refused, not stored as 03:30.
      [{ intent: "slot", coachId: String(coach!.id), date: lastSundayOfMarch(next), start: "02:30", end: "04:00" }, "finnes ikke i norsk tid"],
      [{ intent: "product", nameNb: "X", nameEn: "X", descriptionNb: "", descriptionEn: "", price: "-5", durationMinutes: "60", format: "video" }, "over 0 kroner"],
      [{ intent: "product", nameNb: "X", nameEn: "X", descriptionNb: "", descriptionEn: "", price: "100", durationMinutes: "5", format: "video" }, "fra 15 til 600"],
      [{ intent: "coach", name: "", email: "x@y.no", bio: "" }, "Fyll ut"],
    ];
    for (const [form, words] of cases) {
      const res = await post(form);
      expect({ form, status: res.status }).toEqual({ form, status: 400 });
      expect(await res.text()).toContain(words);
    }
    expect((await database.db.select().from(s.coachSlots)).length).toBe(before);
    expect((await database.db.select().from(s.coachingProducts)).length).toBe(1);
  });

  it("names every wrong field of a refused form at once, each beside its field", async () => {
    const res = await post({ intent: "product", nameNb: "", nameEn: "X", descriptionNb: "", descriptionEn: "", price: "-5", durationMinutes: "5", format: "video" });
    expect(res.status).toBe(400);
    const html = await res.text();
    for (const [field, words] of [["nameNb", "Fyll ut"], ["price", "over 0 kroner"], ["durationMinutes", "fra 15 til 600"]]) {
      expect(html, field).toMatch(new RegExp(`id="product-${field}-error"[^>]*>[^<]*${words}`));
    }
    // The other forms on the page are untouched by this reply.
    expect(html).not.toContain('id="coach-name-error"');
    expect(html).not.toContain('id="booking-cap-cap-error"');
  });

  it("deletes a free slot, and gives companies no access at all", async () => {
    const [slot] = await database.db.select().from(s.coachSlots).limit(1);
    expect((await server.fetch("/staff/coaching", { cookie: member })).status).toBe(403);
    expect((await post({ intent: "delete-slot", slotId: String(slot!.id) }, member)).status).toBe(403);
    expect((await post({ intent: "coach", name: "Snik", email: "s@s.no", bio: "", languages: "nb" }, member)).status).toBe(403);
    expect((await post({ intent: "delete-slot", slotId: String(slot!.id) })).status).toBe(200);
    expect((await post({ intent: "delete-slot", slotId: String(slot!.id) })).status).toBe(404);
    const actions = (await database.db.select({ action: s.auditEvents.action }).from(s.auditEvents)).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["coaching.coach.create", "coaching.product.create", "coaching.slot.create", "coaching.slot.delete"]));
    expect(actions.filter((a) => a === "coaching.coach.create")).toHaveLength(1);
  });
});
