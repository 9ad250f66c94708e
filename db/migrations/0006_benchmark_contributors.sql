-- Anonymity on every figure (issue 12): each benchmark row carries the number of companies
-- behind its figures, and a figure over fewer than 3 companies is stored as null. Rows of
-- studies published before this migration get their counts here, from the same data.
ALTER TABLE "benchmark_study" ALTER COLUMN "mean" DROP NOT NULL, ALTER COLUMN "band_perfect" DROP NOT NULL, ALTER COLUMN "band_high" DROP NOT NULL, ALTER COLUMN "band_mid" DROP NOT NULL, ALTER COLUMN "band_low" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "benchmark_channel" ADD COLUMN "participants" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "benchmark_channel" ALTER COLUMN "participants" DROP DEFAULT, ALTER COLUMN "mean" DROP NOT NULL, ALTER COLUMN "band_perfect" DROP NOT NULL, ALTER COLUMN "band_high" DROP NOT NULL, ALTER COLUMN "band_mid" DROP NOT NULL, ALTER COLUMN "band_low" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "benchmark_class" ALTER COLUMN "band_perfect" DROP NOT NULL, ALTER COLUMN "band_high" DROP NOT NULL, ALTER COLUMN "band_mid" DROP NOT NULL, ALTER COLUMN "band_low" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "benchmark_class_channel" ADD COLUMN "participants" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "benchmark_class_channel" ALTER COLUMN "participants" DROP DEFAULT, ALTER COLUMN "mean" DROP NOT NULL, ALTER COLUMN "best" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "benchmark_class_area" ADD COLUMN "participants" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "benchmark_class_area" ALTER COLUMN "participants" DROP DEFAULT, ALTER COLUMN "mean" DROP NOT NULL, ALTER COLUMN "best" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "benchmark_class_question" ADD COLUMN "participants" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "benchmark_class_question" ALTER COLUMN "participants" DROP DEFAULT, ALTER COLUMN "mean" DROP NOT NULL, ALTER COLUMN "best" DROP NOT NULL;--> statement-breakpoint
UPDATE "benchmark_channel" b SET "participants" = (
  select count(distinct i.tenant_id) from inquiries i where i.study_id = b.study_id and i.channel = b.channel);--> statement-breakpoint
UPDATE "benchmark_class_channel" b SET "participants" = (
  select count(distinct i.tenant_id) from inquiries i
  join participations p on p.tenant_id = i.tenant_id and p.study_id = i.study_id
  where p.class_id = b.class_id and i.channel = b.channel);--> statement-breakpoint
UPDATE "benchmark_class_area" b SET "participants" = (
  select count(distinct x.tenant_id) from inquiry_area_scores x
  join inquiries i on i.tenant_id = x.tenant_id and i.id = x.inquiry_id
  join participations p on p.tenant_id = i.tenant_id and p.study_id = i.study_id
  where p.class_id = b.class_id and x.area_id = b.area_id);--> statement-breakpoint
UPDATE "benchmark_class_question" b SET "participants" = (
  select count(distinct a.tenant_id) from answers a
  join inquiries i on i.tenant_id = a.tenant_id and i.id = a.inquiry_id
  join participations p on p.tenant_id = i.tenant_id and p.study_id = i.study_id
  where p.class_id = b.class_id and a.question_id = b.question_id and a.percent is not null);--> statement-breakpoint
UPDATE "benchmark_study" SET "mean" = null, "band_perfect" = null, "band_high" = null, "band_mid" = null, "band_low" = null WHERE "participants" < 3;--> statement-breakpoint
UPDATE "benchmark_channel" SET "mean" = null, "band_perfect" = null, "band_high" = null, "band_mid" = null, "band_low" = null WHERE "participants" < 3;--> statement-breakpoint
UPDATE "benchmark_class" SET "band_perfect" = null, "band_high" = null, "band_mid" = null, "band_low" = null WHERE "participants" < 3;--> statement-breakpoint
UPDATE "benchmark_class_channel" SET "mean" = null, "best" = null WHERE "participants" < 3;--> statement-breakpoint
UPDATE "benchmark_class_area" SET "mean" = null, "best" = null WHERE "participants" < 3;--> statement-breakpoint
UPDATE "benchmark_class_question" SET "mean" = null, "best" = null WHERE "participants" < 3;
