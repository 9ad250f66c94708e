-- Fair use of coaching slots: a company may have at most so many open bookings (future, held
-- or confirmed). Staff set the default; a company may have its own cap.
CREATE TABLE "coaching_settings" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"open_bookings_per_company" integer DEFAULT 3 NOT NULL,
	CONSTRAINT "coaching_settings_one_row" CHECK ("coaching_settings"."id"),
	CONSTRAINT "coaching_settings_open_bookings" CHECK ("coaching_settings"."open_bookings_per_company" between 0 and 1000)
);
--> statement-breakpoint
INSERT INTO "coaching_settings" DEFAULT VALUES;--> statement-breakpoint
ALTER TABLE "participants" ADD COLUMN "open_bookings_cap" integer;--> statement-breakpoint
ALTER TABLE "participants" ADD CONSTRAINT "participants_open_bookings_cap" CHECK ("participants"."open_bookings_cap" between 0 and 1000);--> statement-breakpoint
-- Checked for every new held or confirmed booking, on any path. The advisory lock (per company)
-- makes concurrent bookings of one company wait for each other; each statement of this
-- function then takes a fresh snapshot, so the count sees the bookings committed meanwhile.
CREATE FUNCTION innsikt_bookings_within_cap() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  cap integer;
  open_now integer;
BEGIN
  IF NEW.status NOT IN ('held', 'confirmed') THEN
    RETURN NEW;
  END IF;
  PERFORM pg_advisory_xact_lock(7245002, hashtext(NEW.tenant_id::text));
  SELECT coalesce(p.open_bookings_cap, s.open_bookings_per_company) INTO cap
  FROM participants p CROSS JOIN coaching_settings s WHERE p.id = NEW.tenant_id;
  SELECT count(*) INTO open_now
  FROM bookings b JOIN coach_slots cs ON cs.id = b.slot_id
  WHERE b.tenant_id = NEW.tenant_id AND b.status IN ('held', 'confirmed') AND cs.starts_at > now();
  IF open_now >= coalesce(cap, 0) THEN
    RAISE EXCEPTION 'company % has % open coaching bookings, its cap', NEW.tenant_id, open_now
      USING ERRCODE = 'check_violation', CONSTRAINT = 'bookings_open_per_company';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION innsikt_bookings_within_cap() FROM PUBLIC;--> statement-breakpoint
CREATE TRIGGER "bookings_open_per_company" BEFORE INSERT ON "bookings" FOR EACH ROW EXECUTE FUNCTION innsikt_bookings_within_cap();
