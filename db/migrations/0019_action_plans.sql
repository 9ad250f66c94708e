-- Action plans (issue 18, point 3): a company's plan against one metric (an area, a question, a
-- channel score or a response-time share at a goal), with an owner who is a member, a baseline
-- taken from the newest published study, a target and a due date. When the next study is
-- published (app/models/studies/publish.server.ts) the plan gets that study's value and met or
-- not met, in the publishing transaction. Tenant tables: tenant_id first in every key, RLS
-- enabled and forced, the runtime role reads and writes only its own rows.
CREATE TABLE "action_plans" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"owner_id" uuid,
	"metric_kind" text NOT NULL,
	"metric_code" text NOT NULL,
	"goal_seconds" integer,
	"baseline_study_id" integer,
	"baseline" numeric(12, 6),
	"target" numeric(12, 6) NOT NULL,
	"due_date" date NOT NULL,
	"status" text DEFAULT 'planned' NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"result_study_id" integer,
	"result" numeric(12, 6),
	"met" boolean,
	"evaluated_at" timestamp with time zone,
	"reminder_sent_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "action_plans_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "action_plans_title" CHECK (char_length("action_plans"."title") between 1 and 200),
	CONSTRAINT "action_plans_notes" CHECK (char_length("action_plans"."notes") <= 5000),
	CONSTRAINT "action_plans_status" CHECK ("action_plans"."status" in ('planned', 'in_progress', 'done')),
	CONSTRAINT "action_plans_metric" CHECK ("action_plans"."metric_kind" in ('area', 'question', 'channel', 'response_time')
		and ("action_plans"."metric_kind" not in ('channel', 'response_time') or "action_plans"."metric_code" in ('phone', 'email', 'chat', 'messenger'))
		and (("action_plans"."metric_kind" = 'response_time') = ("action_plans"."goal_seconds" is not null))
		and ("action_plans"."goal_seconds" is null or "action_plans"."goal_seconds" between 1 and 2592000)),
	CONSTRAINT "action_plans_target" CHECK ("action_plans"."target" between 0 and 100),
	CONSTRAINT "action_plans_result" CHECK (("action_plans"."result_study_id" is null) = ("action_plans"."evaluated_at" is null))
);--> statement-breakpoint
ALTER TABLE "action_plans" ADD CONSTRAINT "action_plans_tenant_id_participants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- The owner is a member of the same company: when the membership ends the plan keeps no owner.
ALTER TABLE "action_plans" ADD CONSTRAINT "action_plans_owner_fk" FOREIGN KEY ("tenant_id","owner_id") REFERENCES "public"."memberships"("tenant_id","user_id") ON DELETE SET NULL ("owner_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_plans" ADD CONSTRAINT "action_plans_baseline_study_id_studies_id_fk" FOREIGN KEY ("baseline_study_id") REFERENCES "public"."studies"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_plans" ADD CONSTRAINT "action_plans_result_study_id_studies_id_fk" FOREIGN KEY ("result_study_id") REFERENCES "public"."studies"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_plans" ADD CONSTRAINT "action_plans_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "action_plans_tenant_id_due_date_index" ON "action_plans" USING btree ("tenant_id","due_date");--> statement-breakpoint
-- The linked coaching packs and bookings; the keys hold the tenant, so a link can only name the
-- plan's own company's pack or booking (the database refuses another's, whatever the app does).
CREATE TABLE "action_plan_links" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"export_id" uuid,
	"booking_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "action_plan_links_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "action_plan_links_one" CHECK (("action_plan_links"."export_id" is null) <> ("action_plan_links"."booking_id" is null))
);--> statement-breakpoint
ALTER TABLE "action_plan_links" ADD CONSTRAINT "action_plan_links_tenant_id_participants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_plan_links" ADD CONSTRAINT "action_plan_links_plan_fk" FOREIGN KEY ("tenant_id","plan_id") REFERENCES "public"."action_plans"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_plan_links" ADD CONSTRAINT "action_plan_links_export_fk" FOREIGN KEY ("tenant_id","export_id") REFERENCES "public"."coaching_exports"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_plan_links" ADD CONSTRAINT "action_plan_links_booking_fk" FOREIGN KEY ("tenant_id","booking_id") REFERENCES "public"."bookings"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "action_plan_links_export" ON "action_plan_links" USING btree ("tenant_id","plan_id","export_id") WHERE "action_plan_links"."export_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "action_plan_links_booking" ON "action_plan_links" USING btree ("tenant_id","plan_id","booking_id") WHERE "action_plan_links"."booking_id" is not null;--> statement-breakpoint
ALTER TABLE "action_plans" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "action_plans" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "action_plans_tenant_isolation" ON "action_plans" AS PERMISSIVE FOR ALL TO "innsikt_tenant" USING ("action_plans"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("action_plans"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "action_plans_owner_access" ON "action_plans" AS PERMISSIVE FOR ALL TO current_user USING (true) WITH CHECK (true);--> statement-breakpoint
ALTER TABLE "action_plan_links" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "action_plan_links" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "action_plan_links_tenant_isolation" ON "action_plan_links" AS PERMISSIVE FOR ALL TO "innsikt_tenant" USING ("action_plan_links"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("action_plan_links"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "action_plan_links_owner_access" ON "action_plan_links" AS PERMISSIVE FOR ALL TO current_user USING (true) WITH CHECK (true);--> statement-breakpoint
-- Least privilege (docs/decisions/006): no change of tenant, id or creator. The result columns are
-- written by publication; a member's edit only clears them (a changed metric), and clears the
-- reminder's mark when the due date moves (app/models/plans/plans.server.ts).
GRANT SELECT, INSERT, DELETE ON "action_plans" TO innsikt_tenant;--> statement-breakpoint
GRANT UPDATE ("title", "owner_id", "metric_kind", "metric_code", "goal_seconds", "baseline_study_id", "baseline", "target", "due_date", "status", "notes", "result_study_id", "result", "met", "evaluated_at", "reminder_sent_at", "updated_at") ON "action_plans" TO innsikt_tenant;--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON "action_plan_links" TO innsikt_tenant;
