import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import * as z from "zod";
import { requireTenantMember } from "~/auth/guards.server";
import { getDatabase, withTenant } from "#db/client.server";
import { translate, useT } from "~/i18n/i18n";
import { localeFromRequest } from "~/i18n/locale.server";
import { hidesAgentNames, setHideAgentNames } from "~/models/insights/inquiries.server";
import { setViewersDownloadReports, viewersMayDownloadReports } from "~/models/reports/company-reports.server";
import { Button } from "~/ui/button";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { CheckboxField } from "~/ui/checkbox-field";
import { CompanyPageHeader } from "~/ui/company-page-header";
import { parseWithZod, SchemaForm, useSchemaForm } from "~/ui/form";
import { Notice } from "~/ui/notice";
import { SettingsTabs } from "~/ui/section-tabs";
import { Card } from "~/ui/section";

// A manager decides whether the company's agents' first names show anywhere in the portal
// (inquiry pages, coaching packs, the read API). The change is in the company's audit log.

export const meta: MetaFunction = () => [{ title: "Personvern – Innsikt" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requireTenantMember(request, "privacy:manage");
  const { db } = await getDatabase();
  const [hideAgentNames, viewersDownloadReports] = await withTenant(db, member.tenantId, (scope) => Promise.all([hidesAgentNames(scope), viewersMayDownloadReports(scope)]));
  return { hideAgentNames, viewersDownloadReports, companyName: member.tenantName };
}

const PrivacySchema = z.object({ hideAgentNames: z.boolean().optional() });
// Whether viewers may download the company reports (issue 19): a form of its own.
const ReportsSchema = z.object({ intent: z.literal("reports"), viewersDownloadReports: z.boolean().optional() });

export async function action({ request }: ActionFunctionArgs) {
  const member = await requireTenantMember(request, "privacy:manage");
  const locale = localeFromRequest(request);
  const form = await request.formData();
  const { db } = await getDatabase();
  if (form.get("intent") === "reports") {
    const reports = parseWithZod(form, { schema: ReportsSchema });
    if (reports.status !== "success") return data({ reply: reports.reply(), message: null, intent: "reports" }, { status: 400 });
    const allow = reports.value.viewersDownloadReports === true;
    await withTenant(db, member.tenantId, (scope) => setViewersDownloadReports(scope, { allow, actorUserId: member.userId }));
    return { reply: reports.reply(), message: translate(locale, allow ? "reportJobs.privacy.nowAllowed" : "reportJobs.privacy.nowDenied"), intent: "reports" };
  }
  const submission = parseWithZod(form, { schema: PrivacySchema });
  if (submission.status !== "success") return data({ reply: submission.reply(), message: null }, { status: 400 });
  const hide = submission.value.hideAgentNames === true;
  await withTenant(db, member.tenantId, (scope) => setHideAgentNames(scope, { hide, actorUserId: member.userId }));
  return { reply: submission.reply(), message: translate(locale, hide ? "privacy.agentNames.nowHidden" : "privacy.agentNames.nowShown") };
}

export default function PrivacyPage() {
  const { hideAgentNames, viewersDownloadReports, companyName } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const t = useT();
  const reportsResult = result && "intent" in result;
  const [form, fields] = useSchemaForm(PrivacySchema, { id: "privacy", lastResult: reportsResult ? null : result?.reply });
  const [reportsForm, reportsFields] = useSchemaForm(ReportsSchema, { id: "privacy-reports", lastResult: reportsResult ? result.reply : null });
  return (
    <div className="space-y-6">
      <SettingsTabs />
      <CompanyPageHeader title={t("privacy.title")} companyName={companyName} intro={t("privacy.intro")} />
      {result?.message && <Notice tone="success">{result.message}</Notice>}
      <Card>
        <SchemaForm form={form} method="post" className="space-y-4">
          <CheckboxField meta={fields.hideAgentNames} defaultChecked={hideAgentNames} label={t("privacy.agentNames.label")} help={t("privacy.agentNames.help")} />
          <Button busy={busy}>{t("privacy.save")}</Button>
        </SchemaForm>
      </Card>
      <Card>
        <h2 className="text-lg font-semibold">{t("reportJobs.privacy.title")}</h2>
        <SchemaForm form={reportsForm} method="post" className="mt-3 space-y-4">
          <input type="hidden" name="intent" value="reports" />
          <CheckboxField
            meta={reportsFields.viewersDownloadReports}
            defaultChecked={viewersDownloadReports}
            label={t("reportJobs.privacy.label")}
            help={t("reportJobs.privacy.help")}
          />
          <Button busy={busy}>{t("privacy.save")}</Button>
        </SchemaForm>
      </Card>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
