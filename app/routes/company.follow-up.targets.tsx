import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import * as z from "zod";
import { notFound, requireTenantMember } from "~/auth/guards.server";
import { getDatabase, withTenant } from "#db/client.server";
import { can } from "~/domain/permissions";
import { formatScore } from "~/domain/format";
import { GOAL_UNITS, goalFromSeconds, goalToSeconds, MAX_GOAL_SECONDS, type ResponseGoals, type YearTargets } from "~/domain/targets";
import { CHANNELS, type Channel } from "~/domain/types";
import { translate, useLocale, useT } from "~/i18n/i18n";
import { localeFromRequest } from "~/i18n/locale.server";
import { setResponseGoals } from "~/models/insights/response-times.server";
import { getTargetsPage, setTargets, targetAreaCodes } from "~/models/insights/targets.server";
import { Button } from "~/ui/button";
import { DataTable } from "~/ui/data-table";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { Field, Select } from "~/ui/field";
import { ErrorSummary, parseWithZod, replyFor, SchemaForm, TextField, useSchemaForm } from "~/ui/form";
import { Notice } from "~/ui/notice";
import { PageHeader } from "~/ui/page-header";
import { Card, Section } from "~/ui/section";
import { GoalSharesTable, useTargetColumns } from "~/ui/targets";

// Targets per study year and response-time goals per channel (issue 18). Every member reads
// them; managers (targets:manage) set them, and each change goes into the company's audit log.

export const meta: MetaFunction = () => [{ title: "Mål – Innsikt" }];

const YearQuery = z.object({ year: z.coerce.number().int().min(1900).max(2999).optional() });

export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requireTenantMember(request);
  const query = YearQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw notFound();
  const { db } = await getDatabase();
  const page = await withTenant(db, member.tenantId, (scope) => getTargetsPage(scope, query.data.year));
  if (!page) throw notFound();
  return { ...page, companyName: member.tenantName, canManage: can(member.role, "targets:manage") };
}

// ---- forms ---------------------------------------------------------------------------------

/** Empty: no target. Otherwise 0–100 with at most one decimal, a comma or a point. */
const targetValue = z.preprocess(
  (v) => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined),
  z
    .string()
    .regex(/^\d{1,3}([.,]\d)?$/, "targets.error.number")
    .transform((v) => Number(v.replace(",", ".")))
    .pipe(z.number().max(100, "targets.error.number"))
    .optional(),
);
/** Empty: no goal. Otherwise a positive number in the channel's unit, at most two decimals. */
const goalValue = z.preprocess(
  (v) => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined),
  z
    .string()
    .regex(/^\d{1,7}([.,]\d{1,2})?$/, "goals.error.number")
    .transform((v) => Number(v.replace(",", ".")))
    .optional(),
);

const channelField = (c: Channel) => `channel_${c}` as const;
const areaField = (i: number) => `area${i}`;

/** The targets form of a year with `areaCount` areas (the fields are numbered in the areas' order). */
function targetsSchema(areaCount: number) {
  return z.object({
    intent: z.literal("targets"),
    year: z.coerce.number().int().min(1900).max(2999),
    total: targetValue,
    ...Object.fromEntries(CHANNELS.map((c) => [channelField(c), targetValue])),
    ...Object.fromEntries(Array.from({ length: areaCount }, (_, i) => [areaField(i), targetValue])),
  });
}

const GoalsSchema = z
  .object({ intent: z.literal("goals"), ...Object.fromEntries(CHANNELS.map((c) => [`goal_${c}`, goalValue])) })
  .superRefine((value, ctx) => {
    for (const c of CHANNELS) {
      const v = (value as unknown as Record<string, number | undefined>)[`goal_${c}`];
      if (v === undefined) continue;
      const seconds = goalToSeconds(c, v);
      if (seconds < 1 || seconds > MAX_GOAL_SECONDS) ctx.addIssue({ code: "custom", path: [`goal_${c}`], message: "goals.error.number" });
    }
  });

export async function action({ request }: ActionFunctionArgs) {
  const member = await requireTenantMember(request, "targets:manage");
  const locale = localeFromRequest(request);
  const form = await request.formData();
  const { db } = await getDatabase();
  if (form.get("intent") === "goals") {
    const submission = parseWithZod(form, { schema: GoalsSchema });
    if (submission.status !== "success") return data({ intent: "goals", reply: submission.reply(), message: null }, { status: 400 });
    const value = submission.value as unknown as Record<string, number | undefined>;
    const goals: ResponseGoals = Object.fromEntries(CHANNELS.flatMap((c) => (value[`goal_${c}`] === undefined ? [] : [[c, goalToSeconds(c, value[`goal_${c}`]!)]])));
    await withTenant(db, member.tenantId, (scope) => setResponseGoals(scope, { goals, actorUserId: member.userId }));
    return { intent: "goals", reply: submission.reply(), message: translate(locale, "goals.form.saved") };
  }
  const year = YearQuery.safeParse({ year: form.get("year") ?? undefined });
  if (!year.success || year.data.year === undefined) throw notFound();
  return withTenant(db, member.tenantId, async (scope) => {
    const areas = await targetAreaCodes(scope, year.data.year!);
    if (!areas) throw notFound();
    const submission = parseWithZod(form, { schema: targetsSchema(areas.length) });
    if (submission.status !== "success") return data({ intent: "targets", reply: submission.reply(), message: null }, { status: 400 });
    const value = submission.value as unknown as Record<string, number | undefined>;
    const targets: YearTargets = {
      total: value.total ?? null,
      channels: Object.fromEntries(CHANNELS.flatMap((c) => (value[channelField(c)] === undefined ? [] : [[c, value[channelField(c)]!]]))),
      areas: Object.fromEntries(areas.flatMap((a, i) => (value[areaField(i)] === undefined ? [] : [[a.code, value[areaField(i)]!]]))),
    };
    const changed = await setTargets(scope, { year: year.data.year!, targets, actorUserId: member.userId });
    const message = changed === 0 ? translate(locale, "targets.form.unchanged") : translate(locale, "targets.form.saved", { count: changed, year: year.data.year! });
    return { intent: "targets", reply: submission.reply({ resetForm: false }), message };
  });
}

// ---- page ----------------------------------------------------------------------------------

/** A target as the form shows it: "80,5" in bokmål, "80.5" in English, "" for none. */
const shown = (v: number | null | undefined, locale: "nb" | "en") => (v === null || v === undefined ? "" : locale === "nb" ? String(v).replace(".", ",") : String(v));

export default function TargetsPage() {
  const { years, year, studyYears, targets, areas, results, goals, shares, companyName, canManage } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const t = useT();
  const locale = useLocale();

  type Row = { key: string; label: string; result: number | null; target: number };
  const rows: Row[] = [
    ...(targets.total === null ? [] : [{ key: "total", label: t("targets.total"), result: results?.total ?? null, target: targets.total }]),
    ...CHANNELS.flatMap((c) => (targets.channels[c] === undefined ? [] : [{ key: `channel-${c}`, label: t(`channel.${c}`), result: results?.channels[c] ?? null, target: targets.channels[c]! }])),
    ...areas.flatMap((a) => (targets.areas[a.code] === undefined ? [] : [{ key: `area-${a.code}`, label: `${a.code} ${a.name}`, result: results?.areas[a.code] ?? null, target: targets.areas[a.code]! }])),
  ];
  const targetColumns = useTargetColumns<Row>((r) => r.result, (r) => r.target);
  const yearLabel = (y: number) => (studyYears.includes(y) ? String(y) : t("targets.yearNext", { year: y }));

  const schema = targetsSchema(areas.length);
  const defaults: Record<string, string> = { intent: "targets", year: String(year), total: shown(targets.total, locale) };
  for (const c of CHANNELS) defaults[channelField(c)] = shown(targets.channels[c], locale);
  areas.forEach((a, i) => (defaults[areaField(i)] = shown(targets.areas[a.code], locale)));
  const [targetForm, targetFields] = useSchemaForm(schema, { id: `targets-${year}`, lastResult: replyFor(result, "targets"), defaultValue: defaults as never });
  const goalDefaults: Record<string, string> = { intent: "goals" };
  for (const c of CHANNELS) goalDefaults[`goal_${c}`] = goals[c] === undefined ? "" : shown(goalFromSeconds(c, goals[c]!), locale);
  const [goalForm, goalFields] = useSchemaForm(GoalsSchema, { id: "goals", lastResult: replyFor(result, "goals"), defaultValue: goalDefaults as never });
  const tf = targetFields as unknown as Record<string, Parameters<typeof TextField>[0]["meta"]>;
  const gf = goalFields as unknown as Record<string, Parameters<typeof TextField>[0]["meta"]>;
  const targetLabels: Record<string, string> = { total: t("targets.form.total") };
  for (const c of CHANNELS) targetLabels[channelField(c)] = t("targets.form.channel", { channel: t(`channel.${c}`) });
  areas.forEach((a, i) => (targetLabels[areaField(i)] = t("targets.form.area", { area: `${a.code} ${a.name}` })));
  const goalLabels = Object.fromEntries(CHANNELS.map((c) => [`goal_${c}`, t(`goals.form.${c}`)]));

  return (
    <div className="space-y-8">
      <PageHeader
        eyebrow={companyName}
        title={t("targets.title")}
        intro={t("targets.intro")}
        actions={
          <Form method="get" className="flex items-end gap-2">
            <Field id="targets-year" label={t("targets.year")}>
              {(control) => (
                <Select {...control} name="year" defaultValue={year}>
                  {years.map((y) => (
                    <option key={y} value={y}>
                      {yearLabel(y)}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Button tone="secondary">{t("targets.show")}</Button>
          </Form>
        }
      />
      {!canManage && (
        <Notice tone="info" live={false}>
          {t("targets.readOnly")}
        </Notice>
      )}
      {result?.message && <Notice tone="success">{result.message}</Notice>}

      <Section id="results" title={t("targets.results.title", { year })} plain>
        {!results && rows.length > 0 && <p className="mb-3 text-gray-700">{t("targets.results.noStudy", { year })}</p>}
        <DataTable<Row>
          caption={t("targets.results.title", { year })}
          captionHidden
          rows={rows}
          rowKey={(r) => r.key}
          empty={t("targets.results.none", { year })}
          columns={[
            { key: "item", header: t("targets.col.item"), rowHeader: true, cell: (r) => r.label },
            { key: "result", header: t("targets.col.result"), numeric: true, cell: (r) => (r.result === null ? "–" : formatScore(r.result, locale)) },
            ...targetColumns,
          ]}
        />
      </Section>

      <Section id="goals" title={results ? t("goals.title", { year }) : t("goals.titleNoYear")} plain>
        {results ? (
          <GoalSharesTable shares={shares} year={year} preliminary={results.status === "review"} />
        ) : (
          <GoalSharesTable shares={CHANNELS.flatMap((c) => (goals[c] === undefined ? [] : [{ channel: c, goalSeconds: goals[c]!, inquiries: 0, within: 0, share: null, classShare: null, classParticipants: 0 }]))} year={null} preliminary />
        )}
      </Section>

      {canManage && (
        <Card>
          <h2 className="text-lg font-semibold">{t("targets.form.title", { year: yearLabel(year) })}</h2>
          <p className="mt-1 text-sm text-gray-700">{t("targets.form.help")}</p>
          <SchemaForm form={targetForm} method="post" className="mt-4 space-y-6">
            <ErrorSummary form={targetForm} labels={targetLabels} />
            <input type="hidden" name="intent" value="targets" />
            <input type="hidden" name="year" value={year} />
            <TextField meta={tf.total!} label={targetLabels.total} inputMode="decimal" className="max-w-xs" />
            <fieldset>
              <legend className="font-semibold">{t("targets.form.channels")}</legend>
              <div className="mt-2 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
                {CHANNELS.map((c) => (
                  <TextField key={c} meta={tf[channelField(c)]!} label={targetLabels[channelField(c)]} inputMode="decimal" />
                ))}
              </div>
            </fieldset>
            {areas.length > 0 && (
              <fieldset>
                <legend className="font-semibold">{t("targets.form.areas")}</legend>
                <div className="mt-2 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
                  {areas.map((a, i) => (
                    <TextField key={a.code} meta={tf[areaField(i)]!} label={targetLabels[areaField(i)]} inputMode="decimal" />
                  ))}
                </div>
              </fieldset>
            )}
            <Button busy={busy}>{t("targets.form.save")}</Button>
          </SchemaForm>
        </Card>
      )}

      {canManage && (
        <Card>
          <h2 className="text-lg font-semibold">{t("goals.form.title")}</h2>
          <p className="mt-1 text-sm text-gray-700">{t("goals.form.help")}</p>
          <SchemaForm form={goalForm} method="post" className="mt-4 space-y-6">
            <ErrorSummary form={goalForm} labels={goalLabels} />
            <input type="hidden" name="intent" value="goals" />
            <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
              {CHANNELS.map((c) => (
                <TextField key={c} meta={gf[`goal_${c}`]!} label={goalLabels[`goal_${c}`]} inputMode="decimal" data-unit={GOAL_UNITS[c]} />
              ))}
            </div>
            <Button busy={busy}>{t("goals.form.save")}</Button>
          </SchemaForm>
        </Card>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
