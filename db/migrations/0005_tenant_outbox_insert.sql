-- A booking's confirmation e-mail is written in the same transaction as the booking,
-- which runs as the runtime role: it may add to the outbox, and read nothing of it.
GRANT INSERT ON email_outbox TO innsikt_tenant;
