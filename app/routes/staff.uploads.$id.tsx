import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect, useState } from "react";
import { notFound, requireStaff } from "~/auth/guards.server";
import { getDatabase } from "#db/client.server";
import { formatNumber } from "~/domain/format";
import { useLocale, useT } from "~/i18n/i18n";
import { cancelUpload, commitUpload, getUploadWithStudy } from "~/models/studies/import-jobs.server";
import { Button, TextLink } from "~/ui/button";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { Notice } from "~/ui/notice";
import { PageHeader } from "~/ui/page-header";
import { ProblemsTable } from "~/ui/problems-table";
import { Card, Section } from "~/ui/section";

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
  const navigation = useNavigation();
  const running = upload.status === "checking" || upload.status === "importing";
  const live = useProgress(upload.id, running);
  const progress = live ?? upload.job;
  const diff = upload.outcome.diff;
  const problems = upload.outcome.problems ?? [];
  const sending = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  return (
    <div className="space-y-6">
      <PageHeader title={`${t(`staff.kind.${upload.kind}`)}: ${upload.fileName}`} back={<TextLink to={`/staff/studies/${study.year}`}>{study.name}</TextLink>} />

      {running && (
        <Card>
          <p id="progress-label" className="font-medium">
            {upload.status === "checking" ? t("staff.progress.checking") : t("staff.progress.importing")}
            {progress && ` – ${t(`staff.phase.${progress.phase as "reading"}`)}`}
          </p>
          <progress className="mt-3 h-3 w-full" aria-labelledby="progress-label" max={progress?.total || 1} value={progress ? progress.done : undefined} />
          <p className="mt-2 text-sm text-gray-700" aria-live="polite">
            {progress ? t("staff.progress.rows", { done: formatNumber(progress.done, locale), count: progress.total }) : ""}
          </p>
          <noscript>
            <a href={`/staff/uploads/${upload.id}`} className="text-blue-700 underline">
              {t("staff.progress.reload")}
            </a>
          </noscript>
        </Card>
      )}

      {upload.status === "failed" && <Notice tone="error">{t("staff.upload.failed")}</Notice>}

      {upload.status === "unchanged" && (
        <Notice tone="info">{diff ? t("staff.upload.unchangedContent", { count: diff.rows }) : t("staff.upload.unchangedFile")}</Notice>
      )}

      {upload.status === "refused" && (
        <Section id="problems" title={t("staff.problems.title", { count: problems.length })} description={upload.outcome.truncated ? t("staff.problems.truncated") : t("staff.problems.help")} plain>
          <ProblemsTable problems={problems} />
        </Section>
      )}

      {diff && (upload.status === "previewed" || upload.status === "imported") && (
        <Section id="diff" title={upload.status === "imported" ? t("staff.diff.imported") : t("staff.diff.preview")}>
          <dl className="grid grid-cols-2 gap-4 sm:grid-cols-5">
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
            <Notice tone="warning" className="mt-4">
              {t("staff.diff.rechecked")}
            </Notice>
          )}
          {upload.status === "previewed" && study.status === "published" && (
            <Notice tone="warning" live={false} className="mt-4">
              {t("staff.diff.published")}
            </Notice>
          )}
          {upload.status === "previewed" && (
            <div className="mt-6 flex flex-wrap items-center gap-3">
              {diff.added + diff.changed + diff.removed > 0 ? (
                <Form method="post">
                  <Button name="intent" value="commit" busy={sending("commit")}>
                    {t("staff.diff.commit")}
                  </Button>
                </Form>
              ) : (
                <p>{t("staff.diff.nothing")}</p>
              )}
              <Form method="post">
                <Button name="intent" value="cancel" tone="secondary" busy={sending("cancel")}>
                  {t("staff.diff.cancel")}
                </Button>
              </Form>
            </div>
          )}
          {upload.status === "imported" && (
            <p className="mt-4">
              <TextLink to={`/staff/studies/${study.year}`}>{t("staff.diff.backToStudy")}</TextLink>
            </p>
          )}
        </Section>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
