import { redirect } from "@remix-run/node";
import { getDatabase, type Db } from "#db/client.server";
import { perRequest } from "~/server/request-context";
import { can, type Permission } from "~/domain/permissions";
import type { TenantRole } from "~/domain/types";
import { readCookie } from "~/i18n/locale.server";
import { hashToken, validateSessionToken, type SessionUser, SESSION_ABSOLUTE_MS } from "~/models/accounts/session.server";
import { listMemberships, listSessionMemberships, type MembershipSummary } from "~/models/accounts/user.server";

export const SESSION_COOKIE = "innsikt_session";

/**
 * The cookie lives as long as the session's absolute maximum; the idle expiry
 * slides on the server, so the cookie never needs re-sending.
 */
export function sessionCookie(token: string): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=${Math.floor(SESSION_ABSOLUTE_MS / 1000)}`;
}

export function clearSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=0`;
}

const cache = new WeakMap<Request, Promise<SessionUser | null>>();
/** Memberships read beside a session's validation, by the validated session row (see getMemberships). */
const membershipsBeside = new WeakMap<SessionUser["session"], Promise<MembershipSummary[]>>();

/** The signed-in user of this request, validated once per request. */
export function getSessionUser(request: Request): Promise<SessionUser | null> {
  const token = readCookie(request, SESSION_COOKIE);
  // Once per HTTP request (all loaders share it), and once per Request object outside one.
  return perRequest(`session:${token ?? ""}`, () => {
    let found = cache.get(request);
    if (!found) {
      found = token && /^[a-z2-7]{32}$/.test(token) ? getDatabase().then(({ db }) => validateWithMemberships(db, token)) : Promise.resolve(null);
      cache.set(request, found);
    }
    return found;
  });
}

/**
 * Every signed-in page needs the user's memberships (the layout's company switcher, the tenant
 * guard), so they are read at the same time as the session is validated, on another pooled
 * connection: one wait on the database instead of two in a row. They are handed out only for
 * a session that validated; for any other the read is dropped.
 */
async function validateWithMemberships(db: Db, token: string): Promise<SessionUser | null> {
  const memberships = listSessionMemberships(db, hashToken(token));
  memberships.catch(() => {}); // awaited below only when the session is valid
  const found = await validateSessionToken(db, token);
  if (found) membershipsBeside.set(found.session, memberships);
  return found;
}

export function notFound(): Response {
  return new Response("Not Found", { status: 404, statusText: "Not Found" });
}

export function forbidden(reason: "forbidden" | "no-company" = "forbidden"): Response {
  return new Response(reason, { status: 403, statusText: "Forbidden" });
}

/** Throws a redirect to the login page, remembering where the user was going. */
export async function requireUser(request: Request): Promise<SessionUser> {
  const found = await getSessionUser(request);
  if (found) return found;
  const url = new URL(request.url);
  const params = new URLSearchParams({ redirectTo: url.pathname + url.search });
  if (readCookie(request, SESSION_COOKIE)) params.set("expired", "1");
  throw redirect(`/login?${params}`);
}

const membershipCache = new WeakMap<Request, Promise<{ memberships: MembershipSummary[]; active: MembershipSummary | null }>>();

/**
 * The signed-in user's memberships and the active one: the session's choice if
 * still a membership, otherwise the first. One rule, for guards and the layout.
 */
export function getMemberships(request: Request, found: SessionUser) {
  return perRequest(`memberships:${found.session.id}`, () => {
    let result = membershipCache.get(request);
    if (!result) {
      result = getDatabase().then(async ({ db }) => {
        const memberships = await (membershipsBeside.get(found.session) ?? listMemberships(db, found.user.id));
        return { memberships, active: memberships.find((m) => m.tenantId === found.session.activeTenantId) ?? memberships[0] ?? null };
      });
      membershipCache.set(request, result);
    }
    return result;
  });
}

export interface TenantMember extends SessionUser {
  userId: string;
  tenantId: string;
  tenantName: string;
  role: TenantRole;
  memberships: MembershipSummary[];
}

/**
 * Every loader and action of a tenant route starts here. The tenant comes from
 * the session's membership, never from the URL or a form.
 */
export async function requireTenantMember(request: Request, permission: Permission = "results:read"): Promise<TenantMember> {
  const found = await requireUser(request);
  const { memberships, active } = await getMemberships(request, found);
  if (!active) {
    if (found.user.isStaff) throw redirect("/staff");
    throw forbidden("no-company");
  }
  if (!can(active.role, permission)) throw forbidden();
  return { ...found, userId: found.user.id, tenantId: active.tenantId, tenantName: active.tenantName, role: active.role, memberships };
}

export async function requireStaff(request: Request): Promise<SessionUser> {
  const found = await requireUser(request);
  if (!found.user.isStaff) throw forbidden();
  return found;
}
