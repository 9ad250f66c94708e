import { useRouteLoaderData } from "@remix-run/react";
import { formatNumber, type Locale } from "~/domain/format";
import { messages, type MessageKey } from "./messages";
import type { Message } from "./plural";

export type { MessageKey };

export function isLocale(value: unknown): value is Locale {
  return value === "nb" || value === "en";
}

const pluralRules: Record<Locale, Intl.PluralRules> = { nb: new Intl.PluralRules("nb-NO"), en: new Intl.PluralRules("en-GB") };

/**
 * The message in `locale` with `{name}` filled in. A plural message takes its form from the
 * number `count` (Intl.PluralRules) and shows that number formatted ("1 705 henvendelser").
 */
export function translate(locale: Locale, key: MessageKey, params: Record<string, string | number> = {}): string {
  // A key reaches here unchecked only through a cast (e.g. a validation message); never let
  // a missing one become a server error: Norwegian, then the key itself.
  const message: Message | undefined = messages[locale][key] ?? messages.nb[key];
  const count = params.count;
  const isPlural = typeof message === "object";
  const text = isPlural ? (typeof count === "number" && pluralRules[locale].select(count) === "one" ? message.one : message.other) : message;
  return (text ?? String(key)).replace(/\{(\w+)\}/g, (_, name: string) =>
    isPlural && name === "count" && typeof count === "number" ? formatNumber(count, locale) : String(params[name] ?? `{${name}}`),
  );
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
