import { sql } from "drizzle-orm";
import { check, date, foreignKey, index, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./account";
import { inquiries } from "./inquiry";
import { participants } from "./participant";
import { tenantPolicies } from "./tenancy";

/**
 * A coaching session a team lead recorded (issue 18, migration 0020). `coached` is a first
 * name or a label the company chose (`coachedKind`); a first name is hidden wherever the
 * company hides agent names. The pack is referred to without a foreign key (see the migration).
 */
export const coachingLogEntries = pgTable(
  "coaching_log_entries",
  {
    tenantId: uuid()
      .notNull()
      .references(() => participants.id, { onDelete: "cascade" }),
    id: uuid().notNull().defaultRandom(),
    sessionDate: date({ mode: "string" }).notNull(),
    coached: text().notNull(),
    coachedKind: text().notNull(),
    habit: text().notNull(),
    packId: uuid(),
    followUpDate: date({ mode: "string" }),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index().on(t.tenantId, t.sessionDate),
    check("coaching_log_entries_coached_kind", sql`${t.coachedKind} in ('name', 'label')`),
    check("coaching_log_entries_coached_length", sql`char_length(${t.coached}) between 1 and 60`),
    check("coaching_log_entries_habit_length", sql`char_length(${t.habit}) between 1 and 500`),
    check("coaching_log_entries_follow_up", sql`${t.followUpDate} is null or ${t.followUpDate} >= ${t.sessionDate}`),
    ...tenantPolicies(t.tenantId, "coaching_log_entries"),
  ],
).enableRLS();

/** The company's own inquiries a logged session worked through. */
export const coachingLogInquiries = pgTable(
  "coaching_log_inquiries",
  {
    tenantId: uuid().notNull(),
    entryId: uuid().notNull(),
    inquiryId: uuid().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.entryId, t.inquiryId] }),
    foreignKey({ name: "coaching_log_inquiries_entry_fk", columns: [t.tenantId, t.entryId], foreignColumns: [coachingLogEntries.tenantId, coachingLogEntries.id] }).onDelete("cascade"),
    foreignKey({ name: "coaching_log_inquiries_inquiry_fk", columns: [t.tenantId, t.inquiryId], foreignColumns: [inquiries.tenantId, inquiries.id] }).onDelete("cascade"),
    index().on(t.tenantId, t.inquiryId),
    ...tenantPolicies(t.tenantId, "coaching_log_inquiries"),
  ],
).enableRLS();
