import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./account";
import { participants } from "./participant";
import { tenantPolicies } from "./tenancy";

/** Staff actions; never readable by the runtime role. */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    actorUserId: uuid().references(() => users.id, { onDelete: "set null" }),
    action: text().notNull(),
    studyId: integer(),
    participantId: uuid(),
    details: jsonb().notNull().default({}),
  },
  (t) => [index().on(t.at)],
);

/** What happened inside a tenant: logins, exports, invitations, role changes. */
export const tenantAuditEvents = pgTable(
  "tenant_audit_events",
  {
    tenantId: uuid()
      .notNull()
      .references(() => participants.id, { onDelete: "cascade" }),
    id: uuid().notNull().defaultRandom(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    actorUserId: uuid().references(() => users.id, { onDelete: "set null" }),
    action: text().notNull(),
    details: jsonb().notNull().default({}),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index().on(t.tenantId, t.at), ...tenantPolicies(t.tenantId, "tenant_audit_events")],
).enableRLS();
