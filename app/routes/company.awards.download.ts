import type { LoaderFunctionArgs } from "@remix-run/node";
import * as z from "zod";
import { getDatabase, withTenant } from "#db/client.server";
import { notFound, requireTenantMember } from "~/auth/guards.server";
import { badgeFile, diplomaFile } from "~/exports/awards/award-files.server";
import { findOwnAward } from "~/models/insights/awards-view.server";

// A company's own award as a file (issue 16): the diploma (PDF, nb or en) or the badge (SVG or
// PNG). Only the company's own awards of a published study; any other award, another company's
// or one before publication, is 404 whatever its key.

const Query = z.object({
  study: z.coerce.number().int().min(1900).max(2999),
  award: z.string().regex(/^(overall|class:[^\s]{1,100}|channel:(phone|email|chat|messenger))$/),
  format: z.enum(["pdf", "svg", "png"]),
  lang: z.enum(["nb", "en"]).default("nb"),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requireTenantMember(request);
  const query = Query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw notFound();
  const { study, award, format, lang } = query.data;
  const { db } = await getDatabase();
  const certificate = await withTenant(db, member.tenantId, (scope) => findOwnAward(scope, study, award));
  if (!certificate) throw notFound();
  const file = format === "pdf" ? await diplomaFile(certificate, lang) : badgeFile(certificate, lang, format);
  return new Response(new Uint8Array(file.bytes), {
    headers: {
      "Content-Type": file.contentType,
      // The badge shows on the awards page too; the diploma is a download.
      "Content-Disposition": `${format === "pdf" ? "attachment" : "inline"}; filename="${file.fileName}"`,
      "Content-Length": String(file.bytes.byteLength),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
      // An SVG opened on its own is a document of this origin: it may run nothing.
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    },
  });
}
