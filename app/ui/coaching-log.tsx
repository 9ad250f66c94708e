import type { CoachingLogSchema } from "~/domain/coaching-log";
import { formatDate } from "~/domain/format";
import { useLocale, useT } from "~/i18n/i18n";
import { Button } from "./button";
import { ErrorSummary, SchemaForm, SelectField, TextareaField, TextField, type useSchemaForm } from "./form";

// The form of a coaching-log session (new on the log page, edit on the entry's page). While the
// company hides agent names a session names who was coached only by a label.

type LogForm = ReturnType<typeof useSchemaForm<typeof CoachingLogSchema>>;

export interface PackChoice {
  id: string;
  fileName: string;
  createdAt: string | Date;
}

export function CoachingLogFields({
  form,
  fields,
  packs,
  namesHidden,
  submitLabel,
  busy,
  intent,
}: {
  form: LogForm[0];
  fields: LogForm[1];
  packs: PackChoice[];
  namesHidden: boolean;
  submitLabel: string;
  busy: boolean;
  intent: string;
}) {
  const t = useT();
  const locale = useLocale();
  return (
    <>
      <ErrorSummary
        form={form}
        labels={{
          sessionDate: t("coachingLog.field.sessionDate"),
          coachedKind: t("coachingLog.field.coachedKind"),
          coached: t("coachingLog.field.coached"),
          habit: t("coachingLog.field.habit"),
          refs: t("coachingLog.field.refs"),
          packId: t("coachingLog.field.pack"),
          followUpDate: t("coachingLog.field.followUp"),
        }}
        className="mb-4"
      />
      <SchemaForm form={form} method="post" className="grid gap-4 md:grid-cols-2">
        <TextField meta={fields.sessionDate} type="date" label={t("coachingLog.field.sessionDate")} />
        <TextField meta={fields.followUpDate} type="date" optional label={t("coachingLog.field.followUp")} help={t("coachingLog.field.followUpHelp")} />
        <SelectField meta={fields.coachedKind} label={t("coachingLog.field.coachedKind")} help={namesHidden ? t("coachingLog.field.namesHidden") : undefined}>
          <option value="label">{t("coachingLog.kind.label")}</option>
          {!namesHidden && <option value="name">{t("coachingLog.kind.name")}</option>}
        </SelectField>
        <TextField meta={fields.coached} label={t("coachingLog.field.coached")} help={t("coachingLog.field.coachedHelp")} autoComplete="off" maxLength={60} />
        <TextareaField meta={fields.habit} label={t("coachingLog.field.habit")} help={t("coachingLog.field.habitHelp")} rows={3} maxLength={500} className="md:col-span-2" />
        <TextField meta={fields.refs} optional label={t("coachingLog.field.refs")} help={t("coachingLog.field.refsHelp")} autoComplete="off" />
        <SelectField meta={fields.packId} optional label={t("coachingLog.field.pack")}>
          <option value="">{t("coachingLog.pack.none")}</option>
          {packs.map((pack) => (
            <option key={pack.id} value={pack.id}>
              {`${pack.fileName} (${formatDate(new Date(pack.createdAt), locale)})`}
            </option>
          ))}
        </SelectField>
        <div className="md:col-span-2">
          <Button name="intent" value={intent} busy={busy}>
            {submitLabel}
          </Button>
        </div>
      </SchemaForm>
    </>
  );
}

/** A stored date (YYYY-MM-DD) in the user's format. */
export function LogDate({ value }: { value: string }) {
  const locale = useLocale();
  return <>{formatDate(new Date(`${value}T12:00:00Z`), locale)}</>;
}
