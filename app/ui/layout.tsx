import { Form, Link, useLocation } from "@remix-run/react";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { can } from "~/domain/permissions";
import type { TenantRole } from "~/domain/types";
import { useLocale, useT } from "~/i18n/i18n";

const MENU_ID = "main-menu";

export interface ShellUser {
  name: string;
  email: string;
  isStaff: boolean;
}

export interface ShellTenant {
  active: { tenantId: string; tenantName: string; role: TenantRole } | null;
  memberships: { tenantId: string; tenantName: string; role: TenantRole }[];
}

export function AppShell({ user, tenant, children }: { user: ShellUser | null; tenant: ShellTenant | null; children: ReactNode }) {
  const t = useT();
  const locale = useLocale();
  const location = useLocation();
  const here = location.pathname + location.search;
  const [open, setOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  // A new page closes the menu; Escape closes it and gives focus back to its button.
  useEffect(() => setOpen(false), [location.key]);
  useEffect(() => {
    if (!open) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setOpen(false);
      menuButton.current?.focus();
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [open]);
  // One entry per section; `also` are the other paths of its section (its tabs), which mark it too.
  const links: { to: string; label: string; also?: string[] }[] = [];
  if (tenant?.active) {
    const role = tenant.active.role;
    links.push({ to: "/company", label: t("nav.overview") });
    links.push({ to: "/company/inquiries", label: t("nav.inquiries") });
    links.push({ to: "/company/variance", label: t("nav.variance") });
    links.push({ to: "/company/comparison", label: t("nav.comparison") });
    links.push({ to: "/company/trends", label: t("nav.trends"), also: ["/company/score-bands"] });
    links.push({ to: "/company/awards", label: t("nav.awards") });
    links.push({ to: "/company/follow-up", label: t("nav.followUp"), also: ["/company/plans", "/company/coaching/log"] });
    if (can(role, "coaching:export")) links.push({ to: "/company/coaching", label: t("nav.companyCoaching") });
    // The settings are a manager's (members, sign-in, API tokens, privacy), as tabs of one entry.
    if (can(role, "members:manage")) links.push({ to: "/company/settings/members", label: t("nav.settings"), also: ["/company/settings"] });
  }
  if (user?.isStaff) {
    links.push({ to: "/staff", label: t("nav.studies") });
    links.push({ to: "/staff/companies", label: t("nav.companies") });
    links.push({ to: "/staff/coaching", label: t("nav.coaching") });
    links.push({ to: "/staff/bookings", label: t("nav.bookings") });
    links.push({ to: "/staff/audit", label: t("nav.audit") });
  }
  const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);
  /** The entry of the page's section: the longest path any entry claims (so the coaching log is the follow-up's, not coaching's). */
  const claims = links.flatMap((l) => [l.to, ...(l.also ?? [])].filter((p) => (p === "/company" || p === "/staff" ? location.pathname === p : under(location.pathname, p))).map((p) => ({ l, p })));
  const current = claims.sort((a, b) => b.p.length - a.p.length)[0]?.l ?? null;
  const hasMenu = user !== null;
  const tools = (
    <div className={`flex flex-wrap items-center gap-3 md:ml-auto ${hasMenu ? "border-t border-gray-200 pt-3 md:border-0 md:pt-0" : "ml-auto"}`}>
      {tenant && tenant.memberships.length > 1 && tenant.active && (
        <Form method="post" action="/switch-company" className="flex min-w-0 max-w-full items-center gap-2">
          <label htmlFor="tenant-switcher" className="text-sm text-gray-700">
            {t("switcher.label")}
          </label>
          <select id="tenant-switcher" name="tenantId" defaultValue={tenant.active.tenantId} className="min-w-0 rounded border-gray-300 text-sm">
            {tenant.memberships.map((m) => (
              <option key={m.tenantId} value={m.tenantId}>
                {m.tenantName}
              </option>
            ))}
          </select>
          <button type="submit" className="min-h-[2rem] rounded border border-gray-300 px-2 py-1 text-sm hover:bg-gray-50">
            {t("switcher.submit")}
          </button>
        </Form>
      )}
      {tenant?.active && tenant.memberships.length === 1 && <span className="text-sm text-gray-700">{tenant.active.tenantName}</span>}
      <Form method="post" action="/language">
        <input type="hidden" name="redirectTo" value={here} />
        <button
          type="submit"
          name="locale"
          value={locale === "nb" ? "en" : "nb"}
          lang={locale === "nb" ? "en" : "nb"}
          aria-label={t("nav.switchLanguageLabel")}
          className="min-h-[2rem] rounded px-2 py-1 text-sm text-gray-700 underline hover:text-blue-800">
          {t("nav.switchLanguage")}
        </button>
      </Form>
      {user && (
        <Link to="/account" className="inline-flex min-h-[2rem] items-center rounded px-2 py-1 text-sm text-gray-700 underline hover:text-blue-800">
          {t("nav.account")}
        </Link>
      )}
      {user && (
        <Form method="post" action="/logout">
          <button type="submit" className="min-h-[2rem] rounded border border-gray-300 px-3 py-1 text-sm hover:bg-gray-50">
            {t("nav.logout")}
          </button>
        </Form>
      )}
    </div>
  );
  return (
    <>
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:p-2 print:hidden">
        {t("skip.toMain")}
      </a>
      <header className="border-b border-gray-200 bg-white print:hidden">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
          <Link to="/" className="text-lg font-bold text-blue-800">
            {t("app.name")}
          </Link>
          {hasMenu ? (
            <>
              <button
                ref={menuButton}
                type="button"
                aria-expanded={open}
                aria-controls={MENU_ID}
                onClick={() => setOpen((o) => !o)}
                className="menu-button ml-auto inline-flex min-h-[2.5rem] items-center gap-2 rounded-md border border-gray-500 bg-white px-3 py-2 font-medium text-gray-900 hover:bg-gray-50 md:hidden">
                <svg aria-hidden="true" viewBox="0 0 20 20" className="h-5 w-5" fill="currentColor">
                  {open ? (
                    <path d="M5.3 4.3 10 9l4.7-4.7 1 1L11 10l4.7 4.7-1 1L10 11l-4.7 4.7-1-1L9 10 4.3 5.3z" />
                  ) : (
                    <path d="M3 5h14v1.5H3zm0 4.25h14v1.5H3zM3 13.5h14V15H3z" />
                  )}
                </svg>
                {t("nav.menu")}
              </button>
              {/* Below md the menu is a disclosure; from md up (and without JavaScript, see tailwind.css) it is always shown. */}
              <div id={MENU_ID} className={`menu-panel ${open ? "flex" : "hidden"} w-full flex-col gap-3 pb-1 md:contents`}>
                {links.length > 0 && (
                  <nav aria-label={t("nav.main")}>
                    <ul className="flex flex-col gap-1 md:flex-row md:gap-4">
                      {links.map((link) => (
                        <li key={link.to}>
                          <Link
                            to={link.to}
                            aria-current={link === current ? "page" : undefined}
                            className={`block rounded px-2 py-2 font-medium md:inline md:py-1 ${link === current ? "bg-blue-50 text-blue-800" : "text-gray-700 hover:text-blue-800"}`}>
                            {link.label}
                          </Link>
                        </li>
                      ))}
                    </ul>
                  </nav>
                )}
                {tools}
              </div>
            </>
          ) : (
            tools
          )}
        </div>
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-8">
        {children}
      </main>
    </>
  );
}
