-- Targets and response-time goals (issue 18). A company's targets per study year (total score,
-- area by its code, channel) and its response-time goal per channel, both tenant tables under
-- forced RLS that managers write and every member reads. Beside them a frozen benchmark: per
-- class and channel, how many inquiries had each wait time, so the class's share within a
-- company's own goal is computed from stored aggregates, never from a competitor's rows.
CREATE TABLE "targets" (
	"tenant_id" uuid NOT NULL,
	"year" smallint NOT NULL,
	"kind" text NOT NULL,
	"subject" text NOT NULL,
	"target" numeric(5, 2) NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "targets_tenant_id_year_kind_subject_pk" PRIMARY KEY("tenant_id","year","kind","subject"),
	CONSTRAINT "targets_kind" CHECK ("targets"."kind" in ('total', 'area', 'channel')),
	CONSTRAINT "targets_subject" CHECK (("targets"."kind" = 'total' and "targets"."subject" = '') or ("targets"."kind" = 'channel' and "targets"."subject" in ('phone', 'email', 'chat', 'messenger')) or ("targets"."kind" = 'area' and char_length("targets"."subject") between 1 and 20)),
	CONSTRAINT "targets_range" CHECK ("targets"."target" between 0 and 100),
	CONSTRAINT "targets_year" CHECK ("targets"."year" between 1900 and 2999)
);--> statement-breakpoint
ALTER TABLE "targets" ADD CONSTRAINT "targets_tenant_id_participants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "targets" ADD CONSTRAINT "targets_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "targets" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "targets" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "targets_tenant_isolation" ON "targets" AS PERMISSIVE FOR ALL TO "innsikt_tenant" USING ("targets"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("targets"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "targets_owner_access" ON "targets" AS PERMISSIVE FOR ALL TO current_user USING (true) WITH CHECK (true);--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "targets" TO innsikt_tenant;--> statement-breakpoint
CREATE TABLE "response_goals" (
	"tenant_id" uuid NOT NULL,
	"channel" "channel" NOT NULL,
	"goal_seconds" integer NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "response_goals_tenant_id_channel_pk" PRIMARY KEY("tenant_id","channel"),
	CONSTRAINT "response_goals_range" CHECK ("response_goals"."goal_seconds" between 1 and 2592000)
);--> statement-breakpoint
ALTER TABLE "response_goals" ADD CONSTRAINT "response_goals_tenant_id_participants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "response_goals" ADD CONSTRAINT "response_goals_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "response_goals" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "response_goals" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "response_goals_tenant_isolation" ON "response_goals" AS PERMISSIVE FOR ALL TO "innsikt_tenant" USING ("response_goals"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("response_goals"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "response_goals_owner_access" ON "response_goals" AS PERMISSIVE FOR ALL TO current_user USING (true) WITH CHECK (true);--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "response_goals" TO innsikt_tenant;--> statement-breakpoint
CREATE TABLE "benchmark_class_wait" (
	"class_id" integer NOT NULL,
	"channel" "channel" NOT NULL,
	"wait_seconds" integer,
	"inquiries" integer NOT NULL
);--> statement-breakpoint
ALTER TABLE "benchmark_class_wait" ADD CONSTRAINT "benchmark_class_wait_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "benchmark_class_wait_class_id_channel_index" ON "benchmark_class_wait" USING btree ("class_id","channel");--> statement-breakpoint
GRANT SELECT ON "benchmark_class_wait" TO innsikt_tenant;--> statement-breakpoint
-- Studies published before this migration get the histogram now, as computeBenchmarks
-- (app/models/studies/publish.server.ts) freezes it at publication.
WITH cc AS (
  SELECT p.class_id, i.channel FROM inquiries i
  JOIN participations p ON p.tenant_id = i.tenant_id AND p.study_id = i.study_id
  JOIN studies st ON st.id = i.study_id
  WHERE st.status = 'published'
  GROUP BY p.class_id, i.channel HAVING count(DISTINCT i.tenant_id) >= 3
)
INSERT INTO "benchmark_class_wait" ("class_id", "channel", "wait_seconds", "inquiries")
SELECT p.class_id, i.channel, i.wait_seconds, count(*)::int
FROM inquiries i
JOIN participations p ON p.tenant_id = i.tenant_id AND p.study_id = i.study_id
JOIN cc ON cc.class_id = p.class_id AND cc.channel = i.channel
GROUP BY p.class_id, i.channel, i.wait_seconds;
