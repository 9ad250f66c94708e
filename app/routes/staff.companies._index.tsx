import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import * as z from "zod";
import { requireStaff } from "~/auth/guards.server";
import { getDatabase } from "#db/client.server";
import { formatNumber } from "~/domain/format";
import { useLocale, useT } from "~/i18n/i18n";
import { listCompanies } from "~/models/admin/company-admin.server";
import { Button, TextLink } from "~/ui/button";
import { DataTable, type Column } from "~/ui/data-table";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { FilterInput } from "~/ui/filter-select";
import { Notice } from "~/ui/notice";
import { PageHeader } from "~/ui/page-header";
import { Pager } from "~/ui/pager";

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
  type Company = (typeof companies)[number];
  const columns: Column<Company>[] = [
    { key: "name", header: t("staff.companies.name"), rowHeader: true, cell: (c) => <TextLink to={`/staff/companies/${encodeURIComponent(c.code)}`}>{c.name}</TextLink> },
    { key: "code", header: t("staff.companies.code"), cell: (c) => <span className="font-mono">{c.code}</span> },
    { key: "orgNumber", header: t("staff.companies.orgNumber"), className: "tabular-nums", cell: (c) => c.orgNumber ?? "–" },
    { key: "years", header: t("staff.companies.years"), cell: (c) => c.years.join(", ") || "–" },
    { key: "people", header: t("staff.companies.people"), numeric: true, cell: (c) => formatNumber(c.members, locale) },
  ];
  return (
    <div className="space-y-6">
      <PageHeader title={t("staff.companies.title")} />
      {deleted && <Notice tone="success">{t("staff.company.delete.done", { name: deleted })}</Notice>}
      <Form method="get" role="search" className="flex flex-wrap items-start gap-3">
        <FilterInput id="q" name="q" label={t("staff.companies.search")} help={t("staff.companies.searchHelp")} value={q} type="search" className="w-full sm:w-96" />
        <Button className="sm:mt-6">{t("staff.companies.searchSubmit")}</Button>
      </Form>
      <DataTable
        caption={t("staff.companies.title")}
        captionHidden
        columns={columns}
        rows={companies}
        rowKey={(c) => c.id}
        empty={q ? t("staff.companies.noMatch", { q }) : t("staff.companies.none")}
      />
      <Pager page={page} hasNext={hasNext} href={pageLink} />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
