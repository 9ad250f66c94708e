import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** The mails written as a template key and parameters, rendered at delivery (app/mail/outbox.server.ts). */
export const OUTBOX_TEMPLATES = ["booking.confirmed", "booking.cancelled"] as const;
export type OutboxTemplate = (typeof OUTBOX_TEMPLATES)[number];

/**
 * E-mail is written here in the sender's transaction and delivered with retries: either
 * rendered (subject and body), or as a template key with its parameters, which the
 * delivery renders in the recipient's language (docs/decisions/006-least-privilege.md).
 */
export const emailOutbox = pgTable(
  "email_outbox",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    toAddress: text().notNull(),
    subject: text(),
    textBody: text(),
    template: text(),
    params: jsonb(),
    icsAttachment: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastError: text(),
    sentAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index().on(t.sentAt, t.nextAttemptAt),
    check(
      "email_outbox_rendered_or_template",
      sql`(${t.template} is null and ${t.subject} is not null and ${t.textBody} is not null) or (${t.template} in ('booking.confirmed', 'booking.cancelled') and ${t.params} is not null)`,
    ),
  ],
);
