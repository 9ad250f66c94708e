import { useId, type ReactNode, type TdHTMLAttributes, type ThHTMLAttributes } from "react";
import { Section } from "./section";

// Tables of the kit. The box scrolls inside itself (sideways on a phone, down with a sticky
// header when long) and is a focusable, named region so a keyboard can scroll it; numeric
// columns are right-aligned with tabular figures. DataTable covers the usual "rows of a
// list" table; TableBox/Th/Td are the same parts for a table with a shape of its own.
// The box is `relative` so that sr-only text in its rows (absolutely positioned) is clipped
// by it instead of lengthening (or widening) the page.

export function TableBox({
  caption,
  captionHidden = false,
  className = "",
  children,
}: {
  caption: ReactNode;
  /** Keep the caption for screen readers only (when a heading right above says the same). */
  captionHidden?: boolean;
  className?: string;
  children: ReactNode;
}) {
  const captionId = useId();
  return (
    <div
      role="region"
      aria-labelledby={captionId}
      tabIndex={0}
      className={`relative max-h-[75vh] overflow-auto rounded-lg bg-white shadow print:max-h-none print:overflow-visible print:shadow-none ${className}`}
    >
      <table className="w-full border-collapse text-left text-sm">
        <caption id={captionId} className={captionHidden ? "sr-only" : "px-3 pb-1 pt-3 text-left font-semibold text-gray-900"}>
          {caption}
        </caption>
        {children}
      </table>
    </div>
  );
}

/** A header cell; in a thead it sticks to the top of the box. */
export function Th({ numeric, className = "", scope = "col", ...props }: ThHTMLAttributes<HTMLTableCellElement> & { numeric?: boolean }) {
  // A row header lines up with the row's cells (top); a column header sits on its column.
  const sticky = scope === "col" ? "sticky top-0 z-10 border-b border-gray-300 bg-gray-50 align-bottom font-semibold print:static" : "align-top font-medium";
  return <th scope={scope} className={`px-3 py-2 ${sticky} ${numeric ? "text-right tabular-nums" : ""} ${className}`} {...props} />;
}

export function Td({ numeric, className = "", ...props }: TdHTMLAttributes<HTMLTableCellElement> & { numeric?: boolean }) {
  return <td className={`px-3 py-2 align-top ${numeric ? "text-right tabular-nums whitespace-nowrap" : ""} ${className}`} {...props} />;
}

/** A body row with the kit's row rule. */
export function Tr({ className = "", ...props }: React.HTMLAttributes<HTMLTableRowElement>) {
  return <tr className={`border-b border-gray-100 last:border-b-0 ${className}`} {...props} />;
}

export interface Column<Row> {
  key: string;
  header: ReactNode;
  cell: (row: Row) => ReactNode;
  numeric?: boolean;
  /** The cell that names the row: a <th scope="row">. */
  rowHeader?: boolean;
  className?: string;
  /** A class of one row's cell (e.g. a gap coloured by its size). */
  cellClassName?: (row: Row) => string;
}

export function DataTable<Row>({
  caption,
  captionHidden,
  columns,
  rows,
  rowKey,
  empty,
  footer,
  className,
}: {
  caption: ReactNode;
  captionHidden?: boolean;
  columns: readonly (Column<Row> | false | null | undefined)[];
  rows: readonly Row[];
  rowKey: (row: Row, index: number) => string;
  /** Shown instead of the table when there are no rows. */
  empty: ReactNode;
  /** Rows of a <tfoot> (e.g. a total). */
  footer?: ReactNode;
  className?: string;
}) {
  const shown = columns.filter((c): c is Column<Row> => Boolean(c));
  if (rows.length === 0) {
    return <p className={`rounded-lg bg-white p-5 text-gray-700 shadow ${className ?? ""}`}>{empty}</p>;
  }
  return (
    <TableBox caption={caption} captionHidden={captionHidden} className={className}>
      <thead>
        <tr>
          {shown.map((c) => (
            <Th key={c.key} numeric={c.numeric} className={c.className}>
              {c.header}
            </Th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          <Tr key={rowKey(row, i)}>
            {shown.map((c) =>
              c.rowHeader ? (
                <Th key={c.key} scope="row" numeric={c.numeric} className={`${c.className ?? ""} ${c.cellClassName?.(row) ?? ""}`}>
                  {c.cell(row)}
                </Th>
              ) : (
                <Td key={c.key} numeric={c.numeric} className={`${c.className ?? ""} ${c.cellClassName?.(row) ?? ""}`}>
                  {c.cell(row)}
                </Td>
              ),
            )}
          </Tr>
        ))}
      </tbody>
      {footer && <tfoot className="border-t-2 border-gray-300 font-semibold">{footer}</tfoot>}
    </TableBox>
  );
}

/**
 * A titled table on its own: a plain Section whose heading names the table (the caption is
 * then for screen readers only). `children` go under the table, e.g. a note on hidden figures.
 */
export function TableSection<Row>({
  id,
  title,
  description,
  children,
  ...table
}: { id: string; title: string; description?: ReactNode; children?: ReactNode } & Omit<Parameters<typeof DataTable<Row>>[0], "caption" | "captionHidden">) {
  return (
    <Section id={id} title={title} description={description} plain>
      <DataTable caption={title} captionHidden {...table} />
      {children}
    </Section>
  );
}
