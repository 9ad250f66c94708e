import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireStaff } from "~/auth/guards.server";
import { getDatabase } from "#db/client.server";
import { formatNumber } from "~/domain/format";
import { useLocale, useT } from "~/i18n/i18n";
import { listStudiesWithCounts } from "~/models/study.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";

export const meta: MetaFunction = () => [{ title: "Undersøkelser – Innsikt" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const { db } = await getDatabase();
  return { studies: await listStudiesWithCounts(db) };
}

export default function StaffStudies() {
  const { studies } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  return (
    <section aria-labelledby="studies-title">
      <h1 id="studies-title" className="text-3xl font-semibold">
        {t("staff.studies.title")}
      </h1>
      {studies.length === 0 ? (
        <p className="mt-4 text-gray-700">{t("staff.studies.none")}</p>
      ) : (
        <div className="mt-6 overflow-x-auto rounded-lg bg-white shadow">
          <table className="w-full text-left">
            <thead>
              <tr className="border-b border-gray-300">
                <th scope="col" className="px-4 py-3">{t("staff.studies.year")}</th>
                <th scope="col" className="px-4 py-3">{t("staff.studies.name")}</th>
                <th scope="col" className="px-4 py-3">{t("staff.studies.status")}</th>
                <th scope="col" className="px-4 py-3 text-right">{t("staff.studies.participants")}</th>
                <th scope="col" className="px-4 py-3 text-right">{t("staff.studies.inquiries")}</th>
              </tr>
            </thead>
            <tbody>
              {studies.map((study) => (
                <tr key={study.id} className="border-b border-gray-100">
                  <th scope="row" className="px-4 py-3 font-medium">{study.year}</th>
                  <td className="px-4 py-3">{study.name}</td>
                  <td className="px-4 py-3">{t(`status.${study.status}`)}</td>
                  <td className="px-4 py-3 text-right tabular-nums">{formatNumber(study.participants, locale)}</td>
                  <td className="px-4 py-3 text-right tabular-nums">{formatNumber(study.inquiries, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
