import { QUERY_STATES } from "~/domain/query-rules";
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import * as z from "zod";
import { requireStaffStudy } from "~/auth/staff-study.server";
import { formatDateTime } from "~/domain/format";
import { useLocale, useT } from "~/i18n/i18n";
import { listQueryQueue, type QueueFilter } from "~/models/studies/queries.server";
import { queueFilterOptions } from "~/models/studies/staff-queries.server";
import { Button, ButtonLink, TextLink } from "~/ui/button";
import { DataTable, type Column } from "~/ui/data-table";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { Field, TextInput } from "~/ui/field";
import { FilterSelect } from "~/ui/filter-select";
import { PageHeader } from "~/ui/page-header";
import { Pager } from "~/ui/pager";
import { Card } from "~/ui/section";

// Staff: the queries of one study (spec/season.md), open ones first and oldest first, with a
// GET filter (state, company, class, older than N days) and a link to each query's page.

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.study.name ?? "Spørsmål"} – spørsmål – Innsikt` }];

const PAGE_SIZE = 50;
const DAY = 86_400_000;

const Filter = z.object({
  state: z.enum(QUERY_STATES).optional().catch(undefined),
  company: z.string().trim().max(100).optional().catch(undefined),
  class: z.string().trim().max(100).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
});
const OlderThan = z.coerce.number().int().min(0).max(3650);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, study } = await requireStaffStudy(request, params);

  const search = new URL(request.url).searchParams;
  const parsed = Filter.parse(Object.fromEntries(search));
  const olderText = (search.get("older") ?? "").trim();
  const older = olderText === "" ? null : OlderThan.safeParse(olderText);
  const filter: QueueFilter = {
    state: parsed.state,
    company: parsed.company || undefined,
    classCode: parsed.class || undefined,
    olderThanDays: older?.success ? older.data : undefined,
  };
  const now = Date.now();
  const [all, options] = await Promise.all([listQueryQueue(db, study.id, filter, new Date(now)), queueFilterOptions(db, study.id)]);
  const pages = Math.max(1, Math.ceil(all.length / PAGE_SIZE));
  const page = Math.min(parsed.page ?? 1, pages);
  const rows = all.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((q) => ({
    id: q.id,
    companyName: q.companyName,
    className: q.className,
    inquiryRef: q.inquiryRef,
    questionCode: q.questionCode,
    state: q.state,
    raisedAt: q.raisedAt,
    ageDays: Math.floor((now - q.raisedAt.getTime()) / DAY),
  }));
  const body = {
    study: { year: study.year, name: study.name },
    rows,
    total: all.length,
    page,
    pages,
    options,
    values: { state: filter.state ?? "", company: filter.company ?? "", class: filter.classCode ?? "", older: olderText },
    olderInvalid: older !== null && !older.success,
  };
  // A filter that cannot be read is an input error (400), drawn beside its field.
  return data(body, { status: body.olderInvalid ? 400 : 200 });
}

export default function QueryQueue() {
  const { study, rows, total, page, pages, options, values, olderInvalid } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const base = `/staff/studies/${study.year}/queries`;
  const all = t("staffQueue.filter.all");
  type Row = (typeof rows)[number];
  const columns: Column<Row>[] = [
    { key: "company", header: t("staffQueue.company"), cell: (q) => q.companyName },
    { key: "ref", header: t("staffQueue.inquiry"), rowHeader: true, className: "whitespace-nowrap", cell: (q) => <TextLink to={`${base}/${q.id}`}>{q.inquiryRef}</TextLink> },
    { key: "question", header: t("staffQueue.question"), cell: (q) => q.questionCode ?? t("staffQueue.wholeInquiry") },
    { key: "state", header: t("staffQueue.state"), cell: (q) => t(`query.state.${q.state}`) },
    { key: "raised", header: t("staffQueue.raisedAt"), className: "whitespace-nowrap", cell: (q) => formatDateTime(new Date(q.raisedAt), locale) },
    { key: "age", header: t("staffQueue.age"), numeric: true, cell: (q) => t("staffQueue.ageDays", { count: q.ageDays }) },
  ];
  const href = (n: number) => {
    const search = new URLSearchParams(Object.entries(values).filter(([, v]) => v !== ""));
    if (n > 1) search.set("page", String(n));
    const text = search.toString();
    return text ? `${base}?${text}` : base;
  };
  return (
    <div className="space-y-6">
      <PageHeader
        title={t("staffQueue.title")}
        intro={t("staffQueue.intro", { study: study.name })}
        back={<TextLink to={`/staff/studies/${study.year}`}>{study.name}</TextLink>}
      />
      <Card>
        <Form method="get" role="search" aria-label={t("staffQueue.filter")} className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5 lg:items-end">
          <FilterSelect id="queue-state" name="state" label={t("staffQueue.filter.state")} value={values.state} any={all} choices={QUERY_STATES.map((state) => ({ value: state, label: t(`query.state.${state}`) }))} />
          <FilterSelect id="queue-company" name="company" label={t("staffQueue.filter.company")} value={values.company} any={all} choices={options.companies.map((company) => ({ value: company.code, label: company.name }))} />
          <FilterSelect id="queue-class" name="class" label={t("staffQueue.filter.class")} value={values.class} any={all} choices={options.classes.map((klass) => ({ value: klass.code, label: klass.name }))} />
          <Field id="queue-older" label={t("staffQueue.filter.olderThan")} error={olderInvalid ? "staffQueue.filter.olderThanInvalid" : null}>
            {(c) => <TextInput {...c} name="older" type="number" inputMode="numeric" min={0} max={3650} defaultValue={values.older} />}
          </Field>
          <div className="flex flex-wrap gap-2">
            <Button>{t("staffQueue.filter.submit")}</Button>
            <ButtonLink to={base}>{t("staffQueue.filter.reset")}</ButtonLink>
          </div>
        </Form>
      </Card>
      <p className="text-sm text-gray-700">{t("staffQueue.count", { count: total })}</p>
      <DataTable caption={t("staffQueue.caption")} captionHidden columns={columns} rows={rows} rowKey={(q) => q.id} empty={t("staffQueue.empty")} />
      <Pager page={page} pages={pages} href={href} />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
