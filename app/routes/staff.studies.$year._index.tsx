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
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireStaff, notFound } from "~/auth/guards.server";
import { getDatabase } from "#db/client.server";
import { formatDateTime, formatNumber } from "~/domain/format";
import { translate, useLocale, useT } from "~/i18n/i18n";
import { localeFromRequest } from "~/i18n/locale.server";
import { MAX_FILE_BYTES } from "~/models/studies/import-file.server";
import { createUpload, importHistory, latestUploads } from "~/models/studies/import-jobs.server";
import { IMPORT_KINDS, type ImportKind } from "~/models/studies/import.server";
import { getStudyByYear, MAX_STUDY_YEAR, MIN_STUDY_YEAR, NotPublishableError, publishStudyAs, studyReadiness } from "~/models/studies/study.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";

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

const isKind = (v: unknown): v is ImportKind => (IMPORT_KINDS as readonly unknown[]).includes(v);

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireStaff(request);
  const locale = localeFromRequest(request);
  const { db, study } = await loadStudy(params);

  if ((request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
    let form: FormData;
    try {
      form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_FILE_BYTES }));
    } catch (error) {
      if (error instanceof MaxPartSizeExceededError) {
        return data({ kind: null, error: translate(locale, "staff.upload.tooLarge") }, { status: 413 });
      }
      return data({ kind: null, error: translate(locale, "staff.upload.unreadable") }, { status: 400 });
    }
    const kind = form.get("kind");
    const file = form.get("file");
    if (!isKind(kind)) return data({ kind: null, error: translate(locale, "staff.upload.unreadable") }, { status: 400 });
    if (!(file instanceof Blob) || file.size === 0) {
      return data({ kind, error: translate(locale, file instanceof Blob && (file as File).name ? "staff.upload.empty" : "staff.upload.noFile") }, { status: 400 });
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    const uploadId = await createUpload(db, { studyId: study.id, kind, fileName: (file as File).name ?? "upload", bytes, userId: user.id });
    throw redirect(`/staff/uploads/${uploadId}`);
  }

  const form = await request.formData();
  if (form.get("intent") === "publish") {
    try {
      await publishStudyAs(db, study.id, user.id);
    } catch (error) {
      if (error instanceof NotPublishableError) return data({ kind: null, error: translate(locale, "staff.publish.notReady") }, { status: 409 });
      throw error;
    }
    throw redirect(`/staff/studies/${study.year}?published=1`);
  }
  return data({ kind: null, error: translate(locale, "staff.upload.unreadable") }, { status: 400 });
}

const KIND_ORDER: ImportKind[] = ["questionnaire", "participants", "results"];

export default function StudyPage() {
  const { study, readiness, history, uploads, staleSincePublish } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const locale = useLocale();
  const counts: Record<ImportKind, number> = { questionnaire: readiness.questions, participants: readiness.participants, results: readiness.inquiries };
  return (
    <div className="space-y-8">
      <div>
        <p className="text-sm">
          <Link to="/staff" className="text-blue-700 underline">
            {t("staff.studies.title")}
          </Link>
        </p>
        <h1 className="mt-1 text-3xl font-semibold">{study.name}</h1>
        <p className="mt-2 text-gray-700">
          {t("staff.study.status")}: <strong>{t(`status.${study.status}`)}</strong>
          {study.publishedAt && ` (${formatDateTime(new Date(study.publishedAt), locale)})`}
        </p>
      </div>

      {staleSincePublish && (
        <p role="status" className="rounded border border-amber-400 bg-amber-50 p-4 text-amber-900">
          {t("staff.study.staleSincePublish")}
        </p>
      )}
      {actionData?.error && !actionData.kind && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 p-4 text-red-800">
          {actionData.error}
        </p>
      )}

      <section aria-labelledby="files-title">
        <h2 id="files-title" className="text-xl font-semibold">
          {t("staff.study.files")}
        </h2>
        <p className="mt-1 text-gray-700">{t("staff.study.filesHelp")}</p>
        <ol className="mt-4 grid gap-4 md:grid-cols-3">
          {KIND_ORDER.map((kind, i) => {
            const busy = navigation.state === "submitting" && navigation.formData?.get("kind") === kind;
            const error = actionData?.kind === kind ? actionData.error : null;
            return (
              <li key={kind} className="rounded-lg bg-white p-5 shadow">
                <h3 className="text-lg font-semibold">
                  {i + 1}. {t(`staff.kind.${kind}`)}
                </h3>
                <p className="mt-1 text-sm text-gray-700">{t(`staff.kind.${kind}.count`, { count: counts[kind] })}</p>
                <Form method="post" encType="multipart/form-data" className="mt-4 space-y-3">
                  <input type="hidden" name="kind" value={kind} />
                  <div>
                    <label htmlFor={`file-${kind}`} className="block text-sm font-medium">
                      {t("staff.upload.file")}
                    </label>
                    <input
                      id={`file-${kind}`}
                      name="file"
                      type="file"
                      required
                      accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                      aria-describedby={`file-${kind}-help${error ? ` file-${kind}-error` : ""}`}
                      className="mt-1 block w-full text-sm"
                    />
                    <p id={`file-${kind}-help`} className="mt-1 text-xs text-gray-700">
                      {t("staff.upload.help")}
                    </p>
                  </div>
                  {error && (
                    <p id={`file-${kind}-error`} role="alert" className="text-sm text-red-700">
                      {error}
                    </p>
                  )}
                  <button type="submit" disabled={busy} className="rounded bg-blue-700 px-3 py-2 text-sm font-medium text-white hover:bg-blue-800 disabled:opacity-60">
                    {busy ? t("staff.upload.sending") : t("staff.upload.submit")}
                  </button>
                </Form>
              </li>
            );
          })}
        </ol>
      </section>

      <section aria-labelledby="publish-title" className="rounded-lg bg-white p-6 shadow">
        <h2 id="publish-title" className="text-xl font-semibold">
          {t("staff.publish.title")}
        </h2>
        <p className="mt-1 text-gray-700">{study.status === "published" ? t("staff.publish.again") : t("staff.publish.help")}</p>
        <Form method="post" className="mt-4">
          <button
            type="submit"
            name="intent"
            value="publish"
            disabled={!readiness.publishable || navigation.state === "submitting"}
            className="rounded bg-green-800 px-4 py-2 font-medium text-white hover:bg-green-900 disabled:opacity-60">
            {study.status === "published" ? t("staff.publish.submitAgain") : t("staff.publish.submit")}
          </button>
          {!readiness.publishable && <p className="mt-2 text-sm text-gray-700">{t("staff.publish.notReady")}</p>}
        </Form>
      </section>

      <section aria-labelledby="uploads-title">
        <h2 id="uploads-title" className="text-xl font-semibold">
          {t("staff.uploads.title")}
        </h2>
        {uploads.length === 0 ? (
          <p className="mt-2 text-gray-700">{t("staff.uploads.none")}</p>
        ) : (
          <ul className="mt-2 space-y-1">
            {uploads.map((u) => (
              <li key={u.id}>
                <Link to={`/staff/uploads/${u.id}`} className="text-blue-700 underline">
                  {u.fileName}
                </Link>{" "}
                – {t(`staff.kind.${u.kind}`)}, {t(`staff.uploadStatus.${u.status as "previewed"}`)}, {formatDateTime(new Date(u.createdAt), locale)}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="history-title">
        <h2 id="history-title" className="text-xl font-semibold">
          {t("staff.history.title")}
        </h2>
        {history.length === 0 ? (
          <p className="mt-2 text-gray-700">{t("staff.history.none")}</p>
        ) : (
          <div className="mt-3 overflow-x-auto rounded-lg bg-white shadow">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">{t("staff.history.title")}</caption>
              <thead>
                <tr className="border-b border-gray-300">
                  <th scope="col" className="px-3 py-2">{t("staff.history.when")}</th>
                  <th scope="col" className="px-3 py-2">{t("staff.history.kind")}</th>
                  <th scope="col" className="px-3 py-2">{t("staff.history.file")}</th>
                  <th scope="col" className="px-3 py-2">{t("staff.history.by")}</th>
                  <th scope="col" className="px-3 py-2 text-right">{t("staff.history.rows")}</th>
                  <th scope="col" className="px-3 py-2 text-right">{t("staff.diff.added")}</th>
                  <th scope="col" className="px-3 py-2 text-right">{t("staff.diff.changed")}</th>
                  <th scope="col" className="px-3 py-2 text-right">{t("staff.diff.removed")}</th>
                  <th scope="col" className="px-3 py-2">{t("staff.history.checksum")}</th>
                </tr>
              </thead>
              <tbody>
                {history.map((h) => (
                  <tr key={h.id} className="border-b border-gray-100">
                    <td className="px-3 py-2 whitespace-nowrap">{formatDateTime(new Date(h.createdAt), locale)}</td>
                    <td className="px-3 py-2">{t(`staff.kind.${h.kind}`)}</td>
                    <td className="px-3 py-2">{h.fileName}</td>
                    <td className="px-3 py-2">{h.createdBy ?? t("staff.audit.commandLine")}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{formatNumber(h.rowCount, locale)}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{formatNumber(h.counts.added, locale)}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{formatNumber(h.counts.changed, locale)}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{formatNumber(h.counts.removed, locale)}</td>
                    <td className="px-3 py-2 font-mono text-xs" title={h.checksum}>
                      {h.checksum.slice(0, 12)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
