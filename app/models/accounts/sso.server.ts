// Single sign-on with a company's own OpenID Connect provider (issue 17): its settings, the
// start of a sign-in (authorization code flow with PKCE, state and nonce, openid-client) and
// the callback that admits a person only into THAT company: the address's domain must be one
// of the company's, and the person needs a membership of it, an open invitation to it, or the
// company's self-registration. Sign-ins and writes run on the owner path (no session yet; the
// writes check the domains against every company); the tenant id comes from the domain
// looked up here, from the guard, or from the staff page's company, never from a form.

import { and, eq, gt, inArray, isNull, lt, ne, sql } from "drizzle-orm";
import * as oidc from "openid-client";
import { isUniqueViolation, type Db, type Executor } from "#db/client.server";
import * as s from "#db/schema";
import { decryptSsoSecret, encryptSsoSecret } from "~/auth/sso-secret.server";
import { emailDomain, type SsoSettingsInput } from "~/domain/sso";
import type { TenantRole } from "~/domain/types";
import { env } from "~/env.server";
import { recordStaffAction, recordTenantAction } from "~/models/admin/audit.server";
import { createSession, generateSessionToken, hashToken, setActiveTenant } from "./session.server";

/** How long a started sign-in may take at the provider. */
export const SSO_LOGIN_TTL_MS = 10 * 60_000;
const DISCOVERY_TTL_MS = 10 * 60_000;
const PROVIDER_TIMEOUT_SECONDS = 10;

export const SSO_CALLBACK_PATH = "/sso/callback";
export const ssoCallbackUrl = () => `${env().publicUrl}${SSO_CALLBACK_PATH}`;

// ---- settings -------------------------------------------------------------------------------

export interface SsoSettings {
  issuer: string;
  clientId: string;
  passwordAllowed: boolean;
  selfRegistration: boolean;
  updatedAt: Date;
  domains: string[];
}

/**
 * A company's settings without the secret (the runtime role may not read that column): in
 * the company's tenant scope for its manager, on the owner path for staff.
 */
export async function readSsoSettings(tx: Executor, tenantId: string): Promise<SsoSettings | null> {
  const [config] = await tx
    .select({ issuer: s.ssoConfigs.issuer, clientId: s.ssoConfigs.clientId, passwordAllowed: s.ssoConfigs.passwordAllowed, selfRegistration: s.ssoConfigs.selfRegistration, updatedAt: s.ssoConfigs.updatedAt })
    .from(s.ssoConfigs)
    .where(eq(s.ssoConfigs.tenantId, tenantId));
  if (!config) return null;
  const domains = await tx.select({ domain: s.ssoDomains.domain }).from(s.ssoDomains).where(eq(s.ssoDomains.tenantId, tenantId)).orderBy(s.ssoDomains.domain);
  return { ...config, domains: domains.map((d) => d.domain) };
}

export type SaveSsoOutcome =
  | { ok: true }
  | { ok: false; error: "sso.error.noKey" | "sso.error.secretRequired" }
  | { ok: false; error: "sso.error.domainTaken" | "sso.error.domainInUse"; domain: string };

/**
 * Creates or replaces a company's settings (an empty secret keeps the stored one). A domain
 * another company claims, or one at which people of another company have their address, is
 * refused: claiming it would route their sign-in to this company's provider. Both audit logs.
 */
export async function saveSsoSettings(
  db: Db,
  input: { tenantId: string; actorUserId: string; settings: SsoSettingsInput; domains: string[] },
): Promise<SaveSsoOutcome> {
  const { tenantId, settings, domains } = input;
  if (!env().ssoSecretKey) return { ok: false, error: "sso.error.noKey" };
  const secret = settings.clientSecret?.trim() ? encryptSsoSecret(settings.clientSecret.trim(), tenantId) : null;
  try {
    return await db.transaction(async (tx): Promise<SaveSsoOutcome> => {
      const [existing] = await tx.select({ tenantId: s.ssoConfigs.tenantId }).from(s.ssoConfigs).where(eq(s.ssoConfigs.tenantId, tenantId)).for("update");
      if (!existing && !secret) return { ok: false, error: "sso.error.secretRequired" };
      const [taken] = await tx
        .select({ domain: s.ssoDomains.domain })
        .from(s.ssoDomains)
        .where(and(inArray(s.ssoDomains.domain, domains), ne(s.ssoDomains.tenantId, tenantId)))
        .limit(1);
      if (taken) return { ok: false, error: "sso.error.domainTaken", domain: taken.domain };
      const [used] = await domainsUsedElsewhere(tx, tenantId, domains);
      if (used) return { ok: false, error: "sso.error.domainInUse", domain: used };
      const values = {
        issuer: settings.issuer.replace(/\/$/, ""),
        clientId: settings.clientId,
        passwordAllowed: settings.passwordAllowed === true,
        selfRegistration: settings.selfRegistration === true,
        updatedBy: input.actorUserId,
        updatedAt: new Date(),
      };
      if (existing) await tx.update(s.ssoConfigs).set({ ...values, ...(secret ? { clientSecretEncrypted: secret } : {}) }).where(eq(s.ssoConfigs.tenantId, tenantId));
      else await tx.insert(s.ssoConfigs).values({ ...values, tenantId, clientSecretEncrypted: secret! });
      await tx.delete(s.ssoDomains).where(eq(s.ssoDomains.tenantId, tenantId));
      await tx.insert(s.ssoDomains).values(domains.map((domain) => ({ tenantId, domain })));
      const details = { issuer: values.issuer, clientId: values.clientId, domains, passwordAllowed: values.passwordAllowed, selfRegistration: values.selfRegistration, secretChanged: secret !== null };
      await recordStaffAction(tx, { actorUserId: input.actorUserId, action: "sso.settings", participantId: tenantId, details });
      await recordTenantAction(tx, tenantId, input.actorUserId, { action: "sso.settings", details });
      return { ok: true };
    });
  } catch (error) {
    // Two companies claiming one domain at the same moment: the unique index decides.
    if (isUniqueViolation(error, "sso_domains_one_company")) return { ok: false, error: "sso.error.domainTaken", domain: domains.join(", ") };
    throw error;
  }
}

/** Domains of `domains` at which a member of, or an open invitation to, another company has an address. */
async function domainsUsedElsewhere(tx: Executor, tenantId: string, domains: string[]): Promise<string[]> {
  const members = await tx
    .selectDistinct({ domain: sql<string>`lower(split_part(${s.users.email}, '@', 2))` })
    .from(s.memberships)
    .innerJoin(s.users, eq(s.users.id, s.memberships.userId))
    .where(and(ne(s.memberships.tenantId, tenantId), inArray(sql`lower(split_part(${s.users.email}, '@', 2))`, domains)));
  const invited = await tx
    .selectDistinct({ domain: sql<string>`lower(split_part(${s.invitations.email}, '@', 2))` })
    .from(s.invitations)
    .where(and(ne(s.invitations.tenantId, tenantId), isNull(s.invitations.acceptedAt), isNull(s.invitations.revokedAt), gt(s.invitations.expiresAt, new Date()), inArray(sql`lower(split_part(${s.invitations.email}, '@', 2))`, domains)));
  return [...new Set([...members, ...invited].map((r) => r.domain))].sort();
}

/** Turns single sign-on off for a company (its people sign in with passwords again). */
export async function removeSsoSettings(db: Db, input: { tenantId: string; actorUserId: string }): Promise<boolean> {
  return db.transaction(async (tx) => {
    const removed = await tx.delete(s.ssoConfigs).where(eq(s.ssoConfigs.tenantId, input.tenantId)).returning({ issuer: s.ssoConfigs.issuer });
    if (removed.length === 0) return false;
    const details = { issuer: removed[0]!.issuer };
    await recordStaffAction(tx, { actorUserId: input.actorUserId, action: "sso.remove", participantId: input.tenantId, details });
    await recordTenantAction(tx, input.tenantId, input.actorUserId, { action: "sso.remove", details });
    return true;
  });
}

// ---- the login page's question: password or provider? ------------------------------------------

/** The company whose provider covers this address, if any. */
export async function findSsoForEmail(db: Db, email: string) {
  const domain = emailDomain(email);
  if (!domain) return null;
  const [row] = await db
    .select({ tenantId: s.ssoDomains.tenantId, passwordAllowed: s.ssoConfigs.passwordAllowed, companyName: s.participants.name })
    .from(s.ssoDomains)
    .innerJoin(s.ssoConfigs, eq(s.ssoConfigs.tenantId, s.ssoDomains.tenantId))
    .innerJoin(s.participants, eq(s.participants.id, s.ssoDomains.tenantId))
    .where(eq(s.ssoDomains.domain, domain));
  return row ?? null;
}

/**
 * Whether this address may only sign in through its company's provider: its domain is covered
 * and the company turned password sign-in off. Staff always keep their password (the login's rule).
 * Then no page sets or uses a password for it (login, invitation, password reset).
 */
export async function signsInWithProviderOnly(db: Db, email: string): Promise<boolean> {
  const sso = await findSsoForEmail(db, email);
  if (!sso || sso.passwordAllowed) return false;
  const [user] = await db.select({ isStaff: s.users.isStaff }).from(s.users).where(eq(sql`lower(${s.users.email})`, email.trim().toLowerCase()));
  return user?.isStaff !== true;
}

// ---- the provider -------------------------------------------------------------------------------

export class SsoUnavailableError extends Error {
  override name = "SsoUnavailableError";
}

const discovered = new Map<string, { at: number; config: Promise<oidc.Configuration> }>();

async function providerOf(db: Executor, tenantId: string) {
  const [row] = await db.select().from(s.ssoConfigs).where(eq(s.ssoConfigs.tenantId, tenantId));
  if (!row) return null;
  const secret = decryptSsoSecret(row.clientSecretEncrypted, tenantId);
  if (secret === null) throw new SsoUnavailableError("The client secret does not decrypt (SSO_SECRET_KEY changed?).");
  const key = `${row.issuer}\u0000${row.clientId}\u0000${hashToken(secret)}`;
  let entry = discovered.get(key);
  if (!entry || Date.now() - entry.at > DISCOVERY_TTL_MS) {
    const issuer = new URL(row.issuer);
    const config = oidc
      .discovery(issuer, row.clientId, { client_secret: secret }, oidc.ClientSecretBasic(secret), {
        timeout: PROVIDER_TIMEOUT_SECONDS,
        // http only for a provider on the loopback address (the settings form refuses any other).
        execute: issuer.protocol === "http:" ? [oidc.allowInsecureRequests] : [],
      })
      .then((c) => {
        c.timeout = PROVIDER_TIMEOUT_SECONDS;
        return c;
      });
    entry = { at: Date.now(), config };
    discovered.set(key, entry);
    // A failed discovery is not remembered: the next sign-in asks again.
    config.catch(() => discovered.get(key) === entry && discovered.delete(key));
  }
  try {
    return { row, config: await entry.config };
  } catch (error) {
    throw new SsoUnavailableError(`Discovery of ${row.issuer} failed.`, { cause: error });
  }
}

/**
 * Starts a sign-in at the company's provider: state, nonce and PKCE verifier are kept here,
 * bound to the browser by `browserToken` (the caller sets it as a cookie). Returns where to send the browser.
 */
export async function startSsoLogin(db: Db, input: { tenantId: string; email: string; redirectTo: string; now?: Date }) {
  const now = input.now ?? new Date();
  const provider = await providerOf(db, input.tenantId);
  if (!provider) throw new SsoUnavailableError("No provider configured.");
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const browserToken = generateSessionToken();
  await db.delete(s.ssoLogins).where(lt(s.ssoLogins.expiresAt, new Date(now.getTime() - 24 * 3600_000)));
  await db.insert(s.ssoLogins).values({
    stateHash: hashToken(state),
    participantId: input.tenantId,
    browserHash: hashToken(browserToken),
    nonce,
    codeVerifier,
    redirectTo: input.redirectTo,
    createdAt: now,
    expiresAt: new Date(now.getTime() + SSO_LOGIN_TTL_MS),
  });
  const url = oidc.buildAuthorizationUrl(provider.config, {
    redirect_uri: ssoCallbackUrl(),
    scope: "openid email profile",
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    state,
    nonce,
    login_hint: input.email,
  });
  return { url: url.href, browserToken };
}

export const SSO_REFUSALS = [
  "unknown-state",
  "used",
  "provider-error",
  "unreachable",
  "wrong-audience",
  "expired",
  "invalid-token",
  "no-email",
  "other-domain",
  "no-access",
  "disabled",
] as const;
export type SsoRefusal = (typeof SSO_REFUSALS)[number];

export type SsoOutcome = { ok: true; userId: string; tenantId: string; token: string; redirectTo: string } | { ok: false; reason: SsoRefusal };

/** Which check of the provider's answer failed, from openid-client's (oauth4webapi's) error. */
function refusalOf(error: unknown): SsoRefusal {
  for (let e: unknown = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    if (e instanceof oidc.AuthorizationResponseError || e instanceof oidc.ResponseBodyError) return "provider-error";
    const { code, cause } = e as { code?: string; cause?: { claim?: string } };
    if (code === "OAUTH_JWT_CLAIM_COMPARISON_FAILED" && cause?.claim === "aud") return "wrong-audience";
    if (code === "OAUTH_JWT_TIMESTAMP_CHECK_FAILED" && cause?.claim === "exp") return "expired";
    if (e instanceof TypeError && /fetch failed/.test(e.message)) return "unreachable";
    if ((e as { name?: string }).name === "TimeoutError" || (e as { name?: string }).name === "AbortError") return "unreachable";
  }
  return "invalid-token";
}

/**
 * The callback: the sign-in must be one this browser started and not used yet; the provider's
 * answer must pass every check (issuer, audience, expiry, nonce, PKCE); the address must be of
 * the company's domains and have a membership of, or an invitation to, that company (or the
 * company lets its domains register themselves, as viewers). Then a new session, as a password
 * sign-in gives, on that company.
 */
export async function finishSsoLogin(db: Db, input: { query: URLSearchParams; browserToken: string | null; userAgent: string | null; now?: Date }): Promise<SsoOutcome> {
  const now = input.now ?? new Date();
  const state = input.query.get("state");
  if (!state || state.length > 200) return { ok: false, reason: "unknown-state" };
  const [login] = await db.select().from(s.ssoLogins).where(eq(s.ssoLogins.stateHash, hashToken(state)));
  if (!login) return { ok: false, reason: "unknown-state" };
  if (login.usedAt) return refuse(db, login.participantId, "used");
  if (!input.browserToken || hashToken(input.browserToken) !== login.browserHash || login.expiresAt <= now) return refuse(db, login.participantId, "unknown-state");
  // Used once, before anything else: a replayed or concurrent second callback finds it used.
  const claimed = await db
    .update(s.ssoLogins)
    .set({ usedAt: now })
    .where(and(eq(s.ssoLogins.stateHash, login.stateHash), isNull(s.ssoLogins.usedAt)))
    .returning({ stateHash: s.ssoLogins.stateHash });
  if (claimed.length === 0) return refuse(db, login.participantId, "used");
  const tenantId = login.participantId;

  let claims: oidc.IDToken;
  try {
    const provider = await providerOf(db, tenantId);
    if (!provider) return refuse(db, tenantId, "unreachable");
    const tokens = await oidc.authorizationCodeGrant(provider.config, new URL(`${ssoCallbackUrl()}?${input.query}`), {
      pkceCodeVerifier: login.codeVerifier,
      expectedState: state,
      expectedNonce: login.nonce,
      idTokenExpected: true,
    });
    const found = tokens.claims();
    if (!found) return refuse(db, tenantId, "invalid-token");
    claims = found;
  } catch (error) {
    return refuse(db, tenantId, error instanceof SsoUnavailableError ? "unreachable" : refusalOf(error), error);
  }

  // Entra ID puts the address in preferred_username when the optional email claim is off.
  const address = typeof claims.email === "string" ? claims.email : typeof claims.preferred_username === "string" && claims.preferred_username.includes("@") ? claims.preferred_username : null;
  if (!address || claims.email_verified === false) return refuse(db, tenantId, "no-email");
  const email = address.trim().toLowerCase();
  const domain = emailDomain(email);
  const domains = await db.select({ domain: s.ssoDomains.domain }).from(s.ssoDomains).where(eq(s.ssoDomains.tenantId, tenantId));
  if (!domain || !domains.some((d) => d.domain === domain)) return refuse(db, tenantId, "other-domain", undefined, email);
  const name = typeof claims.name === "string" && claims.name.trim() ? claims.name.trim().slice(0, 200) : email.split("@")[0]!;

  const admitted = await admit(db, { tenantId, email, name, now });
  if (!admitted.ok) return refuse(db, tenantId, admitted.reason, undefined, email);
  const token = generateSessionToken();
  const session = await createSession(db, token, admitted.userId, { userAgent: input.userAgent, now });
  await setActiveTenant(db, session.id, tenantId);
  await recordStaffAction(db, { actorUserId: admitted.userId, action: "auth.login", participantId: tenantId, details: { method: "sso", how: admitted.how, userAgent: input.userAgent?.slice(0, 200) ?? null } });
  return { ok: true, userId: admitted.userId, tenantId, token, redirectTo: login.redirectTo };
}

async function refuse(db: Db, tenantId: string, reason: SsoRefusal, error?: unknown, email?: string): Promise<SsoOutcome> {
  const messages: string[] = [];
  for (let e: unknown = error; e instanceof Error && messages.length < 3; e = e.cause) messages.push(e.message);
  const detail = messages.length > 0 ? messages.join(" ← ").slice(0, 500) : undefined;
  await recordStaffAction(db, { actorUserId: null, action: "auth.sso_refused", participantId: tenantId, details: { reason, ...(email ? { email } : {}), ...(detail ? { error: detail } : {}) } });
  return { ok: false, reason };
}

type Admission = { ok: true; userId: string; how: "member" | "invitation" | "self-registration" } | { ok: false; reason: "no-access" | "disabled" };

/** Membership of the company, else its open invitation (used now), else self-registration if on. */
async function admit(db: Db, input: { tenantId: string; email: string; name: string; now: Date }): Promise<Admission> {
  const { tenantId, email, now } = input;
  return db.transaction(async (tx): Promise<Admission> => {
    const [user] = await tx
      .select({ id: s.users.id, disabledAt: s.users.disabledAt, isStaff: s.users.isStaff })
      .from(s.users)
      .where(eq(sql`lower(${s.users.email})`, email));
    // Staff sign in with their password: a company's provider never makes anyone staff.
    if (user && (user.disabledAt || user.isStaff)) return { ok: false, reason: "disabled" };
    if (user) {
      const [member] = await tx.select({ role: s.memberships.role }).from(s.memberships).where(and(eq(s.memberships.tenantId, tenantId), eq(s.memberships.userId, user.id)));
      if (member) return { ok: true, userId: user.id, how: "member" };
    }
    const [invitation] = await tx
      .update(s.invitations)
      .set({ acceptedAt: now })
      .where(
        and(
          eq(s.invitations.tenantId, tenantId),
          eq(s.invitations.id, sql`(select i.id from invitations i where i.tenant_id = ${tenantId} and i.email = ${email} and i.accepted_at is null and i.revoked_at is null and i.expires_at > ${now.toISOString()}::timestamptz order by i.created_at desc limit 1)`),
        ),
      )
      .returning({ role: s.invitations.role });
    const [config] = await tx.select({ selfRegistration: s.ssoConfigs.selfRegistration }).from(s.ssoConfigs).where(eq(s.ssoConfigs.tenantId, tenantId));
    const role: TenantRole | null = invitation ? invitation.role : config?.selfRegistration ? "viewer" : null;
    if (!role) return { ok: false, reason: "no-access" };
    let userId = user?.id;
    if (!userId) {
      const [created] = await tx.insert(s.users).values({ email, name: input.name, passwordHash: null }).returning({ id: s.users.id });
      userId = created!.id;
    }
    await tx.insert(s.memberships).values({ tenantId, userId, role }).onConflictDoNothing();
    if (invitation) {
      await recordTenantAction(tx, tenantId, userId, { action: "invitation.accept", details: { email, role } });
      return { ok: true, userId, how: "invitation" };
    }
    await recordTenantAction(tx, tenantId, userId, { action: "sso.self_registration", details: { email, role } });
    await recordStaffAction(tx, { actorUserId: userId, action: "sso.self_registration", participantId: tenantId, details: { email, role } });
    return { ok: true, userId, how: "self-registration" };
  });
}
