// Booking the operator's coaches. A slot is sold once: the partial unique index
// bookings_one_active_per_slot (one held or confirmed booking per slot) decides, also
// between concurrent requests of different companies. An invoice booking is confirmed
// at once; a card booking is held while its Stripe Checkout session is open and is
// confirmed only by the verified webhook (./stripe-webhook.server.ts). Confirmation and
// cancellation e-mails, with a calendar invitation, are written to the outbox in the
// same transaction as the change they announce.
//
// The runtime role may only insert a fresh hold of its own company (its RLS insert
// policy) and confirm a held invoice booking through innsikt_confirm_invoice_booking (which
// also writes the payment row and the mails); every other change (a card hold's checkout
// session, its release, confirmation by the webhook or the sweep, cancellation by the company
// or staff) runs on the owner path and names the booking by its tenant and id
// (docs/decisions/006-least-privilege.md). A company may have only so many open bookings
// (set by staff, coaching-offer.server.ts); the bookings trigger of migration 0009 enforces
// it, also under concurrency.

import { and, asc, desc, eq, gt, lte, sql } from "drizzle-orm";
import type Stripe from "stripe";
import { isCheckViolation, isUniqueViolation, withTenant, type Db, type Executor, type TenantScope } from "#db/client.server";
import * as s from "#db/schema";
import { formatDateTime } from "~/domain/format";
import { env } from "~/env.server";
import { recordStaffAction, recordTenantAction } from "~/models/admin/audit.server";
import { enqueueBookingMail } from "./booking-mail.server";
import { isUuid } from "./coaching-exports.server";
import type { StripeSetup } from "./stripe.server";

/** A company may cancel up to this long before the session starts. */
export const COMPANY_CANCEL_BEFORE_MS = 48 * 3600_000;
/** A slot can be booked until this long before it starts. */
export const BOOKING_LEAD_MS = 24 * 3600_000;
/** Stripe Checkout's shortest lifetime; the hold lasts as long. */
export const CHECKOUT_LIFETIME_MS = 30 * 60_000 + 60_000;
/** After the checkout expired, the hold waits this long for a late webhook before the sweep asks Stripe. */
const HOLD_GRACE_MS = 5 * 60_000;

export type BookingStatus = "held" | "confirmed" | "cancelled" | "expired";
export type PaymentMethod = "card" | "invoice";

export class BookingError extends Error {
  constructor(
    readonly reason:
      | "slotTaken"
      | "capReached"
      | "slotUnknown"
      | "slotTooSoon"
      | "slotTooShort"
      | "productUnknown"
      | "exportUnknown"
      | "cardUnavailable"
      | "paymentFailed"
      | "tooLateToCancel"
      | "notCancellable"
      | "refundFailed",
  ) {
    super(reason);
    this.name = "BookingError";
  }
}

// ---------------------------------------------------------------------------------------
// What can be booked

export interface BookableSlot {
  id: number;
  startsAt: Date;
  endsAt: Date;
  coach: { id: number; name: string; bio: string; languages: string[] };
}

/**
 * Free future slots of active coaches (operator data; whether a slot is taken is read on
 * the owner path because the bookings of other companies are invisible to a tenant).
 */
export async function listBookableSlots(db: Db, now = new Date()): Promise<BookableSlot[]> {
  const rows = await db
    .select({
      id: s.coachSlots.id,
      startsAt: s.coachSlots.startsAt,
      endsAt: s.coachSlots.endsAt,
      coachId: s.coaches.id,
      coachName: s.coaches.name,
      bio: s.coaches.bio,
      languages: s.coaches.languages,
    })
    .from(s.coachSlots)
    .innerJoin(s.coaches, eq(s.coaches.id, s.coachSlots.coachId))
    .where(
      and(
        eq(s.coaches.active, 1),
        gt(s.coachSlots.startsAt, new Date(now.getTime() + BOOKING_LEAD_MS)),
        sql`not exists (select 1 from ${s.bookings} b where b.slot_id = ${s.coachSlots.id} and b.status in ('held', 'confirmed'))`,
      ),
    )
    .orderBy(asc(s.coachSlots.startsAt))
    .limit(500);
  return rows.map((r) => ({ id: r.id, startsAt: r.startsAt, endsAt: r.endsAt, coach: { id: r.coachId, name: r.coachName, bio: r.bio, languages: r.languages } }));
}

export async function listActiveProducts(db: Executor) {
  return db.select().from(s.coachingProducts).where(eq(s.coachingProducts.active, 1)).orderBy(asc(s.coachingProducts.priceOre));
}

// ---------------------------------------------------------------------------------------
// Booking

export interface BookingInput {
  tenantId: string;
  userId: string;
  userEmail: string;
  productId: number;
  slotId: number;
  focus: string;
  exportId: string | null;
  method: PaymentMethod;
}

/**
 * Books a slot. Invoice: confirmed at once, e-mails queued. Card: held, and a Stripe
 * Checkout session opened; the caller sends the user to `checkoutUrl`.
 */
export async function createBooking(
  db: Db,
  input: BookingInput,
  stripe: StripeSetup | null,
  now = new Date(),
): Promise<{ bookingId: string; status: BookingStatus; checkoutUrl: string | null }> {
  if (input.method === "card" && !stripe) throw new BookingError("cardUnavailable");
  const heldUntil = new Date(now.getTime() + CHECKOUT_LIFETIME_MS);

  const booked = await withTenant(db, input.tenantId, async ({ tx, tenantId }) => {
    const [product] = await tx.select().from(s.coachingProducts).where(and(eq(s.coachingProducts.id, input.productId), eq(s.coachingProducts.active, 1)));
    if (!product) throw new BookingError("productUnknown");
    const [slot] = await tx
      .select({ startsAt: s.coachSlots.startsAt, endsAt: s.coachSlots.endsAt })
      .from(s.coachSlots)
      .innerJoin(s.coaches, eq(s.coaches.id, s.coachSlots.coachId))
      .where(and(eq(s.coachSlots.id, input.slotId), eq(s.coaches.active, 1)));
    if (!slot) throw new BookingError("slotUnknown");
    if (slot.startsAt.getTime() < now.getTime() + BOOKING_LEAD_MS) throw new BookingError("slotTooSoon");
    if (slot.endsAt.getTime() - slot.startsAt.getTime() < product.durationMinutes * 60_000) throw new BookingError("slotTooShort");
    if (input.exportId !== null) {
      // Only the company's own exports (RLS hides the rest, so another company's id is unknown).
      const found = isUuid(input.exportId)
        ? await tx.select({ id: s.coachingExports.id }).from(s.coachingExports).where(and(eq(s.coachingExports.tenantId, tenantId), eq(s.coachingExports.id, input.exportId)))
        : [];
      if (found.length === 0) throw new BookingError("exportUnknown");
    }

    let bookingId: string;
    try {
      // A savepoint, so a lost race ends in a clear answer rather than an aborted transaction.
      bookingId = await tx.transaction(async (sp) => {
        const [row] = await sp
          .insert(s.bookings)
          .values({
            tenantId,
            slotId: input.slotId,
            productId: input.productId,
            bookedBy: input.userId,
            focus: input.focus,
            exportId: input.exportId,
            // Every booking starts as a hold (all the runtime role may insert); an invoice
            // booking is confirmed below in the same transaction.
            status: "held",
            paymentMethod: input.method,
            heldUntil: new Date(heldUntil.getTime() + HOLD_GRACE_MS),
          })
          .returning({ id: s.bookings.id });
        return row!.id;
      });
    } catch (error) {
      if (isUniqueViolation(error, "bookings_one_active_per_slot")) throw new BookingError("slotTaken");
      if (isCheckViolation(error, "bookings_open_per_company")) throw new BookingError("capReached");
      throw error;
    }

    await recordTenantAction(tx, tenantId, input.userId, {
      action: "coaching.booking.create",
      details: { bookingId, slotId: input.slotId, productId: input.productId, method: input.method },
    });
    // Confirmed, its payment row (to invoice) and its mails, by the one function allowed to.
    if (input.method === "invoice") await tx.execute(sql`select innsikt_confirm_invoice_booking(${bookingId}::uuid)`);
    return { bookingId, product, slot };
  });

  if (input.method === "invoice") return { bookingId: booked.bookingId, status: "confirmed", checkoutUrl: null };

  // Card: the hold is committed; now open the checkout. If Stripe refuses, the hold is released.
  const base = env().publicUrl;
  let session: Stripe.Checkout.Session;
  try {
    session = await stripe!.client.checkout.sessions.create(
      {
        mode: "payment",
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: "nok",
              unit_amount: booked.product.priceOre,
              tax_behavior: "inclusive",
              product_data: { name: `${booked.product.nameNb}, ${formatDateTime(booked.slot.startsAt, "nb")}` },
            },
          },
        ],
        customer_email: input.userEmail,
        client_reference_id: booked.bookingId,
        metadata: { bookingId: booked.bookingId, tenantId: input.tenantId },
        payment_intent_data: { metadata: { bookingId: booked.bookingId, tenantId: input.tenantId } },
        expires_at: Math.floor(heldUntil.getTime() / 1000),
        locale: "nb",
        success_url: `${base}/company/coaching/bookings/${booked.bookingId}?checkout=done`,
        cancel_url: `${base}/company/coaching/bookings/${booked.bookingId}?checkout=cancelled`,
      },
      { idempotencyKey: `checkout-${booked.bookingId}` },
    );
  } catch (error) {
    console.error(`Stripe Checkout for booking ${booked.bookingId} failed:`, (error as Error).message);
    // Owner path, named by the tenant and the booking this request has just created.
    await db
      .update(s.bookings)
      .set({ status: "expired", heldUntil: null })
      .where(and(eq(s.bookings.tenantId, input.tenantId), eq(s.bookings.id, booked.bookingId), eq(s.bookings.status, "held")));
    throw new BookingError("paymentFailed");
  }
  await db
    .update(s.bookings)
    .set({ stripeCheckoutSessionId: session.id })
    .where(and(eq(s.bookings.tenantId, input.tenantId), eq(s.bookings.id, booked.bookingId), sql`${s.bookings.stripeCheckoutSessionId} is null`));
  return { bookingId: booked.bookingId, status: "held", checkoutUrl: session.url };
}

// ---------------------------------------------------------------------------------------
// Confirming and releasing card holds (webhook and sweep; owner path)

/**
 * A paid checkout: confirms the booking once. When the hold had already lapsed and the
 * slot went to someone else meanwhile, the payment is refunded instead.
 */
export async function confirmPaidCheckout(
  tx: Executor,
  stripe: StripeSetup,
  session: { id: string; metadata: Record<string, string> | null; amount_total: number | null; payment_intent: string | { id: string } | null },
  now = new Date(),
): Promise<"confirmed" | "already" | "refunded" | "unknown"> {
  const tenantId = session.metadata?.tenantId;
  const bookingId = session.metadata?.bookingId;
  if (!tenantId || !bookingId || !isUuid(tenantId) || !isUuid(bookingId)) return "unknown";
  const [booking] = await tx
    .select()
    .from(s.bookings)
    .where(and(eq(s.bookings.tenantId, tenantId), eq(s.bookings.id, bookingId)))
    .for("update");
  if (!booking || (booking.stripeCheckoutSessionId !== null && booking.stripeCheckoutSessionId !== session.id)) return "unknown";
  if (booking.status === "confirmed") return "already";
  const paymentIntent = typeof session.payment_intent === "string" ? session.payment_intent : (session.payment_intent?.id ?? null);
  const [product] = await tx.select({ priceOre: s.coachingProducts.priceOre }).from(s.coachingProducts).where(eq(s.coachingProducts.id, booking.productId));
  const amountOre = session.amount_total ?? product?.priceOre ?? 0;

  if (booking.status === "cancelled") {
    // Cancelled while the customer was paying: give the money back.
    await refundCard(stripe, booking.id, paymentIntent);
    await tx.insert(s.payments).values({ tenantId, bookingId, method: "card", amountOre, stripePaymentIntentId: paymentIntent, status: "refunded", refundedAt: now });
    return "refunded";
  }
  try {
    await (tx as Db).transaction(async (sp) => {
      await sp
        .update(s.bookings)
        .set({ status: "confirmed", confirmedAt: now, heldUntil: null, stripeCheckoutSessionId: session.id })
        .where(and(eq(s.bookings.tenantId, tenantId), eq(s.bookings.id, bookingId)));
    });
  } catch (error) {
    if (!isUniqueViolation(error, "bookings_one_active_per_slot")) throw error;
    // The hold had lapsed and another company has the slot now.
    await refundCard(stripe, booking.id, paymentIntent);
    await tx.insert(s.payments).values({ tenantId, bookingId, method: "card", amountOre, stripePaymentIntentId: paymentIntent, status: "refunded", refundedAt: now });
    return "refunded";
  }
  await tx.insert(s.payments).values({ tenantId, bookingId, method: "card", amountOre, stripePaymentIntentId: paymentIntent, status: "paid" });
  await recordTenantAction(tx, tenantId, null, { action: "coaching.booking.paid", details: { bookingId, checkoutSession: session.id } });
  await enqueueBookingMail(tx, tenantId, bookingId, "confirmed");
  return "confirmed";
}

/** An expired or failed checkout: the held booking lapses and its slot is free again. */
export async function releaseCheckout(tx: Executor, session: { id: string; metadata: Record<string, string> | null }): Promise<boolean> {
  const tenantId = session.metadata?.tenantId;
  const bookingId = session.metadata?.bookingId;
  const byMetadata = tenantId && bookingId && isUuid(tenantId) && isUuid(bookingId);
  const released = await tx
    .update(s.bookings)
    .set({ status: "expired", heldUntil: null })
    .where(
      and(
        eq(s.bookings.status, "held"),
        byMetadata ? and(eq(s.bookings.tenantId, tenantId), eq(s.bookings.id, bookingId)) : eq(s.bookings.stripeCheckoutSessionId, session.id),
      ),
    )
    .returning({ id: s.bookings.id });
  return released.length > 0;
}

async function refundCard(stripe: StripeSetup, bookingId: string, paymentIntent: string | null) {
  if (!paymentIntent) throw new BookingError("refundFailed");
  try {
    await stripe.client.refunds.create({ payment_intent: paymentIntent, metadata: { bookingId } }, { idempotencyKey: `refund-${bookingId}` });
  } catch (error) {
    console.error(`Stripe refund for booking ${bookingId} failed:`, (error as Error).message);
    throw new BookingError("refundFailed");
  }
}

/**
 * Holds whose checkout has run out (the webhook may have been lost): asks Stripe what became
 * of each session, confirms the paid ones and releases the rest. Run by the `bookings.sweep` job every minute.
 */
export async function sweepHeldBookings(db: Db, stripe: StripeSetup | null, now = new Date()): Promise<{ confirmed: number; released: number }> {
  const due = await db
    .select({ tenantId: s.bookings.tenantId, id: s.bookings.id, sessionId: s.bookings.stripeCheckoutSessionId })
    .from(s.bookings)
    .where(and(eq(s.bookings.status, "held"), lte(s.bookings.heldUntil, now)))
    .limit(100);
  let confirmed = 0;
  let released = 0;
  for (const hold of due) {
    let session: Stripe.Checkout.Session | null = null;
    if (stripe && hold.sessionId) {
      try {
        session = await stripe.client.checkout.sessions.retrieve(hold.sessionId);
        if (session.status === "open") session = await stripe.client.checkout.sessions.expire(hold.sessionId);
      } catch (error) {
        console.error(`Checkout ${hold.sessionId} could not be read; trying again later:`, (error as Error).message);
        continue;
      }
    }
    await db.transaction(async (tx) => {
      if (session && session.status === "complete" && session.payment_status === "paid") {
        const outcome = await confirmPaidCheckout(tx, stripe!, { ...session, metadata: { tenantId: hold.tenantId, bookingId: hold.id } }, now);
        if (outcome === "confirmed") confirmed += 1;
      } else {
        const done = await tx
          .update(s.bookings)
          .set({ status: "expired", heldUntil: null })
          .where(and(eq(s.bookings.tenantId, hold.tenantId), eq(s.bookings.id, hold.id), eq(s.bookings.status, "held")))
          .returning({ id: s.bookings.id });
        released += done.length;
      }
    });
  }
  return { confirmed, released };
}

// ---------------------------------------------------------------------------------------
// Lists and cancellation

export interface BookingRow {
  id: string;
  tenantId: string;
  companyName: string;
  status: BookingStatus;
  paymentMethod: PaymentMethod;
  productName: string;
  productNameEn: string;
  format: "on_site" | "video";
  priceOre: number;
  coachName: string;
  startsAt: Date;
  durationMinutes: number;
  focus: string;
  exportId: string | null;
  bookedByName: string | null;
  createdAt: Date;
  confirmedAt: Date | null;
  cancelledAt: Date | null;
  invoicedAt: Date | null;
  refunded: boolean;
}

const bookingColumns = {
  id: s.bookings.id,
  tenantId: s.bookings.tenantId,
  companyName: s.participants.name,
  status: s.bookings.status,
  paymentMethod: s.bookings.paymentMethod,
  productName: s.coachingProducts.nameNb,
  productNameEn: s.coachingProducts.nameEn,
  format: s.coachingProducts.format,
  priceOre: s.coachingProducts.priceOre,
  coachName: s.coaches.name,
  startsAt: s.coachSlots.startsAt,
  durationMinutes: s.coachingProducts.durationMinutes,
  focus: s.bookings.focus,
  exportId: s.bookings.exportId,
  bookedByName: s.users.name,
  createdAt: s.bookings.createdAt,
  confirmedAt: s.bookings.confirmedAt,
  cancelledAt: s.bookings.cancelledAt,
  invoicedAt: s.bookings.invoicedAt,
  refunded: sql<boolean>`exists (select 1 from ${s.payments} p where p.tenant_id = ${s.bookings.tenantId} and p.booking_id = ${s.bookings.id} and p.refunded_at is not null)`,
};

function bookingQuery(tx: Executor) {
  return tx
    .select(bookingColumns)
    .from(s.bookings)
    .innerJoin(s.participants, eq(s.participants.id, s.bookings.tenantId))
    .innerJoin(s.coachSlots, eq(s.coachSlots.id, s.bookings.slotId))
    .innerJoin(s.coaches, eq(s.coaches.id, s.coachSlots.coachId))
    .innerJoin(s.coachingProducts, eq(s.coachingProducts.id, s.bookings.productId))
    .leftJoin(s.users, eq(s.users.id, s.bookings.bookedBy));
}

/** The company's bookings, newest session first. */
export async function listCompanyBookings({ tx, tenantId }: TenantScope): Promise<BookingRow[]> {
  return bookingQuery(tx).where(eq(s.bookings.tenantId, tenantId)).orderBy(desc(s.coachSlots.startsAt)).limit(500);
}

export async function getCompanyBooking({ tx, tenantId }: TenantScope, id: string): Promise<BookingRow | null> {
  if (!isUuid(id)) return null;
  const [row] = await bookingQuery(tx).where(and(eq(s.bookings.tenantId, tenantId), eq(s.bookings.id, id)));
  return row ?? null;
}

/** Every company's bookings, for staff. */
export async function listAllBookings(db: Db, filter: { status?: BookingStatus; toInvoice?: boolean } = {}): Promise<BookingRow[]> {
  const conditions = [];
  if (filter.status) conditions.push(eq(s.bookings.status, filter.status));
  if (filter.toInvoice) conditions.push(and(eq(s.bookings.paymentMethod, "invoice"), eq(s.bookings.status, "confirmed"), sql`${s.bookings.invoicedAt} is null`));
  return bookingQuery(db)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(asc(s.coachSlots.startsAt))
    .limit(1000);
}

export function companyMayCancel(booking: Pick<BookingRow, "status" | "startsAt">, now = new Date()): boolean {
  return (booking.status === "confirmed" || booking.status === "held") && booking.startsAt.getTime() - now.getTime() >= COMPANY_CANCEL_BEFORE_MS;
}

async function cancelIn(
  tx: Executor,
  stripe: StripeSetup | null,
  booking: { tenantId: string; id: string; status: BookingStatus; paymentMethod: PaymentMethod; sessionId: string | null },
  actorUserId: string,
  now: Date,
) {
  if (booking.status === "held" && booking.sessionId && stripe) {
    // Close the checkout so the customer cannot pay for a cancelled booking.
    try {
      await stripe.client.checkout.sessions.expire(booking.sessionId);
    } catch (error) {
      console.warn(`Checkout ${booking.sessionId} could not be expired:`, (error as Error).message);
    }
  }
  if (booking.status === "confirmed" && booking.paymentMethod === "card") {
    const [payment] = await tx
      .select({ id: s.payments.id, intent: s.payments.stripePaymentIntentId })
      .from(s.payments)
      .where(and(eq(s.payments.tenantId, booking.tenantId), eq(s.payments.bookingId, booking.id), eq(s.payments.status, "paid")));
    if (payment) {
      if (!stripe) throw new BookingError("refundFailed");
      await refundCard(stripe, booking.id, payment.intent);
      await tx.update(s.payments).set({ status: "refunded", refundedAt: now }).where(and(eq(s.payments.tenantId, booking.tenantId), eq(s.payments.id, payment.id)));
    }
  }
  if (booking.paymentMethod === "invoice") {
    await tx
      .update(s.payments)
      .set({ status: "cancelled" })
      .where(and(eq(s.payments.tenantId, booking.tenantId), eq(s.payments.bookingId, booking.id), eq(s.payments.status, "to_invoice")));
  }
  await tx
    .update(s.bookings)
    .set({ status: "cancelled", cancelledAt: now, cancelledBy: actorUserId, heldUntil: null })
    .where(and(eq(s.bookings.tenantId, booking.tenantId), eq(s.bookings.id, booking.id)));
  if (booking.status === "confirmed") await enqueueBookingMail(tx, booking.tenantId, booking.id, "cancelled");
}

/**
 * The company cancels its own booking, up to 48 hours before; a card payment is refunded.
 * Owner path (the runtime role changes no booking or payment): `tenantId` is the signed-in
 * member's company, never the request's, and names the booking together with its id.
 */
export async function cancelCompanyBooking(db: Db, input: { tenantId: string; bookingId: string; userId: string }, stripe: StripeSetup | null, now = new Date()) {
  if (!isUuid(input.bookingId) || !isUuid(input.tenantId)) return null;
  const tenantId = input.tenantId;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ status: s.bookings.status, paymentMethod: s.bookings.paymentMethod, sessionId: s.bookings.stripeCheckoutSessionId, startsAt: s.coachSlots.startsAt })
      .from(s.bookings)
      .innerJoin(s.coachSlots, eq(s.coachSlots.id, s.bookings.slotId))
      .where(and(eq(s.bookings.tenantId, tenantId), eq(s.bookings.id, input.bookingId)))
      .for("update", { of: s.bookings });
    if (!row) return null;
    if (row.status !== "confirmed" && row.status !== "held") throw new BookingError("notCancellable");
    if (!companyMayCancel(row, now)) throw new BookingError("tooLateToCancel");
    await cancelIn(tx, stripe, { tenantId, id: input.bookingId, ...row }, input.userId, now);
    await recordTenantAction(tx, tenantId, input.userId, { action: "coaching.booking.cancel", details: { bookingId: input.bookingId } });
    return true;
  });
}

/** Staff cancel any active booking at any time; a card payment is refunded. */
export async function cancelBookingAsStaff(db: Db, input: { tenantId: string; bookingId: string; userId: string }, stripe: StripeSetup | null, now = new Date()) {
  if (!isUuid(input.bookingId) || !isUuid(input.tenantId)) return null;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ status: s.bookings.status, paymentMethod: s.bookings.paymentMethod, sessionId: s.bookings.stripeCheckoutSessionId })
      .from(s.bookings)
      .where(and(eq(s.bookings.tenantId, input.tenantId), eq(s.bookings.id, input.bookingId)))
      .for("update");
    if (!row) return null;
    if (row.status !== "confirmed" && row.status !== "held") throw new BookingError("notCancellable");
    await cancelIn(tx, stripe, { tenantId: input.tenantId, id: input.bookingId, ...row }, input.userId, now);
    await recordStaffAction(tx, { actorUserId: input.userId, action: "coaching.booking.cancel", participantId: input.tenantId, details: { bookingId: input.bookingId } });
    return true;
  });
}

/** Staff mark a confirmed invoice booking as invoiced. */
export async function markInvoiced(db: Db, input: { tenantId: string; bookingId: string; userId: string }, now = new Date()): Promise<boolean> {
  if (!isUuid(input.bookingId) || !isUuid(input.tenantId)) return false;
  return db.transaction(async (tx) => {
    const done = await tx
      .update(s.bookings)
      .set({ invoicedAt: now })
      .where(
        and(
          eq(s.bookings.tenantId, input.tenantId),
          eq(s.bookings.id, input.bookingId),
          eq(s.bookings.paymentMethod, "invoice"),
          eq(s.bookings.status, "confirmed"),
          sql`${s.bookings.invoicedAt} is null`,
        ),
      )
      .returning({ id: s.bookings.id });
    if (done.length === 0) return false;
    await tx
      .update(s.payments)
      .set({ status: "invoiced" })
      .where(and(eq(s.payments.tenantId, input.tenantId), eq(s.payments.bookingId, input.bookingId), eq(s.payments.status, "to_invoice")));
    await recordStaffAction(tx, { actorUserId: input.userId, action: "coaching.booking.invoiced", participantId: input.tenantId, details: { bookingId: input.bookingId } });
    return true;
  });
}
