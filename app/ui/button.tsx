import { Link, type LinkProps } from "@remix-run/react";
import type { ButtonHTMLAttributes, ReactNode } from "react";
import { useT } from "~/i18n/i18n";

export type ButtonTone = "primary" | "secondary" | "danger";

const tones: Record<ButtonTone, string> = {
  primary: "border border-blue-700 bg-blue-700 text-white hover:bg-blue-800",
  secondary: "border border-gray-500 bg-white text-gray-900 hover:bg-gray-50",
  danger: "border border-red-700 bg-red-700 text-white hover:bg-red-800",
};

export function buttonClass(tone: ButtonTone = "primary", small = false): string {
  const size = small ? "min-h-[2rem] px-3 py-1 text-sm" : "min-h-[2.5rem] px-4 py-2";
  return `inline-flex items-center justify-center gap-2 rounded-md font-medium ${size} ${tones[tone]} disabled:cursor-not-allowed disabled:opacity-60`;
}

/**
 * A button of the kit. `busy` disables it and says so to screen readers while its form is
 * being sent (the label stays; a spinner is drawn beside it).
 */
export function Button({
  tone = "primary",
  small = false,
  busy = false,
  type = "submit",
  className = "",
  disabled,
  children,
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { tone?: ButtonTone; small?: boolean; busy?: boolean; children: ReactNode }) {
  const t = useT();
  return (
    <button type={type} className={`${buttonClass(tone, small)} ${className}`} disabled={disabled || busy} aria-busy={busy || undefined} {...props}>
      {busy && <span aria-hidden="true" className="h-4 w-4 animate-spin rounded-full border-2 border-current border-r-transparent" />}
      {children}
      {busy && <span className="sr-only"> ({t("common.busy")})</span>}
    </button>
  );
}

/** A link drawn as a button (for an action that is a page, e.g. "Last ned"). */
export function ButtonLink({ tone = "secondary", small = false, className = "", ...props }: LinkProps & { tone?: ButtonTone; small?: boolean }) {
  return <Link className={`${buttonClass(tone, small)} ${className}`} {...props} />;
}

/** A plain text link in the house style. */
export function TextLink({ className = "", ...props }: LinkProps) {
  return <Link className={`font-medium text-blue-700 underline hover:text-blue-900 ${className}`} {...props} />;
}
