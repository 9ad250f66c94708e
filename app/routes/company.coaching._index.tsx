import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireTenantMember } from "~/auth/guards.server";
import { getDatabase, withTenant } from "#db/client.server";
import { can } from "~/domain/permissions";
import { formatDate, formatDateTime, formatKroner } from "~/domain/format";
import { useLocale, useT } from "~/i18n/i18n";
import { companyMayCancel, listCompanyBookings } from "~/models/coaching/booking.server";
import { listExports } from "~/models/coaching/coaching-exports.server";
import { ButtonLink, TextLink } from "~/ui/button";
import { BookingStatusBadge, ExportStatus } from "~/ui/coaching";
import { CompanyPageHeader } from "~/ui/company-page-header";
import { TableSection, type Column } from "~/ui/data-table";
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

type BookingRow = ReturnType<typeof useLoaderData<typeof loader>>["bookings"][number];
type ExportRow = ReturnType<typeof useLoaderData<typeof loader>>["exports"][number];

export default function CoachingPage() {
  const { companyName, canBook, exports, bookings } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const bookingColumns: Column<BookingRow>[] = [
    { key: "when", header: t("companyCoaching.bookings.when"), cell: (b) => formatDateTime(new Date(b.startsAt), locale), className: "whitespace-nowrap" },
    { key: "product", header: t("companyCoaching.bookings.product"), cell: (b) => (locale === "nb" ? b.productName : b.productNameEn) },
    { key: "coach", header: t("companyCoaching.bookings.coach"), cell: (b) => b.coachName },
    {
      key: "payment",
      header: t("companyCoaching.bookings.payment"),
      cell: (b) => `${t(b.paymentMethod === "card" ? "companyCoaching.method.card" : "companyCoaching.method.invoice")}, ${formatKroner(b.priceOre, locale)}`,
    },
    { key: "status", header: t("companyCoaching.bookings.status"), cell: (b) => <BookingStatusBadge status={b.status} refunded={b.refunded} /> },
    {
      key: "open",
      header: <span className="sr-only">{t("companyCoaching.actions")}</span>,
      cell: (b) => (
        <TextLink to={`/company/coaching/bookings/${b.id}`}>
          {t("companyCoaching.bookings.open")}
          <span className="sr-only"> {formatDateTime(new Date(b.startsAt), locale)}</span>
        </TextLink>
      ),
    },
  ];
  const exportColumns: Column<ExportRow>[] = [
    {
      key: "created",
      header: t("companyCoaching.exports.created"),
      cell: (e) => <TextLink to={`/company/coaching/packs/${e.id}`}>{formatDateTime(new Date(e.createdAt), locale)}</TextLink>,
      className: "whitespace-nowrap",
    },
    { key: "by", header: t("companyCoaching.exports.by"), cell: (e) => e.createdByName ?? "–" },
    { key: "study", header: t("companyCoaching.exports.study"), cell: (e) => e.year },
    { key: "format", header: t("companyCoaching.exports.format"), cell: (e) => e.format.toUpperCase() },
    { key: "count", header: t("companyCoaching.exports.count"), cell: (e) => e.inquiryCount, numeric: true },
    { key: "expires", header: t("companyCoaching.exports.expires"), cell: (e) => formatDate(new Date(e.expiresAt), locale), className: "whitespace-nowrap" },
    { key: "file", header: t("companyCoaching.exports.file"), cell: (e) => <ExportStatus id={e.id} status={e.status} fileName={e.fileName} /> },
  ];
  return (
    <div className="space-y-8">
      <CompanyPageHeader
        title={t("companyCoaching.title")}
        companyName={companyName}
        intro={t("companyCoaching.intro")}
        actions={
          <>
            <ButtonLink to="/company/inquiries">{t("companyCoaching.makePack")}</ButtonLink>
            {canBook && (
              <ButtonLink to="/company/coaching/book" tone="primary">
                {t("companyCoaching.book")}
              </ButtonLink>
            )}
          </>
        }
      />
      <TableSection id="bookings" title={t("companyCoaching.bookings.title")} columns={bookingColumns} rows={bookings} rowKey={(b) => b.id} empty={t("companyCoaching.bookings.none")} />
      <TableSection
        id="exports"
        title={t("companyCoaching.exports.title")}
        description={t("companyCoaching.exports.kept")}
        columns={exportColumns}
        rows={exports}
        rowKey={(e) => e.id}
        empty={t("companyCoaching.exports.none")}
      />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
