import { Form, Link, NavLink, useLocation } from "@remix-run/react";
import type { ReactNode } from "react";
import { can } from "~/domain/permissions";
import type { TenantRole } from "~/domain/types";
import { useLocale, useT } from "~/i18n/i18n";

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
  const links: { to: string; label: string }[] = [];
  if (tenant?.active) {
    links.push({ to: "/company", label: t("nav.overview") });
    links.push({ to: "/company/inquiries", label: t("nav.inquiries") });
    links.push({ to: "/company/variance", label: t("nav.variance") });
    links.push({ to: "/company/comparison", label: t("nav.comparison") });
    links.push({ to: "/company/trends", label: t("nav.trends") });
    if (can(tenant.active.role, "coaching:export")) links.push({ to: "/company/coaching", label: t("nav.companyCoaching") });
    if (tenant.active.role === "manager") links.push({ to: "/company/settings/tokens", label: t("nav.apiTokens") });
    if (can(tenant.active.role, "privacy:manage")) links.push({ to: "/company/settings/privacy", label: t("nav.privacy") });
  }
  if (user?.isStaff) {
    links.push({ to: "/staff", label: t("nav.studies") });
    links.push({ to: "/staff/companies", label: t("nav.companies") });
    links.push({ to: "/staff/coaching", label: t("nav.coaching") });
    links.push({ to: "/staff/bookings", label: t("nav.bookings") });
    links.push({ to: "/staff/audit", label: t("nav.audit") });
  }
  return (
    <>
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:p-2">
        {t("skip.toMain")}
      </a>
      <header className="border-b border-gray-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
          <Link to="/" className="text-lg font-bold text-blue-800">
            {t("app.name")}
          </Link>
          {links.length > 0 && (
            <nav aria-label={t("nav.main")}>
              <ul className="flex gap-4">
                {links.map((link) => (
                  <li key={link.to}>
                    <NavLink
                      to={link.to}
                      end={link.to === "/staff" || link.to === "/company"}
                      className={({ isActive }) => `rounded px-2 py-1 font-medium ${isActive ? "bg-blue-50 text-blue-800" : "text-gray-700 hover:text-blue-800"}`}
                    >
                      {link.label}
                    </NavLink>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          <div className="ml-auto flex flex-wrap items-center gap-3">
            {tenant && tenant.memberships.length > 1 && tenant.active && (
              <Form method="post" action="/switch-company" className="flex items-center gap-2">
                <label htmlFor="tenant-switcher" className="text-sm text-gray-700">
                  {t("switcher.label")}
                </label>
                <select id="tenant-switcher" name="tenantId" defaultValue={tenant.active.tenantId} className="rounded border-gray-300 text-sm">
                  {tenant.memberships.map((m) => (
                    <option key={m.tenantId} value={m.tenantId}>
                      {m.tenantName}
                    </option>
                  ))}
                </select>
                <button type="submit" className="rounded border border-gray-300 px-2 py-1 text-sm hover:bg-gray-50">
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
                className="rounded px-2 py-1 text-sm text-gray-700 underline hover:text-blue-800">
                {t("nav.switchLanguage")}
              </button>
            </Form>
            {user && (
              <Link to="/account/sessions" className="rounded px-2 py-1 text-sm text-gray-700 underline hover:text-blue-800">
                {t("nav.sessions")}
              </Link>
            )}
            {user && (
              <Form method="post" action="/logout">
                <button type="submit" className="rounded border border-gray-300 px-3 py-1 text-sm hover:bg-gray-50">
                  {t("nav.logout")}
                </button>
              </Form>
            )}
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-8">
        {children}
      </main>
    </>
  );
}
