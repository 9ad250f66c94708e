// Issue 15, point 3 (the portal's part): a person turns the season e-mails off and on again on
// their own account page, and the company pages say once, per person and study, that new results
// are out. Over HTTP, on the real app.
import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "#db/client.server";
import * as s from "#db/schema";
import { translate } from "~/i18n/i18n";
import { openReview, publishNow } from "~/models/studies/season.server";
import { createTestDatabase } from "../support/db";
import { addMember, createStudy, createTenant, createUser, signedInCookie } from "../support/factories";
import { startTestServer, type TestServer } from "../support/server";

const DAY = 86_400_000;
// Years of their own (the factory's random years stay below 2900).
let nextYear = 2950;

let database: Database;
let server: TestServer;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await database?.close();
});

const draftStudy = () => createStudy(database.db, { status: "draft", year: nextYear++ });

describe("the season e-mails on the person's account page", () => {
  const seasonMailsOf = async (userId: string) => (await database.db.select({ on: s.users.seasonMails }).from(s.users).where(eq(s.users.id, userId)))[0]!.on;

  it("turned off, the review and publication mails skip the person; turned on again, they come back; each change audited", async () => {
    const db = database.db;
    const study = await draftStudy();
    const company = await createTenant(db, study, { name: "Alfa Bank" });
    const me = await createUser(db, { name: "Mona Meg" });
    const colleague = await createUser(db, { name: "Kari Kollega" });
    await addMember(db, company.tenantId, me.id, "viewer");
    await addMember(db, company.tenantId, colleague.id, "manager");
    const cookie = await signedInCookie(db, me.id);
    const mailsTo = async (address: string) => (await db.select({ subject: s.emailOutbox.subject }).from(s.emailOutbox).where(eq(s.emailOutbox.toAddress, address))).map((m) => m.subject);

    const page = await server.fetch("/account", { cookie });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(translate("nb", "account.title"));
    expect(html).toContain("Mona Meg");
    expect(html).toContain(me.email);
    expect(html).toContain(translate("nb", "account.seasonMails.label"));
    expect(html).toMatch(/<input[^>]*id="notifications-seasonMails"[^>]*checked/);

    // Off: the checkbox left unticked.
    const off = await server.fetch("/account?index", { cookie, form: {} });
    expect(off.status).toBe(200);
    expect(await off.text()).toContain(translate("nb", "account.seasonMails.nowOff"));
    expect(await seasonMailsOf(me.id)).toBe(false);
    expect(await (await server.fetch("/account", { cookie })).text()).not.toMatch(/<input[^>]*id="notifications-seasonMails"[^>]*checked/);

    await openReview(db, study.study.id, { until: new Date(Date.now() + 7 * DAY), userId: null });
    expect(await mailsTo(me.email)).toEqual([]);
    expect(await mailsTo(colleague.email)).toHaveLength(1);

    // On again: the next season mail reaches the person.
    const on = await server.fetch("/account?index", { cookie, form: { seasonMails: "on" } });
    expect(on.status).toBe(200);
    expect(await on.text()).toContain(translate("nb", "account.seasonMails.nowOn"));
    expect(await seasonMailsOf(me.id)).toBe(true);
    await publishNow(db, study.study.id, null);
    expect(await mailsTo(me.email)).toEqual([`Resultatene fra Kundeserviceprisen ${study.study.year} er publisert`]);

    const audit = await db
      .select({ action: s.auditEvents.action, details: s.auditEvents.details })
      .from(s.auditEvents)
      .where(and(eq(s.auditEvents.actorUserId, me.id), eq(s.auditEvents.action, "account.season_mails")))
      .orderBy(s.auditEvents.id);
    expect(audit.map((a) => a.details)).toEqual([{ on: false }, { on: true }]);
    // Saving what is already saved changes and logs nothing.
    await server.fetch("/account?index", { cookie, form: { seasonMails: "on" } });
    expect(await db.select().from(s.auditEvents).where(and(eq(s.auditEvents.actorUserId, me.id), eq(s.auditEvents.action, "account.season_mails")))).toHaveLength(2);
  });

  it("refuses a post from another site and one without a session, like every form", async () => {
    const me = await createUser(database.db);
    const cookie = await signedInCookie(database.db, me.id);
    const foreign = await server.fetch("/account?index", { cookie, form: {}, headers: { Origin: "https://angriper.example" } });
    expect(foreign.status).toBe(403);
    const anonymous = await server.fetch("/account?index", { form: {} });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/^\/login\?/);
    expect(await seasonMailsOf(me.id)).toBe(true);
    expect((await server.fetch("/account")).status).toBe(302);
  });

  it("changes only the signed-in person, whoever the form names", async () => {
    const me = await createUser(database.db);
    const other = await createUser(database.db);
    const cookie = await signedInCookie(database.db, me.id);
    const response = await server.fetch("/account?index", { cookie, form: { userId: other.id, email: other.email, id: other.id } });
    expect(response.status).toBe(200);
    expect(await seasonMailsOf(other.id)).toBe(true);
    expect(await seasonMailsOf(me.id)).toBe(false);
    const html = await (await server.fetch("/account", { cookie })).text();
    expect(html).not.toContain(other.email);
  });
});

describe("the new-results banner of the company pages", () => {
  const banner = (name: string) => translate("nb", "newResults.body", { name });
  const BANNER_TITLE = translate("nb", "newResults.title");
  const visit = async (cookie: string, path = "/company/inquiries") => {
    const response = await server.fetch(path, { cookie });
    expect(response.status, path).toBe(200);
    return response.text();
  };

  /**
   * Company A took part in `shared` (also B) and in studies still in review and in draft; B
   * alone in `onlyB`. A's two members and B's one joined before anything was published.
   */
  async function season() {
    const db = database.db;
    const [shared, onlyB, review, draft] = [await draftStudy(), await draftStudy(), await draftStudy(), await draftStudy()];
    const a = await createTenant(db, shared, { name: "Alfa Bank" });
    const b = await createTenant(db, shared, { name: "Beta Bank" });
    for (const [study, tenant] of [
      [onlyB, b],
      [review, a],
      [draft, a],
    ] as const) {
      await db.insert(s.participations).values({ tenantId: tenant.tenantId, studyId: study.study.id, classId: study.klass.id, displayName: tenant.participant.name, inquiryCount: 0, answeredCount: 0, totalScore: 0 });
    }
    const [first, second, bMember] = [await createUser(db), await createUser(db), await createUser(db)];
    await addMember(db, a.tenantId, first.id, "viewer");
    await addMember(db, a.tenantId, second.id, "manager");
    await addMember(db, b.tenantId, bMember.id, "teamlead");
    // The database's clock, as the memberships' created_at: a JS Date has only milliseconds, and
    // a fast server can add the membership later in the same millisecond.
    await db.update(s.studies).set({ status: "published", publishedAt: sql`now()` }).where(inArray(s.studies.id, [shared.study.id, onlyB.study.id]));
    await db.update(s.studies).set({ status: "review", reviewOpenedAt: new Date(), reviewUntil: new Date(Date.now() + 7 * DAY) }).where(eq(s.studies.id, review.study.id));
    const names = { shared: shared.study.name, onlyB: onlyB.study.name, review: review.study.name, draft: draft.study.name };
    return { a, b, shared, onlyB, names, first, second, bMember };
  }

  it("shows a study's publication on a person's first company page only, with a link to its overview, and to each person once", async () => {
    const { names, shared, first, second } = await season();
    const cookie = await signedInCookie(database.db, first.id);
    const html = await visit(cookie);
    expect(html).toContain(BANNER_TITLE);
    expect(html).toContain(banner(names.shared));
    expect(html).toContain(`href="/company?study=${shared.study.year}"`);
    // Still in review or in draft: no banner. Only B's study: never in A's pages.
    for (const name of [names.review, names.draft, names.onlyB]) expect(html).not.toContain(banner(name));

    expect(await visit(cookie)).not.toContain(BANNER_TITLE);
    expect(await visit(cookie, "/company/trends")).not.toContain(BANNER_TITLE);

    // A colleague in the same company hears of it once too, on whichever company page comes first.
    const colleague = await signedInCookie(database.db, second.id);
    expect(await visit(colleague, "/company/trends")).toContain(banner(names.shared));
    expect(await visit(colleague)).not.toContain(BANNER_TITLE);
  });

  it("never shows another company's publication, a study in review or in draft, and says nothing twice across a company switch", async () => {
    const db = database.db;
    const { a, b, names, bMember } = await season();
    // B's member: the shared study and B's own, never A's review or draft.
    const bHtml = await visit(await signedInCookie(db, bMember.id));
    expect(bHtml).toContain(banner(names.shared));
    expect(bHtml).toContain(banner(names.onlyB));
    for (const name of [names.review, names.draft]) expect(bHtml).not.toContain(banner(name));

    // A person in both companies: the shared study once, and B's own study when they switch to B.
    const both = await createUser(db);
    await addMember(db, a.tenantId, both.id, "manager");
    await addMember(db, b.tenantId, both.id, "viewer");
    await db.update(s.memberships).set({ createdAt: new Date(Date.now() - DAY) }).where(eq(s.memberships.userId, both.id));
    const cookie = await signedInCookie(db, both.id);
    await db.update(s.sessions).set({ activeTenantId: a.tenantId }).where(eq(s.sessions.userId, both.id));
    const atA = await visit(cookie);
    expect(atA).toContain(banner(names.shared));
    expect(atA).not.toContain(banner(names.onlyB));
    expect((await server.fetch("/switch-company", { cookie, form: { tenantId: b.tenantId } })).status).toBe(302);
    const atB = await visit(cookie);
    expect(atB).toContain(banner(names.onlyB));
    expect(atB).not.toContain(banner(names.shared));
    expect(await visit(cookie)).not.toContain(BANNER_TITLE);

    // The review study is published later: now it is news to A's members.
    const [review] = await db.select().from(s.studies).where(eq(s.studies.name, names.review));
    await db.update(s.studies).set({ status: "published", publishedAt: new Date() }).where(eq(s.studies.id, review!.id));
    await db.update(s.sessions).set({ activeTenantId: a.tenantId }).where(eq(s.sessions.userId, both.id));
    expect(await visit(cookie)).toContain(banner(names.review));
  });

  it("is not news to someone who joined after the publication, nor a month and more after it", async () => {
    const db = database.db;
    const { a, names, first } = await season();
    const newcomer = await createUser(db);
    await addMember(db, a.tenantId, newcomer.id, "viewer");
    await db.update(s.memberships).set({ createdAt: sql`now() + interval '1 second'` }).where(eq(s.memberships.userId, newcomer.id));
    expect(await visit(await signedInCookie(db, newcomer.id))).not.toContain(BANNER_TITLE);

    // Back after a long leave: the study was published 40 days ago, the membership is older.
    await db.update(s.studies).set({ publishedAt: new Date(Date.now() - 40 * DAY) }).where(eq(s.studies.name, names.shared));
    await db.update(s.memberships).set({ createdAt: new Date(Date.now() - 400 * DAY) }).where(eq(s.memberships.userId, first.id));
    expect(await visit(await signedInCookie(db, first.id))).not.toContain(BANNER_TITLE);
  });
});
