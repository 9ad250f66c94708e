import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { notFound, requireTenantMember } from "~/auth/guards.server";
import { getDatabase, withTenant } from "#db/client.server";
import { formatDate, formatDateTime } from "~/domain/format";
import { useLocale, useT } from "~/i18n/i18n";
import { getExport } from "~/models/coaching/coaching-exports.server";
import { ExportStatus } from "~/ui/coaching";
import { TextLink } from "~/ui/button";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { Notice } from "~/ui/notice";
import { PageHeader } from "~/ui/page-header";
import { Section } from "~/ui/section";

export const meta: MetaFunction = () => [{ title: "Coachingpakke – Innsikt" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireTenantMember(request, "coaching:export");
  const { db } = await getDatabase();
  const found = await withTenant(db, member.tenantId, (scope) => getExport(scope, params.id ?? ""));
  if (!found) throw notFound();
  const { selection, ...rest } = found;
  return { pack: { ...rest, refs: selection.refs ?? null, includeAgentNames: selection.includeAgentNames } };
}

export default function PackPage() {
  const { pack } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const revalidator = useRevalidator();
  const building = pack.status === "building";
  useEffect(() => {
    if (!building) return;
    const timer = setTimeout(() => revalidator.revalidate(), 800);
    return () => clearTimeout(timer);
  }, [building, pack.progress, revalidator]);
  const progress = pack.progress;
  const percent = progress && progress.total > 0 ? Math.round((progress.done / progress.total) * 100) : 0;
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <TextLink to="/company/coaching">{t("companyCoaching.title")}</TextLink>
      </p>
      <PageHeader title={t("companyCoaching.pack.title")} />
      <Section id="pack-status" title={t("companyCoaching.bookings.status")}>
        <dl className="grid gap-x-6 gap-y-2 sm:grid-cols-[max-content_1fr]">
          <dt className="font-medium">{t("companyCoaching.exports.created")}</dt>
          <dd>
            {formatDateTime(new Date(pack.createdAt), locale)} {pack.createdByName ? `(${pack.createdByName})` : ""}
          </dd>
          <dt className="font-medium">{t("companyCoaching.exports.study")}</dt>
          <dd>{pack.year}</dd>
          <dt className="font-medium">{t("companyCoaching.exports.format")}</dt>
          <dd>{pack.format.toUpperCase()}</dd>
          <dt className="font-medium">{t("companyCoaching.exports.count")}</dt>
          <dd>
            {pack.inquiryCount}
            {pack.refs ? ` (${t("companyCoaching.pack.handPicked")})` : ""}
          </dd>
          <dt className="font-medium">{t("companyCoaching.pack.agentNames")}</dt>
          <dd>{t(pack.includeAgentNames ? "companyCoaching.yes" : "companyCoaching.no")}</dd>
          <dt className="font-medium">{t("companyCoaching.exports.expires")}</dt>
          <dd>{formatDate(new Date(pack.expiresAt), locale)}</dd>
        </dl>
        <div className="mt-6" aria-live="polite">
          {building ? (
            <div>
              <label htmlFor="pack-progress" className="block font-medium">
                {progress?.phase === "rendering" || progress?.phase === "saving"
                  ? t("companyCoaching.pack.rendering")
                  : t("companyCoaching.pack.collecting", { done: progress?.done ?? 0, total: progress?.total ?? pack.inquiryCount })}
              </label>
              <progress id="pack-progress" max={100} value={progress?.phase === "collecting" ? percent : 100} className="mt-2 w-full max-w-md">
                {percent} %
              </progress>
            </div>
          ) : pack.status === "ready" ? (
            <Notice tone="success">
              {t("companyCoaching.pack.ready")} <ExportStatus id={pack.id} status={pack.status} fileName={pack.fileName} />
            </Notice>
          ) : (
            <Notice tone="error">{t("companyCoaching.pack.failed")}</Notice>
          )}
        </div>
      </Section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
