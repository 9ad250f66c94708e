import type { ReactNode } from "react";

/** A headline figure with its label; the figure is text, so screen readers read it as such. */
export function Kpi({ label, value, detail }: { label: string; value: ReactNode; detail?: ReactNode }) {
  return (
    <div className="rounded-lg bg-white p-5 shadow">
      <dt className="text-sm font-medium text-gray-700">{label}</dt>
      <dd className="mt-1 text-3xl font-semibold tabular-nums text-gray-900">{value}</dd>
      {detail && <dd className="mt-1 text-sm text-gray-700">{detail}</dd>}
    </div>
  );
}

/** A row of Kpis (one description list), two to five across depending on the width. */
export function KpiGrid({ label, columns = 4, children }: { label?: string; columns?: 2 | 3 | 4 | 5; children: ReactNode }) {
  const across = { 2: "sm:grid-cols-2", 3: "sm:grid-cols-3", 4: "sm:grid-cols-2 lg:grid-cols-4", 5: "sm:grid-cols-2 lg:grid-cols-5" }[columns];
  return (
    <dl aria-label={label} className={`grid grid-cols-1 gap-4 ${across}`}>
      {children}
    </dl>
  );
}
