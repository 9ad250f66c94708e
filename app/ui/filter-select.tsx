import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react";
import { Field, Select, TextInput } from "~/ui/field";

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

/** A typed filter of a list in a GET form (a search text, a date, a number): empty means no filter. */
export function FilterInput({
  id,
  name,
  label,
  value,
  help,
  className,
  ...input
}: {
  id: string;
  name: string;
  label: ReactNode;
  value: string | number | null | undefined;
  help?: ReactNode;
  className?: string;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "name" | "value" | "defaultValue" | "className">) {
  return (
    <Field id={id} label={label} help={help} className={className}>
      {(control) => <TextInput {...control} {...input} name={name} defaultValue={value ?? ""} />}
    </Field>
  );
}
