import { sql } from "drizzle-orm";
import { boolean, check, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./account";
import { participants } from "./participant";
import { tenantPolicies } from "./tenancy";

/**
 * A company's own OpenID Connect provider (issue 17). The client secret is stored only
 * encrypted (AES-256-GCM, app/auth/sso-secret.server.ts); nothing ever shows it back.
 */
export const ssoConfigs = pgTable(
  "sso_configs",
  {
    tenantId: uuid()
      .primaryKey()
      .references(() => participants.id, { onDelete: "cascade" }),
    issuer: text().notNull(),
    clientId: text().notNull(),
    clientSecretEncrypted: text().notNull(),
    /** false: people of the company's domains sign in only through the provider */
    passwordAllowed: boolean().notNull().default(true),
    /** true: a person of the domains with neither membership nor invitation joins as a viewer */
    selfRegistration: boolean().notNull().default(false),
    updatedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => tenantPolicies(t.tenantId, "sso_configs"),
).enableRLS();

/** The e-mail domains a company's provider covers; a domain belongs to one company. */
export const ssoDomains = pgTable(
  "sso_domains",
  {
    tenantId: uuid()
      .notNull()
      .references(() => ssoConfigs.tenantId, { onDelete: "cascade" }),
    domain: text().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.domain] }),
    uniqueIndex("sso_domains_one_company").on(t.domain),
    check("sso_domains_lower", sql`${t.domain} = lower(${t.domain}) and ${t.domain} <> ''`),
    ...tenantPolicies(t.tenantId, "sso_domains"),
  ],
).enableRLS();

/**
 * Sign-ins under way: state, nonce and PKCE verifier kept server-side, found by the state's
 * SHA-256 and bound to the browser that started them (the SHA-256 of a cookie). Used once.
 * Owner path only (before any session), so no tenant_id: participant_id names the company.
 */
export const ssoLogins = pgTable(
  "sso_logins",
  {
    stateHash: text().primaryKey(),
    participantId: uuid()
      .notNull()
      .references(() => participants.id, { onDelete: "cascade" }),
    browserHash: text().notNull(),
    nonce: text().notNull(),
    codeVerifier: text().notNull(),
    redirectTo: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.expiresAt)],
);
