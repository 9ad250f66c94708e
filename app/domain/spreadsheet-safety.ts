// Spreadsheet (CSV/formula) injection: a text cell that begins with =, +, -, @, a tab or
// a carriage return may be run as a formula when a spreadsheet opens the file. Text
// written by outsiders (shoppers' comments, transcripts, names) reaches our XLSX and
// CSV exports, so every text cell goes through neutraliseCell first (OWASP's advice:
// prefix a single quote, which spreadsheets show as text). Numbers written as numbers
// are not text and are left alone.

import { stringify, type Options } from "csv-stringify/sync";

const FORMULA_TRIGGERS = new Set(["=", "+", "-", "@", "\t", "\r"]);

/** The text, with a leading `'` when it would otherwise start like a formula. */
export function neutraliseCell(text: string): string {
  return FORMULA_TRIGGERS.has(text.charAt(0)) ? `'${text}` : text;
}

/** A CSV field: text, a number (written bare), or nothing. */
export type CsvValue = string | number | bigint | boolean | null | undefined;

export interface CsvDialect {
  delimiter: ";" | ",";
  /** "78,4" instead of "78.4" (for Excel with Norwegian regional settings). */
  decimalComma?: boolean;
}

/**
 * Text for a CSV field: neutralised at its start and wherever a cell could start inside it
 * when a program splits the line on the other list separator or breaks it at a line break
 * (after `,`, `;`, CR or LF). Quotes alone do not stop that: Excel honours a quote only at
 * the start of a cell, so once the first field's quotes are spent, `"a,=1+1"` splits.
 */
export function neutraliseCsvText(text: string): string {
  return text.replace(/(^|[,;\r\n])(?=[=+\-@\t\r])/g, "$1'");
}

/**
 * Text always quoted (RFC 4180) and neutralised (above), so a program that opens the file
 * with either list separator sees it as one cell, and none of its parts can start a formula
 * if it does not. Numbers and booleans stay bare; null, undefined and NaN are empty.
 */
function csvOptions(dialect: CsvDialect): Options {
  return {
    delimiter: dialect.delimiter,
    record_delimiter: "\r\n",
    quoted_string: true,
    cast: {
      string: (text) => neutraliseCsvText(text),
      number: (n) => (!Number.isFinite(n) ? "" : dialect.decimalComma ? String(n).replace(".", ",") : String(n)),
      bigint: (n) => String(n),
      boolean: (b) => String(b),
    },
  };
}

/** The one CSV writer of every export (csv-stringify): UTF-8 with a byte-order mark (Excel needs it for æøå), CRLF line ends. */
export function toCsv(rows: readonly (readonly CsvValue[])[], dialect: CsvDialect): string {
  return stringify(rows as CsvValue[][], { ...csvOptions(dialect), bom: true });
}
