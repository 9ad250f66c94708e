-- When each person last signed in (issue 17, the company's members page): set with every new
-- session (password, invitation, reset or single sign-on). Sessions are deleted when they end,
-- so they cannot answer it; the first value is taken from the sessions there are. Read on the
-- owner path only, like e-mail addresses: the runtime role keeps its grant on (id, name).
ALTER TABLE "users" ADD COLUMN "last_login_at" timestamp with time zone;--> statement-breakpoint
UPDATE "users" u SET "last_login_at" = (SELECT max(s."created_at") FROM "sessions" s WHERE s."user_id" = u."id");
