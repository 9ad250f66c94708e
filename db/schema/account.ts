import { sql } from "drizzle-orm";
import { boolean, index, integer, pgPolicy, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { tenantRoleEnum } from "./enums";
import { participants } from "./participant";
import { currentTenant, tenantPolicies, tenantRole } from "./tenancy";

/**
 * People, across tenants. The runtime role sees only the members of the current
 * tenant (through memberships, itself under RLS); auth runs on the owner path.
 */
export const users = pgTable(
  "users",
  {
    id: uuid().primaryKey().defaultRandom(),
    email: text().notNull().unique(),
    name: text().notNull(),
    passwordHash: text(),
    isStaff: boolean().notNull().default(false),
    locale: text().notNull().default("nb"),
    /** The review-opened and results-published e-mails (spec/season.md); the person can turn them off. */
    seasonMails: boolean().notNull().default(true),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    disabledAt: timestamp({ withTimezone: true }),
    /** Set with every new session; the company's members page shows it (owner path only). */
    lastLoginAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    pgPolicy("users_tenant_members", {
      for: "select",
      to: tenantRole,
      using: sql`exists (select 1 from memberships m where m.user_id = ${t.id} and m.tenant_id = ${currentTenant})`,
    }),
    pgPolicy("users_owner_access", { for: "all", to: "current_user", using: sql`true`, withCheck: sql`true` }),
  ],
).enableRLS();

/** Lucia-guide sessions: the id is the SHA-256 of the cookie's token. */
export const sessions = pgTable(
  "sessions",
  {
    id: text().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The tenant chosen in the switcher; checked against memberships on every request. */
    activeTenantId: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    absoluteExpiresAt: timestamp({ withTimezone: true }).notNull(),
    userAgent: text(),
  },
  (t) => [index().on(t.userId)],
);

export const memberships = pgTable(
  "memberships",
  {
    tenantId: uuid()
      .notNull()
      .references(() => participants.id, { onDelete: "cascade" }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: tenantRoleEnum().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.userId] }), index().on(t.userId), ...tenantPolicies(t.tenantId, "memberships")],
).enableRLS();

/** Single-use, hashed, expiring. */
export const invitations = pgTable(
  "invitations",
  {
    tenantId: uuid()
      .notNull()
      .references(() => participants.id, { onDelete: "cascade" }),
    id: uuid().notNull().defaultRandom(),
    email: text().notNull(),
    role: tenantRoleEnum().notNull(),
    tokenHash: text().notNull(),
    invitedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    acceptedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    /** When the one automatic reminder is due (migration 0015); cleared when it is claimed, null on a reminder. */
    remindAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index().on(t.tokenHash),
    index("invitations_remind_at_index").on(t.remindAt).where(sql`${t.remindAt} is not null`),
    ...tenantPolicies(t.tenantId, "invitations"),
  ],
).enableRLS();

export const passwordResets = pgTable(
  "password_resets",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text().notNull().unique(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.userId)],
);

/**
 * "Forgot password" requests waiting for the mail delivery step, which looks the address up
 * and, for an account, writes the reset link and its mail. Kept apart so the request itself
 * does the same work for every address.
 */
export const passwordResetRequests = pgTable("password_reset_requests", {
  id: integer().primaryKey().generatedAlwaysAsIdentity(),
  email: text().notNull(),
  requestedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** Per-account login throttling; a password reset does not consult it. */
export const loginThrottle = pgTable("login_throttle", {
  email: text().primaryKey(),
  failures: integer().notNull().default(0),
  windowStartedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  blockedUntil: timestamp({ withTimezone: true }),
});
