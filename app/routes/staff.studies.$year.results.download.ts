import type { LoaderFunctionArgs } from "@remix-run/node";
import * as z from "zod";
import { notFound } from "~/auth/guards.server";
import { requireStaffStudy } from "~/auth/staff-study.server";
import { resultsListFile } from "~/exports/awards/award-files.server";
import { getResultsList } from "~/models/insights/awards-view.server";

// The public results list of a published year as a file for the press (issue 16): PDF, XLSX or CSV.

const Query = z.object({ format: z.enum(["pdf", "xlsx", "csv"]), lang: z.enum(["nb", "en"]).default("nb") });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, study } = await requireStaffStudy(request, params);
  const query = Query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw notFound();
  const list = await getResultsList(db, study.year);
  if (!list) throw notFound();
  const file = await resultsListFile(list, query.data.lang, query.data.format);
  return new Response(new Uint8Array(file.bytes), {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${file.fileName}"`,
      "Content-Length": String(file.bytes.byteLength),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
