// What a company report is drawn from (issue 19): the very results of the functions the
// company pages call (overview, comparison, variance, trends, awards, inquiries), gathered
// once by ./company-report.server.ts and handed to the PDF renderer in the render thread.
// Plain data (structured-clone safe); type imports only, so no server code comes along.

import type { Locale } from "~/domain/format";
import type { CompanyAwardsPage } from "~/models/insights/awards-view.server";
import type { Comparison } from "~/models/insights/comparison.server";
import type { InquiryDetail } from "~/models/insights/inquiries.server";
import type { getOverviewPage } from "~/models/insights/overview.server";
import type { Trends } from "~/models/insights/trends.server";
import type { Variance } from "~/models/insights/variance.server";

export type ReportKind = "full" | "summary";

export type OverviewPage = NonNullable<Awaited<ReturnType<typeof getOverviewPage>>>;

export interface ReportData {
  kind: ReportKind;
  locale: Locale;
  /** ISO 8601 */
  generatedAt: string;
  /** the overview page's figures: overview, extras, areas, CX, own awards */
  page: OverviewPage;
  comparison: Comparison | null;
  variance: Variance | null;
  trends: Trends;
  awards: CompanyAwardsPage | null;
  /** every inquiry in full, oldest first (empty in the summary); agent names as the company allows */
  inquiries: InquiryDetail[];
}

/** What the report's render module gives back: the PDF. */
export interface ReportWorkerResult {
  bytes: Uint8Array;
}
