// The results list for the press as spreadsheets: one table, class by class (rank, company,
// total score), then the best in each channel and the overall winner. The CSV follows the
// coaching exports' dialect (../coaching-render.server.ts): UTF-8 with a byte-order mark, `;`,
// decimal comma, every text field quoted and neutralised (~/domain/spreadsheet-safety). Scores
// carry the full stored precision (spec/scoring.md: exports do); the XLSX shows them with one
// decimal, as the pages and the PDF do, and holds the exact value.
//
// A class with fewer than 3 participants: the product never shows its ranking (benchmark_class
// .shown, the anonymity rule), and it names no winner; its participants are listed by name in
// alphabetical order, without rank or score, with a note saying why.

import ExcelJS from "exceljs";
import type { Locale } from "~/domain/format";
import { neutraliseCell, toCsv, type CsvValue } from "~/domain/spreadsheet-safety";
import { translate, type MessageKey } from "~/i18n/i18n";
import { prizeLabel } from "./labels";
import { classRankingShown, type AwardWinner, type ResultsList, type ResultsListClass, type ResultsListRow } from "./types";

export type ResultsPart = "class" | "channel" | "overall";

/** One line of the table: which part, which class or channel, and (where published) rank and score. */
export interface ResultsLine {
  part: ResultsPart;
  /** the class or channel in words; "" for the overall winner */
  group: string;
  rank: number | null;
  participantName: string | null;
  score: number | null;
  note: string;
}

const collator = new Intl.Collator("nb-NO");

/** The class's rows as published: by rank (ties by name) where the ranking is shown, else by name alone. */
export function publishedRows(entry: ResultsListClass): { shown: boolean; rows: ResultsListRow[] } {
  const shown = classRankingShown(entry);
  const rows = [...entry.rows].sort((a, b) => (shown ? a.rank - b.rank : 0) || collator.compare(a.participantName, b.participantName));
  return { shown, rows };
}

function winnerLines(part: ResultsPart, group: string, winners: AwardWinner[], locale: Locale, noWinnerNote: string): ResultsLine[] {
  if (winners.length === 0) return [{ part, group, rank: null, participantName: null, score: null, note: noWinnerNote }];
  const note = winners.length > 1 ? translate(locale, "awards.results.shared") : "";
  return [...winners]
    .sort((a, b) => collator.compare(a.participantName, b.participantName))
    .map((winner) => ({ part, group, rank: null, participantName: winner.participantName, score: winner.score, note }));
}

/** The list as lines, in the order every format prints it. */
export function resultsLines(list: ResultsList, locale: Locale): ResultsLine[] {
  const lines: ResultsLine[] = [];
  for (const entry of list.classes) {
    const { shown, rows } = publishedRows(entry);
    const note = shown ? "" : translate(locale, "awards.results.smallClassNote");
    for (const row of rows) {
      lines.push({
        part: "class",
        group: entry.className,
        rank: shown ? row.rank : null,
        participantName: row.participantName,
        score: shown ? row.totalScore : null,
        note,
      });
    }
  }
  const noChannelWinner = `${translate(locale, "awards.results.noWinner")}: ${translate(locale, "awards.results.noChannelWinner")}`;
  for (const { channel, winners } of list.channels) {
    lines.push(...winnerLines("channel", translate(locale, `channel.${channel}`), winners, locale, noChannelWinner));
  }
  lines.push(...winnerLines("overall", "", list.overall.winners, locale, translate(locale, "awards.results.noWinner")));
  return lines;
}

const PART_LABELS: Record<ResultsPart, MessageKey> = { class: "awards.part.class", channel: "awards.part.channel", overall: "awards.part.overall" };

const COLUMNS: { header: MessageKey; width: number }[] = [
  { header: "awards.col.part", width: 14 },
  { header: "awards.col.group", width: 30 },
  { header: "awards.col.rank", width: 11 },
  { header: "awards.col.company", width: 44 },
  { header: "awards.col.score", width: 10 },
  { header: "awards.col.note", width: 40 },
];

function header(locale: Locale): string[] {
  return COLUMNS.map((column) => translate(locale, column.header));
}

function cells(line: ResultsLine, locale: Locale): CsvValue[] {
  return [translate(locale, PART_LABELS[line.part]), line.group, line.rank, line.participantName, line.score, line.note];
}

/** The list as CSV text (with its byte-order mark); write it as UTF-8. */
export function resultsListCsv(list: ResultsList, locale: Locale): string {
  return toCsv([header(locale), ...resultsLines(list, locale).map((line) => cells(line, locale))], { delimiter: ";", decimalComma: true });
}

export async function resultsListXlsx(list: ResultsList, locale: Locale): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = translate(locale, "app.name");
  workbook.title = translate(locale, "awards.results.documentTitle", { prize: prizeLabel(list.year, locale) });
  const sheet = workbook.addWorksheet(translate(locale, "awards.results.title"), { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = COLUMNS.map(({ width }) => ({ width }));
  const head = sheet.addRow(header(locale));
  head.font = { bold: true };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: COLUMNS.length } };
  for (const line of resultsLines(list, locale)) {
    const row = sheet.addRow([]);
    cells(line, locale).forEach((value, index) => {
      if (value === null || value === undefined || value === "") return;
      const cell = row.getCell(index + 1);
      // Text always as a plain, neutralised string: exceljs writes formulas only for { formula } objects.
      if (typeof value === "string") cell.value = neutraliseCell(value);
      else {
        cell.value = Number(value);
        cell.numFmt = index === 2 ? "0" : "0.0";
      }
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
