import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { notFound } from "~/auth/guards.server";
import { requireStaffStudy } from "~/auth/staff-study.server";
import { formatDateTime, formatNumber } from "~/domain/format";
import { useLocale, useT } from "~/i18n/i18n";
import { SENT_STATUSES, type ContactStatus } from "~/domain/onboarding";
import { ContactsRefusedError, getContactUpload, previewContacts, sendContacts } from "~/models/accounts/onboarding.server";
import { Button, TextLink } from "~/ui/button";
import { DataTable, type Column } from "~/ui/data-table";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { Kpi, KpiGrid } from "~/ui/kpi";
import { Notice } from "~/ui/notice";
import { PageHeader } from "~/ui/page-header";
import { ProblemsTable } from "~/ui/problems-table";
import { Section } from "~/ui/section";

export const meta: MetaFunction = () => [{ title: "Kontaktfil – Innsikt" }];

async function load(request: Request, params: { year?: string; id?: string }) {
  const context = await requireStaffStudy(request, params);
  const upload = params.id ? await getContactUpload(context.db, context.study.id, params.id) : null;
  if (!upload) throw notFound();
  return { ...context, upload };
}

/** The preview is computed again from the stored file on every load, against today's members and invitations. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, study, upload } = await load(request, params);
  const preview = await previewContacts(db, study, upload.bytes);
  return {
    study: { year: study.year, name: study.name },
    upload: { id: upload.id, fileName: upload.fileName, sentAt: upload.sentAt?.toISOString() ?? null, sentCount: upload.sentCount },
    preview,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, study, upload, staff } = await load(request, params);
  const form = await request.formData();
  if (form.get("intent") !== "send") throw data(null, { status: 400 });
  try {
    const { sent } = await sendContacts(db, { study, bytes: upload.bytes, fileName: upload.fileName, userId: staff.user.id, uploadId: upload.id });
    return data({ sent, refused: false });
  } catch (error) {
    if (error instanceof ContactsRefusedError) return data({ sent: 0, refused: true }, { status: 409 });
    throw error;
  }
}

const STATUS_ORDER: ContactStatus[] = ["new", "expired", "invited", "member"];

export default function ContactsPreviewPage() {
  const { study, upload, preview } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const locale = useLocale();
  const back = <TextLink to={`/staff/studies/${study.year}/onboarding`}>{t("onboarding.back")}</TextLink>;
  const title = t("onboarding.preview.title", { file: upload.fileName });

  if (!preview.ok) {
    return (
      <div className="space-y-6">
        <PageHeader title={title} back={back} />
        {actionData?.refused && <Notice tone="error">{t("onboarding.refused")}</Notice>}
        <Section id="problems" title={t("onboarding.problems.title", { count: preview.problems.length })} description={t("onboarding.problems.help")} plain>
          <ProblemsTable problems={preview.problems} />
        </Section>
      </div>
    );
  }

  type Contact = (typeof preview.contacts)[number];
  const toSend = preview.counts.new + preview.counts.expired;
  const sending = navigation.state === "submitting" && navigation.formData?.get("intent") === "send";
  const columns: Column<Contact>[] = [
    { key: "row", header: t("onboarding.col.row"), numeric: true, cell: (c) => c.rowNumber },
    { key: "company", header: t("onboarding.col.company"), cell: (c) => c.companyName },
    { key: "email", header: t("onboarding.col.email"), rowHeader: true, className: "whitespace-nowrap", cell: (c) => c.email },
    { key: "name", header: t("onboarding.col.name"), cell: (c) => c.name ?? "–" },
    { key: "role", header: t("onboarding.col.role"), cell: (c) => t(`onboarding.role.${c.role}`) },
    { key: "status", header: t("onboarding.col.state"), cell: (c) => <span data-status={c.status}>{t(`onboarding.status.${c.status}`)}</span> },
  ];
  return (
    <div className="space-y-6">
      <PageHeader title={title} back={back} />
      {actionData && !actionData.refused && <Notice tone="success">{t("onboarding.sent", { count: actionData.sent })}</Notice>}
      <Section id="summary" title={t("onboarding.preview.summary")}>
        <KpiGrid columns={5} label={t("onboarding.preview.summary")}>
          <Kpi label={t("onboarding.preview.rows")} value={formatNumber(preview.contacts.length, locale)} />
          {STATUS_ORDER.map((s) => (
            <Kpi key={s} label={t(`onboarding.status.${s}`)} value={<span data-count={s}>{formatNumber(preview.counts[s], locale)}</span>} />
          ))}
        </KpiGrid>
        {upload.sentAt && <p className="mt-3 text-sm text-gray-700">{t("onboarding.sent.at", { when: formatDateTime(new Date(upload.sentAt), locale), count: upload.sentCount ?? 0 })}</p>}
        <div className="mt-4">
          {toSend > 0 ? (
            <Form method="post">
              <Button name="intent" value="send" busy={sending}>
                {sending ? t("onboarding.send.busy") : t("onboarding.send", { count: toSend })}
              </Button>
            </Form>
          ) : (
            <p>{t("onboarding.send.nothing")}</p>
          )}
        </div>
      </Section>
      <Section id="contacts" title={t("onboarding.preview.caption")} plain>
        <DataTable
          caption={t("onboarding.preview.caption")}
          captionHidden
          columns={columns}
          rows={[...preview.contacts].sort((a, b) => Number(!SENT_STATUSES.includes(a.status)) - Number(!SENT_STATUSES.includes(b.status)) || a.rowNumber - b.rowNumber)}
          rowKey={(c) => String(c.rowNumber)}
          empty="–"
        />
      </Section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
