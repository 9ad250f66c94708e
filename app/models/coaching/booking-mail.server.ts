// A booking's confirmation and cancellation mails. They are written to the outbox as a
// template key ("booking.confirmed" / "booking.cancelled") and { tenantId, bookingId,
// recipient } by the SQL function innsikt_booking_mail (migration 0008), in the transaction
// of the change they announce, and rendered here at delivery in the recipient's language:
// so no tenant request ever writes mail text (docs/decisions/006-least-privilege.md).

import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "#db/client.server";
import * as s from "#db/schema";
import { formatDateTime, formatKroner, type Locale } from "~/domain/format";
import { calendarInvitation } from "~/domain/ics";
import { translate } from "~/i18n/i18n";
import { env } from "~/env.server";

export type BookingMailKind = "confirmed" | "cancelled";

/** Queues the mails of a booking for its booker and its coach (owner paths; the function checks the kind). */
export async function enqueueBookingMail(tx: Executor, tenantId: string, bookingId: string, kind: BookingMailKind): Promise<void> {
  await tx.execute(sql`select innsikt_booking_mail(${tenantId}::uuid, ${bookingId}::uuid, ${kind})`);
}

/** The mail cannot be rendered any more (its booking or recipient is gone): retrying will not help. */
export class MailGoneError extends Error {}

const asLocale = (value: string | null | undefined): Locale => (value === "en" ? "en" : "nb");

/**
 * Renders a queued booking mail. `stamp` (the row's creation time) makes the calendar
 * invitation the same whenever the delivery happens.
 */
export async function renderBookingMail(
  tx: Executor,
  template: s.OutboxTemplate,
  params: unknown,
  stamp: Date,
): Promise<{ subject: string; text: string; ics: string }> {
  const { tenantId, bookingId, recipient } = (params ?? {}) as { tenantId?: string; bookingId?: string; recipient?: string };
  if (!tenantId || !bookingId || (recipient !== "booker" && recipient !== "coach")) throw new MailGoneError(`${template}: bad parameters`);
  const kind: BookingMailKind = template === "booking.cancelled" ? "cancelled" : "confirmed";
  const [row] = await tx
    .select({
      companyName: s.participants.name,
      bookerName: s.users.name,
      bookerEmail: s.users.email,
      bookerLocale: s.users.locale,
      coachName: s.coaches.name,
      coachEmail: s.coaches.email,
      coachLanguages: s.coaches.languages,
      nameNb: s.coachingProducts.nameNb,
      nameEn: s.coachingProducts.nameEn,
      format: s.coachingProducts.format,
      priceOre: s.coachingProducts.priceOre,
      durationMinutes: s.coachingProducts.durationMinutes,
      startsAt: s.coachSlots.startsAt,
      focus: s.bookings.focus,
      paymentMethod: s.bookings.paymentMethod,
    })
    .from(s.bookings)
    .innerJoin(s.participants, eq(s.participants.id, s.bookings.tenantId))
    .innerJoin(s.coachSlots, eq(s.coachSlots.id, s.bookings.slotId))
    .innerJoin(s.coaches, eq(s.coaches.id, s.coachSlots.coachId))
    .innerJoin(s.coachingProducts, eq(s.coachingProducts.id, s.bookings.productId))
    .leftJoin(s.users, eq(s.users.id, s.bookings.bookedBy))
    .where(and(eq(s.bookings.tenantId, tenantId), eq(s.bookings.id, bookingId)));
  if (!row) throw new MailGoneError(`${template}: booking ${bookingId} is gone`);
  if (recipient === "booker" && !row.bookerEmail) throw new MailGoneError(`${template}: the booker of ${bookingId} is gone`);

  // The booker reads their own language; a coach the first language they coach in.
  const locale = recipient === "booker" ? asLocale(row.bookerLocale) : asLocale(row.coachLanguages[0]);
  const t = (key: Parameters<typeof translate>[1], values: Record<string, string | number> = {}) => translate(locale, key, values);
  const productName = locale === "en" ? row.nameEn : row.nameNb;
  const when = formatDateTime(row.startsAt, locale);
  const place = t(row.format === "video" ? "coaching.format.video" : "coaching.format.on_site");
  const coach = { name: row.coachName, email: row.coachEmail };
  const booker = row.bookerEmail ? { name: row.bookerName ?? row.bookerEmail, email: row.bookerEmail } : null;
  const ics = calendarInvitation({
    uid: `booking-${bookingId}@innsikt.kundeserviceprisen.no`,
    method: kind === "confirmed" ? "REQUEST" : "CANCEL",
    sequence: kind === "confirmed" ? 0 : 1,
    start: row.startsAt,
    // A booking's session starts at the slot's start and lasts the product's duration.
    end: new Date(row.startsAt.getTime() + row.durationMinutes * 60_000),
    stamp,
    summary: `${productName}: ${row.companyName}`,
    description: [t("companyCoaching.mail.coach", { coach: coach.name }), row.focus ? t("companyCoaching.mail.focus", { focus: row.focus }) : ""].filter(Boolean).join("\n"),
    location: place,
    organizer: { name: "Kundeserviceprisen", email: env().mailFromAddress },
    attendees: [coach, ...(booker ? [booker] : [])],
  });
  const details = [
    t("companyCoaching.mail.product", { product: productName }),
    t("companyCoaching.mail.when", { when, minutes: row.durationMinutes }),
    t("companyCoaching.mail.coach", { coach: coach.name }),
    t("companyCoaching.mail.company", { company: row.companyName }),
    t("companyCoaching.mail.place", { place }),
    t(row.paymentMethod === "invoice" ? "companyCoaching.mail.invoice" : "companyCoaching.mail.card", { price: formatKroner(row.priceOre, locale) }),
    row.focus ? t("companyCoaching.mail.focus", { focus: row.focus }) : "",
  ].filter(Boolean);
  const subject = t(kind === "confirmed" ? "companyCoaching.mail.confirmedSubject" : "companyCoaching.mail.cancelledSubject", { product: productName, when });
  const intro = t(kind === "confirmed" ? "companyCoaching.mail.confirmedIntro" : "companyCoaching.mail.cancelledIntro");
  const lines = recipient === "booker" ? [intro, "", ...details, "", `${env().publicUrl}/company/coaching`] : [intro, "", ...details];
  return { subject, text: lines.join("\n"), ics };
}
