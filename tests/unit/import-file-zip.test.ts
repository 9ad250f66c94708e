// An uploaded workbook is read once (app/models/studies/import-file.server.ts): what is imported is
// exactly what the ZIP's central directory lists, each part inflated under a hard cap, and
// the ways a ZIP can be made to lie are refused with their own reason. The ZIPs are built
// here byte by byte, so an entry can sit in a local header without a directory record, or
// declare a size it does not have.

import { deflateRawSync, crc32, constants as zlibConstants } from "node:zlib";
import ExcelJS from "exceljs";
import { unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { MAX_XLSX_ENTRIES, readImportFile, type ReadResult } from "~/models/studies/import-file.server";

interface RawEntry {
  name: string;
  /** The content; deflated here unless `method` is 0. */
  data: Uint8Array;
  method?: number;
  /** Bytes written as the entry's data instead of deflating `data` (sizes and crc still from `data` unless given). */
  body?: Uint8Array;
  size?: number;
  flags?: number;
  /** false: a local header and data only, with no record in the central directory. */
  listed?: boolean;
}

function zip(entries: RawEntry[]): Uint8Array {
  const chunks: Buffer[] = [];
  const records: Buffer[] = [];
  let offset = 0;
  let listed = 0;
  for (const e of entries) {
    const method = e.method ?? 8;
    const name = Buffer.from(e.name);
    const body = Buffer.from(e.body ?? (method === 0 ? e.data : deflateRawSync(e.data)));
    const crc = crc32(e.data);
    const size = e.size ?? e.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.flags ?? 0, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    if (e.listed !== false) {
      const record = Buffer.alloc(46);
      record.writeUInt32LE(0x02014b50, 0);
      record.writeUInt16LE(20, 4);
      record.writeUInt16LE(20, 6);
      record.writeUInt16LE(e.flags ?? 0, 8);
      record.writeUInt16LE(method, 10);
      record.writeUInt32LE(crc, 16);
      record.writeUInt32LE(body.length, 20);
      record.writeUInt32LE(size, 24);
      record.writeUInt16LE(name.length, 28);
      record.writeUInt32LE(offset, 42);
      records.push(record, name);
      listed++;
    }
    chunks.push(local, name, body);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(records);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(listed, 8);
  end.writeUInt16LE(listed, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...chunks, directory, end]));
}

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, "utf8"));
const MB = 1024 * 1024;

/** The parts of a real workbook (exceljs) holding `rows`, in its own order. */
async function workbookParts(rows: (string | number)[][]): Promise<RawEntry[]> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Ark1");
  for (const row of rows) sheet.addRow(row);
  const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
  return Object.entries(unzipSync(bytes)).map(([name, data]) => ({ name, data }));
}

/** A first sheet of inline strings, as another program might write it. */
function sheetXml(rows: string[][]): Uint8Array {
  const cells = rows
    .map((row, r) => `<row r="${r + 1}">${row.map((text, c) => `<c r="${String.fromCharCode(65 + c)}${r + 1}" t="inlineStr"><is><t>${text}</t></is></c>`).join("")}</row>`)
    .join("");
  return utf8(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${cells}</sheetData></worksheet>`);
}

/** 'mb' megabytes of zeros, deflated without holding them (a full-flush block, repeated). */
function deflatedZeros(mb: number): Uint8Array {
  const block = deflateRawSync(Buffer.alloc(MB), { finishFlush: zlibConstants.Z_FULL_FLUSH });
  return new Uint8Array(Buffer.concat([...Array.from({ length: mb }, () => block), deflateRawSync(Buffer.alloc(0))]));
}

const REAL = [
  ["participant_code", "name"],
  ["fjordkraft", "Fjordkraft AS"],
  ["kystbanken", "Kystbanken"],
];
const SMUGGLED = [
  ["participant_code", "name"],
  ["smuggled", "Not in the central directory"],
];

function sheetOf(read: ReadResult) {
  expect(read.ok, JSON.stringify(read)).toBe(true);
  const { sheet } = read as Extract<ReadResult, { ok: true }>;
  return [sheet.headers, ...sheet.rows.map((row) => row.cells)];
}

function refusal(read: ReadResult): { nb: string; en: string } {
  expect(read.ok, JSON.stringify(read).slice(0, 300)).toBe(false);
  const { problems } = read as Extract<ReadResult, { ok: false }>;
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatchObject({ row: 0, column: "" });
  expect(problems[0]!.message.nb).not.toBe(problems[0]!.message.en);
  return problems[0]!.message;
}

describe("what is imported is what the central directory lists", () => {
  it("reads a plain workbook (the control)", async () => {
    expect(sheetOf(await readImportFile(zip(await workbookParts(REAL))))).toEqual(REAL);
  });

  it("ignores a first sheet hidden in a local header before the listed parts", async () => {
    const parts = await workbookParts(REAL);
    const hidden: RawEntry = { name: "xl/worksheets/sheet1.xml", data: sheetXml(SMUGGLED), listed: false };
    expect(sheetOf(await readImportFile(zip([hidden, ...parts])))).toEqual(REAL);
  });

  it("ignores an unlisted copy of the sheet right before the listed one", async () => {
    const parts = await workbookParts(REAL);
    const at = parts.findIndex((p) => p.name === "xl/worksheets/sheet1.xml");
    const hidden: RawEntry = { name: "xl/worksheets/sheet1.xml", data: sheetXml(SMUGGLED), listed: false };
    expect(sheetOf(await readImportFile(zip([...parts.slice(0, at), hidden, ...parts.slice(at)])))).toEqual(REAL);
  });

  it("keeps æ, ø and å whole where the parser's slices of a part meet", async () => {
    const long = "blåbærsyltetøy ".repeat(40_000);
    const rows = [["participant_code", "comment"], ["fjordkraft", long]];
    expect(sheetOf(await readImportFile(zip(await workbookParts(rows))))).toEqual(rows);
  });

  it("never unpacks an unlisted entry, however large it would unpack", async () => {
    const parts = await workbookParts(REAL);
    // 64 MB of zeros in a local header that claims 1 KB: read, it would be a bomb.
    const bomb: RawEntry = { name: "xl/worksheets/sheet1.xml", data: new Uint8Array(1024), body: deflatedZeros(64), listed: false };
    expect(sheetOf(await readImportFile(zip([bomb, ...parts])))).toEqual(REAL);
  });
});

describe("a ZIP that lies or hides is refused with its own reason", () => {
  it("refuses a listed part that unpacks past the size it declares (a zip bomb)", async () => {
    const parts = await workbookParts(REAL);
    const sheet = parts.find((p) => p.name === "xl/worksheets/sheet1.xml")!;
    // The directory says the sheet is its real size; its data unpacks to 64 MB of zeros.
    sheet.body = deflatedZeros(64);
    expect(refusal(await readImportFile(zip(parts))).en).toMatch(/unpacks to far more than its own size \(a possible zip bomb\)/);
  });

  it("refuses a directory that declares more than 400 MB unpacked", async () => {
    const parts = await workbookParts(REAL);
    const body = deflatedZeros(2);
    const sheets = Array.from({ length: 3 }, (_, i) => ({ name: `xl/worksheets/sheet${i + 2}.xml`, data: new Uint8Array(0), body, size: 150 * MB }));
    expect(refusal(await readImportFile(zip([...parts, ...sheets]))).en).toMatch(/unpacks to more than 400 MB/);
  });

  it("refuses more parts than any workbook has", async () => {
    const parts = await workbookParts(REAL);
    const filler = Array.from({ length: MAX_XLSX_ENTRIES }, (_, i) => ({ name: `xl/media/image${i}.png`, data: utf8("x"), method: 0 }));
    expect(refusal(await readImportFile(zip([...parts, ...filler]))).en).toMatch(/made of 2,0\d\d parts; an Excel workbook never has more than 2,000/);
  });

  it("refuses an encrypted part", async () => {
    const parts = await workbookParts(REAL);
    parts.find((p) => p.name === "xl/worksheets/sheet1.xml")!.flags = 1;
    const message = refusal(await readImportFile(zip(parts)));
    expect(message.en).toMatch(/encrypted or password-protected/);
    expect(message.nb).toMatch(/kryptert eller passordbeskyttet/);
  });

  it("refuses two listed parts of the same name", async () => {
    const parts = await workbookParts(REAL);
    const copy: RawEntry = { name: "xl/worksheets/sheet1.xml", data: sheetXml(SMUGGLED) };
    expect(refusal(await readImportFile(zip([copy, ...parts]))).en).toMatch(/two parts with the same name \("xl\/worksheets\/sheet1\.xml"\)/);
  });

  it("refuses a compression method it does not know", async () => {
    const parts = await workbookParts(REAL);
    const sheet = parts.find((p) => p.name === "xl/worksheets/sheet1.xml")!;
    sheet.method = 12; // bzip2
    sheet.body = deflateRawSync(sheet.data);
    expect(refusal(await readImportFile(zip(parts))).en).toMatch(/packed in a way that is not supported/);
  });

  it("refuses a part whose data does not match its checksum", async () => {
    const parts = await workbookParts(REAL);
    const strings = parts.find((p) => p.name === "xl/sharedStrings.xml")!;
    // As long as the real text, so only the checksum tells.
    strings.body = deflateRawSync(utf8(new TextDecoder().decode(strings.data).replace("fjordkraft", "fjordkrafx")));
    expect(refusal(await readImportFile(zip(parts))).en).toMatch(/damaged or truncated/);
  });

  it("refuses a ZIP without a workbook, and bytes that start like a ZIP but are none", async () => {
    expect(refusal(await readImportFile(zip([{ name: "notes.txt", data: utf8("hei") }]))).en).toMatch(/ZIP file but not an Excel workbook/);
    expect(refusal(await readImportFile(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6]))).en).toMatch(/damaged or truncated/);
  });
});
