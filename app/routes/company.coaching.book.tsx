import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { requireTenantMember } from "~/auth/guards.server";
import { getDatabase, withTenant } from "#db/client.server";
import { formatDateTime, formatKroner } from "~/domain/format";
import { useLocale, useT, type MessageKey } from "~/i18n/i18n";
import { BookingError, createBooking, listActiveProducts, listBookableSlots } from "~/models/coaching/booking.server";
import { listExports } from "~/models/coaching/coaching-exports.server";
import { cardPaymentEnabled, stripeSetup } from "~/models/coaching/stripe.server";
import { Button, TextLink } from "~/ui/button";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { ChoiceField, ErrorSummary, parseWithZod, SchemaForm, SelectField, TextareaField, useSchemaForm } from "~/ui/form";
import { PageHeader } from "~/ui/page-header";
import { Card } from "~/ui/section";

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

// Messages are catalogue keys (see app/ui/form.tsx); the same schema checks in the browser.
const BookSchema = z.object({
  productId: z.number({ error: "companyCoaching.book.error.product" }).int({ error: "companyCoaching.book.error.product" }).positive({ error: "companyCoaching.book.error.product" }),
  slotId: z.number({ error: "companyCoaching.book.error.slot" }).int({ error: "companyCoaching.book.error.slot" }).positive({ error: "companyCoaching.book.error.slot" }),
  focus: z
    .string()
    .trim()
    .max(2000, { error: "companyCoaching.book.error.focus" })
    .regex(/^[^\u0000]*$/, { error: "companyCoaching.book.error.focus" })
    .optional(),
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

function fieldOf(reason: BookingError["reason"]): keyof z.input<typeof BookSchema> {
  if (reason.startsWith("slot") || reason === "capReached") return "slotId";
  if (reason === "productUnknown") return "productId";
  if (reason === "exportUnknown") return "exportId";
  return "method";
}

export async function action({ request }: ActionFunctionArgs) {
  const member = await requireTenantMember(request, "coaching:book");
  const submission = parseWithZod(await request.formData(), { schema: BookSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const booking = submission.value;
  const { db } = await getDatabase();
  try {
    const booked = await createBooking(
      db,
      {
        tenantId: member.tenantId,
        userId: member.userId,
        userEmail: member.user.email,
        productId: booking.productId,
        slotId: booking.slotId,
        focus: booking.focus ?? "",
        exportId: booking.exportId ?? null,
        method: booking.method,
      },
      stripeSetup(),
    );
    if (booked.checkoutUrl) return redirect(booked.checkoutUrl);
    return redirect(`/company/coaching/bookings/${booked.bookingId}?booked=1`);
  } catch (error) {
    if (!(error instanceof BookingError)) throw error;
    const status = error.reason === "slotTaken" || error.reason === "capReached" ? 409 : error.reason === "paymentFailed" ? 502 : 400;
    return data(submission.reply({ fieldErrors: { [fieldOf(error.reason)]: [bookingErrorKeys[error.reason]] } }), { status });
  }
}

export default function BookPage() {
  const { products, slots, exports, cardEnabled, preselectedExport } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const t = useT();
  const locale = useLocale();
  const [form, fields] = useSchemaForm(BookSchema, {
    id: "book",
    lastResult,
    defaultValue: { productId: products[0] ? String(products[0].id) : "", exportId: preselectedExport ?? "", method: "invoice" },
  });
  const labels = {
    productId: t("companyCoaching.book.product"),
    slotId: t("companyCoaching.book.slot"),
    focus: t("companyCoaching.book.focus"),
    exportId: t("companyCoaching.book.attach"),
    method: t("companyCoaching.book.payment"),
  };
  const productChoices = products.map((p) => ({
    value: String(p.id),
    label: (
      <>
        <span className="font-medium">{locale === "nb" ? p.nameNb : p.nameEn}</span>
        <span className="block text-sm text-gray-700">
          {formatKroner(p.priceOre, locale)} {t("companyCoaching.book.inclVat", { vat: p.vatPercent })} · {p.durationMinutes} min ·{" "}
          {t(p.format === "video" ? "coaching.format.video" : "coaching.format.on_site")}
        </span>
        {(locale === "nb" ? p.descriptionNb : p.descriptionEn) && <span className="block text-sm text-gray-700">{locale === "nb" ? p.descriptionNb : p.descriptionEn}</span>}
      </>
    ),
  }));
  const slotChoices = slots.map((slot) => ({
    value: String(slot.id),
    label: (
      <>
        <span className="font-medium">{formatDateTime(new Date(slot.startsAt), locale)}</span>
        <span className="block text-sm text-gray-700">
          {slot.coach.name} · {Math.round((new Date(slot.endsAt).getTime() - new Date(slot.startsAt).getTime()) / 60_000)} min ·{" "}
          {slot.coach.languages.map((l) => t(l === "en" ? "coaching.language.en" : "coaching.language.nb")).join(", ")}
        </span>
      </>
    ),
  }));
  const methodChoices = [
    { value: "invoice", label: <PaymentChoice title={t("companyCoaching.method.invoice")} help={t("companyCoaching.book.invoiceHelp")} /> },
    ...(cardEnabled ? [{ value: "card", label: <PaymentChoice title={t("companyCoaching.method.card")} help={t("companyCoaching.book.cardHelp")} /> }] : []),
  ];

  return (
    <div className="space-y-6">
      <p className="text-sm">
        <TextLink to="/company/coaching">{t("companyCoaching.title")}</TextLink>
      </p>
      <PageHeader title={t("companyCoaching.book.title")} intro={<span className="block max-w-3xl">{t("companyCoaching.book.intro")}</span>} />
      <ErrorSummary form={form} labels={labels} />
      {products.length === 0 || slots.length === 0 ? (
        <Card>{t("companyCoaching.book.nothing")}</Card>
      ) : (
        <SchemaForm form={form} method="post" className="space-y-6">
          <Card>
            <ChoiceField meta={fields.productId} type="radio" legend={labels.productId} choices={productChoices} inline={false} />
          </Card>
          <Card>
            <ChoiceField meta={fields.slotId} type="radio" legend={labels.slotId} help={t("companyCoaching.book.slotHelp")} choices={slotChoices} grid />
          </Card>
          <Card className="space-y-5">
            <TextareaField meta={fields.focus} label={labels.focus} help={t("companyCoaching.book.focusHelp")} rows={4} />
            <SelectField meta={fields.exportId} label={labels.exportId}>
              <option value="">{t("companyCoaching.book.attachNone")}</option>
              {exports.map((e) => (
                <option key={e.id} value={e.id}>
                  {t("companyCoaching.book.attachOption", { date: formatDateTime(new Date(e.createdAt), locale), year: e.year, count: e.inquiryCount, format: e.format.toUpperCase() })}
                </option>
              ))}
            </SelectField>
          </Card>
          <Card>
            <ChoiceField meta={fields.method} type="radio" legend={labels.method} choices={methodChoices} inline={false} />
          </Card>
          <Button busy={busy}>{t("companyCoaching.book.submit")}</Button>
        </SchemaForm>
      )}
    </div>
  );
}

function PaymentChoice({ title, help }: { title: string; help: string }) {
  return (
    <>
      <span className="font-medium">{title}</span>
      <span className="block text-sm text-gray-700">{help}</span>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
