// The award files as a route or job serves them: the file's bytes, content type and download
// name. The two PDFs' modules hold @react-pdf, which belongs in the rendering worker and not
// in the web server's bundle, so they are loaded from their paths at run time (as the
// coaching pack's PDF is: ../coaching-render.server.ts); the badge and the spreadsheets load
// nothing heavy and are imported as usual.

import path from "node:path";
import { pathToFileURL } from "node:url";
import { projectRoot } from "#db/paths";
import type { Locale } from "~/domain/format";
import { slug } from "../coaching-render.server";
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

const DIPLOMA_MODULE = path.join(projectRoot, "app", "exports", "awards", "diploma-pdf.server.tsx");
const RESULTS_PDF_MODULE = path.join(projectRoot, "app", "exports", "awards", "results-pdf.server.tsx");

/** "kundeserviceprisen-2026-class-bank-og-finans-fjordbanken": ASCII only, safe in a Content-Disposition header. */
function awardSlug(cert: AwardCertificate): string {
  const award = cert.kind === "class" ? `class-${cert.className ?? ""}` : cert.kind === "channel" ? `channel-${cert.channel ?? ""}` : "overall";
  return `kundeserviceprisen-${cert.year}-${slug(award)}-${slug(cert.participantName)}`;
}

export async function diplomaFile(cert: AwardCertificate, locale: Locale): Promise<AwardFile> {
  const pdf = (await import(/* @vite-ignore */ pathToFileURL(DIPLOMA_MODULE).href)) as typeof import("./diploma-pdf.server");
  return { bytes: await pdf.renderDiplomaPdf(cert, locale), contentType: CONTENT_TYPES.pdf, fileName: `${awardSlug(cert)}-${locale}.pdf` };
}

export function badgeFile(cert: AwardCertificate, locale: Locale, format: BadgeFormat, width = DEFAULT_BADGE_WIDTH): AwardFile {
  const bytes = format === "svg" ? Buffer.from(renderBadgeSvg(cert, locale), "utf8") : renderBadgePng(cert, locale, { width });
  return { bytes, contentType: CONTENT_TYPES[format], fileName: `${awardSlug(cert)}-${locale}.${format}` };
}

export async function resultsListFile(list: ResultsList, locale: Locale, format: ResultsFormat): Promise<AwardFile> {
  let bytes: Buffer;
  if (format === "csv") bytes = Buffer.from(resultsListCsv(list, locale), "utf8");
  else if (format === "xlsx") bytes = await resultsListXlsx(list, locale);
  else {
    const pdf = (await import(/* @vite-ignore */ pathToFileURL(RESULTS_PDF_MODULE).href)) as typeof import("./results-pdf.server");
    bytes = await pdf.resultsListPdf(list, locale);
  }
  return { bytes, contentType: CONTENT_TYPES[format], fileName: `kundeserviceprisen-${list.year}-${locale === "nb" ? "resultatliste" : "results"}.${format}` };
}
