// Faults (issue 6, item 4): PostgreSQL restarting under load (the server keeps answering,
// with an error page while the database is away, and recovers on its own), a webhook whose
// transaction dies half-way (an injected failure inside it, and a process SIGKILLed while
// its transaction waits at its last statement: nothing of it stays; Stripe's retry then
// confirms once), and e-mail that cannot be delivered (kept and retried, never lost).
import { execFile, execFileSync, spawn } from "node:child_process";
import { promisify } from "node:util";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgres, type Database } from "#db/client.server";
import * as s from "#db/schema";
import { createBooking } from "~/models/coaching/booking.server";
import { createCoach, createProduct, createSlot } from "~/models/coaching/coaching-offer.server";
import { deliverOutbox, enqueueEmail } from "~/mail/outbox.server";
import { stripeSetup } from "~/models/coaching/stripe.server";
import { handleStripeWebhook } from "~/models/coaching/stripe-webhook.server";
import { createTestDatabase, onPostgresServer } from "../support/db";
import { addMember, createStudy, createTenant, createUser, signedInCookie } from "../support/factories";
import { startTestServer } from "../support/server";
import { startStripeStandin } from "../support/stripe-standin";

const PG_BIN = "/usr/lib/postgresql/15/bin";
const canRunOwnPostgres = existsSync(`${PG_BIN}/pg_ctl`) && process.getuid?.() === 0;

describe.skipIf(!canRunOwnPostgres)("PostgreSQL restarting during load", () => {
  let dir: string;
  let dataDir: string;
  let database: Database;

  const pgctl = (...args: string[]) => execFileSync("runuser", ["-u", "postgres", "--", `${PG_BIN}/pg_ctl`, "-D", dataDir, ...args], { stdio: "pipe", timeout: 60_000 });
  /** pg_ctl without blocking this process: the server under test keeps answering while it runs. */
  const pgctlAsync = (...args: string[]) => promisify(execFile)("runuser", ["-u", "postgres", "--", `${PG_BIN}/pg_ctl`, "-D", dataDir, ...args], { timeout: 60_000 });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "innsikt-fault-pg-"));
    const env = execFileSync("bash", [path.resolve(".ci/pg-start.sh"), dir], { encoding: "utf8" });
    const url = /DATABASE_URL=(\S+)/.exec(env)![1]!;
    dataDir = /PG_DATA_DIR=(\S+)/.exec(env)![1]!;
    database = await openPostgres(url, { max: 10 });
    await database.migrate();
  }, 120_000);

  afterAll(async () => {
    await database?.close().catch(() => {});
    try {
      pgctl("stop", "-m", "immediate");
    } catch {
      // already stopped
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers every request (error page while the database is away, never a dropped connection) and recovers by itself", async () => {
    const db = database.db;
    const study = await createStudy(db, { status: "published" });
    const tenant = await createTenant(db, study);
    const user = await createUser(db);
    await addMember(db, tenant.tenantId, user.id, "manager");
    const cookie = await signedInCookie(db, user.id);
    const server = await startTestServer(database);
    try {
      const outcomes: { phase: "before" | "during" | "after"; status: number | "network-error"; body: string }[] = [];
      let phase: "before" | "during" | "after" = "before";
      let running = true;
      const client = async () => {
        while (running) {
          // A request belongs to the phase in which it started; one started before the restart
          // may still end during it, so "before" only counts those that ended before it too.
          const started = phase;
          try {
            const response = await server.fetch("/account/sessions", { cookie });
            // Enough for the whole page: an error shown inside the layout comes after its header.
            const body = (await response.text()).slice(0, 40_000);
            outcomes.push({ phase: started === "before" && phase !== "before" ? "during" : started, status: response.status, body });
          } catch {
            outcomes.push({ phase: started === "before" && phase !== "before" ? "during" : started, status: "network-error", body: "" });
          }
        }
      };
      const clients = Array.from({ length: 8 }, client);
      await new Promise((r) => setTimeout(r, 1500));
      phase = "during";
      // A fast restart ends every connection (as a crash or failover would), then starts
      // the server again with the same options. Run without blocking: the app (in this
      // process) must keep answering while the database is away, and a synchronous call would
      // freeze it for exactly that time, so nothing would ever meet the outage.
      await pgctlAsync("restart", "-m", "fast", "-w", "-l", path.join(dir, "server.log"));
      phase = "after";
      // Let the pool notice and reconnect, then keep measuring.
      const recoveredBy = Date.now() + 20_000;
      while (Date.now() < recoveredBy && !outcomes.some((o) => o.phase === "after" && o.status === 200)) await new Promise((r) => setTimeout(r, 200));
      await new Promise((r) => setTimeout(r, 1500));
      running = false;
      await Promise.all(clients);

      expect(outcomes.filter((o) => o.status === "network-error")).toEqual([]);
      expect(outcomes.filter((o) => o.phase === "before" && o.status !== 200)).toEqual([]);
      const failed = outcomes.filter((o) => o.status !== 200);
      expect(failed.length).toBeGreaterThan(0);
      for (const o of failed) {
        expect(o.status).toBe(500);
        expect(o.body).toContain("Noe gikk galt");
        expect(o.body).not.toMatch(/ECONNREFUSED|at \w+ \(|postgres/i);
      }
      const after = outcomes.filter((o) => o.phase === "after");
      const lastFive = after.slice(-5);
      expect(lastFive).toHaveLength(5);
      expect(lastFive.map((o) => o.status)).toEqual([200, 200, 200, 200, 200]);
      const health = await server.fetch("/healthz");
      expect(health.status).toBe(200);
      console.log(
        `PostgreSQL restart under load: ${outcomes.length} requests, ${failed.length} error pages while it was away, ` +
          `${after.filter((o) => o.status === 200).length} answered normally after the restart, 0 dropped connections`,
      );
    } finally {
      await server.close();
    }
  }, 120_000);
});

/** A card booking held while its (stand-in) Checkout is open: the Stripe variables must be set. */
async function heldCardBooking(db: Database["db"]) {
  const tenant = await createTenant(db, await createStudy(db));
  const user = await createUser(db);
  await addMember(db, tenant.tenantId, user.id, "teamlead");
  const coach = await createCoach(db, { name: "Coach", email: "coach@example.no", bio: "", languages: ["nb"], actorUserId: null });
  const product = await createProduct(db, { nameNb: "Oppfølging", nameEn: "Follow-up", descriptionNb: "", descriptionEn: "", priceOre: 100_000, durationMinutes: 60, format: "video", actorUserId: null });
  const start = new Date(Date.now() + 5 * 86_400_000);
  const slot = await createSlot(db, { coachId: coach.id, startsAt: start, endsAt: new Date(start.getTime() + 3600_000), actorUserId: null });
  return createBooking(db, { tenantId: tenant.tenantId, userId: user.id, userEmail: user.email, productId: product.id, slotId: slot.id, focus: "", exportId: null, method: "card" }, stripeSetup());
}

describe("a webhook whose transaction dies half-way", () => {
  let database: Database;
  const secret = "whsec_fault";
  beforeAll(async () => {
    database = await createTestDatabase();
  }, 60_000);
  afterAll(async () => {
    await database?.close();
  });

  it("leaves no trace (no event id, booking still held) and the redelivery confirms once", async () => {
    const stripe = await startStripeStandin();
    process.env.STRIPE_SECRET_KEY = "sk_test_fault";
    process.env.STRIPE_WEBHOOK_SECRET = secret;
    process.env.STRIPE_API_URL = stripe.url;
    const server = await startTestServer(database);
    try {
      const db = database.db;
      const booked = await heldCardBooking(db);
      const sessionId = booked.checkoutUrl!.split("/pay/")[1]!;
      const event = stripe.event("checkout.session.completed", stripe.complete(sessionId), secret);
      const deliver = () => fetch(`${server.origin}/webhooks/stripe`, { method: "POST", headers: { "Content-Type": "application/json", "Stripe-Signature": event.signature }, body: event.payload });

      // The last step of the confirmation (the e-mail) fails: as if the process died there.
      await db.execute(sql`alter table email_outbox add constraint fault_injection check (false) not valid`);
      const broken = await deliver();
      expect(broken.status).toBe(500);
      expect(await db.select().from(s.stripeEvents)).toHaveLength(0);
      expect((await db.select().from(s.bookings).where(eq(s.bookings.id, booked.bookingId)))[0]!.status).toBe("held");
      expect(await db.select().from(s.payments)).toHaveLength(0);

      await db.execute(sql`alter table email_outbox drop constraint fault_injection`);
      expect((await deliver()).status).toBe(200);
      expect((await deliver()).status).toBe(200);
      expect((await db.select().from(s.bookings).where(eq(s.bookings.id, booked.bookingId)))[0]!.status).toBe("confirmed");
      expect(await db.select().from(s.payments)).toHaveLength(1);
      expect((await db.select().from(s.emailOutbox)).filter((m) => (m.params as { bookingId?: string } | null)?.bookingId === booked.bookingId)).toHaveLength(2);
    } finally {
      delete process.env.STRIPE_SECRET_KEY;
      delete process.env.STRIPE_WEBHOOK_SECRET;
      delete process.env.STRIPE_API_URL;
      await server.close();
      await stripe.close();
    }
  }, 60_000);
});

describe.skipIf(!onPostgresServer())("a webhook whose process is killed inside its transaction", () => {
  let database: Database & { url?: string };
  const secret = "whsec_kill";
  beforeAll(async () => {
    database = await createTestDatabase();
  }, 60_000);
  afterAll(async () => {
    await database?.close();
  });

  it("leaves nothing of it once PostgreSQL notices, and the redelivery confirms once", async () => {
    const stripe = await startStripeStandin();
    const env = { STRIPE_SECRET_KEY: "sk_test_kill", STRIPE_WEBHOOK_SECRET: secret, STRIPE_API_URL: stripe.url };
    Object.assign(process.env, env);
    const dir = mkdtempSync(path.join(os.tmpdir(), "innsikt-webhook-kill-"));
    const blocker = postgres(database.url!, { max: 2, onnotice: () => {} }); // one reserved for the lock, one to watch
    try {
      const db = database.db;
      const booked = await heldCardBooking(db);
      const event = stripe.event("checkout.session.completed", stripe.complete(booked.checkoutUrl!.split("/pay/")[1]!), secret);
      writeFileSync(path.join(dir, "body.json"), event.payload);
      writeFileSync(path.join(dir, "signature.txt"), event.signature);

      // The confirmation's last statement (the e-mail into the outbox) has to wait: a session
      // of the test holds a lock that keeps inserts out. By then the child has recorded the
      // event id, confirmed the booking, written the payment and the audit row, uncommitted.
      const appName = `innsikt_kill_${process.pid}`;
      const reserved = await blocker.reserve();
      await reserved`begin`;
      await reserved`lock table email_outbox in share mode`;
      const childUrl = new URL(database.url!);
      childUrl.searchParams.set("application_name", appName);
      const child = spawn(process.execPath, ["--import", "tsx", "tests/support/webhook-child.ts", "--url", childUrl.toString(), "--body", path.join(dir, "body.json"), "--signature", path.join(dir, "signature.txt")], {
        cwd: path.resolve("."),
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, ...env },
      });
      let output = "";
      child.stdout.on("data", (chunk) => (output += chunk));
      child.stderr.on("data", (chunk) => (output += chunk));
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));

      const backend = () => blocker<{ pid: number; wait: string | null; state: string }[]>`
        select pid, wait_event_type as wait, state from pg_stat_activity where application_name = ${appName}`;
      let waiting = false;
      for (let i = 0; i < 300 && !waiting; i++) {
        waiting = (await backend()).some((b) => b.wait === "Lock");
        if (!waiting) await new Promise((r) => setTimeout(r, 100));
      }
      expect(waiting, `the child never reached the outbox insert: ${output}`).toBe(true);
      // Half-way indeed: the child's transaction has already written its rows (seen as locks).
      const [held] = await blocker<{ n: number }[]>`
        select count(*)::int as n from pg_locks l join pg_stat_activity a on a.pid = l.pid
        where a.application_name = ${appName} and l.locktype = 'transactionid' and l.granted`;
      expect(held!.n).toBeGreaterThan(0);

      child.kill("SIGKILL");
      expect(await exited).toBe("SIGKILL");
      expect(output).not.toContain('"outcome"');
      await reserved`rollback`;
      reserved.release();
      // PostgreSQL finds the client gone when the backend next talks to it, and rolls back.
      for (let i = 0; i < 300 && (await backend()).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(await backend()).toHaveLength(0);

      expect(await db.select().from(s.stripeEvents)).toHaveLength(0);
      expect((await db.select().from(s.bookings).where(eq(s.bookings.id, booked.bookingId)))[0]!.status).toBe("held");
      expect(await db.select().from(s.payments)).toHaveLength(0);
      expect((await db.select().from(s.tenantAuditEvents).where(eq(s.tenantAuditEvents.action, "coaching.booking.paid")))).toHaveLength(0);
      expect((await db.select().from(s.emailOutbox)).filter((m) => (m.params as { bookingId?: string } | null)?.bookingId === booked.bookingId)).toHaveLength(0);

      // Stripe delivers again (twice): confirmed once, one payment, one confirmation per person.
      const setup = stripeSetup()!;
      const redelivered = await handleStripeWebhook(db, setup, Buffer.from(event.payload), event.signature);
      expect(redelivered).toEqual({ status: 200, handled: "confirmed" });
      expect(await handleStripeWebhook(db, setup, Buffer.from(event.payload), event.signature)).toEqual({ status: 200, handled: "duplicate" });
      expect((await db.select().from(s.bookings).where(eq(s.bookings.id, booked.bookingId)))[0]!.status).toBe("confirmed");
      expect(await db.select().from(s.payments)).toHaveLength(1);
      expect((await db.select().from(s.emailOutbox)).filter((m) => (m.params as { bookingId?: string } | null)?.bookingId === booked.bookingId)).toHaveLength(2);
    } finally {
      for (const key of Object.keys(env)) delete process.env[key];
      await blocker.end({ timeout: 5 });
      await stripe.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

describe("e-mail that cannot be delivered", () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  }, 60_000);
  afterAll(async () => {
    await database?.close();
  });

  it("stays in the outbox with the reason and goes out on a later attempt (SMTP down, then a full or missing disk)", async () => {
    const db = database.db;
    await enqueueEmail(db, { to: "leder@example.no", subject: "Bekreftet: Oppfølging", text: "Timen er bekreftet." });
    const [{ id } = { id: 0 }] = await db.select({ id: s.emailOutbox.id }).from(s.emailOutbox).where(eq(s.emailOutbox.toAddress, "leder@example.no"));
    const now = new Date();

    // An SMTP server that refuses connections (nothing listens on port 9 of loopback).
    const previous = process.env.SMTP_URL;
    process.env.SMTP_URL = "smtp://127.0.0.1:9";
    try {
      const first = await deliverOutbox(db, undefined, now);
      expect(first.find((r) => r.id === id)).toMatchObject({ ok: false });
    } finally {
      if (previous === undefined) delete process.env.SMTP_URL;
      else process.env.SMTP_URL = previous;
    }
    let [row] = await db.select().from(s.emailOutbox).where(eq(s.emailOutbox.id, id));
    expect(row).toMatchObject({ attempts: 1, sentAt: null });
    expect(row!.lastError).toMatch(/ECONNREFUSED|connect/i);
    expect(row!.nextAttemptAt.getTime()).toBeGreaterThan(now.getTime());
    // Not due yet: nothing is tried again at once.
    expect((await deliverOutbox(db, undefined, now)).find((r) => r.id === id)).toBeUndefined();

    // The outbox folder cannot be written (a file where the folder should be: the disk refuses).
    const blocked = mkdtempSync(path.join(os.tmpdir(), "innsikt-outbox-"));
    writeFileSync(path.join(blocked, "not-a-folder"), "");
    const later = new Date(row!.nextAttemptAt.getTime() + 1000);
    process.env.OUTBOX_DIR = path.join(blocked, "not-a-folder", "outbox");
    try {
      expect((await deliverOutbox(db, undefined, later)).find((r) => r.id === id)).toMatchObject({ ok: false });
    } finally {
      delete process.env.OUTBOX_DIR;
    }
    [row] = await db.select().from(s.emailOutbox).where(eq(s.emailOutbox.id, id));
    expect(row).toMatchObject({ attempts: 2, sentAt: null });
    expect(row!.lastError).toMatch(/ENOTDIR|EEXIST|not a directory/i);

    // The disk is back: the mail goes out, once.
    process.env.OUTBOX_DIR = path.join(blocked, "outbox");
    try {
      const sent = await deliverOutbox(db, undefined, new Date(row!.nextAttemptAt.getTime() + 1000));
      expect(sent.find((r) => r.id === id)).toMatchObject({ ok: true });
    } finally {
      delete process.env.OUTBOX_DIR;
      rmSync(blocked, { recursive: true, force: true });
    }
    [row] = await db.select().from(s.emailOutbox).where(eq(s.emailOutbox.id, id));
    expect(row!.sentAt).not.toBeNull();
    expect(row!.attempts).toBe(3);
  });
});
