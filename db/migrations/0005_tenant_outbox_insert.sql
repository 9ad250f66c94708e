-- A booking's confirmation e-mail is written in the same transaction as the booking,
-- which runs as the runtime role: it may add to the outbox (and read back the new id)
-- but never read anyone's mail.
GRANT INSERT ON email_outbox TO innsikt_tenant;--> statement-breakpoint
GRANT SELECT (id) ON email_outbox TO innsikt_tenant;
