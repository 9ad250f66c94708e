import { NavLink } from "@remix-run/react";
import { useT, type MessageKey } from "~/i18n/i18n";

/**
 * The pages of one menu entry, as tabs under it: the follow-up (targets, action plans, coaching
 * log) and the company settings. The main menu keeps one entry per section, so it fits one line
 * at desktop width; the tabs say which page of the section this is (aria-current).
 */
export function SectionTabs({ label, tabs }: { label: MessageKey; tabs: readonly { to: string; label: MessageKey }[] }) {
  const t = useT();
  return (
    <nav aria-label={t(label)} className="border-b border-gray-200 print:hidden">
      <ul className="-mb-px flex flex-wrap gap-x-4">
        {tabs.map((tab) => (
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
  );
}

/** Targets and response-time goals, action plans, the coaching log: every member reads them. */
export const FOLLOW_UP_TABS = [
  { to: "/company/follow-up/targets", label: "followUp.tab.targets" },
  { to: "/company/plans", label: "nav.plans" },
  { to: "/company/coaching/log", label: "nav.coachingLog" },
] as const satisfies readonly { to: string; label: MessageKey }[];

/** The company's settings: a manager's pages. */
export const SETTINGS_TABS = [
  { to: "/company/settings/members", label: "nav.members" },
  { to: "/company/settings/sso", label: "nav.sso" },
  { to: "/company/settings/tokens", label: "nav.apiTokens" },
  { to: "/company/settings/privacy", label: "nav.privacy" },
] as const satisfies readonly { to: string; label: MessageKey }[];

export const FollowUpTabs = () => <SectionTabs label="followUp.nav" tabs={FOLLOW_UP_TABS} />;
export const SettingsTabs = () => <SectionTabs label="settings.nav" tabs={SETTINGS_TABS} />;
