// The award files as a route or job serves them: the file's bytes, content type and download
// name. The two PDFs are drawn in the process's render thread (./award-pdf.worker.ts, through
// ../render-worker.server.ts), as the coaching pack's and the report's are: @react-pdf stays
// out of the web server's bundle and a render off its event loop. The badge and the
// spreadsheets are quick and load nothing heavy, and are made here.

import path from "node:path";
import { projectRoot } from "#db/paths";
import type { Locale } from "~/domain/format";
import { slug } from "../coaching-render.server";
import { asBuffer, renderInWorker } from "../render-worker.server";
import type { AwardPdfInput } from "./award-pdf.worker";
import { renderBadgePng, renderBadgeSvg } from "./badge.server";
import { resultsListCsv, resultsListXlsx } from "./results-list.server";
import type { AwardCertificate, ResultsList } from "./types";

export interface AwardFile {
  bytes: Buffer;
  contentType: string;
  fileName: string;
}

export type DiplomaFormat = "pdf";
export type BadgeFormat = "svg" | "png";
export type ResultsFormat = "pdf" | "xlsx" | "csv";

const CONTENT_TYPES = {
  pdf: "application/pdf",
  svg: "image/svg+xml",
  png: "image/png",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  csv: "text/csv; charset=utf-8",
} as const;

/** The PNG badge's width when none is asked for: sharp on a web page at 200 CSS px on a 2× screen. */
export const DEFAULT_BADGE_WIDTH = 400;

const PDF_WORKER_MODULE = path.join(projectRoot, "app", "exports", "awards", "award-pdf.worker.ts");

function renderAwardPdf(input: AwardPdfInput): Promise<Buffer> {
  const what = input.kind === "diploma" ? "diploma" : "results list";
  return renderInWorker(PDF_WORKER_MODULE, input, `Rendering the ${what} as PDF failed`, (reply: { bytes: Uint8Array }) => asBuffer(reply.bytes));
}

/** "kundeserviceprisen-2026-class-bank-og-finans-fjordbanken": ASCII only, safe in a Content-Disposition header. */
function awardSlug(cert: AwardCertificate): string {
  const award = cert.kind === "class" ? `class-${cert.className ?? ""}` : cert.kind === "channel" ? `channel-${cert.channel ?? ""}` : "overall";
  return `kundeserviceprisen-${cert.year}-${slug(award)}-${slug(cert.participantName)}`;
}

export async function diplomaFile(cert: AwardCertificate, locale: Locale): Promise<AwardFile> {
  return { bytes: await renderAwardPdf({ kind: "diploma", cert, locale }), contentType: CONTENT_TYPES.pdf, fileName: `${awardSlug(cert)}-${locale}.pdf` };
}

export function badgeFile(cert: AwardCertificate, locale: Locale, format: BadgeFormat, width = DEFAULT_BADGE_WIDTH): AwardFile {
  const bytes = format === "svg" ? Buffer.from(renderBadgeSvg(cert, locale), "utf8") : renderBadgePng(cert, locale, { width });
  return { bytes, contentType: CONTENT_TYPES[format], fileName: `${awardSlug(cert)}-${locale}.${format}` };
}

export async function resultsListFile(list: ResultsList, locale: Locale, format: ResultsFormat): Promise<AwardFile> {
  let bytes: Buffer;
  if (format === "csv") bytes = Buffer.from(resultsListCsv(list, locale), "utf8");
  else if (format === "xlsx") bytes = await resultsListXlsx(list, locale);
  else bytes = await renderAwardPdf({ kind: "results", list, locale });
  return { bytes, contentType: CONTENT_TYPES[format], fileName: `kundeserviceprisen-${list.year}-${locale === "nb" ? "resultatliste" : "results"}.${format}` };
}
