import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import * as z from "zod";
import { getDatabase, withTenant } from "#db/client.server";
import { notFound, requireTenantMember } from "~/auth/guards.server";
import { loadStudyPage } from "~/auth/study-page.server";
import { formatDateTime, formatDuration, formatScore } from "~/domain/format";
import { inquirySearch, parseInquiryQuery } from "~/domain/inquiry-query";
import { useLocale, useT } from "~/i18n/i18n";
import { findTenantStudy } from "~/models/insights/insights.server";
import { filterFromQuery, getInquiry, inquiryNeighbours } from "~/models/insights/inquiries.server";
import { canRaiseQuery, REASON_MAX } from "~/domain/query-rules";
import { listCompanyQueries, QueryError, raiseQuery } from "~/models/studies/queries.server";
import { Button } from "~/ui/button";
import { errorText } from "~/ui/field";
import { ErrorSummary, parseWithZod, SchemaForm, SelectField, TextareaField, useSchemaForm } from "~/ui/form";
import { PreliminaryTag, ReviewBanner } from "~/ui/review-banner";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { TextLink } from "~/ui/button";
import { TableBox, Td, Th, Tr } from "~/ui/data-table";
import { GapCell } from "~/ui/gap-cell";
import { Notice } from "~/ui/notice";
import { PageHeader } from "~/ui/page-header";
import { Card, Section } from "~/ui/section";
import { TooFewNote } from "~/ui/too-few";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.inquiry.ref ?? "Henvendelse"} – Innsikt` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const parsed = parseInquiryQuery(new URL(request.url).searchParams);
  const ref = String(params.ref ?? "");
  const valid = parsed.ok && ref.length > 0 && ref.length <= 100 ? parsed.query : null;
  const page = await loadStudyPage(
    request,
    async (scope, year) => {
      const study = valid && (await findTenantStudy(scope, year));
      if (!valid || !study) return null;
      const [inquiry, position, queries] = await Promise.all([
        getInquiry(scope, study.studyId, ref),
        inquiryNeighbours(scope, study.studyId, filterFromQuery(valid), valid.sort, ref),
        listCompanyQueries(scope, { year: study.year, ref }),
      ]);
      if (!inquiry) return null;
      return { inquiry, position, queries, query: { ...valid, study: study.year, page: 1 }, className: study.className };
    },
    { year: valid?.study },
  );
  // Unlike the list, an inquiry page has no empty state: with no study there is no inquiry.
  if (!page.data || !page.study) throw notFound();
  const study = page.study;
  return { ...page.data, study, canRaise: study.reviewOpen && canRaiseQuery(page.role), mayRaise: canRaiseQuery(page.role) };
}

// A query (spec/season.md): on the whole inquiry (question "") or one scored question, with a reason.
const QuerySchema = z.object({
  study: z.coerce.number().int().min(1900).max(2999),
  question: z.string().trim().max(50, { error: "query.error.question" }).optional(),
  reason: z
    .string({ error: "query.error.reasonRequired" })
    .trim()
    .min(1, { error: "query.error.reasonRequired" })
    .max(REASON_MAX, { error: "query.error.reasonTooLong" }),
});

/** How each refusal of the model reaches the person: status and where the message goes. */
const REFUSALS: Record<QueryError["code"], { status: number; field?: "question"; key: string } | "not-found"> = {
  closed: { status: 403, key: "query.error.closed" },
  forbidden: { status: 403, key: "query.error.forbidden" },
  "already-open": { status: 409, key: "query.error.alreadyOpen" },
  "no-question": { status: 400, field: "question", key: "query.error.question" },
  "no-inquiry": "not-found",
  "not-open": "not-found",
  "no-query": "not-found",
};

export async function action({ request, params }: ActionFunctionArgs) {
  // A viewer is refused before anything is read (403), as the model would refuse it too.
  const member = await requireTenantMember(request, "queries:raise");
  const ref = String(params.ref ?? "");
  if (ref.length === 0 || ref.length > 100) throw notFound();
  const submission = parseWithZod(await request.formData(), { schema: QuerySchema });
  if (submission.status !== "success") return data({ reply: submission.reply(), raised: false }, { status: 400 });
  const { study, question, reason } = submission.value;
  const { db } = await getDatabase();
  try {
    // The tenant comes from the session; another company's inquiry is simply not found (RLS).
    await withTenant(db, member.tenantId, (scope) =>
      raiseQuery(scope, { year: study, ref, questionCode: question ? question : null, reason, userId: member.userId, role: member.role }),
    );
  } catch (error) {
    if (!(error instanceof QueryError)) throw error;
    const refusal = REFUSALS[error.code];
    if (refusal === "not-found") throw notFound();
    const reply = refusal.field ? submission.reply({ fieldErrors: { [refusal.field]: [refusal.key] } }) : submission.reply({ formErrors: [refusal.key] });
    return data({ reply, raised: false }, { status: refusal.status });
  }
  return { reply: submission.reply({ resetForm: true }), raised: true };
}

export default function InquiryPage() {
  const { inquiry: i, position, query, study, queries, canRaise, mayRaise } = useLoaderData<typeof loader>();
  const preliminary = study.status === "review";
  const t = useT();
  const locale = useLocale();
  const search = inquirySearch(query);
  const link = (ref: string) => `/company/inquiries/${encodeURIComponent(ref)}${search}`;
  const scoreOf = (v: number | null) => (v === null ? "–" : formatScore(v, locale));
  // Standalone links: a whole touch target, as in the Pager.
  const target = "inline-flex min-h-[2.5rem] items-center";
  const step = (ref: string | null, rel: "prev" | "next", label: string) =>
    ref ? (
      <TextLink to={link(ref)} rel={rel} className={target}>
        {label}
      </TextLink>
    ) : (
      <span className="text-gray-700">{label}</span>
    );
  const facts: [label: string, value: ReactNode][] = [
    [t("overview.bands.band"), t(`band.${i.band}`)],
    [t("trends.channel"), t(`channel.${i.channel}`)],
    [t("inquiries.when"), formatDateTime(new Date(i.contactedAt), locale)],
    [t("inquiry.attempts"), i.attempts],
    [
      i.channel === "email" ? t("inquiry.replyTime") : t("inquiry.waitTime"),
      i.waitSeconds === null ? (i.answered ? "–" : t("inquiries.unanswered")) : formatDuration(i.waitSeconds, locale),
    ],
    [t("inquiries.shopper"), `${t(`gender.${i.shopper.gender}`)}, ${t("variance.ageGroup", { group: i.shopper.ageGroup })}, ${i.shopper.region}`],
    [t("inquiry.agent"), i.agentName ?? "–"],
  ];
  const cx = i.questions.filter((q) => q.kind !== "points" && q.points !== null);
  return (
    <div className="space-y-6">
      <nav aria-label={t("inquiry.navigation")} className="flex flex-wrap items-center justify-between gap-3 text-sm">
        <TextLink to={`/company/inquiries${inquirySearch(query)}`} className={target}>
          {t("inquiry.backToList")}
        </TextLink>
        {position && (
          <span className="flex items-center gap-4">
            {step(position.prev, "prev", t("inquiry.previous"))}
            <span>{t("inquiry.position", { position: position.position, total: position.total })}</span>
            {step(position.next, "next", t("inquiry.next"))}
          </span>
        )}
      </nav>

      <PageHeader
        title={
          <>
            {t("inquiry.title", { ref: i.ref })}
            <PreliminaryTag study={study} />
          </>
        }
        intro={i.scenario}
      />
      <ReviewBanner study={study} />

      <Card>
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-6">
          <div>
            <dt className="text-sm text-gray-700">{t("overview.totalScore")}</dt>
            <dd className="text-2xl font-semibold tabular-nums">{formatScore(i.totalScore, locale)}</dd>
          </div>
          {facts.map(([label, value]) => (
            <div key={label}>
              <dt className="text-sm text-gray-700">{label}</dt>
              <dd className="font-medium">{value}</dd>
            </div>
          ))}
        </dl>
      </Card>

      {!i.answered && (
        <Notice tone="warning" live={false}>
          {t("inquiry.unansweredNote")}
        </Notice>
      )}

      {i.answered && (
        <Section id="results" title={t("inquiry.results")} plain>
          <TableBox caption={t("inquiry.results")} captionHidden>
            <thead>
              <tr>
                <Th>{t("comparison.item")}</Th>
                <Th numeric>{t("inquiry.points")}</Th>
                <Th numeric>{t("inquiry.percent")}</Th>
                {!preliminary && <Th numeric>{t("comparison.classMean")}</Th>}
                {!preliminary && <Th numeric>{t("comparison.vsMean")}</Th>}
              </tr>
            </thead>
            {i.areas.map((a) => (
              <tbody key={a.code} className="border-b-2 border-gray-200">
                <Tr className="bg-gray-50">
                  <Th scope="row" className="font-semibold">
                    {a.code} {a.name}
                  </Th>
                  <Td />
                  <Td numeric className="font-semibold">
                    {scoreOf(a.score)}
                  </Td>
                  {!preliminary && <Td colSpan={2} />}
                </Tr>
                {i.questions
                  .filter((q) => q.areaCode === a.code && q.kind === "points")
                  .map((q) => {
                    const percent = q.points === null || !q.maxPoints ? null : (q.points / q.maxPoints) * 100;
                    return (
                      <Tr key={q.code}>
                        <Th scope="row" className="pl-8 !font-normal">
                          <span className="font-medium">{q.code}</span> {q.text}
                        </Th>
                        <Td numeric>{q.points === null ? t("inquiry.notApplicable") : t("inquiry.pointsOf", { points: q.points, max: q.maxPoints ?? 0 })}</Td>
                        <Td numeric>{scoreOf(percent)}</Td>
                        {!preliminary && <Td numeric>{scoreOf(q.classMean)}</Td>}
                        {!preliminary && <GapCell own={percent} reference={q.classMean} />}
                      </Tr>
                    );
                  })}
              </tbody>
            ))}
          </TableBox>
          <TooFewNote hidden={!preliminary && i.questions.some((q) => q.kind === "points" && q.points !== null && q.classMean === null)} />
        </Section>
      )}

      {cx.length > 0 && (
        <Section id="cx" title={t("overview.cx")}>
          <ul className="space-y-1">
            {cx.map((q) => (
              <li key={q.code}>
                {q.code} {q.text}: <strong>{q.points}</strong>
              </li>
            ))}
          </ul>
        </Section>
      )}

      {(preliminary || queries.length > 0) && (
        <QueriesSection
          queries={queries}
          questions={i.questions.filter((q) => q.kind === "points" && q.points !== null)}
          study={study}
          canRaise={canRaise}
          mayRaise={mayRaise}
        />
      )}

      <Section id="comment" title={t("inquiry.comment")}>
        <p className="whitespace-pre-wrap">{i.comment ?? t("inquiry.none")}</p>
      </Section>
      <Section id="transcript" title={t("inquiry.transcript")}>
        <pre className="max-h-[40rem] overflow-auto whitespace-pre-wrap font-sans">{i.transcript ?? t("inquiry.none")}</pre>
      </Section>
    </div>
  );
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

/** The inquiry's queries with their answers, and (in an open review, for a manager or team lead) the form to raise one. */
function QueriesSection({
  queries,
  questions,
  study,
  canRaise,
  mayRaise,
}: {
  queries: Loaded["queries"];
  questions: Loaded["inquiry"]["questions"];
  study: Loaded["study"];
  canRaise: boolean;
  mayRaise: boolean;
}) {
  const t = useT();
  const locale = useLocale();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useSchemaForm(QuerySchema, { id: "raise-query", lastResult: result?.reply });
  const questionName = (code: string | null) => {
    if (code === null) return t("query.wholeInquiry");
    const q = questions.find((x) => x.code === code);
    return q ? `${q.code} ${q.text}` : code;
  };
  const deadline = study.reviewUntil ? formatDateTime(new Date(study.reviewUntil), locale) : "";
  // One open query per inquiry and question: what already has one is not offered again.
  const open = new Set(queries.filter((q) => q.state === "open").map((q) => q.questionCode ?? ""));
  const choices = questions.filter((q) => !open.has(q.code));
  return (
    <Section id="queries" title={t("query.section")} description={t("query.section.help")}>
      {result?.raised && (
        <Notice tone="success" className="mb-4">
          {t("query.raised")}
        </Notice>
      )}
      {queries.length === 0 ? (
        <p className="text-gray-700">{t("query.none")}</p>
      ) : (
        <ul aria-label={t("query.list")} className="space-y-4">
          {queries.map((q) => (
            <li key={q.id} className="rounded-md border border-gray-300 p-4">
              <p className="flex flex-wrap items-center gap-x-3 gap-y-1">
                <span className="font-semibold">{t(`query.state.${q.state}`)}</span>
                <span className="text-sm text-gray-700">
                  {t("query.about")}: {questionName(q.questionCode)}
                </span>
              </p>
              <p className="mt-1 text-sm text-gray-700">
                {q.raisedByName
                  ? t("query.raisedBy", { name: q.raisedByName, when: formatDateTime(new Date(q.raisedAt), locale) })
                  : t("query.raisedAt", { when: formatDateTime(new Date(q.raisedAt), locale) })}
              </p>
              <p className="mt-2 whitespace-pre-wrap">{q.reason}</p>
              {q.answer !== null ? (
                <div className="mt-3 border-l-4 border-blue-700 bg-blue-50 p-3">
                  <p className="text-sm font-semibold">
                    {t("query.answer")}
                    {q.answeredAt && <span className="font-normal text-gray-700"> · {t("query.answeredAt", { when: formatDateTime(new Date(q.answeredAt), locale) })}</span>}
                  </p>
                  <p className="mt-1 whitespace-pre-wrap">{q.answer}</p>
                </div>
              ) : (
                <p className="mt-2 text-sm text-gray-700">{t("query.waiting")}</p>
              )}
            </li>
          ))}
        </ul>
      )}
      {canRaise && (!open.has("") || choices.length > 0) ? (
        // Drawn afresh (empty, "whole inquiry" chosen) once a query has been added to the list.
        <div key={queries.length} className="mt-6 border-t border-gray-200 pt-4">
          <h3 className="text-lg font-semibold">{t("query.raise.title")}</h3>
          <ErrorSummary form={form} labels={{ question: t("query.about"), reason: t("query.reason") }} className="mt-3" />
          <SchemaForm form={form} method="post" className="mt-3 max-w-2xl space-y-4">
            <input type="hidden" name="study" value={study.year} />
            <SelectField meta={fields.question} label={t("query.about")}>
              {!open.has("") && <option value="">{t("query.wholeInquiry")}</option>}
              {choices.map((q) => (
                <option key={q.code} value={q.code}>
                  {`${q.code} ${q.text}`.slice(0, 120)}
                </option>
              ))}
            </SelectField>
            <TextareaField meta={fields.reason} label={t("query.reason")} help={t("query.reason.help")} rows={5} maxLength={REASON_MAX} />
            <Button busy={busy}>{t("query.raise")}</Button>
          </SchemaForm>
        </div>
      ) : study.status === "review" && !canRaise ? (
        <>
          {/* A refusal after the form went away (the deadline passed meanwhile) still says why. */}
          {form.errors?.[0] && (
            <Notice tone="error" className="mt-4">
              {errorText(t, form.errors[0])}
            </Notice>
          )}
          <p className="mt-4 text-sm text-gray-700">{mayRaise ? t("query.closedNote", { deadline }) : t("query.viewerNote")}</p>
        </>
      ) : null}
    </Section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
