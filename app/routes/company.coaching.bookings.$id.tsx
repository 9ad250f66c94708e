import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useRevalidator, useSearchParams } from "@remix-run/react";
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
import { Button, TextLink } from "~/ui/button";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { Notice } from "~/ui/notice";
import { PageHeader } from "~/ui/page-header";
import { Section } from "~/ui/section";

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
      <p className="text-sm">
        <TextLink to="/company/coaching">{t("companyCoaching.title")}</TextLink>
      </p>
      <PageHeader title={locale === "nb" ? booking.productName : booking.productNameEn} />
      <div aria-live="polite" className="space-y-3">
        {search.get("booked") === "1" && booking.status === "confirmed" && !result && <Notice tone="success">{t("companyCoaching.booking.confirmedInvoice")}</Notice>}
        {waitingForStripe && <Notice tone="warning">{t("companyCoaching.booking.waiting")}</Notice>}
        {search.get("checkout") === "done" && booking.status === "confirmed" && !result && <Notice tone="success">{t("companyCoaching.booking.confirmedCard")}</Notice>}
        {search.get("checkout") === "cancelled" && booking.status === "held" && <Notice tone="warning">{t("companyCoaching.booking.checkoutCancelled")}</Notice>}
        {result && <Notice tone={result.ok ? "success" : "error"}>{result.message}</Notice>}
      </div>
      <Section id="booking-details" title={t("companyCoaching.booking.details")}>
        <dl className="grid gap-x-6 gap-y-2 sm:grid-cols-[max-content_1fr]">
          <dt className="font-medium">{t("companyCoaching.bookings.status")}</dt>
          <dd>
            <BookingStatusBadge status={booking.status} refunded={booking.refunded} />
          </dd>
          <dt className="font-medium">{t("companyCoaching.bookings.when")}</dt>
          <dd>
            {formatDateTime(new Date(booking.startsAt), locale)} ({booking.durationMinutes} min)
          </dd>
          <dt className="font-medium">{t("companyCoaching.bookings.coach")}</dt>
          <dd>{booking.coachName}</dd>
          <dt className="font-medium">{t("companyCoaching.booking.format")}</dt>
          <dd>{t(booking.format === "video" ? "coaching.format.video" : "coaching.format.on_site")}</dd>
          <dt className="font-medium">{t("companyCoaching.bookings.payment")}</dt>
          <dd>
            {t(booking.paymentMethod === "card" ? "companyCoaching.method.card" : "companyCoaching.method.invoice")}, {formatKroner(booking.priceOre, locale)}
          </dd>
          <dt className="font-medium">{t("companyCoaching.booking.bookedBy")}</dt>
          <dd>
            {booking.bookedByName ?? "–"}, {formatDateTime(new Date(booking.createdAt), locale)}
          </dd>
          <dt className="font-medium">{t("companyCoaching.book.focus")}</dt>
          <dd className="whitespace-pre-wrap">{booking.focus || "–"}</dd>
          <dt className="font-medium">{t("companyCoaching.booking.pack")}</dt>
          <dd>{booking.exportId ? <TextLink to={`/company/coaching/packs/${booking.exportId}`}>{t("companyCoaching.booking.openPack")}</TextLink> : "–"}</dd>
        </dl>
        {mayCancel && (booking.status === "confirmed" || booking.status === "held") && (
          <Form method="post" className="mt-6 space-y-2 border-t border-gray-200 pt-4">
            <p className="text-sm text-gray-700">{t(booking.paymentMethod === "card" ? "companyCoaching.cancel.helpCard" : "companyCoaching.cancel.help")}</p>
            <Button tone="danger" name="intent" value="cancel" busy={busy}>
              {t("companyCoaching.cancel.submit")}
            </Button>
          </Form>
        )}
        {!mayCancel && booking.status === "confirmed" && <p className="mt-6 text-sm text-gray-700">{t("companyCoaching.cancel.contactStaff")}</p>}
      </Section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
