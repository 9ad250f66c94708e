import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import * as z from "zod";
import { requireStaffStudy } from "~/auth/staff-study.server";
import { isUpload, readUploadForm } from "~/auth/upload-form.server";
import { formatDateTime, formatNumber } from "~/domain/format";
import { useLocale, useT, type MessageKey } from "~/i18n/i18n";
import { findCompanyByCode } from "~/models/admin/company-admin.server";
import { ONBOARDING_STATES, type OnboardingState } from "~/domain/onboarding";
import { createContactUpload, latestContactUploads, listOnboarding, remindCompany } from "~/models/accounts/onboarding.server";
import { Button, TextLink } from "~/ui/button";
import { DataTable, type Column } from "~/ui/data-table";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { FilterSelect } from "~/ui/filter-select";
import { parseWithZod, SchemaForm, useSchemaForm, type FormReply } from "~/ui/form";
import { Kpi, KpiGrid } from "~/ui/kpi";
import { Notice } from "~/ui/notice";
import { PageHeader } from "~/ui/page-header";
import { Section } from "~/ui/section";
import { SpreadsheetField } from "~/ui/spreadsheet-field";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.study.name ?? "Undersøkelse"} – Innsikt` }];

const StateFilter = z.enum(ONBOARDING_STATES).optional().catch(undefined);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, study } = await requireStaffStudy(request, params);
  const state = StateFilter.parse(new URL(request.url).searchParams.get("state") ?? undefined);
  const [onboarding, uploads] = await Promise.all([listOnboarding(db, study.id, { state }), latestContactUploads(db, study.id)]);
  return { study: { year: study.year, name: study.name }, state: state ?? null, onboarding, uploads };
}

const UploadSchema = z.object({
  // A file input left empty sends a nameless empty file: no file. A named empty file is an empty file.
  file: z
    .custom<File>((value) => value instanceof Blob && (value.size > 0 || Boolean((value as File).name)), { error: "onboarding.upload.noFile" })
    .refine((file) => file.size > 0, { error: "onboarding.upload.empty" }),
});
const RemindSchema = z.object({ intent: z.literal("remind"), company: z.string().trim().min(1).max(200) });

type ActionData =
  | { kind: "upload"; reply: FormReply | null; error: MessageKey | null }
  | { kind: "remind"; company: string; count: number };

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, study, staff: { user } } = await requireStaffStudy(request, params);
  if (isUpload(request)) {
    const upload = await readUploadForm(request);
    if ("error" in upload) return data<ActionData>({ kind: "upload", reply: null, error: `onboarding.upload.${upload.error}` }, { status: upload.status });
    const submission = parseWithZod(upload.form, { schema: UploadSchema });
    if (submission.status !== "success") return data<ActionData>({ kind: "upload", reply: submission.reply(), error: null }, { status: 400 });
    const { file } = submission.value;
    const id = await createContactUpload(db, { studyId: study.id, fileName: file.name || "kontakter", bytes: new Uint8Array(await file.arrayBuffer()), userId: user.id });
    throw redirect(`/staff/studies/${study.year}/onboarding/contacts/${id}`);
  }
  const parsed = RemindSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) throw data(null, { status: 400 });
  const company = await findCompanyByCode(db, parsed.data.company);
  const count = company ? await remindCompany(db, { studyId: study.id, tenantId: company.id, userId: user.id }) : null;
  if (!company || count === null) throw data(null, { status: 404 });
  return data<ActionData>({ kind: "remind", company: company.name, count });
}

const STATE_TONE: Record<OnboardingState, string> = {
  signedIn: "bg-green-100 text-green-900",
  invited: "bg-amber-100 text-amber-900",
  nobody: "bg-gray-100 text-gray-900",
};

function UploadForm({ lastResult }: { lastResult: FormReply | null }) {
  const t = useT();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formEncType === "multipart/form-data";
  const [form, fields] = useSchemaForm(UploadSchema, { id: "contacts-upload", lastResult });
  return (
    <SchemaForm form={form} method="post" encType="multipart/form-data" className="space-y-3">
      <SpreadsheetField meta={fields.file} label={t("onboarding.upload.file")} help={t("onboarding.upload.help")} />
      <Button busy={busy}>{busy ? t("onboarding.upload.sending") : t("onboarding.upload.submit")}</Button>
    </SchemaForm>
  );
}

export default function OnboardingPage() {
  const { study, state, onboarding, uploads } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const locale = useLocale();
  type Company = (typeof onboarding.companies)[number];
  const reminding = (code: string) => navigation.state === "submitting" && navigation.formData?.get("company") === code;
  const columns: Column<Company>[] = [
    { key: "company", header: t("onboarding.col.company"), rowHeader: true, cell: (c) => <TextLink to={`/staff/companies/${c.code}`}>{c.name}</TextLink> },
    {
      key: "state",
      header: t("onboarding.col.state"),
      cell: (c) => <span className={`inline-block rounded px-2 py-0.5 text-sm ${STATE_TONE[c.state]}`}>{t(`onboarding.state.${c.state}`)}</span>,
    },
    { key: "members", header: t("onboarding.col.members"), numeric: true, cell: (c) => formatNumber(c.members, locale) },
    { key: "waiting", header: t("onboarding.col.waiting"), numeric: true, cell: (c) => formatNumber(c.waitingInvitations, locale) },
    { key: "last", header: t("onboarding.col.lastInvited"), className: "whitespace-nowrap", cell: (c) => (c.lastInvitedAt ? formatDateTime(new Date(c.lastInvitedAt), locale) : "–") },
    {
      key: "action",
      header: t("onboarding.col.action"),
      cell: (c) =>
        c.waitingInvitations > 0 ? (
          <Form method="post">
            <input type="hidden" name="company" value={c.code} />
            <Button name="intent" value="remind" tone="secondary" small busy={reminding(c.code)} aria-label={t("onboarding.remind.label", { company: c.name })}>
              {t("onboarding.remind")}
            </Button>
          </Form>
        ) : null,
    },
  ];
  return (
    <div className="space-y-8">
      <PageHeader title={t("onboarding.title")} intro={t("onboarding.intro")} back={<TextLink to={`/staff/studies/${study.year}`}>{study.name}</TextLink>} />

      {actionData?.kind === "remind" && (
        <Notice tone={actionData.count > 0 ? "success" : "info"}>
          {actionData.count > 0 ? t("onboarding.reminded", { count: actionData.count, company: actionData.company }) : t("onboarding.remind.nobody", { company: actionData.company })}
        </Notice>
      )}
      {actionData?.kind === "upload" && actionData.error && <Notice tone="error">{t(actionData.error)}</Notice>}

      <Section id="counts" title={t("onboarding.counts")} plain>
        <KpiGrid label={t("onboarding.counts")}>
          <Kpi label={t("onboarding.count.total")} value={formatNumber(onboarding.total, locale)} />
          {ONBOARDING_STATES.map((s) => (
            <Kpi key={s} label={t(`onboarding.state.${s}`)} value={<span data-count={s}>{formatNumber(onboarding.counts[s], locale)}</span>} />
          ))}
        </KpiGrid>
        <p className="mt-3 text-sm text-gray-700">{t("onboarding.auto")}</p>
      </Section>

      <Section id="upload" title={t("onboarding.upload.title")}>
        <UploadForm lastResult={actionData?.kind === "upload" ? actionData.reply : null} />
        {uploads.length > 0 && (
          <div className="mt-6">
            <h3 className="font-semibold">{t("onboarding.uploads.title")}</h3>
            <ul className="mt-2 space-y-1">
              {uploads.map((u) => (
                <li key={u.id}>
                  <TextLink to={`/staff/studies/${study.year}/onboarding/contacts/${u.id}`}>{u.fileName}</TextLink> – {formatDateTime(new Date(u.createdAt), locale)},{" "}
                  {u.sentAt ? t("onboarding.uploads.sent", { count: u.sentCount ?? 0 }) : t("onboarding.uploads.notSent")}
                </li>
              ))}
            </ul>
          </div>
        )}
      </Section>

      <Section id="companies" title={t("onboarding.companies")} plain>
        <Form method="get" className="mb-4 flex flex-wrap items-end gap-3">
          <FilterSelect id="state-filter" name="state" label={t("onboarding.filter")} value={state} any={t("onboarding.filter.all")} choices={ONBOARDING_STATES.map((s) => ({ value: s, label: t(`onboarding.state.${s}`) }))} />
          <Button tone="secondary">{t("onboarding.filter.submit")}</Button>
        </Form>
        <DataTable caption={t("onboarding.companies")} captionHidden columns={columns} rows={onboarding.companies} rowKey={(c) => c.tenantId} empty={t("onboarding.companies.none")} />
      </Section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
