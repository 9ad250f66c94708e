// Small pieces the coaching pages share: a booking's status and an export's file cell.
// They render in the browser too, so nothing here may come from a .server module.

import { useT } from "~/i18n/i18n";
import { TextLink } from "./button";

type BookingStatus = "held" | "confirmed" | "cancelled" | "expired";

const badgeClass: Record<BookingStatus, string> = {
  held: "bg-amber-100 text-amber-900",
  confirmed: "bg-green-100 text-green-900",
  cancelled: "bg-gray-200 text-gray-900",
  expired: "bg-gray-200 text-gray-900",
};

export function BookingStatusBadge({ status, refunded }: { status: BookingStatus; refunded: boolean }) {
  const t = useT();
  return (
    <span className={`inline-block rounded px-2 py-0.5 text-sm font-medium ${badgeClass[status]}`}>
      {t(`companyCoaching.status.${status}`)}
      {refunded ? ` · ${t("companyCoaching.status.refunded")}` : ""}
    </span>
  );
}

export function ExportStatus({ id, status, fileName }: { id: string; status: "building" | "ready" | "failed"; fileName: string }) {
  const t = useT();
  if (status === "ready") {
    return (
      <TextLink to={`/company/coaching/packs/${id}/download`} reloadDocument download>
        {t("companyCoaching.exports.download")}
        <span className="sr-only"> {fileName}</span>
      </TextLink>
    );
  }
  return <span>{t(status === "building" ? "companyCoaching.exports.building" : "companyCoaching.exports.failed")}</span>;
}
