import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireTenantMember } from "~/auth/guards.server";
import { getDatabase, withTenant } from "#db/client.server";
import { can } from "~/domain/permissions";
import { formatDate, formatDateTime, formatKroner } from "~/domain/format";
import { useLocale, useT } from "~/i18n/i18n";
import { companyMayCancel, listCompanyBookings } from "~/models/coaching/booking.server";
import { listExports } from "~/models/coaching/coaching-exports.server";
import { BookingStatusBadge, ExportStatus } from "~/ui/coaching";
import { GeneralErrorBoundary } from "~/ui/error-boundary";

export const meta: MetaFunction = () => [{ title: "Coaching – Innsikt" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requireTenantMember(request, "coaching:export");
  const { db } = await getDatabase();
  const now = new Date();
  return withTenant(db, member.tenantId, async (scope) => {
    const [exports, bookings] = await Promise.all([listExports(scope, now), listCompanyBookings(scope)]);
    return {
      companyName: member.tenantName,
      canBook: can(member.role, "coaching:book"),
      exports: exports.map(({ selection: _selection, ...e }) => e),
      bookings: bookings.map((b) => ({ ...b, mayCancel: companyMayCancel(b, now) })),
    };
  });
}

export default function CoachingPage() {
  const { companyName, canBook, exports, bookings } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  return (
    <div className="space-y-8">
      <div>
        <p className="text-sm font-medium text-gray-700">{companyName}</p>
        <h1 className="text-3xl font-semibold">{t("companyCoaching.title")}</h1>
        <p className="mt-2 max-w-3xl text-gray-700">{t("companyCoaching.intro")}</p>
        <div className="mt-4 flex flex-wrap gap-3">
          <Link to="/company/inquiries" className="rounded border border-blue-700 px-4 py-2 font-medium text-blue-800 hover:bg-blue-50">
            {t("companyCoaching.makePack")}
          </Link>
          {canBook && (
            <Link to="/company/coaching/book" className="rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800">
              {t("companyCoaching.book")}
            </Link>
          )}
        </div>
      </div>

      <section aria-labelledby="bookings-title">
        <h2 id="bookings-title" className="text-xl font-semibold">{t("companyCoaching.bookings.title")}</h2>
        {bookings.length === 0 ? (
          <p className="mt-2 text-gray-700">{t("companyCoaching.bookings.none")}</p>
        ) : (
          <div className="mt-3 overflow-x-auto rounded-lg bg-white shadow">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">{t("companyCoaching.bookings.title")}</caption>
              <thead>
                <tr className="border-b border-gray-300">
                  <th scope="col" className="px-4 py-2">{t("companyCoaching.bookings.when")}</th>
                  <th scope="col" className="px-4 py-2">{t("companyCoaching.bookings.product")}</th>
                  <th scope="col" className="px-4 py-2">{t("companyCoaching.bookings.coach")}</th>
                  <th scope="col" className="px-4 py-2">{t("companyCoaching.bookings.payment")}</th>
                  <th scope="col" className="px-4 py-2">{t("companyCoaching.bookings.status")}</th>
                  <th scope="col" className="px-4 py-2"><span className="sr-only">{t("companyCoaching.actions")}</span></th>
                </tr>
              </thead>
              <tbody>
                {bookings.map((b) => (
                  <tr key={b.id} className="border-b border-gray-200 last:border-0">
                    <td className="px-4 py-2 whitespace-nowrap">{formatDateTime(new Date(b.startsAt), locale)}</td>
                    <td className="px-4 py-2">{locale === "nb" ? b.productName : b.productNameEn}</td>
                    <td className="px-4 py-2">{b.coachName}</td>
                    <td className="px-4 py-2">
                      {t(b.paymentMethod === "card" ? "companyCoaching.method.card" : "companyCoaching.method.invoice")}, {formatKroner(b.priceOre, locale)}
                    </td>
                    <td className="px-4 py-2"><BookingStatusBadge status={b.status} refunded={b.refunded} /></td>
                    <td className="px-4 py-2">
                      <Link to={`/company/coaching/bookings/${b.id}`} className="text-blue-700 underline hover:text-blue-900">
                        {t("companyCoaching.bookings.open")}<span className="sr-only"> {formatDateTime(new Date(b.startsAt), locale)}</span>
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="exports-title">
        <h2 id="exports-title" className="text-xl font-semibold">{t("companyCoaching.exports.title")}</h2>
        <p className="mt-1 text-sm text-gray-700">{t("companyCoaching.exports.kept")}</p>
        {exports.length === 0 ? (
          <p className="mt-2 text-gray-700">{t("companyCoaching.exports.none")}</p>
        ) : (
          <div className="mt-3 overflow-x-auto rounded-lg bg-white shadow">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">{t("companyCoaching.exports.title")}</caption>
              <thead>
                <tr className="border-b border-gray-300">
                  <th scope="col" className="px-4 py-2">{t("companyCoaching.exports.created")}</th>
                  <th scope="col" className="px-4 py-2">{t("companyCoaching.exports.by")}</th>
                  <th scope="col" className="px-4 py-2">{t("companyCoaching.exports.study")}</th>
                  <th scope="col" className="px-4 py-2">{t("companyCoaching.exports.format")}</th>
                  <th scope="col" className="px-4 py-2">{t("companyCoaching.exports.count")}</th>
                  <th scope="col" className="px-4 py-2">{t("companyCoaching.exports.expires")}</th>
                  <th scope="col" className="px-4 py-2">{t("companyCoaching.exports.file")}</th>
                </tr>
              </thead>
              <tbody>
                {exports.map((e) => (
                  <tr key={e.id} className="border-b border-gray-200 last:border-0">
                    <td className="px-4 py-2 whitespace-nowrap">
                      <Link to={`/company/coaching/packs/${e.id}`} className="text-blue-700 underline hover:text-blue-900">
                        {formatDateTime(new Date(e.createdAt), locale)}
                      </Link>
                    </td>
                    <td className="px-4 py-2">{e.createdByName ?? "–"}</td>
                    <td className="px-4 py-2">{e.year}</td>
                    <td className="px-4 py-2 uppercase">{e.format}</td>
                    <td className="px-4 py-2">{e.inquiryCount}</td>
                    <td className="px-4 py-2 whitespace-nowrap">{formatDate(new Date(e.expiresAt), locale)}</td>
                    <td className="px-4 py-2"><ExportStatus id={e.id} status={e.status} fileName={e.fileName} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
