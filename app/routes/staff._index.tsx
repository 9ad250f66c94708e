import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { requireStaff } from "~/auth/guards.server";
import { getDatabase } from "#db/client.server";
import { formatNumber } from "~/domain/format";
import { useLocale, useT } from "~/i18n/i18n";
import { MAX_STUDY_YEAR, MIN_STUDY_YEAR } from "~/domain/types";
import { createStudy, listStudiesWithCounts, StudyExistsError } from "~/models/studies/study.server";
import { Button, TextLink } from "~/ui/button";
import { DataTable, type Column } from "~/ui/data-table";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { withParams } from "~/ui/field";
import { ErrorSummary, parseWithZod, SchemaForm, TextField, useSchemaForm } from "~/ui/form";
import { PageHeader } from "~/ui/page-header";
import { Section } from "~/ui/section";

export const meta: MetaFunction = () => [{ title: "Undersøkelser – Innsikt" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const { db } = await getDatabase();
  return { studies: await listStudiesWithCounts(db), nextYear: new Date().getFullYear() };
}

const CreateSchema = z.object({
  year: z.number({ error: "staff.create.yearInvalid" }).int({ error: "staff.create.yearInvalid" }).min(MIN_STUDY_YEAR, { error: "staff.create.yearInvalid" }).max(MAX_STUDY_YEAR, { error: "staff.create.yearInvalid" }),
  name: z.string().trim().max(200, { error: "staff.create.nameTooLong" }).regex(/^[^\u0000]*$/, { error: "staff.create.nameTooLong" }).optional(),
});

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireStaff(request);
  const submission = parseWithZod(await request.formData(), { schema: CreateSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const { db } = await getDatabase();
  try {
    const study = await createStudy(db, { year: submission.value.year, name: submission.value.name, userId: user.id });
    throw redirect(`/staff/studies/${study.year}`);
  } catch (error) {
    if (error instanceof StudyExistsError) {
      return data(submission.reply({ fieldErrors: { year: [withParams("staff.create.exists", { year: submission.value.year })] } }), { status: 409 });
    }
    throw error;
  }
}

export default function StaffStudies() {
  const { studies, nextYear } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const t = useT();
  const locale = useLocale();
  const [form, fields] = useSchemaForm(CreateSchema, { id: "create-study", lastResult, defaultValue: { year: String(nextYear) } });
  type Study = (typeof studies)[number];
  const columns: Column<Study>[] = [
    { key: "year", header: t("staff.studies.year"), rowHeader: true, cell: (study) => <TextLink to={`/staff/studies/${study.year}`}>{study.year}</TextLink> },
    { key: "name", header: t("staff.studies.name"), cell: (study) => study.name },
    { key: "status", header: t("staff.studies.status"), cell: (study) => t(`status.${study.status}`) },
    { key: "participants", header: t("staff.studies.participants"), numeric: true, cell: (study) => formatNumber(study.participants, locale) },
    { key: "inquiries", header: t("staff.studies.inquiries"), numeric: true, cell: (study) => formatNumber(study.inquiries, locale) },
  ];
  return (
    <div className="space-y-8">
      <PageHeader title={t("staff.studies.title")} />
      <DataTable caption={t("staff.studies.title")} captionHidden columns={columns} rows={studies} rowKey={(study) => String(study.id)} empty={t("staff.studies.none")} />
      <Section id="create" title={t("staff.create.title")}>
        <ErrorSummary form={form} labels={{ year: t("staff.create.year"), name: t("staff.create.name") }} className="mb-4" />
        <SchemaForm form={form} method="post" className="flex flex-wrap items-start gap-4">
          <TextField meta={fields.year} label={t("staff.create.year")} inputMode="numeric" className="w-full sm:w-44" />
          <TextField meta={fields.name} label={t("staff.create.name")} optional placeholder={`Kundeserviceprisen ${nextYear}`} className="min-w-[14rem] grow" />
          <Button busy={busy} className="sm:mt-6">
            {t("staff.create.submit")}
          </Button>
        </SchemaForm>
      </Section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
