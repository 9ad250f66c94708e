import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect, useState } from "react";
import { notFound, requireStaff } from "~/auth/guards.server";
import { getDatabase } from "#db/client.server";
import { formatNumber } from "~/domain/format";
import { useLocale, useT } from "~/i18n/i18n";
import { cancelUpload, commitUpload, getUploadWithStudy } from "~/models/studies/import-jobs.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";

export const meta: MetaFunction = () => [{ title: "Import – Innsikt" }];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function load(params: { id?: string }) {
  if (!params.id || !UUID.test(params.id)) throw notFound();
  const { db } = await getDatabase();
  const found = await getUploadWithStudy(db, params.id);
  if (!found) throw notFound();
  return { db, ...found };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request);
  const { upload, study } = await load(params);
  return { upload, study };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireStaff(request);
  const { db, upload, study } = await load(params);
  const form = await request.formData();
  if (form.get("intent") === "commit") {
    if ((await commitUpload(db, upload.id, user.id)) === "not-committable") return data({ error: "not-committable" }, { status: 409 });
    throw redirect(`/staff/uploads/${upload.id}`);
  }
  if (form.get("intent") === "cancel") await cancelUpload(db, upload.id);
  throw redirect(`/staff/studies/${study.year}`);
}

function useProgress(id: string, running: boolean) {
  const revalidator = useRevalidator();
  const [progress, setProgress] = useState<{ phase: string; done: number; total: number } | null>(null);
  useEffect(() => {
    if (!running) return;
    let stop = false;
    const tick = async () => {
      if (stop) return;
      try {
        const response = await fetch(`/staff/upload-progress/${id}`, { headers: { Accept: "application/json" } });
        const body = (await response.json()) as { running: boolean; phase: string; done: number; total: number };
        if (!body.running) {
          revalidator.revalidate();
          return;
        }
        setProgress(body);
      } catch {
        // try again on the next tick
      }
      setTimeout(tick, 400);
    };
    void tick();
    return () => {
      stop = true;
    };
  }, [id, running]);
  return progress;
}

export default function UploadPage() {
  const { upload, study } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const running = upload.status === "checking" || upload.status === "importing";
  const live = useProgress(upload.id, running);
  const progress = live ?? upload.job;
  const diff = upload.outcome.diff;
  const problems = upload.outcome.problems ?? [];
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link to={`/staff/studies/${study.year}`} className="text-blue-700 underline">
          {study.name}
        </Link>
      </p>
      <h1 className="text-3xl font-semibold">
        {t(`staff.kind.${upload.kind}`)}: {upload.fileName}
      </h1>

      {running && (
        <section aria-labelledby="progress-label" className="rounded-lg bg-white p-6 shadow">
          <p id="progress-label" className="font-medium">
            {upload.status === "checking" ? t("staff.progress.checking") : t("staff.progress.importing")}
            {progress && ` – ${t(`staff.phase.${progress.phase as "reading"}`)}`}
          </p>
          <progress
            className="mt-3 h-3 w-full"
            aria-labelledby="progress-label"
            max={progress?.total || 1}
            value={progress ? progress.done : undefined}
          />
          <p className="mt-2 text-sm text-gray-700" aria-live="polite">
            {progress ? t("staff.progress.rows", { done: formatNumber(progress.done, locale), count: progress.total }) : ""}
          </p>
          <noscript>
            <a href={`/staff/uploads/${upload.id}`} className="text-blue-700 underline">
              {t("staff.progress.reload")}
            </a>
          </noscript>
        </section>
      )}

      {upload.status === "failed" && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 p-4 text-red-800">
          {t("staff.upload.failed")}
        </p>
      )}

      {upload.status === "unchanged" && (
        <p role="status" className="rounded border border-gray-300 bg-white p-4">
          {diff ? t("staff.upload.unchangedContent", { count: diff.rows }) : t("staff.upload.unchangedFile")}
        </p>
      )}

      {upload.status === "refused" && (
        <section aria-labelledby="problems-title" className="rounded-lg border border-red-300 bg-white p-6">
          <h2 id="problems-title" className="text-xl font-semibold text-red-800">
            {t("staff.problems.title", { count: problems.length })}
          </h2>
          <p className="mt-1 text-gray-700">{upload.outcome.truncated ? t("staff.problems.truncated") : t("staff.problems.help")}</p>
          <div className="mt-4 max-h-[32rem] overflow-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">{t("staff.problems.caption")}</caption>
              <thead className="sticky top-0 bg-white">
                <tr className="border-b border-gray-300">
                  <th scope="col" className="px-3 py-2 text-right">{t("staff.problems.row")}</th>
                  <th scope="col" className="px-3 py-2">{t("staff.problems.column")}</th>
                  <th scope="col" className="px-3 py-2">{t("staff.problems.value")}</th>
                  <th scope="col" className="px-3 py-2">{t("staff.problems.reason")}</th>
                </tr>
              </thead>
              <tbody>
                {problems.map((p, i) => (
                  <tr key={i} className="border-b border-gray-100 align-top">
                    <td className="px-3 py-2 text-right tabular-nums">{p.row > 0 ? p.row : "–"}</td>
                    <td className="px-3 py-2 font-mono">{p.column || "–"}</td>
                    <td className="px-3 py-2 font-mono break-all">{p.value}</td>
                    <td className="px-3 py-2">{p.message[locale]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}

      {diff && (upload.status === "previewed" || upload.status === "imported") && (
        <section aria-labelledby="diff-title" className="rounded-lg bg-white p-6 shadow">
          <h2 id="diff-title" className="text-xl font-semibold">
            {upload.status === "imported" ? t("staff.diff.imported") : t("staff.diff.preview")}
          </h2>
          <dl className="mt-4 grid grid-cols-2 gap-4 sm:grid-cols-5">
            {(
              [
                ["rows", diff.rows],
                ["added", diff.added],
                ["changed", diff.changed],
                ["removed", diff.removed],
                ["unchanged", diff.unchanged],
              ] as const
            ).map(([key, value]) => (
              <div key={key}>
                <dt className="text-sm text-gray-700">{t(`staff.diff.${key}`)}</dt>
                <dd className="text-2xl font-semibold tabular-nums">{formatNumber(value, locale)}</dd>
              </div>
            ))}
          </dl>
          {(["added", "changed", "removed"] as const).map((key) =>
            diff.samples[key].length > 0 ? (
              <details key={key} className="mt-4">
                <summary className="cursor-pointer font-medium">
                  {t(`staff.diff.${key}`)} ({formatNumber(diff[key], locale)})
                </summary>
                <p className="mt-2 font-mono text-sm break-words">
                  {diff.samples[key].join(", ")}
                  {diff[key] > diff.samples[key].length ? " …" : ""}
                </p>
              </details>
            ) : null,
          )}
          {upload.status === "previewed" && upload.outcome.rechecked && (
            <p role="status" className="mt-4 rounded border border-amber-400 bg-amber-50 p-3 text-amber-950">
              {t("staff.diff.rechecked")}
            </p>
          )}
          {upload.status === "previewed" && study.status === "published" && (
            <p role="note" className="mt-4 rounded border border-amber-400 bg-amber-50 p-3 text-amber-950">
              {t("staff.diff.published")}
            </p>
          )}
          {upload.status === "previewed" && (
            <div className="mt-6 flex flex-wrap gap-3">
              {diff.added + diff.changed + diff.removed > 0 ? (
                <Form method="post">
                  <button type="submit" name="intent" value="commit" className="rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800">
                    {t("staff.diff.commit")}
                  </button>
                </Form>
              ) : (
                <p>{t("staff.diff.nothing")}</p>
              )}
              <Form method="post">
                <button type="submit" name="intent" value="cancel" className="rounded border border-gray-400 px-4 py-2 font-medium hover:bg-gray-50">
                  {t("staff.diff.cancel")}
                </button>
              </Form>
            </div>
          )}
          {upload.status === "imported" && (
            <p className="mt-4">
              <Link to={`/staff/studies/${study.year}`} className="font-medium text-blue-700 underline">
                {t("staff.diff.backToStudy")}
              </Link>
            </p>
          )}
        </section>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
