// Stripe, when configured. Card payment needs both STRIPE_SECRET_KEY and
// STRIPE_WEBHOOK_SECRET; without them (the demo) the card option is hidden and
// bookings are paid by invoice. STRIPE_API_URL points the official SDK at another
// host, which only the tests use (a local stand-in, since Stripe is unreachable
// there): the code path is the same as in production.

import Stripe from "stripe";
import { env } from "~/env.server";

export interface StripeSetup {
  client: Stripe;
  webhookSecret: string;
}

const holder = globalThis as unknown as { __innsiktStripe?: { key: string; url: string; setup: StripeSetup } };

function clientOptions(apiUrl: string | undefined): Stripe.StripeConfig {
  const options: Stripe.StripeConfig = { maxNetworkRetries: 2, timeout: 20_000, appInfo: { name: "Innsikt" } };
  if (!apiUrl) return options;
  const url = new URL(apiUrl);
  return { ...options, host: url.hostname, port: Number(url.port || (url.protocol === "https:" ? 443 : 80)), protocol: url.protocol === "http:" ? "http" : "https" };
}

/** The Stripe client and webhook secret, or null when card payment is not configured. */
export function stripeSetup(): StripeSetup | null {
  const { stripe } = env();
  if (!stripe) return null;
  const { secretKey: key, webhookSecret } = stripe;
  const url = stripe.apiUrl ?? "";
  if (holder.__innsiktStripe?.key !== key || holder.__innsiktStripe.url !== url || holder.__innsiktStripe.setup.webhookSecret !== webhookSecret) {
    holder.__innsiktStripe = { key, url, setup: { client: new Stripe(key, clientOptions(url || undefined)), webhookSecret } };
  }
  return holder.__innsiktStripe.setup;
}

export const cardPaymentEnabled = () => stripeSetup() !== null;
