import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { notFound, requireTenantMember } from "~/auth/guards.server";
import { getDatabase, withTenant } from "#db/client.server";
import { AGE_GROUPS } from "~/domain/age-group";
import { PACK_FORMATS } from "~/domain/coaching-pack";
import { can } from "~/domain/permissions";
import { formatDateTime, formatNumber, formatScore } from "~/domain/format";
import { inquirySearch, parseInquiryQuery, SORTS } from "~/domain/inquiry-query";
import { BANDS, CHANNELS, GENDERS } from "~/domain/types";
import { useLocale, useT } from "~/i18n/i18n";
import { findTenantStudy } from "~/models/insights/insights.server";
import { filterFromQuery, hidesAgentNames, inquiryFilterOptions, listInquiryPage } from "~/models/insights/inquiries.server";
import { listPublishedStudies } from "~/models/insights/overview.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { NoStudy } from "~/ui/no-study";

export const meta: MetaFunction = () => [{ title: "Henvendelser – Innsikt" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requireTenantMember(request);
  const parsed = parseInquiryQuery(new URL(request.url).searchParams);
  const { db } = await getDatabase();
  return withTenant(db, member.tenantId, async (scope) => {
    // A named year's study is looked up beside the list of studies (sent together).
    const named = parsed.ok && parsed.query.study !== undefined ? parsed.query.study : undefined;
    const [studies, namedStudy] = await Promise.all([listPublishedStudies(scope), named === undefined ? null : findTenantStudy(scope, named)]);
    if (!parsed.ok) {
      if (studies.length === 0) throw notFound();
      return data({ error: parsed.field, studies, list: null, options: null, query: null, companyName: member.tenantName, pack: null }, { status: 400 });
    }
    const query = parsed.query;
    const year = query.study ?? studies[0]?.year;
    const study = named !== undefined ? namedStudy : year === undefined ? null : await findTenantStudy(scope, year);
    if (!study) {
      if (query.study !== undefined || studies.length > 0) throw notFound();
      return { error: null, studies, list: null, options: null, query, companyName: member.tenantName, pack: null };
    }
    const [list, options, hideAgents] = await Promise.all([
      listInquiryPage(scope, study.studyId, filterFromQuery(query), query.sort, query.page),
      inquiryFilterOptions(scope, study.studyId),
      hidesAgentNames(scope),
    ]);
    const pack = can(member.role, "coaching:export") ? { hideAgents } : null;
    return { error: null, studies, list, options, query: { ...query, study: study.year }, companyName: member.tenantName, pack };
  });
}

const selectClass = "mt-1 w-full rounded border-gray-400 text-sm";

export default function InquiriesPage() {
  const { error, studies, list, options, query, companyName, pack } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  if (error !== null) {
    return (
      <section className="rounded-lg bg-white p-8 shadow">
        <h1 className="text-2xl font-semibold">{t("inquiries.title")}</h1>
        <p role="alert" className="mt-3 text-red-800">
          {t("inquiries.badFilter", { field: error })}
        </p>
        <p className="mt-4">
          <Link to="/company/inquiries" className="text-blue-700 underline">
            {t("inquiries.reset")}
          </Link>
        </p>
      </section>
    );
  }
  if (!list || !options || !query) {
    return <NoStudy title={t("inquiries.title")} />;
  }
  const search = inquirySearch(query);
  const pageLink = (page: number) => `/company/inquiries${inquirySearch({ ...query, page }, { page: true })}`;
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm font-medium text-gray-700">{companyName}</p>
        <h1 className="text-3xl font-semibold">
          {t("inquiries.title")} {query.study}
        </h1>
      </div>

      <Form method="get" className="rounded-lg bg-white p-5 shadow" aria-labelledby="filter-title">
        <h2 id="filter-title" className="text-lg font-semibold">
          {t("inquiries.filter")}
        </h2>
        <div className="mt-3 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          {studies.length > 1 && (
            <div>
              <label htmlFor="f-study" className="block text-sm font-medium">{t("overview.study")}</label>
              <select id="f-study" name="study" defaultValue={query.study} className={selectClass}>
                {studies.map((s) => (
                  <option key={s.year} value={s.year}>{s.name}</option>
                ))}
              </select>
            </div>
          )}
          <div>
            <label htmlFor="f-channel" className="block text-sm font-medium">{t("trends.channel")}</label>
            <select id="f-channel" name="channel" defaultValue={query.channel ?? ""} className={selectClass}>
              <option value="">{t("inquiries.all")}</option>
              {CHANNELS.map((c) => (
                <option key={c} value={c}>{t(`channel.${c}`)}</option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="f-band" className="block text-sm font-medium">{t("overview.bands.band")}</label>
            <select id="f-band" name="band" defaultValue={query.band ?? ""} className={selectClass}>
              <option value="">{t("inquiries.all")}</option>
              {BANDS.map((b) => (
                <option key={b} value={b}>{t(`band.${b}`)}</option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="f-answered" className="block text-sm font-medium">{t("inquiries.answered")}</label>
            <select id="f-answered" name="answered" defaultValue={query.answered ?? ""} className={selectClass}>
              <option value="">{t("inquiries.all")}</option>
              <option value="yes">{t("inquiries.answeredYes")}</option>
              <option value="no">{t("inquiries.answeredNo")}</option>
            </select>
          </div>
          <div>
            <label htmlFor="f-gender" className="block text-sm font-medium">{t("inquiries.gender")}</label>
            <select id="f-gender" name="gender" defaultValue={query.gender ?? ""} className={selectClass}>
              <option value="">{t("inquiries.all")}</option>
              {GENDERS.map((g) => (
                <option key={g} value={g}>{t(`gender.${g}`)}</option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="f-age" className="block text-sm font-medium">{t("inquiries.age")}</label>
            <select id="f-age" name="age" defaultValue={query.age ?? ""} className={selectClass}>
              <option value="">{t("inquiries.all")}</option>
              {AGE_GROUPS.map((a) => (
                <option key={a} value={a}>{t("variance.ageGroup", { group: a })}</option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="f-region" className="block text-sm font-medium">{t("inquiries.region")}</label>
            <select id="f-region" name="region" defaultValue={query.region ?? ""} className={selectClass}>
              <option value="">{t("inquiries.all")}</option>
              {options.regions.map((r) => (
                <option key={r} value={r}>{r}</option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="f-sort" className="block text-sm font-medium">{t("inquiries.sort")}</label>
            <select id="f-sort" name="sort" defaultValue={query.sort} className={selectClass}>
              {SORTS.map((s) => (
                <option key={s} value={s}>{t(`inquiries.sort.${s}`)}</option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="f-area" className="block text-sm font-medium">{t("inquiries.area")}</label>
            <select id="f-area" name="area" defaultValue={query.area ?? ""} className={selectClass} aria-describedby="f-area-help">
              <option value="">{t("inquiries.anyArea")}</option>
              {options.areas.map((a) => (
                <option key={a.code} value={a.code}>{a.code} {a.name}</option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="f-below" className="block text-sm font-medium">{t("inquiries.below")}</label>
            <input id="f-below" name="below" inputMode="decimal" defaultValue={query.below ?? ""} className={selectClass} aria-describedby="f-area-help" />
            <p id="f-area-help" className="mt-1 text-xs text-gray-700">{t("inquiries.areaHelp")}</p>
          </div>
          <div>
            <label htmlFor="f-min" className="block text-sm font-medium">{t("inquiries.min")}</label>
            <input id="f-min" name="min" inputMode="decimal" defaultValue={query.min ?? ""} className={selectClass} />
          </div>
          <div>
            <label htmlFor="f-max" className="block text-sm font-medium">{t("inquiries.max")}</label>
            <input id="f-max" name="max" inputMode="decimal" defaultValue={query.max ?? ""} className={selectClass} />
          </div>
          <div className="sm:col-span-2">
            <label htmlFor="f-q" className="block text-sm font-medium">{t("inquiries.text")}</label>
            <input id="f-q" name="q" type="search" defaultValue={query.q ?? ""} className={selectClass} />
          </div>
        </div>
        <div className="mt-4 flex flex-wrap items-center gap-4">
          <button type="submit" className="rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800">
            {t("inquiries.apply")}
          </button>
          <Link to={`/company/inquiries${inquirySearch({ study: query.study, sort: "newest" })}`} className="text-blue-700 underline">
            {t("inquiries.reset")}
          </Link>
        </div>
      </Form>

      <section aria-labelledby="results-title">
        <h2 id="results-title" className="text-lg font-semibold" aria-live="polite">
          {t("inquiries.count", { count: list.total })}
        </h2>
        {list.rows.length > 0 && (
          <div className="mt-3 overflow-x-auto rounded-lg bg-white shadow">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">{t("inquiries.title")}</caption>
              <thead>
                <tr className="border-b border-gray-300">
                  {pack && <th scope="col" className="px-3 py-2">{t("companyCoaching.packForm.pickColumn")}</th>}
                  <th scope="col" className="px-3 py-2">{t("inquiries.ref")}</th>
                  <th scope="col" className="px-3 py-2">{t("inquiries.when")}</th>
                  <th scope="col" className="px-3 py-2">{t("trends.channel")}</th>
                  <th scope="col" className="px-3 py-2">{t("inquiries.shopper")}</th>
                  <th scope="col" className="px-3 py-2 text-right">{t("overview.totalScore")}</th>
                  <th scope="col" className="px-3 py-2">{t("overview.bands.band")}</th>
                  <th scope="col" className="px-3 py-2">{t("inquiries.comment")}</th>
                </tr>
              </thead>
              <tbody>
                {list.rows.map((r) => (
                  <tr key={r.ref} className="border-b border-gray-100 align-top">
                    {pack && (
                      <td className="px-3 py-2">
                        <input
                          type="checkbox"
                          name="ref"
                          value={r.ref}
                          form="pack-form"
                          aria-label={t("companyCoaching.packForm.pick", { ref: r.ref })}
                          className="h-4 w-4"
                        />
                      </td>
                    )}
                    <th scope="row" className="px-3 py-2 font-medium">
                      <Link to={`/company/inquiries/${encodeURIComponent(r.ref)}${search}`} className="text-blue-700 underline">
                        {r.ref}
                      </Link>
                    </th>
                    <td className="px-3 py-2 whitespace-nowrap">{formatDateTime(new Date(r.contactedAt), locale)}</td>
                    <td className="px-3 py-2">{t(`channel.${r.channel}`)}</td>
                    <td className="px-3 py-2">
                      {t(`gender.${r.shopper.gender}`)}, {t("variance.ageGroup", { group: r.shopper.ageGroup })}, {r.shopper.region}
                    </td>
                    <td className="px-3 py-2 text-right tabular-nums">
                      {r.answered ? formatScore(r.totalScore, locale) : <span>{formatScore(0, locale)} ({t("inquiries.unanswered")})</span>}
                    </td>
                    <td className="px-3 py-2">{t(`band.${r.band}`)}</td>
                    <td className="px-3 py-2 text-gray-800">{r.excerpt ?? "–"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {list.pages > 1 && (
          <nav aria-label={t("common.pagination")} className="mt-4 flex items-center gap-4">
            {list.page > 1 && (
              <Link to={pageLink(list.page - 1)} className="text-blue-700 underline">
                {t("common.previous")}
              </Link>
            )}
            <span>{t("inquiries.pageOf", { page: list.page, pages: list.pages })}</span>
            {list.page < list.pages && (
              <Link to={pageLink(list.page + 1)} className="text-blue-700 underline">
                {t("common.next")}
              </Link>
            )}
          </nav>
        )}
      </section>

      {pack && list.total > 0 && (
        <Form method="post" action="/company/coaching/packs/new" id="pack-form" className="rounded-lg bg-white p-5 shadow" aria-labelledby="pack-title">
          <h2 id="pack-title" className="text-lg font-semibold">{t("companyCoaching.packForm.title")}</h2>
          <p className="mt-1 text-sm text-gray-700">{t("companyCoaching.packForm.intro", { count: formatNumber(list.total, locale) })}</p>
          {(["study", "channel", "band", "gender", "age", "region", "answered", "area", "below", "min", "max", "q", "sort"] as const).map((key) =>
            query[key] === undefined ? null : <input key={key} type="hidden" name={key} value={String(query[key])} />,
          )}
          <fieldset className="mt-3">
            <legend className="text-sm font-medium">{t("companyCoaching.packForm.format")}</legend>
            <div className="mt-1 flex flex-wrap gap-4">
              {PACK_FORMATS.map((format, i) => (
                <label key={format} className="flex items-center gap-2">
                  <input type="radio" name="format" value={format} defaultChecked={i === 0} />
                  {t(`companyCoaching.packForm.${format}`)}
                </label>
              ))}
            </div>
          </fieldset>
          {pack.hideAgents ? (
            <p className="mt-3 text-sm text-gray-700">{t("companyCoaching.packForm.agentsHidden")}</p>
          ) : (
            <label className="mt-3 flex items-center gap-2">
              <input type="checkbox" name="agents" value="on" className="h-4 w-4" />
              {t("companyCoaching.packForm.agents")}
            </label>
          )}
          <button type="submit" className="mt-4 rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800">
            {t("companyCoaching.packForm.submit")}
          </button>
        </Form>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
