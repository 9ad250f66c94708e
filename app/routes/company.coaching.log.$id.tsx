import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import * as z from "zod";
import { notFound, requireTenantMember } from "~/auth/guards.server";
import { getDatabase, withTenant } from "#db/client.server";
import { CoachingLogSchema } from "~/domain/coaching-log";
import { can } from "~/domain/permissions";
import { useT } from "~/i18n/i18n";
import { deleteCoachingLogEntry, getCoachingLogEntry, listPackChoices } from "~/models/coaching/coaching-log.server";
import { saveCoachingLog } from "~/models/coaching/coaching-log-form.server";
import { TextLink } from "~/ui/button";
import { CoachingLogFields, LogDate } from "~/ui/coaching-log";
import { DeleteSection } from "~/ui/delete-section";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { replyFor, useSchemaForm } from "~/ui/form";
import { PageHeader } from "~/ui/page-header";
import { Section } from "~/ui/section";

// One session of the coaching log, to edit (team leads, managers) or delete (managers). An id
// of another company's entry, or of none, is a 404.

export const meta: MetaFunction = () => [{ title: "Coachinglogg – Innsikt" }];

const entryId = (params: LoaderFunctionArgs["params"]) => {
  const id = z.uuid().safeParse(params.id);
  if (!id.success) throw notFound();
  return id.data;
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireTenantMember(request, "coachinglog:write");
  const id = entryId(params);
  const { db } = await getDatabase();
  const [found, packs] = await withTenant(db, member.tenantId, (scope) => Promise.all([getCoachingLogEntry(scope, id), listPackChoices(scope)]));
  if (!found) throw notFound();
  return { companyName: member.tenantName, entry: found.entry, namesHidden: found.namesHidden, packs, canDelete: can(member.role, "coachinglog:delete") };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "update") {
    const member = await requireTenantMember(request, "coachinglog:write");
    const outcome = await saveCoachingLog(member, form, entryId(params));
    if (outcome.status === 404) throw notFound();
    if (outcome.status === 200) return redirect("/company/coaching/log");
    return data({ intent, reply: outcome.reply }, { status: outcome.status });
  }
  if (intent === "delete") {
    const member = await requireTenantMember(request, "coachinglog:delete");
    const id = entryId(params);
    const { db } = await getDatabase();
    const deleted = await withTenant(db, member.tenantId, (scope) => deleteCoachingLogEntry(scope, id, member.userId));
    if (!deleted) throw notFound();
    return redirect("/company/coaching/log");
  }
  throw new Response("Bad Request", { status: 400, statusText: "Bad Request" });
}

export default function CoachingLogEntryPage() {
  const { companyName, entry, namesHidden, packs, canDelete } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const t = useT();
  const [form, fields] = useSchemaForm(CoachingLogSchema, {
    id: "coaching-log-entry",
    lastResult: replyFor(actionData, "update"),
    defaultValue: {
      sessionDate: entry.sessionDate,
      followUpDate: entry.followUpDate ?? "",
      // A first name the company now hides is not shown: the session gets a label instead.
      coachedKind: entry.coached === null ? "label" : entry.coachedKind,
      coached: entry.coached ?? "",
      habit: entry.habit,
      refs: entry.inquiries.map((i) => i.ref).join(", "),
      packId: entry.pack?.id ?? "",
    },
  });
  return (
    <div className="space-y-8">
      <PageHeader
        eyebrow={companyName}
        back={<TextLink to="/company/coaching/log">{t("coachingLog.title")}</TextLink>}
        title={
          <>
            {t("coachingLog.editTitle")} <LogDate value={entry.sessionDate} />
          </>
        }
      />
      <Section id="edit" title={t("coachingLog.editSection")}>
        <CoachingLogFields form={form} fields={fields} packs={packs} namesHidden={namesHidden} submitLabel={t("coachingLog.update")} busy={busy} intent="update" />
      </Section>
      {canDelete && <DeleteSection title={t("coachingLog.deleteSection")} description={t("coachingLog.deleteHelp")} label={t("coachingLog.delete")} disabled={busy} />}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
