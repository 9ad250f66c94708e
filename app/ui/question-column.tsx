import type { ReactNode } from "react";
import type { Column } from "./data-table";

/** The row-naming column of a table of questions: the code in bold, the text, and an optional note under it. */
export function questionColumn<Row extends { code: string }>(header: ReactNode, text: (row: Row) => string, note?: (row: Row) => ReactNode): Column<Row> {
  return {
    key: "question",
    header,
    rowHeader: true,
    className: "!font-normal",
    cell: (row) => (
      <>
        <span className="font-medium">{row.code}</span> {text(row)}
        {note?.(row)}
      </>
    ),
  };
}
