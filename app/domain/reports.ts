// The company report (issue 19): which reports exist, their states, and who may download them.
// Plain data, shared by the models, the routes and the pages.

import type { TenantRole } from "./types";

export const REPORT_KINDS = ["full", "summary"] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
export const REPORT_LANGS = ["nb", "en"] as const;
export type ReportLang = (typeof REPORT_LANGS)[number];
export const REPORT_STATUSES = ["queued", "building", "ready", "failed"] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** What staff's batch builds for every company: both kinds in Norwegian (English ones on demand). */
export const BATCH_VARIANTS: readonly { kind: ReportKind; lang: ReportLang }[] = [
  { kind: "full", lang: "nb" },
  { kind: "summary", lang: "nb" },
];

/** A company's state in a batch: the least finished of its reports (failed wins over ready). */
export function companyStatus(statuses: readonly ReportStatus[]): ReportStatus | null {
  if (statuses.length === 0) return null;
  if (statuses.includes("failed")) return "failed";
  if (statuses.includes("building")) return "building";
  if (statuses.includes("queued")) return "queued";
  return "ready";
}

/** Managers and team leads always; viewers unless the company turned that off. */
export function mayDownloadReports(role: TenantRole, viewersAllowed: boolean): boolean {
  return role === "manager" || role === "teamlead" || (role === "viewer" && viewersAllowed);
}

/** The file name a report downloads as: rapport-2021-fjordbanken.pdf, summary-2021-… */
export function reportFileName(input: { kind: ReportKind; lang: ReportLang; year: number; code: string }): string {
  const word = input.kind === "full" ? (input.lang === "nb" ? "rapport" : "report") : input.lang === "nb" ? "sammendrag" : "summary";
  return `${word}-${input.year}-${input.code.replace(/[^A-Za-z0-9_-]/g, "_")}.pdf`;
}
