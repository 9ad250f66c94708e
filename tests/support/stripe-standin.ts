// A local stand-in for the few Stripe API endpoints Innsikt calls (Stripe's servers are
// unreachable from the test machine). The app talks to it with the official SDK, pointed
// here by STRIPE_API_URL; nothing else in the code path differs. It keeps sessions and
// refunds in memory, honours Idempotency-Key like Stripe, and lets a test play the
// customer (complete a checkout) and build the webhook events Stripe would send, signed
// with the SDK's own test helper.

import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";

export interface StandinSession {
  id: string;
  object: "checkout.session";
  status: "open" | "complete" | "expired";
  payment_status: "unpaid" | "paid";
  mode: string;
  url: string | null;
  amount_total: number;
  currency: string;
  customer_email: string | null;
  client_reference_id: string | null;
  metadata: Record<string, string>;
  payment_intent: string | null;
  expires_at: number;
  success_url: string;
  cancel_url: string;
  livemode: false;
}

/** Stripe's form encoding (a[b][0][c]=v) back into a nested object. */
function parseForm(body: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.replace(/\]/g, "").split("[");
    let node: Record<string, unknown> = root;
    path.forEach((part, i) => {
      if (i === path.length - 1) node[part] = value;
      else node = (node[part] ??= {}) as Record<string, unknown>;
    });
  }
  return root;
}

const id = (prefix: string) => `${prefix}_test_${randomBytes(12).toString("hex")}`;

export async function startStripeStandin() {
  const sessions = new Map<string, StandinSession>();
  const refunds: { id: string; payment_intent: string; amount: number; metadata: Record<string, string> }[] = [];
  const idempotent = new Map<string, { status: number; body: unknown }>();
  const requests: { method: string; path: string; body: Record<string, unknown> }[] = [];
  let failures = 0;

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "Content-Type": "application/json", "Request-Id": id("req") });
    res.end(JSON.stringify(body));
  };
  const stripeError = (message: string, code = "resource_missing") => ({ error: { type: "invalid_request_error", code, message } });

  function handle(method: string, path: string, body: Record<string, unknown>): { status: number; body: unknown } {
    if (failures > 0) {
      failures -= 1;
      return { status: 500, body: { error: { type: "api_error", message: "The stand-in was told to fail." } } };
    }
    let match: RegExpExecArray | null;
    if (method === "POST" && path === "/v1/checkout/sessions") {
      const items = body.line_items as Record<string, { quantity: string; price_data: { unit_amount: string; currency: string } }>;
      const first = items?.["0"];
      if (!first) return { status: 400, body: stripeError("line_items is required", "parameter_missing") };
      const session: StandinSession = {
        id: id("cs"),
        object: "checkout.session",
        status: "open",
        payment_status: "unpaid",
        mode: String(body.mode),
        url: "",
        amount_total: Number(first.price_data.unit_amount) * Number(first.quantity),
        currency: first.price_data.currency,
        customer_email: (body.customer_email as string) ?? null,
        client_reference_id: (body.client_reference_id as string) ?? null,
        metadata: (body.metadata as Record<string, string>) ?? {},
        payment_intent: null,
        expires_at: Number(body.expires_at),
        success_url: String(body.success_url),
        cancel_url: String(body.cancel_url),
        livemode: false,
      };
      session.url = `${standin.url}/pay/${session.id}`;
      sessions.set(session.id, session);
      return { status: 200, body: session };
    }
    if (method === "GET" && (match = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(path))) {
      const session = sessions.get(match[1]!);
      return session ? { status: 200, body: session } : { status: 404, body: stripeError(`No such checkout.session: '${match[1]}'`) };
    }
    if (method === "POST" && (match = /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/.exec(path))) {
      const session = sessions.get(match[1]!);
      if (!session) return { status: 404, body: stripeError(`No such checkout.session: '${match[1]}'`) };
      if (session.status !== "open") return { status: 400, body: stripeError(`This Checkout Session is ${session.status}.`, "checkout_session_not_open") };
      session.status = "expired";
      session.url = null;
      return { status: 200, body: session };
    }
    if (method === "POST" && path === "/v1/refunds") {
      const intent = String(body.payment_intent ?? "");
      const paid = [...sessions.values()].find((s) => s.payment_intent === intent && s.payment_status === "paid");
      if (!paid) return { status: 404, body: stripeError(`No such payment_intent: '${intent}'`) };
      if (refunds.some((r) => r.payment_intent === intent)) return { status: 400, body: stripeError("Charge has already been refunded.", "charge_already_refunded") };
      const refund = { id: id("re"), object: "refund", status: "succeeded", payment_intent: intent, amount: paid.amount_total, metadata: (body.metadata as Record<string, string>) ?? {} };
      refunds.push(refund);
      return { status: 200, body: refund };
    }
    return { status: 404, body: stripeError(`Unrecognized request URL (${method}: ${path}).`, "url_invalid") };
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://standin");
      const body = parseForm(Buffer.concat(chunks).toString("utf8"));
      requests.push({ method: req.method ?? "GET", path: url.pathname, body });
      const key = req.headers["idempotency-key"];
      const cacheKey = typeof key === "string" ? `${req.method} ${url.pathname} ${key}` : null;
      if (cacheKey && idempotent.has(cacheKey)) {
        const replay = idempotent.get(cacheKey)!;
        return send(res, replay.status, replay.body);
      }
      const result = handle(req.method ?? "GET", url.pathname, body);
      if (cacheKey && result.status < 500) idempotent.set(cacheKey, result);
      send(res, result.status, result.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const signer = new Stripe("sk_test_standin");

  const standin = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sessions,
    refunds,
    requests,
    /** The next `n` API calls answer 500. */
    failNext(n = 1) {
      failures = n;
    },
    /** The customer pays: the session completes with a payment intent. */
    complete(sessionId: string): StandinSession {
      const session = sessions.get(sessionId);
      if (!session) throw new Error(`no session ${sessionId}`);
      session.status = "complete";
      session.payment_status = "paid";
      session.payment_intent = id("pi");
      session.url = null;
      return { ...session };
    },
    /** The session runs out unpaid. */
    expire(sessionId: string): StandinSession {
      const session = sessions.get(sessionId)!;
      session.status = "expired";
      session.url = null;
      return { ...session };
    },
    /** A webhook event as Stripe sends it, and its signature header. */
    event(type: string, object: unknown, secret: string, options: { id?: string; timestamp?: number } = {}) {
      const payload = JSON.stringify({
        id: options.id ?? id("evt"),
        object: "event",
        api_version: "2025-01-01",
        created: Math.floor(Date.now() / 1000),
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        type,
        data: { object },
      });
      const signature = signer.webhooks.generateTestHeaderString({ payload, secret, ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp }) });
      return { payload, signature };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return standin;
}

export type StripeStandin = Awaited<ReturnType<typeof startStripeStandin>>;
