import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireStaff } from "~/auth/guards.server";
import { jobProgress } from "~/models/import-jobs.server";

/** Live progress of a running import, polled by the upload page. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request);
  const job = jobProgress(String(params.id));
  return Response.json(job ? { running: true, phase: job.phase, done: job.done, total: job.total } : { running: false }, {
    headers: { "Cache-Control": "no-store" },
  });
}
