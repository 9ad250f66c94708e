import * as z from "zod";
import { formatDate } from "~/domain/format";
import { MAX_GOAL_SECONDS, metricLabel, parseMetric, PLAN_STATUSES, valueWithYear } from "~/domain/plans";
import { CHANNELS } from "~/domain/types";
import { useLocale, useT } from "~/i18n/i18n";
import type { FormReply } from "./form";
import { ErrorSummary, SchemaForm, SelectField, TextareaField, TextField, useSchemaForm } from "./form";
import { Button } from "./button";
import { ChoiceGroup } from "./field";

// The action plan's one form (new plan and a plan's page) and how a plan's figures read.
// Messages are catalogue keys (see ./form.tsx).

// Conform coerces the form's strings (numbers, one or several ticked boxes) before zod sees them.
const ids = z.array(z.string().max(100)).max(50).optional();

export const PlanSchema = z
  .object({
    title: z.string({ error: "plans.form.error.title" }).trim().min(1, { error: "plans.form.error.title" }).max(200, { error: "plans.form.error.title" }),
    owner: z.string().max(100).optional(),
    metric: z.string({ error: "plans.form.error.metric" }).min(1, { error: "plans.form.error.metric" }).max(100, { error: "plans.form.error.metric" }),
    goalSeconds: z.number({ error: "plans.form.error.goalSeconds" }).int({ error: "plans.form.error.goalSeconds" }).min(1, { error: "plans.form.error.goalSeconds" }).max(MAX_GOAL_SECONDS, { error: "plans.form.error.goalSeconds" }).optional(),
    target: z.number({ error: "plans.form.error.target" }).min(0, { error: "plans.form.error.target" }).max(100, { error: "plans.form.error.target" }),
    dueDate: z.string({ error: "plans.form.error.dueDate" }).regex(/^\d{4}-\d{2}-\d{2}$/, { error: "plans.form.error.dueDate" }).refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), { error: "plans.form.error.dueDate" }),
    status: z.enum(PLAN_STATUSES, { error: "plans.form.error.status" }),
    notes: z.string().max(5000, { error: "plans.form.error.notes" }).optional(),
    packs: ids,
    bookings: ids,
  })
  .superRefine((value, ctx) => {
    if (value.metric.startsWith("response:") && value.goalSeconds === undefined) ctx.addIssue({ code: "custom", path: ["goalSeconds"], message: "plans.form.error.goalSeconds" });
    else if (parseMetric(value.metric, value.goalSeconds) === null) ctx.addIssue({ code: "custom", path: ["metric"], message: "plans.form.error.metric" });
  });

export type PlanFormValue = z.output<typeof PlanSchema>;

/** The model's input of a valid form (the schema has checked the metric). */
export function planInputOf(value: PlanFormValue) {
  return {
    title: value.title,
    ownerId: value.owner ? value.owner : null,
    metric: parseMetric(value.metric, value.goalSeconds)!,
    target: value.target,
    dueDate: value.dueDate,
    status: value.status,
    notes: value.notes ?? "",
    exportIds: value.packs ?? [],
    bookingIds: value.bookings ?? [],
  };
}

export interface PlanFormOptionsView {
  members: { id: string; name: string }[];
  areas: { code: string; name: string }[];
  questions: { code: string; text: string }[];
  packs: { id: string; label: string; at: string | Date }[];
  bookings: { id: string; label: string; at: string | Date }[];
}

export { metricLabel, valueWithYear };

export function PlanForm({
  options,
  defaults,
  lastResult,
  busy,
  submitLabel,
  intent,
}: {
  options: PlanFormOptionsView;
  defaults: Partial<Record<keyof z.input<typeof PlanSchema>, string | string[]>>;
  lastResult: FormReply | null;
  busy: boolean;
  submitLabel: string;
  intent: string;
}) {
  const t = useT();
  const [form, fields] = useSchemaForm(PlanSchema, { id: `plan-${intent}`, lastResult, defaultValue: defaults as never });
  const labels = {
    title: t("plans.form.titleField"),
    owner: t("plans.form.owner"),
    metric: t("plans.form.metric"),
    goalSeconds: t("plans.form.goalSeconds"),
    target: t("plans.form.target"),
    dueDate: t("plans.form.dueDate"),
    status: t("plans.form.status"),
    notes: t("plans.form.notes"),
    packs: t("plans.form.packs"),
    bookings: t("plans.form.bookings"),
  };
  return (
    <>
      <ErrorSummary form={form} labels={labels} className="mb-4" />
      <SchemaForm form={form} method="post" className="grid max-w-3xl gap-4">
        <TextField meta={fields.title} label={labels.title} autoComplete="off" />
        <SelectField meta={fields.metric} label={labels.metric} help={t("plans.form.metricHelp")}>
          <option value="">–</option>
          {options.areas.length > 0 && (
            <optgroup label={t("plans.form.metricGroup.areas")}>
              {options.areas.map((a) => (
                <option key={a.code} value={`area:${a.code}`}>{`${a.code} ${a.name}`}</option>
              ))}
            </optgroup>
          )}
          {options.questions.length > 0 && (
            <optgroup label={t("plans.form.metricGroup.questions")}>
              {options.questions.map((q) => (
                <option key={q.code} value={`question:${q.code}`}>{`${q.code} ${q.text}`}</option>
              ))}
            </optgroup>
          )}
          <optgroup label={t("plans.form.metricGroup.channels")}>
            {CHANNELS.map((c) => (
              <option key={c} value={`channel:${c}`}>
                {t(`channel.${c}`)}
              </option>
            ))}
          </optgroup>
          <optgroup label={t("plans.form.metricGroup.responseTimes")}>
            {CHANNELS.map((c) => (
              <option key={c} value={`response:${c}`}>
                {t("plans.form.responseOption", { channel: t(`channel.${c}`) })}
              </option>
            ))}
          </optgroup>
        </SelectField>
        <TextField meta={fields.goalSeconds} label={labels.goalSeconds} help={t("plans.form.goalSecondsHelp")} type="number" optional className="max-w-xs" />
        <div className="grid gap-4 sm:grid-cols-3">
          <TextField meta={fields.target} label={labels.target} help={t("plans.form.targetHelp")} type="number" step="0.1" min={0} max={100} autoComplete="off" />
          <TextField meta={fields.dueDate} label={labels.dueDate} type="date" />
          <SelectField meta={fields.status} label={labels.status}>
            {PLAN_STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`plans.status.${status}`)}
              </option>
            ))}
          </SelectField>
        </div>
        <SelectField meta={fields.owner} label={labels.owner} help={t("plans.form.ownerHelp")} optional>
          <option value="">{t("plans.form.ownerNone")}</option>
          {options.members.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </SelectField>
        <TextareaField meta={fields.notes} label={labels.notes} optional rows={4} />
        <LinkChoices field={fields.packs} legend={labels.packs} chosen={defaults.packs} items={options.packs} none={t("plans.form.noPacks")} />
        <LinkChoices field={fields.bookings} legend={labels.bookings} chosen={defaults.bookings} items={options.bookings} none={t("plans.form.noBookings")} />
        <div>
          <Button name="intent" value={intent} busy={busy}>
            {submitLabel}
          </Button>
        </div>
      </SchemaForm>
    </>
  );
}

/** The coaching packs or bookings a plan can link to, each with its date; a line saying there are none. */
function LinkChoices({
  field,
  legend,
  chosen,
  items,
  none,
}: {
  field: { id: string; name: string; errors?: string[] };
  legend: string;
  chosen: string | string[] | undefined;
  items: PlanFormOptionsView["packs"];
  none: string;
}) {
  const locale = useLocale();
  if (items.length === 0) return <p className="text-sm text-gray-700">{none}</p>;
  return (
    <ChoiceGroup
      id={field.id}
      name={field.name}
      type="checkbox"
      inline={false}
      legend={legend}
      defaultValue={chosen}
      error={field.errors}
      choices={items.map((item) => ({ value: item.id, label: `${item.label} (${formatDate(new Date(item.at), locale)})` }))}
    />
  );
}

/** A plan's result: the value with its year and met or not met, or that it comes with the next study. */
export function PlanResult({ result, resultYear, met }: { result: number | null; resultYear: number | null; met: boolean | null }) {
  const t = useT();
  const locale = useLocale();
  if (resultYear === null) return <span className="text-base font-normal text-gray-700">{t("plans.result.pending")}</span>;
  return (
    <span>
      {valueWithYear(t, locale, result, resultYear)}{" "}
      {met !== null && (
        <strong className={met ? "text-green-800" : "text-red-800"} data-testid="plan-met">
          {t(met ? "plans.result.met" : "plans.result.notMet")}
        </strong>
      )}
    </span>
  );
}
