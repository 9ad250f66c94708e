import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import * as z from "zod";
import { requireStaff } from "~/auth/guards.server";
import { getDatabase } from "#db/client.server";
import { formatNumber } from "~/domain/format";
import { useLocale, useT } from "~/i18n/i18n";
import { listCompanies } from "~/models/admin/company-admin.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";

export const meta: MetaFunction = () => [{ title: "Bedrifter – Innsikt" }];

const Query = z.object({
  q: z.string().max(200).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
  deleted: z.string().max(300).optional().catch(undefined),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const query = Query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const { db } = await getDatabase();
  return { ...(await listCompanies(db, query)), q: query.q ?? "", deleted: query.deleted ?? null };
}

export default function Companies() {
  const { companies, hasNext, page, q, deleted } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const pageLink = (p: number) => `?${new URLSearchParams({ ...(q ? { q } : {}), page: String(p) })}`;
  return (
    <section aria-labelledby="companies-title" className="space-y-6">
      <h1 id="companies-title" className="text-3xl font-semibold">
        {t("staff.companies.title")}
      </h1>
      {deleted && (
        <p role="status" className="rounded border border-green-700 bg-green-50 p-4 text-green-900">
          {t("staff.company.delete.done", { name: deleted })}
        </p>
      )}
      <Form method="get" role="search" className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor="q" className="block text-sm font-medium">
            {t("staff.companies.search")}
          </label>
          <input id="q" name="q" type="search" defaultValue={q} className="mt-1 w-72 rounded border-gray-400" aria-describedby="q-help" />
          <p id="q-help" className="mt-1 text-xs text-gray-700">
            {t("staff.companies.searchHelp")}
          </p>
        </div>
        <button type="submit" className="mb-5 rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800">
          {t("staff.companies.searchSubmit")}
        </button>
      </Form>
      {companies.length === 0 ? (
        <p className="text-gray-700">{q ? t("staff.companies.noMatch", { q }) : t("staff.companies.none")}</p>
      ) : (
        <div className="overflow-x-auto rounded-lg bg-white shadow">
          <table className="w-full text-left">
            <caption className="sr-only">{t("staff.companies.title")}</caption>
            <thead>
              <tr className="border-b border-gray-300">
                <th scope="col" className="px-4 py-3">{t("staff.companies.name")}</th>
                <th scope="col" className="px-4 py-3">{t("staff.companies.code")}</th>
                <th scope="col" className="px-4 py-3">{t("staff.companies.orgNumber")}</th>
                <th scope="col" className="px-4 py-3">{t("staff.companies.years")}</th>
                <th scope="col" className="px-4 py-3 text-right">{t("staff.companies.people")}</th>
              </tr>
            </thead>
            <tbody>
              {companies.map((c) => (
                <tr key={c.id} className="border-b border-gray-100">
                  <th scope="row" className="px-4 py-3 font-medium">
                    <Link to={`/staff/companies/${encodeURIComponent(c.code)}`} className="text-blue-700 underline">
                      {c.name}
                    </Link>
                  </th>
                  <td className="px-4 py-3 font-mono text-sm">{c.code}</td>
                  <td className="px-4 py-3 tabular-nums">{c.orgNumber ?? "–"}</td>
                  <td className="px-4 py-3">{c.years.join(", ") || "–"}</td>
                  <td className="px-4 py-3 text-right tabular-nums">{formatNumber(c.members, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label={t("common.pagination")} className="flex gap-4">
        {page > 1 && (
          <Link to={pageLink(page - 1)} className="text-blue-700 underline">
            {t("common.previous")}
          </Link>
        )}
        {hasNext && (
          <Link to={pageLink(page + 1)} className="text-blue-700 underline">
            {t("common.next")}
          </Link>
        )}
      </nav>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
