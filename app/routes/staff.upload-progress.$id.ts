import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireStaff } from "~/auth/guards.server";
import { getDatabase } from "#db/client.server";
import { jobProgress } from "~/models/studies/import-jobs.server";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Live progress of a running import, polled by the upload page; read from the upload's row, whichever process runs the job. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request);
  const id = String(params.id);
  const job = UUID.test(id) ? await jobProgress((await getDatabase()).db, id) : null;
  return Response.json(job ? { running: true, phase: job.phase, done: job.done, total: job.total } : { running: false }, {
    headers: { "Cache-Control": "no-store" },
  });
}
