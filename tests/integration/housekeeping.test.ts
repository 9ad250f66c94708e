// Running more than one of anything: two deliveries of the outbox at once (two app processes,
// or a timer tick while a slow SMTP server holds the previous batch) send each mail once; two
// migrations at once (a rolling deploy) both succeed; and the hourly purge removes only the
// bookkeeping rows that have done their job.
import { readFileSync } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { eq, like } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgres, type Database } from "#db/client.server";
import { migrationsFolder } from "#db/paths";
import * as s from "#db/schema";
import { countHit } from "~/auth/rate-limit.server";
import { purgeExpired } from "~/models/admin/housekeeping.server";
import { CLAIM_MS, deliverOutbox, enqueueEmail } from "~/mail/outbox.server";
import { hashToken } from "~/models/accounts/session.server";
import { createTestDatabase, onPostgresServer } from "../support/db";
import { createStudy, createUser } from "../support/factories";
import { withDatabase } from "../support/global-setup";

const DAY = 24 * 3600_000;

describe("outbox delivered by two workers at once", () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  it("sends every message exactly once, and a claim that was never finished is sent after it runs out", async () => {
    const db = database.db;
    const tag = randomBytes(4).toString("hex");
    for (let i = 0; i < 12; i++) await enqueueEmail(db, { to: `m${i}-${tag}@example.no`, subject: `Melding ${i}`, text: "Hei" });
    const sentTo: string[] = [];
    // A slow SMTP server: each message takes a while, so the two workers overlap throughout.
    const slowSender = async (message: { to?: unknown }) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      sentTo.push(String(message.to));
      return "test";
    };
    // A second on: the database stamps rows in microseconds, a Date has milliseconds.
    const now = new Date(Date.now() + 1000);
    const [a, b] = await Promise.all([deliverOutbox(db, slowSender, now), deliverOutbox(db, slowSender, now)]);
    const mine = sentTo.filter((to) => to.endsWith(`-${tag}@example.no`));
    expect(mine).toHaveLength(12);
    expect(new Set(mine).size).toBe(12);
    expect(a.filter((r) => r.ok).length + b.filter((r) => r.ok).length).toBeGreaterThanOrEqual(12);
    const rows = await db.select().from(s.emailOutbox).where(like(s.emailOutbox.toAddress, `%-${tag}@example.no`));
    expect(rows.every((row) => row.sentAt !== null && row.attempts === 1)).toBe(true);

    // A worker that claimed a message and died before sending it: the message waits for the
    // claim to run out, then goes out once.
    await enqueueEmail(db, { to: `crashed-${tag}@example.no`, subject: "Etter krasj", text: "Hei" });
    const [crashed] = await db.select().from(s.emailOutbox).where(eq(s.emailOutbox.toAddress, `crashed-${tag}@example.no`));
    const claimAt = new Date(Math.max(now.getTime(), crashed!.nextAttemptAt.getTime()) + 1000);
    // Simulate the claim alone: the row's next attempt is moved CLAIM_MS ahead, then nothing.
    await db.update(s.emailOutbox).set({ nextAttemptAt: new Date(claimAt.getTime() + CLAIM_MS) }).where(eq(s.emailOutbox.id, crashed!.id));
    expect((await deliverOutbox(db, slowSender, claimAt)).find((r) => r.id === crashed!.id)).toBeUndefined();
    const sent = await deliverOutbox(db, slowSender, new Date(claimAt.getTime() + CLAIM_MS + 1000));
    expect(sent.find((r) => r.id === crashed!.id)).toMatchObject({ ok: true });
  });
});

describe.skipIf(!onPostgresServer())("two processes migrating one new database at once", () => {
  it("both succeed, and every migration is applied once", async () => {
    const url = process.env.DATABASE_URL!;
    const name = `innsikt_test_${process.pid}_mig_${randomBytes(4).toString("hex")}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const first = await openPostgres(withDatabase(url, name), { max: 2 });
    const second = await openPostgres(withDatabase(url, name), { max: 2 });
    try {
      const outcomes = await Promise.allSettled([first.migrate(), second.migrate()]);
      expect(outcomes.map((o) => (o.status === "rejected" ? String((o.reason as Error).message) : "ok"))).toEqual(["ok", "ok"]);
      const journal = JSON.parse(readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8")) as { entries: unknown[] };
      const check = postgres(withDatabase(url, name), { max: 1 });
      const [row] = await check<{ count: number }[]>`select count(*)::int as count from drizzle.__drizzle_migrations`;
      await check.end();
      expect(row?.count).toBe(journal.entries.length);
    } finally {
      await first.close();
      await second.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  }, 120_000);
});

describe("purging bookkeeping that has done its job", () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  it("removes expired sessions, old reset links, throttle and rate-limit counters, and uploads older than 30 days; keeps everything still in use", async () => {
    const db = database.db;
    const now = new Date();
    const ago = (ms: number) => new Date(now.getTime() - ms);
    const ahead = (ms: number) => new Date(now.getTime() + ms);
    const user = await createUser(db);

    const session = (label: string, expiresAt: Date, absoluteExpiresAt: Date) => ({ id: hashToken(label + user.id), userId: user.id, expiresAt, absoluteExpiresAt });
    await db.insert(s.sessions).values([
      session("idle", ago(1000), ahead(DAY)),
      session("absolute", ahead(DAY), ago(1000)),
      session("live", ahead(DAY), ahead(10 * DAY)),
    ]);

    const reset = (label: string, expiresAt: Date, usedAt: Date | null) => ({ userId: user.id, tokenHash: hashToken(label + user.id), expiresAt, usedAt });
    await db.insert(s.passwordResets).values([
      reset("expired-long-ago", ago(2 * DAY), null),
      reset("used-long-ago", ahead(3600_000), ago(2 * DAY)),
      reset("expired-recently", ago(3600_000), null), // a second click still hears "expired"
      reset("open", ahead(3600_000), null),
    ]);

    const tag = randomBytes(4).toString("hex");
    await db.insert(s.loginThrottle).values([
      { email: `old-${tag}@example.no`, failures: 3, windowStartedAt: ago(2 * DAY), blockedUntil: null },
      { email: `old-blocked-over-${tag}@example.no`, failures: 9, windowStartedAt: ago(2 * DAY), blockedUntil: ago(DAY) },
      { email: `still-blocked-${tag}@example.no`, failures: 12, windowStartedAt: ago(2 * DAY), blockedUntil: ahead(600_000) },
      { email: `recent-${tag}@example.no`, failures: 2, windowStartedAt: ago(60_000), blockedUntil: null },
    ]);

    // Rate-limit counters: one whose window ended, one still counting.
    await countHit(db, `test:${tag}`, "ended", 60, ago(120_000));
    await countHit(db, `test:${tag}`, "live", 60, ago(10_000));

    const { study } = await createStudy(db, { status: "draft" });
    const upload = (status: string, createdAt: Date) => ({
      studyId: study.id,
      kind: "results" as const,
      fileName: `${status}.csv`,
      checksum: "x",
      bytes: new Uint8Array([1, 2, 3]),
      status,
      outcome: {},
      createdAt,
    });
    await db.insert(s.importUploads).values([
      upload("refused", ago(40 * DAY)),
      upload("imported", ago(31 * DAY)),
      upload("previewed", ago(29 * DAY)),
      upload("imported", ago(2 * DAY)),
    ]);

    const counts = await purgeExpired(db, now);
    expect(counts).toMatchObject({ sessions: 2, passwordResets: 2, loginThrottle: 2, rateLimits: 1, importUploads: 2 });

    const sessionsLeft = await db.select({ id: s.sessions.id }).from(s.sessions).where(eq(s.sessions.userId, user.id));
    expect(sessionsLeft.map((r) => r.id)).toEqual([hashToken("live" + user.id)]);
    const resetsLeft = await db.select({ tokenHash: s.passwordResets.tokenHash }).from(s.passwordResets).where(eq(s.passwordResets.userId, user.id));
    expect(resetsLeft.map((r) => r.tokenHash).sort()).toEqual([hashToken("expired-recently" + user.id), hashToken("open" + user.id)].sort());
    const throttleLeft = await db.select({ email: s.loginThrottle.email }).from(s.loginThrottle).where(like(s.loginThrottle.email, `%-${tag}@example.no`));
    expect(throttleLeft.map((r) => r.email).sort()).toEqual([`recent-${tag}@example.no`, `still-blocked-${tag}@example.no`]);
    const countersLeft = await db.select({ key: s.rateLimits.key }).from(s.rateLimits).where(eq(s.rateLimits.bucket, `test:${tag}`));
    expect(countersLeft.map((r) => r.key)).toEqual(["live"]);
    const uploadsLeft = await db.select({ fileName: s.importUploads.fileName, createdAt: s.importUploads.createdAt }).from(s.importUploads).where(eq(s.importUploads.studyId, study.id));
    expect(uploadsLeft.map((r) => r.fileName).sort()).toEqual(["imported.csv", "previewed.csv"]);
    expect(uploadsLeft.find((r) => r.fileName === "imported.csv")!.createdAt.getTime()).toBe(ago(2 * DAY).getTime());

    // Nothing left to do: a second run removes nothing.
    expect(await purgeExpired(db, now)).toEqual({ sessions: 0, passwordResets: 0, loginThrottle: 0, rateLimits: 0, importUploads: 0, coachingLog: 0 });
  });
});
