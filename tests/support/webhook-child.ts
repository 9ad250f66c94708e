// One Stripe webhook delivery handled in a process of its own, for the test that kills it
// in the middle of its transaction (tests/integration/faults.test.ts). Reads the raw body and
// the Stripe-Signature header from the files given, connects with the application_name in
// the URL (so the test can watch its backend in pg_stat_activity), and reports on stdout:
//   {"event":"open"}                  the database is open, the handler starts
//   {"event":"outcome", ...}          the handler returned (never, when the test kills it)
//
//   node --import tsx tests/support/webhook-child.ts --url URL --body FILE --signature FILE
// Environment: STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, STRIPE_API_URL (the stand-in).

import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { openPostgres } from "#db/client.server";
import { stripeSetup } from "~/models/coaching/stripe.server";
import { handleStripeWebhook } from "~/models/coaching/stripe-webhook.server";

const { values } = parseArgs({ options: { url: { type: "string" }, body: { type: "string" }, signature: { type: "string" } } });
if (!values.url || !values.body || !values.signature) throw new Error("--url, --body and --signature are required");
const stripe = stripeSetup();
if (!stripe) throw new Error("STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET must be set");

const report = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`);
const database = await openPostgres(values.url, { max: 1 });
report({ event: "open", pid: process.pid });
const outcome = await handleStripeWebhook(database.db, stripe, readFileSync(values.body), readFileSync(values.signature, "utf8"));
report({ event: "outcome", ...outcome });
await database.close();
