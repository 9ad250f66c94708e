import type { ReactNode, SelectHTMLAttributes } from "react";
import { Field, Select } from "~/ui/field";

/**
 * A filter of a list in a GET form: "all" (the empty value, when `any` names it) or one of the
 * choices. Other select attributes (e.g. aria-describedby) go to the select.
 */
export function FilterSelect({
  id,
  name,
  label,
  value,
  choices,
  any,
  className,
  ...select
}: {
  id: string;
  name: string;
  label: ReactNode;
  value: string | number | null | undefined;
  choices: readonly { value: string | number; label: ReactNode }[];
  /** the label of the empty choice; without it there is none */
  any?: string;
  className?: string;
} & Omit<SelectHTMLAttributes<HTMLSelectElement>, "id" | "name" | "value" | "defaultValue" | "className">) {
  return (
    <Field id={id} label={label} className={className}>
      {(control) => (
        <Select {...control} {...select} name={name} defaultValue={value ?? ""}>
          {any !== undefined && <option value="">{any}</option>}
          {choices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </Select>
      )}
    </Field>
  );
}
