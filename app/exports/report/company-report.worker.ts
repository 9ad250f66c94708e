// The company report's render module, run in the render thread (renderReportInWorker in
// ./company-report.server.ts hands it the report's figures): draws the PDF and gives its bytes to move.

import { withMovedBytes, type RenderModule } from "../render-worker.server";
import type { ReportData, ReportWorkerResult } from "./report-data";
import { renderReportDocument } from "./report-pdf.server";

export const render: RenderModule<ReportData, ReportWorkerResult>["render"] = async (data) => withMovedBytes(await renderReportDocument(data), {});
