import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import { getMemberships, getSessionUser } from "~/auth/guards.server";
import { getDatabase } from "#db/client.server";
import { can } from "~/domain/permissions";
import { useT } from "~/i18n/i18n";
import { takeNewResults } from "~/models/accounts/results-seen.server";
import { TextLink } from "~/ui/button";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { Notice } from "~/ui/notice";

// The frame of every company page: above the page, once per person and study, "new results"
// when a study the current company took part in has been published (takeNewResults says
// which count). Recorded as shown in the same statement that finds it, the one round trip this
// adds to a page load, beside the page's own loader. The page's loader does the guarding
// (login, company, role); this one only reads the session the guard reads too (once per request).

export async function loader({ request }: LoaderFunctionArgs) {
  const found = await getSessionUser(request);
  if (!found) return { news: [] };
  const { active } = await getMemberships(request, found);
  if (!active || !can(active.role, "results:read")) return { news: [] };
  const { db } = await getDatabase();
  return { news: await takeNewResults(db, found.user.id, active.tenantId) };
}

export default function CompanyFrame() {
  const { news } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      {news.length > 0 && (
        <div className="mb-6 space-y-2 print:hidden">
          {news.map((study) => (
            <Notice key={study.year} tone="success">
              <strong className="font-semibold">{t("newResults.title")}:</strong> {t("newResults.body", { name: study.name })}{" "}
              <TextLink to={`/company?study=${study.year}`}>{t("newResults.link")}</TextLink>
            </Notice>
          ))}
        </div>
      )}
      <Outlet />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
