import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm, type FieldMetadata, type FormMetadata, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { Form, type FormProps } from "@remix-run/react";
import type { ComponentProps, InputHTMLAttributes, MouseEvent, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";
import type { z } from "zod";
import { useT } from "~/i18n/i18n";
import { ChoiceGroup, errorText, Field, Select, Textarea, TextInput } from "./field";
import { Notice } from "./notice";

// The one form pattern (Conform + zod). The route module declares one zod schema whose
// messages are catalogue keys; the action parses with `parseWithZod(formData, { schema })`
// and, when it fails, returns `submission.reply()`; the component passes that reply back
// as `lastResult`. The same schema validates in the browser (on submit, then as you fix a field; not on blur, which would move the button under the pointer);
// without JavaScript the server's reply draws the very same errors. Field errors sit beside
// their field, and on submit a summary at the top lists them with links to the fields.

export type FormReply = SubmissionResult<string[]>;

export function useSchemaForm<Schema extends z.ZodObject>(
  schema: Schema,
  options: { id: string; lastResult?: FormReply | null; defaultValue?: Partial<Record<keyof z.input<Schema>, string>> },
) {
  return useForm<z.input<Schema>, z.output<Schema>, string[]>({
    id: options.id,
    lastResult: options.lastResult ?? undefined,
    defaultValue: options.defaultValue as never,
    constraint: getZodConstraint(schema),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
}

/** A Remix <Form> wired to a Conform form (its id, noValidate once hydrated, onSubmit). */
export function SchemaForm<S extends Record<string, unknown>>({ form, children, ...props }: Omit<FormProps, "id" | "onSubmit" | "noValidate"> & { form: FormMetadata<S, string[]>; children: ReactNode }) {
  return (
    <Form {...getFormProps(form)} {...props}>
      {children}
    </Form>
  );
}

/**
 * On submit, the form's own errors (e.g. "wrong password") and a list of the fields that need
 * fixing, each a link to its field. Nothing while the form is untouched or valid.
 */
export function ErrorSummary<S extends Record<string, unknown>>({ form, labels, className = "" }: { form: FormMetadata<S, string[]>; labels: Partial<Record<keyof S & string, string>>; className?: string }) {
  const t = useT();
  if (form.status !== "error") return null;
  const formErrors = form.errors ?? [];
  const fieldErrors = Object.entries(form.allErrors).filter(([name, errors]) => name !== "" && name in labels && errors.length > 0);
  if (formErrors.length === 0 && fieldErrors.length === 0) return null;
  return (
    <Notice tone="error" id={`${form.id}-summary`} className={className} title={fieldErrors.length > 0 ? t("form.summary", { count: fieldErrors.length }) : undefined}>
      {formErrors.map((error) => (
        <p key={error}>{errorText(t, error)}</p>
      ))}
      {fieldErrors.length > 0 && (
        <ul className="mt-1 list-disc pl-5">
          {fieldErrors.map(([name, errors]) => (
            <li key={name}>
              <a href={`#${form.id}-${name}`} onClick={focusField} className="underline">
                {labels[name as keyof S & string]}: {errorText(t, errors[0]!)}
              </a>
            </li>
          ))}
        </ul>
      )}
    </Notice>
  );
}

/**
 * A summary link moves focus to its field itself: a #fragment would be a navigation (the
 * route's action data gone, a history entry) and cannot focus a group of radios.
 */
function focusField(event: MouseEvent<HTMLAnchorElement>) {
  const target = document.getElementById(event.currentTarget.hash.slice(1));
  const control = target?.matches("input, select, textarea") ? target : target?.querySelector<HTMLElement>("input:checked, input, select, textarea");
  if (!control) return;
  event.preventDefault();
  control.focus();
}

type Meta = FieldMetadata<string | number | File | undefined | null, Record<string, unknown>, string[]>;

/** A text, number, date, e-mail or search field bound to a Conform field. */
export function TextField({
  meta,
  label,
  help,
  type = "text",
  optional,
  className,
  ...input
}: { meta: Meta; label: ReactNode; help?: ReactNode; type?: "text" | "email" | "password" | "number" | "date" | "datetime-local" | "time" | "search" | "url" | "tel" | "file"; optional?: boolean; className?: string } & Omit<
  InputHTMLAttributes<HTMLInputElement>,
  "type" | "name" | "id" | "defaultValue" | "className"
>) {
  const { key, ...props } = getInputProps(meta, { type });
  return (
    <Field id={meta.id} label={label} help={help} error={meta.errors} optional={optional} className={className}>
      {(control) => <TextInput key={key} {...props} {...input} {...control} />}
    </Field>
  );
}

export function SelectField({
  meta,
  label,
  help,
  optional,
  className,
  children,
  ...select
}: { meta: Meta; label: ReactNode; help?: ReactNode; optional?: boolean; className?: string; children: ReactNode } & Omit<SelectHTMLAttributes<HTMLSelectElement>, "name" | "id" | "defaultValue" | "className">) {
  const { key, ...props } = getSelectProps(meta);
  return (
    <Field id={meta.id} label={label} help={help} error={meta.errors} optional={optional} className={className}>
      {(control) => (
        <Select key={key} {...props} {...select} {...control}>
          {children}
        </Select>
      )}
    </Field>
  );
}

export function TextareaField({
  meta,
  label,
  help,
  optional,
  className,
  ...area
}: { meta: Meta; label: ReactNode; help?: ReactNode; optional?: boolean; className?: string } & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "name" | "id" | "defaultValue" | "className">) {
  const { key, ...props } = getTextareaProps(meta);
  return (
    <Field id={meta.id} label={label} help={help} error={meta.errors} optional={optional} className={className}>
      {(control) => <Textarea key={key} {...props} {...area} {...control} />}
    </Field>
  );
}

/** A group of radios or checkboxes (ChoiceGroup) bound to a Conform field. */
export function ChoiceField({ meta, ...group }: { meta: Meta } & Omit<ComponentProps<typeof ChoiceGroup>, "id" | "name" | "error" | "defaultValue">) {
  const initial = meta.initialValue as unknown;
  const chosen = typeof initial === "string" || Array.isArray(initial) ? (initial as string | string[]) : undefined;
  return <ChoiceGroup key={meta.key} id={meta.id} name={meta.name} error={meta.errors} defaultValue={chosen} {...group} />;
}

/**
 * On a page with several forms the action answers `{ intent, reply }`: each form gets the
 * reply only when it was the one sent, so one form's errors never show on another.
 */
export function replyFor(actionData: { intent: string; reply: FormReply | null } | null | undefined, intent: string): FormReply | null {
  return actionData?.intent === intent ? actionData.reply : null;
}

export { parseWithZod };
