import http, { type RequestListener, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { NextFunction, Request, Response } from "express";
import { translate } from "~/i18n/i18n";
import { sendProblem } from "./error-page";

/** Longest address taken (path and query); browsers and proxies go to about 8 KB too. */
export const MAX_URL_CHARS = 8 * 1024;

// A DNS name (labels of letters, digits, "-" and "_"), an IPv4 address or a bracketed IPv6
// address, with an optional port: what a Host header may hold (RFC 9110 §7.2, RFC 3986 §3.2.2).
const HOST = /^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*\.?|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?$/i;

export function isValidHost(value: string | undefined): boolean {
  if (!value || value.length > 255 || !HOST.test(value)) return false;
  const port = /:([0-9]+)$/.exec(value.replace(/^\[[^\]]*\]/, ""))?.[1];
  if (port !== undefined && Number(port) > 65_535) return false;
  try {
    return new URL(`http://${value}/`).host !== "";
  } catch {
    return false;
  }
}

/**
 * Requests this site cannot make sense of get its own 400 page before any route sees them
 * (instead of a server error further in): a missing or malformed Host (or, behind a trusted
 * proxy, X-Forwarded-Host), an address that does not decode, holds a NUL character or a ".."
 * segment (encoded, since a literal one is resolved by every client), or is absurdly long.
 */
export function refuseMalformedRequest(req: Request, res: Response, next: NextFunction) {
  if (!isValidHost(req.headers.host)) return sendProblem(req, res, "badRequest");
  const forwarded = req.app.get("trust proxy") ? req.get("x-forwarded-host") : undefined;
  if (forwarded !== undefined && !forwarded.split(",").every((part) => isValidHost(part.trim()))) return sendProblem(req, res, "badRequest");
  if (req.originalUrl.length > MAX_URL_CHARS) return sendProblem(req, res, "uriTooLong");
  if (!req.originalUrl.startsWith("/")) return sendProblem(req, res, "badRequest");
  let decoded: string;
  let path: string;
  try {
    decoded = decodeURIComponent(req.originalUrl);
    path = decodeURIComponent(req.path);
  } catch {
    return sendProblem(req, res, "badRequest");
  }
  // NUL: never meaningful here, and PostgreSQL refuses it in text.
  if (decoded.includes("\u0000") || path.split(/[/\\]/).includes("..")) return sendProblem(req, res, "badRequest");
  next();
}

/** The last word on an error no route handled: the app's page, never a stack or express's own. */
export function answerUnhandledError(error: unknown, req: Request, res: Response, next: NextFunction) {
  void next;
  const status = (error as { status?: unknown; statusCode?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) return sendProblem(req, res, "badRequest");
  console.error(error);
  if (res.headersSent) {
    req.socket.destroy();
    return;
  }
  sendProblem(req, res, "serverError");
}

/**
 * The HTTP server for the app: a request Node's parser refuses (a malformed request line or
 * header, control characters in a header, headers past 16 KB) gets a short answer in both
 * languages instead of an empty one, and a missing Host reaches the app's own check.
 */
export function createHttpServer(listener: RequestListener): http.Server {
  const server = http.createServer({ requireHostHeader: false }, listener);
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => answerClientError(error, socket));
  return server;
}

function answerClientError(error: NodeJS.ErrnoException, socket: Duplex) {
  const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (error.code === "ECONNRESET" || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const [status, reason, problem] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? [431, "Request Header Fields Too Large", "headerTooLarge" as const]
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "Request Timeout", "badRequest" as const]
        : [400, "Bad Request", "badRequest" as const];
  const text = (["nb", "en"] as const).map((locale) => `${translate(locale, `http.${problem}.title`)}: ${translate(locale, `http.${problem}.body`)}`).join("\n") + "\n";
  const body = Buffer.from(text, "utf8");
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${text}`,
  );
}
