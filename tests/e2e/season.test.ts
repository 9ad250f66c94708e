// The study season end to end (issue 15's acceptance), in real Chromium against TWO real server
// processes (app/server/main.ts, as `npm start` runs it: web, job workers and the cron in each) on
// ONE database: PostgreSQL with DATABASE_URL; otherwise the embedded PGlite, owned by the first
// process and joined by the second through its Unix socket (as `npm run worker` joins `npm start`).
//
// The test moves the clock instead of sleeping: both processes run with ./support/clock-preload.ts
// and the test shifts their Date; it then waits (polls) for the real per-minute cron of the job
// queue to publish the study, which takes up to a minute of real time after the move.
//
// This file holds the publication half: a sample study in review, publication scheduled one minute
// ahead of the moved clock; before that minute the company sees no class figures and the API's
// awards is 404; after it, each active member has exactly one publication e-mail, the study has one
// `study.publish` audit entry, the company sees its class figures, and both processes' workers
// were polling the publication queue at the minute. The review/query half goes before
// "the deadline passes" below.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { and, eq, inArray } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from "vitest";
import { openEmbedded, openPglite, type Database, type Db } from "#db/client.server";
import * as s from "#db/schema";
import { hashPassword } from "~/auth/password.server";
import { translate } from "~/i18n/i18n";
import { createApiToken } from "~/models/accounts/api-token.server";
import { openReview, schedulePublication } from "~/models/studies/season.server";
import { writeStudy } from "~/models/studies/study-write.server";
import { hasChromium, launchChromium } from "../support/browser";
import { startChildServer, type ChildServer } from "../support/child-server";
import { createTestDatabase } from "../support/db";
import { addMember, createUser } from "../support/factories";
import { sampleStudy } from "../support/sample-study";
import { CLOCK_PRELOAD, createTestClock, type TestClock } from "../support/test-clock";

const YEAR = 2021;
const PASSWORD = "sesong-test-123";
const MINUTE = 60_000;
const engine = process.env.DATABASE_URL ? "PostgreSQL" : "PGlite (shared over its socket)";

/** The people of the sample study's companies; `mailed` says who should hear of the publication. */
interface Person {
  key: string;
  email: string;
  mailed: boolean;
  locale: "nb" | "en";
}

/** Writes the sample study (a draft), its people and a staff user; returns what the test needs. */
async function seed(db: Db) {
  const { studyId } = await db.transaction((tx) => writeStudy(tx, sampleStudy(YEAR)));
  const ids = new Map((await db.select().from(s.participants)).map((p) => [p.code, p.id]));
  const staff = await createUser(db, { isStaff: true, name: "Siri Stab" });
  const people: Person[] = [];
  const person = async (key: string, memberships: [code: string, role: "manager" | "teamlead" | "viewer"][], options: { locale?: "en"; seasonMails?: false; disabled?: true; password?: true; outsider?: true } = {}) => {
    const user = await createUser(db, { email: `${key}@sesong.test`, name: key, passwordHash: options.password ? await hashPassword(PASSWORD) : undefined });
    await db
      .update(s.users)
      .set({ locale: options.locale ?? "nb", seasonMails: options.seasonMails ?? true, disabledAt: options.disabled ? new Date() : null })
      .where(eq(s.users.id, user.id));
    for (const [code, role] of memberships) await addMember(db, ids.get(code)!, user.id, role);
    people.push({ key, email: user.email, mailed: options.seasonMails !== false && !options.disabled && !options.outsider, locale: options.locale ?? "nb" });
    return user;
  };
  // Kystbanken (class bank, 4 companies): a manager who signs in, a team lead, one who turned the
  // season mails off and one who is disabled; one person in two companies gets one mail.
  await person("kari-leder", [["kystbanken", "manager"]], { password: true });
  await person("tor-teamleder", [["kystbanken", "teamlead"]]);
  await person("stille-stina", [["kystbanken", "viewer"]], { seasonMails: false });
  await person("borte-bjorn", [["kystbanken", "viewer"]], { disabled: true });
  await person("bo-begge", [["kystbanken", "viewer"], ["vidde-bank", "manager"]]);
  await person("vera-vidde", [["vidde-bank", "teamlead"]]);
  await person("emma-english", [["fjordkraft-demo", "manager"]], { locale: "en" });
  // A company that is not in the study: its member hears nothing.
  const [outside] = await db.insert(s.participants).values({ code: "utenfor-as", name: "Utenfor AS" }).returning();
  ids.set("utenfor-as", outside!.id);
  await person("ola-utenfor", [["utenfor-as", "manager"]], { outsider: true });
  const { token } = await createApiToken(db, { tenantId: ids.get("kystbanken")!, name: "Sesongtest", createdBy: null });
  return { studyId, staffId: staff.id, people, token, kystbanken: ids.get("kystbanken")! };
}

/** The start of the minute after `date`. */
const nextMinute = (date: Date) => new Date(Math.floor(date.getTime() / MINUTE) * MINUTE + MINUTE);

describe.skipIf(!hasChromium)(`the season end to end, two server processes on one database (${engine})`, () => {
  let dir: string;
  let clock: TestClock;
  let database: Database;
  const servers: ChildServer[] = [];
  let browser: Browser;
  let seeded: Awaited<ReturnType<typeof seed>>;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "innsikt-season-e2e-"));
    clock = createTestClock(dir);
    let target: { url: string } | { pgliteDataDir: string };
    if (process.env.DATABASE_URL) {
      database = await createTestDatabase();
      seeded = await seed(database.db);
      target = { url: (database as Database & { url: string }).url };
    } else {
      // A data folder of its own, from the migrated dump; seeded before the first server opens it
      // (an empty embedded database would get the demo data).
      const pgliteDataDir = path.join(dir, "pglite");
      const seeding = await openPglite(new PGlite(pgliteDataDir, { loadDataDir: new Blob([readFileSync(inject("pgliteDump")!)]) }));
      seeded = await seed(seeding.db);
      await seeding.close();
      target = { pgliteDataDir };
    }
    // One after the other: on PGlite the second joins through the first one's socket. The cron
    // clock is checked every 5 s (JOBS_CRON_CHECK_SECONDS), so a per-minute job starts within
    // 5 s of its minute of database time.
    const env = { ...clock.env, JOBS_CRON_CHECK_SECONDS: "5" };
    for (const name of ["a", "b"]) {
      servers.push(await startChildServer({ name, database: target, outboxDir: path.join(dir, `outbox-${name}`), preloads: [CLOCK_PRELOAD], jobProbeDir: path.join(dir, "probe"), env }));
    }
    if (!process.env.DATABASE_URL) database = await openEmbedded((target as { pgliteDataDir: string }).pgliteDataDir);
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (process.env.DATABASE_URL) {
      for (const server of [...servers].reverse()) await server.stop();
      await database?.close(); // drops the test database
    } else {
      await database?.close();
      for (const server of [...servers].reverse()) await server.stop(); // the owner last
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  const pids = () => servers.map((server) => server.pid);

  const studyStatus = async () => (await database.db.select({ status: s.studies.status }).from(s.studies).where(eq(s.studies.id, seeded.studyId)))[0]!.status;

  /** The read API as the company's BI tool calls it (server a; b answers the same). */
  const api = (route: string) => fetch(`${servers[0]!.origin}/api/v1/studies/${YEAR}/${route}`, { headers: { Authorization: `Bearer ${seeded.token}` } });

  /** The overview's text as Kystbanken's manager sees it in the browser, from server b. */
  async function overviewText(page: Page): Promise<string> {
    await page.goto(`${servers[1]!.origin}/company`);
    await page.getByRole("heading", { level: 1 }).first().waitFor();
    return page.locator("main").innerText();
  }

  /**
   * Staff schedule the publication for `at`. A stand-in for the staff study page (built in
   * parallel); the lead swaps in the UI step here.
   */
  async function schedulePublicationStep(at: Date) {
    await schedulePublication(database.db, seeded.studyId, { at, userId: seeded.staffId, now: clock.now() });
  }

  it("publishes at the scheduled minute once: one e-mail per member, one audit entry, class figures only after it", async () => {
    const started = Date.now();
    // A failure shows what the servers said.
    onTestFailed(() => {
      for (const server of servers) console.error(`--- server ${server.name} (last lines) ---\n${server.output.slice(-40).join("\n")}`);
    });
    const [a, b] = servers as [ChildServer, ChildServer];
    console.log(`Season e2e on ${engine}: server a pid ${a.pid} (${a.origin}), server b pid ${b.pid} (${b.origin}), both running web, job workers and the cron.`);

    // The review opens (staff; the lead's review/query half drives this from the staff page).
    const until = new Date(clock.now().getTime() + 2 * 60 * MINUTE);
    await openReview(database.db, seeded.studyId, { until, userId: seeded.staffId, now: clock.now() });
    expect(await studyStatus()).toBe("review");

    // ... the review/query half goes here ...

    // The deadline passes: the clock moves two hours on, in both processes.
    await clock.moveTo(new Date(until.getTime() + MINUTE), pids());

    // Staff schedule publication one minute ahead.
    const at = new Date(nextMinute(clock.now()).getTime() + MINUTE);
    await schedulePublicationStep(at);

    // Before that minute: the company sees no class figures, and the API has no awards.
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${b.origin}/login?redirectTo=/company`);
    await page.getByLabel("E-postadresse").fill("kari-leder@sesong.test");
    await page.getByLabel("Passord").fill(PASSWORD);
    await page.keyboard.press("Enter");
    await page.waitForURL(`${b.origin}/company`);
    let text = await overviewText(page);
    for (const label of ["Klassesnitt", "Klassens beste", "Plassering i klassen"]) expect(text).not.toContain(label);
    expect((await api("awards")).status).toBe(404);
    const early = await api("summary");
    // 404 while a review study is invisible to companies; once it is visible, without class figures.
    if (early.status === 200) expect(((await early.json()) as { class: unknown }).class).toBeNull();
    else expect(early.status).toBe(404);
    expect(clock.now().getTime()).toBeLessThan(at.getTime());
    expect(await studyStatus()).toBe("review");

    // The minute comes (the clock moves past it), and the cron publishes: wait for it. Both
    // processes' workers poll the publication queue before and after it.
    const movedAt = Date.now();
    expect(servers.map((server) => (server.jobProbe()["studies.publish-due"]?.polls ?? 0) > 0)).toEqual([true, true]);
    await clock.moveTo(new Date(at.getTime() + 1000), pids());
    await expect.poll(studyStatus, { timeout: 120_000, interval: 500 }).toBe("published");
    const publishedAfter = Date.now() - movedAt;
    // At the moved time: the real clock is still two hours before the minute.
    const [row] = await database.db.select({ publishedAt: s.studies.publishedAt, publishAt: s.studies.publishAt }).from(s.studies).where(eq(s.studies.id, seeded.studyId));
    expect(row!.publishAt).toBeNull();
    expect(row!.publishedAt!.getTime()).toBeGreaterThanOrEqual(at.getTime());
    expect(row!.publishedAt!.getTime()).toBeLessThan(at.getTime() + 5 * MINUTE);

    // Exactly one publication e-mail per active member, none for the others.
    const subjects = (["nb", "en"] as const).map((locale) => translate(locale, "season.mail.published.subject", { year: YEAR }));
    const mails = await database.db
      .select({ to: s.emailOutbox.toAddress, subject: s.emailOutbox.subject })
      .from(s.emailOutbox)
      .where(inArray(s.emailOutbox.subject, subjects));
    expect(mails.map((m) => m.to).sort()).toEqual(seeded.people.filter((p) => p.mailed).map((p) => p.email).sort());
    for (const p of seeded.people.filter((x) => x.mailed)) expect(mails.find((m) => m.to === p.email)!.subject).toBe(subjects[p.locale === "nb" ? 0 : 1]);
    // Exactly one publication in the staff log, by the scheduled job.
    const audit = await database.db
      .select({ actor: s.auditEvents.actorUserId, details: s.auditEvents.details })
      .from(s.auditEvents)
      .where(and(eq(s.auditEvents.studyId, seeded.studyId), eq(s.auditEvents.action, "study.publish")));
    expect(audit).toEqual([{ actor: null, details: expect.objectContaining({ scheduledFor: at.toISOString() }) }]);
    // One of the two processes did it; both had their workers polling the queue at the minute.
    const publishers = servers.filter((server) => server.output.some((line) => line === `Published 1 scheduled study (ids ${seeded.studyId}).`));
    expect(publishers).toHaveLength(1);
    const publishedSeen = Date.now();
    await expect
      .poll(() => servers.map((server) => (server.jobProbe()["studies.publish-due"]?.lastPollAt ?? 0) > publishedSeen), { timeout: 10_000, interval: 200 })
      .toEqual([true, true]);
    for (const server of servers) {
      const probe = server.jobProbe();
      const taken = Object.entries(probe).filter(([, q]) => q.jobs > 0).map(([name, q]) => `${name} ×${q.jobs}`);
      console.log(`  server ${server.name}: polled studies.publish-due ${probe["studies.publish-due"]!.polls} times; jobs taken: ${taken.join(", ") || "none"}`);
    }

    // Delivered once each as well: both processes deliver the outbox (each to its own folder).
    await expect
      .poll(async () => (await database.db.select({ sent: s.emailOutbox.sentAt }).from(s.emailOutbox).where(inArray(s.emailOutbox.subject, subjects))).every((m) => m.sent !== null), { timeout: 60_000, interval: 500 })
      .toBe(true);
    const delivered = servers.flatMap((server) => {
      const folder = path.join(dir, `outbox-${server.name}`);
      return (existsSync(folder) ? readdirSync(folder) : [])
        .map((file) => readFileSync(path.join(folder, file), "utf8"))
        .filter((eml) => subjects.some((subject) => eml.includes(`Subject: ${subject}`)))
        .map((eml) => /^To: (.+)$/m.exec(eml)![1]!.trim());
    });
    expect(delivered.sort()).toEqual(seeded.people.filter((p) => p.mailed).map((p) => p.email).sort());

    // The company now sees its class figures, in the browser and in the API.
    const summary = (await (await api("summary")).json()) as { class: { participants: number; rank: number; mean: number } };
    expect(summary.class.participants).toBe(4);
    text = await overviewText(page);
    for (const label of ["Klassesnitt", "Klassens beste", "Plassering i klassen"]) expect(text).toContain(label);
    expect(text).toContain(`${summary.class.rank} av 4`);
    await context.close();

    console.log(
      `  published ${(publishedAfter / 1000).toFixed(1)} s (real time) after the clock passed the minute, by server ${publishers[0]!.name}; test body ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }, 240_000);
});
