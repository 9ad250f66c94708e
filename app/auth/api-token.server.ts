// The read API's gate: Bearer-token authentication, a per-token rate limit, and one
// wrapper that turns every outcome into JSON `{ "error": { "code", "message" } }`
// with Cache-Control: no-store, never a stack trace.

import type { LoaderFunctionArgs } from "@remix-run/node";
import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { z } from "zod";
import { getDatabase, withTenant, type Db, type TenantScope } from "#db/client.server";
import * as s from "#db/schema";
import { can } from "~/domain/permissions";
import type { TenantRole } from "~/domain/types";
import { API_TOKEN_PREFIX } from "~/models/accounts/api-token.server";
import { InvalidCursorError } from "~/models/insights/inquiries.server";
import { hashToken } from "~/models/accounts/session.server";
import { countHit } from "./rate-limit.server";

/** A token sees exactly what a viewer of its tenant sees (spec/cli-and-api.md). */
export const API_TOKEN_ROLE: TenantRole = "viewer";

export type ApiErrorCode = "bad_request" | "unauthorized" | "forbidden" | "not_found" | "method_not_allowed" | "rate_limited" | "internal";

const STATUS: Record<ApiErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  rate_limited: 429,
  internal: 500,
};

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
  get status() {
    return STATUS[this.code];
  }
}

export const apiNotFound = (what = "Not found.") => new ApiError("not_found", what);

const baseHeaders = { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" };

export function apiJson(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return new Response(JSON.stringify(body), { status: init.status ?? 200, headers: { ...baseHeaders, ...init.headers } });
}

export function apiErrorResponse(error: ApiError): Response {
  const headers = error.code === "unauthorized" ? { "WWW-Authenticate": 'Bearer realm="innsikt"', ...error.headers } : error.headers;
  return apiJson({ error: { code: error.code, message: error.message } }, { status: error.status, headers });
}

// ---- authentication --------------------------------------------------------

export interface ApiPrincipal {
  tokenId: string;
  tenantId: string;
}

const TOKEN_SHAPE = new RegExp(`^${API_TOKEN_PREFIX}[a-z2-7]{32}$`);
/** last_used_at is written at most this often per token, so reads do not write on every request. */
const LAST_USED_GRANULARITY_MS = 60_000;

/** The tenant behind the request's Bearer token; ApiError 401 when missing, unknown or revoked. */
export async function authenticateApiToken(db: Db, request: Request, now = new Date()): Promise<ApiPrincipal> {
  const header = request.headers.get("Authorization");
  if (!header) throw new ApiError("unauthorized", "Send the API token as Authorization: Bearer <token>.");
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  if (!match) throw new ApiError("unauthorized", "The Authorization header must be Bearer <token>.");
  const token = match[1]!;
  if (!TOKEN_SHAPE.test(token)) throw new ApiError("unauthorized", "The API token is not valid.");

  // Owner path, like sessions: the tenant is not known until the token is.
  const [row] = await db
    .select({ tenantId: s.apiTokens.tenantId, id: s.apiTokens.id, revokedAt: s.apiTokens.revokedAt, lastUsedAt: s.apiTokens.lastUsedAt })
    .from(s.apiTokens)
    .where(eq(s.apiTokens.tokenHash, hashToken(token)));
  if (!row) throw new ApiError("unauthorized", "The API token is not valid.");
  if (row.revokedAt) throw new ApiError("unauthorized", "The API token has been revoked.");

  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_GRANULARITY_MS) {
    const before = new Date(now.getTime() - LAST_USED_GRANULARITY_MS);
    await db
      .update(s.apiTokens)
      .set({ lastUsedAt: now })
      .where(and(eq(s.apiTokens.tenantId, row.tenantId), eq(s.apiTokens.id, row.id), or(isNull(s.apiTokens.lastUsedAt), lt(s.apiTokens.lastUsedAt, before))));
  }
  return { tokenId: row.id, tenantId: row.tenantId };
}

// ---- rate limit ------------------------------------------------------------

// Per token, in PostgreSQL, so every app process spends one budget: the same fixed-window
// counter as the sign-in forms (countHit, one upsert). rate-limiter-flexible was the other
// candidate; it has no store for postgres.js or PGlite, and one mechanism is enough.
export const API_RATE_LIMIT_PER_MINUTE = 120;

// ---- the wrapper every API route uses ---------------------------------------

/** Search parameters as an object; a parameter given twice is refused. */
export function parseQuery<T extends z.ZodType>(request: Request, schema: T): z.output<T> {
  const params = new URL(request.url).searchParams;
  const query: Record<string, string> = {};
  const known = "shape" in schema ? Object.keys((schema as unknown as z.ZodObject).shape) : [];
  for (const [key, value] of params) {
    if (!known.includes(key)) {
      throw new ApiError(
        "bad_request",
        known.length ? `Unknown query parameter "${key}". Known: ${known.join(", ")}.` : `Unknown query parameter "${key}": this route takes none.`,
      );
    }
    if (key in query) throw new ApiError("bad_request", `Query parameter "${key}" is given more than once.`);
    if (value === "") throw new ApiError("bad_request", `Query parameter "${key}" is empty.`);
    query[key] = value;
  }
  const result = schema.safeParse(query);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const name = issue.path.join(".") || "query";
    throw new ApiError("bad_request", `Query parameter "${name}": ${issue.message}.`);
  }
  return result.data;
}

/** A path parameter through its schema; ApiError 400 with the parameter's name otherwise. */
export function parseParam<T extends z.ZodType>(name: string, value: string | undefined, schema: T): z.output<T> {
  const result = schema.safeParse(value ?? "");
  if (!result.success) throw new ApiError("bad_request", `Path parameter "${name}": ${result.error.issues[0]!.message}.`);
  return result.data;
}

/** The response body through its schema: what does not fit is our bug, never sent half-checked. */
export function serialize<T extends z.ZodType>(schema: T, body: z.input<T>): z.output<T> {
  const result = schema.safeParse(body);
  if (!result.success) throw new Error(`API response does not fit its schema: ${result.error.message}`);
  return result.data;
}

export interface ApiContext {
  request: Request;
  params: LoaderFunctionArgs["params"];
  scope: TenantScope;
  principal: ApiPrincipal;
}

/** A resource-route loader: token → rate limit → the handler in the token's tenant scope → JSON. */
export function apiLoader(handle: (context: ApiContext) => Promise<unknown>) {
  return async ({ request, params }: LoaderFunctionArgs): Promise<Response> => {
    try {
      const { db } = await getDatabase();
      const principal = await authenticateApiToken(db, request);
      if (!can(API_TOKEN_ROLE, "results:read")) throw new ApiError("forbidden", "This token may not read results.");
      const taken = await countHit(db, "api-token", principal.tokenId, 60);
      if (taken.hits > API_RATE_LIMIT_PER_MINUTE) {
        throw new ApiError("rate_limited", `Too many requests: at most ${API_RATE_LIMIT_PER_MINUTE} a minute per token. Try again in ${taken.retryAfterSeconds} s.`, {
          "Retry-After": String(taken.retryAfterSeconds),
        });
      }
      const body = await withTenant(db, principal.tenantId, (scope) => handle({ request, params, scope, principal }));
      return apiJson(body, { headers: { "RateLimit-Limit": String(API_RATE_LIMIT_PER_MINUTE), "RateLimit-Remaining": String(API_RATE_LIMIT_PER_MINUTE - taken.hits) } });
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}

/** An unauthenticated API loader (the OpenAPI document, unknown paths): JSON and errors alike. */
export function publicApiLoader(handle: (args: LoaderFunctionArgs) => Promise<unknown> | unknown) {
  return async (args: LoaderFunctionArgs): Promise<Response> => {
    try {
      return apiJson(await handle(args));
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}

/** The API is read-only: any other method gets a JSON 405. */
export async function apiMethodNotAllowed(): Promise<Response> {
  return apiErrorResponse(new ApiError("method_not_allowed", "The read API answers GET only.", { Allow: "GET" }));
}

function toErrorResponse(error: unknown): Response {
  if (error instanceof ApiError) return apiErrorResponse(error);
  if (error instanceof InvalidCursorError) return apiErrorResponse(new ApiError("bad_request", error.message));
  console.error("API request failed:", error);
  return apiErrorResponse(new ApiError("internal", "Something went wrong on our side. Try again later."));
}
