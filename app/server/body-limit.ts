import type { IncomingMessage, ServerResponse } from "node:http";
import { Transform, type TransformCallback } from "node:stream";
import type { NextFunction, Request, Response } from "express";
import { MAX_FILE_BYTES } from "~/models/studies/import-file.server";
import { formatBytes, sendProblem } from "./error-page";

const KB = 1024;
const MB = 1024 * KB;

/**
 * The largest request body each route takes, checked while it streams in (before anything
 * buffers it): the first matching row wins, else DEFAULT_BODY_LIMIT. Paths are matched
 * decoded, case-insensitively and without a trailing slash or Remix's `.data` suffix, as
 * Remix matches its routes.
 */
export const BODY_LIMITS: readonly { route: string; path: RegExp; bytes: number }[] = [
  // Signed-out forms: a few fields each; anyone on the internet can post to them.
  { route: "public forms", path: /^\/(login|logout|forgot-password|language|reset-password\/[^/]+|invitation\/[^/]+)$/i, bytes: 16 * KB },
  // Stripe's events are a few KB; checked before the signature is.
  { route: "Stripe webhook", path: /^\/webhooks\/stripe$/i, bytes: 1 * MB },
  // Staff upload of an import file (at most MAX_FILE_BYTES, which the route itself reports
  // in words) plus the multipart envelope and the form's other fields.
  { route: "staff upload", path: /^\/staff\/studies\/[^/]+$/i, bytes: MAX_FILE_BYTES + 1 * MB },
];
/** Signed-in forms and everything else. */
export const DEFAULT_BODY_LIMIT = 1 * MB;

/**
 * What is still coming of a body nobody will read (refused, or the route answered without it)
 * is read and thrown away up to DISCARD_BYTES within LINGER_MS, so a keep-alive connection
 * stays usable; past either the connection is closed. As Go's net/http does (256 KB).
 */
const DISCARD_BYTES = 256 * KB;
const LINGER_MS = 10_000;
/** Between the FIN after the answer and closing: the client reads the answer before a reset. */
const CLOSE_GRACE_MS = 500;

export function bodyLimitFor(pathname: string): number {
  let path = pathname;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    // undecodable: refused as a bad request before this runs; match it as it is
  }
  path = path.replace(/\.data$/, "").replace(/\/+$/, "") || "/";
  return BODY_LIMITS.find((row) => row.path.test(path))?.bytes ?? DEFAULT_BODY_LIMIT;
}

/** 413 in the client's language (JSON for the API and the webhook), then drop the rest. */
export function refuseTooLarge(req: IncomingMessage, res: ServerResponse, limit: number) {
  sendProblem(req, res, "tooLarge", { limit: formatBytes(limit) });
  discardRest(req, res);
}

/** Once the answer is out, throws away the rest of the body, within bounds (above). */
const discarding = new WeakSet<IncomingMessage>();
export function discardRest(req: IncomingMessage, res: ServerResponse) {
  if (req.complete || discarding.has(req)) return;
  discarding.add(req);
  const drain = () => {
    if (req.complete) return;
    req.unpipe();
    let discarded = 0;
    const count = (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > DISCARD_BYTES) stop();
    };
    const stop = () => {
      clearTimeout(timer);
      req.off("data", count);
      if (req.complete) return;
      req.pause();
      req.socket.end();
      setTimeout(() => req.socket.destroy(), CLOSE_GRACE_MS).unref();
    };
    const timer = setTimeout(stop, LINGER_MS);
    timer.unref();
    req.once("end", () => clearTimeout(timer));
    req.on("data", count);
  };
  if (res.writableFinished) drain();
  else res.once("finish", drain);
}

/** A declared Content-Length over the route's limit is refused before a byte of it is read. */
export function refuseDeclaredTooLarge(req: Request, res: Response, next: NextFunction) {
  const limit = bodyLimitFor(req.path);
  res.locals.bodyLimit = limit;
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) return refuseTooLarge(req, res, limit);
  next();
}

/** Raised into the body stream the route reads once more than the limit has come in. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The request body is larger than ${formatBytes(limit)}.`);
  }
}

/**
 * Passes the body through while counting it; past `limit` it stops with BodyTooLargeError
 * (what the route was reading fails) and calls `onExceeded` once. Holds no more than the
 * stream buffers in between.
 */
export class BodyCounter extends Transform {
  private seen = 0;
  constructor(
    private readonly limit: number,
    private readonly onExceeded: () => void,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    this.seen += chunk.length;
    if (this.seen > this.limit) {
      this.onExceeded();
      callback(new BodyTooLargeError(this.limit));
      return;
    }
    callback(null, chunk);
  }
}
