import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { forbidden, notFound, requireTenantMember } from "~/auth/guards.server";
import { getDatabase, withTenant } from "#db/client.server";
import { can } from "~/domain/permissions";
import { formatDate, formatDateTime, formatScore } from "~/domain/format";
import { isOverdue, metricKey } from "~/domain/plans";
import { useLocale, useT } from "~/i18n/i18n";
import { deletePlan, getPlan, PlanInputError, planFormOptions, updatePlan } from "~/models/plans/plans.server";
import { TextLink } from "~/ui/button";
import { DeleteSection } from "~/ui/delete-section";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { parseWithZod, replyFor } from "~/ui/form";
import { Kpi, KpiGrid } from "~/ui/kpi";
import { Notice } from "~/ui/notice";
import { PageHeader } from "~/ui/page-header";
import { metricLabel, PlanForm, planInputOf, PlanResult, PlanSchema, valueWithYear } from "~/ui/plan-form";
import { Section } from "~/ui/section";

export const meta: MetaFunction = () => [{ title: "Tiltaksplan – Innsikt" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireTenantMember(request);
  const mayWrite = can(member.role, "plans:write");
  const { db } = await getDatabase();
  const found = await withTenant(db, member.tenantId, async (scope) => {
    const plan = await getPlan(scope, params.id ?? "");
    return plan && { plan, options: mayWrite ? await planFormOptions(scope) : null };
  });
  // Another company's plan is not found, exactly as a made-up id.
  if (!found) throw notFound();
  return { ...found, mayWrite, mayDelete: can(member.role, "plans:delete"), companyName: member.tenantName };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireTenantMember(request, "plans:write");
  const form = await request.formData();
  const intent = form.get("intent");
  const id = params.id ?? "";
  const { db } = await getDatabase();

  if (intent === "delete") {
    if (!can(member.role, "plans:delete")) throw forbidden();
    const deleted = await withTenant(db, member.tenantId, (scope) => deletePlan(scope, id, member.userId));
    if (!deleted) throw notFound();
    return redirect("/company/plans");
  }
  if (intent === "save") {
    const submission = parseWithZod(form, { schema: PlanSchema });
    if (submission.status !== "success") return data({ intent, reply: submission.reply(), saved: false }, { status: 400 });
    try {
      const saved = await withTenant(db, member.tenantId, (scope) => updatePlan(scope, id, planInputOf(submission.value), member.userId));
      if (!saved) throw notFound();
      return { intent, reply: submission.reply(), saved: true };
    } catch (error) {
      if (!(error instanceof PlanInputError)) throw error;
      return data({ intent, reply: submission.reply({ fieldErrors: { [error.field]: [error.key] } }), saved: false }, { status: 400 });
    }
  }
  throw new Response("Bad Request", { status: 400, statusText: "Bad Request" });
}

export default function PlanPage() {
  const { plan, options, mayWrite, mayDelete, companyName } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [search] = useSearchParams();
  const busy = useNavigation().state !== "idle";
  const t = useT();
  const locale = useLocale();
  const due = formatDate(new Date(`${plan.dueDate}T12:00:00Z`), locale);
  return (
    <div className="space-y-8">
      <PageHeader eyebrow={<TextLink to="/company/plans">{t("plans.page.back")}</TextLink>} title={plan.title} intro={<p>{companyName}</p>} />
      {search.get("created") && !actionData && <Notice tone="success">{t("plans.page.created")}</Notice>}
      {actionData?.saved && <Notice tone="success">{t("plans.page.saved")}</Notice>}

      <Section id="summary" title={t("plans.page.summary")}>
        <p className="mb-4 font-medium" data-testid="plan-metric">
          {metricLabel(t, locale, plan.metric, plan.metricName)}
        </p>
        <KpiGrid label={t("plans.page.summary")} columns={4}>
          <Kpi label={t("plans.page.baseline")} value={<span data-testid="plan-baseline">{valueWithYear(t, locale, plan.baseline, plan.baselineYear)}</span>} />
          <Kpi label={t("plans.page.target")} value={formatScore(plan.target, locale)} />
          <Kpi label={t("plans.page.result")} value={<span data-testid="plan-result"><PlanResult result={plan.result} resultYear={plan.resultYear} met={plan.met} /></span>} />
          <Kpi
            label={t("plans.list.due")}
            value={due}
            detail={
              <>
                {t(`plans.status.${plan.status}`)}
                {isOverdue(plan) && <strong className="ml-2 text-red-800">{t("plans.overdue")}</strong>}
                {" · "}
                {plan.ownerName ?? t("plans.noOwner")}
              </>
            }
          />
        </KpiGrid>
      </Section>

      <Section id="links" title={t("plans.page.links")}>
        {plan.links.length === 0 ? (
          <p className="text-gray-700">{t("plans.page.noLinks")}</p>
        ) : (
          <ul className="list-disc space-y-1 pl-5">
            {plan.links.map((link) => (
              <li key={`${link.kind}-${link.id}`}>
                {link.kind === "pack" ? (
                  <TextLink to={`/company/coaching/packs/${link.id}`}>{t("plans.page.pack", { name: link.label })}</TextLink>
                ) : (
                  <TextLink to={`/company/coaching/bookings/${link.id}`}>{t("plans.page.booking", { name: link.label, at: formatDateTime(new Date(link.at), locale) })}</TextLink>
                )}
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section id="notes" title={t("plans.page.notes")}>
        <p className="whitespace-pre-line">{plan.notes || t("plans.page.noNotes")}</p>
      </Section>

      {mayWrite && options && (
        <Section id="edit" title={t("plans.page.edit")}>
          <PlanForm
            options={options}
            lastResult={replyFor(actionData, "save")}
            busy={busy}
            submitLabel={t("plans.form.save")}
            intent="save"
            defaults={{
              title: plan.title,
              owner: plan.ownerId ?? "",
              metric: metricKey(plan.metric),
              goalSeconds: plan.metric.kind === "responseTime" ? String(plan.metric.goalSeconds) : "",
              target: String(plan.target),
              dueDate: plan.dueDate,
              status: plan.status,
              notes: plan.notes,
              packs: plan.links.filter((l) => l.kind === "pack").map((l) => l.id),
              bookings: plan.links.filter((l) => l.kind === "booking").map((l) => l.id),
            }}
          />
        </Section>
      )}

      {mayDelete && <DeleteSection title={t("plans.page.delete")} description={t("plans.page.deleteHelp")} label={t("plans.page.deleteConfirm")} busy={busy} />}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
