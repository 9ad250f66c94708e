-- Background jobs run on a PostgreSQL job queue (pg-boss, schema "pgboss") in any process, so
-- their progress is kept in the row they work on, not in the memory of the process that runs
-- them: the page that polls it may be served by another process.
ALTER TABLE "import_uploads" ADD COLUMN "progress" jsonb;--> statement-breakpoint
ALTER TABLE "coaching_exports" ADD COLUMN "progress" jsonb;
