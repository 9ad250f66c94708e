// Turns an uploaded file (bytes) into a Sheet of raw strings for app/domain/import-validate.
// Everything that can be refused without reading rows is refused first: size, emptiness,
// a content that is neither CSV nor XLSX (decided by the bytes, never the file name), and
// an XLSX whose ZIP directory promises far more than any workbook needs (a zip bomb) or
// whose parts unpack past that. Parsing itself is left to csv-parse and exceljs.

import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { promisify } from "node:util";
import { crc32, inflateRaw } from "node:zlib";
import { parse as parseCsv, CsvError } from "csv-parse";
import ExcelJS from "exceljs";
import yauzl from "yauzl";
import { formatNumber } from "~/domain/format";
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

const inflateRawAsync = promisify(inflateRaw);
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
//
// One reading of the ZIP. Its central directory (yauzl) is the only list of entries; each
// part the parser reads is inflated here under a hard cap, and exceljs's streaming reader
// is fed those bytes part by part. Its own entry point would walk the file's local headers
// instead (unzipper), so an entry hidden in a local header without a directory record, or
// one that unpacks past what was checked, would reach it; here neither can.

/** A refusal's text: bokmål, English. */
type Reason = readonly [nb: string, en: string];
const DAMAGED: Reason = ["Filen ser ut som en ZIP-fil, men er skadet eller avkortet.", "the file looks like a ZIP file but is damaged or truncated"];
const BOMB: Reason = [
  "Arbeidsboken pakker seg ut til langt mer enn den selv er (mulig «zip-bombe»), og leses ikke.",
  "the workbook unpacks to far more than its own size (a possible zip bomb) and is not read",
];
const TOO_LARGE: Reason = [
  `Arbeidsboken pakker seg ut til mer enn ${MAX_XLSX_UNPACKED_BYTES / 1024 / 1024} MB (mulig «zip-bombe»), og leses ikke.`,
  `the workbook unpacks to more than ${MAX_XLSX_UNPACKED_BYTES / 1024 / 1024} MB (a possible zip bomb) and is not read`,
];

/** The parts exceljs reads to give the first sheet's rows (styles tell dates from numbers). */
const WORKBOOK_PARTS = ["xl/_rels/workbook.xml.rels", "xl/workbook.xml", "xl/sharedStrings.xml", "xl/styles.xml"] as const;
const WORKSHEET = /^xl\/worksheets\/sheet(\d+)\.xml$/;

interface Workbook {
  parts: Map<string, Buffer>;
  /** The first worksheet in the directory, as exceljs's own reader took it. */
  sheet: { name: string; number: string } | null;
}

async function unpackWorkbook(bytes: Uint8Array): Promise<{ ok: true; workbook: Workbook } | { ok: false; refusal: ReadResult }> {
  const refused = (nb: string, en: string) => ({ ok: false as const, refusal: refuse(nb, en) });
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let zip: yauzl.ZipFile;
  try {
    zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.fromBuffer(buffer, { lazyEntries: true, autoClose: false }, (error, opened) => (error || !opened ? reject(error) : resolve(opened))),
    );
  } catch {
    return refused(...DAMAGED);
  }
  try {
    if (zip.entryCount > MAX_XLSX_ENTRIES) {
      return refused(
        `Arbeidsboken består av ${formatNumber(zip.entryCount, "nb")} deler; en Excel-arbeidsbok har aldri mer enn ${formatNumber(MAX_XLSX_ENTRIES, "nb")}, så den leses ikke.`,
        `the workbook is made of ${formatNumber(zip.entryCount, "en")} parts; an Excel workbook never has more than ${formatNumber(MAX_XLSX_ENTRIES, "en")}, so it is not read`,
      );
    }
    const entries: yauzl.Entry[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        zip.on("entry", (entry: yauzl.Entry) => {
          entries.push(entry);
          zip.readEntry();
        });
        zip.on("end", resolve);
        zip.on("error", reject);
        zip.readEntry();
      });
    } catch {
      return refused(...DAMAGED);
    }

    // What the directory declares, before anything is unpacked.
    const declared = entries.reduce((sum, e) => sum + e.uncompressedSize, 0);
    const packed = entries.reduce((sum, e) => sum + e.compressedSize, 0);
    if (declared > MAX_XLSX_UNPACKED_BYTES) return refused(...TOO_LARGE);
    if (declared > Math.max(packed, 1) * MAX_XLSX_RATIO) return refused(...BOMB);
    const byName = new Map<string, yauzl.Entry>();
    for (const entry of entries) {
      if (byName.has(entry.fileName)) {
        return refused(
          `Arbeidsboken har to deler med samme navn («${entry.fileName}»), og leses ikke (skadet eller manipulert fil?).`,
          `the workbook has two parts with the same name ("${entry.fileName}") and is not read (a damaged or tampered file?)`,
        );
      }
      byName.set(entry.fileName, entry);
      if (entry.isEncrypted()) {
        return refused(
          "Arbeidsboken er kryptert eller passordbeskyttet. Fjern passordet i Excel og last den opp på nytt.",
          "the workbook is encrypted or password-protected; remove the password in Excel and upload it again",
        );
      }
      if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
        return refused(
          "Arbeidsboken er pakket på en måte som ikke støttes. Åpne den i Excel og lagre den på nytt som .xlsx.",
          "the workbook is packed in a way that is not supported; open it in Excel and save it again as .xlsx",
        );
      }
    }
    if (!byName.has("xl/workbook.xml")) {
      return refused("Filen er en ZIP-fil, men ikke en Excel-arbeidsbok (.xlsx).", "the file is a ZIP file but not an Excel workbook (.xlsx)");
    }

    const first = entries.find((e) => WORKSHEET.test(e.fileName));
    const wanted = [...WORKBOOK_PARTS.map((name) => byName.get(name)), first].filter((e): e is yauzl.Entry => e !== undefined);
    const parts = new Map<string, Buffer>();
    let unpacked = 0;
    for (const entry of wanted) {
      // The declared size is a cap, never a promise: a part that unpacks past it, or past
      // what is left of the workbook's allowance, is stopped there.
      const cap = Math.min(entry.uncompressedSize, MAX_XLSX_UNPACKED_BYTES - unpacked);
      let data: Buffer;
      try {
        const { fileDataStart } = await zip.readLocalFileHeaderPromise(entry, { minimal: true });
        const raw = buffer.subarray(fileDataStart, fileDataStart + entry.compressedSize);
        data = entry.compressionMethod === 0 ? raw : await inflateRawAsync(raw, { maxOutputLength: Math.max(cap, 1) });
      } catch (error) {
        return refused(...((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE" ? BOMB : DAMAGED));
      }
      if (data.length > cap) return refused(...BOMB);
      if (data.length !== entry.uncompressedSize || crc32(data) !== entry.crc32) return refused(...DAMAGED);
      unpacked += data.length;
      parts.set(entry.fileName, data);
    }
    return { ok: true, workbook: { parts, sheet: first ? { name: first.fileName, number: WORKSHEET.exec(first.fileName)![1]! } : null } };
  } finally {
    zip.close();
  }
}

const TEXT_SLICE = 256 * 1024;

/** A part's text in slices that never split a character (exceljs decodes each slice alone). */
async function* partText(data: Buffer): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8");
  for (let i = 0; i < data.length; i += TEXT_SLICE) yield decoder.decode(data.subarray(i, i + TEXT_SLICE), { stream: true });
  const rest = decoder.decode();
  if (rest) yield rest;
}

/**
 * The steps exceljs 4.4's streaming reader takes for each part it finds
 * (lib/stream/xlsx/workbook-reader.js, `parse`), called here with the parts checked above.
 */
interface ReaderSteps {
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncIterable<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(iterator: AsyncIterable<string>, sheetNo: string): Iterable<{ eventType: string; value: AsyncIterable<ExcelJS.Row> }>;
}

/** The first sheet's rows, streamed: the workbook is never built in memory. */
async function firstSheetRows({ parts, sheet }: Workbook): Promise<AsyncIterable<ExcelJS.Row> | null> {
  if (!sheet) return null;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([]), {
    sharedStrings: "cache",
    styles: "cache",
    hyperlinks: "ignore",
    worksheets: "emit",
    entries: "ignore",
  }) as unknown as ReaderSteps;
  const part = (name: (typeof WORKBOOK_PARTS)[number]) => {
    const data = parts.get(name);
    return data ? Readable.from(partText(data)) : null;
  };
  const rels = part("xl/_rels/workbook.xml.rels");
  if (rels) await reader._parseRels(rels);
  await reader._parseWorkbook(part("xl/workbook.xml")!);
  const strings = part("xl/sharedStrings.xml");
  // With sharedStrings "cache" this yields nothing; the reader keeps the strings.
  if (strings) for await (const _ of reader._parseSharedStrings(strings)) void _;
  const styles = part("xl/styles.xml");
  if (styles) await reader._parseStyles(styles);
  for (const { eventType, value } of reader._parseWorksheet(partText(parts.get(sheet.name)!), sheet.number)) {
    if (eventType === "worksheet") return value;
  }
  return null;
}

async function readXlsx(bytes: Uint8Array): Promise<ReadResult> {
  const unpacked = await unpackWorkbook(bytes);
  if (!unpacked.ok) return unpacked.refusal;
  const records: string[][] = [];
  const rowNumbers: number[] = [];
  let width = 0;
  let sawSheet = false;
  try {
    const sheet = await firstSheetRows(unpacked.workbook);
    if (sheet) {
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
