// The body of a report-rendering worker thread (started by renderReportInWorker in
// ./company-report.server.ts): render the one report it was given, post the bytes back
// without copying them, and end.

import { parentPort, workerData } from "node:worker_threads";
import { runThisThreadInBackground } from "~/jobs/thread-priority.server";
import { failedReply } from "../render-worker.server";
import type { ReportData, ReportWorkerReply } from "./report-data";
import { renderReportDocument } from "./report-pdf.server";

if (!parentPort) throw new Error("company-report.worker.ts runs only as a worker thread (see renderReportInWorker).");
const port = parentPort;
// A batch of reports must not hold up the pages this process serves (see thread-priority.server.ts).
runThisThreadInBackground();

try {
  const bytes = new Uint8Array(await renderReportDocument(workerData as ReportData));
  const reply: ReportWorkerReply = { ok: true, bytes };
  port.postMessage(reply, [bytes.buffer]);
} catch (error) {
  port.postMessage(failedReply(error));
}
