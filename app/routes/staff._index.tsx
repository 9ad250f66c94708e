import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import * as z from "zod";
import { requireStaff } from "~/auth/guards.server";
import { getDatabase } from "#db/client.server";
import { formatNumber } from "~/domain/format";
import { translate, useLocale, useT } from "~/i18n/i18n";
import { localeFromRequest } from "~/i18n/locale.server";
import { createStudy, listStudiesWithCounts, MAX_STUDY_YEAR, MIN_STUDY_YEAR, StudyExistsError } from "~/models/studies/study.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";

export const meta: MetaFunction = () => [{ title: "Undersøkelser – Innsikt" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const { db } = await getDatabase();
  return { studies: await listStudiesWithCounts(db), nextYear: new Date().getFullYear() };
}

const CreateSchema = z.object({
  year: z.coerce.number({ error: "staff.create.yearInvalid" }).int({ error: "staff.create.yearInvalid" }).min(MIN_STUDY_YEAR, { error: "staff.create.yearInvalid" }).max(MAX_STUDY_YEAR, { error: "staff.create.yearInvalid" }),
  name: z.string().trim().max(200, { error: "staff.create.nameTooLong" }).regex(/^[^\u0000]*$/, { error: "staff.create.nameTooLong" }).optional(),
});

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireStaff(request);
  const locale = localeFromRequest(request);
  const form = Object.fromEntries(await request.formData());
  const parsed = CreateSchema.safeParse(form);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return data({ error: translate(locale, issue.message as "staff.create.yearInvalid"), field: String(issue.path[0]), values: form }, { status: 400 });
  }
  const { db } = await getDatabase();
  try {
    const study = await createStudy(db, { year: parsed.data.year, name: parsed.data.name, userId: user.id });
    throw redirect(`/staff/studies/${study.year}`);
  } catch (error) {
    if (error instanceof StudyExistsError) {
      return data({ error: translate(locale, "staff.create.exists", { year: parsed.data.year }), field: "year", values: form }, { status: 409 });
    }
    throw error;
  }
}

export default function StaffStudies() {
  const { studies, nextYear } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const t = useT();
  const locale = useLocale();
  return (
    <div className="space-y-8">
      <section aria-labelledby="studies-title">
        <h1 id="studies-title" className="text-3xl font-semibold">
          {t("staff.studies.title")}
        </h1>
        {studies.length === 0 ? (
          <p className="mt-4 text-gray-700">{t("staff.studies.none")}</p>
        ) : (
          <div className="mt-6 overflow-x-auto rounded-lg bg-white shadow">
            <table className="w-full text-left">
              <thead>
                <tr className="border-b border-gray-300">
                  <th scope="col" className="px-4 py-3">{t("staff.studies.year")}</th>
                  <th scope="col" className="px-4 py-3">{t("staff.studies.name")}</th>
                  <th scope="col" className="px-4 py-3">{t("staff.studies.status")}</th>
                  <th scope="col" className="px-4 py-3 text-right">{t("staff.studies.participants")}</th>
                  <th scope="col" className="px-4 py-3 text-right">{t("staff.studies.inquiries")}</th>
                </tr>
              </thead>
              <tbody>
                {studies.map((study) => (
                  <tr key={study.id} className="border-b border-gray-100">
                    <th scope="row" className="px-4 py-3 font-medium">
                      <Link to={`/staff/studies/${study.year}`} className="text-blue-700 underline">
                        {study.year}
                      </Link>
                    </th>
                    <td className="px-4 py-3">{study.name}</td>
                    <td className="px-4 py-3">{t(`status.${study.status}`)}</td>
                    <td className="px-4 py-3 text-right tabular-nums">{formatNumber(study.participants, locale)}</td>
                    <td className="px-4 py-3 text-right tabular-nums">{formatNumber(study.inquiries, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section aria-labelledby="create-title" className="rounded-lg bg-white p-6 shadow">
        <h2 id="create-title" className="text-xl font-semibold">
          {t("staff.create.title")}
        </h2>
        <Form method="post" className="mt-4 flex flex-wrap items-end gap-4" noValidate>
          <div>
            <label htmlFor="year" className="block text-sm font-medium">
              {t("staff.create.year")}
            </label>
            <input
              id="year"
              name="year"
              inputMode="numeric"
              required
              defaultValue={String(actionData?.values.year ?? nextYear)}
              aria-invalid={actionData?.field === "year" || undefined}
              aria-describedby={actionData?.field === "year" ? "create-error" : undefined}
              className="mt-1 w-28 rounded border-gray-400"
            />
          </div>
          <div className="grow">
            <label htmlFor="name" className="block text-sm font-medium">
              {t("staff.create.name")} <span className="font-normal text-gray-700">({t("common.optional")})</span>
            </label>
            <input
              id="name"
              name="name"
              defaultValue={String(actionData?.values.name ?? "")}
              placeholder={`Kundeserviceprisen ${nextYear}`}
              className="mt-1 w-full rounded border-gray-400"
            />
          </div>
          <button type="submit" disabled={busy} className="rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800 disabled:opacity-60">
            {t("staff.create.submit")}
          </button>
        </Form>
        {actionData?.error && (
          <p id="create-error" role="alert" className="mt-3 text-red-700">
            {actionData.error}
          </p>
        )}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
