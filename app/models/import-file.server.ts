// Turns an uploaded file (bytes) into a Sheet of raw strings for app/domain/import-validate.
// Everything that can be refused without reading rows is refused first: size, emptiness,
// a content that is neither CSV nor XLSX (decided by the bytes, never the file name), and
// an XLSX whose ZIP directory promises far more than any workbook needs (a zip bomb).
// Parsing itself is left to csv-parse and exceljs.

import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { parse as parseCsv, CsvError } from "csv-parse";
import ExcelJS from "exceljs";
import yauzl from "yauzl";
import type { ImportProblem, Sheet } from "~/domain/import-validate";

export const MAX_FILE_BYTES = 50 * 1024 * 1024;
/** A real results workbook of 50 MB unpacks to a few hundred MB at most. */
export const MAX_XLSX_UNPACKED_BYTES = 400 * 1024 * 1024;
export const MAX_XLSX_ENTRIES = 2_000;
/** Spreadsheet XML compresses well, but not a thousandfold. */
export const MAX_XLSX_RATIO = 200;

export type FileFormat = "csv" | "xlsx";
export type ReadResult =
  | { ok: true; format: FileFormat; sheet: Sheet }
  | { ok: false; problems: ImportProblem[] };

const msg = (nb: string, en: string) => ({ nb, en });
const fileProblem = (nb: string, en: string, row = 0, value = ""): ImportProblem => ({ row, column: "", value, message: msg(nb, en) });
const refuse = (nb: string, en: string): ReadResult => ({ ok: false, problems: [fileProblem(nb, en)] });

export function checksumOf(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);

/** The size/emptiness/format checks alone; cheap, no parsing. */
export function sniffFormat(bytes: Uint8Array): { ok: true; format: FileFormat } | { ok: false; problems: ImportProblem[] } {
  if (bytes.length > MAX_FILE_BYTES) {
    return refuse(
      `Filen er ${(bytes.length / 1024 / 1024).toFixed(1)} MB; største tillatte størrelse er 50 MB.`,
      `the file is ${(bytes.length / 1024 / 1024).toFixed(1)} MB; the largest allowed is 50 MB`,
    );
  }
  const bom = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  if (bytes.length === 0 || isBlank(bytes.subarray(bom))) return refuse("Filen er tom.", "the file is empty");
  if (startsWith(bytes, ZIP_MAGIC)) return { ok: true, format: "xlsx" };
  if (startsWith(bytes, OLE_MAGIC)) {
    return refuse(
      "Filen er i det gamle Excel-formatet (.xls). Lagre den som Excel-arbeidsbok (.xlsx) eller CSV UTF-8.",
      "the file is in the old Excel format (.xls); save it as an Excel workbook (.xlsx) or CSV UTF-8",
    );
  }
  const head = bytes.subarray(0, 64 * 1024);
  let control = 0;
  for (const b of head) {
    if (b === 0) return refuse("Filen er verken CSV eller XLSX (den inneholder binære data).", "the file is neither CSV nor XLSX (it holds binary data)");
    if (b < 0x09 || (b > 0x0d && b < 0x20)) control++;
  }
  if (control > head.length / 100) {
    return refuse("Filen er verken CSV eller XLSX (den inneholder binære data).", "the file is neither CSV nor XLSX (it holds binary data)");
  }
  return { ok: true, format: "csv" };
}

function isBlank(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
  return true;
}

/** Reads the first sheet of a CSV or XLSX file into raw strings. Never throws for bad input. */
export async function readImportFile(bytes: Uint8Array): Promise<ReadResult> {
  const sniffed = sniffFormat(bytes);
  if (!sniffed.ok) return sniffed;
  return sniffed.format === "xlsx" ? readXlsx(bytes) : readCsv(bytes);
}

// ---------------------------------------------------------------------------------------
// CSV

function decodeUtf8(bytes: Uint8Array): { ok: true; text: string } | { ok: false; row: number } {
  try {
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes) };
  } catch {
    // Find the row of the first byte that is not UTF-8, so staff know where to look.
    const lenient = new TextDecoder("utf-8").decode(bytes);
    return { ok: false, row: rowAt(lenient, Math.max(0, lenient.indexOf("\uFFFD"))) };
  }
}

/** The row (header = 1) holding the character at `offset`, as the other rows are numbered: a line break inside quotes does not start a row. */
function rowAt(text: string, offset: number): number {
  let row = 1;
  let quoted = false;
  for (let i = 0; i < offset; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === "\n" && !quoted) row++;
  }
  return row;
}

/** Comma or semicolon, whichever the header line (outside quotes) has more of. */
export function detectDelimiter(text: string): "," | ";" {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === "\n" || ch === "\r")) break;
    else if (!quoted && ch === ",") commas++;
    else if (!quoted && ch === ";") semicolons++;
  }
  return semicolons > commas ? ";" : ",";
}

async function readCsv(bytes: Uint8Array): Promise<ReadResult> {
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) {
    return {
      ok: false,
      problems: [
        fileProblem(
          "Filen er ikke UTF-8 (æ, ø og å blir feil). Lagre den som «CSV UTF-8» eller som Excel-arbeidsbok.",
          'the file is not UTF-8 (æ, ø and å would be garbled); save it as "CSV UTF-8" or as an Excel workbook',
          decoded.row,
        ),
      ],
    };
  }
  const text = decoded.text;
  const delimiter = detectDelimiter(text);
  const records: string[][] = [];
  try {
    // Fed in slices so a large file yields to other requests between them.
    const slices = (function* () {
      for (let i = 0; i < text.length; i += 256 * 1024) yield text.slice(i, i + 256 * 1024);
    })();
    const parser = Readable.from(slices).pipe(parseCsv({ delimiter, relax_column_count: true, bom: false }));
    for await (const record of parser as AsyncIterable<string[]>) records.push(record);
  } catch (error) {
    if (error instanceof CsvError) {
      const row = ((error as CsvError & { records?: number }).records ?? records.length) + 1;
      const quoteProblem = error.code.includes("QUOTE");
      return {
        ok: false,
        problems: [
          fileProblem(
            quoteProblem
              ? "Et anførselstegn er ikke lukket eller står feil, så resten av filen kan ikke leses."
              : `Filen kan ikke leses som CSV (${error.code}).`,
            quoteProblem
              ? "a quote is not closed or is out of place, so the rest of the file cannot be read"
              : `the file cannot be read as CSV (${error.code})`,
            row,
          ),
        ],
      };
    }
    throw error;
  }
  return toSheet(records);
}

/** Shared by both formats: header + rows, rows with a cell count other than the header's refused. */
function toSheet(records: string[][], rowNumbers?: number[]): ReadResult {
  const [headers, ...rest] = records;
  if (!headers || headers.every((h) => h.trim() === "")) return refuse("Filen har ingen overskriftsrad.", "the file has no header row");
  const width = headers.length;
  const problems: ImportProblem[] = [];
  const rows: Sheet["rows"] = [];
  rest.forEach((cells, i) => {
    const rowNumber = rowNumbers ? rowNumbers[i + 1]! : i + 2;
    if (cells.length === 1 && cells[0] === "") return; // a blank line
    if (cells.length !== width) {
      if (cells.length > width && cells.slice(width).every((c) => c === "")) cells = cells.slice(0, width);
      else {
        if (problems.length < 1000) {
          problems.push(
            fileProblem(
              `Raden har ${cells.length} felt, men overskriftsraden har ${width} (et skilletegn eller anførselstegn på feil sted?).`,
              `the row has ${cells.length} fields but the header has ${width} (a delimiter or quote out of place?)`,
              rowNumber,
              cells.join(" | ").slice(0, 200),
            ),
          );
        }
        return;
      }
    }
    rows.push({ rowNumber, cells });
  });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, format: rowNumbers ? "xlsx" : "csv", sheet: { headers, rows } };
}

// ---------------------------------------------------------------------------------------
// XLSX

async function zipDirectory(bytes: Uint8Array): Promise<{ names: Set<string>; entries: number; unpacked: number; packed: number } | null> {
  return new Promise((resolve) => {
    yauzl.fromBuffer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return resolve(null);
      const names = new Set<string>();
      let entries = 0;
      let unpacked = 0;
      let packed = 0;
      zip.on("entry", (entry: yauzl.Entry) => {
        entries++;
        unpacked += entry.uncompressedSize;
        packed += entry.compressedSize;
        names.add(entry.fileName);
        if (entries > MAX_XLSX_ENTRIES) {
          zip.close();
          resolve({ names, entries, unpacked, packed });
        } else zip.readEntry();
      });
      zip.on("end", () => resolve({ names, entries, unpacked, packed }));
      zip.on("error", () => resolve(null));
      zip.readEntry();
    });
  });
}

/**
 * Unpacks every entry as a stream, keeping nothing, and stops at the first one that unpacks
 * to more than the directory says (yauzl checks each entry's size against the directory).
 */
async function entrySizesHold(bytes: Uint8Array): Promise<"ok" | "bomb" | "damaged"> {
  return new Promise((resolve) => {
    yauzl.fromBuffer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { lazyEntries: true, validateEntrySizes: true }, (error, zip) => {
      if (error || !zip) return resolve("damaged");
      let settled = false;
      const finish = (result: "ok" | "bomb" | "damaged") => {
        if (settled) return;
        settled = true;
        zip.close();
        resolve(result);
      };
      zip.on("entry", (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith("/")) return zip.readEntry();
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return finish("damaged");
          stream.on("error", (e: Error) => {
            stream.destroy();
            finish(/too many bytes/.test(e.message) ? "bomb" : "damaged");
          });
          stream.on("end", () => zip.readEntry());
          stream.resume();
        });
      });
      zip.on("end", () => finish("ok"));
      zip.on("error", () => finish("damaged"));
      zip.readEntry();
    });
  });
}

async function readXlsx(bytes: Uint8Array): Promise<ReadResult> {
  const dir = await zipDirectory(bytes);
  if (!dir) return refuse("Filen ser ut som en ZIP-fil, men er skadet eller avkortet.", "the file looks like a ZIP file but is damaged or truncated");
  if (dir.entries > MAX_XLSX_ENTRIES || dir.unpacked > MAX_XLSX_UNPACKED_BYTES || dir.unpacked > Math.max(dir.packed, 1) * MAX_XLSX_RATIO) {
    return refuse(
      "Arbeidsboken pakker seg ut til langt mer enn den selv er (mulig «zip-bombe»), og leses ikke.",
      "the workbook unpacks to far more than its own size (a possible zip bomb) and is not read",
    );
  }
  if (!dir.names.has("xl/workbook.xml")) {
    return refuse("Filen er en ZIP-fil, men ikke en Excel-arbeidsbok (.xlsx).", "the file is a ZIP file but not an Excel workbook (.xlsx)");
  }
  // The directory's sizes are the sender's word: hold every entry to them before exceljs
  // unpacks the whole workbook in memory.
  const sizes = await entrySizesHold(bytes);
  if (sizes === "bomb") {
    return refuse(
      "Arbeidsboken pakker seg ut til langt mer enn den selv er (mulig «zip-bombe»), og leses ikke.",
      "the workbook unpacks to far more than its own size (a possible zip bomb) and is not read",
    );
  }
  if (sizes === "damaged") return refuse("Filen ser ut som en ZIP-fil, men er skadet eller avkortet.", "the file looks like a ZIP file but is damaged or truncated");
  // Rows are streamed from the first sheet (exceljs's streaming reader): the whole workbook
  // is never built in memory, so a 50 MB file costs about its rows' text, not gigabytes.
  const records: string[][] = [];
  const rowNumbers: number[] = [];
  let width = 0;
  let sawSheet = false;
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]), {
      sharedStrings: "cache",
      styles: "cache",
      hyperlinks: "ignore",
      worksheets: "emit",
      entries: "ignore",
    });
    for await (const sheet of reader as AsyncIterable<AsyncIterable<ExcelJS.Row>>) {
      sawSheet = true;
      for await (const row of sheet) {
        const values = (row.values as ExcelJS.CellValue[]) ?? [];
        if (rowNumbers.length === 0) {
          if (row.number !== 1) {
            // No header on row 1: an empty header, refused below like any headerless file.
            records.push([""]);
            rowNumbers.push(1);
          } else width = Math.max(values.length - 1, 0);
        }
        const cells: string[] = [];
        for (let c = 1; c < Math.max(values.length, width + 1); c++) cells.push(cellText(values[c] ?? null));
        while (cells.length > width && cells[cells.length - 1] === "") cells.pop();
        while (cells.length < width) cells.push("");
        if (cells.every((cell) => cell === "") && row.number !== 1) continue;
        records.push(cells);
        rowNumbers.push(row.number);
      }
      break; // the first sheet only
    }
  } catch {
    return refuse("Excel-arbeidsboken kan ikke leses (skadet fil?).", "the Excel workbook cannot be read (a damaged file?)");
  }
  if (!sawSheet || records.length === 0) return refuse("Det første arket i arbeidsboken er tomt.", "the first sheet of the workbook is empty");
  const read = toSheet(records, rowNumbers);
  return read;
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** A cell as the text a CSV export would hold. Dates are wall-clock times (Europe/Oslo). */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value instanceof Date) {
    // exceljs gives a spreadsheet's wall-clock time as if it were UTC.
    const d = value;
    const seconds = d.getUTCSeconds();
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}${seconds ? `:${pad(seconds)}` : ""}`;
  }
  if (typeof value === "object") {
    if ("richText" in value) return value.richText.map((r) => r.text).join("");
    if ("formula" in value || "sharedFormula" in value) return cellText((value as { result?: ExcelJS.CellValue }).result ?? null);
    if ("text" in value) return typeof value.text === "string" ? value.text : cellText(value.text as ExcelJS.CellValue);
    if ("error" in value) return String(value.error);
  }
  return String(value);
}
