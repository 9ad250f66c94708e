-- Single sign-on with a company's own OpenID Connect provider (issue 17). The configuration and
-- its e-mail domains are tenant data: a company's members read them under RLS (not the
-- encrypted client secret: no column grant); every write goes through the owner path, which
-- also checks the domains against the other companies and writes both audit logs. A domain
-- belongs to one company (sso_domains_one_company, a rule across tenants).
CREATE TABLE "sso_configs" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"issuer" text NOT NULL,
	"client_id" text NOT NULL,
	"client_secret_encrypted" text NOT NULL,
	"password_allowed" boolean DEFAULT true NOT NULL,
	"self_registration" boolean DEFAULT false NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
ALTER TABLE "sso_configs" ADD CONSTRAINT "sso_configs_tenant_id_participants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sso_configs" ADD CONSTRAINT "sso_configs_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE TABLE "sso_domains" (
	"tenant_id" uuid NOT NULL,
	"domain" text NOT NULL,
	CONSTRAINT "sso_domains_tenant_id_domain_pk" PRIMARY KEY("tenant_id","domain"),
	CONSTRAINT "sso_domains_lower" CHECK ("sso_domains"."domain" = lower("sso_domains"."domain") and "sso_domains"."domain" <> '')
);--> statement-breakpoint
ALTER TABLE "sso_domains" ADD CONSTRAINT "sso_domains_tenant_id_sso_configs_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."sso_configs"("tenant_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "sso_domains_one_company" ON "sso_domains" USING btree ("domain");--> statement-breakpoint
ALTER TABLE "sso_configs" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "sso_configs" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "sso_configs_tenant_isolation" ON "sso_configs" AS PERMISSIVE FOR ALL TO "innsikt_tenant" USING ("sso_configs"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("sso_configs"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "sso_configs_owner_access" ON "sso_configs" AS PERMISSIVE FOR ALL TO current_user USING (true) WITH CHECK (true);--> statement-breakpoint
ALTER TABLE "sso_domains" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "sso_domains" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "sso_domains_tenant_isolation" ON "sso_domains" AS PERMISSIVE FOR ALL TO "innsikt_tenant" USING ("sso_domains"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("sso_domains"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "sso_domains_owner_access" ON "sso_domains" AS PERMISSIVE FOR ALL TO current_user USING (true) WITH CHECK (true);--> statement-breakpoint
GRANT SELECT ("tenant_id", "issuer", "client_id", "password_allowed", "self_registration", "updated_at") ON "sso_configs" TO innsikt_tenant;--> statement-breakpoint
GRANT SELECT ON "sso_domains" TO innsikt_tenant;--> statement-breakpoint
-- Sign-ins under way (state, nonce, PKCE verifier), before any session: owner path only.
CREATE TABLE "sso_logins" (
	"state_hash" text PRIMARY KEY NOT NULL,
	"participant_id" uuid NOT NULL,
	"browser_hash" text NOT NULL,
	"nonce" text NOT NULL,
	"code_verifier" text NOT NULL,
	"redirect_to" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);--> statement-breakpoint
ALTER TABLE "sso_logins" ADD CONSTRAINT "sso_logins_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sso_logins_expires_at_index" ON "sso_logins" USING btree ("expires_at");--> statement-breakpoint
REVOKE ALL ON "sso_logins" FROM innsikt_tenant;
