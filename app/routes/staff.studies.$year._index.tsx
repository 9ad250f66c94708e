import {
  data,
  redirect,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  MaxPartSizeExceededError,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import * as z from "zod";
import { requireStaff, notFound } from "~/auth/guards.server";
import { getDatabase } from "#db/client.server";
import { formatDateTime, formatNumber } from "~/domain/format";
import { useLocale, useT, type MessageKey } from "~/i18n/i18n";
import { MAX_FILE_BYTES } from "~/models/studies/import-file.server";
import { createUpload, importHistory, latestUploads } from "~/models/studies/import-jobs.server";
import { IMPORT_KINDS, MAX_STUDY_YEAR, MIN_STUDY_YEAR, type ImportKind } from "~/domain/types";
import { getStudyByYear, NotPublishableError, publishStudyAs, studyReadiness } from "~/models/studies/study.server";
import { Button, TextLink } from "~/ui/button";
import { DataTable, type Column } from "~/ui/data-table";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { parseWithZod, SchemaForm, TextField, useSchemaForm, type FormReply } from "~/ui/form";
import { Notice } from "~/ui/notice";
import { PageHeader } from "~/ui/page-header";
import { Card, Section } from "~/ui/section";
import { StudyAwardsPanels } from "~/ui/staff-awards";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.study.name ?? "Undersøkelse"} – Innsikt` }];

async function loadStudy(params: { year?: string }) {
  const year = Number(params.year);
  if (!Number.isInteger(year) || year < MIN_STUDY_YEAR || year > MAX_STUDY_YEAR) throw notFound();
  const { db } = await getDatabase();
  const study = await getStudyByYear(db, year);
  if (!study) throw notFound();
  return { db, study };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request);
  const { db, study } = await loadStudy(params);
  const [readiness, history, uploads] = await Promise.all([studyReadiness(db, study.id), importHistory(db, study.id), latestUploads(db, study.id)]);
  const staleSincePublish = Boolean(study.publishedAt && readiness.lastImportAt && readiness.lastImportAt > study.publishedAt);
  return { study, readiness, history, uploads, staleSincePublish };
}

const UploadSchema = z.object({
  kind: z.enum(IMPORT_KINDS),
  // A file input left empty sends a nameless empty file: no file. A named empty file is an empty file.
  file: z
    .custom<File>((value) => value instanceof Blob && (value.size > 0 || Boolean((value as File).name)), { error: "staff.upload.noFile" })
    .refine((file) => file.size > 0, { error: "staff.upload.empty" }),
});

type ActionData = { kind: ImportKind | null; reply: FormReply | null; error: MessageKey | null };
const pageError = (error: MessageKey, status: number) => data<ActionData>({ kind: null, reply: null, error }, { status });

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireStaff(request);
  const { db, study } = await loadStudy(params);

  if ((request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
    let form: FormData;
    try {
      form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_FILE_BYTES }));
    } catch (error) {
      return pageError(error instanceof MaxPartSizeExceededError ? "staff.upload.tooLarge" : "staff.upload.unreadable", error instanceof MaxPartSizeExceededError ? 413 : 400);
    }
    const submission = parseWithZod(form, { schema: UploadSchema });
    if (submission.status !== "success") {
      const kind = UploadSchema.shape.kind.safeParse(form.get("kind"));
      if (!kind.success) return pageError("staff.upload.unreadable", 400);
      return data<ActionData>({ kind: kind.data, reply: submission.reply(), error: null }, { status: 400 });
    }
    const { kind, file } = submission.value;
    const bytes = new Uint8Array(await file.arrayBuffer());
    const uploadId = await createUpload(db, { studyId: study.id, kind, fileName: file.name || "upload", bytes, userId: user.id });
    throw redirect(`/staff/uploads/${uploadId}`);
  }

  const form = await request.formData();
  if (form.get("intent") === "publish") {
    try {
      await publishStudyAs(db, study.id, user.id);
    } catch (error) {
      if (error instanceof NotPublishableError) return pageError("staff.publish.notReady", 409);
      throw error;
    }
    throw redirect(`/staff/studies/${study.year}?published=1`);
  }
  return pageError("staff.upload.unreadable", 400);
}

const KIND_ORDER: ImportKind[] = ["questionnaire", "participants", "results"];

function UploadForm({ kind, step, count, lastResult }: { kind: ImportKind; step: number; count: number; lastResult: FormReply | null }) {
  const t = useT();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("kind") === kind;
  const [form, fields] = useSchemaForm(UploadSchema, { id: `upload-${kind}`, lastResult });
  return (
    <Card className="h-full">
      <h3 className="text-lg font-semibold">
        {step}. {t(`staff.kind.${kind}`)}
      </h3>
      <p className="mt-1 text-sm text-gray-700">{t(`staff.kind.${kind}.count`, { count })}</p>
      <SchemaForm form={form} method="post" encType="multipart/form-data" className="mt-4 space-y-3">
        <input type="hidden" name="kind" value={kind} />
        <TextField
          meta={fields.file}
          type="file"
          label={t("staff.upload.file")}
          help={t("staff.upload.help")}
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        />
        <Button busy={busy}>
          {busy ? t("staff.upload.sending") : t("staff.upload.submit")}
        </Button>
      </SchemaForm>
    </Card>
  );
}

export default function StudyPage() {
  const { study, readiness, history, uploads, staleSincePublish } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const locale = useLocale();
  const counts: Record<ImportKind, number> = { questionnaire: readiness.questions, participants: readiness.participants, results: readiness.inquiries };
  type Import = (typeof history)[number];
  const historyColumns: Column<Import>[] = [
    { key: "when", header: t("staff.history.when"), className: "whitespace-nowrap", cell: (h) => formatDateTime(new Date(h.createdAt), locale) },
    { key: "kind", header: t("staff.history.kind"), cell: (h) => t(`staff.kind.${h.kind}`) },
    { key: "file", header: t("staff.history.file"), cell: (h) => h.fileName },
    { key: "by", header: t("staff.history.by"), cell: (h) => h.createdBy ?? t("staff.audit.commandLine") },
    { key: "rows", header: t("staff.history.rows"), numeric: true, cell: (h) => formatNumber(h.rowCount, locale) },
    { key: "added", header: t("staff.diff.added"), numeric: true, cell: (h) => formatNumber(h.counts.added, locale) },
    { key: "changed", header: t("staff.diff.changed"), numeric: true, cell: (h) => formatNumber(h.counts.changed, locale) },
    { key: "removed", header: t("staff.diff.removed"), numeric: true, cell: (h) => formatNumber(h.counts.removed, locale) },
    { key: "checksum", header: t("staff.history.checksum"), cell: (h) => <span className="font-mono text-xs" title={h.checksum}>{h.checksum.slice(0, 12)}</span> },
  ];
  return (
    <div className="space-y-8">
      <PageHeader
        title={study.name}
        intro={
          <>
            {t("staff.study.status")}: <strong>{t(`status.${study.status}`)}</strong>
            {study.publishedAt && ` (${formatDateTime(new Date(study.publishedAt), locale)})`}
          </>
        }
        back={<TextLink to="/staff">{t("staff.studies.title")}</TextLink>}
      />

      {staleSincePublish && <Notice tone="warning">{t("staff.study.staleSincePublish")}</Notice>}
      {actionData?.error && <Notice tone="error">{t(actionData.error)}</Notice>}

      <Section id="files" title={t("staff.study.files")} description={t("staff.study.filesHelp")} plain>
        <ol className="grid gap-4 md:grid-cols-3">
          {KIND_ORDER.map((kind, i) => (
            <li key={kind}>
              <UploadForm kind={kind} step={i + 1} count={counts[kind]} lastResult={actionData?.kind === kind ? actionData.reply : null} />
            </li>
          ))}
        </ol>
      </Section>

      <Section id="publish" title={t("staff.publish.title")} description={study.status === "published" ? t("staff.publish.again") : t("staff.publish.help")}>
        <Form method="post">
          <Button name="intent" value="publish" disabled={!readiness.publishable} busy={navigation.state === "submitting" && navigation.formData?.get("intent") === "publish"}>
            {study.status === "published" ? t("staff.publish.submitAgain") : t("staff.publish.submit")}
          </Button>
          {!readiness.publishable && <p className="mt-2 text-sm text-gray-700">{t("staff.publish.notReady")}</p>}
        </Form>
      </Section>

      <StudyAwardsPanels year={study.year} />

      <Section id="uploads" title={t("staff.uploads.title")} plain>
        {uploads.length === 0 ? (
          <p className="text-gray-700">{t("staff.uploads.none")}</p>
        ) : (
          <ul className="space-y-1">
            {uploads.map((u) => (
              <li key={u.id}>
                <TextLink to={`/staff/uploads/${u.id}`}>{u.fileName}</TextLink> – {t(`staff.kind.${u.kind}`)}, {t(`staff.uploadStatus.${u.status as "previewed"}`)},{" "}
                {formatDateTime(new Date(u.createdAt), locale)}
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section id="history" title={t("staff.history.title")} plain>
        <DataTable caption={t("staff.history.title")} captionHidden columns={historyColumns} rows={history} rowKey={(h) => String(h.id)} empty={t("staff.history.none")} />
      </Section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
