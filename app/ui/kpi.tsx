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
