import { REASON_MAX } from "~/domain/query-rules";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useMemo, type ReactNode } from "react";
import * as z from "zod";
import { notFound, requireStaff } from "~/auth/guards.server";
import { getDatabase, type Db } from "#db/client.server";
import { formatDateTime, formatScore } from "~/domain/format";
import { MAX_STUDY_YEAR, MIN_STUDY_YEAR } from "~/domain/types";
import { useLocale, useT, type MessageKey } from "~/i18n/i18n";
import { CorrectionError } from "~/models/studies/import.server";
import { answerQuery, QueryError, type QueryAnswer } from "~/models/studies/queries.server";
import { getQueryInquiry, getStaffQuery } from "~/models/studies/staff-queries.server";
import { getStudyByYear } from "~/models/studies/study.server";
import { Button, TextLink } from "~/ui/button";
import { DataTable, type Column } from "~/ui/data-table";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { errorText, withParams } from "~/ui/field";
import { ChoiceField, ErrorSummary, parseWithZod, SchemaForm, TextareaField, TextField, useSchemaForm, type FormReply } from "~/ui/form";
import { Notice } from "~/ui/notice";
import { PageHeader } from "~/ui/page-header";
import { Section } from "~/ui/section";

// Staff: one query beside the inquiry it is about (spec/season.md), and the answer: accepted,
// partly accepted or rejected with a note, and for an accepted one the corrected points, sent
// as changes to answerQuery (a correction in the import history). Works after the deadline too.

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.query.inquiryRef ?? "Spørsmål"} – spørsmål – Innsikt` }];

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A note as long as a reason may be. */
const NOTE_MAX = REASON_MAX;
const ANSWERS = ["accepted", "partly_accepted", "rejected"] as const satisfies readonly QueryAnswer[];

async function load(params: { year?: string; id?: string }) {
  const year = Number(params.year);
  const id = String(params.id ?? "");
  if (!Number.isInteger(year) || year < MIN_STUDY_YEAR || year > MAX_STUDY_YEAR || !UUID_RE.test(id)) throw notFound();
  const { db } = await getDatabase();
  const study = await getStudyByYear(db, year);
  if (!study) throw notFound();
  const query = await getStaffQuery(db, study.id, id.toLowerCase());
  if (!query) throw notFound();
  const inquiry = await getQueryInquiry(db, study.id, query.tenantId, query.inquiryRef);
  return { db, study, query, inquiry };
}

/** The questions whose points staff may correct: scored, applicable, on an answered inquiry. */
function editableOf(inquiry: Awaited<ReturnType<typeof load>>["inquiry"]) {
  if (!inquiry?.answered) return [];
  return inquiry.questions.filter((q) => q.kind === "points" && q.points !== null && q.maxPoints !== null).map((q) => ({ code: q.code, text: q.text, points: q.points!, max: q.maxPoints! }));
}
type Editable = ReturnType<typeof editableOf>[number];

const changesOf = (points: Record<string, number> | undefined, editable: Editable[]) =>
  Object.fromEntries(editable.filter((q) => points?.[q.code] !== undefined && points[q.code] !== q.points).map((q) => [q.code, points![q.code]!]));

function answerSchema(editable: Editable[]) {
  const points = z.object(
    Object.fromEntries(
      editable.map((q) => {
        const range = withParams("staffQuery.form.pointsRange", { max: q.max });
        return [q.code, z.number({ error: range }).int({ error: range }).min(0, { error: range }).max(q.max, { error: range })];
      }),
    ),
  );
  return z
    .object({
      verdict: z.enum(ANSWERS, { error: "staffQuery.form.verdictRequired" }),
      note: z.string({ error: "staffQuery.form.noteRequired" }).trim().min(1, { error: "staffQuery.form.noteRequired" }).max(NOTE_MAX, { error: "staffQuery.form.noteTooLong" }),
      points: points.optional(),
    })
    .superRefine((value, ctx) => {
      if (value.verdict === "rejected" && Object.keys(changesOf(value.points as Record<string, number> | undefined, editable)).length > 0) {
        ctx.addIssue({ code: "custom", path: [], message: "staffQuery.form.rejectedChanges" });
      }
    });
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request);
  const { study, query, inquiry } = await load(params);
  return { study: { year: study.year, name: study.name }, query, inquiry, editable: editableOf(inquiry) };
}

type ActionData = { reply: FormReply; done: { state: QueryAnswer; before: number | null; after: number | null } | null };

const errorKey = (error: QueryError | CorrectionError) => `staffQuery.error.${error.code}` as MessageKey;

async function answer(db: Db, input: Parameters<typeof answerQuery>[1]) {
  try {
    return { ok: true as const, result: await answerQuery(db, input) };
  } catch (error) {
    if (error instanceof QueryError || error instanceof CorrectionError) return { ok: false as const, error };
    throw error;
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireStaff(request);
  const { db, query, inquiry } = await load(params);
  const editable = editableOf(inquiry);
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: answerSchema(editable) });
  if (submission.status !== "success") return data<ActionData>({ reply: submission.reply(), done: null }, { status: 400 });
  const { verdict, note, points } = submission.value;
  const changes = verdict === "rejected" ? {} : changesOf(points as Record<string, number> | undefined, editable);
  const outcome = await answer(db, { queryId: query.id, state: verdict, answer: note, changes, userId: user.id });
  if (!outcome.ok) {
    const status = outcome.error instanceof QueryError && outcome.error.code === "not-open" ? 409 : outcome.error instanceof QueryError && outcome.error.code === "no-query" ? 404 : 400;
    return data<ActionData>({ reply: submission.reply({ formErrors: [errorKey(outcome.error)] }), done: null }, { status });
  }
  const correction = outcome.result.correction;
  return data<ActionData>({ reply: submission.reply({ resetForm: true }), done: { state: verdict, before: correction?.before ?? null, after: correction?.after ?? null } });
}

function AnswerForm({ editable, lastResult }: { editable: Editable[]; lastResult: FormReply | null }) {
  const t = useT();
  const navigation = useNavigation();
  const schema = useMemo(() => answerSchema(editable), [editable]);
  const [form, fields] = useSchemaForm(schema, {
    id: "query-answer",
    lastResult,
    defaultValue: { points: Object.fromEntries(editable.map((q) => [q.code, String(q.points)])) } as never,
  });
  const pointFields = fields.points.getFieldset() as unknown as Record<string, Parameters<typeof TextField>[0]["meta"]>;
  const labels: Record<string, string> = { verdict: t("staffQuery.form.verdict"), note: t("staffQuery.form.note") };
  for (const q of editable) labels[`points.${q.code}`] = q.code;
  return (
    <SchemaForm form={form} method="post" className="space-y-4">
      <ErrorSummary form={form} labels={labels as never} />
      <ChoiceField
        meta={fields.verdict}
        type="radio"
        legend={t("staffQuery.form.verdict")}
        choices={ANSWERS.map((value) => ({ value, label: t(`query.state.${value}`) }))}
      />
      <TextareaField meta={fields.note} label={t("staffQuery.form.note")} help={t("staffQuery.form.noteHelp")} rows={4} />
      {editable.length > 0 && (
        <fieldset>
          <legend className="text-sm font-medium text-gray-900">{t("staffQuery.form.points")}</legend>
          <p className="mt-1 text-sm text-gray-700">{t("staffQuery.form.pointsHelp")}</p>
          <div className="mt-2 space-y-3">
            {editable.map((q) => (
              <TextField
                key={q.code}
                meta={pointFields[q.code]!}
                type="number"
                inputMode="numeric"
                min={0}
                max={q.max}
                step={1}
                label={
                  <>
                    {t("staffQuery.form.pointsLabel", { code: q.code, max: q.max })} <span className="font-normal text-gray-700">{q.text}</span>
                  </>
                }
                className="[&_input]:max-w-[7rem]"
              />
            ))}
          </div>
        </fieldset>
      )}
      <Button busy={navigation.state === "submitting"}>{t("staffQuery.form.submit")}</Button>
    </SchemaForm>
  );
}

function Facts({ rows }: { rows: [label: string, value: ReactNode][] }) {
  return (
    <dl className="grid gap-x-4 sm:grid-cols-[auto_1fr] sm:gap-y-2">
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="font-medium text-gray-900">{label}</dt>
          <dd className="mb-2 min-w-0 whitespace-pre-wrap break-words text-gray-800 sm:mb-0">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export default function QueryPage() {
  const { study, query: q, inquiry, editable } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const queue = `/staff/studies/${study.year}/queries`;
  const history = `/staff/studies/${study.year}#history`;
  const open = q.state === "open";
  type Question = NonNullable<typeof inquiry>["questions"][number];
  const columns: Column<Question>[] = [
    { key: "code", header: t("staffQueue.question"), rowHeader: true, cell: (x) => (x.code === q.questionCode ? <strong>{x.code}</strong> : x.code) },
    { key: "text", header: t("trends.question"), cell: (x) => (x.code === q.questionCode ? <strong>{x.text}</strong> : x.text) },
    {
      key: "points",
      header: t("inquiry.points"),
      numeric: true,
      className: "whitespace-nowrap",
      cell: (x) => (x.points === null ? t("inquiry.notApplicable") : t("inquiry.pointsOf", { points: x.points, max: x.maxPoints ?? 0 })),
    },
  ];
  const done = actionData?.done;
  // An answer refused once the form is gone (e.g. someone else answered first) still says why.
  const refused = !open && !done ? (actionData?.reply.error?.[""] ?? []) : [];
  return (
    <div className="space-y-6">
      <PageHeader title={t("staffQuery.title", { ref: q.inquiryRef })} eyebrow={`${q.companyName} · ${study.name}`} back={<TextLink to={queue}>{t("staffQuery.back")}</TextLink>} />
      {done && (
        <Notice tone="success">
          {done.after !== null && done.before !== null
            ? t("staffQuery.doneChanged", { state: t(`query.state.${done.state}`), after: formatScore(done.after, locale), before: formatScore(done.before, locale) })
            : t("staffQuery.done", { state: t(`query.state.${done.state}`) })}
        </Notice>
      )}
      {refused.map((error) => (
        <Notice key={error} tone="error">
          {errorText(t, error)}
        </Notice>
      ))}
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2 lg:items-start">
        <div className="min-w-0 space-y-6">
          <Section id="query" title={t("staffQuery.query")}>
            <Facts
              rows={[
                [t("staffQuery.company"), q.companyName],
                [t("staffQuery.raisedBy"), q.raisedByName ? `${q.raisedByName} (${q.raisedByEmail})` : t("staffQuery.unknownUser")],
                [t("staffQuery.raisedAt"), formatDateTime(new Date(q.raisedAt), locale)],
                [t("staffQuery.question"), q.questionCode ?? t("staffQueue.wholeInquiry")],
                [t("staffQuery.state"), t(`query.state.${q.state}`)],
                [t("staffQuery.reason"), q.reason],
              ]}
            />
          </Section>
          {open ? (
            <Section id="answer" title={t("staffQuery.form.title")} description={t("staffQuery.form.help")}>
              {inquiry && !inquiry.answered && (
                <Notice tone="info" live={false} className="mb-4">
                  {t("staffQuery.unanswered")}
                </Notice>
              )}
              <AnswerForm editable={editable} lastResult={actionData?.reply ?? null} />
            </Section>
          ) : (
            <Section id="answer" title={t("staffQuery.answer")}>
              <Facts
                rows={[
                  [t("staffQuery.state"), t(`query.state.${q.state}`)],
                  [t("staffQuery.answer"), q.answer ?? ""],
                  [t("staffQuery.answeredAt"), q.answeredAt ? formatDateTime(new Date(q.answeredAt), locale) : "–"],
                ]}
              />
              {q.correctionBatchId !== null && q.correctionAt && (
                <p className="mt-3">
                  {t("staffQuery.correction", { label: q.correctionLabel ?? "", when: formatDateTime(new Date(q.correctionAt), locale) })}{" "}
                  <TextLink to={history}>{t("staffQuery.history")}</TextLink>
                </p>
              )}
            </Section>
          )}
        </div>
        <div className="min-w-0 space-y-6">
          <Section id="inquiry" title={t("staffQuery.inquiry")} description={inquiry ? `${inquiry.ref} · ${t(`channel.${inquiry.channel}`)} · ${formatDateTime(new Date(inquiry.contactedAt), locale)}` : undefined}>
            {inquiry ? (
              <div className="space-y-4">
                <p>
                  {t("staffQuery.total")}: <strong>{formatScore(inquiry.totalScore, locale)}</strong>
                  {!inquiry.answered && ` (${t("inquiries.unanswered")})`}
                </p>
                <DataTable
                  caption={t("staffQuery.questions")}
                  captionHidden
                  columns={columns}
                  rows={inquiry.questions.filter((x) => x.kind === "points")}
                  rowKey={(x) => x.code}
                  empty={t("inquiry.none")}
                />
              </div>
            ) : (
              <p>{t("staffQuery.error.no-inquiry")}</p>
            )}
          </Section>
          {inquiry && (
            <>
              <Section id="comment" title={t("inquiry.comment")} level={3}>
                <p className="whitespace-pre-wrap">{inquiry.comment ?? t("inquiry.none")}</p>
              </Section>
              <Section id="transcript" title={t("inquiry.transcript")} level={3}>
                <pre className="max-h-[40rem] overflow-auto whitespace-pre-wrap font-sans">{inquiry.transcript ?? t("inquiry.none")}</pre>
              </Section>
            </>
          )}
        </div>
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
