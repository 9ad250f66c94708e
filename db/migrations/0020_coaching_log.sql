-- The coaching log (issue 18): a team lead records a coaching session (the date, who was
-- coached as a first name or a label the company chooses, the habit worked on, the next
-- follow-up date), linked to inquiries of the company and/or one of its coaching packs.
-- Tenant data like coaching_exports: tenant_id first in every key, RLS enabled and forced.
-- A pack is referred to without a foreign key (packs' rows may be swept); the page joins it
-- within the tenant, and the application checks at write that the pack is the company's own.
CREATE TABLE "coaching_log_entries" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"session_date" date NOT NULL,
	"coached" text NOT NULL,
	"coached_kind" text NOT NULL,
	"habit" text NOT NULL,
	"pack_id" uuid,
	"follow_up_date" date,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "coaching_log_entries_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "coaching_log_entries_coached_kind" CHECK ("coaching_log_entries"."coached_kind" in ('name', 'label')),
	CONSTRAINT "coaching_log_entries_coached_length" CHECK (char_length("coaching_log_entries"."coached") between 1 and 60),
	CONSTRAINT "coaching_log_entries_habit_length" CHECK (char_length("coaching_log_entries"."habit") between 1 and 500),
	CONSTRAINT "coaching_log_entries_follow_up" CHECK ("coaching_log_entries"."follow_up_date" is null or "coaching_log_entries"."follow_up_date" >= "coaching_log_entries"."session_date")
);--> statement-breakpoint
CREATE TABLE "coaching_log_inquiries" (
	"tenant_id" uuid NOT NULL,
	"entry_id" uuid NOT NULL,
	"inquiry_id" uuid NOT NULL,
	CONSTRAINT "coaching_log_inquiries_tenant_id_entry_id_inquiry_id_pk" PRIMARY KEY("tenant_id","entry_id","inquiry_id")
);--> statement-breakpoint
ALTER TABLE "coaching_log_entries" ADD CONSTRAINT "coaching_log_entries_tenant_id_participants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching_log_entries" ADD CONSTRAINT "coaching_log_entries_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching_log_inquiries" ADD CONSTRAINT "coaching_log_inquiries_entry_fk" FOREIGN KEY ("tenant_id","entry_id") REFERENCES "public"."coaching_log_entries"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching_log_inquiries" ADD CONSTRAINT "coaching_log_inquiries_inquiry_fk" FOREIGN KEY ("tenant_id","inquiry_id") REFERENCES "public"."inquiries"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "coaching_log_entries_tenant_id_session_date_index" ON "coaching_log_entries" USING btree ("tenant_id","session_date");--> statement-breakpoint
CREATE INDEX "coaching_log_inquiries_tenant_id_inquiry_id_index" ON "coaching_log_inquiries" USING btree ("tenant_id","inquiry_id");--> statement-breakpoint
ALTER TABLE "coaching_log_entries" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "coaching_log_entries" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "coaching_log_inquiries" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "coaching_log_inquiries" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "coaching_log_entries_tenant_isolation" ON "coaching_log_entries" AS PERMISSIVE FOR ALL TO "innsikt_tenant" USING ("coaching_log_entries"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("coaching_log_entries"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "coaching_log_entries_owner_access" ON "coaching_log_entries" AS PERMISSIVE FOR ALL TO current_user USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "coaching_log_inquiries_tenant_isolation" ON "coaching_log_inquiries" AS PERMISSIVE FOR ALL TO "innsikt_tenant" USING ("coaching_log_inquiries"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("coaching_log_inquiries"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "coaching_log_inquiries_owner_access" ON "coaching_log_inquiries" AS PERMISSIVE FOR ALL TO current_user USING (true) WITH CHECK (true);--> statement-breakpoint
GRANT SELECT, INSERT, DELETE, UPDATE ("session_date", "coached", "coached_kind", "habit", "pack_id", "follow_up_date", "updated_at") ON "coaching_log_entries" TO innsikt_tenant;--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON "coaching_log_inquiries" TO innsikt_tenant;
