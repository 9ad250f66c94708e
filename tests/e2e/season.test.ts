// The study season end to end (issue 15's acceptance), in real Chromium against TWO real server
// processes (app/server/main.ts, as `npm start` runs it: web, job workers and the cron in each) on
// ONE database: PostgreSQL with DATABASE_URL; otherwise the embedded PGlite, owned by the first
// process and joined by the second through its Unix socket (as `npm run worker` joins `npm start`).
//
// The test moves the clock instead of sleeping: both processes run with ./support/clock-preload.ts
// and the test shifts their Date; it then waits (polls) for the real per-minute cron of the job
// queue to publish the study, which takes up to a minute of real time after the move.
//
// The season, as issue 15's acceptance runs it: staff open the review on the study page; a team
// lead raises a query on one question from the inquiry page; staff accept it in the queue,
// changing 1 point to 2; the inquiry's and the company's totals equal scoring.md worked by hand,
// and the import history names the query; the deadline passes (the clock moves) and the raise
// form is gone (a raise sent anyway is 403); staff schedule publication one minute ahead; before
// that minute the company sees no class figures and the API's awards is 404; after it, each
// active member has exactly one publication e-mail, the study has one `study.publish` audit
// entry, the company sees its class figures, and both processes' workers were polling the
// publication queue at the minute.
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
import type { InquiryRow, StudyData } from "~/domain/types";
import { translate } from "~/i18n/i18n";
import { createApiToken } from "~/models/accounts/api-token.server";
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
  const data = sampleStudy(YEAR);
  const { studyId } = await db.transaction((tx) => writeStudy(tx, data));
  const ids = new Map((await db.select().from(s.participants)).map((p) => [p.code, p.id]));
  const staff = await createUser(db, { isStaff: true, name: "Siri Stab", email: "siri-stab@sesong.test", passwordHash: await hashPassword(PASSWORD) });
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
  await person("tor-teamleder", [["kystbanken", "teamlead"]], { password: true });
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
  return { data, studyId, staffId: staff.id, people, token, kystbanken: ids.get("kystbanken")! };
}

/** The start of the minute after `date`. */
const nextMinute = (date: Date) => new Date(Math.floor(date.getTime() / MINUTE) * MINUTE + MINUTE);

/** `date` as a datetime-local field takes it: Oslo wall-clock time, "2021-04-20T16:00". */
const osloField = (date: Date) =>
  new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Oslo", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
    .format(date)
    .replace(" ", "T");

/** Half away from zero to 2 decimals (scoring.md 5), safe from binary fractions like 57.285. */
const round2 = (x: number) => Math.sign(x) * Math.round(Number((Math.abs(x) * 100).toFixed(6))) / 100;

/**
 * An inquiry's total score worked out by hand from scoring.md (not the app's engine): area score
 * = 100 × points / max over the area's answered questions; total = weighted mean of the areas
 * with a score; unanswered = 0; rounded to 2 decimals.
 */
function handTotal(data: StudyData, inquiry: InquiryRow): number {
  if (!inquiry.answered) return 0;
  let weighted = 0;
  let weights = 0;
  for (const area of data.questionnaire.areas) {
    const answered = data.questionnaire.questions.filter((q) => q.areaCode === area.code && q.kind === "points" && inquiry.answers[q.code] !== undefined);
    if (answered.length === 0) continue;
    const points = answered.reduce((sum, q) => sum + inquiry.answers[q.code]!, 0);
    const max = answered.reduce((sum, q) => sum + q.maxPoints!, 0);
    weighted += area.weight * ((100 * points) / max);
    weights += area.weight;
  }
  return round2(weighted / weights);
}

/** A Kystbanken inquiry that was answered and scored 1 on a question worth 2 or more: the one to query. */
function disputedInquiry(data: StudyData) {
  for (const inquiry of data.inquiries) {
    if (inquiry.participantCode !== "kystbanken" || !inquiry.answered) continue;
    const question = data.questionnaire.questions.find((q) => q.kind === "points" && (q.maxPoints ?? 0) >= 2 && inquiry.answers[q.code] === 1);
    if (question) return { inquiry, question };
  }
  throw new Error("the sample has no Kystbanken inquiry with 1 point on a question worth 2 or more");
}

/** Signs a person in through the login page in a new browser context; returns the page. */
async function signIn(browser: Browser, origin: string, email: string, to: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${origin}/login?redirectTo=${encodeURIComponent(to)}`);
  await page.getByLabel("E-postadresse").fill(email);
  await page.getByLabel("Passord").fill(PASSWORD);
  await page.keyboard.press("Enter");
  await page.waitForURL(`${origin}${to}`);
  // The URL changes before the new page is drawn (React renders navigations in a transition).
  await page.getByRole("button", { name: "Logg inn" }).waitFor({ state: "detached" });
  return page;
}

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

  /** Staff schedule the publication for `at` on the study page, and see the countdown. */
  async function schedulePublicationStep(staff: Page, at: Date) {
    await staff.goto(`${servers[0]!.origin}/staff/studies/${YEAR}`);
    await staff.getByLabel("Publiseringstidspunkt (norsk tid)").fill(osloField(at));
    await staff.getByRole("button", { name: "Planlegg publisering" }).click();
    await staff.getByText("Publiseringen er planlagt til").first().waitFor();
    expect(await staff.locator("main").innerText()).toMatch(/publiseres om/);
  }

  it("runs the season: review opened, a query raised and accepted (totals as by hand), the deadline passing, publication at its minute once with one e-mail per member", async () => {
    const started = Date.now();
    // A failure shows what the servers said.
    onTestFailed(() => {
      for (const server of servers) console.error(`--- server ${server.name} (last lines) ---\n${server.output.slice(-40).join("\n")}`);
    });
    const [a, b] = servers as [ChildServer, ChildServer];
    console.log(`Season e2e on ${engine}: server a pid ${a.pid} (${a.origin}), server b pid ${b.pid} (${b.origin}), both running web, job workers and the cron.`);

    // Staff open the review on the study page (server a), with a deadline two hours ahead.
    const until = nextMinute(new Date(clock.now().getTime() + 2 * 60 * MINUTE));
    const staff = await signIn(browser, a.origin, "siri-stab@sesong.test", `/staff/studies/${YEAR}`);
    await staff.getByLabel("Frist for spørsmål (norsk tid)").fill(osloField(until));
    await staff.getByRole("button", { name: "Åpne gjennomgangen" }).click();
    await staff.getByText("Gjennomgangen er åpnet til").waitFor();
    expect(await studyStatus()).toBe("review");

    // A team lead of Kystbanken raises a query on one question of one inquiry (server b).
    const { inquiry, question } = disputedInquiry(seeded.data);
    const inquiryPath = `/company/inquiries/${inquiry.ref}?study=${YEAR}`;
    const lead = await signIn(browser, b.origin, "tor-teamleder@sesong.test", inquiryPath);
    await lead.getByText("Foreløpige resultater").first().waitFor();
    await lead.getByLabel("Gjelder").selectOption(question.code);
    await lead.getByLabel("Begrunnelse").fill("Kundebehandleren ønsket kunden velkommen; se transkripsjonen.");
    await lead.getByRole("button", { name: "Send spørsmål" }).click();
    await lead.getByText("Spørsmålet er sendt.").waitFor();

    // Staff find it in the queue and accept it, changing the question's 1 point to 2 (server a).
    await staff.goto(`${a.origin}/staff/studies/${YEAR}/queries`);
    await staff.getByRole("link", { name: inquiry.ref }).first().click();
    await staff.getByText("Kundebehandleren ønsket kunden velkommen; se transkripsjonen.").waitFor();
    await staff.getByLabel("Godtatt", { exact: true }).check();
    await staff.getByLabel("Begrunnelse").fill("Riktig: poenget er rettet.");
    const points = staff.getByLabel(new RegExp(`^${question.code} \\(0–${question.maxPoints}\\)`));
    expect(await points.inputValue()).toBe("1");
    await points.fill("2");
    await staff.getByRole("button", { name: "Send svar" }).click();
    await staff.getByText("Svaret er sendt: Godtatt.").waitFor();

    // The totals are what scoring.md gives by hand: the inquiry's with 2 points, the company's
    // the mean of all its inquiries (unanswered as 0).
    const corrected = { ...inquiry, answers: { ...inquiry.answers, [question.code]: 2 } };
    const own = seeded.data.inquiries.filter((i) => i.participantCode === "kystbanken").map((i) => (i.ref === inquiry.ref ? corrected : i));
    const inquiryTotal = handTotal(seeded.data, corrected);
    expect(inquiryTotal).toBeGreaterThan(handTotal(seeded.data, inquiry));
    const companyTotal = own.reduce((sum, i) => sum + handTotal(seeded.data, i), 0) / own.length;
    const [stored] = await database.db.select({ total: s.inquiries.totalScore }).from(s.inquiries).where(and(eq(s.inquiries.studyId, seeded.studyId), eq(s.inquiries.ref, inquiry.ref)));
    expect(stored!.total).toBe(inquiryTotal);
    const [participation] = await database.db
      .select({ total: s.participations.totalScore })
      .from(s.participations)
      .where(and(eq(s.participations.studyId, seeded.studyId), eq(s.participations.tenantId, seeded.kystbanken)));
    expect(participation!.total).toBeCloseTo(companyTotal, 6);
    const preliminary = (await (await api("summary")).json()) as { status: string; totalScore: number; class: unknown };
    expect(preliminary).toMatchObject({ status: "review", class: null });
    expect(preliminary.totalScore).toBeCloseTo(companyTotal, 6);
    // The team lead sees the answer and the new total on the inquiry page.
    await lead.reload();
    await lead.getByText("Riktig: poenget er rettet.").waitFor();
    expect(await lead.locator("main").innerText()).toContain(inquiryTotal.toFixed(1).replace(".", ","));

    // The import history shows the correction, naming the query.
    await staff.goto(`${a.origin}/staff/studies/${YEAR}`);
    await staff.getByRole("link", { name: `Retting etter spørsmål om ${inquiry.ref}` }).waitFor();

    // The deadline passes: the clock moves two hours on, in both processes.
    await clock.moveTo(new Date(until.getTime() + MINUTE), pids());

    // Now the raise form is gone, and a raise sent anyway is refused (403) and writes nothing.
    await lead.reload();
    await lead.getByText("Fristen for spørsmål gikk ut").first().waitFor();
    expect(await lead.getByRole("button", { name: "Send spørsmål" }).count()).toBe(0);
    const cookie = (await lead.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    const late = await fetch(`${b.origin}${inquiryPath}`, {
      method: "POST",
      headers: { Cookie: cookie, Origin: b.origin, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ study: String(YEAR), question: "", reason: "For sent?" }),
      redirect: "manual",
    });
    expect(late.status).toBe(403);
    expect(await database.db.select().from(s.inquiryQueries).where(eq(s.inquiryQueries.studyId, seeded.studyId))).toHaveLength(1);

    // Staff schedule publication one minute ahead.
    const at = new Date(nextMinute(clock.now()).getTime() + MINUTE);
    await schedulePublicationStep(staff, at);
    const [scheduled] = await database.db.select({ publishAt: s.studies.publishAt }).from(s.studies).where(eq(s.studies.id, seeded.studyId));
    expect(scheduled!.publishAt!.getTime()).toBe(at.getTime());

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

    // The awards are out now, to every company of the study (spec/season.md).
    const awards = await api("awards");
    expect(awards.status).toBe(200);
    expect(((await awards.json()) as { year: number; overall: { winners: unknown[] } }).overall.winners.length).toBeGreaterThan(0);

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
