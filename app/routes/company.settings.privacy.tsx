import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireTenantMember } from "~/auth/guards.server";
import { getDatabase, withTenant } from "#db/client.server";
import { translate, useT } from "~/i18n/i18n";
import { localeFromRequest } from "~/i18n/locale.server";
import { hidesAgentNames, setHideAgentNames } from "~/models/insights/inquiries.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";

// A manager decides whether the company's agents' first names show anywhere in the portal
// (inquiry pages, coaching packs, the read API). The change is in the company's audit log.

export const meta: MetaFunction = () => [{ title: "Personvern – Innsikt" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requireTenantMember(request, "privacy:manage");
  const { db } = await getDatabase();
  return { hideAgentNames: await withTenant(db, member.tenantId, (scope) => hidesAgentNames(scope)), companyName: member.tenantName };
}

export async function action({ request }: ActionFunctionArgs) {
  const member = await requireTenantMember(request, "privacy:manage");
  const locale = localeFromRequest(request);
  const form = await request.formData();
  const hide = form.get("hideAgentNames") === "on";
  const { db } = await getDatabase();
  await withTenant(db, member.tenantId, (scope) => setHideAgentNames(scope, { hide, actorUserId: member.userId }));
  return { message: translate(locale, hide ? "privacy.agentNames.nowHidden" : "privacy.agentNames.nowShown") };
}

export default function PrivacyPage() {
  const { hideAgentNames, companyName } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const t = useT();
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm font-medium text-gray-700">{companyName}</p>
        <h1 className="text-3xl font-semibold">{t("privacy.title")}</h1>
        <p className="mt-2 max-w-3xl text-gray-700">{t("privacy.intro")}</p>
      </div>
      {result && (
        <p role="status" className="rounded border border-green-700 bg-green-50 p-4 text-green-900">
          {result.message}
        </p>
      )}
      <Form method="post" className="rounded-lg bg-white p-6 shadow">
        <label className="flex items-start gap-3">
          <input type="checkbox" name="hideAgentNames" value="on" defaultChecked={hideAgentNames} className="mt-1 h-4 w-4" aria-describedby="hide-help" />
          <span>
            <span className="font-medium">{t("privacy.agentNames.label")}</span>
            <span id="hide-help" className="block text-sm text-gray-700">{t("privacy.agentNames.help")}</span>
          </span>
        </label>
        <button type="submit" disabled={busy} className="mt-4 rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800 disabled:opacity-60">
          {t("privacy.save")}
        </button>
      </Form>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
