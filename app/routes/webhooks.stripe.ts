import type { ActionFunctionArgs } from "@remix-run/node";
import { getDatabase } from "#db/client.server";
import { stripeSetup } from "~/models/coaching/stripe.server";
import { handleStripeWebhook } from "~/models/coaching/stripe-webhook.server";

// POST /webhooks/stripe: exempt from the Origin check (Stripe sends none); the
// signature is the check. Answers 400 to an unsigned or stale event, 404 when card
// payment is not configured, and 500 only when processing failed (Stripe retries).

const plain = (status: number, body: string) => new Response(body, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return plain(405, "Method not allowed.");
  const stripe = stripeSetup();
  if (!stripe) return plain(404, "Card payment is not configured.");
  const rawBody = Buffer.from(await request.arrayBuffer());
  const { db } = await getDatabase();
  const outcome = await handleStripeWebhook(db, stripe, rawBody, request.headers.get("stripe-signature"));
  if (outcome.status === 400) return plain(400, "Invalid Stripe signature or timestamp.");
  return new Response(JSON.stringify({ received: true, handled: outcome.handled }), { status: 200, headers: { "Content-Type": "application/json" } });
}

export function loader() {
  return plain(405, "Method not allowed.");
}
