-- The study season (spec/season.md): draft -> review -> published. A review window has a
-- deadline; a publication can be scheduled for a minute (the embargo), and the per-minute job
-- that publishes due studies clears publish_at in the same transaction as it publishes.
-- ADD VALUE runs inside the migration's transaction (PostgreSQL 12+); no statement of this
-- run may use 'review' before it commits.
ALTER TYPE "public"."study_status" ADD VALUE IF NOT EXISTS 'review' BEFORE 'published';--> statement-breakpoint
ALTER TABLE "studies" ADD COLUMN "review_opened_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "studies" ADD COLUMN "review_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "studies" ADD COLUMN "publish_at" timestamp with time zone;--> statement-breakpoint
-- A person may turn off the e-mails that say a review opened or results were published.
ALTER TABLE "users" ADD COLUMN "season_mails" boolean DEFAULT true NOT NULL;
--> statement-breakpoint
-- Queries (spec/season.md): a company disputes a result in the review window.
CREATE TYPE "public"."query_state" AS ENUM('open', 'accepted', 'partly_accepted', 'rejected');--> statement-breakpoint
ALTER TABLE "import_batches" ADD COLUMN "query_id" uuid;--> statement-breakpoint
CREATE TABLE "inquiry_queries" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"study_id" integer NOT NULL,
	"inquiry_ref" text NOT NULL,
	"question_code" text,
	"raised_by" uuid,
	"reason" text NOT NULL,
	"state" "query_state" DEFAULT 'open' NOT NULL,
	"answer" text,
	"answered_by" uuid,
	"answered_at" timestamp with time zone,
	"raised_at" timestamp with time zone DEFAULT now() NOT NULL,
	"staff_notified_at" timestamp with time zone,
	"correction_batch_id" integer,
	CONSTRAINT "inquiry_queries_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "inquiry_queries_reason_length" CHECK (char_length("inquiry_queries"."reason") between 1 and 2000),
	CONSTRAINT "inquiry_queries_answered" CHECK (("inquiry_queries"."state" = 'open') = ("inquiry_queries"."answered_at" is null))
);--> statement-breakpoint
ALTER TABLE "inquiry_queries" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "inquiry_queries" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "inquiry_queries" ADD CONSTRAINT "inquiry_queries_tenant_id_participants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inquiry_queries" ADD CONSTRAINT "inquiry_queries_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inquiry_queries" ADD CONSTRAINT "inquiry_queries_raised_by_users_id_fk" FOREIGN KEY ("raised_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inquiry_queries" ADD CONSTRAINT "inquiry_queries_answered_by_users_id_fk" FOREIGN KEY ("answered_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "inquiry_queries_one_open" ON "inquiry_queries" USING btree ("tenant_id","study_id","inquiry_ref",coalesce("question_code", '')) WHERE "inquiry_queries"."state" = 'open';--> statement-breakpoint
CREATE INDEX "inquiry_queries_study_id_state_index" ON "inquiry_queries" USING btree ("study_id","state");--> statement-breakpoint
CREATE POLICY "inquiry_queries_tenant_isolation" ON "inquiry_queries" AS PERMISSIVE FOR ALL TO "innsikt_tenant" USING ("inquiry_queries"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("inquiry_queries"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "inquiry_queries_owner_access" ON "inquiry_queries" AS PERMISSIVE FOR ALL TO current_user USING (true) WITH CHECK (true);--> statement-breakpoint
-- A tenant request reads its own queries and raises new ones; only the raising columns are
-- granted, so it can neither answer nor reopen one (state, answer and the rest keep their defaults).
GRANT SELECT ON "inquiry_queries" TO innsikt_tenant;--> statement-breakpoint
GRANT INSERT ("tenant_id", "study_id", "inquiry_ref", "question_code", "raised_by", "reason") ON "inquiry_queries" TO innsikt_tenant;
