import { NavLink, Outlet } from "@remix-run/react";
import { useT, type MessageKey } from "~/i18n/i18n";
import { GeneralErrorBoundary } from "~/ui/error-boundary";

// The follow-up pages (issue 18): targets, action plans and the coaching log, each a tab here.
// No loader: every tab guards itself.

const TABS: { to: string; label: MessageKey }[] = [{ to: "/company/follow-up/targets", label: "followUp.tab.targets" }];

export default function FollowUpFrame() {
  const t = useT();
  return (
    <div className="space-y-6">
      <nav aria-label={t("followUp.nav")} className="border-b border-gray-200 print:hidden">
        <ul className="-mb-px flex flex-wrap gap-4">
          {TABS.map((tab) => (
            <li key={tab.to}>
              <NavLink
                to={tab.to}
                className={({ isActive }) =>
                  `inline-block border-b-2 px-1 py-2 font-medium ${isActive ? "border-blue-700 text-blue-800" : "border-transparent text-gray-700 hover:text-blue-800"}`
                }>
                {t(tab.label)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
