import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireStaff } from "~/auth/guards.server";
import { getDatabase } from "#db/client.server";
import { formatDateTime } from "~/domain/format";
import { useLocale, useT } from "~/i18n/i18n";
import { AUDIT_PAGE_SIZE, listStaffActions } from "~/models/admin/audit.server";
import { TextLink } from "~/ui/button";
import { DataTable, type Column } from "~/ui/data-table";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { PageHeader } from "~/ui/page-header";

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
  type Event = (typeof events)[number];
  const columns: Column<Event>[] = [
    { key: "when", header: t("staff.audit.when"), className: "whitespace-nowrap", cell: (e) => formatDateTime(new Date(e.at), locale) },
    { key: "who", header: t("staff.audit.who"), cell: (e) => e.actorEmail ?? t("staff.audit.commandLine") },
    { key: "what", header: t("staff.audit.what"), cell: (e) => <span className="font-mono">{e.action}</span> },
    { key: "study", header: t("staff.audit.study"), cell: (e) => (e.studyYear ? <TextLink to={`/staff/studies/${e.studyYear}`}>{e.studyYear}</TextLink> : "–") },
    {
      key: "company",
      header: t("staff.audit.company"),
      cell: (e) => (e.participantCode ? <TextLink to={`/staff/companies/${encodeURIComponent(e.participantCode)}`}>{e.participantName}</TextLink> : "–"),
    },
    { key: "details", header: t("staff.audit.details"), className: "break-all", cell: (e) => describe(e.details) },
  ];
  return (
    <div className="space-y-6">
      <PageHeader title={t("staff.audit.title")} intro={t("staff.audit.help")} />
      <DataTable caption={t("staff.audit.title")} captionHidden columns={columns} rows={events} rowKey={(e) => String(e.id)} empty={t("staff.audit.none")} />
      {nextBefore && (
        <p>
          <TextLink to={`?before=${nextBefore}`}>{t("staff.audit.older")}</TextLink>
        </p>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
