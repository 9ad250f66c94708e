-- Awards (spec/season.md, issue 16): class winners, best in channel and the overall winner,
-- computed in the transaction that freezes the benchmark figures and recomputed with them
-- after a correction. One row per winner (equal scores share an award). Names, class and score
-- as published. A tenant reads the awards of a study only once it is published and only if it
-- took part in it; a draft or a study in review has no rows anyway.
CREATE TYPE "public"."award_kind" AS ENUM('class', 'channel', 'overall');--> statement-breakpoint
CREATE TABLE "study_awards" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "study_awards_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"study_id" integer NOT NULL,
	"kind" "award_kind" NOT NULL,
	"class_id" integer,
	"class_code" text,
	"class_name" text,
	"channel" "channel",
	"participant_id" uuid NOT NULL,
	"participant_name" text NOT NULL,
	"score" numeric(12, 6) NOT NULL,
	CONSTRAINT "study_awards_class" CHECK (("study_awards"."kind" = 'class') = ("study_awards"."class_id" is not null and "study_awards"."class_code" is not null and "study_awards"."class_name" is not null)),
	CONSTRAINT "study_awards_channel" CHECK (("study_awards"."kind" = 'channel') = ("study_awards"."channel" is not null))
);--> statement-breakpoint
ALTER TABLE "study_awards" ADD CONSTRAINT "study_awards_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_awards" ADD CONSTRAINT "study_awards_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "study_awards_study_id_index" ON "study_awards" USING btree ("study_id");--> statement-breakpoint
ALTER TABLE "study_awards" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "study_awards" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "study_awards_tenant_read" ON "study_awards" AS PERMISSIVE FOR SELECT TO "innsikt_tenant" USING (
  exists (select 1 from studies st where st.id = "study_awards"."study_id" and st.status = 'published')
  and exists (select 1 from participations p where p.study_id = "study_awards"."study_id" and p.tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
);--> statement-breakpoint
CREATE POLICY "study_awards_owner_access" ON "study_awards" AS PERMISSIVE FOR ALL TO current_user USING (true) WITH CHECK (true);--> statement-breakpoint
GRANT SELECT ON "study_awards" TO innsikt_tenant;--> statement-breakpoint
-- Pauses (spec/season.md): a class (by its code: a paused class may have no class row that
-- year) or a company sits a year out and takes no part in its awards. Staff write them on the
-- owner path; a tenant reads the class pauses of a year and its own company pause (the reason
-- is shown to its members), never who set it.
CREATE TABLE "study_pauses" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "study_pauses_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"study_id" integer NOT NULL,
	"class_code" text,
	"participant_id" uuid,
	"reason" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "study_pauses_reason_length" CHECK (char_length("study_pauses"."reason") between 1 and 500),
	CONSTRAINT "study_pauses_one_subject" CHECK (("study_pauses"."class_code" is null) <> ("study_pauses"."participant_id" is null))
);--> statement-breakpoint
ALTER TABLE "study_pauses" ADD CONSTRAINT "study_pauses_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_pauses" ADD CONSTRAINT "study_pauses_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_pauses" ADD CONSTRAINT "study_pauses_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "study_pauses_class" ON "study_pauses" USING btree ("study_id","class_code") WHERE "study_pauses"."class_code" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "study_pauses_participant" ON "study_pauses" USING btree ("study_id","participant_id") WHERE "study_pauses"."participant_id" is not null;--> statement-breakpoint
ALTER TABLE "study_pauses" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "study_pauses" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "study_pauses_tenant_read" ON "study_pauses" AS PERMISSIVE FOR SELECT TO "innsikt_tenant" USING (
  "study_pauses"."class_code" is not null or "study_pauses"."participant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid
);--> statement-breakpoint
CREATE POLICY "study_pauses_owner_access" ON "study_pauses" AS PERMISSIVE FOR ALL TO current_user USING (true) WITH CHECK (true);--> statement-breakpoint
GRANT SELECT ("id", "study_id", "class_code", "participant_id", "reason", "created_at") ON "study_pauses" TO innsikt_tenant;
--> statement-breakpoint
-- Studies published before this migration get their awards now, by the rules of
-- app/models/studies/awards.server.ts (computeAwards), as a publication would have frozen them.
WITH eligible AS (
  SELECT p.study_id, p.tenant_id, p.display_name, p.total_score, c.id AS class_id, c.code AS class_code, c.name AS class_name
  FROM participations p JOIN classes c ON c.id = p.class_id JOIN studies st ON st.id = p.study_id
  WHERE st.status = 'published' AND p.inquiry_count > 0 AND p.total_score IS NOT NULL
), by_class AS (
  SELECT e.*, count(*) OVER (PARTITION BY e.class_id) AS n, rank() OVER (PARTITION BY e.class_id ORDER BY e.total_score DESC) AS rk FROM eligible e
), channel_scores AS (
  SELECT i.study_id, i.tenant_id, i.channel, count(*) AS n, round(avg(i.total_score), 6) AS score
  FROM inquiries i JOIN eligible e ON e.tenant_id = i.tenant_id AND e.study_id = i.study_id
  GROUP BY i.study_id, i.tenant_id, i.channel
), by_channel AS (
  SELECT cs.*, rank() OVER (PARTITION BY cs.study_id, cs.channel ORDER BY cs.score DESC) AS rk FROM channel_scores cs WHERE cs.n >= 5
), overall AS (
  SELECT e.*, rank() OVER (PARTITION BY e.study_id ORDER BY e.total_score DESC) AS rk FROM eligible e
)
INSERT INTO "study_awards" ("study_id", "kind", "class_id", "class_code", "class_name", "channel", "participant_id", "participant_name", "score")
SELECT study_id, 'class'::award_kind, class_id, class_code, class_name, NULL, tenant_id, display_name, total_score FROM by_class WHERE rk = 1 AND n >= 3
UNION ALL
SELECT bc.study_id, 'channel'::award_kind, NULL, NULL, NULL, bc.channel, bc.tenant_id, e.display_name, bc.score
  FROM by_channel bc JOIN eligible e ON e.tenant_id = bc.tenant_id AND e.study_id = bc.study_id WHERE bc.rk = 1
UNION ALL
SELECT study_id, 'overall'::award_kind, NULL, NULL, NULL, NULL, tenant_id, display_name, total_score FROM overall WHERE rk = 1;
