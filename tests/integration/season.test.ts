// The season's lifecycle (spec/season.md): draft -> review -> published, a scheduled
// publication carried out once by the per-minute job however many run it, and the review
// and publication e-mails: one per person, in their language, not to those who turned them off.
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "#db/client.server";
import * as s from "#db/schema";
import { startJobs } from "~/jobs/runtime.server";
import type { JobRuntime } from "~/jobs/queue.server";
import { cancelScheduledPublication, openReview, publishDueStudies, publishNow, reviewIsOpen, schedulePublication, SeasonError } from "~/models/studies/season.server";
import { createTestDatabase } from "../support/db";
import { addMember, createStudy, createTenant, createUser, type TestStudy } from "../support/factories";

const MINUTE = 60_000;
// Years of their own: the factory picks a random one, and two alike would collide.
let nextYear = 2300;

describe("the study season", () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  /** A draft study with two companies; one person is a member of both, one turned the mails off, one is disabled. */
  async function season() {
    const db = database.db;
    const study: TestStudy = await createStudy(db, { status: "draft", year: nextYear++ });
    const a = await createTenant(db, study, { name: "Alfa Bank" });
    const b = await createTenant(db, study, { name: "Beta Bank" });
    const both = await createUser(db, { name: "Bo Begge" });
    const english = await createUser(db, { name: "Emma English" });
    await db.update(s.users).set({ locale: "en" }).where(eq(s.users.id, english.id));
    const quiet = await createUser(db, { name: "Stille Stina" });
    await db.update(s.users).set({ seasonMails: false }).where(eq(s.users.id, quiet.id));
    const gone = await createUser(db, { name: "Borte Bjørn" });
    await db.update(s.users).set({ disabledAt: new Date() }).where(eq(s.users.id, gone.id));
    await addMember(db, a.tenantId, both.id, "manager");
    await addMember(db, b.tenantId, both.id, "viewer");
    await addMember(db, b.tenantId, english.id, "teamlead");
    await addMember(db, a.tenantId, quiet.id, "viewer");
    await addMember(db, a.tenantId, gone.id, "viewer");
    // A company of another study: its members hear nothing.
    const other = await createStudy(db, { status: "draft", year: nextYear++ });
    const c = await createTenant(db, other, { name: "Gamma" });
    const outsider = await createUser(db);
    await addMember(db, c.tenantId, outsider.id);
    const people = { both, english, quiet, gone, outsider };
    const mailsTo = async () => {
      const rows = await db
        .select({ to: s.emailOutbox.toAddress, subject: s.emailOutbox.subject, text: s.emailOutbox.textBody })
        .from(s.emailOutbox)
        .where(inArray(s.emailOutbox.toAddress, Object.values(people).map((p) => p.email)));
      return rows;
    };
    return { study, people, mailsTo };
  }

  it("opens the review once with one e-mail per person in their language, and moves its deadline without mailing again", async () => {
    const db = database.db;
    const { study, people, mailsTo } = await season();
    const now = new Date();
    const until = new Date(now.getTime() + 7 * 24 * 60 * MINUTE);
    expect(await openReview(db, study.study.id, { until, userId: null, now })).toEqual({ opened: true });
    const [row] = await db.select().from(s.studies).where(eq(s.studies.id, study.study.id));
    expect(row!.status).toBe("review");
    expect(row!.reviewUntil!.getTime()).toBe(until.getTime());
    expect(reviewIsOpen(row!, now)).toBe(true);
    expect(reviewIsOpen(row!, new Date(until.getTime() + 1))).toBe(false);

    const mails = await mailsTo();
    expect(mails.map((m) => m.to).sort()).toEqual([people.both.email, people.english.email].sort());
    const bo = mails.find((m) => m.to === people.both.email)!;
    expect(bo.subject).toBe(`Foreløpige resultater fra Kundeserviceprisen ${study.study.year}`);
    expect(bo.text).toContain("Alfa Bank og Beta Bank");
    expect(bo.text).toContain(`/company?study=${study.study.year}`);
    const emma = mails.find((m) => m.to === people.english.email)!;
    expect(emma.subject).toBe(`Preliminary results of Kundeserviceprisen ${study.study.year}`);
    expect(emma.text).toContain("Beta Bank");
    expect(emma.text).not.toContain("Alfa Bank");

    const later = new Date(until.getTime() + 24 * 60 * MINUTE);
    expect(await openReview(db, study.study.id, { until: later, userId: null, now })).toEqual({ opened: false });
    expect(await mailsTo()).toHaveLength(2);
    const audit = await db.select({ action: s.auditEvents.action }).from(s.auditEvents).where(eq(s.auditEvents.studyId, study.study.id));
    expect(audit.map((a) => a.action)).toEqual(["study.review.open", "study.review.deadline"]);
  });

  it("refuses a deadline in the past and a review of a published study", async () => {
    const db = database.db;
    const { study } = await season();
    const now = new Date();
    await expect(openReview(db, study.study.id, { until: new Date(now.getTime() - MINUTE), userId: null, now })).rejects.toMatchObject({ code: "deadline-past" });
    await publishNow(db, study.study.id, null, now);
    await expect(openReview(db, study.study.id, { until: new Date(now.getTime() + MINUTE), userId: null, now })).rejects.toBeInstanceOf(SeasonError);
  });

  it("publishes a scheduled study at its minute exactly once, however many runs of the job race for it", async () => {
    const db = database.db;
    const { study, people, mailsTo } = await season();
    const now = new Date();
    await openReview(db, study.study.id, { until: new Date(now.getTime() + 10 * MINUTE), userId: null, now });
    const at = new Date(now.getTime() + 30 * MINUTE);
    await schedulePublication(db, study.study.id, { at, userId: null, now });
    const reviewMails = (await mailsTo()).length;

    // Before the minute: nothing happens.
    expect(await publishDueStudies(db, new Date(at.getTime() - 1000))).not.toContain(study.study.id);
    let [row] = await db.select().from(s.studies).where(eq(s.studies.id, study.study.id));
    expect(row!.status).toBe("review");
    expect(await db.select().from(s.benchmarkStudy).where(eq(s.benchmarkStudy.studyId, study.study.id))).toHaveLength(0);

    // At the minute, four runs at once (four processes' jobs): one publishes, the rest find nothing due.
    const runs = await Promise.all([1, 2, 3, 4].map(() => publishDueStudies(db, at)));
    expect(runs.filter((ids) => ids.includes(study.study.id))).toHaveLength(1);
    [row] = await db.select().from(s.studies).where(eq(s.studies.id, study.study.id));
    expect(row!.status).toBe("published");
    expect(row!.publishAt).toBeNull();
    expect(row!.publishedAt!.getTime()).toBe(at.getTime());
    expect(await db.select().from(s.benchmarkStudy).where(eq(s.benchmarkStudy.studyId, study.study.id))).toHaveLength(1);

    const published = (await mailsTo()).slice(reviewMails);
    expect(published.map((m) => m.to).sort()).toEqual([people.both.email, people.english.email].sort());
    expect(published.find((m) => m.to === people.english.email)!.subject).toBe(`The results of Kundeserviceprisen ${study.study.year} are published`);

    // A later run (the next minute, a restarted worker) does nothing again.
    expect(await publishDueStudies(db, new Date(at.getTime() + 5 * MINUTE))).not.toContain(study.study.id);
    expect((await mailsTo()).length).toBe(reviewMails + 2);
    const audit = await db.select({ action: s.auditEvents.action, actor: s.auditEvents.actorUserId, details: s.auditEvents.details }).from(s.auditEvents).where(eq(s.auditEvents.studyId, study.study.id));
    expect(audit.filter((a) => a.action === "study.publish")).toEqual([{ action: "study.publish", actor: null, details: expect.objectContaining({ scheduledFor: at.toISOString() }) }]);
  });

  it("a minute missed while no worker ran is published at the next run; a cancelled schedule never is", async () => {
    const db = database.db;
    const { study } = await season();
    const now = new Date();
    const at = new Date(now.getTime() + MINUTE);
    await schedulePublication(db, study.study.id, { at, userId: null, now });
    // Down for an hour: the next run publishes it.
    expect(await publishDueStudies(db, new Date(at.getTime() + 60 * MINUTE))).toContain(study.study.id);

    const second = await season();
    await schedulePublication(db, second.study.study.id, { at, userId: null, now });
    await cancelScheduledPublication(db, second.study.study.id, null);
    expect(await publishDueStudies(db, new Date(at.getTime() + MINUTE))).not.toContain(second.study.study.id);
    const [row] = await db.select().from(s.studies).where(eq(s.studies.id, second.study.study.id));
    expect(row!.status).toBe("draft");
    await expect(cancelScheduledPublication(db, second.study.study.id, null)).rejects.toMatchObject({ code: "no-schedule" });
    await expect(schedulePublication(db, second.study.study.id, { at: new Date(now.getTime() - MINUTE), userId: null, now })).rejects.toMatchObject({ code: "not-future" });
  });

  it("publishing again after a correction recomputes the figures and mails nobody a second time", async () => {
    const db = database.db;
    const { study, mailsTo } = await season();
    expect(await publishNow(db, study.study.id, null)).toEqual({ first: true });
    const first = (await mailsTo()).length;
    expect(first).toBe(2);
    expect(await publishNow(db, study.study.id, null)).toEqual({ first: false });
    expect((await mailsTo()).length).toBe(first);
  });
});

describe("scheduled publication through the job queue", () => {
  let database: Database & { url?: string };
  const runtimes: JobRuntime[] = [];
  beforeAll(async () => {
    database = await createTestDatabase({ shared: true });
  }, 60_000);
  afterAll(async () => {
    for (const runtime of runtimes) await runtime.stop({ graceful: false }).catch(() => {});
    await database?.close();
  });

  it("two worker processes' queues publish a study whose minute passed while none ran, once, at their start", async () => {
    const db = database.db;
    const study = await createStudy(db, { status: "draft", year: nextYear++ });
    const company = await createTenant(db, study, { name: "Delta" });
    const member = await createUser(db);
    await addMember(db, company.tenantId, member.id);
    const now = new Date();
    await schedulePublication(db, study.study.id, { at: new Date(now.getTime() + 1000), userId: null, now });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    for (let i = 0; i < 2; i++) {
      runtimes.push(await startJobs(database, { work: true, only: ["studies.publish-due"], pollingIntervalSeconds: 0.5, cronMonitorIntervalSeconds: 1, log: () => {} }));
    }
    const deadline = Date.now() + 30_000;
    let status = "draft";
    while (status !== "published" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      [{ status }] = (await db.select({ status: s.studies.status }).from(s.studies).where(eq(s.studies.id, study.study.id))) as [{ status: string }];
    }
    expect(status).toBe("published");
    // Give the other process's job (if any) time to run too: it must find nothing due.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const mails = await db.select().from(s.emailOutbox).where(eq(s.emailOutbox.toAddress, member.email));
    expect(mails).toHaveLength(1);
    const audit = await db.select().from(s.auditEvents).where(eq(s.auditEvents.studyId, study.study.id));
    expect(audit.filter((a) => a.action === "study.publish")).toHaveLength(1);
  }, 60_000);
});
