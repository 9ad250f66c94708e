import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator, useSearchParams } from "@remix-run/react";
import { useEffect } from "react";
import { notFound, requireTenantMember } from "~/auth/guards.server";
import { getDatabase, withTenant } from "#db/client.server";
import { can } from "~/domain/permissions";
import { formatDateTime, formatKroner } from "~/domain/format";
import { translate, useLocale, useT, type MessageKey } from "~/i18n/i18n";
import { localeFromRequest } from "~/i18n/locale.server";
import { BookingError, cancelCompanyBooking, companyMayCancel, getCompanyBooking } from "~/models/coaching/booking.server";
import { stripeSetup } from "~/models/coaching/stripe.server";
import { BookingStatusBadge } from "~/ui/coaching";
import { GeneralErrorBoundary } from "~/ui/error-boundary";

export const meta: MetaFunction = () => [{ title: "Coachingtime – Innsikt" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireTenantMember(request, "coaching:export");
  const { db } = await getDatabase();
  const booking = await withTenant(db, member.tenantId, (scope) => getCompanyBooking(scope, params.id ?? ""));
  if (!booking) throw notFound();
  return { booking: { ...booking, tenantId: undefined }, mayCancel: can(member.role, "coaching:book") && companyMayCancel(booking) };
}

const cancelErrors: Partial<Record<BookingError["reason"], MessageKey>> = {
  tooLateToCancel: "companyCoaching.cancel.tooLate",
  notCancellable: "companyCoaching.cancel.notCancellable",
  refundFailed: "companyCoaching.cancel.refundFailed",
};

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireTenantMember(request, "coaching:book");
  const locale = localeFromRequest(request);
  const form = await request.formData();
  if (form.get("intent") !== "cancel") throw new Response("Bad Request", { status: 400 });
  const { db } = await getDatabase();
  try {
    const done = await cancelCompanyBooking(db, { tenantId: member.tenantId, bookingId: params.id ?? "", userId: member.userId }, stripeSetup());
    if (!done) throw notFound();
    return { ok: true as const, message: translate(locale, "companyCoaching.cancel.done") };
  } catch (error) {
    if (error instanceof BookingError && cancelErrors[error.reason]) {
      return data({ ok: false as const, message: translate(locale, cancelErrors[error.reason]!) }, { status: 409 });
    }
    throw error;
  }
}

export default function BookingPage() {
  const { booking, mayCancel } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const [search] = useSearchParams();
  const t = useT();
  const locale = useLocale();
  const revalidator = useRevalidator();
  const waitingForStripe = booking.status === "held" && search.get("checkout") === "done";
  useEffect(() => {
    if (!waitingForStripe) return;
    const timer = setTimeout(() => revalidator.revalidate(), 1500);
    return () => clearTimeout(timer);
  }, [waitingForStripe, booking.status, revalidator]);

  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm"><Link to="/company/coaching" className="text-blue-700 underline">{t("companyCoaching.title")}</Link></p>
        <h1 className="mt-1 text-3xl font-semibold">{locale === "nb" ? booking.productName : booking.productNameEn}</h1>
      </div>
      <div aria-live="polite">
        {search.get("booked") === "1" && booking.status === "confirmed" && !result && (
          <p role="status" className="rounded border border-green-700 bg-green-50 p-4 text-green-900">{t("companyCoaching.booking.confirmedInvoice")}</p>
        )}
        {waitingForStripe && <p role="status" className="rounded border border-amber-700 bg-amber-50 p-4 text-amber-900">{t("companyCoaching.booking.waiting")}</p>}
        {search.get("checkout") === "done" && booking.status === "confirmed" && !result && (
          <p role="status" className="rounded border border-green-700 bg-green-50 p-4 text-green-900">{t("companyCoaching.booking.confirmedCard")}</p>
        )}
        {search.get("checkout") === "cancelled" && booking.status === "held" && (
          <p role="status" className="rounded border border-amber-700 bg-amber-50 p-4 text-amber-900">{t("companyCoaching.booking.checkoutCancelled")}</p>
        )}
        {result && (
          <p role={result.ok ? "status" : "alert"} className={`rounded border p-4 ${result.ok ? "border-green-700 bg-green-50 text-green-900" : "border-red-700 bg-red-50 text-red-900"}`}>
            {result.message}
          </p>
        )}
      </div>
      <section className="rounded-lg bg-white p-6 shadow" aria-labelledby="booking-details">
        <h2 id="booking-details" className="sr-only">{t("companyCoaching.booking.details")}</h2>
        <dl className="grid gap-x-6 gap-y-2 sm:grid-cols-[max-content_1fr]">
          <dt className="font-medium">{t("companyCoaching.bookings.status")}</dt>
          <dd><BookingStatusBadge status={booking.status} refunded={booking.refunded} /></dd>
          <dt className="font-medium">{t("companyCoaching.bookings.when")}</dt>
          <dd>{formatDateTime(new Date(booking.startsAt), locale)} ({booking.durationMinutes} min)</dd>
          <dt className="font-medium">{t("companyCoaching.bookings.coach")}</dt>
          <dd>{booking.coachName}</dd>
          <dt className="font-medium">{t("companyCoaching.booking.format")}</dt>
          <dd>{t(booking.format === "video" ? "coaching.format.video" : "coaching.format.on_site")}</dd>
          <dt className="font-medium">{t("companyCoaching.bookings.payment")}</dt>
          <dd>{t(booking.paymentMethod === "card" ? "companyCoaching.method.card" : "companyCoaching.method.invoice")}, {formatKroner(booking.priceOre, locale)}</dd>
          <dt className="font-medium">{t("companyCoaching.booking.bookedBy")}</dt>
          <dd>{booking.bookedByName ?? "–"}, {formatDateTime(new Date(booking.createdAt), locale)}</dd>
          <dt className="font-medium">{t("companyCoaching.book.focus")}</dt>
          <dd className="whitespace-pre-wrap">{booking.focus || "–"}</dd>
          <dt className="font-medium">{t("companyCoaching.booking.pack")}</dt>
          <dd>
            {booking.exportId ? (
              <Link to={`/company/coaching/packs/${booking.exportId}`} className="text-blue-700 underline">{t("companyCoaching.booking.openPack")}</Link>
            ) : (
              "–"
            )}
          </dd>
        </dl>
        {mayCancel && (booking.status === "confirmed" || booking.status === "held") && (
          <Form method="post" className="mt-6 border-t border-gray-200 pt-4">
            <p className="text-sm text-gray-700">{t(booking.paymentMethod === "card" ? "companyCoaching.cancel.helpCard" : "companyCoaching.cancel.help")}</p>
            <button
              type="submit"
              name="intent"
              value="cancel"
              disabled={busy}
              className="mt-2 rounded border border-red-800 px-4 py-2 font-medium text-red-800 hover:bg-red-50 focus:outline-none focus:ring-2 focus:ring-red-900 disabled:opacity-60">
              {t("companyCoaching.cancel.submit")}
            </button>
          </Form>
        )}
        {!mayCancel && booking.status === "confirmed" && <p className="mt-6 text-sm text-gray-700">{t("companyCoaching.cancel.contactStaff")}</p>}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
