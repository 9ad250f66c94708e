import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireTenantMember } from "~/auth/guards.server";
import { getDatabase, withTenant } from "#db/client.server";
import { addDays, osloToday, parseMetric } from "~/domain/plans";
import { useT } from "~/i18n/i18n";
import { createPlan, PlanInputError, planFormOptions } from "~/models/plans/plans.server";
import { TextLink } from "~/ui/button";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { parseWithZod } from "~/ui/form";
import { PageHeader } from "~/ui/page-header";
import { PlanForm, planInputOf, PlanSchema } from "~/ui/plan-form";
import { Section } from "~/ui/section";

export const meta: MetaFunction = () => [{ title: "Ny tiltaksplan – Innsikt" }];

/**
 * The form, pre-filled from a "Lag tiltaksplan" link: `?metric=area:V` (or question:, channel:,
 * response: with `&goal=` seconds) and `&title=`. A metric the company has no such area or
 * question for is simply not pre-selected.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requireTenantMember(request, "plans:write");
  const url = new URL(request.url);
  const { db } = await getDatabase();
  const options = await withTenant(db, member.tenantId, (scope) => planFormOptions(scope));
  const goal = Number(url.searchParams.get("goal") ?? "");
  const metric = parseMetric(url.searchParams.get("metric") ?? "", Number.isInteger(goal) ? goal : null);
  const known =
    metric &&
    (metric.kind === "area" ? options.areas.some((a) => a.code === metric.code) : metric.kind === "question" ? options.questions.some((q) => q.code === metric.code) : true);
  const defaults = {
    title: (url.searchParams.get("title") ?? "").slice(0, 200),
    metric: known ? (url.searchParams.get("metric") ?? "") : "",
    goalSeconds: known && metric.kind === "responseTime" ? String(metric.goalSeconds) : "",
    dueDate: addDays(osloToday(), 90),
    status: "planned",
    owner: member.userId,
  };
  return { options, defaults };
}

export async function action({ request }: ActionFunctionArgs) {
  const member = await requireTenantMember(request, "plans:write");
  const submission = parseWithZod(await request.formData(), { schema: PlanSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const { db } = await getDatabase();
  try {
    const id = await withTenant(db, member.tenantId, (scope) => createPlan(scope, planInputOf(submission.value), member.userId));
    return redirect(`/company/plans/${id}?created=1`);
  } catch (error) {
    if (!(error instanceof PlanInputError)) throw error;
    return data(submission.reply({ fieldErrors: { [error.field]: [error.key] } }), { status: 400 });
  }
}

export default function NewPlanPage() {
  const { options, defaults } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const t = useT();
  return (
    <div className="space-y-8">
      <PageHeader eyebrow={<TextLink to="/company/plans">{t("plans.page.back")}</TextLink>} title={t("plans.new")} intro={<p className="max-w-3xl">{t("plans.intro")}</p>} />
      <Section id="plan" title={t("plans.form.title")}>
        <PlanForm options={options} defaults={defaults} lastResult={lastResult ?? null} busy={busy} submitLabel={t("plans.form.createSubmit")} intent="create" />
      </Section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
