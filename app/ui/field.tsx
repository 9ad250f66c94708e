import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";
import { useT, type MessageKey, type Translate } from "~/i18n/i18n";

// Form controls of the kit. Every control is drawn with a visible border and a focus ring
// (@tailwindcss/forms is the base, see tailwind.config.ts); a Field wires its label, help
// and error to the control for screen readers with the ids Conform uses
// (`<id>-description`, `<id>-error`), so Conform's props and ours agree.

/** The props a Field hands to its control. */
export interface ControlProps {
  id: string;
  "aria-describedby"?: string;
  "aria-invalid"?: true;
}

/**
 * An error from a schema or an action is a catalogue key, optionally with parameters as
 * `key|{"min":12}` (a zod message is one string). Anything else is shown as it is.
 */
export function errorText(t: Translate, raw: string): string {
  const bar = raw.indexOf("|");
  if (bar < 0) return t(raw as MessageKey);
  let params: Record<string, string | number> = {};
  try {
    params = JSON.parse(raw.slice(bar + 1)) as Record<string, string | number>;
  } catch {
    // not JSON: show the key's text without parameters
  }
  return t(raw.slice(0, bar) as MessageKey, params);
}

/** `key|{"param":value}`: an error key with parameters, as errorText reads it. */
export function withParams(key: MessageKey, params: Record<string, string | number>): string {
  return `${key}|${JSON.stringify(params)}`;
}

/** The help line and the error of a control, with the ids its aria-describedby names. */
function HelpAndError({ id, help, error }: { id: string; help?: ReactNode; error?: string }) {
  const t = useT();
  return (
    <>
      {help && (
        <p id={`${id}-description`} className="mt-1 text-sm text-gray-700">
          {help}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="mt-1 text-sm font-medium text-red-800">
          {errorText(t, error)}
        </p>
      )}
    </>
  );
}

const controlBase =
  "block w-full rounded-md border-gray-500 bg-white text-gray-900 shadow-sm focus:border-blue-700 focus:ring-2 focus:ring-blue-700 disabled:bg-gray-100 disabled:text-gray-600";
const invalidRing = "aria-[invalid=true]:border-red-700 aria-[invalid=true]:ring-1 aria-[invalid=true]:ring-red-700";

export const controlClass = `${controlBase} ${invalidRing} min-h-[2.5rem] text-base sm:text-sm`;

export function Field({
  id,
  label,
  help,
  error,
  optional,
  className,
  children,
}: {
  id: string;
  label: ReactNode;
  help?: ReactNode;
  /** Error keys (see errorText); the first is shown. */
  error?: string | readonly string[] | null;
  optional?: boolean;
  className?: string;
  children: (control: ControlProps) => ReactNode;
}) {
  const t = useT();
  const first = typeof error === "string" ? error : error?.[0];
  const describedBy = [help ? `${id}-description` : null, first ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-gray-900">
        {label}
        {optional && <span className="font-normal text-gray-700"> ({t("common.optional")})</span>}
      </label>
      <div className="mt-1">
        {children({ id, ...(describedBy ? { "aria-describedby": describedBy } : {}), ...(first ? { "aria-invalid": true as const } : {}) })}
      </div>
      <HelpAndError id={id} help={help} error={first} />
    </div>
  );
}

// @tailwindcss/forms leaves a file input bare (no border); draw it as a field with a button inside.
const fileClass =
  "border p-1 file:mr-3 file:min-h-[2rem] file:rounded file:border-0 file:bg-gray-100 file:px-3 file:py-1 file:font-medium file:text-gray-900 hover:file:bg-gray-200";

export function TextInput({ className = "", type = "text", ...props }: InputHTMLAttributes<HTMLInputElement>) {
  return <input type={type} className={`${controlClass} ${type === "file" ? fileClass : ""} ${className}`} {...props} />;
}

export function Select({ className = "", ...props }: SelectHTMLAttributes<HTMLSelectElement>) {
  return <select className={`${controlClass} pr-8 ${className}`} {...props} />;
}

export function Textarea({ className = "", ...props }: TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return <textarea className={`${controlClass} ${className}`} {...props} />;
}

const tickClass =
  "h-5 w-5 shrink-0 border-gray-600 text-blue-700 focus:ring-2 focus:ring-blue-700 focus:ring-offset-1";

/** A checkbox with its label beside it (the whole label is the touch target). */
export function Checkbox({ label, className = "", ...props }: Omit<InputHTMLAttributes<HTMLInputElement>, "type"> & { label: ReactNode }) {
  return (
    <label className={`flex min-h-[2.5rem] items-center gap-2 ${className}`}>
      <input type="checkbox" className={`${tickClass} rounded`} {...props} />
      <span>{label}</span>
    </label>
  );
}

export interface Choice {
  value: string;
  label: ReactNode;
}

/** A fieldset of radios or checkboxes with a legend, help and error. */
export function ChoiceGroup({
  id,
  name,
  legend,
  type,
  choices,
  defaultValue,
  help,
  error,
  inline = true,
  grid = false,
  form,
}: {
  id: string;
  name: string;
  legend: ReactNode;
  type: "radio" | "checkbox";
  choices: readonly Choice[];
  defaultValue?: string | readonly string[];
  help?: ReactNode;
  error?: string | readonly string[] | null;
  inline?: boolean;
  /** Many choices (e.g. times) in columns instead of one row or one column. */
  grid?: boolean;
  form?: string;
}) {
  const first = typeof error === "string" ? error : error?.[0];
  const chosen = new Set(typeof defaultValue === "string" ? [defaultValue] : (defaultValue ?? []));
  const describedBy = [help ? `${id}-description` : null, first ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <fieldset id={id} aria-describedby={describedBy} aria-invalid={first ? true : undefined}>
      <legend className="text-sm font-medium text-gray-900">{legend}</legend>
      <div className={`mt-1 ${grid ? "grid gap-x-6 sm:grid-cols-2 lg:grid-cols-3" : inline ? "flex flex-wrap gap-x-6" : "space-y-1"}`}>
        {choices.map((choice) => (
          <label key={choice.value} className="flex min-h-[2.5rem] items-center gap-2">
            <input
              type={type}
              name={name}
              value={choice.value}
              form={form}
              defaultChecked={chosen.has(choice.value)}
              className={`${tickClass} ${type === "radio" ? "rounded-full" : "rounded"}`}
            />
            <span>{choice.label}</span>
          </label>
        ))}
      </div>
      <HelpAndError id={id} help={help} error={first} />
    </fieldset>
  );
}
