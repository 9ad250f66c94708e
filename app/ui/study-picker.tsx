import { Form } from "@remix-run/react";
import { useT } from "~/i18n/i18n";

/** Chooses the study year of a company page (a GET form, so the choice is in the URL). */
export function StudyPicker({ studies, year }: { studies: { year: number; name: string }[]; year: number }) {
  const t = useT();
  if (studies.length < 2) return null;
  return (
    <Form method="get" className="flex items-end gap-2">
      <div>
        <label htmlFor="study" className="block text-sm font-medium">
          {t("overview.chooseStudy")}
        </label>
        <select id="study" name="study" defaultValue={year} className="mt-1 rounded border border-gray-400 px-2 py-1">
          {studies.map((s) => (
            <option key={s.year} value={s.year}>
              {s.name}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="rounded border border-gray-400 px-3 py-1 hover:bg-gray-50">
        {t("overview.show")}
      </button>
    </Form>
  );
}
