import { index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** E-mail is written here in the sender's transaction and delivered with retries. */
export const emailOutbox = pgTable(
  "email_outbox",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    toAddress: text().notNull(),
    subject: text().notNull(),
    textBody: text().notNull(),
    icsAttachment: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastError: text(),
    sentAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.sentAt, t.nextAttemptAt)],
);
