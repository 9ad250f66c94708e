import type { LoaderFunctionArgs } from "@remix-run/node";
import * as z from "zod";
import { getDatabase } from "#db/client.server";
import { notFound, requireStaff } from "~/auth/guards.server";
import { MAX_STUDY_YEAR, MIN_STUDY_YEAR } from "~/domain/types";
import { resultsListFile } from "~/exports/awards/award-files.server";
import { getResultsList } from "~/models/insights/awards-view.server";

// The public results list of a published year as a file for the press (issue 16): PDF, XLSX or CSV.

const Query = z.object({ format: z.enum(["pdf", "xlsx", "csv"]), lang: z.enum(["nb", "en"]).default("nb") });

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request);
  const year = Number(params.year);
  if (!Number.isInteger(year) || year < MIN_STUDY_YEAR || year > MAX_STUDY_YEAR) throw notFound();
  const query = Query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw notFound();
  const { db } = await getDatabase();
  const list = await getResultsList(db, year);
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
