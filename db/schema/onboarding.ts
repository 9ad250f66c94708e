import { customType, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./account";
import { studies } from "./study";

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => "bytea" });

/**
 * A contacts file for a study's invitations (issue 17), kept so its preview survives a
 * reload: the preview is computed again from the bytes on each load. Staff only.
 */
export const contactUploads = pgTable(
  "contact_uploads",
  {
    id: uuid().primaryKey().defaultRandom(),
    studyId: integer()
      .notNull()
      .references(() => studies.id, { onDelete: "cascade" }),
    fileName: text().notNull(),
    checksum: text().notNull(),
    bytes: bytea().notNull(),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** when its invitations were last sent, and how many that time */
    sentAt: timestamp({ withTimezone: true }),
    sentCount: integer(),
  },
  (t) => [index().on(t.studyId, t.createdAt)],
);
