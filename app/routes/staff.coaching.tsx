import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { notFound, requireStaff } from "~/auth/guards.server";
import { getDatabase } from "#db/client.server";
import { formatDateTime, formatNumber } from "~/domain/format";
import { parseNumber } from "~/domain/import-validate";
import { parseOsloDateTime } from "~/domain/oslo-time";
import { useLocale, useT, type MessageKey } from "~/i18n/i18n";
import {
  createCoach,
  createProduct,
  createSlot,
  deleteFreeSlot,
  listCoachingOffer,
  setDefaultBookingCap,
  SlotOverlapError,
} from "~/models/coaching/coaching-offer.server";
import { Button } from "~/ui/button";
import { DataTable, type Column } from "~/ui/data-table";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { ChoiceGroup } from "~/ui/field";
import { ErrorSummary, parseWithZod, replyFor, SchemaForm, SelectField, TextareaField, TextField, useSchemaForm, type FormReply } from "~/ui/form";
import { Notice } from "~/ui/notice";
import { PageHeader } from "~/ui/page-header";
import { Card, Section } from "~/ui/section";

export const meta: MetaFunction = () => [{ title: "Coaching – Innsikt" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const { db } = await getDatabase();
  return listCoachingOffer(db);
}

const text = (max: number) =>
  z.string({ error: "coaching.error.required" }).trim().max(max, { error: "coaching.error.tooLong" }).regex(/^[^\u0000]*$/, { error: "coaching.error.tooLong" });
// An empty optional text arrives as undefined (Conform): stored as "".
const optionalText = (max: number) => text(max).optional().transform((value) => value ?? "");
const CoachSchema = z.object({
  name: text(200).min(1, { error: "coaching.error.required" }),
  email: z.string({ error: "coaching.error.required" }).trim().pipe(z.email({ error: "coaching.error.email" })),
  bio: optionalText(2000),
  languages: z.array(z.enum(["nb", "en"]), { error: "coaching.error.language" }).min(1, { error: "coaching.error.language" }),
});
const ProductSchema = z.object({
  nameNb: text(200).min(1, { error: "coaching.error.required" }),
  nameEn: text(200).min(1, { error: "coaching.error.required" }),
  descriptionNb: optionalText(2000),
  descriptionEn: optionalText(2000),
  price: z.string({ error: "coaching.error.price" }).transform((v, ctx) => {
    const n = parseNumber(v);
    if (n === null || n <= 0 || n > 1_000_000 || Math.round(n * 100) !== n * 100) {
      ctx.addIssue({ code: "custom", message: "coaching.error.price" });
      return z.NEVER;
    }
    return Math.round(n * 100);
  }),
  durationMinutes: z.number({ error: "coaching.error.duration" }).int({ error: "coaching.error.duration" }).min(15, { error: "coaching.error.duration" }).max(600, { error: "coaching.error.duration" }),
  format: z.enum(["on_site", "video"], { error: "coaching.error.required" }),
});
/** Fair use: open bookings (future, held or confirmed) a company may have at once (the database checks 0–1000 too). */
const MAX_BOOKING_CAP = 1000;
const BookingCapSchema = z.object({
  cap: z.number({ error: "coaching.cap.error" }).int({ error: "coaching.cap.error" }).min(0, { error: "coaching.cap.error" }).max(MAX_BOOKING_CAP, { error: "coaching.cap.error" }),
});
const SlotSchema = z.object({
  coachId: z.number({ error: "coaching.error.required" }).int({ error: "coaching.error.required" }).positive({ error: "coaching.error.required" }),
  date: z.string({ error: "coaching.error.date" }).regex(/^\d{4}-\d{2}-\d{2}$/, { error: "coaching.error.date" }),
  start: z.string({ error: "coaching.error.time" }).regex(/^\d{2}:\d{2}$/, { error: "coaching.error.time" }),
  end: z.string({ error: "coaching.error.time" }).regex(/^\d{2}:\d{2}$/, { error: "coaching.error.time" }),
});

type ActionData = { intent: string; ok: boolean; message: MessageKey | null; reply: FormReply | null };

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireStaff(request);
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const { db } = await getDatabase();
  const refused = (reply: FormReply) => data<ActionData>({ intent, ok: false, message: null, reply }, { status: 400 });
  const done = (message: MessageKey, reply: FormReply | null = null): ActionData => ({ intent, ok: true, message, reply });

  if (intent === "coach") {
    const submission = parseWithZod(formData, { schema: CoachSchema });
    if (submission.status !== "success") return refused(submission.reply());
    await createCoach(db, { ...submission.value, actorUserId: user.id });
    return done("coaching.coach.created", submission.reply({ resetForm: true }));
  }
  if (intent === "product") {
    const submission = parseWithZod(formData, { schema: ProductSchema });
    if (submission.status !== "success") return refused(submission.reply());
    const { price, ...rest } = submission.value;
    await createProduct(db, { ...rest, priceOre: price, actorUserId: user.id });
    return done("coaching.product.created", submission.reply({ resetForm: true }));
  }
  if (intent === "slot") {
    const submission = parseWithZod(formData, { schema: SlotSchema });
    if (submission.status !== "success") return refused(submission.reply());
    const slot = submission.value;
    const fail = (field: "date" | "start" | "end", key: MessageKey) => refused(submission.reply({ fieldErrors: { [field]: [key] } }));
    // The times are Europe/Oslo wall-clock times, as staff read them off the calendar.
    // A time the spring skips is refused (oslo-time), not quietly moved an hour on.
    const start = parseOsloDateTime(`${slot.date}T${slot.start}`);
    const end = parseOsloDateTime(`${slot.date}T${slot.end}`);
    if (!start.ok && start.reason === "nonexistent") return fail("start", "coaching.error.nonexistentTime");
    if (!end.ok && end.reason === "nonexistent") return fail("end", "coaching.error.nonexistentTime");
    if (!start.ok || !end.ok) return fail("date", "coaching.error.date");
    const [startsAt, endsAt] = [start.date, end.date];
    if (endsAt <= startsAt) return fail("end", "coaching.error.order");
    if (startsAt <= new Date()) return fail("date", "coaching.error.past");
    try {
      await createSlot(db, { coachId: slot.coachId, startsAt, endsAt, actorUserId: user.id });
    } catch (error) {
      if (error instanceof SlotOverlapError) return fail("start", error.message === "overlap" ? "coaching.error.overlap" : "coaching.error.required");
      throw error;
    }
    return done("coaching.slot.created", submission.reply());
  }
  if (intent === "booking-cap") {
    const submission = parseWithZod(formData, { schema: BookingCapSchema });
    if (submission.status !== "success") return refused(submission.reply());
    await setDefaultBookingCap(db, { cap: submission.value.cap, actorUserId: user.id });
    return done("coaching.cap.saved", submission.reply());
  }
  if (intent === "delete-slot") {
    const id = z.coerce.number().int().positive().safeParse(formData.get("slotId"));
    if (!id.success || !(await deleteFreeSlot(db, id.data, user.id))) throw notFound();
    return done("coaching.slot.deleted");
  }
  throw notFound();
}

type Offer = Awaited<ReturnType<typeof listCoachingOffer>>;

function CapForm({ cap, lastResult }: { cap: number; lastResult: FormReply | null }) {
  const t = useT();
  const [form, fields] = useSchemaForm(BookingCapSchema, { id: "booking-cap", lastResult, defaultValue: { cap: String(cap) } });
  return (
    <>
      <ErrorSummary form={form} labels={{ cap: t("coaching.cap.label") }} className="mb-4" />
      <SchemaForm form={form} method="post" className="flex flex-wrap items-start gap-4">
        <TextField meta={fields.cap} type="number" label={t("coaching.cap.label")} className="w-full sm:w-72" />
        <Button name="intent" value="booking-cap" className="sm:mt-6">
          {t("coaching.cap.save")}
        </Button>
      </SchemaForm>
    </>
  );
}

function SlotForm({ coaches, lastResult }: { coaches: Offer["coaches"]; lastResult: FormReply | null }) {
  const t = useT();
  const [form, fields] = useSchemaForm(SlotSchema, { id: "slot", lastResult });
  return (
    <>
      <ErrorSummary
        form={form}
        labels={{ coachId: t("coaching.coach"), date: t("coaching.slot.date"), start: t("coaching.slot.start"), end: t("coaching.slot.end") }}
        className="mb-4"
      />
      <SchemaForm form={form} method="post" className="grid gap-4 sm:grid-cols-5 sm:items-start">
        <SelectField meta={fields.coachId} label={t("coaching.coach")}>
          {coaches.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </SelectField>
        <TextField meta={fields.date} type="date" label={t("coaching.slot.date")} />
        <TextField meta={fields.start} type="time" label={t("coaching.slot.start")} />
        <TextField meta={fields.end} type="time" label={t("coaching.slot.end")} />
        <Button name="intent" value="slot" className="sm:mt-6">
          {t("coaching.slot.add")}
        </Button>
        <p className="text-sm text-gray-700 sm:col-span-5">{t("coaching.slot.help")}</p>
      </SchemaForm>
    </>
  );
}

function ProductForm({ lastResult }: { lastResult: FormReply | null }) {
  const t = useT();
  const [form, fields] = useSchemaForm(ProductSchema, { id: "product", lastResult, defaultValue: { format: "video" } });
  const labels = {
    nameNb: t("coaching.product.nameNb"),
    nameEn: t("coaching.product.nameEn"),
    descriptionNb: t("coaching.product.descriptionNb"),
    descriptionEn: t("coaching.product.descriptionEn"),
    price: t("coaching.product.priceLabel"),
    durationMinutes: t("coaching.product.durationLabel"),
    format: t("coaching.product.format"),
  };
  return (
    <>
      <ErrorSummary form={form} labels={labels} className="mb-4" />
      <SchemaForm form={form} method="post" className="grid gap-4 sm:grid-cols-2">
        <TextField meta={fields.nameNb} label={labels.nameNb} />
        <TextField meta={fields.nameEn} label={labels.nameEn} />
        <TextareaField meta={fields.descriptionNb} label={labels.descriptionNb} optional rows={2} />
        <TextareaField meta={fields.descriptionEn} label={labels.descriptionEn} optional rows={2} />
        <TextField meta={fields.price} label={labels.price} inputMode="decimal" />
        <TextField meta={fields.durationMinutes} label={labels.durationMinutes} inputMode="numeric" />
        <SelectField meta={fields.format} label={labels.format}>
          <option value="video">{t("coaching.format.video")}</option>
          <option value="on_site">{t("coaching.format.on_site")}</option>
        </SelectField>
        <div className="flex items-end">
          <Button name="intent" value="product">
            {t("coaching.product.add")}
          </Button>
        </div>
      </SchemaForm>
    </>
  );
}

function CoachForm({ lastResult }: { lastResult: FormReply | null }) {
  const t = useT();
  const [form, fields] = useSchemaForm(CoachSchema, { id: "coach", lastResult });
  const labels = { name: t("coaching.coach.name"), email: t("staff.people.email"), bio: t("coaching.coach.bio"), languages: t("coaching.coach.languages") };
  return (
    <>
      <ErrorSummary form={form} labels={labels} className="mb-4" />
      <SchemaForm form={form} method="post" className="grid gap-4 sm:grid-cols-2">
        <TextField meta={fields.name} label={labels.name} />
        <TextField meta={fields.email} type="email" label={labels.email} />
        <TextareaField meta={fields.bio} label={labels.bio} optional rows={3} />
        <ChoiceGroup
          id={fields.languages.id}
          name={fields.languages.name}
          type="checkbox"
          legend={labels.languages}
          defaultValue={["nb"]}
          error={fields.languages.errors}
          choices={[
            { value: "nb", label: t("coaching.language.nb") },
            { value: "en", label: t("coaching.language.en") },
          ]}
        />
        <div>
          <Button name="intent" value="coach">
            {t("coaching.coach.add")}
          </Button>
        </div>
      </SchemaForm>
    </>
  );
}

export default function CoachingOffer() {
  const { coaches, products, slots, bookingCap } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  type Slot = (typeof slots)[number];
  type Product = (typeof products)[number];
  const slotColumns: Column<Slot>[] = [
    { key: "when", header: t("coaching.slot.when"), cell: (slot) => `${formatDateTime(new Date(slot.startsAt), locale)}–${formatDateTime(new Date(slot.endsAt), locale).slice(-5)}` },
    { key: "coach", header: t("coaching.coach"), cell: (slot) => slot.coachName },
    { key: "status", header: t("coaching.slot.status"), cell: (slot) => (slot.booked ? t("coaching.slot.booked") : t("coaching.slot.free")) },
    {
      key: "actions",
      header: <span className="sr-only">{t("staff.people.actions")}</span>,
      className: "text-right",
      cell: (slot) =>
        !slot.booked && (
          <Form method="post">
            <input type="hidden" name="slotId" value={slot.id} />
            <Button
              name="intent"
              value="delete-slot"
              tone="secondary"
              small
              aria-label={t("coaching.slot.deleteLabel", { when: formatDateTime(new Date(slot.startsAt), locale), coach: slot.coachName })}>
              {t("coaching.slot.delete")}
            </Button>
          </Form>
        ),
    },
  ];
  const productColumns: Column<Product>[] = [
    { key: "name", header: t("coaching.product.name"), rowHeader: true, cell: (p) => (locale === "nb" ? p.nameNb : p.nameEn) },
    {
      key: "price",
      header: t("coaching.product.price"),
      numeric: true,
      cell: (p) => t("coaching.product.nok", { amount: formatNumber(p.priceOre / 100, locale, p.priceOre % 100 ? 2 : 0) }),
    },
    { key: "duration", header: t("coaching.product.duration"), numeric: true, cell: (p) => t("coaching.product.minutes", { n: p.durationMinutes }) },
    { key: "format", header: t("coaching.product.format"), cell: (p) => t(`coaching.format.${p.format}`) },
  ];
  return (
    <div className="space-y-8">
      <PageHeader title={t("coaching.title")} intro={<p className="max-w-3xl">{t("coaching.intro")}</p>} />
      {result?.ok && result.message && <Notice tone="success">{t(result.message)}</Notice>}

      <Section id="cap" title={t("coaching.cap.title")} description={<p className="max-w-3xl">{t("coaching.cap.help")}</p>}>
        <CapForm cap={bookingCap} lastResult={replyFor(result, "booking-cap")} />
      </Section>

      <Section id="slots" title={t("coaching.slots")} plain>
        <DataTable caption={t("coaching.slots")} captionHidden columns={slotColumns} rows={slots} rowKey={(slot) => String(slot.id)} empty={t("coaching.slots.none")} />
        {coaches.length > 0 && (
          <Card className="mt-4">
            <SlotForm coaches={coaches} lastResult={replyFor(result, "slot")} />
          </Card>
        )}
      </Section>

      <Section id="products" title={t("coaching.products")} plain>
        <DataTable caption={t("coaching.products")} captionHidden columns={productColumns} rows={products} rowKey={(p) => String(p.id)} empty={t("coaching.products.none")} />
        <Card className="mt-4">
          <ProductForm lastResult={replyFor(result, "product")} />
        </Card>
      </Section>

      <Section id="coaches" title={t("coaching.coaches")}>
        {coaches.length === 0 ? (
          <p className="text-gray-700">{t("coaching.coaches.none")}</p>
        ) : (
          <ul className="space-y-3">
            {coaches.map((c) => (
              <li key={c.id}>
                <p className="font-medium">
                  {c.name}{" "}
                  <span className="font-normal text-gray-700">
                    ({c.email}; {c.languages.map((l) => t(`coaching.language.${l as "nb"}`)).join(", ")})
                  </span>
                </p>
                {c.bio && <p className="text-gray-800">{c.bio}</p>}
              </li>
            ))}
          </ul>
        )}
        <div className="mt-6">
          <CoachForm lastResult={replyFor(result, "coach")} />
        </div>
      </Section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
