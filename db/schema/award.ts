import { sql } from "drizzle-orm";
import { check, index, integer, numeric, pgEnum, pgPolicy, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./account";
import { channelEnum } from "./enums";
import { participants } from "./participant";
import { classes, studies } from "./study";
import { currentTenant, tenantRole } from "./tenancy";

export const awardKindEnum = pgEnum("award_kind", ["class", "channel", "overall"]);

/**
 * The awards of a study (spec/season.md), frozen with the benchmark figures at publication
 * and recomputed with them after a correction: one row per winner, equal scores sharing an
 * award. Names, class and score as published. A tenant reads them only once the study is
 * published and only when it took part in it.
 */
export const studyAwards = pgTable(
  "study_awards",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    studyId: integer()
      .notNull()
      .references(() => studies.id, { onDelete: "cascade" }),
    kind: awardKindEnum().notNull(),
    classId: integer().references(() => classes.id, { onDelete: "cascade" }),
    classCode: text(),
    className: text(),
    channel: channelEnum(),
    participantId: uuid().notNull(),
    participantName: text().notNull(),
    score: numeric({ precision: 12, scale: 6, mode: "number" }).notNull(),
  },
  (t) => [
    index("study_awards_study_id_index").on(t.studyId),
    check("study_awards_class", sql`(${t.kind} = 'class') = (${t.classId} is not null and ${t.classCode} is not null and ${t.className} is not null)`),
    check("study_awards_channel", sql`(${t.kind} = 'channel') = (${t.channel} is not null)`),
    pgPolicy("study_awards_tenant_read", {
      as: "permissive",
      for: "select",
      to: tenantRole,
      using: sql`exists (select 1 from studies st where st.id = ${t.studyId} and st.status = 'published')
        and exists (select 1 from participations p where p.study_id = ${t.studyId} and p.tenant_id = ${currentTenant})`,
    }),
    pgPolicy("study_awards_owner_access", { as: "permissive", for: "all", to: "current_user", using: sql`true`, withCheck: sql`true` }),
  ],
).enableRLS();

/**
 * A class (by code: a paused class may have no class row that year) or a company that sits a
 * year out (spec/season.md): it takes no part in that year's awards. Staff write them; a
 * tenant reads the class pauses and its own company pause, not who set it.
 */
export const studyPauses = pgTable(
  "study_pauses",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    studyId: integer()
      .notNull()
      .references(() => studies.id, { onDelete: "cascade" }),
    classCode: text(),
    participantId: uuid().references(() => participants.id, { onDelete: "cascade" }),
    reason: text().notNull(),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("study_pauses_class").on(t.studyId, t.classCode).where(sql`${t.classCode} is not null`),
    uniqueIndex("study_pauses_participant").on(t.studyId, t.participantId).where(sql`${t.participantId} is not null`),
    check("study_pauses_reason_length", sql`char_length(${t.reason}) between 1 and 500`),
    check("study_pauses_one_subject", sql`(${t.classCode} is null) <> (${t.participantId} is null)`),
    pgPolicy("study_pauses_tenant_read", {
      as: "permissive",
      for: "select",
      to: tenantRole,
      using: sql`${t.classCode} is not null or ${t.participantId} = ${currentTenant}`,
    }),
    pgPolicy("study_pauses_owner_access", { as: "permissive", for: "all", to: "current_user", using: sql`true`, withCheck: sql`true` }),
  ],
).enableRLS();
