import { QUERY_STATES } from "~/domain/query-rules";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useEffect, useState } from "react";
import * as z from "zod";
import { requireStaffStudy } from "~/auth/staff-study.server";
import { isUpload, readUploadForm } from "~/auth/upload-form.server";
import { formatDateTime, formatDuration, formatNumber } from "~/domain/format";
import { osloClock, parseOsloDateTime } from "~/domain/oslo-time";
import { useLocale, useT, type MessageKey } from "~/i18n/i18n";
import { createUpload, importHistory, latestUploads } from "~/models/studies/import-jobs.server";
import { IMPORT_KINDS, type ImportKind } from "~/domain/types";
import { NotPublishableError, publishStudyAs, studyReadiness } from "~/models/studies/study.server";
import { queryCounts } from "~/models/studies/queries.server";
import { cancelScheduledPublication, openReview, reviewIsOpen, schedulePublication, SeasonError } from "~/models/studies/season.server";
import { Button, ButtonLink, TextLink } from "~/ui/button";
import { DataTable, type Column } from "~/ui/data-table";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { withParams } from "~/ui/field";
import { ErrorSummary, parseWithZod, SchemaForm, TextField, useSchemaForm, type FormReply } from "~/ui/form";
import { Notice } from "~/ui/notice";
import { PageHeader } from "~/ui/page-header";
import { Card, Section } from "~/ui/section";
import { SpreadsheetField } from "~/ui/spreadsheet-field";
import { StudyAwardsPanels } from "~/ui/staff-awards";
import { StudyReportsPanel } from "~/ui/staff-reports";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.study.name ?? "Undersøkelse"} – Innsikt` }];


export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, study } = await requireStaffStudy(request, params);
  const [readiness, history, uploads, counts] = await Promise.all([studyReadiness(db, study.id), importHistory(db, study.id), latestUploads(db, study.id), queryCounts(db, study.id)]);
  const staleSincePublish = Boolean(study.publishedAt && readiness.lastImportAt && readiness.lastImportAt > study.publishedAt);
  const now = Date.now();
  return { study, readiness, history, uploads, staleSincePublish, queryCounts: counts, reviewOpen: reviewIsOpen(study, new Date(now)), now };
}

// ---- the season: review window and scheduled publication (spec/season.md) -----------------

/** An instant as a datetime-local value in Oslo time: 2021-04-20T16:00. */
function osloInputValue(date: Date | string | null): string | undefined {
  if (!date) return undefined;
  const c = osloClock(new Date(date));
  return `${c.year}-${c.month}-${c.day}T${c.hour}:${c.minute}`;
}

/**
 * An Oslo wall-clock time in the future. A time the spring skips and a time already past are
 * refused with the CLI's meaning; the model checks the future again (the server's clock decides).
 */
const futureOsloTime = (past: MessageKey) =>
  z
    .string({ error: "staffSeason.time.required" })
    .trim()
    .min(1, { error: "staffSeason.time.required" })
    .transform((text, ctx) => {
      const parsed = parseOsloDateTime(text);
      const value = text.replace("T", " ");
      if (!parsed.ok) {
        ctx.addIssue({ code: "custom", message: parsed.reason === "nonexistent" ? withParams("staffSeason.time.nonexistent", { value }) : "staffSeason.time.invalid" });
        return z.NEVER;
      }
      if (parsed.date.getTime() <= Date.now()) {
        ctx.addIssue({ code: "custom", message: withParams(past, { value }) });
        return z.NEVER;
      }
      return parsed.date;
    });

const ReviewSchema = z.object({ until: futureOsloTime("staffSeason.review.past") });
const ScheduleSchema = z.object({ at: futureOsloTime("staffSeason.schedule.past") });
type SeasonIntent = "review" | "schedule" | "cancel-schedule";

const UploadSchema = z.object({
  kind: z.enum(IMPORT_KINDS),
  // A file input left empty sends a nameless empty file: no file. A named empty file is an empty file.
  file: z
    .custom<File>((value) => value instanceof Blob && (value.size > 0 || Boolean((value as File).name)), { error: "staff.upload.noFile" })
    .refine((file) => file.size > 0, { error: "staff.upload.empty" }),
});

type ActionData = { kind: ImportKind | null; reply: FormReply | null; error: MessageKey | null; intent?: SeasonIntent };
const pageError = (error: MessageKey, status: number) => data<ActionData>({ kind: null, reply: null, error }, { status });
const seasonRefused = (intent: SeasonIntent, reply: FormReply, status = 400) => data<ActionData>({ kind: null, reply, error: null, intent }, { status });

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, study, staff: { user } } = await requireStaffStudy(request, params);

  if (isUpload(request)) {
    const upload = await readUploadForm(request);
    if ("error" in upload) return pageError(`staff.upload.${upload.error}`, upload.status);
    const { form } = upload;
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
  const intent = form.get("intent");
  if (intent === "review" || intent === "schedule") {
    const submission = intent === "review" ? parseWithZod(form, { schema: ReviewSchema }) : parseWithZod(form, { schema: ScheduleSchema });
    if (submission.status !== "success") return seasonRefused(intent, submission.reply());
    const notReady = intent === "review" ? "staffSeason.review.notReady" : "staffSeason.schedule.notReady";
    if (!(await studyReadiness(db, study.id)).publishable) return seasonRefused(intent, submission.reply({ formErrors: [notReady] }), 409);
    const value = submission.value as { until?: Date; at?: Date };
    try {
      if (intent === "review") {
        const { opened } = await openReview(db, study.id, { until: value.until!, userId: user.id });
        throw redirect(`/staff/studies/${study.year}?season=${opened ? "opened" : "moved"}#season-title`);
      }
      await schedulePublication(db, study.id, { at: value.at!, userId: user.id });
      throw redirect(`/staff/studies/${study.year}?season=scheduled#season-title`);
    } catch (error) {
      if (error instanceof NotPublishableError) return seasonRefused(intent, submission.reply({ formErrors: [notReady] }), 409);
      if (error instanceof SeasonError) {
        const typed = String(form.get(intent === "review" ? "until" : "at") ?? "").replace("T", " ");
        const message = error.code === "published" ? "staffSeason.published" : withParams(intent === "review" ? "staffSeason.review.past" : "staffSeason.schedule.past", { value: typed });
        return seasonRefused(intent, submission.reply({ formErrors: [message] }), error.code === "published" ? 409 : 400);
      }
      throw error;
    }
  }
  if (intent === "cancel-schedule") {
    try {
      await cancelScheduledPublication(db, study.id, user.id);
    } catch (error) {
      if (error instanceof SeasonError) return data<ActionData>({ kind: null, reply: null, error: "staffSeason.schedule.noSchedule", intent }, { status: 409 });
      throw error;
    }
    throw redirect(`/staff/studies/${study.year}?season=cancelled#season-title`);
  }
  if (intent === "publish") {
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
        <SpreadsheetField meta={fields.file} label={t("staff.upload.file")} help={t("staff.upload.help")} />
        <Button busy={busy}>
          {busy ? t("staff.upload.sending") : t("staff.upload.submit")}
        </Button>
      </SchemaForm>
    </Card>
  );
}

type Readiness = { questions: number; participants: number; inquiries: number };

/** What the study lacks before it can be reviewed or published, one line each. */
function ReadinessProblems({ readiness }: { readiness: Readiness }) {
  const t = useT();
  const missing = [
    readiness.questions === 0 && t("staffSeason.readiness.questions"),
    readiness.participants === 0 && t("staffSeason.readiness.participants"),
    readiness.inquiries === 0 && t("staffSeason.readiness.results"),
  ].filter(Boolean);
  return (
    <ul className="mt-1 list-disc pl-5">
      {missing.map((line) => (
        <li key={String(line)}>{line}</li>
      ))}
    </ul>
  );
}

function SeasonTimeForm({
  intent,
  schema,
  name,
  label,
  help,
  submit,
  defaultValue,
  lastResult,
  readiness,
  notReady,
}: {
  intent: "review" | "schedule";
  schema: typeof ReviewSchema | typeof ScheduleSchema;
  name: "until" | "at";
  label: string;
  help: string;
  submit: string;
  defaultValue: string | undefined;
  lastResult: FormReply | null;
  readiness: Readiness & { publishable: boolean };
  notReady: MessageKey;
}) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  const [form, fields] = useSchemaForm(schema as typeof ReviewSchema, { id: `season-${intent}`, lastResult, defaultValue: { [name]: defaultValue } as never });
  const field = (fields as unknown as Record<string, Parameters<typeof TextField>[0]["meta"]>)[name]!;
  const refusedNotReady = form.errors?.includes(notReady);
  return (
    <SchemaForm form={form} method="post" className="space-y-3">
      <ErrorSummary form={form} labels={{ [name]: label } as never} />
      {refusedNotReady && <ReadinessProblems readiness={readiness} />}
      <input type="hidden" name="intent" value={intent} />
      <TextField meta={field} type="datetime-local" label={label} help={help} className="max-w-xs" />
      <Button busy={busy}>{submit}</Button>
    </SchemaForm>
  );
}

/** "publiseres om 2 t 14 min", drawn on the server and kept current in the browser. */
function Countdown({ at, now }: { at: string; now: number }) {
  const t = useT();
  const locale = useLocale();
  const [clock, setClock] = useState(now);
  useEffect(() => {
    setClock(Date.now());
    const timer = setInterval(() => setClock(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const seconds = (new Date(at).getTime() - clock) / 1000;
  // Not a live region: a screen reader hears the static sentence beside it, not every tick.
  return (
    <span data-countdown className="font-medium" aria-hidden="true">
      {seconds > 0 ? t("staffSeason.schedule.countdown", { duration: formatDuration(seconds, locale) }) : t("staffSeason.schedule.overdue")}
    </span>
  );
}

function SeasonSection({ actionData }: { actionData: ActionData | undefined }) {
  const { study, readiness, queryCounts: counts, reviewOpen, now } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const navigation = useNavigation();
  const [search] = useSearchParams();
  const done = search.get("season");
  const reply = (intent: SeasonIntent) => (actionData?.intent === intent ? actionData.reply : null);
  const deadline = study.reviewUntil ? formatDateTime(new Date(study.reviewUntil), locale) : null;
  const publishAt = study.publishAt ? formatDateTime(new Date(study.publishAt), locale) : null;
  const published = study.status === "published";
  const queue = `/staff/studies/${study.year}/queries`;
  return (
    <Section id="season" title={t("staffSeason.title")} description={t("staffSeason.help")}>
      <div className="space-y-6">
        <p>
          {t("staffSeason.state")}: <strong>{t(`status.${study.status}`)}</strong>
        </p>
        {done === "opened" && deadline && <Notice tone="success">{t("staffSeason.review.opened", { deadline })}</Notice>}
        {done === "moved" && deadline && <Notice tone="success">{t("staffSeason.review.moved", { deadline })}</Notice>}
        {done === "scheduled" && publishAt && <Notice tone="success">{t("staffSeason.schedule.scheduled", { when: publishAt })}</Notice>}
        {done === "cancelled" && <Notice tone="success">{t("staffSeason.schedule.cancelled")}</Notice>}

        <div className="grid grid-cols-1 gap-6 md:grid-cols-2">
          <div className="min-w-0">
            <h3 className="font-semibold">{t("staffSeason.review.title")}</h3>
            <p className="mt-1 text-sm text-gray-700">
              {!deadline ? t("staffSeason.review.none") : reviewOpen ? t("staffSeason.review.open", { deadline }) : t("staffSeason.review.closed", { deadline })}
            </p>
            {!published && (
              <div className="mt-3">
                <SeasonTimeForm
                  key={`review-${String(study.reviewUntil)}`}
                  intent="review"
                  schema={ReviewSchema}
                  name="until"
                  label={t("staffSeason.review.until")}
                  help={t("staffSeason.review.untilHelp")}
                  submit={study.status === "review" ? t("staffSeason.review.submitMove") : t("staffSeason.review.submitOpen")}
                  defaultValue={osloInputValue(study.reviewUntil)}
                  lastResult={reply("review")}
                  readiness={readiness}
                  notReady="staffSeason.review.notReady"
                />
              </div>
            )}
          </div>

          <div className="min-w-0">
            <h3 className="font-semibold">{t("staffSeason.schedule.title")}</h3>
            {actionData?.intent === "cancel-schedule" && actionData.error && (
              <Notice tone="error" className="mt-1">
                {t(actionData.error)}
              </Notice>
            )}
            {study.publishAt && publishAt ? (
              <div className="mt-1 space-y-2 text-sm">
                <p className="sr-only">{t("staffSeason.schedule.sentence", { when: publishAt })}</p>
                <p aria-hidden="true">
                  {t("staffSeason.schedule.when", { when: publishAt })} · <Countdown at={String(study.publishAt)} now={now} />
                </p>
                <Form method="post">
                  <Button name="intent" value="cancel-schedule" tone="secondary" small busy={navigation.state === "submitting" && navigation.formData?.get("intent") === "cancel-schedule"}>
                    {t("staffSeason.schedule.cancel")}
                  </Button>
                </Form>
              </div>
            ) : (
              <p className="mt-1 text-sm text-gray-700">{t("staffSeason.schedule.none")}</p>
            )}
            {!published && (
              <div className="mt-3">
                {!readiness.publishable && (
                  <Notice tone="warning" live={false} className="mb-3">
                    {t("staffSeason.schedule.notReady")}
                    <ReadinessProblems readiness={readiness} />
                  </Notice>
                )}
                <SeasonTimeForm
                  key={`schedule-${String(study.publishAt)}`}
                  intent="schedule"
                  schema={ScheduleSchema}
                  name="at"
                  label={t("staffSeason.schedule.at")}
                  help={t("staffSeason.schedule.atHelp")}
                  submit={study.publishAt ? t("staffSeason.schedule.submitMove") : t("staffSeason.schedule.submit")}
                  defaultValue={osloInputValue(study.publishAt)}
                  lastResult={reply("schedule")}
                  readiness={readiness}
                  notReady="staffSeason.schedule.notReady"
                />
              </div>
            )}
          </div>
        </div>

        <div>
          <h3 className="font-semibold">{t("staffSeason.queries.title")}</h3>
          <ul className="mt-2 flex flex-wrap gap-x-6 gap-y-1">
            {QUERY_STATES.map((state) => (
              <li key={state}>
                <TextLink to={`${queue}?state=${state}`} className="inline-flex min-h-[2.5rem] items-center">
                  {t("staffSeason.queries.count", { state: t(`query.state.${state}`), count: counts[state] })}
                </TextLink>
              </li>
            ))}
          </ul>
          <ButtonLink to={queue} tone="secondary" small className="mt-2">
            {t("staffSeason.queries.all")}
          </ButtonLink>
        </div>
      </div>
    </Section>
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
    {
      key: "file",
      header: t("staff.history.file"),
      cell: (h) =>
        h.queryId ? (
          <TextLink to={`/staff/studies/${study.year}/queries/${h.queryId}`}>{t("staffSeason.history.correction", { ref: h.queryRef ?? "" })}</TextLink>
        ) : (
          h.fileName
        ),
    },
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
      {actionData?.error && !actionData.intent && <Notice tone="error">{t(actionData.error)}</Notice>}

      <Section id="files" title={t("staff.study.files")} description={t("staff.study.filesHelp")} plain>
        <ol className="grid gap-4 md:grid-cols-3">
          {KIND_ORDER.map((kind, i) => (
            <li key={kind}>
              <UploadForm kind={kind} step={i + 1} count={counts[kind]} lastResult={actionData?.kind === kind ? actionData.reply : null} />
            </li>
          ))}
        </ol>
      </Section>

      <Section id="onboarding" title={t("onboarding.title")} description={t("onboarding.intro")}>
        <TextLink to={`/staff/studies/${study.year}/onboarding`}>{t("onboarding.link")}</TextLink>
      </Section>

      <SeasonSection actionData={actionData} />

      <Section id="publish" title={t("staff.publish.title")} description={study.status === "published" ? t("staff.publish.again") : t("staff.publish.help")}>
        <Form method="post">
          <Button name="intent" value="publish" disabled={!readiness.publishable} busy={navigation.state === "submitting" && navigation.formData?.get("intent") === "publish"}>
            {study.status === "published" ? t("staff.publish.submitAgain") : t("staff.publish.submit")}
          </Button>
          {!readiness.publishable && <p className="mt-2 text-sm text-gray-700">{t("staff.publish.notReady")}</p>}
        </Form>
      </Section>

      <StudyAwardsPanels year={study.year} />

      <StudyReportsPanel year={study.year} />

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
