// Stripe's webhook: the only way a card booking becomes confirmed. The signature is
// checked over the raw body (and its timestamp against a 5-minute tolerance) before
// anything is read; each event id is processed once (stripe_events), in the same
// transaction as the change it causes, so a retried, duplicated or interrupted delivery
// leaves exactly one outcome. Events that arrive out of order are harmless: a booking
// only moves held → confirmed or held → expired, never back.

import type Stripe from "stripe";
import type { Db } from "#db/client.server";
import * as s from "#db/schema";
import { confirmPaidCheckout, releaseCheckout } from "./booking.server";
import type { StripeSetup } from "./stripe.server";

export type WebhookOutcome =
  | { status: 400; reason: "signature" }
  | { status: 200; handled: "duplicate" | "ignored" | "confirmed" | "already" | "refunded" | "released" | "unknown" | "waiting" };

/** Stripe's default tolerance for the signature's timestamp, in seconds. */
export const SIGNATURE_TOLERANCE_S = 300;

export async function handleStripeWebhook(db: Db, stripe: StripeSetup, rawBody: Buffer, signature: string | null): Promise<WebhookOutcome> {
  let event: Stripe.Event;
  try {
    if (!signature) throw new Error("no signature");
    event = stripe.client.webhooks.constructEvent(rawBody, signature, stripe.webhookSecret, SIGNATURE_TOLERANCE_S);
  } catch {
    return { status: 400, reason: "signature" };
  }

  return db.transaction(async (tx) => {
    const [fresh] = await tx.insert(s.stripeEvents).values({ id: event.id, type: event.type }).onConflictDoNothing().returning({ id: s.stripeEvents.id });
    if (!fresh) return { status: 200, handled: "duplicate" } as const;

    switch (event.type) {
      case "checkout.session.completed":
      case "checkout.session.async_payment_succeeded": {
        const session = event.data.object;
        // A delayed payment method completes the checkout unpaid; its own event follows.
        if (session.payment_status !== "paid") return { status: 200, handled: "waiting" } as const;
        const handled = await confirmPaidCheckout(tx, stripe, session);
        return { status: 200, handled } as const;
      }
      case "checkout.session.expired":
      case "checkout.session.async_payment_failed": {
        const released = await releaseCheckout(tx, event.data.object);
        return { status: 200, handled: released ? "released" : "ignored" } as const;
      }
      default:
        return { status: 200, handled: "ignored" } as const;
    }
  });
}
