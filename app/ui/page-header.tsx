import type { ReactNode } from "react";

/**
 * The top of every page: its one h1, an optional line under it, and the page's actions.
 * `eyebrow` is a short line above the title (e.g. the company whose figures these are).
 */
export function PageHeader({
  title,
  eyebrow,
  back,
  intro,
  actions,
  children,
}: {
  title: ReactNode;
  eyebrow?: ReactNode;
  /** a link up to the page's parent (e.g. the study an upload belongs to), above the h1 */
  back?: ReactNode;
  intro?: ReactNode;
  actions?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <header className="flex flex-wrap items-end justify-between gap-4">
      <div className="min-w-0">
        {back && <p className="mb-1 text-sm">{back}</p>}
        {eyebrow && <p className="text-sm font-medium text-gray-700">{eyebrow}</p>}
        <h1 className="text-2xl font-semibold text-gray-900">{title}</h1>
        {intro && <div className="mt-1 text-gray-700">{intro}</div>}
        {children}
      </div>
      {actions && <div className="flex flex-wrap items-center gap-3">{actions}</div>}
    </header>
  );
}
