-- The "new results" banner of the company pages (issue 15): which published studies a person
-- has already been told about, one row per person and study, written when the banner is shown
-- (INSERT … ON CONFLICT DO NOTHING RETURNING: what comes back is what is new). A person's own
-- bookkeeping across companies, no tenant data: no tenant_id, no row-level security, and like
-- sessions it lives on the owner path only; the runtime role gets no grant on it.
CREATE TABLE "results_seen" (
	"user_id" uuid NOT NULL,
	"study_id" integer NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "results_seen_user_id_study_id_pk" PRIMARY KEY("user_id","study_id")
);--> statement-breakpoint
ALTER TABLE "results_seen" ADD CONSTRAINT "results_seen_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "results_seen" ADD CONSTRAINT "results_seen_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
REVOKE ALL ON "results_seen" FROM innsikt_tenant;
