import { useRouteLoaderData } from "@remix-run/react";
import type { Locale } from "~/domain/format";
import { messages, type MessageKey } from "./messages";

export type { MessageKey };
export const LOCALES = ["nb", "en"] as const;

export function isLocale(value: unknown): value is Locale {
  return value === "nb" || value === "en";
}

export function translate(locale: Locale, key: MessageKey, params: Record<string, string | number> = {}): string {
  // A key reaches here unchecked only through a cast (e.g. a validation message); never let
  // a missing one become a server error: Norwegian, then the key itself.
  const text: string | undefined = messages[locale][key] ?? messages.nb[key];
  return (text ?? String(key)).replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** The locale chosen in the root loader; Norwegian when there is none (e.g. in an error boundary). */
export function useLocale(): Locale {
  const data = useRouteLoaderData("root") as { locale?: Locale } | undefined;
  return data?.locale ?? "nb";
}

export function useT(): Translate {
  const locale = useLocale();
  return (key, params) => translate(locale, key, params);
}
