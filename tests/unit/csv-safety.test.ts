// Every CSV export goes through one writer (app/domain/spreadsheet-safety.ts): however a
// spreadsheet splits its lines, on `;` or on `,`, no cell it makes can start a formula.
// csv-parse stands in for the spreadsheet: relax_quotes makes it honour a quote only at the
// start of a cell, as Excel does, so a file opened with the other separator is read the
// way Excel reads it, not refused.

import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { neutraliseCsvText, toCsv, type CsvValue } from "~/domain/spreadsheet-safety";
import { renderPack } from "~/exports/coaching-render.server";
import { recordsCsv } from "~/models/admin/company-data.server";
import { buildCoachingPack } from "../support/coaching-pack-fixture";

const HOSTILE = [
  "=1+1",
  "-2+3",
  "+1",
  "@SUM(A1)",
  "a;=1+1",
  "a,=1+1",
  "a,=1+1,",
  'a;"=1+1',
  '"=1"',
  "x\n=1",
  "x\r\n-1",
  "\t=1",
  "\r=1",
  '=HYPERLINK("http://x","y")',
  'ok", =1+1, "',
];
const FORMULA_START = /^[=+\-@\t\r]/;
/** A number as the file writes it (a decimal comma splits it in two when read on `,`). */
const NUMBER = /^-?\d+([.,]\d+)?$/;

function cells(csv: string, delimiter: ";" | ","): string[][] {
  return parse(csv, { bom: true, delimiter, relax_quotes: true, relax_column_count: true }) as string[][];
}

/** Every cell a spreadsheet could make of the file that starts like a formula. */
function formulaCells(csv: string): string[] {
  return ([";", ","] as const).flatMap((delimiter) => cells(csv, delimiter).flat().filter((cell) => FORMULA_START.test(cell) && !NUMBER.test(cell)));
}

describe("the CSV writer", () => {
  // Each hostile text first, in the middle and last in its row, beside numbers.
  const rows: CsvValue[][] = [
    ["text", "number", "other", "last"],
    ...HOSTILE.map((text) => [text, -2.5, `${text} ${text}`, text]),
  ];

  for (const dialect of [{ delimiter: ";", decimalComma: true }, { delimiter: "," }] as const) {
    it(`makes no formula cell whichever separator reads a file written with "${dialect.delimiter}"`, () => {
      expect(formulaCells(toCsv(rows, dialect))).toEqual([]);
    });

    it(`reads back on "${dialect.delimiter}" as the text, neutralised, and numbers as numbers`, () => {
      const read = cells(toCsv(rows, dialect), dialect.delimiter);
      expect(read).toEqual(
        rows.map((row) => row.map((value) => (typeof value === "number" ? (dialect.delimiter === ";" ? "-2,5" : "-2.5") : neutraliseCsvText(String(value))))),
      );
    });
  }

  it("quotes every text field and nothing else", () => {
    expect(toCsv([["a", 1, null, "b", true, 1.5]], { delimiter: ";", decimalComma: true })).toBe('\uFEFF"a";1;;"b";true;1,5\r\n');
    expect(neutraliseCsvText("kr 100,- og\n- en strek")).toBe("kr 100,'- og\n'- en strek");
    expect(neutraliseCsvText("Blåbær, 47 22 33 44 55; a=b")).toBe("Blåbær, 47 22 33 44 55; a=b");
  });
});

describe("the exports that write CSV", () => {
  it("the coaching pack: hostile comments, scenarios and transcripts make no formula cell", async () => {
    const { pack } = buildCoachingPack({ inquiries: HOSTILE.length });
    pack.inquiries.forEach((inquiry, i) => {
      inquiry.comment = HOSTILE[i]!;
      inquiry.scenario = HOSTILE[(i + 1) % HOSTILE.length]!;
      inquiry.transcriptExcerpt = HOSTILE[(i + 2) % HOSTILE.length]!;
    });
    const csv = (await renderPack(pack, "csv")).bytes.toString("utf8");
    expect(formulaCells(csv)).toEqual([]);
    const read = cells(csv, ";");
    const comments = read.slice(1).map((row) => row[read[0]!.indexOf("Shopperens kommentar")]);
    expect(comments).toEqual(HOSTILE.map(neutraliseCsvText));
  });

  it("the company data export: hostile text in any column makes no formula cell", () => {
    const records = HOSTILE.map((text, i) => ({ ref: `S21-${i}`, comment: text, score: -1.5, answered: true, contactedAt: new Date(Date.UTC(2021, 0, 14)), details: { text } }));
    const csv = recordsCsv(records);
    expect(formulaCells(csv)).toEqual([]);
    expect(cells(csv, ";").slice(1).map((row) => row[1])).toEqual(HOSTILE.map(neutraliseCsvText));
  });
});
