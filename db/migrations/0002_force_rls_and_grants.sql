-- drizzle-kit can ENABLE row-level security but not FORCE it; without FORCE a
-- table owner would bypass the policies.
ALTER TABLE "participants" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "participations" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "inquiries" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "inquiry_area_scores" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "answers" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "users" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "memberships" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "invitations" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "api_tokens" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "coaching_exports" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "bookings" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "payments" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "tenant_audit_events" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- The runtime role: DML on tenant tables (RLS limits the rows), read-only on the
-- operator and benchmark tables tenant pages need, nothing on auth or staff tables.
GRANT USAGE ON SCHEMA public TO innsikt_tenant;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON
  participations, inquiries, inquiry_area_scores, answers, memberships, invitations,
  api_tokens, coaching_exports, bookings, payments, tenant_audit_events
  TO innsikt_tenant;--> statement-breakpoint
GRANT SELECT, UPDATE (name, hide_agent_names) ON participants TO innsikt_tenant;--> statement-breakpoint
GRANT SELECT (id, email, name) ON users TO innsikt_tenant;--> statement-breakpoint
GRANT SELECT ON
  studies, classes, areas, questions, shoppers,
  coaches, coaching_products, coach_slots,
  benchmark_study, benchmark_channel, benchmark_class, benchmark_class_channel,
  benchmark_class_area, benchmark_class_question, benchmark_ranking
  TO innsikt_tenant;
