import { Link } from "@remix-run/react";
import { useT } from "~/i18n/i18n";

/**
 * "Forrige · Side 2 av 9 · Neste" under a paged list; nothing when there is one page. A list
 * that does not count its pages passes `hasNext` instead of `pages` (no "Side x av y" then).
 */
export function Pager({ page, pages, hasNext, href }: { page: number; pages?: number; hasNext?: boolean; href: (page: number) => string }) {
  const t = useT();
  const more = pages === undefined ? Boolean(hasNext) : page < pages;
  if (page <= 1 && !more) return null;
  const link = "inline-flex min-h-[2.5rem] items-center font-medium text-blue-700 underline";
  return (
    <nav aria-label={t("common.pagination")} className="mt-4 flex flex-wrap items-center gap-4">
      {page > 1 && (
        <Link to={href(page - 1)} className={link} rel="prev">
          {t("common.previous")}
        </Link>
      )}
      {pages !== undefined && <span>{t("common.pageOf", { page, pages })}</span>}
      {more && (
        <Link to={href(page + 1)} className={link} rel="next">
          {t("common.next")}
        </Link>
      )}
    </nav>
  );
}
