import { randomBytes } from "node:crypto";
import type { NextFunction, Request, Response } from "express";

/** Paths that legitimately receive cross-site POSTs, each with its own authentication. */
// Webhooks are signed; the read API authenticates with bearer tokens, never cookies.
const ORIGIN_EXEMPT = [/^\/webhooks\//, /^\/api\/v1\//];

/** Security headers with a per-response CSP nonce; only nonce-bearing scripts run. */
export function securityHeaders(_req: Request, res: Response, next: NextFunction) {
  const nonce = randomBytes(16).toString("base64");
  res.locals.cspNonce = nonce;
  res.setHeader(
    "Content-Security-Policy",
    [
      "default-src 'self'",
      `script-src 'self' 'nonce-${nonce}'`,
      // Charts position their tooltips with style attributes.
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "font-src 'self'",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join("; "),
  );
  res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
  res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  next();
}

/**
 * CSRF wall: every state-changing request must say it comes from this site.
 * A missing or foreign Origin header is refused with 403 before any handler runs.
 */
export function requireSameOrigin(req: Request, res: Response, next: NextFunction) {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
  if (ORIGIN_EXEMPT.some((pattern) => pattern.test(req.path))) return next();
  const origin = req.get("origin");
  const host = req.get("x-forwarded-host") && req.app.get("trust proxy") ? req.get("x-forwarded-host") : req.get("host");
  let originHost: string | null = null;
  try {
    originHost = origin && origin !== "null" ? new URL(origin).host : null;
  } catch {
    originHost = null;
  }
  if (!originHost || originHost !== host) {
    res.status(403).type("text/plain").send("Forbidden: this request did not come from this site (Origin check).");
    return;
  }
  next();
}
