import { index, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./account";
import { participants } from "./participant";
import { tenantPolicies } from "./tenancy";

/** Read-API tokens: shown once, only the SHA-256 stored. */
export const apiTokens = pgTable(
  "api_tokens",
  {
    tenantId: uuid()
      .notNull()
      .references(() => participants.id, { onDelete: "cascade" }),
    id: uuid().notNull().defaultRandom(),
    name: text().notNull(),
    tokenHash: text().notNull(),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index().on(t.tokenHash), ...tenantPolicies(t.tenantId, "api_tokens")],
).enableRLS();
