/**
 * A chart's legend as a figcaption (Tremor 3's own legend nests list items wrongly, axe
 * "list"). `swatch` is a whole Tailwind class, e.g. "bg-blue-500", so the build keeps it.
 */
export function ChartLegend({ items, shape = "bar" }: { items: readonly { label: string; swatch: string }[]; shape?: "bar" | "line" }) {
  return (
    <figcaption className="mt-2 flex flex-wrap gap-x-6 gap-y-1 text-sm text-gray-700">
      {items.map((item) => (
        <span key={item.label} className="inline-flex items-center gap-2">
          <span aria-hidden="true" className={`inline-block ${shape === "bar" ? "h-3 w-3 rounded-sm" : "h-1 w-4 rounded"} ${item.swatch}`} />
          {item.label}
        </span>
      ))}
    </figcaption>
  );
}
