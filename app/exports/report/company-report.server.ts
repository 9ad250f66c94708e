// The company's report of a study year (issue 19): the full results report or the one-page
// management summary, as a PDF. Every figure comes from the functions the company pages call
// (~/models/insights/*), read in one tenant-scoped transaction, so the report cannot disagree
// with the screen. The PDF itself (@react-pdf, CPU-bound for seconds) is drawn in the
// process's render thread, as the coaching pack's, so the event loop stays free.

import path from "node:path";
import { projectRoot } from "#db/paths";
import { getDatabase, withTenant, type TenantScope } from "#db/client.server";
import type { Locale } from "~/domain/format";
import { renderInWorker } from "~/exports/render-worker.server";
import { getCompanyAwards } from "~/models/insights/awards-view.server";
import { getComparison } from "~/models/insights/comparison.server";
import { findTenantStudy } from "~/models/insights/insights.server";
import { getInquiries, listAllInquiryRefs, type InquiryDetail } from "~/models/insights/inquiries.server";
import { getOverviewPage } from "~/models/insights/overview.server";
import { getTrends } from "~/models/insights/trends.server";
import { getVariance } from "~/models/insights/variance.server";
import type { ReportData, ReportKind, ReportWorkerResult } from "./report-data";

export type { ReportKind };

/** The company took no part in a published study of that year (or it is not published yet): nothing to report. */
export class ReportNotAvailableError extends Error {
  constructor(readonly studyYear: number) {
    super(`The company has no published study ${studyYear} to report on.`);
    this.name = "ReportNotAvailableError";
  }
}

export interface ReportInput {
  tenantId: string;
  studyYear: number;
  kind: ReportKind;
  lang: Locale;
}

/**
 * Everything the report shows, read through the pages' own model functions. Throws
 * ReportNotAvailableError unless the study is published and the company took part: in
 * review there is nothing of the class to report (spec/season.md).
 */
export async function collectReport(scope: TenantScope, input: Omit<ReportInput, "tenantId"> & { now?: Date }): Promise<ReportData> {
  const year = input.studyYear;
  const page = await getOverviewPage(scope, year);
  if (!page || page.overview.study.year !== year || page.overview.study.status !== "published") throw new ReportNotAvailableError(year);
  const studyId = await publishedStudyId(scope, year);
  const [comparison, variance, trends, awards, inquiries] = await Promise.all([
    getComparison(scope, year),
    getVariance(scope, year),
    getTrends(scope),
    getCompanyAwards(scope, year),
    input.kind === "full" ? allInquiries(scope, studyId) : Promise.resolve([]),
  ]);
  return {
    kind: input.kind,
    locale: input.lang,
    generatedAt: (input.now ?? new Date()).toISOString(),
    page,
    comparison,
    variance,
    trends,
    awards,
    inquiries,
  };
}

async function publishedStudyId(scope: TenantScope, year: number): Promise<number> {
  const study = await findTenantStudy(scope, year);
  if (!study) throw new ReportNotAvailableError(year);
  return study.studyId;
}

/** Every inquiry of the study in full, oldest first, each read as the inquiry page reads it. */
async function allInquiries(scope: TenantScope, studyId: number): Promise<InquiryDetail[]> {
  return getInquiries(scope, studyId, await listAllInquiryRefs(scope, studyId, {}, "oldest"));
}

/**
 * The company's report as PDF bytes: reads its figures under withTenant (RLS: its own rows
 * and the frozen benchmark only) and renders them in a worker thread.
 */
export async function renderCompanyReport(input: ReportInput): Promise<Uint8Array> {
  const { db } = await getDatabase();
  const data = await withTenant(db, input.tenantId, (scope) => collectReport(scope, input));
  return renderReportInWorker(data);
}

// ---------------------------------------------------------------------------
// Rendering

// The render module runs in the render thread: @react-pdf stays out of the web server's bundle.
const WORKER_MODULE = path.join(projectRoot, "app", "exports", "report", "company-report.worker.ts");

/** Render the report in the process's render thread (~/exports/render-worker.server). */
export function renderReportInWorker(data: ReportData): Promise<Uint8Array> {
  return renderInWorker(WORKER_MODULE, data, `Rendering the ${data.kind} report failed`, (reply: ReportWorkerResult) => reply.bytes);
}
