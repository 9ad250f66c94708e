import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { requireStaff } from "~/auth/guards.server";
import { getDatabase } from "#db/client.server";
import { formatDate, formatDateTime, formatKroner } from "~/domain/format";
import { translate, useLocale, useT } from "~/i18n/i18n";
import { localeFromRequest } from "~/i18n/locale.server";
import { BookingError, cancelBookingAsStaff, listAllBookings, markInvoiced } from "~/models/coaching/booking.server";
import { stripeSetup } from "~/models/coaching/stripe.server";
import { BookingStatusBadge } from "~/ui/coaching";
import type { ReactNode } from "react";
import { Button, type ButtonTone } from "~/ui/button";
import { DataTable, type Column } from "~/ui/data-table";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { Field, Select } from "~/ui/field";
import { Notice } from "~/ui/notice";
import { PageHeader } from "~/ui/page-header";

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

/** A button that sends one booking (its company and id) with one intent; the label names the booking for screen readers. */
function BookingAction({
  booking,
  intent,
  tone,
  label,
  disabled,
  children,
}: {
  booking: { tenantId: string; id: string };
  intent: "invoiced" | "cancel";
  tone: ButtonTone;
  label: string;
  disabled: boolean;
  children: ReactNode;
}) {
  return (
    <Form method="post">
      <input type="hidden" name="tenantId" value={booking.tenantId} />
      <input type="hidden" name="bookingId" value={booking.id} />
      <Button name="intent" value={intent} tone={tone} small disabled={disabled}>
        {children}
        <span className="sr-only">: {label}</span>
      </Button>
    </Form>
  );
}

export default function StaffBookingsPage() {
  const { show, bookings } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const t = useT();
  const locale = useLocale();
  type Booking = (typeof bookings)[number];
  const columns: Column<Booking>[] = [
    { key: "when", header: t("companyCoaching.bookings.when"), className: "whitespace-nowrap", cell: (b) => formatDateTime(new Date(b.startsAt), locale) },
    {
      key: "company",
      header: t("staffBookings.company"),
      cell: (b) => (
        <>
          {b.companyName}
          <span className="block text-gray-700">{b.bookedByName ?? ""}</span>
        </>
      ),
    },
    { key: "product", header: t("companyCoaching.bookings.product"), cell: (b) => (locale === "nb" ? b.productName : b.productNameEn) },
    { key: "coach", header: t("companyCoaching.bookings.coach"), cell: (b) => b.coachName },
    {
      key: "payment",
      header: t("companyCoaching.bookings.payment"),
      cell: (b) => (
        <>
          {t(b.paymentMethod === "card" ? "companyCoaching.method.card" : "companyCoaching.method.invoice")}, {formatKroner(b.priceOre, locale)}
          {b.paymentMethod === "invoice" && b.status === "confirmed" && (
            <span className="block text-gray-700">
              {b.invoicedAt ? t("staffBookings.invoiced", { date: formatDate(new Date(b.invoicedAt), locale) }) : t("staffBookings.toInvoice")}
            </span>
          )}
        </>
      ),
    },
    { key: "status", header: t("companyCoaching.bookings.status"), cell: (b) => <BookingStatusBadge status={b.status} refunded={b.refunded} /> },
    { key: "focus", header: t("companyCoaching.book.focus"), className: "max-w-xs whitespace-pre-wrap", cell: (b) => b.focus || "–" },
    {
      key: "actions",
      header: <span className="sr-only">{t("companyCoaching.actions")}</span>,
      cell: (b) => {
        const label = `${b.companyName} ${formatDateTime(new Date(b.startsAt), locale)}`;
        return (
          <div className="flex flex-col gap-2">
            {b.paymentMethod === "invoice" && b.status === "confirmed" && !b.invoicedAt && (
              <BookingAction booking={b} intent="invoiced" tone="secondary" label={label} disabled={busy}>
                {t("staffBookings.markInvoiced")}
              </BookingAction>
            )}
            {(b.status === "confirmed" || b.status === "held") && (
              <BookingAction booking={b} intent="cancel" tone="danger" label={label} disabled={busy}>
                {t("staffBookings.cancel")}
              </BookingAction>
            )}
          </div>
        );
      },
    },
  ];
  return (
    <div className="space-y-6">
      <PageHeader title={t("staffBookings.title")} intro={<p className="max-w-3xl">{t("staffBookings.intro")}</p>} />
      <Form method="get" className="flex flex-wrap items-start gap-3">
        <Field id="show" label={t("staffBookings.filter")} className="w-full sm:w-64">
          {(control) => (
            <Select {...control} name="show" defaultValue={show}>
              <option value="all">{t("staffBookings.filter.all")}</option>
              <option value="to-invoice">{t("staffBookings.filter.toInvoice")}</option>
            </Select>
          )}
        </Field>
        <Button tone="secondary" className="sm:mt-6">
          {t("staffBookings.filter.submit")}
        </Button>
      </Form>
      {result && <Notice tone={result.ok ? "success" : "error"}>{result.message}</Notice>}
      <DataTable caption={t("staffBookings.title")} captionHidden columns={columns} rows={bookings} rowKey={(b) => b.id} empty={t("staffBookings.none")} />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
