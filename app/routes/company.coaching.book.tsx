import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import * as z from "zod";
import { requireTenantMember } from "~/auth/guards.server";
import { getDatabase, withTenant } from "#db/client.server";
import { formatDateTime, formatKroner, type Locale } from "~/domain/format";
import { translate, useLocale, useT, type MessageKey } from "~/i18n/i18n";
import { localeFromRequest } from "~/i18n/locale.server";
import { BookingError, createBooking, listActiveProducts, listBookableSlots } from "~/models/coaching/booking.server";
import { listExports } from "~/models/coaching/coaching-exports.server";
import { cardPaymentEnabled, stripeSetup } from "~/models/coaching/stripe.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";

export const meta: MetaFunction = () => [{ title: "Bestill coaching – Innsikt" }];

async function bookingOptions(tenantId: string) {
  const { db } = await getDatabase();
  const [products, slots, exports] = await Promise.all([
    listActiveProducts(db),
    listBookableSlots(db),
    withTenant(db, tenantId, (scope) => listExports(scope)),
  ]);
  return {
    products,
    slots,
    exports: exports.filter((e) => e.status === "ready").map((e) => ({ id: e.id, createdAt: e.createdAt, format: e.format, year: e.year, inquiryCount: e.inquiryCount })),
    cardEnabled: cardPaymentEnabled(),
  };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requireTenantMember(request, "coaching:book");
  const url = new URL(request.url);
  return { ...(await bookingOptions(member.tenantId)), preselectedExport: url.searchParams.get("pack") };
}

const Schema = z.object({
  productId: z.coerce.number({ error: "companyCoaching.book.error.product" }).int().positive({ error: "companyCoaching.book.error.product" }),
  slotId: z.coerce.number({ error: "companyCoaching.book.error.slot" }).int().positive({ error: "companyCoaching.book.error.slot" }),
  focus: z
    .string()
    .trim()
    .max(2000, { error: "companyCoaching.book.error.focus" })
    .regex(/^[^\u0000]*$/, { error: "companyCoaching.book.error.focus" }),
  exportId: z.string().trim().max(100, { error: "companyCoaching.book.error.export" }).optional(),
  method: z.enum(["invoice", "card"], { error: "companyCoaching.book.error.method" }),
});

const bookingErrorKeys: Record<BookingError["reason"], MessageKey> = {
  slotTaken: "companyCoaching.book.error.slotTaken",
  capReached: "companyCoaching.book.error.capReached",
  slotUnknown: "companyCoaching.book.error.slot",
  slotTooSoon: "companyCoaching.book.error.slotTooSoon",
  slotTooShort: "companyCoaching.book.error.slotTooShort",
  productUnknown: "companyCoaching.book.error.product",
  exportUnknown: "companyCoaching.book.error.export",
  cardUnavailable: "companyCoaching.book.error.method",
  paymentFailed: "companyCoaching.book.error.payment",
  tooLateToCancel: "companyCoaching.cancel.tooLate",
  notCancellable: "companyCoaching.cancel.notCancellable",
  refundFailed: "companyCoaching.cancel.refundFailed",
};

function fieldOf(reason: BookingError["reason"]): string {
  if (reason.startsWith("slot") || reason === "capReached") return "slotId";
  if (reason === "productUnknown") return "productId";
  if (reason === "exportUnknown") return "exportId";
  return "method";
}

export async function action({ request }: ActionFunctionArgs) {
  const member = await requireTenantMember(request, "coaching:book");
  const locale: Locale = localeFromRequest(request);
  const form = await request.formData();
  const values = {
    productId: String(form.get("productId") ?? ""),
    slotId: String(form.get("slotId") ?? ""),
    focus: String(form.get("focus") ?? ""),
    exportId: String(form.get("exportId") ?? ""),
    method: String(form.get("method") ?? ""),
  };
  const parsed = Schema.safeParse({ ...values, exportId: values.exportId || undefined });
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= translate(locale, issue.message as MessageKey);
    return data({ errors, values }, { status: 400 });
  }
  const { db } = await getDatabase();
  try {
    const booked = await createBooking(
      db,
      {
        tenantId: member.tenantId,
        userId: member.userId,
        userEmail: member.user.email,
        productId: parsed.data.productId,
        slotId: parsed.data.slotId,
        focus: parsed.data.focus,
        exportId: parsed.data.exportId ?? null,
        method: parsed.data.method,
      },
      stripeSetup(),
    );
    if (booked.checkoutUrl) return redirect(booked.checkoutUrl);
    return redirect(`/company/coaching/bookings/${booked.bookingId}?booked=1`);
  } catch (error) {
    if (!(error instanceof BookingError)) throw error;
    const status = error.reason === "slotTaken" || error.reason === "capReached" ? 409 : error.reason === "paymentFailed" ? 502 : 400;
    return data({ errors: { [fieldOf(error.reason)]: translate(locale, bookingErrorKeys[error.reason]) }, values }, { status });
  }
}

const inputClass = "mt-1 w-full rounded border-gray-500";

export default function BookPage() {
  const { products, slots, exports, cardEnabled, preselectedExport } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const t = useT();
  const locale = useLocale();
  const errors: Record<string, string> = result?.errors ?? {};
  const values = result?.values;
  // After a refused submit, focus goes to the error summary; its links move focus to the
  // field themselves, since following a #fragment would be a navigation that clears the errors.
  const summary = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (result?.errors) summary.current?.focus();
  }, [result]);
  const focusField = (event: React.MouseEvent<HTMLAnchorElement>, field: string) => {
    const target = document.getElementById(`${field}-first`);
    if (!target) return;
    event.preventDefault();
    target.focus();
  };
  const describedBy = (field: string) => (errors[field] ? `${field}-error` : undefined);
  const error = (field: string) =>
    errors[field] ? (
      <p id={`${field}-error`} className="mt-1 text-sm font-medium text-red-800">
        {errors[field]}
      </p>
    ) : null;

  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm"><Link to="/company/coaching" className="text-blue-700 underline">{t("companyCoaching.title")}</Link></p>
        <h1 className="mt-1 text-3xl font-semibold">{t("companyCoaching.book.title")}</h1>
        <p className="mt-2 max-w-3xl text-gray-700">{t("companyCoaching.book.intro")}</p>
      </div>
      {Object.keys(errors).length > 0 && (
        <div ref={summary} tabIndex={-1} role="alert" className="rounded border border-red-700 bg-red-50 p-4 text-red-900">
          <p className="font-medium">{t("companyCoaching.book.fix")}</p>
          <ul className="mt-1 list-disc pl-5">
            {Object.entries(errors).map(([field, message]) => (
              <li key={field}><a href={`#${field}-first`} onClick={(event) => focusField(event, field)} className="underline">{message}</a></li>
            ))}
          </ul>
        </div>
      )}
      {products.length === 0 || slots.length === 0 ? (
        <p className="rounded-lg bg-white p-6 shadow">{t("companyCoaching.book.nothing")}</p>
      ) : (
        <Form method="post" className="space-y-6" noValidate>
          <fieldset className="rounded-lg bg-white p-6 shadow" aria-describedby={describedBy("productId")}>
            <legend className="text-lg font-semibold">{t("companyCoaching.book.product")}</legend>
            {error("productId")}
            <div className="mt-3 space-y-3">
              {products.map((p, i) => (
                <label key={p.id} className="flex gap-3 rounded border border-gray-300 p-3 hover:bg-gray-50">
                  <input
                    type="radio"
                    name="productId"
                    value={p.id}
                    id={i === 0 ? "productId-first" : undefined}
                    defaultChecked={values ? values.productId === String(p.id) : i === 0}
                    className="mt-1"
                  />
                  <span>
                    <span className="font-medium">{locale === "nb" ? p.nameNb : p.nameEn}</span>
                    <span className="block text-sm text-gray-700">
                      {formatKroner(p.priceOre, locale)} {t("companyCoaching.book.inclVat", { vat: p.vatPercent })} · {p.durationMinutes} min ·{" "}
                      {t(p.format === "video" ? "coaching.format.video" : "coaching.format.on_site")}
                    </span>
                    {(locale === "nb" ? p.descriptionNb : p.descriptionEn) && (
                      <span className="block text-sm text-gray-700">{locale === "nb" ? p.descriptionNb : p.descriptionEn}</span>
                    )}
                  </span>
                </label>
              ))}
            </div>
          </fieldset>

          <fieldset className="rounded-lg bg-white p-6 shadow" aria-describedby={describedBy("slotId")}>
            <legend className="text-lg font-semibold">{t("companyCoaching.book.slot")}</legend>
            <p className="text-sm text-gray-700">{t("companyCoaching.book.slotHelp")}</p>
            {error("slotId")}
            <div className="mt-3 grid gap-2 sm:grid-cols-2">
              {slots.map((slot, i) => (
                <label key={slot.id} className="flex gap-3 rounded border border-gray-300 p-3 hover:bg-gray-50">
                  <input type="radio" name="slotId" value={slot.id} id={i === 0 ? "slotId-first" : undefined} defaultChecked={values?.slotId === String(slot.id)} className="mt-1" />
                  <span>
                    <span className="font-medium">{formatDateTime(new Date(slot.startsAt), locale)}</span>
                    <span className="block text-sm text-gray-700">
                      {slot.coach.name} · {Math.round((new Date(slot.endsAt).getTime() - new Date(slot.startsAt).getTime()) / 60_000)} min ·{" "}
                      {slot.coach.languages.map((l) => t(l === "en" ? "coaching.language.en" : "coaching.language.nb")).join(", ")}
                    </span>
                  </span>
                </label>
              ))}
            </div>
          </fieldset>

          <div className="rounded-lg bg-white p-6 shadow">
            <label htmlFor="focus-first" className="block text-lg font-semibold">{t("companyCoaching.book.focus")}</label>
            <p id="focus-help" className="text-sm text-gray-700">{t("companyCoaching.book.focusHelp")}</p>
            <textarea
              id="focus-first"
              name="focus"
              rows={4}
              maxLength={2000}
              defaultValue={values?.focus ?? ""}
              aria-describedby={["focus-help", describedBy("focus")].filter(Boolean).join(" ")}
              aria-invalid={errors.focus ? true : undefined}
              className={inputClass}
            />
            {error("focus")}
            <label htmlFor="exportId-first" className="mt-4 block font-medium">{t("companyCoaching.book.attach")}</label>
            <select
              id="exportId-first"
              name="exportId"
              defaultValue={values?.exportId ?? preselectedExport ?? ""}
              aria-describedby={describedBy("exportId")}
              aria-invalid={errors.exportId ? true : undefined}
              className={inputClass}>
              <option value="">{t("companyCoaching.book.attachNone")}</option>
              {exports.map((e) => (
                <option key={e.id} value={e.id}>
                  {t("companyCoaching.book.attachOption", { date: formatDateTime(new Date(e.createdAt), locale), year: e.year, count: e.inquiryCount, format: e.format.toUpperCase() })}
                </option>
              ))}
            </select>
            {error("exportId")}
          </div>

          <fieldset className="rounded-lg bg-white p-6 shadow" aria-describedby={describedBy("method")}>
            <legend className="text-lg font-semibold">{t("companyCoaching.book.payment")}</legend>
            {error("method")}
            <div className="mt-3 space-y-2">
              <label className="flex gap-3">
                <input type="radio" name="method" value="invoice" id="method-first" defaultChecked={!values || values.method !== "card"} className="mt-1" />
                <span>
                  <span className="font-medium">{t("companyCoaching.method.invoice")}</span>
                  <span className="block text-sm text-gray-700">{t("companyCoaching.book.invoiceHelp")}</span>
                </span>
              </label>
              {cardEnabled && (
                <label className="flex gap-3">
                  <input type="radio" name="method" value="card" defaultChecked={values?.method === "card"} className="mt-1" />
                  <span>
                    <span className="font-medium">{t("companyCoaching.method.card")}</span>
                    <span className="block text-sm text-gray-700">{t("companyCoaching.book.cardHelp")}</span>
                  </span>
                </label>
              )}
            </div>
          </fieldset>

          <button
            type="submit"
            disabled={busy}
            className="rounded bg-blue-700 px-5 py-2 font-medium text-white hover:bg-blue-800 focus:outline-none focus:ring-2 focus:ring-blue-900 focus:ring-offset-2 disabled:opacity-60">
            {t("companyCoaching.book.submit")}
          </button>
        </Form>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
