// Booking coaching (issue 5, item 3): one booking per slot under concurrency, invoice
// confirmed at once, card confirmed only by a verified webhook (the real Stripe SDK against
// a local stand-in; events signed with the SDK's test helper), expiry frees the slot,
// cancellation with refund, e-mails with a calendar invitation, and no company reaching
// another's bookings.
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "#db/client.server";
import * as s from "#db/schema";
import { listBookableSlots, sweepHeldBookings } from "~/models/coaching/booking.server";
import { createCoach, createProduct, createSlot, setDefaultBookingCap } from "~/models/coaching/coaching-offer.server";
import { renderOutboxMessage } from "~/mail/outbox.server";
import { stripeSetup } from "~/models/coaching/stripe.server";
import { createTestDatabase } from "../support/db";
import { addMember, createStudy, createTenant, createUser, signedInCookie } from "../support/factories";
import { startTestServer, type TestServer } from "../support/server";
import { startStripeStandin, type StripeStandin } from "../support/stripe-standin";

const WEBHOOK_SECRET = "whsec_test_innsikt";
const HOUR = 3600_000;

let database: Database;
let server: TestServer;
let stripe: StripeStandin;
let staffCookie: string;
let coachId: number;
let productId: number;
const companies: { tenantId: string; name: string; teamlead: string; viewer: string; userId: string }[] = [];
let slotOffsetHours = 100;

function enableStripe() {
  process.env.STRIPE_SECRET_KEY = "sk_test_innsikt";
  process.env.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET;
  process.env.STRIPE_API_URL = stripe.url;
}
function disableStripe() {
  delete process.env.STRIPE_SECRET_KEY;
  delete process.env.STRIPE_WEBHOOK_SECRET;
}

/** A fresh free slot `hoursAhead` from now (each test gets its own). */
async function newSlot(hoursAhead?: number) {
  const start = new Date(Date.now() + (hoursAhead ?? (slotOffsetHours += 2)) * HOUR);
  start.setUTCMinutes(0, 0, 0);
  const slot = await createSlot(database.db, { coachId, startsAt: start, endsAt: new Date(start.getTime() + HOUR), actorUserId: null });
  return slot.id;
}

const book = (cookie: string, form: Record<string, string>) => server.fetch("/company/coaching/book", { cookie, form });

async function bookingsOfSlot(slotId: number) {
  return database.db.select().from(s.bookings).where(eq(s.bookings.slotId, slotId));
}

/** Queued mails, each as it would be sent (booking mails are rendered at delivery). */
async function rendered(rows: (typeof s.emailOutbox.$inferSelect)[]) {
  return Promise.all(rows.map(async (m) => ({ ...m, ...(await renderOutboxMessage(database.db, m)) })));
}

async function outboxTo(addresses: string[]) {
  return rendered(await database.db.select().from(s.emailOutbox).where(inArray(s.emailOutbox.toAddress, addresses)));
}

/** The mails queued for one booking (to booker and coach). */
async function mailsOf(bookingId: string) {
  return rendered((await database.db.select().from(s.emailOutbox)).filter((m) => (m.params as { bookingId?: string } | null)?.bookingId === bookingId));
}

function deliver(payload: string, signature: string | null) {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (signature !== null) headers["Stripe-Signature"] = signature;
  return fetch(`${server.origin}/webhooks/stripe`, { method: "POST", headers, body: payload });
}

beforeAll(async () => {
  database = await createTestDatabase();
  stripe = await startStripeStandin();
  server = await startTestServer(database);
  staffCookie = await signedInCookie(database.db, (await createUser(database.db, { isStaff: true })).id);
  const study = await createStudy(database.db);
  for (let i = 0; i < 21; i++) {
    const tenant = await createTenant(database.db, study, { name: `Bedrift ${i} Ærlig Øl` });
    const lead = await createUser(database.db);
    await addMember(database.db, tenant.tenantId, lead.id, "teamlead");
    const viewer = await createUser(database.db);
    await addMember(database.db, tenant.tenantId, viewer.id, "viewer");
    companies.push({
      tenantId: tenant.tenantId,
      name: `Bedrift ${i}`,
      teamlead: await signedInCookie(database.db, lead.id),
      viewer: await signedInCookie(database.db, viewer.id),
      userId: lead.id,
    });
  }
  // These tests are about booking itself; the fair-use cap has its own (coaching-cap.test.ts).
  await setDefaultBookingCap(database.db, { cap: 100, actorUserId: null });
  coachId = (await createCoach(database.db, { name: "Kari Åsheim", email: "kari@coach.example", bio: "Coach", languages: ["nb"], actorUserId: null })).id;
  productId = (
    await createProduct(database.db, {
      nameNb: "Oppfølging av resultatene",
      nameEn: "Results follow-up",
      descriptionNb: "",
      descriptionEn: "",
      priceOre: 490_000,
      durationMinutes: 60,
      format: "video",
      actorUserId: null,
    })
  ).id;
}, 180_000);

afterAll(async () => {
  disableStripe();
  delete process.env.STRIPE_API_URL;
  await server?.close();
  await stripe?.close();
  await database?.close();
});

beforeEach(() => enableStripe());

describe("booking by invoice", () => {
  it("confirms at once, records the invoice, and e-mails booker and coach a calendar invitation", async () => {
    const slotId = await newSlot();
    const [a] = companies;
    const response = await book(a!.teamlead, { productId: String(productId), slotId: String(slotId), focus: "Svartid i chat – «kø»", method: "invoice" });
    expect(response.status).toBe(302);
    const location = response.headers.get("location")!;
    expect(location).toMatch(/^\/company\/coaching\/bookings\/[0-9a-f-]{36}\?booked=1$/);

    const [booking] = await bookingsOfSlot(slotId);
    expect(booking).toMatchObject({ tenantId: a!.tenantId, status: "confirmed", paymentMethod: "invoice", focus: "Svartid i chat – «kø»" });
    const payments = await database.db.select().from(s.payments).where(eq(s.payments.bookingId, booking!.id));
    expect(payments).toMatchObject([{ method: "invoice", amountOre: 490_000, status: "to_invoice" }]);

    const [lead] = await database.db.select().from(s.users).where(eq(s.users.id, a!.userId));
    const mails = await outboxTo([lead!.email]);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain("Bekreftet");
    expect(mails[0]!.ics).toContain("METHOD:REQUEST");
    expect(mails[0]!.ics).toContain(`UID:booking-${booking!.id}@`);
    const coachMails = (await outboxTo(["kari@coach.example"])).filter((m) => m.ics?.includes(booking!.id));
    expect(coachMails).toHaveLength(1);

    const page = await server.fetch(location, { cookie: a!.teamlead });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Timen er bekreftet");
    expect(html).toContain("Svartid i chat – «kø»");

    const staffPage = await server.fetch("/staff/bookings?show=to-invoice", { cookie: staffCookie });
    expect(staffPage.status).toBe(200);
    expect(await staffPage.text()).toContain("Svartid i chat – «kø»");
  });

  it("writes the mails as templates, rendered in each recipient's language: English for an English-speaking booker", async () => {
    const company = companies[12]!;
    await database.db.update(s.users).set({ locale: "en" }).where(eq(s.users.id, company.userId));
    const slotId = await newSlot();
    expect((await book(company.teamlead, { productId: String(productId), slotId: String(slotId), focus: "", method: "invoice" })).status).toBe(302);
    const [booking] = await bookingsOfSlot(slotId);
    // Queued: a template key and its parameters, no text of the request's making.
    const queued = (await database.db.select().from(s.emailOutbox)).filter((m) => (m.params as { bookingId?: string } | null)?.bookingId === booking!.id);
    expect(queued.map((m) => [m.template, m.subject, m.textBody])).toEqual([
      ["booking.confirmed", null, null],
      ["booking.confirmed", null, null],
    ]);
    const mails = await mailsOf(booking!.id);
    const booker = mails.find((m) => (m.params as { recipient: string }).recipient === "booker")!;
    const coach = mails.find((m) => (m.params as { recipient: string }).recipient === "coach")!;
    expect(booker.subject).toMatch(/^Confirmed: Results follow-up /);
    expect(booker.text).toContain("Payment: invoice");
    expect(coach.subject).toMatch(/^Bekreftet: Oppfølging av resultatene /);
    expect(coach.toAddress).toBe("kari@coach.example");
  });

  it("sells a slot once: 20 companies booking it at the same moment get one booking and 19 clear refusals", async () => {
    const slotId = await newSlot();
    const responses = await Promise.all(
      companies.slice(0, 20).map((c, i) => book(c.teamlead, { productId: String(productId), slotId: String(slotId), focus: "", method: i % 2 === 0 ? "invoice" : "card" })),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((st) => st === 302)).toHaveLength(1);
    expect(statuses.filter((st) => st === 409)).toHaveLength(19);
    const refused = await responses.find((r) => r.status === 409)!.text();
    expect(refused).toContain("Noen andre bestilte denne tiden");
    const active = (await bookingsOfSlot(slotId)).filter((b) => b.status === "held" || b.status === "confirmed");
    expect(active).toHaveLength(1);
  });

  it("refuses a missing slot, a too-long focus and an unknown product with field errors, keeping the input", async () => {
    await newSlot(); // a free time, so that the form (not "nothing to book") is drawn
    const response = await book(companies[1]!.teamlead, { productId: "999999", slotId: "", focus: "x".repeat(2001), method: "invoice" });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("Velg en ledig tid");
    expect(html).toContain("høyst 2000 tegn");
    // Without JavaScript too: a summary on top, each error beside its field and named by it.
    expect(html).toMatch(/<div id="book-summary" role="alert"/);
    expect(html).toMatch(/<fieldset id="book-slotId" aria-describedby="[^"]*\bbook-slotId-error"/);
    expect(html).toMatch(/<p id="book-slotId-error"[^>]*>Velg en ledig tid\.<\/p>/);
    expect(html).toMatch(/<textarea[^>]*>x{2001}<\/textarea>/);
    expect(html).toMatch(/<textarea[^>]*id="book-focus"[^>]*aria-invalid="true"|<textarea[^>]*aria-invalid="true"[^>]*id="book-focus"/);
  });

  it("answers a pack id that is not one (too long, a path, SQL) with a field error, never a server error", async () => {
    for (const exportId of ["x".repeat(200), "....//....//etc/passwd", "' OR 1=1 --"]) {
      const response = await book(companies[1]!.teamlead, { productId: String(productId), slotId: String(await newSlot()), focus: "", exportId, method: "invoice" });
      expect(response.status, exportId).toBe(400);
      expect(await response.text()).toContain("selskapets egne coachingpakker");
    }
  });

  it("gives viewers 403 and anonymous visitors a login redirect", async () => {
    expect((await server.fetch("/company/coaching/book", { cookie: companies[0]!.viewer })).status).toBe(403);
    expect((await book(companies[0]!.viewer, { productId: String(productId), slotId: "1", focus: "", method: "invoice" })).status).toBe(403);
    expect((await server.fetch("/company/coaching")).status).toBe(302);
    expect((await server.fetch("/staff/bookings", { cookie: companies[0]!.teamlead })).status).toBe(403);
  });
});

describe("booking by card", () => {
  async function cardBooking(company = companies[2]!, hoursAhead?: number) {
    const slotId = await newSlot(hoursAhead);
    const response = await book(company.teamlead, { productId: String(productId), slotId: String(slotId), focus: "Kort", method: "card" });
    expect(response.status).toBe(302);
    const checkout = response.headers.get("location")!;
    expect(checkout.startsWith(`${stripe.url}/pay/cs_test_`)).toBe(true);
    const sessionId = checkout.split("/pay/")[1]!;
    const [booking] = await bookingsOfSlot(slotId);
    return { slotId, sessionId, booking: booking! };
  }

  it("holds the slot and opens a checkout for the product's price; the page hides nothing it should show", async () => {
    const { sessionId, booking } = await cardBooking();
    expect(booking).toMatchObject({ status: "held", paymentMethod: "card", stripeCheckoutSessionId: sessionId });
    expect(booking.heldUntil!.getTime()).toBeGreaterThan(Date.now() + 30 * 60_000);
    const session = stripe.sessions.get(sessionId)!;
    expect(session).toMatchObject({ amount_total: 490_000, currency: "nok", mode: "payment", client_reference_id: booking.id });
    expect(session.metadata).toEqual({ bookingId: booking.id, tenantId: booking.tenantId });
    expect(session.success_url).toContain(`/company/coaching/bookings/${booking.id}`);
  });

  it("confirms once when the same completed event arrives three times, out of order with a stale expired event", async () => {
    const { sessionId, booking } = await cardBooking();
    const paid = stripe.complete(sessionId);
    const completed = stripe.event("checkout.session.completed", paid, WEBHOOK_SECRET);
    const staleExpired = stripe.event("checkout.session.expired", { ...paid, status: "expired", payment_status: "unpaid" }, WEBHOOK_SECRET);

    const first = await deliver(completed.payload, completed.signature);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ received: true, handled: "confirmed" });
    expect((await deliver(staleExpired.payload, staleExpired.signature)).status).toBe(200);
    const again = await Promise.all([deliver(completed.payload, completed.signature), deliver(completed.payload, completed.signature)]);
    expect(again.map((r) => r.status)).toEqual([200, 200]);
    expect(await Promise.all(again.map((r) => r.json()))).toEqual([
      { received: true, handled: "duplicate" },
      { received: true, handled: "duplicate" },
    ]);

    const [after] = await database.db.select().from(s.bookings).where(eq(s.bookings.id, booking.id));
    expect(after!.status).toBe("confirmed");
    const payments = await database.db.select().from(s.payments).where(eq(s.payments.bookingId, booking.id));
    expect(payments).toMatchObject([{ method: "card", status: "paid", amountOre: 490_000, stripePaymentIntentId: paid.payment_intent }]);
    const mails = await mailsOf(booking.id);
    expect(mails).toHaveLength(2);
    expect(mails.every((m) => m.ics?.includes(`booking-${booking.id}@`))).toBe(true);
  });

  it("rejects a bad signature, a stale timestamp and a missing header with 400 and changes nothing", async () => {
    const { sessionId, booking } = await cardBooking();
    const paid = stripe.complete(sessionId);
    const eventsBefore = await database.db.select().from(s.stripeEvents);

    const forged = stripe.event("checkout.session.completed", paid, "whsec_wrong");
    const stale = stripe.event("checkout.session.completed", paid, WEBHOOK_SECRET, { timestamp: Math.floor(Date.now() / 1000) - 10 * 60 });
    const good = stripe.event("checkout.session.completed", paid, WEBHOOK_SECRET);
    const tampered = good.payload.replace('"paid"', '"paid" ');
    for (const [payload, signature] of [
      [forged.payload, forged.signature],
      [stale.payload, stale.signature],
      [good.payload, null],
      [tampered, good.signature],
    ] as const) {
      const response = await deliver(payload, signature);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain("Invalid Stripe signature");
    }
    expect(await database.db.select().from(s.stripeEvents)).toHaveLength(eventsBefore.length);
    const [after] = await database.db.select().from(s.bookings).where(eq(s.bookings.id, booking.id));
    expect(after!.status).toBe("held");
  });

  it("frees the slot when the checkout expires, so another company can book it", async () => {
    const { slotId, sessionId, booking } = await cardBooking();
    expect((await listBookableSlots(database.db)).some((slot) => slot.id === slotId)).toBe(false);
    const expired = stripe.event("checkout.session.expired", stripe.expire(sessionId), WEBHOOK_SECRET);
    const response = await deliver(expired.payload, expired.signature);
    expect(await response.json()).toEqual({ received: true, handled: "released" });
    const [after] = await database.db.select().from(s.bookings).where(eq(s.bookings.id, booking.id));
    expect(after!.status).toBe("expired");
    expect((await listBookableSlots(database.db)).some((slot) => slot.id === slotId)).toBe(true);
    const other = await book(companies[3]!.teamlead, { productId: String(productId), slotId: String(slotId), focus: "", method: "invoice" });
    expect(other.status).toBe(302);
  });

  it("sweeps holds whose webhook never came: an open checkout is expired at Stripe, a paid one confirmed", async () => {
    const open = await cardBooking();
    const paid = await cardBooking();
    stripe.complete(paid.sessionId);
    const later = new Date(Date.now() + 40 * 60_000);
    const outcome = await sweepHeldBookings(database.db, stripeSetup(), later);
    expect(outcome.confirmed).toBeGreaterThanOrEqual(1);
    expect(outcome.released).toBeGreaterThanOrEqual(1);
    expect(stripe.sessions.get(open.sessionId)!.status).toBe("expired");
    const rows = await database.db.select().from(s.bookings).where(inArray(s.bookings.id, [open.booking.id, paid.booking.id]));
    expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({ [open.booking.id]: "expired", [paid.booking.id]: "confirmed" });
  });

  it("releases the hold and says so when Stripe cannot open a checkout", async () => {
    const slotId = await newSlot();
    stripe.failNext(3);
    const response = await book(companies[4]!.teamlead, { productId: String(productId), slotId: String(slotId), focus: "", method: "card" });
    expect(response.status).toBe(502);
    expect(await response.text()).toContain("Kortbetalingen kunne ikke startes");
    expect((await bookingsOfSlot(slotId)).map((b) => b.status)).toEqual(["expired"]);
  });

  it("without Stripe keys hides the card option and refuses card bookings", async () => {
    disableStripe();
    const page = await server.fetch("/company/coaching/book", { cookie: companies[5]!.teamlead });
    const html = await page.text();
    expect(html).toContain('value="invoice"');
    expect(html).not.toContain('value="card"');
    const slotId = await newSlot();
    const response = await book(companies[5]!.teamlead, { productId: String(productId), slotId: String(slotId), focus: "", method: "card" });
    expect(response.status).toBe(400);
    expect(await bookingsOfSlot(slotId)).toHaveLength(0);
    const hook = await deliver("{}", "t=1,v1=x");
    expect(hook.status).toBe(404);
  });
});

describe("cancellation", () => {
  async function paidCardBooking(company: (typeof companies)[number], hoursAhead?: number) {
    const slotId = await newSlot(hoursAhead);
    const response = await book(company.teamlead, { productId: String(productId), slotId: String(slotId), focus: "", method: "card" });
    const sessionId = response.headers.get("location")!.split("/pay/")[1]!;
    const paid = stripe.complete(sessionId);
    const event = stripe.event("checkout.session.completed", paid, WEBHOOK_SECRET);
    expect((await deliver(event.payload, event.signature)).status).toBe(200);
    const [booking] = await bookingsOfSlot(slotId);
    return { booking: booking!, paid, slotId };
  }

  it("lets the company cancel 48 hours or more before, refunds the card through Stripe and sends a CANCEL invitation", async () => {
    const company = companies[6]!;
    const { booking, paid, slotId } = await paidCardBooking(company);
    const response = await server.fetch(`/company/coaching/bookings/${booking.id}`, { cookie: company.teamlead, form: { intent: "cancel" } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Timen er avbestilt");
    expect(stripe.refunds.filter((r) => r.payment_intent === paid.payment_intent)).toHaveLength(1);
    const [after] = await database.db.select().from(s.bookings).where(eq(s.bookings.id, booking.id));
    expect(after).toMatchObject({ status: "cancelled", cancelledBy: company.userId });
    expect((await database.db.select().from(s.payments).where(eq(s.payments.bookingId, booking.id)))[0]).toMatchObject({ status: "refunded" });
    const cancelMails = (await mailsOf(booking.id)).filter((m) => m.ics?.includes(`booking-${booking.id}@`) && m.ics.includes("METHOD:CANCEL"));
    expect(cancelMails).toHaveLength(2);
    expect((await listBookableSlots(database.db)).some((slot) => slot.id === slotId)).toBe(true);
  });

  it("refuses a company cancellation under 48 hours before; staff can still cancel, with refund", async () => {
    const company = companies[7]!;
    const { booking, paid } = await paidCardBooking(company, 30);
    const refused = await server.fetch(`/company/coaching/bookings/${booking.id}`, { cookie: company.teamlead, form: { intent: "cancel" } });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("mindre enn 48 timer");
    expect((await database.db.select().from(s.bookings).where(eq(s.bookings.id, booking.id)))[0]!.status).toBe("confirmed");

    const byStaff = await server.fetch("/staff/bookings", { cookie: staffCookie, form: { intent: "cancel", tenantId: company.tenantId, bookingId: booking.id } });
    expect(byStaff.status).toBe(200);
    expect((await database.db.select().from(s.bookings).where(eq(s.bookings.id, booking.id)))[0]!.status).toBe("cancelled");
    expect(stripe.refunds.some((r) => r.payment_intent === paid.payment_intent)).toBe(true);
    const audit = await database.db.select().from(s.auditEvents).where(eq(s.auditEvents.action, "coaching.booking.cancel"));
    expect(audit.some((a) => (a.details as { bookingId?: string }).bookingId === booking.id)).toBe(true);
  });

  it("keeps the booking when the refund fails, and says so", async () => {
    const company = companies[8]!;
    const { booking } = await paidCardBooking(company);
    stripe.failNext(3);
    const response = await server.fetch(`/company/coaching/bookings/${booking.id}`, { cookie: company.teamlead, form: { intent: "cancel" } });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain("Refusjonen hos Stripe feilet");
    expect((await database.db.select().from(s.bookings).where(eq(s.bookings.id, booking.id)))[0]!.status).toBe("confirmed");
  });

  it("lets staff mark an invoice booking invoiced", async () => {
    const company = companies[9]!;
    const slotId = await newSlot();
    await book(company.teamlead, { productId: String(productId), slotId: String(slotId), focus: "", method: "invoice" });
    const [booking] = await bookingsOfSlot(slotId);
    const response = await server.fetch("/staff/bookings", { cookie: staffCookie, form: { intent: "invoiced", tenantId: company.tenantId, bookingId: booking!.id } });
    expect(response.status).toBe(200);
    const [after] = await database.db.select().from(s.bookings).where(eq(s.bookings.id, booking!.id));
    expect(after!.invoicedAt).not.toBeNull();
    const list = await (await server.fetch("/staff/bookings?show=to-invoice", { cookie: staffCookie })).text();
    expect(list).not.toContain(`value="${booking!.id}"`);
  });
});

describe("tenant isolation of bookings", () => {
  it("never shows, cancels or attaches another company's booking or pack, by URL or by form field", async () => {
    const owner = companies[10]!;
    const intruder = companies[11]!;
    const canary = `CANARY-BOOKING-${owner.tenantId}`;
    const slotId = await newSlot();
    await book(owner.teamlead, { productId: String(productId), slotId: String(slotId), focus: canary, method: "invoice" });
    const [booking] = await bookingsOfSlot(slotId);
    const [exportRow] = await database.db
      .insert(s.coachingExports)
      .values({ tenantId: owner.tenantId, studyId: (await database.db.select().from(s.studies))[0]!.id, format: "pdf", selection: {}, fileName: `${canary}.pdf`, status: "ready", content: Buffer.from(canary), expiresAt: new Date(Date.now() + 86_400_000) })
      .returning();

    for (const path of [`/company/coaching/bookings/${booking!.id}`, `/company/coaching/packs/${exportRow!.id}`, `/company/coaching/packs/${exportRow!.id}/download`]) {
      const response = await server.fetch(path, { cookie: intruder.teamlead });
      expect(response.status, path).toBe(404);
      expect(await response.text()).not.toContain(canary);
    }
    const hub = await (await server.fetch("/company/coaching", { cookie: intruder.teamlead })).text();
    expect(hub).not.toContain(canary);
    expect(hub).not.toContain(booking!.id);

    const cancel = await server.fetch(`/company/coaching/bookings/${booking!.id}`, { cookie: intruder.teamlead, form: { intent: "cancel" } });
    expect(cancel.status).toBe(404);
    const [still] = await database.db.select().from(s.bookings).where(and(eq(s.bookings.id, booking!.id)));
    expect(still!.status).toBe("confirmed");

    const attach = await book(intruder.teamlead, { productId: String(productId), slotId: String(await newSlot()), focus: "", exportId: exportRow!.id, method: "invoice" });
    expect(attach.status).toBe(400);
    expect(await attach.text()).toContain("selskapets egne coachingpakker");

    // A staff form field naming the wrong tenant finds nothing.
    const wrongTenant = await server.fetch("/staff/bookings", { cookie: staffCookie, form: { intent: "cancel", tenantId: intruder.tenantId, bookingId: booking!.id } });
    expect(wrongTenant.status).toBe(404);
    expect((await database.db.select().from(s.bookings).where(eq(s.bookings.id, booking!.id)))[0]!.status).toBe("confirmed");
  });
});
