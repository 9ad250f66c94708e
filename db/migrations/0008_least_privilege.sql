-- Least privilege for the runtime role (docs/decisions/006-least-privilege.md): per table only
-- what a tenant page does. Everything else a tenant request causes (confirming an invoice
-- booking, its payment row, its e-mail) goes through SECURITY DEFINER functions that check
-- the current tenant and the transition; cancellations and card holds are settled on the
-- owner connection.
REVOKE ALL ON
  participations, inquiries, inquiry_area_scores, answers, memberships, invitations,
  api_tokens, coaching_exports, bookings, payments, tenant_audit_events, participants, users, coaches
  FROM innsikt_tenant;--> statement-breakpoint
REVOKE INSERT ON email_outbox FROM innsikt_tenant;--> statement-breakpoint
-- Read-only: results, the company's own memberships (also the users policy reads them) and payments.
GRANT SELECT ON participations, inquiries, inquiry_area_scores, answers, memberships, payments TO innsikt_tenant;--> statement-breakpoint
GRANT SELECT, UPDATE (hide_agent_names) ON participants TO innsikt_tenant;--> statement-breakpoint
GRANT SELECT (id, name) ON users TO innsikt_tenant;--> statement-breakpoint
GRANT SELECT (id, name, bio, languages, active) ON coaches TO innsikt_tenant;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE (revoked_at) ON api_tokens TO innsikt_tenant;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE (status, content, file_name, error) ON coaching_exports TO innsikt_tenant;--> statement-breakpoint
-- The audit trail: written by tenant requests, read by no tenant page.
GRANT INSERT ON tenant_audit_events TO innsikt_tenant;--> statement-breakpoint
-- Bookings: a tenant inserts a fresh hold of one of its members, nothing else (no UPDATE, no DELETE).
GRANT SELECT, INSERT ON bookings TO innsikt_tenant;--> statement-breakpoint
-- Its policies say the same: read its own, insert a fresh hold of its own. Permissive policies
-- (one per command) rather than a restrictive one, which would bind the owner too: the owner is
-- a member of innsikt_tenant (migration 0000) and policies apply to a role's members.
DROP POLICY "bookings_tenant_isolation" ON "bookings";--> statement-breakpoint
CREATE POLICY "bookings_tenant_read" ON "bookings" AS PERMISSIVE FOR SELECT TO "innsikt_tenant" USING ("bookings"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "bookings_tenant_insert_hold" ON "bookings" AS PERMISSIVE FOR INSERT TO "innsikt_tenant" WITH CHECK (
  "bookings"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid
  and "bookings"."status" = 'held'
  and "bookings"."held_until" is not null and "bookings"."held_until" <= now() + interval '1 hour'
  and "bookings"."confirmed_at" is null and "bookings"."cancelled_at" is null and "bookings"."cancelled_by" is null
  and "bookings"."invoiced_at" is null and "bookings"."stripe_checkout_session_id" is null
  and exists (select 1 from memberships m where m.tenant_id = "bookings"."tenant_id" and m.user_id = "bookings"."booked_by")
);--> statement-breakpoint
-- Mail is written as a template key and its parameters; the app renders it at delivery, in
-- the recipient's language, from the message catalogue. Rendered mail keeps subject and body.
ALTER TABLE "email_outbox" ALTER COLUMN "subject" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "email_outbox" ALTER COLUMN "text_body" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "email_outbox" ADD COLUMN "template" text;--> statement-breakpoint
ALTER TABLE "email_outbox" ADD COLUMN "params" jsonb;--> statement-breakpoint
ALTER TABLE "email_outbox" ADD CONSTRAINT "email_outbox_rendered_or_template" CHECK (
  ("email_outbox"."template" is null and "email_outbox"."subject" is not null and "email_outbox"."text_body" is not null)
  or ("email_outbox"."template" in ('booking.confirmed', 'booking.cancelled') and "email_outbox"."params" is not null)
);--> statement-breakpoint
-- A booking's confirmation or cancellation mail, to its booker and its coach. Owner paths only
-- (no EXECUTE for the runtime role); the tenant reaches it through innsikt_confirm_invoice_booking.
CREATE FUNCTION innsikt_booking_mail(p_tenant uuid, p_booking uuid, p_kind text) RETURNS integer
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
  written integer;
BEGIN
  IF p_kind IS NULL OR p_kind NOT IN ('confirmed', 'cancelled') THEN
    RAISE EXCEPTION 'no booking mail "%"', p_kind USING ERRCODE = 'invalid_parameter_value';
  END IF;
  INSERT INTO email_outbox (to_address, template, params)
  SELECT r.address, 'booking.' || p_kind, jsonb_build_object('tenantId', b.tenant_id, 'bookingId', b.id, 'recipient', r.recipient)
  FROM bookings b
  JOIN coach_slots cs ON cs.id = b.slot_id
  JOIN coaches c ON c.id = cs.coach_id
  LEFT JOIN users u ON u.id = b.booked_by
  CROSS JOIN LATERAL (VALUES (1, 'booker', u.email), (2, 'coach', c.email)) AS r(position, recipient, address)
  WHERE b.tenant_id = p_tenant AND b.id = p_booking AND r.address IS NOT NULL
  ORDER BY r.position;
  GET DIAGNOSTICS written = ROW_COUNT;
  IF written = 0 THEN
    RAISE EXCEPTION 'no booking % of company %', p_booking, p_tenant USING ERRCODE = 'no_data_found';
  END IF;
  RETURN written;
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION innsikt_booking_mail(uuid, uuid, text) FROM PUBLIC;--> statement-breakpoint
-- An invoice booking is confirmed at once: the company's own fresh hold becomes confirmed, its
-- payment row (to invoice, at the product's price) and its mails are written.
CREATE FUNCTION innsikt_confirm_invoice_booking(p_booking uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  tenant uuid := nullif(current_setting('app.tenant_id', true), '')::uuid;
  price integer;
BEGIN
  UPDATE bookings b SET status = 'confirmed', confirmed_at = now(), held_until = NULL
  FROM coaching_products p
  WHERE b.tenant_id = tenant AND b.id = p_booking AND p.id = b.product_id
    AND b.status = 'held' AND b.payment_method = 'invoice' AND b.stripe_checkout_session_id IS NULL
  RETURNING p.price_ore INTO price;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'booking % is not a held invoice booking of this company', p_booking USING ERRCODE = 'insufficient_privilege';
  END IF;
  INSERT INTO payments (tenant_id, booking_id, method, amount_ore, status) VALUES (tenant, p_booking, 'invoice', price, 'to_invoice');
  PERFORM innsikt_booking_mail(tenant, p_booking, 'confirmed');
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION innsikt_confirm_invoice_booking(uuid) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION innsikt_confirm_invoice_booking(uuid) TO innsikt_tenant;
