import { Form } from "@remix-run/react";
import { useT } from "~/i18n/i18n";
import { Button } from "./button";
import { Field, Select } from "./field";
import { useStudyName } from "./review-banner";

/** Chooses the study year of a company page (a GET form, so the choice is in the URL). */
export function StudyPicker({ studies, year }: { studies: { year: number; name: string; status: string }[]; year: number }) {
  const t = useT();
  const studyName = useStudyName();
  if (studies.length < 2) return null;
  return (
    <Form method="get" className="flex flex-wrap items-end gap-2">
      <Field id="study" label={t("overview.chooseStudy")}>
        {(control) => (
          <Select {...control} name="study" defaultValue={year}>
            {studies.map((s) => (
              <option key={s.year} value={s.year}>
                {studyName(s)}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Button tone="secondary">{t("overview.show")}</Button>
    </Form>
  );
}
