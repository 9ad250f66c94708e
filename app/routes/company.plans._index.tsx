import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import * as z from "zod";
import { notFound, requireTenantMember } from "~/auth/guards.server";
import { getDatabase, withTenant } from "#db/client.server";
import { can } from "~/domain/permissions";
import { formatDate, formatScore } from "~/domain/format";
import { isOverdue, PLAN_STATUSES } from "~/domain/plans";
import { useLocale, useT } from "~/i18n/i18n";
import { listPlanMembers, listPlans } from "~/models/plans/plans.server";
import { Button, ButtonLink, TextLink } from "~/ui/button";
import { DataTable } from "~/ui/data-table";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { Checkbox } from "~/ui/field";
import { FilterSelect } from "~/ui/filter-select";
import { FollowUpTabs } from "~/ui/section-tabs";
import { PageHeader } from "~/ui/page-header";
import { metricLabel, PlanResult, valueWithYear } from "~/ui/plan-form";
import { Section } from "~/ui/section";

export const meta: MetaFunction = () => [{ title: "Tiltaksplaner – Innsikt" }];

const FilterQuery = z.object({
  status: z.enum(PLAN_STATUSES).optional().or(z.literal("").transform(() => undefined)),
  owner: z.string().max(100).optional(),
  overdue: z.enum(["1", "on"]).optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requireTenantMember(request);
  const query = FilterQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw notFound();
  const filter = { status: query.data.status, ownerId: query.data.owner || undefined, overdue: query.data.overdue !== undefined };
  const { db } = await getDatabase();
  const [plans, members] = await withTenant(db, member.tenantId, (scope) => Promise.all([listPlans(scope, filter), listPlanMembers(scope)]));
  return {
    plans,
    members,
    filter: { status: filter.status ?? "", owner: filter.ownerId ?? "", overdue: filter.overdue },
    filtered: Boolean(filter.status || filter.ownerId || filter.overdue),
    mayWrite: can(member.role, "plans:write"),
    companyName: member.tenantName,
  };
}

type PlanItem = ReturnType<typeof useLoaderData<typeof loader>>["plans"][number];

export default function PlansPage() {
  const { plans, members, filter, filtered, mayWrite, companyName } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const any = t("plans.filter.any");
  return (
    <div className="space-y-8">
      <FollowUpTabs />
      <PageHeader
        eyebrow={companyName}
        title={t("plans.title")}
        intro={<p className="max-w-3xl">{t("plans.intro")}</p>}
        actions={
          mayWrite && (
            <ButtonLink to="/company/plans/new" tone="primary">
              {t("plans.new")}
            </ButtonLink>
          )
        }
      />

      <Section id="filter" title={t("plans.filter.title")}>
        <Form method="get" className="flex flex-wrap items-end gap-4">
          <FilterSelect id="filter-status" name="status" label={t("plans.filter.status")} value={filter.status} any={any} choices={PLAN_STATUSES.map((status) => ({ value: status, label: t(`plans.status.${status}`) }))} className="w-48" />
          <FilterSelect id="filter-owner" name="owner" label={t("plans.filter.owner")} value={filter.owner} any={any} choices={members.map((m) => ({ value: m.id, label: m.name }))} className="w-56" />
          <Checkbox name="overdue" value="1" defaultChecked={filter.overdue} label={t("plans.filter.overdue")} />
          <Button tone="secondary">{t("plans.filter.submit")}</Button>
          {filtered && <TextLink to="/company/plans">{t("plans.filter.reset")}</TextLink>}
        </Form>
      </Section>

      <Section
        id="plans"
        title={t("plans.list.title")}
        plain
        actions={
          <span className="flex flex-wrap gap-4 text-sm">
            <TextLink to="/company/plans/download?format=csv" reloadDocument>
              {t("plans.download.csv")}
            </TextLink>
            <TextLink to="/company/plans/download?format=xlsx" reloadDocument>
              {t("plans.download.xlsx")}
            </TextLink>
          </span>
        }
      >
        <DataTable<PlanItem>
          caption={t("plans.list.title")}
          captionHidden
          rows={plans}
          rowKey={(p) => p.id}
          empty={filtered ? t("plans.noneMatching") : t("plans.none")}
          columns={[
            {
              key: "title",
              header: t("plans.list.plan"),
              rowHeader: true,
              cell: (p) => (
                <Link to={`/company/plans/${p.id}`} className="font-medium text-blue-800 underline">
                  {p.title}
                </Link>
              ),
            },
            { key: "metric", header: t("plans.list.metric"), cell: (p) => metricLabel(t, locale, p.metric, p.metricName) },
            { key: "owner", header: t("plans.list.owner"), cell: (p) => p.ownerName ?? t("plans.noOwner") },
            {
              key: "due",
              header: t("plans.list.due"),
              cell: (p) => (
                <>
                  {formatDate(new Date(`${p.dueDate}T12:00:00Z`), locale)}
                  {isOverdue(p) && <strong className="ml-2 text-red-800">{t("plans.overdue")}</strong>}
                </>
              ),
            },
            { key: "status", header: t("plans.list.status"), cell: (p) => t(`plans.status.${p.status}`) },
            { key: "baseline", header: t("plans.list.baseline"), numeric: true, cell: (p) => valueWithYear(t, locale, p.baseline, p.baselineYear) },
            { key: "target", header: t("plans.list.target"), numeric: true, cell: (p) => formatScore(p.target, locale) },
            { key: "result", header: t("plans.list.result"), cell: (p) => <PlanResult result={p.result} resultYear={p.resultYear} met={p.met} /> },
          ]}
        />
      </Section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
