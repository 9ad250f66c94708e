-- The runtime role of every tenant request: no login, owns nothing, cannot
-- bypass RLS. Roles are cluster-wide, so it may exist from another database.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'innsikt_tenant') THEN
    CREATE ROLE innsikt_tenant NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
  END IF;
END
$$;
--> statement-breakpoint
-- The migrating user must be able to SET ROLE to it (PostgreSQL 16+ no longer
-- implies that for the role's creator).
DO $$
BEGIN
  IF NOT pg_has_role(current_user, 'innsikt_tenant', 'MEMBER') THEN
    EXECUTE format('GRANT innsikt_tenant TO %I', current_user);
  END IF;
END
$$;
