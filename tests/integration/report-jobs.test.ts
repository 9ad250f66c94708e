// The company reports' building and delivery (issue 19, points 3 and 4), over HTTP with the
// job queue running in the server's process, on the published sample study: staff's batch is
// one job per company with a progress bar and a per-company status, a failed build is shown
// and built again, a correction re-queues the stored reports and they are rebuilt, and the
// companies download their own reports (audited; viewers only while the company allows it),
// built on demand when missing. Nothing is built before publication.
import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as s from "#db/schema";
import { writeStudy } from "~/models/studies/study-write.server";
import { buildCompanyReportsJob, markStudyReportsStale, sendReportJobs } from "~/models/reports/company-reports.server";
import { pauseInStudy, unpauseInStudy } from "~/models/studies/pauses.server";
import { answerQuery } from "~/models/studies/queries.server";
import { createUser, signedInCookie } from "../support/factories";
import { pdfText } from "../support/pdf-text";
import { publishedStudiesWith } from "../support/published-sample";
import { sampleStudy, smallSample } from "../support/sample-study";

vi.setConfig({ testTimeout: 180_000 });

const YEAR = 2021;
const DRAFT_YEAR = 2022;
const OWNER = "fjordkraft-demo";
const OWNER_NAME = "Fjordkraft Demo";

let sample: Awaited<ReturnType<typeof publishedStudiesWith>>;
let staff: string;
let staffId: string;
let studyId: number;
// Three companies of four inquiries: these tests are about building and delivering (jobs,
// statuses, rebuilds, downloads); report-render.test.ts checks what a report holds.
const study = smallSample(sampleStudy(YEAR), OWNER);

beforeAll(async () => {
  sample = await publishedStudiesWith({ jobs: true }, study);
  const user = await createUser(sample.database.db, { isStaff: true });
  staffId = user.id;
  staff = await signedInCookie(sample.database.db, user.id);
  studyId = (await sample.database.db.select({ id: s.studies.id }).from(s.studies).where(eq(s.studies.year, YEAR)))[0]!.id;
  // A second year, loaded but not published (a draft): no report of it may be built.
  const draft = sampleStudy(DRAFT_YEAR);
  for (const inquiry of draft.inquiries) inquiry.ref = inquiry.ref.replace(/^S21-/, "S22-");
  await sample.database.db.transaction((tx) => writeStudy(tx, draft));
}, 180_000);

afterAll(async () => {
  await sample?.close();
});

const db = () => sample.database.db;

async function reportRows(where = eq(s.companyReports.studyId, studyId)) {
  return db()
    .select({ tenantId: s.companyReports.tenantId, kind: s.companyReports.kind, lang: s.companyReports.lang, status: s.companyReports.status, generation: s.companyReports.generation, error: s.companyReports.error, builtAt: s.companyReports.builtAt })
    .from(s.companyReports)
    .where(where);
}

/** Waits until no report of the study is queued or building; returns the rows. */
async function settled() {
  for (let i = 0; i < 1200; i++) {
    const rows = await reportRows();
    if (rows.length > 0 && rows.every((r) => r.status === "ready" || r.status === "failed")) return rows;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the reports did not settle: ${JSON.stringify(await reportRows())}`);
}

async function staffPage() {
  const response = await sample.server.fetch(`/staff/studies/${YEAR}/reports`, { cookie: staff });
  expect(response.status).toBe(200);
  return response.text();
}

describe("staff build a study's reports", () => {
  it("queues one job per company, shows a progress bar and each company's status, and builds every report", async () => {
    const before = await staffPage();
    expect(before).toContain("Bygg rapporter");
    expect(before).toContain('data-report-status="none"');

    const response = await sample.server.fetch(`/staff/studies/${YEAR}/reports`, { cookie: staff, form: { intent: "build" } });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`/staff/studies/${YEAR}?reports=${study.participants.length}#reports`);

    // One job per company (so worker processes share the batch), each naming its company.
    const jobs = await db().execute<{ tenant: string }>(sql`select data->>'tenantId' as tenant from pgboss.job where name = 'report.build'`);
    const tenants = (jobs as unknown as { rows?: { tenant: string }[] }).rows ?? (jobs as unknown as { tenant: string }[]);
    expect(tenants.length).toBe(study.participants.length);
    expect(new Set(tenants.map((t) => t.tenant))).toEqual(new Set(sample.ids.values()));

    const rows = await settled();
    expect(rows.length).toBe(study.participants.length * 2);
    expect(rows.every((r) => r.status === "ready")).toBe(true);
    expect(new Set(rows.map((r) => `${r.kind}/${r.lang}`))).toEqual(new Set(["full/nb", "summary/nb"]));

    const after = await staffPage();
    const n = study.participants.length;
    expect(after).toContain(`${n} av ${n} selskaper ferdige`);
    expect(after).toMatch(new RegExp(`<progress[^>]*max="${n}"[^>]*value="${n}"`));
    expect(after.match(/data-report-status="ready"/g)?.length).toBe(n);
    expect(after).toContain(`${OWNER_NAME} (${OWNER})`);
    expect(after).toContain("Bygg alle rapporter på nytt");

    // The staff audit names the batch.
    const [event] = await db().select().from(s.auditEvents).where(eq(s.auditEvents.action, "report.build"));
    expect(event).toMatchObject({ actorUserId: staffId, studyId });
  });

  it("shows a failed build with its reason and builds it again on retry", async () => {
    const owner = sample.ids.get(OWNER)!;
    await db().update(s.companyReports).set({ status: "queued", generation: sql`${s.companyReports.generation} + 1` }).where(eq(s.companyReports.tenantId, owner));
    // The job's last try, with a renderer that breaks: what is left is marked failed with the reason.
    await expect(
      buildCompanyReportsJob(db(), { tenantId: owner, studyId }, { jobId: crypto.randomUUID(), lastAttempt: true, render: () => Promise.reject(new Error("Skriveren gikk tom for blekk")) }),
    ).rejects.toThrow("blekk");
    const failed = await reportRows(and(eq(s.companyReports.studyId, studyId), eq(s.companyReports.tenantId, owner)));
    expect(failed.map((r) => [r.status, r.error])).toEqual([
      ["failed", "Skriveren gikk tom for blekk"],
      ["failed", "Skriveren gikk tom for blekk"],
    ]);
    const page = await staffPage();
    expect(page).toContain("Skriveren gikk tom for blekk");
    expect(page).toContain('data-report-status="failed"');
    expect(page).toContain("Prøv de mislykkede igjen");

    const retry = await sample.server.fetch(`/staff/studies/${YEAR}/reports`, { cookie: staff, form: { intent: "retry-failed" } });
    expect(retry.status).toBe(302);
    expect(retry.headers.get("location")).toContain("?reports=1#reports");
    const rows = await settled();
    expect(rows.every((r) => r.status === "ready" && r.error === null)).toBe(true);
  });

  it("builds nothing before publication", async () => {
    const response = await sample.server.fetch(`/staff/studies/${DRAFT_YEAR}/reports`, { cookie: staff, form: { intent: "build" } });
    expect(response.status).toBe(409);
    const [draft] = await db().select({ id: s.studies.id }).from(s.studies).where(eq(s.studies.year, DRAFT_YEAR));
    expect(await reportRows(eq(s.companyReports.studyId, draft!.id))).toEqual([]);
    const page = await sample.server.fetch(`/staff/studies/${DRAFT_YEAR}/reports`, { cookie: staff });
    expect(await page.text()).toContain("Rapportene kan bygges når undersøkelsen er publisert.");
  });
});

describe("a correction of a published study", () => {
  it("re-queues every stored report of the study in its transaction, and they are rebuilt", async () => {
    const before = await settled();
    const inquiry = study.inquiries.find((i) => i.participantCode === OWNER && i.answered && i.channel === "phone" && i.answers.V1 !== undefined)!;
    const [query] = await db()
      .insert(s.inquiryQueries)
      .values({ tenantId: sample.ids.get(OWNER)!, studyId, inquiryRef: inquiry.ref, reason: "Vi ble satt rett over" })
      .returning({ id: s.inquiryQueries.id });
    const points = inquiry.answers.V1 === 3 ? 2 : 3;
    await answerQuery(db(), { queryId: query!.id, state: "accepted", answer: "Rettet", changes: { V1: points }, userId: staffId });
    // Right after the commit none is ready with the old figures: all were queued again, each a newer generation.
    // (Some may be rebuilt already: the jobs run in this process; a ready one is then built afresh.)
    const requeued = await reportRows();
    const generation = new Map(before.map((r) => [`${r.tenantId}/${r.kind}/${r.lang}`, r.generation]));
    const builtBefore = new Map(before.map((r) => [`${r.tenantId}/${r.kind}/${r.lang}`, r.builtAt!.getTime()]));
    expect(requeued.every((r) => r.generation === generation.get(`${r.tenantId}/${r.kind}/${r.lang}`)! + 1)).toBe(true);
    expect(requeued.filter((r) => r.status === "ready" && r.builtAt!.getTime() <= builtBefore.get(`${r.tenantId}/${r.kind}/${r.lang}`)!)).toEqual([]);

    const rebuilt = await settled();
    expect(rebuilt.every((r) => r.status === "ready")).toBe(true);
    expect(rebuilt.every((r) => r.builtAt!.getTime() > builtBefore.get(`${r.tenantId}/${r.kind}/${r.lang}`)!)).toBe(true);
  });

  it("a pause set or lifted (the awards a report shows change) re-queues every stored report, and they are rebuilt", async () => {
    const before = await settled();
    const key = (r: { tenantId: string; kind: string; lang: string }) => `${r.tenantId}/${r.kind}/${r.lang}`;
    const generation = new Map(before.map((r) => [key(r), r.generation]));
    const pause = await pauseInStudy(db(), { studyId, subject: { participantCode: OWNER }, reason: "Fusjon", userId: staffId });
    expect((await reportRows()).every((r) => r.generation === generation.get(key(r))! + 1)).toBe(true);

    await unpauseInStudy(db(), { studyId, pauseId: pause.id, userId: staffId });
    expect((await reportRows()).every((r) => r.generation === generation.get(key(r))! + 2)).toBe(true);
    expect((await settled()).every((r) => r.status === "ready")).toBe(true);
  });

  it("never stores a file built before a newer request came (its generation is gone)", async () => {
    const owner = sample.ids.get(OWNER)!;
    await db().update(s.companyReports).set({ status: "queued" }).where(eq(s.companyReports.tenantId, owner));
    const jobId = crypto.randomUUID();
    const outcome = await buildCompanyReportsJob(
      db(),
      { tenantId: owner, studyId },
      {
        jobId,
        lastAttempt: false,
        // A correction commits while the first report renders.
        render: async () => {
          await db().transaction((tx) => markStudyReportsStale(tx, studyId));
          return new TextEncoder().encode("%PDF-1.4 old figures");
        },
      },
    );
    expect(outcome.built).toBe(0);
    expect(outcome.skipped).toBeGreaterThan(0);
    await sendReportJobs(db(), { studyId });
    const rows = await settled();
    expect(rows.every((r) => r.status === "ready")).toBe(true);
  });
});

describe("a company downloads its reports", () => {
  const download = (cookie: string, query: string) => sample.server.fetch(`/company/reports/download?${query}`, { cookie });

  it("from the reports page (the overview's panel): the report with the company's name, each download in its audit log", async () => {
    await settled();
    const manager = await sample.memberCookie(OWNER, "manager");
    const overview = await sample.server.fetch(`/company/reports?study=${YEAR}`, { cookie: manager });
    expect(overview.status).toBe(200);
    const html = await overview.text();
    expect(html).toContain(`/company/reports/download?study=${YEAR}&amp;kind=full&amp;lang=nb`);
    expect(html).toContain(`/company/reports/download?study=${YEAR}&amp;kind=summary&amp;lang=nb`);

    const response = await download(manager, `study=${YEAR}&kind=full&lang=nb`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="rapport-${YEAR}-${OWNER}.pdf"`);
    const { text } = await pdfText(new Uint8Array(await response.arrayBuffer()));
    expect(text).toContain(OWNER_NAME);
    const summary = await download(manager, `study=${YEAR}&kind=summary`);
    expect(summary.status).toBe(200);

    const events = await db()
      .select({ action: s.tenantAuditEvents.action, details: s.tenantAuditEvents.details })
      .from(s.tenantAuditEvents)
      .where(and(eq(s.tenantAuditEvents.tenantId, sample.ids.get(OWNER)!), eq(s.tenantAuditEvents.action, "report.download")));
    expect(events.map((e) => e.details)).toEqual([
      { year: YEAR, kind: "full", lang: "nb" },
      { year: YEAR, kind: "summary", lang: "nb" },
    ]);
  });

  it("builds a report on demand, shown as being built until it is ready", async () => {
    const lead = await sample.memberCookie(OWNER, "teamlead");
    const missing = await download(lead, `study=${YEAR}&kind=full&lang=en`);
    expect(missing.status).toBe(302);
    expect(missing.headers.get("location")).toBe(`/company/reports?study=${YEAR}`);
    const asked = await sample.server.fetch(`/company/reports?index&study=${YEAR}`, { cookie: lead, form: { intent: "build", study: String(YEAR), kind: "full", lang: "en" } });
    expect(asked.status).toBe(200);
    const [asking] = await reportRows(and(eq(s.companyReports.tenantId, sample.ids.get(OWNER)!), eq(s.companyReports.kind, "full"), eq(s.companyReports.lang, "en")));
    expect(["queued", "building", "ready"]).toContain(asking!.status);
    const rows = await settled();
    expect(rows.find((r) => r.tenantId === sample.ids.get(OWNER) && r.kind === "full" && r.lang === "en")?.status).toBe("ready");
    const ready = await download(lead, `study=${YEAR}&kind=full&lang=en`);
    expect(ready.status).toBe(200);
    expect(ready.headers.get("content-disposition")).toContain(`report-${YEAR}-${OWNER}.pdf`);
  });

  it("lets viewers download only while the company allows it; managers and team leads always", async () => {
    const [manager, lead, viewer] = await Promise.all([sample.memberCookie(OWNER, "manager"), sample.memberCookie(OWNER, "teamlead"), sample.memberCookie(OWNER, "viewer")]);
    expect((await download(viewer, `study=${YEAR}&kind=full`)).status).toBe(200);

    const off = await sample.server.fetch("/company/settings/privacy", { cookie: manager, form: { intent: "reports" } });
    expect(off.status).toBe(200);
    expect(await off.text()).toContain("Lesere kan ikke lenger laste ned rapportene.");
    expect((await download(viewer, `study=${YEAR}&kind=full`)).status).toBe(403);
    const page = await sample.server.fetch(`/company/reports?study=${YEAR}`, { cookie: viewer });
    const html = await page.text();
    expect(html).toContain("Selskapet har valgt at lesere ikke kan laste ned rapportene.");
    expect(html).not.toContain("/company/reports/download");
    expect((await sample.server.fetch(`/company/reports?index&study=${YEAR}`, { cookie: viewer, form: { intent: "build", study: String(YEAR), kind: "summary", lang: "en" } })).status).toBe(403);
    expect((await download(lead, `study=${YEAR}&kind=full`)).status).toBe(200);
    expect((await download(manager, `study=${YEAR}&kind=full`)).status).toBe(200);
    // Only a manager changes it; the change is in the company's audit log.
    expect((await sample.server.fetch("/company/settings/privacy", { cookie: lead, form: { intent: "reports", viewersDownloadReports: "on" } })).status).toBe(403);
    expect((await sample.server.fetch("/company/settings/privacy", { cookie: manager, form: { intent: "reports", viewersDownloadReports: "on" } })).status).toBe(200);
    expect((await download(viewer, `study=${YEAR}&kind=full`)).status).toBe(200);
    const settings = await db()
      .select({ details: s.tenantAuditEvents.details })
      .from(s.tenantAuditEvents)
      .where(and(eq(s.tenantAuditEvents.tenantId, sample.ids.get(OWNER)!), eq(s.tenantAuditEvents.action, "privacy.report_downloads")));
    expect(settings.map((e) => e.details)).toEqual([{ viewers: false }, { viewers: true }]);
    // The agent-name setting is untouched by the reports form.
    const [company] = await db().select({ hide: s.participants.hideAgentNames }).from(s.participants).where(eq(s.participants.id, sample.ids.get(OWNER)!));
    expect(company!.hide).toBe(false);
  });

  it("gets 404 for a year that is not one of its published studies, and for another company's report", async () => {
    const other = study.participants.find((p) => p.code !== OWNER)!;
    const manager = await sample.memberCookie(other.code, "manager");
    for (const path of [`/company/reports/download?study=${DRAFT_YEAR}&kind=full`, `/company/reports?study=${DRAFT_YEAR}`, `/company/reports/download?study=1999&kind=full`]) {
      expect((await sample.server.fetch(path, { cookie: manager })).status, path).toBe(404);
    }
    // Its own download gives its own company's file, whatever else the query names.
    const own = await download(manager, `study=${YEAR}&kind=full&tenant=${sample.ids.get(OWNER)}&code=${OWNER}`);
    expect(own.status).toBe(200);
    // Byte for byte its own stored report (a report names its class's companies in the ranking, so text alone cannot tell).
    const bytes = Buffer.from(await own.arrayBuffer());
    const [stored] = await db()
      .select({ content: s.companyReports.content })
      .from(s.companyReports)
      .where(and(eq(s.companyReports.tenantId, sample.ids.get(other.code)!), eq(s.companyReports.studyId, studyId), eq(s.companyReports.kind, "full"), eq(s.companyReports.lang, "nb")));
    expect(bytes.equals(Buffer.from(stored!.content!))).toBe(true);
    const { text } = await pdfText(new Uint8Array(bytes));
    expect(text).toContain(other.name);
    const rows = await db().select({ n: sql<number>`count(*)::int` }).from(s.companyReports).where(inArray(s.companyReports.status, ["queued", "building"]));
    expect(rows[0]!.n).toBe(0);
  });
});
