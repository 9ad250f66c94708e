import type { Locale } from "~/domain/format";
import { isLocale } from "./i18n";

export const LOCALE_COOKIE = "innsikt_lang";

/** The language cookie wins; otherwise Norwegian, the product's first language. */
export function localeFromRequest(request: Request): Locale {
  const value = readCookie(request, LOCALE_COOKIE);
  return isLocale(value) ? value : "nb";
}

export function readCookie(request: Request, name: string): string | null {
  const header = request.headers.get("Cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}
