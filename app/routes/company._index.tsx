import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { notFound, requireTenantMember } from "~/auth/guards.server";
import { getDatabase, withTenant } from "#db/client.server";
import { formatPercent, formatScore } from "~/domain/format";
import { useLocale, useT } from "~/i18n/i18n";
import { getOverview, listPublishedStudies } from "~/models/overview.server";
import { BandChart } from "~/ui/band-chart";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { Kpi } from "~/ui/kpi";

export const meta: MetaFunction = () => [{ title: "Oversikt – Innsikt" }];

const QuerySchema = z.object({ study: z.coerce.number().int().min(1900).max(2999).optional() });

export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requireTenantMember(request);
  const query = QuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw notFound();
  const { db } = await getDatabase();
  return withTenant(db, member.tenantId, async (scope) => {
    const overview = await getOverview(scope, query.data.study);
    if (overview) return { overview, empty: false as const };
    // A named study the company did not take part in (or that is unpublished) is 404.
    if (query.data.study !== undefined || (await listPublishedStudies(scope)).length > 0) throw notFound();
    return { overview: null, empty: true as const };
  });
}

export default function CompanyOverview() {
  const { overview } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  if (!overview) {
    return (
      <section className="rounded-lg bg-white p-8 shadow">
        <h1 className="text-2xl font-semibold">{t("overview.noStudy")}</h1>
        <p className="mt-2 text-gray-700">{t("overview.noStudy.body")}</p>
      </section>
    );
  }
  const klass = overview.class;
  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <p className="text-sm font-medium text-gray-700">{overview.participantName}</p>
          <h1 className="text-3xl font-semibold">
            {t("overview.title")}: {overview.study.name}
          </h1>
          <p className="mt-1 text-gray-700">{t("overview.class", { name: klass.name })}</p>
        </div>
        {overview.studies.length > 1 && (
          <Form method="get" className="flex items-end gap-2">
            <div>
              <label htmlFor="study" className="block text-sm font-medium">
                {t("overview.chooseStudy")}
              </label>
              <select id="study" name="study" defaultValue={overview.study.year} className="mt-1 rounded border border-gray-400 px-2 py-1">
                {overview.studies.map((s) => (
                  <option key={s.year} value={s.year}>
                    {s.name}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className="rounded border border-gray-400 px-3 py-1 hover:bg-gray-50">
              {t("overview.show")}
            </button>
          </Form>
        )}
      </div>
      <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5">
        <Kpi label={t("overview.totalScore")} value={formatScore(overview.totalScore, locale)} />
        <Kpi
          label={t("overview.rank")}
          value={klass.rank !== null ? t("overview.rankOf", { rank: klass.rank, n: klass.participants }) : "–"}
        />
        <Kpi label={t("overview.classMean")} value={klass.mean !== null ? formatScore(klass.mean, locale) : "–"} />
        <Kpi label={t("overview.classBest")} value={klass.best !== null ? formatScore(klass.best, locale) : "–"} />
        <Kpi
          label={t("overview.answerRate")}
          value={formatPercent(overview.answerRate, locale)}
          detail={t("overview.answeredOf", { answered: overview.answered, total: overview.inquiries })}
        />
      </dl>
      {!klass.shown && (
        <p role="note" className="rounded border border-gray-300 bg-white p-4 text-gray-800">
          {t("overview.classHidden")}
        </p>
      )}
      <BandChart own={overview.bands} reference={overview.wholeStudy.bands} />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
