import type { IncomingMessage, ServerResponse } from "node:http";
import type { Locale } from "~/domain/format";
import { isLocale, translate, type MessageKey } from "~/i18n/i18n";
import { LOCALE_COOKIE } from "~/i18n/locale.server";

/** The answers the HTTP layer gives itself, before (or instead of) a route. */
export type HttpProblem = "badRequest" | "uriTooLong" | "headerTooLarge" | "tooLarge" | "serverError";

const STATUS: Record<HttpProblem, number> = { badRequest: 400, uriTooLong: 414, headerTooLarge: 431, tooLarge: 413, serverError: 500 };
// The read API's error vocabulary (app/api/api-schemas.ts); the Stripe webhook speaks it too.
const API_CODE: Record<HttpProblem, string> = { badRequest: "bad_request", uriTooLong: "bad_request", headerTooLarge: "bad_request", tooLarge: "payload_too_large", serverError: "internal" };
const API_MESSAGE: Record<HttpProblem, string> = {
  badRequest: "The request could not be read (malformed address, Host header or encoding).",
  uriTooLong: "The address is too long.",
  headerTooLarge: "The request's headers are too large.",
  tooLarge: "The request body is larger than {limit}, the most this endpoint accepts.",
  serverError: "The server could not answer the request.",
};

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** "16 KB", "1 MB", "51 MB": how a limit is shown in messages. */
export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.round(bytes / 1024)} KB`;
}

/** The language cookie, read off a raw request; Norwegian otherwise (as localeFromRequest). */
export function localeOf(req: IncomingMessage): Locale {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === LOCALE_COOKIE) {
      const value = part.slice(eq + 1).trim();
      if (isLocale(value)) return value;
    }
  }
  return "nb";
}

/** Machine clients (the read API, Stripe) get JSON; people get a page. */
export const wantsJson = (path: string) => /^\/(api|webhooks)(\/|$)/i.test(path);

/** A short page in the user's language: no stack, no framework's default page. */
export function problemPage(problem: HttpProblem, locale: Locale, params: Record<string, string> = {}): string {
  const t = (key: MessageKey) => escapeHtml(translate(locale, key, params));
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t(`http.${problem}.title`)} – Innsikt</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1f2937}h1{font-size:1.5rem}a{color:#1d4ed8}</style>
</head><body><main><h1>${t(`http.${problem}.title`)}</h1><p>${t(`http.${problem}.body`)}</p><p><a href="/">${t("http.backHome")}</a></p></main></body></html>
`;
}

/**
 * Answers `problem` on a raw response: JSON `{ error: { code, message } }` for the API and
 * the webhook, the page otherwise. Does nothing when an answer has already begun.
 */
export function sendProblem(req: IncomingMessage, res: ServerResponse, problem: HttpProblem, params: Record<string, string> = {}) {
  if (res.headersSent) return;
  let path = "/";
  try {
    path = new URL(req.url ?? "/", "http://x").pathname;
  } catch {
    // a request line too malformed for the URL parser: a page, then
  }
  const json = wantsJson(path);
  const body = json
    ? JSON.stringify({ error: { code: API_CODE[problem], message: API_MESSAGE[problem].replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? "") } })
    : problemPage(problem, localeOf(req), params);
  res.statusCode = STATUS[problem];
  res.setHeader("Content-Type", json ? "application/json; charset=utf-8" : "text/html; charset=utf-8");
  res.setHeader("Content-Length", Buffer.byteLength(body));
  res.setHeader("Cache-Control", "no-store");
  res.end(req.method === "HEAD" ? undefined : body);
}
