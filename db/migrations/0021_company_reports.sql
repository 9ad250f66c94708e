-- The company report (issue 19): each company's full report and one-page summary of a
-- published study, as built PDFs, one row per (company, study, kind, language). The bytes live
-- in the row (bytea): every web and worker process reads them from the one database, they are
-- in the backups with the figures they were built from, RLS guards them like the figures, and
-- status and file change in one statement. A rebuild replaces the row's bytes (no growth).
-- `generation` counts the requests to (re)build: a build stores its file only if no newer
-- request came while it rendered (a correction), so a stale file is never marked ready.
CREATE TABLE "company_reports" (
	"tenant_id" uuid NOT NULL,
	"study_id" integer NOT NULL,
	"kind" text NOT NULL,
	"lang" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"generation" integer DEFAULT 1 NOT NULL,
	"job_id" uuid,
	"error" text,
	"content" bytea,
	"size_bytes" integer,
	"built_at" timestamp with time zone,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"enqueued_at" timestamp with time zone,
	"requested_by" uuid,
	"progress" jsonb,
	CONSTRAINT "company_reports_tenant_id_study_id_kind_lang_pk" PRIMARY KEY("tenant_id","study_id","kind","lang"),
	CONSTRAINT "company_reports_kind" CHECK ("company_reports"."kind" in ('full', 'summary')),
	CONSTRAINT "company_reports_lang" CHECK ("company_reports"."lang" in ('nb', 'en')),
	CONSTRAINT "company_reports_status" CHECK ("company_reports"."status" in ('queued', 'building', 'ready', 'failed'))
);--> statement-breakpoint
ALTER TABLE "company_reports" ADD CONSTRAINT "company_reports_tenant_id_participants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "company_reports" ADD CONSTRAINT "company_reports_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "company_reports" ADD CONSTRAINT "company_reports_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "company_reports_study_id_status_index" ON "company_reports" USING btree ("study_id","status");--> statement-breakpoint
ALTER TABLE "company_reports" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "company_reports" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "company_reports_tenant_isolation" ON "company_reports" AS PERMISSIVE FOR ALL TO "innsikt_tenant" USING ("company_reports"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("company_reports"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "company_reports_owner_access" ON "company_reports" AS PERMISSIVE FOR ALL TO current_user USING (true) WITH CHECK (true);--> statement-breakpoint
-- The company asks for a build (insert or re-queue its row) and its build job stores the file
-- in its scope (drizzle names every column in an insert, so INSERT is table-wide, RLS keeps it
-- to the company's own rows); the key columns are never updatable, nothing is deletable by the role.
GRANT SELECT, INSERT ON "company_reports" TO innsikt_tenant;--> statement-breakpoint
GRANT UPDATE ("status", "generation", "job_id", "error", "content", "size_bytes", "built_at", "queued_at", "enqueued_at", "requested_by", "progress") ON "company_reports" TO innsikt_tenant;--> statement-breakpoint
-- A company may keep its viewers from downloading the reports (managers and team leads always may).
ALTER TABLE "participants" ADD COLUMN "viewers_download_reports" boolean DEFAULT true NOT NULL;--> statement-breakpoint
GRANT UPDATE ("viewers_download_reports") ON "participants" TO innsikt_tenant;
