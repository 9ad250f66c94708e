import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import * as z from "zod";
import { notFound, requireTenantMember } from "~/auth/guards.server";
import { getDatabase, withTenant } from "#db/client.server";
import { CoachingLogFilterSchema, CoachingLogSchema, FOLLOW_UP_FILTERS } from "~/domain/coaching-log";
import { osloDate } from "~/domain/oslo-date";
import { can } from "~/domain/permissions";
import { translate, useT } from "~/i18n/i18n";
import { localeFromRequest } from "~/i18n/locale.server";
import { deleteCoachingLogEntry, listCoachingLog, listPackChoices, type CoachingLogEntry } from "~/models/coaching/coaching-log.server";
import { saveCoachingLog } from "~/models/coaching/coaching-log-form.server";
import { Button, TextLink } from "~/ui/button";
import { CoachingLogFields, LogDate } from "~/ui/coaching-log";
import { DataTable, type Column } from "~/ui/data-table";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { FilterInput, FilterSelect } from "~/ui/filter-select";
import { RowActionForm } from "~/ui/row-action";
import { replyFor, useSchemaForm } from "~/ui/form";
import { Notice } from "~/ui/notice";
import { FollowUpTabs } from "~/ui/section-tabs";
import { PageHeader } from "~/ui/page-header";
import { Section } from "~/ui/section";

// The coaching log (issue 18): every member reads it; team leads and managers record and edit
// sessions, managers delete them. Filters live in the URL. Who was coached follows the
// company's "hide agent names" setting.

export const meta: MetaFunction = () => [{ title: "Coachinglogg – Innsikt" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requireTenantMember(request);
  const url = new URL(request.url);
  const filter = CoachingLogFilterSchema.parse(Object.fromEntries(url.searchParams));
  const canWrite = can(member.role, "coachinglog:write");
  const today = osloDate(new Date());
  const { db } = await getDatabase();
  const [log, packs] = await withTenant(db, member.tenantId, (scope) => Promise.all([listCoachingLog(scope, filter, today), canWrite ? listPackChoices(scope) : []]));
  return {
    companyName: member.tenantName,
    entries: log.entries,
    namesHidden: log.namesHidden,
    packs,
    filter,
    today,
    canWrite,
    canDelete: can(member.role, "coachinglog:delete"),
    // A session may start from an inquiry page: its ref comes in the URL.
    prefillRefs: (url.searchParams.get("refs") ?? "").slice(0, 500),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const intent = form.get("intent");
  const locale = localeFromRequest(request);
  if (intent === "create") {
    const member = await requireTenantMember(request, "coachinglog:write");
    const outcome = await saveCoachingLog(member, form, null);
    if (outcome.status === 200) return { intent, reply: outcome.reply, message: translate(locale, "coachingLog.created") };
    return data({ intent, reply: outcome.reply, message: null }, { status: outcome.status });
  }
  if (intent === "delete") {
    const member = await requireTenantMember(request, "coachinglog:delete");
    const id = z.uuid().safeParse(form.get("id"));
    const { db } = await getDatabase();
    // Another company's entry is simply not found here: 404, as for any id not ours.
    const deleted = id.success && (await withTenant(db, member.tenantId, (scope) => deleteCoachingLogEntry(scope, id.data, member.userId)));
    if (!deleted) throw notFound();
    return { intent, reply: null, message: translate(locale, "coachingLog.deleted") };
  }
  throw new Response("Bad Request", { status: 400, statusText: "Bad Request" });
}

export default function CoachingLogPage() {
  const { companyName, entries, namesHidden, packs, filter, today, canWrite, canDelete, prefillRefs } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const t = useT();
  const [form, fields] = useSchemaForm(CoachingLogSchema, {
    id: "coaching-log",
    lastResult: replyFor(actionData, "create"),
    defaultValue: { sessionDate: today, coachedKind: "label", refs: prefillRefs },
  });
  const filtered = Object.values(filter).some((v) => v !== undefined && v !== "");
  const columns: Column<CoachingLogEntry>[] = [
    { key: "date", header: t("coachingLog.list.date"), rowHeader: true, className: "whitespace-nowrap", cell: (e) => <LogDate value={e.sessionDate} /> },
    { key: "coached", header: t("coachingLog.list.coached"), cell: (e) => e.coached ?? <em>{t("coachingLog.hiddenName")}</em> },
    { key: "habit", header: t("coachingLog.list.habit"), cell: (e) => <span className="whitespace-pre-line">{e.habit}</span> },
    {
      key: "links",
      header: t("coachingLog.list.links"),
      cell: (e) => (
        <ul className="space-y-1">
          {e.inquiries.map((i) => (
            <li key={`${i.year}-${i.ref}`}>
              <TextLink to={`/company/inquiries/${encodeURIComponent(i.ref)}?study=${i.year}`}>{i.ref}</TextLink>
            </li>
          ))}
          {e.pack && (
            <li>
              <TextLink to={`/company/coaching/packs/${e.pack.id}`}>{e.pack.fileName}</TextLink>
            </li>
          )}
          {e.inquiries.length === 0 && !e.pack && <li>–</li>}
        </ul>
      ),
    },
    {
      key: "followUp",
      header: t("coachingLog.list.followUp"),
      className: "whitespace-nowrap",
      cell: (e) =>
        e.followUpDate ? (
          <>
            <LogDate value={e.followUpDate} />
            {e.followUpDate < today && <span className="block text-sm font-medium text-red-800">{t("coachingLog.overdue")}</span>}
          </>
        ) : (
          "–"
        ),
    },
    { key: "by", header: t("coachingLog.list.by"), cell: (e) => e.createdByName ?? "–" },
    ...(canWrite
      ? [
          {
            key: "actions",
            header: <span className="sr-only">{t("coachingLog.list.actions")}</span>,
            cell: (e: CoachingLogEntry) => (
              <div className="flex flex-wrap items-center gap-2">
                <TextLink to={`/company/coaching/log/${e.id}`}>
                  {t("coachingLog.edit")}
                  <span className="sr-only"> {e.sessionDate}</span>
                </TextLink>
                {canDelete && (
                  <RowActionForm idName="id" id={e.id} intent="delete" disabled={busy} label={t("coachingLog.deleteLabel", { date: e.sessionDate })}>
                    {t("coachingLog.delete")}
                  </RowActionForm>
                )}
              </div>
            ),
          },
        ]
      : []),
  ];
  return (
    <div className="space-y-8">
      <FollowUpTabs />
      <PageHeader eyebrow={companyName} title={t("coachingLog.title")} intro={<p className="max-w-3xl">{t("coachingLog.intro")}</p>} />
      {actionData?.message && <Notice tone="success">{actionData.message}</Notice>}
      {namesHidden && <Notice tone="info">{t("coachingLog.namesHiddenNotice")}</Notice>}

      {canWrite && (
        <Section id="new" title={t("coachingLog.new")}>
          <CoachingLogFields form={form} fields={fields} packs={packs} namesHidden={namesHidden} submitLabel={t("coachingLog.save")} busy={busy} intent="create" />
        </Section>
      )}

      <Section id="log" title={t("coachingLog.list.title")} plain>
        <Form method="get" className="mb-4 flex flex-wrap items-end gap-4" aria-label={t("coachingLog.filter.label")}>
          <FilterInput id="log-q" name="q" label={t("coachingLog.filter.q")} value={filter.q} type="search" maxLength={100} className="w-64 max-w-full" />
          <FilterSelect id="log-follow-up" name="followUp" label={t("coachingLog.filter.followUp")} value={filter.followUp} any={t("coachingLog.filter.all")} choices={FOLLOW_UP_FILTERS.map((f) => ({ value: f, label: t(`coachingLog.filter.${f}`) }))} />
          <FilterInput id="log-from" name="from" label={t("coachingLog.filter.from")} value={filter.from} type="date" />
          <FilterInput id="log-to" name="to" label={t("coachingLog.filter.to")} value={filter.to} type="date" />
          <Button tone="secondary">{t("coachingLog.filter.submit")}</Button>
          {filtered && <TextLink to="/company/coaching/log">{t("coachingLog.filter.clear")}</TextLink>}
        </Form>
        <DataTable
          caption={t("coachingLog.list.title")}
          captionHidden
          columns={columns}
          rows={entries}
          rowKey={(e) => e.id}
          empty={filtered ? t("coachingLog.list.noneFiltered") : t("coachingLog.list.none")}
        />
      </Section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
