// Spreadsheet (CSV/formula) injection: a text cell that begins with =, +, -, @, a tab or
// a carriage return may be run as a formula when a spreadsheet opens the file. Text
// written by outsiders (shoppers' comments, transcripts, names) reaches our XLSX and
// CSV exports, so every text cell goes through neutraliseCell first (OWASP's advice:
// prefix a single quote, which spreadsheets show as text). Numbers written as numbers
// are not text and are left alone.

const FORMULA_TRIGGERS = new Set(["=", "+", "-", "@", "\t", "\r"]);

/** The text, with a leading `'` when it would otherwise start like a formula. */
export function neutraliseCell(text: string): string {
  return FORMULA_TRIGGERS.has(text.charAt(0)) ? `'${text}` : text;
}
