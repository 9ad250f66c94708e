import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import * as z from "zod";
import { notFound, requireStaff } from "~/auth/guards.server";
import { getDatabase } from "#db/client.server";
import { formatDateTime, formatNumber } from "~/domain/format";
import { parseNumber } from "~/domain/import-validate";
import { parseOsloDateTime } from "~/domain/oslo-time";
import { translate, useLocale, useT, type MessageKey } from "~/i18n/i18n";
import { localeFromRequest } from "~/i18n/locale.server";
import {
  createCoach,
  createProduct,
  createSlot,
  deleteFreeSlot,
  listCoachingOffer,
  setDefaultBookingCap,
  SlotOverlapError,
} from "~/models/coaching/coaching-offer.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";

export const meta: MetaFunction = () => [{ title: "Coaching – Innsikt" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const { db } = await getDatabase();
  return listCoachingOffer(db);
}

const text = (max: number, required = true) => {
  const base = z.string().trim().max(max, { error: "coaching.error.tooLong" }).regex(/^[^\u0000]*$/, { error: "coaching.error.tooLong" });
  return required ? base.min(1, { error: "coaching.error.required" }) : base;
};
const CoachSchema = z.object({
  name: text(200),
  email: z.string().trim().pipe(z.email({ error: "coaching.error.email" })),
  bio: text(2000, false),
  languages: z.array(z.enum(["nb", "en"])).min(1, { error: "coaching.error.language" }),
});
const ProductSchema = z.object({
  nameNb: text(200),
  nameEn: text(200),
  descriptionNb: text(2000, false),
  descriptionEn: text(2000, false),
  price: z.string().transform((v, ctx) => {
    const n = parseNumber(v);
    if (n === null || n <= 0 || n > 1_000_000 || Math.round(n * 100) !== n * 100) {
      ctx.addIssue({ code: "custom", message: "coaching.error.price" });
      return z.NEVER;
    }
    return Math.round(n * 100);
  }),
  durationMinutes: z.coerce.number({ error: "coaching.error.duration" }).int({ error: "coaching.error.duration" }).min(15, { error: "coaching.error.duration" }).max(600, { error: "coaching.error.duration" }),
  format: z.enum(["on_site", "video"], { error: "coaching.error.required" }),
});
/** Fair use: open bookings (future, held or confirmed) a company may have at once (the database checks 0–1000 too). */
const MAX_BOOKING_CAP = 1000;
const BookingCapSchema = z.object({
  cap: z.coerce.number({ error: "coaching.cap.error" }).int({ error: "coaching.cap.error" }).min(0, { error: "coaching.cap.error" }).max(MAX_BOOKING_CAP, { error: "coaching.cap.error" }),
});
const SlotSchema = z.object({
  coachId: z.coerce.number({ error: "coaching.error.required" }).int().positive({ error: "coaching.error.required" }),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: "coaching.error.date" }),
  start: z.string().regex(/^\d{2}:\d{2}$/, { error: "coaching.error.time" }),
  end: z.string().regex(/^\d{2}:\d{2}$/, { error: "coaching.error.time" }),
});

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireStaff(request);
  const locale = localeFromRequest(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const { db } = await getDatabase();
  const fail = (issue: { message: string; path: PropertyKey[] }) =>
    data({ intent, ok: false as const, field: String(issue.path[0] ?? ""), message: translate(locale, issue.message as MessageKey) }, { status: 400 });
  const done = (key: MessageKey) => ({ intent, ok: true as const, field: "", message: translate(locale, key) });

  if (intent === "coach") {
    const parsed = CoachSchema.safeParse({ ...Object.fromEntries(form), languages: form.getAll("languages") });
    if (!parsed.success) return fail(parsed.error.issues[0]!);
    await createCoach(db, { ...parsed.data, actorUserId: user.id });
    return done("coaching.coach.created");
  }
  if (intent === "product") {
    const parsed = ProductSchema.safeParse(Object.fromEntries(form));
    if (!parsed.success) return fail(parsed.error.issues[0]!);
    const { price, ...rest } = parsed.data;
    await createProduct(db, { ...rest, priceOre: price, actorUserId: user.id });
    return done("coaching.product.created");
  }
  if (intent === "slot") {
    const parsed = SlotSchema.safeParse(Object.fromEntries(form));
    if (!parsed.success) return fail(parsed.error.issues[0]!);
    // The times are Europe/Oslo wall-clock times, as staff read them off the calendar.
    // A time the spring skips is refused (oslo-time), not quietly moved an hour on.
    const start = parseOsloDateTime(`${parsed.data.date}T${parsed.data.start}`);
    const end = parseOsloDateTime(`${parsed.data.date}T${parsed.data.end}`);
    if (!start.ok && start.reason === "nonexistent") return fail({ message: "coaching.error.nonexistentTime", path: ["start"] });
    if (!end.ok && end.reason === "nonexistent") return fail({ message: "coaching.error.nonexistentTime", path: ["end"] });
    if (!start.ok || !end.ok) return fail({ message: "coaching.error.date", path: ["date"] });
    const [startsAt, endsAt] = [start.date, end.date];
    if (endsAt <= startsAt) return fail({ message: "coaching.error.order", path: ["end"] });
    if (startsAt <= new Date()) return fail({ message: "coaching.error.past", path: ["date"] });
    try {
      await createSlot(db, { coachId: parsed.data.coachId, startsAt, endsAt, actorUserId: user.id });
    } catch (error) {
      if (error instanceof SlotOverlapError) return fail({ message: error.message === "overlap" ? "coaching.error.overlap" : "coaching.error.required", path: ["start"] });
      throw error;
    }
    return done("coaching.slot.created");
  }
  if (intent === "booking-cap") {
    const parsed = BookingCapSchema.safeParse({ cap: String(form.get("cap") ?? "").trim() || undefined });
    if (!parsed.success) return fail(parsed.error.issues[0]!);
    await setDefaultBookingCap(db, { cap: parsed.data.cap, actorUserId: user.id });
    return done("coaching.cap.saved");
  }
  if (intent === "delete-slot") {
    const id = z.coerce.number().int().positive().safeParse(form.get("slotId"));
    if (!id.success || !(await deleteFreeSlot(db, id.data, user.id))) throw notFound();
    return done("coaching.slot.deleted");
  }
  throw notFound();
}

function Field({ id, label, error, children }: { id: string; label: string; error?: string | null; children: React.ReactNode }) {
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      {children}
      {error && (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-800">
          {error}
        </p>
      )}
    </div>
  );
}

export default function CoachingOffer() {
  const { coaches, products, slots, bookingCap } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const errorFor = (intent: string, field: string) => (result && !result.ok && result.intent === intent && result.field === field ? result.message : null);
  const input = "mt-1 w-full rounded border-gray-400";
  const invalid = (intent: string, field: string) =>
    errorFor(intent, field) ? { "aria-invalid": true as const, "aria-describedby": `${intent}-${field}-error` } : {};
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-3xl font-semibold">{t("coaching.title")}</h1>
        <p className="mt-2 max-w-3xl text-gray-700">{t("coaching.intro")}</p>
      </div>
      {result && (
        <p role={result.ok ? "status" : "alert"} className={`rounded border p-4 ${result.ok ? "border-green-300 bg-green-50 text-green-900" : "border-red-300 bg-red-50 text-red-900"}`}>
          {result.message}
        </p>
      )}

      <section aria-labelledby="cap-title" className="rounded-lg bg-white p-6 shadow">
        <h2 id="cap-title" className="text-xl font-semibold">{t("coaching.cap.title")}</h2>
        <p className="mt-2 max-w-3xl text-gray-700">{t("coaching.cap.help")}</p>
        <Form method="post" className="mt-4 flex flex-wrap items-end gap-4" noValidate>
          <Field id="booking-cap" label={t("coaching.cap.label")} error={errorFor("booking-cap", "cap")}>
            <input id="booking-cap" name="cap" type="number" min={0} max={MAX_BOOKING_CAP} required defaultValue={bookingCap} className={input} {...invalid("booking-cap", "cap")} />
          </Field>
          <button type="submit" name="intent" value="booking-cap" className="rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800">
            {t("coaching.cap.save")}
          </button>
        </Form>
      </section>

      <section aria-labelledby="slots-title" className="rounded-lg bg-white p-6 shadow">
        <h2 id="slots-title" className="text-xl font-semibold">{t("coaching.slots")}</h2>
        {slots.length === 0 ? (
          <p className="mt-2 text-gray-700">{t("coaching.slots.none")}</p>
        ) : (
          <table className="mt-4 w-full text-left">
            <caption className="sr-only">{t("coaching.slots")}</caption>
            <thead>
              <tr className="border-b border-gray-300">
                <th scope="col" className="px-3 py-2">{t("coaching.slot.when")}</th>
                <th scope="col" className="px-3 py-2">{t("coaching.coach")}</th>
                <th scope="col" className="px-3 py-2">{t("coaching.slot.status")}</th>
                <th scope="col" className="px-3 py-2"><span className="sr-only">{t("staff.people.actions")}</span></th>
              </tr>
            </thead>
            <tbody>
              {slots.map((slot) => (
                <tr key={slot.id} className="border-b border-gray-100">
                  <td className="px-3 py-2">
                    {formatDateTime(new Date(slot.startsAt), locale)}–{formatDateTime(new Date(slot.endsAt), locale).slice(-5)}
                  </td>
                  <td className="px-3 py-2">{slot.coachName}</td>
                  <td className="px-3 py-2">{slot.booked ? t("coaching.slot.booked") : t("coaching.slot.free")}</td>
                  <td className="px-3 py-2 text-right">
                    {!slot.booked && (
                      <Form method="post">
                        <input type="hidden" name="slotId" value={slot.id} />
                        <button type="submit" name="intent" value="delete-slot" className="rounded border border-gray-400 px-2 py-1 text-sm hover:bg-gray-50"
                          aria-label={t("coaching.slot.deleteLabel", { when: formatDateTime(new Date(slot.startsAt), locale), coach: slot.coachName })}>
                          {t("coaching.slot.delete")}
                        </button>
                      </Form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {coaches.length > 0 && (
          <Form method="post" className="mt-6 grid gap-4 sm:grid-cols-5 sm:items-end" noValidate>
            <Field id="slot-coachId" label={t("coaching.coach")} error={errorFor("slot", "coachId")}>
              <select id="slot-coachId" name="coachId" className={input} {...invalid("slot", "coachId")}>
                {coaches.map((c) => (
                  <option key={c.id} value={c.id}>{c.name}</option>
                ))}
              </select>
            </Field>
            <Field id="slot-date" label={t("coaching.slot.date")} error={errorFor("slot", "date")}>
              <input id="slot-date" name="date" type="date" required className={input} {...invalid("slot", "date")} />
            </Field>
            <Field id="slot-start" label={t("coaching.slot.start")} error={errorFor("slot", "start")}>
              <input id="slot-start" name="start" type="time" required className={input} {...invalid("slot", "start")} />
            </Field>
            <Field id="slot-end" label={t("coaching.slot.end")} error={errorFor("slot", "end")}>
              <input id="slot-end" name="end" type="time" required className={input} {...invalid("slot", "end")} />
            </Field>
            <button type="submit" name="intent" value="slot" className="rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800">
              {t("coaching.slot.add")}
            </button>
            <p className="text-sm text-gray-700 sm:col-span-5">{t("coaching.slot.help")}</p>
          </Form>
        )}
      </section>

      <section aria-labelledby="products-title" className="rounded-lg bg-white p-6 shadow">
        <h2 id="products-title" className="text-xl font-semibold">{t("coaching.products")}</h2>
        {products.length === 0 ? (
          <p className="mt-2 text-gray-700">{t("coaching.products.none")}</p>
        ) : (
          <table className="mt-4 w-full text-left">
            <caption className="sr-only">{t("coaching.products")}</caption>
            <thead>
              <tr className="border-b border-gray-300">
                <th scope="col" className="px-3 py-2">{t("coaching.product.name")}</th>
                <th scope="col" className="px-3 py-2 text-right">{t("coaching.product.price")}</th>
                <th scope="col" className="px-3 py-2 text-right">{t("coaching.product.duration")}</th>
                <th scope="col" className="px-3 py-2">{t("coaching.product.format")}</th>
              </tr>
            </thead>
            <tbody>
              {products.map((p) => (
                <tr key={p.id} className="border-b border-gray-100">
                  <th scope="row" className="px-3 py-2 font-medium">{locale === "nb" ? p.nameNb : p.nameEn}</th>
                  <td className="px-3 py-2 text-right tabular-nums">{t("coaching.product.nok", { amount: formatNumber(p.priceOre / 100, locale, p.priceOre % 100 ? 2 : 0) })}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{t("coaching.product.minutes", { n: p.durationMinutes })}</td>
                  <td className="px-3 py-2">{t(`coaching.format.${p.format}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Form method="post" className="mt-6 grid gap-4 sm:grid-cols-2" noValidate>
          <Field id="product-nameNb" label={t("coaching.product.nameNb")} error={errorFor("product", "nameNb")}>
            <input id="product-nameNb" name="nameNb" required className={input} {...invalid("product", "nameNb")} />
          </Field>
          <Field id="product-nameEn" label={t("coaching.product.nameEn")} error={errorFor("product", "nameEn")}>
            <input id="product-nameEn" name="nameEn" required className={input} {...invalid("product", "nameEn")} />
          </Field>
          <Field id="product-descriptionNb" label={t("coaching.product.descriptionNb")}>
            <textarea id="product-descriptionNb" name="descriptionNb" rows={2} className={input} />
          </Field>
          <Field id="product-descriptionEn" label={t("coaching.product.descriptionEn")}>
            <textarea id="product-descriptionEn" name="descriptionEn" rows={2} className={input} />
          </Field>
          <Field id="product-price" label={t("coaching.product.priceLabel")} error={errorFor("product", "price")}>
            <input id="product-price" name="price" inputMode="decimal" required className={input} {...invalid("product", "price")} />
          </Field>
          <Field id="product-durationMinutes" label={t("coaching.product.durationLabel")} error={errorFor("product", "durationMinutes")}>
            <input id="product-durationMinutes" name="durationMinutes" inputMode="numeric" required className={input} {...invalid("product", "durationMinutes")} />
          </Field>
          <Field id="product-format" label={t("coaching.product.format")}>
            <select id="product-format" name="format" className={input}>
              <option value="video">{t("coaching.format.video")}</option>
              <option value="on_site">{t("coaching.format.on_site")}</option>
            </select>
          </Field>
          <div className="flex items-end">
            <button type="submit" name="intent" value="product" className="rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800">
              {t("coaching.product.add")}
            </button>
          </div>
        </Form>
      </section>

      <section aria-labelledby="coaches-title" className="rounded-lg bg-white p-6 shadow">
        <h2 id="coaches-title" className="text-xl font-semibold">{t("coaching.coaches")}</h2>
        {coaches.length === 0 ? (
          <p className="mt-2 text-gray-700">{t("coaching.coaches.none")}</p>
        ) : (
          <ul className="mt-4 space-y-3">
            {coaches.map((c) => (
              <li key={c.id}>
                <p className="font-medium">
                  {c.name} <span className="font-normal text-gray-700">({c.email}; {c.languages.map((l) => t(`coaching.language.${l as "nb"}`)).join(", ")})</span>
                </p>
                {c.bio && <p className="text-gray-800">{c.bio}</p>}
              </li>
            ))}
          </ul>
        )}
        <Form method="post" className="mt-6 grid gap-4 sm:grid-cols-2" noValidate>
          <Field id="coach-name" label={t("coaching.coach.name")} error={errorFor("coach", "name")}>
            <input id="coach-name" name="name" required className={input} {...invalid("coach", "name")} />
          </Field>
          <Field id="coach-email" label={t("staff.people.email")} error={errorFor("coach", "email")}>
            <input id="coach-email" name="email" type="email" required className={input} {...invalid("coach", "email")} />
          </Field>
          <Field id="coach-bio" label={t("coaching.coach.bio")}>
            <textarea id="coach-bio" name="bio" rows={3} className={input} />
          </Field>
          <fieldset>
            <legend className="text-sm font-medium">{t("coaching.coach.languages")}</legend>
            <label className="mr-4 inline-flex items-center gap-2">
              <input type="checkbox" name="languages" value="nb" defaultChecked /> {t("coaching.language.nb")}
            </label>
            <label className="inline-flex items-center gap-2">
              <input type="checkbox" name="languages" value="en" /> {t("coaching.language.en")}
            </label>
            {errorFor("coach", "languages") && <p className="mt-1 text-sm text-red-800">{errorFor("coach", "languages")}</p>}
          </fieldset>
          <div>
            <button type="submit" name="intent" value="coach" className="rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800">
              {t("coaching.coach.add")}
            </button>
          </div>
        </Form>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

