import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireTenantMember } from "~/auth/guards.server";
import { getDatabase, withTenant } from "#db/client.server";
import { useT } from "~/i18n/i18n";
import { submitSsoForm } from "~/models/accounts/sso-form.server";
import { readSsoSettings, ssoCallbackUrl } from "~/models/accounts/sso.server";
import { CompanyPageHeader } from "~/ui/company-page-header";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { Notice } from "~/ui/notice";
import { SettingsTabs } from "~/ui/section-tabs";
import { Card } from "~/ui/section";
import { SsoSettingsForm } from "~/ui/sso-settings";

// A manager sets up sign-in with the company's own identity provider (issue 17). The company
// is the session's; the settings are read in its tenant scope, written on the owner path
// (the domains are checked against every company) with both audit logs.

export const meta: MetaFunction = () => [{ title: "Pålogging (SSO) – Innsikt" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requireTenantMember(request, "members:manage");
  const { db } = await getDatabase();
  const settings = await withTenant(db, member.tenantId, (scope) => readSsoSettings(scope.tx, scope.tenantId));
  return { settings, companyName: member.tenantName, redirectUri: ssoCallbackUrl() };
}

export async function action({ request }: ActionFunctionArgs) {
  const member = await requireTenantMember(request, "members:manage");
  const { db } = await getDatabase();
  const { status, answer } = await submitSsoForm(db, await request.formData(), { tenantId: member.tenantId, actorUserId: member.userId });
  return data(answer, { status });
}

export default function SsoSettingsPage() {
  const { settings, companyName, redirectUri } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const t = useT();
  return (
    <div className="space-y-6">
      <SettingsTabs />
      <CompanyPageHeader title={t("sso.title")} companyName={companyName} intro={t("sso.intro")} />
      {result?.message && <Notice tone="success">{t(result.message)}</Notice>}
      <p>{settings ? t("sso.status.on", { domains: settings.domains.join(", ") }) : t("sso.status.off")}</p>
      <Card>
        <SsoSettingsForm settings={settings} redirectUri={redirectUri} lastResult={result?.intent === "sso" ? result.reply : null} busy={busy} />
      </Card>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
