import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { notFound } from "~/auth/guards.server";
import { loadStudyPage } from "~/auth/study-page.server";
import { AGE_GROUPS } from "~/domain/age-group";
import { PACK_FORMATS } from "~/domain/coaching-pack";
import { can } from "~/domain/permissions";
import { formatDateTime, formatNumber, formatScore } from "~/domain/format";
import { inquirySearch, parseInquiryQuery, SORTS } from "~/domain/inquiry-query";
import { BANDS, CHANNELS, GENDERS } from "~/domain/types";
import { useLocale, useT } from "~/i18n/i18n";
import { findTenantStudy } from "~/models/insights/insights.server";
import { filterFromQuery, hidesAgentNames, inquiryFilterOptions, listInquiryPage } from "~/models/insights/inquiries.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { Button, TextLink } from "~/ui/button";
import { DataTable } from "~/ui/data-table";
import { Checkbox, ChoiceGroup } from "~/ui/field";
import { FilterInput, FilterSelect } from "~/ui/filter-select";
import { NoStudy } from "~/ui/no-study";
import { Notice } from "~/ui/notice";
import { PageHeader } from "~/ui/page-header";
import { Pager } from "~/ui/pager";
import { useStudyName } from "~/ui/review-banner";
import { StudyPageHeader } from "~/ui/study-page-header";
import { Section } from "~/ui/section";
import { CreatePlanLink } from "~/ui/create-plan-link";

export const meta: MetaFunction = () => [{ title: "Henvendelser – Innsikt" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const parsed = parseInquiryQuery(new URL(request.url).searchParams);
  // A malformed filter still needs the company's studies: 400 with words if it has any, else 404.
  const page = await loadStudyPage(
    request,
    async (scope, year) => {
      if (!parsed.ok) return { error: parsed.field };
      const study = await findTenantStudy(scope, year);
      if (!study) return null;
      const query = parsed.query;
      const [list, options, hideAgents] = await Promise.all([
        listInquiryPage(scope, study.studyId, filterFromQuery(query), query.sort, query.page),
        inquiryFilterOptions(scope, study.studyId),
        hidesAgentNames(scope),
      ]);
      return { error: null, list, options, query: { ...query, study: study.year }, hideAgents };
    },
    { year: parsed.ok ? parsed.query.study : undefined },
  );
  const { studies, companyName, study } = page;
  const empty = { studies, study, companyName, list: null, options: null, query: null, pack: null, mayPlan: false };
  const found = page.data;
  if (found && found.error !== null) return data({ ...empty, error: found.error }, { status: 400 });
  if (!parsed.ok) throw notFound();
  if (!found) return { ...empty, error: null };
  const { list, options, query, hideAgents } = found;
  const pack = can(page.role, "coaching:export") ? { hideAgents } : null;
  return { error: null, studies, study, list, options, query, companyName, pack, mayPlan: can(page.role, "plans:write") };
}

export default function InquiriesPage() {
  const { error, studies, study, list, options, query, companyName, pack, mayPlan } = useLoaderData<typeof loader>();
  const t = useT();
  const studyName = useStudyName();
  const locale = useLocale();
  if (error !== null) {
    return (
      <div className="space-y-6">
        <PageHeader title={t("inquiries.title")} />
        <Notice tone="error">
          <p>{t("inquiries.badFilter", { field: error })}</p>
          <p className="mt-3">
            <TextLink to="/company/inquiries">{t("inquiries.reset")}</TextLink>
          </p>
        </Notice>
      </div>
    );
  }
  if (!list || !options || !query) {
    return <NoStudy title={t("inquiries.title")} />;
  }
  const all = t("inquiries.all");
  const filteredArea = query.area ? options.areas.find((a) => a.code === query.area) : undefined;
  const search = inquirySearch(query);
  const pageLink = (page: number) => `/company/inquiries${inquirySearch({ ...query, page }, { page: true })}`;
  type Row = (typeof list.rows)[number];
  return (
    <div className="space-y-6">
      <StudyPageHeader eyebrow={companyName} title={`${t("inquiries.title")} ${query.study}`} study={study} />

      <Section id="filter" title={t("inquiries.filter")}>
        <Form method="get">
          <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
            {studies.length > 1 && (
              <FilterSelect id="f-study" name="study" label={t("overview.study")} value={query.study} choices={studies.map((s) => ({ value: s.year, label: studyName(s) }))} />
            )}
            <FilterSelect id="f-channel" name="channel" label={t("trends.channel")} value={query.channel} any={all} choices={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))} />
            <FilterSelect id="f-band" name="band" label={t("overview.bands.band")} value={query.band} any={all} choices={BANDS.map((b) => ({ value: b, label: t(`band.${b}`) }))} />
            <FilterSelect
              id="f-answered"
              name="answered"
              label={t("inquiries.answered")}
              value={query.answered}
              any={all}
              choices={[
                { value: "yes", label: t("inquiries.answeredYes") },
                { value: "no", label: t("inquiries.answeredNo") },
              ]}
            />
            <FilterSelect id="f-gender" name="gender" label={t("inquiries.gender")} value={query.gender} any={all} choices={GENDERS.map((g) => ({ value: g, label: t(`gender.${g}`) }))} />
            <FilterSelect id="f-age" name="age" label={t("inquiries.age")} value={query.age} any={all} choices={AGE_GROUPS.map((a) => ({ value: a, label: t("variance.ageGroup", { group: a }) }))} />
            <FilterSelect id="f-region" name="region" label={t("inquiries.region")} value={query.region} any={all} choices={options.regions.map((r) => ({ value: r, label: r }))} />
            <FilterSelect
              id="f-goal"
              name="goal"
              label={t("targets.filter.label")}
              value={query.goal}
              any={all}
              choices={[
                { value: "outside", label: t("targets.filter.outside") },
                { value: "within", label: t("targets.filter.within") },
              ]}
            />
            <FilterSelect id="f-sort" name="sort" label={t("inquiries.sort")} value={query.sort} choices={SORTS.map((s) => ({ value: s, label: t(`inquiries.sort.${s}`) }))} />
            <FilterSelect id="f-area" name="area" label={t("inquiries.area")} value={query.area} any={t("inquiries.anyArea")} choices={options.areas.map((a) => ({ value: a.code, label: `${a.code} ${a.name}` }))} aria-describedby="f-below-description" />
            <FilterInput id="f-below" name="below" label={t("inquiries.below")} help={t("inquiries.areaHelp")} value={query.below} inputMode="decimal" />
            <FilterInput id="f-min" name="min" label={t("inquiries.min")} value={query.min} inputMode="decimal" />
            <FilterInput id="f-max" name="max" label={t("inquiries.max")} value={query.max} inputMode="decimal" />
            <FilterInput id="f-q" name="q" label={t("inquiries.text")} value={query.q} type="search" className="sm:col-span-2" />
          </div>
          <div className="mt-4 flex flex-wrap items-center gap-4">
            <Button>{t("inquiries.apply")}</Button>
            <TextLink to={`/company/inquiries${inquirySearch({ study: query.study, sort: "newest" })}`}>{t("inquiries.reset")}</TextLink>
            {/* A list narrowed to an area, or else to a channel, offers a plan aimed at it. */}
            {mayPlan && (filteredArea ? <CreatePlanLink metric={`area:${filteredArea.code}`} name={`${filteredArea.code} ${filteredArea.name}`} /> : query.channel && <CreatePlanLink metric={`channel:${query.channel}`} name={t(`channel.${query.channel}`)} />)}
          </div>
        </Form>
      </Section>

      <Section id="results" title={<span aria-live="polite">{t("inquiries.count", { count: list.total })}</span>} plain>
        {list.rows.length > 0 && (
          <DataTable<Row>
            caption={t("inquiries.title")}
            captionHidden
            rows={list.rows}
            rowKey={(r) => r.ref}
            empty={null}
            columns={[
              pack && {
                key: "pick",
                header: t("companyCoaching.packForm.pickColumn"),
                cell: (r) => <Checkbox name="ref" value={r.ref} form="pack-form" label={<span className="sr-only">{t("companyCoaching.packForm.pick", { ref: r.ref })}</span>} />,
              },
              {
                key: "ref",
                header: t("inquiries.ref"),
                rowHeader: true,
                className: "whitespace-nowrap",
                cell: (r) => <TextLink to={`/company/inquiries/${encodeURIComponent(r.ref)}${search}`}>{r.ref}</TextLink>,
              },
              { key: "when", header: t("inquiries.when"), className: "whitespace-nowrap", cell: (r) => formatDateTime(new Date(r.contactedAt), locale) },
              { key: "channel", header: t("trends.channel"), cell: (r) => t(`channel.${r.channel}`) },
              {
                key: "shopper",
                header: t("inquiries.shopper"),
                cell: (r) => `${t(`gender.${r.shopper.gender}`)}, ${t("variance.ageGroup", { group: r.shopper.ageGroup })}, ${r.shopper.region}`,
              },
              {
                key: "score",
                header: t("overview.totalScore"),
                numeric: true,
                cell: (r) => (r.answered ? formatScore(r.totalScore, locale) : `${formatScore(0, locale)} (${t("inquiries.unanswered")})`),
              },
              { key: "band", header: t("overview.bands.band"), cell: (r) => t(`band.${r.band}`) },
              { key: "comment", header: t("inquiries.comment"), className: "text-gray-800", cell: (r) => r.excerpt ?? "–" },
            ]}
          />
        )}
        <Pager page={list.page} pages={list.pages} href={pageLink} />
      </Section>

      {pack && list.total > 0 && (
        <Form method="post" action="/company/coaching/packs/new" id="pack-form" aria-labelledby="pack-title">
          <Section id="pack" title={t("companyCoaching.packForm.title")} description={t("companyCoaching.packForm.intro", { count: formatNumber(list.total, locale) })}>
            {(["study", "channel", "band", "gender", "age", "region", "answered", "area", "below", "min", "max", "q", "goal", "sort"] as const).map((key) =>
              query[key] === undefined ? null : <input key={key} type="hidden" name={key} value={String(query[key])} />,
            )}
            <ChoiceGroup
              id="pack-format"
              name="format"
              type="radio"
              legend={t("companyCoaching.packForm.format")}
              choices={PACK_FORMATS.map((format) => ({ value: format, label: t(`companyCoaching.packForm.${format}`) }))}
              defaultValue={PACK_FORMATS[0]}
            />
            {pack.hideAgents ? (
              <p className="mt-3 text-sm text-gray-700">{t("companyCoaching.packForm.agentsHidden")}</p>
            ) : (
              <Checkbox name="agents" value="on" label={t("companyCoaching.packForm.agents")} className="mt-3" />
            )}
            <Button className="mt-4">{t("companyCoaching.packForm.submit")}</Button>
          </Section>
        </Form>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
