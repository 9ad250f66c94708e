import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import * as z from "zod";
import { requireStaff } from "~/auth/guards.server";
import { getDatabase } from "#db/client.server";
import { formatDate, formatDateTime, formatKroner } from "~/domain/format";
import { translate, useLocale, useT } from "~/i18n/i18n";
import { localeFromRequest } from "~/i18n/locale.server";
import { BookingError, cancelBookingAsStaff, listAllBookings, markInvoiced } from "~/models/coaching/booking.server";
import { stripeSetup } from "~/models/coaching/stripe.server";
import { BookingStatusBadge } from "~/ui/coaching";
import { GeneralErrorBoundary } from "~/ui/error-boundary";

export const meta: MetaFunction = () => [{ title: "Coachingbestillinger – Innsikt" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const show = new URL(request.url).searchParams.get("show") === "to-invoice" ? "to-invoice" : "all";
  const { db } = await getDatabase();
  const bookings = await listAllBookings(db, { toInvoice: show === "to-invoice" });
  return { show, bookings };
}

const ActionSchema = z.object({
  intent: z.enum(["cancel", "invoiced"]),
  tenantId: z.uuid(),
  bookingId: z.uuid(),
});

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireStaff(request);
  const locale = localeFromRequest(request);
  const form = await request.formData();
  const parsed = ActionSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return data({ ok: false as const, message: translate(locale, "staffBookings.error.notFound") }, { status: 400 });
  const { db } = await getDatabase();
  const input = { tenantId: parsed.data.tenantId, bookingId: parsed.data.bookingId, userId: user.id };
  if (parsed.data.intent === "invoiced") {
    const done = await markInvoiced(db, input);
    return done
      ? { ok: true as const, message: translate(locale, "staffBookings.done.invoiced") }
      : data({ ok: false as const, message: translate(locale, "staffBookings.error.notFound") }, { status: 404 });
  }
  try {
    const done = await cancelBookingAsStaff(db, input, stripeSetup());
    if (!done) return data({ ok: false as const, message: translate(locale, "staffBookings.error.notFound") }, { status: 404 });
    return { ok: true as const, message: translate(locale, "staffBookings.done.cancelled") };
  } catch (error) {
    if (error instanceof BookingError && (error.reason === "notCancellable" || error.reason === "refundFailed")) {
      const key = error.reason === "refundFailed" ? "staffBookings.error.refund" : "staffBookings.error.notCancellable";
      return data({ ok: false as const, message: translate(locale, key) }, { status: 409 });
    }
    throw error;
  }
}

export default function StaffBookingsPage() {
  const { show, bookings } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const t = useT();
  const locale = useLocale();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-3xl font-semibold">{t("staffBookings.title")}</h1>
        <p className="mt-2 max-w-3xl text-gray-700">{t("staffBookings.intro")}</p>
      </div>
      <Form method="get" className="flex items-end gap-3">
        <div>
          <label htmlFor="show" className="block text-sm font-medium">{t("staffBookings.filter")}</label>
          <select id="show" name="show" defaultValue={show} className="mt-1 rounded border-gray-500">
            <option value="all">{t("staffBookings.filter.all")}</option>
            <option value="to-invoice">{t("staffBookings.filter.toInvoice")}</option>
          </select>
        </div>
        <button type="submit" className="rounded border border-blue-700 px-4 py-2 font-medium text-blue-800 hover:bg-blue-50">{t("staffBookings.filter.submit")}</button>
      </Form>
      {result && (
        <p role={result.ok ? "status" : "alert"} className={`rounded border p-4 ${result.ok ? "border-green-700 bg-green-50 text-green-900" : "border-red-700 bg-red-50 text-red-900"}`}>
          {result.message}
        </p>
      )}
      {bookings.length === 0 ? (
        <p className="text-gray-700">{t("staffBookings.none")}</p>
      ) : (
        <div className="overflow-x-auto rounded-lg bg-white shadow">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">{t("staffBookings.title")}</caption>
            <thead>
              <tr className="border-b border-gray-300">
                <th scope="col" className="px-3 py-2">{t("companyCoaching.bookings.when")}</th>
                <th scope="col" className="px-3 py-2">{t("staffBookings.company")}</th>
                <th scope="col" className="px-3 py-2">{t("companyCoaching.bookings.product")}</th>
                <th scope="col" className="px-3 py-2">{t("companyCoaching.bookings.coach")}</th>
                <th scope="col" className="px-3 py-2">{t("companyCoaching.bookings.payment")}</th>
                <th scope="col" className="px-3 py-2">{t("companyCoaching.bookings.status")}</th>
                <th scope="col" className="px-3 py-2">{t("companyCoaching.book.focus")}</th>
                <th scope="col" className="px-3 py-2"><span className="sr-only">{t("companyCoaching.actions")}</span></th>
              </tr>
            </thead>
            <tbody>
              {bookings.map((b) => {
                const label = `${b.companyName} ${formatDateTime(new Date(b.startsAt), locale)}`;
                return (
                  <tr key={b.id} className="border-b border-gray-200 align-top last:border-0">
                    <td className="px-3 py-2 whitespace-nowrap">{formatDateTime(new Date(b.startsAt), locale)}</td>
                    <td className="px-3 py-2">{b.companyName}<span className="block text-gray-700">{b.bookedByName ?? ""}</span></td>
                    <td className="px-3 py-2">{locale === "nb" ? b.productName : b.productNameEn}</td>
                    <td className="px-3 py-2">{b.coachName}</td>
                    <td className="px-3 py-2">
                      {t(b.paymentMethod === "card" ? "companyCoaching.method.card" : "companyCoaching.method.invoice")}, {formatKroner(b.priceOre, locale)}
                      {b.paymentMethod === "invoice" && b.status === "confirmed" && (
                        <span className="block text-gray-700">
                          {b.invoicedAt ? t("staffBookings.invoiced", { date: formatDate(new Date(b.invoicedAt), locale) }) : t("staffBookings.toInvoice")}
                        </span>
                      )}
                    </td>
                    <td className="px-3 py-2"><BookingStatusBadge status={b.status} refunded={b.refunded} /></td>
                    <td className="max-w-xs px-3 py-2 whitespace-pre-wrap">{b.focus || "–"}</td>
                    <td className="px-3 py-2">
                      <div className="flex flex-col gap-2">
                        {b.paymentMethod === "invoice" && b.status === "confirmed" && !b.invoicedAt && (
                          <Form method="post">
                            <input type="hidden" name="tenantId" value={b.tenantId} />
                            <input type="hidden" name="bookingId" value={b.id} />
                            <button type="submit" name="intent" value="invoiced" disabled={busy} className="rounded border border-blue-700 px-3 py-1 text-blue-800 hover:bg-blue-50">
                              {t("staffBookings.markInvoiced")}<span className="sr-only">: {label}</span>
                            </button>
                          </Form>
                        )}
                        {(b.status === "confirmed" || b.status === "held") && (
                          <Form method="post">
                            <input type="hidden" name="tenantId" value={b.tenantId} />
                            <input type="hidden" name="bookingId" value={b.id} />
                            <button type="submit" name="intent" value="cancel" disabled={busy} className="rounded border border-red-800 px-3 py-1 text-red-800 hover:bg-red-50">
                              {t("staffBookings.cancel")}<span className="sr-only">: {label}</span>
                            </button>
                          </Form>
                        )}
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
