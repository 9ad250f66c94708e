import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import * as z from "zod";
import { requireStaff } from "~/auth/guards.server";
import { getDatabase } from "#db/client.server";
import { formatDateTime } from "~/domain/format";
import { useLocale, useT } from "~/i18n/i18n";
import { AUDIT_PAGE_SIZE, listStaffActions } from "~/models/admin/audit.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";

export const meta: MetaFunction = () => [{ title: "Logg – Innsikt" }];

const Query = z.object({ before: z.coerce.number().int().positive().optional().catch(undefined) });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const { before } = Query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const { db } = await getDatabase();
  const rows = await listStaffActions(db, { before });
  const events = rows.slice(0, AUDIT_PAGE_SIZE);
  return { events, nextBefore: rows.length > AUDIT_PAGE_SIZE ? events[events.length - 1]!.id : null };
}

function describe(details: unknown): string {
  if (!details || typeof details !== "object") return "";
  return Object.entries(details as Record<string, unknown>)
    .filter(([, v]) => v !== null && v !== undefined && typeof v !== "object")
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(", ");
}

export default function AuditLog() {
  const { events, nextBefore } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  return (
    <section aria-labelledby="audit-title" className="space-y-6">
      <h1 id="audit-title" className="text-3xl font-semibold">
        {t("staff.audit.title")}
      </h1>
      <p className="text-gray-700">{t("staff.audit.help")}</p>
      {events.length === 0 ? (
        <p>{t("staff.audit.none")}</p>
      ) : (
        <div className="overflow-x-auto rounded-lg bg-white shadow">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">{t("staff.audit.title")}</caption>
            <thead>
              <tr className="border-b border-gray-300">
                <th scope="col" className="px-3 py-2">{t("staff.audit.when")}</th>
                <th scope="col" className="px-3 py-2">{t("staff.audit.who")}</th>
                <th scope="col" className="px-3 py-2">{t("staff.audit.what")}</th>
                <th scope="col" className="px-3 py-2">{t("staff.audit.study")}</th>
                <th scope="col" className="px-3 py-2">{t("staff.audit.company")}</th>
                <th scope="col" className="px-3 py-2">{t("staff.audit.details")}</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id} className="border-b border-gray-100 align-top">
                  <td className="px-3 py-2 whitespace-nowrap">{formatDateTime(new Date(e.at), locale)}</td>
                  <td className="px-3 py-2">{e.actorEmail ?? t("staff.audit.commandLine")}</td>
                  <td className="px-3 py-2 font-mono">{e.action}</td>
                  <td className="px-3 py-2">
                    {e.studyYear ? (
                      <Link to={`/staff/studies/${e.studyYear}`} className="text-blue-700 underline">
                        {e.studyYear}
                      </Link>
                    ) : (
                      "–"
                    )}
                  </td>
                  <td className="px-3 py-2">
                    {e.participantCode ? (
                      <Link to={`/staff/companies/${encodeURIComponent(e.participantCode)}`} className="text-blue-700 underline">
                        {e.participantName}
                      </Link>
                    ) : (
                      "–"
                    )}
                  </td>
                  <td className="px-3 py-2 break-all">{describe(e.details)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextBefore && (
        <Link to={`?before=${nextBefore}`} className="text-blue-700 underline">
          {t("staff.audit.older")}
        </Link>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
