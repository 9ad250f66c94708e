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
