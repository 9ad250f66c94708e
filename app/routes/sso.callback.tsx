import { data, redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { sessionCookie } from "~/auth/guards.server";
import { clearSsoCookie, SSO_COOKIE } from "~/auth/sso-cookie.server";
import { getDatabase } from "#db/client.server";
import { useT } from "~/i18n/i18n";
import { readCookie } from "~/i18n/locale.server";
import { finishSsoLogin } from "~/models/accounts/sso.server";
import { ButtonLink } from "~/ui/button";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { Notice } from "~/ui/notice";
import { PageHeader } from "~/ui/page-header";

// Where a company's OpenID provider sends the browser back (issue 17). Every check is in
// finishSsoLogin; a refusal is a page that says which check failed, never a 500.

export const meta: MetaFunction = () => [{ title: "Innlogging – Innsikt" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { db } = await getDatabase();
  const url = new URL(request.url);
  const outcome = await finishSsoLogin(db, { query: url.searchParams, browserToken: readCookie(request, SSO_COOKIE), userAgent: request.headers.get("User-Agent") });
  const headers = new Headers({ "Set-Cookie": clearSsoCookie(), "Cache-Control": "no-store" });
  if (outcome.ok) {
    headers.append("Set-Cookie", sessionCookie(outcome.token));
    throw redirect(outcome.redirectTo, { headers });
  }
  return data({ reason: outcome.reason }, { status: outcome.reason === "no-access" || outcome.reason === "other-domain" || outcome.reason === "disabled" ? 403 : 400, headers });
}

export default function SsoCallback() {
  const { reason } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div className="mx-auto max-w-xl space-y-4">
      <PageHeader title={t("sso.refused.title")} />
      <Notice tone="error" id="sso-refusal">
        {t(`sso.refused.${reason}`)}
      </Notice>
      <ButtonLink to="/login">{t("sso.refused.again")}</ButtonLink>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
