-- Onboarding at scale (issue 17): staff send a study's invitations from one contacts file, and
-- an invitation nobody used gets one automatic reminder. remind_at is when that reminder is
-- due (set when an invitation is created, cleared when the reminder job claims it, so two
-- workers send it once); a reminder itself has none. Invitations from before this migration
-- have none either: no reminder for links sent long ago.
ALTER TABLE "invitations" ADD COLUMN "remind_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "invitations_remind_at_index" ON "invitations" USING btree ("remind_at") WHERE "invitations"."remind_at" is not null;--> statement-breakpoint
-- A contacts file uploaded in the staff console, kept so its preview survives a reload (the
-- preview is computed again from these bytes on every load, against the current members and
-- invitations). Staff only: no grant to the runtime role.
CREATE TABLE "contact_uploads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"study_id" integer NOT NULL,
	"file_name" text NOT NULL,
	"checksum" text NOT NULL,
	"bytes" "bytea" NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"sent_count" integer
);
--> statement-breakpoint
ALTER TABLE "contact_uploads" ADD CONSTRAINT "contact_uploads_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_uploads" ADD CONSTRAINT "contact_uploads_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contact_uploads_study_id_created_at_index" ON "contact_uploads" USING btree ("study_id","created_at");
