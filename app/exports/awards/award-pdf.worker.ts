// The award PDFs' render module, run in the render thread (diplomaFile and resultsListFile in
// ./award-files.server.ts hand it a diploma or a results list): draws the PDF and gives its
// bytes to move. On the evening of the ceremony every company downloads its diploma at once;
// drawn here, the pages of the web process keep answering meanwhile.

import type { Locale } from "~/domain/format";
import { withMovedBytes, type RenderModule } from "../render-worker.server";
import { renderDiplomaPdf } from "./diploma-pdf.server";
import { resultsListPdf } from "./results-pdf.server";
import type { AwardCertificate, ResultsList } from "./types";

export type AwardPdfInput = { kind: "diploma"; cert: AwardCertificate; locale: Locale } | { kind: "results"; list: ResultsList; locale: Locale };

export const render: RenderModule<AwardPdfInput, { bytes: Uint8Array }>["render"] = async (input) => {
  const pdf = input.kind === "diploma" ? await renderDiplomaPdf(input.cert, input.locale) : await resultsListPdf(input.list, input.locale);
  return withMovedBytes(pdf, {});
};
