import type { ComponentProps } from "react";
import { TextField } from "~/ui/form";

/** The file picker of the importers (results, contact lists): they read CSV and XLSX, so it offers only those. */
export function SpreadsheetField(props: Omit<ComponentProps<typeof TextField>, "type" | "accept">) {
  return <TextField {...props} type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" />;
}
