import { sql } from "drizzle-orm";
import {
  customType,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  boolean,
  pgEnum,
  pgPolicy,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./account";
import { bookingStatusEnum, paymentMethodEnum } from "./enums";
import { participants } from "./participant";
import { studies } from "./study";
import { currentTenant, tenantPolicies, tenantRole } from "./tenancy";

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

export const coachingFormatEnum = pgEnum("coaching_format", ["on_site", "video"]);

export const coaches = pgTable("coaches", {
  id: integer().primaryKey().generatedAlwaysAsIdentity(),
  name: text().notNull(),
  email: text().notNull(),
  bio: text().notNull().default(""),
  languages: text().array().notNull().default(sql`'{nb}'::text[]`),
  active: integer().notNull().default(1),
});

export const coachingProducts = pgTable(
  "coaching_products",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    nameNb: text().notNull(),
    nameEn: text().notNull(),
    descriptionNb: text().notNull().default(""),
    descriptionEn: text().notNull().default(""),
    /** NOK øre, VAT included. */
    priceOre: integer().notNull(),
    vatPercent: integer().notNull().default(25),
    durationMinutes: integer().notNull(),
    format: coachingFormatEnum().notNull(),
    active: integer().notNull().default(1),
  },
  (t) => [check("coaching_products_price", sql`${t.priceOre} > 0 and ${t.durationMinutes} > 0`)],
);

export const coachSlots = pgTable(
  "coach_slots",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    coachId: integer()
      .notNull()
      .references(() => coaches.id, { onDelete: "cascade" }),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index().on(t.coachId, t.startsAt), check("coach_slots_order", sql`${t.endsAt} > ${t.startsAt}`)],
);

export const coachingExports = pgTable(
  "coaching_exports",
  {
    tenantId: uuid()
      .notNull()
      .references(() => participants.id, { onDelete: "cascade" }),
    id: uuid().notNull().defaultRandom(),
    studyId: integer()
      .notNull()
      .references(() => studies.id, { onDelete: "cascade" }),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    format: text().notNull(),
    selection: jsonb().notNull(),
    fileName: text().notNull(),
    /** building → ready, or failed (with `error`); the file is in `content` once ready */
    status: text().notNull().default("building"),
    inquiryCount: integer().notNull().default(0),
    error: text(),
    content: bytea(),
    /** while building: { phase, done, total }, written by the job (any process) */
    progress: jsonb(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index().on(t.tenantId, t.createdAt),
    check("coaching_exports_status", sql`${t.status} in ('building', 'ready', 'failed')`),
    ...tenantPolicies(t.tenantId, "coaching_exports"),
  ],
).enableRLS();

export const bookings = pgTable(
  "bookings",
  {
    tenantId: uuid()
      .notNull()
      .references(() => participants.id, { onDelete: "cascade" }),
    id: uuid().notNull().defaultRandom(),
    slotId: integer()
      .notNull()
      .references(() => coachSlots.id),
    productId: integer()
      .notNull()
      .references(() => coachingProducts.id),
    bookedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    focus: text().notNull().default(""),
    exportId: uuid(),
    status: bookingStatusEnum().notNull(),
    paymentMethod: paymentMethodEnum().notNull(),
    stripeCheckoutSessionId: text(),
    heldUntil: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    confirmedAt: timestamp({ withTimezone: true }),
    cancelledAt: timestamp({ withTimezone: true }),
    cancelledBy: uuid().references(() => users.id, { onDelete: "set null" }),
    /** invoice bookings: when staff marked it invoiced */
    invoicedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    // The one guarantee that a slot is never sold twice (see docs/decisions/002).
    uniqueIndex("bookings_one_active_per_slot").on(t.slotId).where(sql`status in ('held', 'confirmed')`),
    index().on(t.stripeCheckoutSessionId),
    // The runtime role reads its own bookings and inserts a fresh hold of one of its members,
    // nothing else; every later change is an owner path's (migration 0008,
    // docs/decisions/006-least-privilege.md). Permissive per command: a restrictive policy
    // would bind the owner too, who is a member of the runtime role.
    pgPolicy("bookings_tenant_read", { as: "permissive", for: "select", to: tenantRole, using: sql`${t.tenantId} = ${currentTenant}` }),
    pgPolicy("bookings_tenant_insert_hold", {
      as: "permissive",
      for: "insert",
      to: tenantRole,
      withCheck: sql`${t.tenantId} = ${currentTenant}
  and ${t.status} = 'held'
  and ${t.heldUntil} is not null and ${t.heldUntil} <= now() + interval '1 hour'
  and ${t.confirmedAt} is null and ${t.cancelledAt} is null and ${t.cancelledBy} is null
  and ${t.invoicedAt} is null and ${t.stripeCheckoutSessionId} is null
  and exists (select 1 from memberships m where m.tenant_id = ${t.tenantId} and m.user_id = ${t.bookedBy})`,
    }),
    pgPolicy("bookings_owner_access", { as: "permissive", for: "all", to: "current_user", using: sql`true`, withCheck: sql`true` }),
  ],
).enableRLS();

/**
 * Operator settings of coaching (one row). A company may have at most
 * `openBookingsPerCompany` open bookings (future, held or confirmed) unless its
 * participants.open_bookings_cap says otherwise; the bookings trigger of migration 0009
 * enforces it.
 */
export const coachingSettings = pgTable(
  "coaching_settings",
  {
    id: boolean().primaryKey().default(true),
    openBookingsPerCompany: integer().notNull().default(3),
  },
  (t) => [
    check("coaching_settings_one_row", sql`${t.id}`),
    check("coaching_settings_open_bookings", sql`${t.openBookingsPerCompany} between 0 and 1000`),
  ],
);

export const payments = pgTable(
  "payments",
  {
    tenantId: uuid().notNull(),
    id: uuid().notNull().defaultRandom(),
    bookingId: uuid().notNull(),
    method: paymentMethodEnum().notNull(),
    amountOre: integer().notNull(),
    currency: text().notNull().default("NOK"),
    stripePaymentIntentId: text(),
    status: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    refundedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ name: "payments_booking_fk", columns: [t.tenantId, t.bookingId], foreignColumns: [bookings.tenantId, bookings.id] }).onDelete(
      "cascade",
    ),
    ...tenantPolicies(t.tenantId, "payments"),
  ],
).enableRLS();

/** Webhook idempotency: an event id is processed once. */
export const stripeEvents = pgTable("stripe_events", {
  id: text().primaryKey(),
  type: text().notNull(),
  receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
