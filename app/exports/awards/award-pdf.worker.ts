// The award PDFs' render module, run in the render thread (diplomaFile and resultsListFile in
// ./award-files.server.ts hand it a diploma or a results list): draws the PDF and gives its
// bytes to move. On the evening of the ceremony every company downloads its diploma at once;
// drawn here, the pages of the web process keep answering meanwhile.

import type { Locale } from "~/domain/format";
import type { RenderModule } from "../render-worker.server";
import { renderDiplomaPdf } from "./diploma-pdf.server";
import { resultsListPdf } from "./results-pdf.server";
import type { AwardCertificate, ResultsList } from "./types";

export type AwardPdfInput = { kind: "diploma"; cert: AwardCertificate; locale: Locale } | { kind: "results"; list: ResultsList; locale: Locale };

export const render: RenderModule<AwardPdfInput, { bytes: Uint8Array }>["render"] = async (input) => {
  const pdf = input.kind === "diploma" ? await renderDiplomaPdf(input.cert, input.locale) : await resultsListPdf(input.list, input.locale);
  // A Buffer may share its memory with Node's pool; a copy of its own can be moved.
  const bytes = new Uint8Array(pdf);
  return { result: { bytes }, transfer: [bytes.buffer] };
};
