import { customType, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./account";
import { importKindEnum } from "./enums";
import { studies } from "./study";

/** Import history: what was loaded, by whom, and what it replaced. */
export const importBatches = pgTable(
  "import_batches",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    studyId: integer()
      .notNull()
      .references(() => studies.id, { onDelete: "cascade" }),
    kind: importKindEnum().notNull(),
    fileName: text().notNull(),
    checksum: text().notNull(),
    rowCount: integer().notNull(),
    counts: jsonb().notNull(),
    /** The rows this import replaced, kept for the history. */
    replaced: jsonb(),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** A correction answering a company's query (inquiry_queries.id); null for a file. */
    queryId: uuid(),
  },
  (t) => [index().on(t.studyId, t.kind)],
);

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => "bytea" });

/**
 * A file uploaded in the staff console, held between its preview and its commit
 * (and kept afterwards with the outcome, so the page can be reloaded). Staff only.
 */
export const importUploads = pgTable(
  "import_uploads",
  {
    id: uuid().primaryKey().defaultRandom(),
    studyId: integer()
      .notNull()
      .references(() => studies.id, { onDelete: "cascade" }),
    kind: importKindEnum().notNull(),
    fileName: text().notNull(),
    checksum: text().notNull(),
    bytes: bytea().notNull(),
    /** previewed | refused | unchanged | imported | failed */
    status: text().notNull(),
    outcome: jsonb().notNull(),
    /** while checking or importing: { phase, done, total }, written by the job (any process) */
    progress: jsonb(),
    batchId: integer().references(() => importBatches.id, { onDelete: "set null" }),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.studyId, t.createdAt)],
);
