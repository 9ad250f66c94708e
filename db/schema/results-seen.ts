import { integer, pgTable, primaryKey, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./account";
import { studies } from "./study";

/**
 * The published studies a person has been told about by the company pages' "new results"
 * banner (app/models/studies/results-seen.server.ts). The person's own bookkeeping, not tenant
 * data: no tenant_id and no row-level security; owner path only, no grant to the runtime role.
 */
export const resultsSeen = pgTable(
  "results_seen",
  {
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    studyId: integer()
      .notNull()
      .references(() => studies.id, { onDelete: "cascade" }),
    seenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.studyId] })],
);
