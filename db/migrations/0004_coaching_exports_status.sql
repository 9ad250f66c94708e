ALTER TABLE "bookings" ADD COLUMN "cancelled_by" uuid;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "invoiced_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "coaching_exports" ADD COLUMN "status" text DEFAULT 'building' NOT NULL;--> statement-breakpoint
ALTER TABLE "coaching_exports" ADD COLUMN "inquiry_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "coaching_exports" ADD COLUMN "error" text;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_cancelled_by_users_id_fk" FOREIGN KEY ("cancelled_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "coaching_exports_tenant_id_created_at_index" ON "coaching_exports" USING btree ("tenant_id","created_at");--> statement-breakpoint
ALTER TABLE "coaching_exports" ADD CONSTRAINT "coaching_exports_status" CHECK ("coaching_exports"."status" in ('building', 'ready', 'failed'));