import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requireTenantMember } from "~/auth/guards.server";
import { getDatabase, withTenant } from "#db/client.server";
import { getExportFile } from "~/models/coaching/coaching-exports.server";

const CONTENT_TYPES = {
  pdf: "application/pdf",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  csv: "text/csv; charset=utf-8",
} as const;

/** The stored file of one of the company's exports; 404 for any other id. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireTenantMember(request, "coaching:export");
  const { db } = await getDatabase();
  const file = await withTenant(db, member.tenantId, (scope) => getExportFile(scope, params.id ?? ""));
  if (!file) throw notFound();
  const ascii = file.fileName.replace(/[^A-Za-z0-9._-]/g, "_");
  return new Response(new Uint8Array(file.content), {
    headers: {
      "Content-Type": CONTENT_TYPES[file.format],
      "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      "Content-Length": String(file.content.byteLength),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
