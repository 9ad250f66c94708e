import type { ActionFunctionArgs } from "@remix-run/node";
import { notFound, requireStaff } from "~/auth/guards.server";
import { getDatabase } from "#db/client.server";
import { findCompanyByCode } from "~/models/admin/company-admin.server";
import { exportCompanyData } from "~/models/admin/company-data.server";

// POST /staff/companies/:code/export: all of a company's data as a zip (docs/privacy.md).
// POST, because it is recorded in the audit log; GET answers 405.

export function loader() {
  throw new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireStaff(request);
  const { db } = await getDatabase();
  const company = await findCompanyByCode(db, String(params.code));
  if (!company) throw notFound();
  const exported = await exportCompanyData(db, company.id, user.id);
  if (!exported) throw notFound();
  return new Response(Buffer.from(exported.zip), {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${exported.fileName.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
