// A corpus of broken import files (spec/import-format.md), each derived from the sample
// study and each proven to be refused by runImport with the right row, column and reason,
// with the whole database unchanged afterwards. Every rule of the contract is broken at
// least once, plus the ways a file breaks before its rows can be read.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { deflateRawSync, constants as zlibConstants } from "node:zlib";
import { parse } from "csv-parse/sync";
import { sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, Db } from "#db/client.server";
import type { ImportProblem } from "~/domain/import-validate";
import { runImport, type ImportKind, type ImportOutcome } from "~/models/studies/import.server";
import { createStudy } from "~/models/studies/study.server";
import { createTestDatabase } from "../support/db";

const SAMPLES = fileURLToPath(new URL("../fixtures/samples/", import.meta.url));
const sampleText = (name: string): string => readFileSync(`${SAMPLES}${name}`, "utf8");
const utf8 = (text: string): Uint8Array => Buffer.from(text, "utf8");

// ---------------------------------------------------------------------------------------
// CSV tables derived from the samples. A row number is the file's row as a spreadsheet
// shows it: the header is row 1, and a record whose quoted cells span lines is one row.

class Table {
  constructor(public records: string[][]) {}

  static sample(name: string): Table {
    return new Table(parse(sampleText(name), { bom: true, relax_column_count: true }) as string[][]);
  }

  clone(): Table {
    return new Table(this.records.map((r) => [...r]));
  }

  get headers(): string[] {
    return this.records[0]!;
  }

  col(name: string): number {
    const i = this.headers.indexOf(name);
    if (i < 0) throw new Error(`no column ${name} in the sample`);
    return i;
  }

  /** The file row number of the nth data row (0-based) for which `pred` holds. */
  find(pred: (cell: (name: string) => string, row: number) => boolean, nth = 0): number {
    let seen = 0;
    for (let i = 1; i < this.records.length; i++) {
      if (pred((name) => this.records[i]![this.col(name)]!, i + 1) && seen++ === nth) return i + 1;
    }
    throw new Error("no such row in the sample");
  }

  rowOf(ref: string): number {
    return this.find((cell) => cell("inquiry_ref") === ref);
  }

  get(row: number, column: string): string {
    return this.records[row - 1]![this.col(column)]!;
  }

  set(row: number, column: string, value: string): this {
    this.records[row - 1]![this.col(column)] = value;
    return this;
  }

  renameColumn(from: string, to: string): this {
    this.headers[this.col(from)] = to;
    return this;
  }

  dropColumn(name: string): this {
    const i = this.col(name);
    for (const r of this.records) r.splice(i, 1);
    return this;
  }

  addColumn(name: string, value = ""): this {
    this.records.forEach((r, i) => r.push(i === 0 ? name : value));
    return this;
  }

  text(delimiter = ","): string {
    const quote = (v: string) => (v.includes(delimiter) || /["\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
    return this.records.map((r) => r.map(quote).join(delimiter)).join("\r\n") + "\r\n";
  }

  bytes(delimiter = ","): Uint8Array {
    return utf8(this.text(delimiter));
  }

  async xlsx(): Promise<Uint8Array> {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Ark1");
    for (const r of this.records) sheet.addRow(r.map((v) => (/^-?\d+$/.test(v) ? Number(v) : v === "" ? null : v)));
    return new Uint8Array(await workbook.xlsx.writeBuffer());
  }
}

const questionnaire = () => Table.sample("questionnaire.csv");
const participants = () => Table.sample("participants.csv");
const results = () => Table.sample("results.csv");
const POINT_COLUMNS = questionnaire()
  .records.slice(1)
  .filter((r) => r[5] === "points")
  .map((r) => `q:${r[3]}`);

// ---------------------------------------------------------------------------------------
// ZIP files built by hand (a store of deflated entries; no dependency beyond node:zlib).

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Uint8Array, repeat = 1): number {
  let c = 0xffffffff;
  for (let i = 0; i < repeat; i++) for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

interface ZipEntry {
  name: string;
  /** The entry's content, deflated here; or its deflated bytes with crc and size given. */
  data?: Uint8Array;
  deflated?: Uint8Array;
  crc?: number;
  size?: number;
}

function zip(entries: ZipEntry[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const body = Buffer.from(e.deflated ?? deflateRawSync(e.data!));
    const crc = e.crc ?? crc32(e.data!);
    const size = e.size ?? e.data!.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // version made by
    central.writeUInt16LE(20, 6); // version needed
    central.writeUInt16LE(8, 10); // deflate
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

const MB = 1024 * 1024;
/**
 * A deflate stream of `mb` megabytes of zeros without holding them: one megabyte deflated
 * with a full flush (a non-final block that needs no earlier data), repeated, then a final
 * empty block.
 */
function deflatedZeros(mb: number): Uint8Array {
  const block = deflateRawSync(Buffer.alloc(MB), { finishFlush: zlibConstants.Z_FULL_FLUSH });
  const last = deflateRawSync(Buffer.alloc(0));
  return new Uint8Array(Buffer.concat([...Array.from({ length: mb }, () => block), last]));
}

/** The files a workbook needs to look like one from its directory. */
const XLSX_SKELETON: ZipEntry[] = [
  { name: "[Content_Types].xml", data: utf8('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>') },
  { name: "xl/workbook.xml", data: utf8('<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>') },
];

// ---------------------------------------------------------------------------------------
// The whole database as one digest per table (and every sequence's position).

function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);
}

async function snapshot(db: Db): Promise<Record<string, string>> {
  const tables = rowsOf<{ name: string }>(
    await db.execute(sql`
      select quote_ident(c.relname) as name from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') order by 1`),
  );
  expect(tables.length).toBeGreaterThan(20);
  const perTable = tables.map(
    ({ name }) =>
      `select 'table ${name}' as name, count(*)::text || ' rows, md5 ' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '-') as digest from public.${name} t`,
  );
  const sequences = `select 'sequence ' || quote_ident(sequencename), coalesce(last_value::text, 'unused') from pg_catalog.pg_sequences where schemaname = 'public'`;
  const rows = rowsOf<{ name: string; digest: string }>(await db.execute(sql.raw([...perTable, sequences].join("\nunion all\n"))));
  return Object.fromEntries(rows.map((r) => [r.name, r.digest]));
}

// ---------------------------------------------------------------------------------------
// Setup: study A holds the sample questionnaire and participants; study B also the 225
// sample inquiries (so a broken "corrected" results file must leave them alone); study C
// holds nothing.

let database: Database;
const studies = { A: 0, B: 0, C: 0 };
type StudyName = keyof typeof studies;

async function importOk(study: StudyName, kind: ImportKind, bytes: Uint8Array) {
  const outcome = await runImport(database.db, { studyId: studies[study], kind, fileName: `${kind}.csv`, bytes, userId: null });
  if (outcome.status !== "imported") throw new Error(`sample ${kind} not imported: ${JSON.stringify(outcome).slice(0, 500)}`);
}

beforeAll(async () => {
  database = await createTestDatabase();
  const empty = await snapshot(database.db);
  studies.A = (await createStudy(database.db, { year: 2021, userId: null })).id;
  studies.B = (await createStudy(database.db, { year: 2022, userId: null })).id;
  studies.C = (await createStudy(database.db, { year: 2023, userId: null })).id;
  for (const study of ["A", "B"] as const) {
    await importOk(study, "questionnaire", utf8(sampleText("questionnaire.csv")));
    await importOk(study, "participants", utf8(sampleText("participants.csv")));
  }
  await importOk("B", "results", utf8(sampleText("results.csv")));
  const loaded = await snapshot(database.db);
  // The snapshot sees the imports (so an unchanged snapshot means something).
  for (const table of ["questions", "areas", "participants", "participations", "classes", "inquiries", "answers", "import_batches"]) {
    expect(loaded[`table ${table}`], table).not.toBe(empty[`table ${table}`]);
  }
  expect(loaded["table inquiries"]).toMatch(/^225 rows/);
});
afterAll(() => database?.close());

// ---------------------------------------------------------------------------------------
// The corpus

interface Expected {
  row: number;
  column: string;
  en: RegExp;
}
interface BrokenFile {
  kind: ImportKind;
  fileName?: string;
  bytes: Uint8Array;
  /** The problem that must be among those reported. */
  expect: Expected;
  /** Exactly this many problems (default 1: each file has one defect). */
  count?: number;
  /** Also expected among the problems. */
  also?: Expected[];
}
interface Case {
  name: string;
  /** Default: results into B (which holds results), the others into A. */
  study?: StudyName;
  build: () => BrokenFile | Promise<BrokenFile>;
}

const FILE_LEVEL = { row: 0, column: "" };
const NORWEGIAN = /[æøåÆØÅ]|\b(er|må|og|ikke|skal|har|kan|finnes|mangler|eller|på|til|fra|med|den|det)\b/i;

const cases: Case[] = [
  // ---- 1. Questionnaire --------------------------------------------------------------
  {
    name: "questionnaire: unknown column (a typo of channels)",
    build: () => ({
      kind: "questionnaire",
      bytes: questionnaire().renameColumn("channels", "chanels").bytes(),
      expect: { row: 1, column: "chanels", en: /unknown column/ },
    }),
  },
  {
    name: "questionnaire: required column question_text missing",
    build: () => ({
      kind: "questionnaire",
      bytes: questionnaire().dropColumn("question_text").bytes(),
      expect: { row: 1, column: "question_text", en: /required column is missing/ },
    }),
  },
  {
    name: "questionnaire: required cell question_text empty",
    build: () => ({
      kind: "questionnaire",
      bytes: questionnaire().set(9, "question_text", "").bytes(),
      expect: { row: 9, column: "question_text", en: /required/ },
    }),
  },
  {
    name: "questionnaire: area_name differs within area V",
    build: () => ({
      kind: "questionnaire",
      bytes: questionnaire().set(3, "area_name", "Velkomst").bytes(),
      expect: { row: 3, column: "area_name", en: /area V has a different name on row 2/ },
    }),
  },
  {
    name: "questionnaire: area_weight differs within area K",
    build: () => ({
      kind: "questionnaire",
      bytes: questionnaire().set(8, "area_weight", "35").bytes(),
      expect: { row: 8, column: "area_weight", en: /area K has a different weight on row 6/ },
    }),
  },
  {
    name: "questionnaire: weight 0 on an area with a scored question",
    build: () => ({
      kind: "questionnaire",
      bytes: questionnaire().set(11, "area_weight", "0").bytes(),
      expect: { row: 11, column: "area_weight", en: /area A has weight 0 but question A1 is scored/ },
    }),
  },
  {
    name: "questionnaire: negative weight",
    build: () => ({
      kind: "questionnaire",
      bytes: questionnaire().set(5, "area_weight", "-20").bytes(),
      expect: { row: 5, column: "area_weight", en: /must not be negative/ },
    }),
  },
  {
    name: "questionnaire: weight that is not a number",
    build: () => ({
      kind: "questionnaire",
      bytes: questionnaire().set(5, "area_weight", "tjue").bytes(),
      expect: { row: 5, column: "area_weight", en: /must be a number/ },
    }),
  },
  {
    name: "questionnaire: duplicate question code",
    build: () => ({
      kind: "questionnaire",
      bytes: questionnaire().set(7, "question_code", "K1").bytes(),
      expect: { row: 7, column: "question_code", en: /not unique.*row 6/ },
    }),
  },
  {
    name: "questionnaire: bad kind",
    build: () => ({
      kind: "questionnaire",
      bytes: questionnaire().set(12, "kind", "nsp").bytes(),
      expect: { row: 12, column: "kind", en: /unknown question kind/ },
    }),
  },
  {
    name: "questionnaire: max_points missing on a points question",
    build: () => ({
      kind: "questionnaire",
      bytes: questionnaire().set(2, "max_points", "").bytes(),
      expect: { row: 2, column: "max_points", en: /needs max_points/ },
    }),
  },
  {
    name: "questionnaire: max_points 11 (out of range)",
    build: () => ({
      kind: "questionnaire",
      bytes: questionnaire().set(6, "max_points", "11").bytes(),
      expect: { row: 6, column: "max_points", en: /whole number from 1 to 10/ },
    }),
  },
  {
    name: "questionnaire: max_points 0 (out of range)",
    build: () => ({
      kind: "questionnaire",
      bytes: questionnaire().set(10, "max_points", "0").bytes(),
      expect: { row: 10, column: "max_points", en: /whole number from 1 to 10/ },
    }),
  },
  {
    name: "questionnaire: max_points 2,5 (not whole)",
    build: () => ({
      kind: "questionnaire",
      bytes: questionnaire().set(10, "max_points", "2,5").bytes(),
      expect: { row: 10, column: "max_points", en: /whole number from 1 to 10/ },
    }),
  },
  {
    name: "questionnaire: max_points given for an unscored csat question",
    build: () => ({
      kind: "questionnaire",
      bytes: questionnaire().set(13, "max_points", "5").bytes(),
      expect: { row: 13, column: "max_points", en: /must be empty for a csat question/ },
    }),
  },
  {
    name: "questionnaire: unknown channel in channels",
    build: () => ({
      kind: "questionnaire",
      bytes: questionnaire().set(8, "channels", "phone|fax").bytes(),
      expect: { row: 8, column: "channels", en: /unknown channel "fax"/ },
    }),
  },
  {
    name: "questionnaire: header only (no questions)",
    build: () => ({
      kind: "questionnaire",
      bytes: new Table(questionnaire().records.slice(0, 1)).bytes(),
      expect: { row: 1, column: "question_code", en: /no questions/ },
    }),
  },
  {
    name: "results: header only (would remove every inquiry of the study)",
    build: () => ({
      kind: "results",
      bytes: new Table(results().records.slice(0, 1)).bytes(),
      expect: { ...FILE_LEVEL, en: /no inquiries/ },
    }),
  },
  {
    name: "questionnaire (XLSX): negative weight in a workbook",
    build: async () => ({
      kind: "questionnaire",
      fileName: "questionnaire.xlsx",
      bytes: await questionnaire().set(5, "area_weight", "-20").xlsx(),
      expect: { row: 5, column: "area_weight", en: /must not be negative/ },
    }),
  },

  // ---- 2. Participants ---------------------------------------------------------------
  {
    name: "participants: duplicate participant_code",
    build: () => ({
      kind: "participants",
      bytes: participants().set(4, "participant_code", "lysverket-demo").bytes(),
      expect: { row: 4, column: "participant_code", en: /not unique.*row 3/ },
    }),
  },
  {
    name: "participants: class_name differs within class bank",
    build: () => ({
      kind: "participants",
      bytes: participants().set(6, "class_name", "Banker").bytes(),
      expect: { row: 6, column: "class_name", en: /class bank has a different name on row 5/ },
    }),
  },
  {
    name: "participants: org_number with a wrong MOD11 control digit",
    build: () => ({
      kind: "participants",
      bytes: participants().set(2, "org_number", "968430778").bytes(),
      expect: { row: 2, column: "org_number", en: /MOD11/ },
    }),
  },
  {
    name: "participants: org_number of 8 digits",
    build: () => ({
      kind: "participants",
      bytes: participants().set(9, "org_number", "93323669").bytes(),
      expect: { row: 9, column: "org_number", en: /9 digits/ },
    }),
  },

  // ---- 3. Results (into study B, which holds the sample results) ----------------------
  {
    name: "results: participant_code not a participant of the study",
    build: () => {
      const t = results();
      const row = t.rowOf("S21-0010");
      return { kind: "results", bytes: t.set(row, "participant_code", "ukjent-as").bytes(), expect: { row, column: "participant_code", en: /unknown participant/ } };
    },
  },
  {
    name: "results: bad channel",
    build: () => {
      const t = results();
      const row = t.rowOf("S21-0020");
      return { kind: "results", bytes: t.set(row, "channel", "fax").bytes(), expect: { row, column: "channel", en: /unknown channel/ } };
    },
  },
  {
    name: "results: bad gender",
    build: () => {
      const t = results();
      const row = t.rowOf("S21-0030");
      return { kind: "results", bytes: t.set(row, "shopper_gender", "dame").bytes(), expect: { row, column: "shopper_gender", en: /unknown gender/ } };
    },
  },
  {
    name: "results: shopper age 17",
    build: () => {
      const t = results();
      const code = t.get(t.rowOf("S21-0040"), "shopper_code");
      const rows = shopperRows(t, code);
      for (const row of rows) t.set(row, "shopper_age", "17"); // every row of the shopper: only the range is wrong
      return {
        kind: "results",
        bytes: t.bytes(),
        count: rows.length,
        expect: { row: rows[0]!, column: "shopper_age", en: /18 to 99/ },
      };
    },
  },
  {
    name: "results: shopper age 100",
    build: () => {
      const t = results();
      const code = t.get(t.rowOf("S21-0041"), "shopper_code");
      const rows = shopperRows(t, code);
      for (const row of rows) t.set(row, "shopper_age", "100");
      return {
        kind: "results",
        bytes: t.bytes(),
        count: rows.length,
        expect: { row: rows[rows.length - 1]!, column: "shopper_age", en: /18 to 99/ },
      };
    },
  },
  {
    name: "results: shopper region differs between rows of one shopper",
    build: () => {
      const t = results();
      const [first, second] = shopperRows(t, "S004");
      const region = t.get(first!, "shopper_region") === "Finnmark" ? "Agder" : "Finnmark";
      return {
        kind: "results",
        bytes: t.set(second!, "shopper_region", region).bytes(),
        expect: { row: second!, column: "shopper_region", en: new RegExp(`shopper S004 has a different region on row ${first}`) },
      };
    },
  },
  {
    name: "results: shopper gender differs between rows of one shopper",
    build: () => {
      const t = results();
      const rows = shopperRows(t, "S020");
      const last = rows[rows.length - 1]!;
      const gender = t.get(rows[0]!, "shopper_gender") === "other" ? "female" : "other";
      return {
        kind: "results",
        bytes: t.set(last, "shopper_gender", gender).bytes(),
        expect: { row: last, column: "shopper_gender", en: new RegExp(`shopper S020 has a different gender on row ${rows[0]}`) },
      };
    },
  },
  {
    name: "results: shopper age differs between rows of one shopper",
    build: () => {
      const t = results();
      const rows = shopperRows(t, "S027");
      const age = String(Number(t.get(rows[0]!, "shopper_age")) + 1);
      return {
        kind: "results",
        bytes: t.set(rows[2]!, "shopper_age", age).bytes(),
        expect: { row: rows[2]!, column: "shopper_age", en: new RegExp(`shopper S027 has a different age on row ${rows[0]}`) },
      };
    },
  },
  {
    name: "results: 30 February is not a date",
    build: () => {
      const t = results();
      const row = t.rowOf("S21-0050");
      return { kind: "results", bytes: t.set(row, "contacted_at", "2021-02-30T10:00").bytes(), expect: { row, column: "contacted_at", en: /invalid date/ } };
    },
  },
  {
    name: "results: contacted_at in words",
    build: () => {
      const t = results();
      const row = t.rowOf("S21-0051");
      return { kind: "results", bytes: t.set(row, "contacted_at", "i går kveld").bytes(), expect: { row, column: "contacted_at", en: /invalid date/ } };
    },
  },
  {
    name: "results: attempts 3",
    build: () => {
      const t = results();
      const row = t.rowOf("S21-0060");
      return { kind: "results", bytes: t.set(row, "attempts", "3").bytes(), expect: { row, column: "attempts", en: /1 or 2/ } };
    },
  },
  {
    name: "results: attempts 2 on email",
    build: () => {
      const t = results();
      const row = t.find((c) => c("channel") === "email" && c("attempts") === "1", 3);
      return { kind: "results", bytes: t.set(row, "attempts", "2").bytes(), expect: { row, column: "attempts", en: /email inquiry has at most 1 attempt/ } };
    },
  },
  {
    name: "results: unanswered inquiry with points",
    build: () => {
      const t = results();
      const row = t.find((c) => c("answered") === "no", 2);
      return { kind: "results", bytes: t.set(row, "q:V3", "1").bytes(), expect: { row, column: "q:V3", en: /unanswered inquiry must have no points/ } };
    },
  },
  {
    name: "results: unanswered inquiry with an answer to an unscored question",
    build: () => {
      const t = results();
      const row = t.find((c) => c("answered") === "no", 4);
      return { kind: "results", bytes: t.set(row, "q:CX1", "7").bytes(), expect: { row, column: "q:CX1", en: /unanswered inquiry must have no points or answers/ } };
    },
  },
  {
    name: "results: unanswered inquiry with a wait time",
    build: () => {
      const t = results();
      const row = t.find((c) => c("answered") === "no", 5);
      return { kind: "results", bytes: t.set(row, "wait_seconds", "30").bytes(), expect: { row, column: "wait_seconds", en: /unanswered inquiry must have no wait time/ } };
    },
  },
  {
    name: "results: negative wait time",
    build: () => {
      const t = results();
      const row = t.find((c) => c("answered") === "yes" && c("wait_seconds") !== "", 7);
      return { kind: "results", bytes: t.set(row, "wait_seconds", "-5").bytes(), expect: { row, column: "wait_seconds", en: /whole number of seconds/ } };
    },
  },
  {
    name: "results: q: column for a question not in the questionnaire",
    build: () => ({
      kind: "results",
      bytes: results().addColumn("q:X9").bytes(),
      expect: { row: 1, column: "q:X9", en: /question "X9" is not in the study's questionnaire/ },
    }),
  },
  {
    name: "results: no q: column for question L2",
    build: () => ({
      kind: "results",
      bytes: results().dropColumn("q:L2").bytes(),
      expect: { row: 1, column: "q:L2", en: /column for question L2 is missing/ },
    }),
  },
  {
    name: "results: required column contacted_at missing",
    build: () => ({
      kind: "results",
      bytes: results().dropColumn("contacted_at").bytes(),
      expect: { row: 1, column: "contacted_at", en: /required column is missing/ },
    }),
  },
  {
    name: "results: required cell scenario empty",
    build: () => {
      const t = results();
      const row = t.rowOf("S21-0070");
      return { kind: "results", bytes: t.set(row, "scenario", "").bytes(), expect: { row, column: "scenario", en: /required/ } };
    },
  },
  {
    name: "results: points above max_points (3 on V3, max 2)",
    build: () => {
      const t = results();
      const row = t.find((c) => c("q:V3") !== "", 10);
      return { kind: "results", bytes: t.set(row, "q:V3", "3").bytes(), expect: { row, column: "q:V3", en: /whole number from 0 to 2 \(max_points of V3\)/ } };
    },
  },
  {
    name: "results: points not whole (2,5)",
    build: () => {
      const t = results();
      const row = t.find((c) => c("q:K1") !== "", 11);
      return { kind: "results", bytes: t.set(row, "q:K1", "2,5").bytes(), expect: { row, column: "q:K1", en: /points must be a whole number/ } };
    },
  },
  {
    name: "results: csat answer 6 (range 1-5)",
    build: () => {
      const t = results();
      const row = t.find((c) => c("q:CX2") !== "", 12);
      return { kind: "results", bytes: t.set(row, "q:CX2", "6").bytes(), expect: { row, column: "q:CX2", en: /answer must be a whole number from 1 to 5 \(csat\)/ } };
    },
  },
  {
    name: "results: nps answer 11 (range 0-10)",
    build: () => {
      const t = results();
      const row = t.find((c) => c("q:CX1") !== "", 13);
      return { kind: "results", bytes: t.set(row, "q:CX1", "11").bytes(), expect: { row, column: "q:CX1", en: /answer must be a whole number from 0 to 10 \(nps\)/ } };
    },
  },
  {
    name: "results: point on the email-only question V2 for a phone inquiry",
    build: () => {
      const t = results();
      const row = t.find((c) => c("channel") === "phone" && c("answered") === "yes", 6);
      return { kind: "results", bytes: t.set(row, "q:V2", "1").bytes(), expect: { row, column: "q:V2", en: /question V2 only applies to the channels email; the cell must be empty for phone/ } };
    },
  },
  {
    name: "results: point on the phone-only question K3 for a chat inquiry",
    build: () => {
      const t = results();
      const row = t.find((c) => c("channel") === "chat" && c("answered") === "yes", 6);
      return { kind: "results", bytes: t.set(row, "q:K3", "0").bytes(), expect: { row, column: "q:K3", en: /question K3 only applies to the channels phone/ } };
    },
  },
  {
    name: "results: answered inquiry without any point value",
    build: () => {
      const t = results();
      const row = t.find((c) => c("answered") === "yes" && c("q:CX1") !== "", 20);
      for (const column of POINT_COLUMNS) t.set(row, column, "");
      return { kind: "results", bytes: t.bytes(), expect: { row, column: "answered", en: /answered inquiry must have at least one point value/ } };
    },
  },
  {
    name: "results: inquiry_ref repeated",
    build: () => {
      const t = results();
      const first = t.rowOf("S21-0003");
      const row = t.rowOf("S21-0100");
      return { kind: "results", bytes: t.set(row, "inquiry_ref", "S21-0003").bytes(), expect: { row, column: "inquiry_ref", en: new RegExp(`inquiry reference is repeated.*row ${first}\\b`) } };
    },
  },
  {
    name: "results: transcript of 100,001 characters",
    build: () => {
      const t = results();
      const row = t.rowOf("S21-0110");
      return { kind: "results", bytes: t.set(row, "transcript", longTranscript(100_001)).bytes(), expect: { row, column: "transcript", en: /transcript is too long \(100001 characters; at most 100000\)/ } };
    },
  },
  {
    name: "results: answered is neither yes nor no",
    build: () => {
      const t = results();
      const row = t.rowOf("S21-0120");
      return { kind: "results", bytes: t.set(row, "answered", "kanskje").bytes(), expect: { row, column: "answered", en: /invalid yes\/no value/ } };
    },
  },
  {
    name: "results: more than 1,000 problems are cut at 1,000 and marked truncated",
    build: () => {
      const t = results();
      for (let row = 2; row <= t.records.length; row++) {
        t.set(row, "channel", "fax").set(row, "shopper_gender", "?").set(row, "shopper_age", "7").set(row, "attempts", "9").set(row, "answered", "?");
      }
      return { kind: "results", bytes: t.bytes(), count: 1000, expect: { row: 2, column: "channel", en: /unknown channel/ } };
    },
  },
  {
    name: "results: a study without a questionnaire or participants",
    study: "C",
    build: () => ({
      kind: "results",
      bytes: results().bytes(),
      count: 2,
      expect: { ...FILE_LEVEL, en: /load the study's questionnaire first/ },
      also: [{ ...FILE_LEVEL, en: /load the study's participants first/ }],
    }),
  },

  // ---- Files that cannot be read as rows -----------------------------------------------
  {
    name: "CSV: a quoted comment cut off at the end of the file (unclosed quote)",
    build: () => {
      const text = results().text();
      const at = text.indexOf("\r\nS21-0150,");
      const open = text.indexOf('"', at);
      return {
        kind: "results",
        bytes: utf8(text.slice(0, open + 12)),
        expect: { row: results().rowOf("S21-0150"), column: "", en: /quote is not closed/ },
      };
    },
  },
  {
    name: "CSV: a stray quote inside an unquoted cell",
    build: () => {
      const t = results();
      const row = t.rowOf("S21-0009");
      t.set(row, "scenario", "PLACEHOLDER");
      const text = t.text().replace("PLACEHOLDER", 'Spør om "fastpris');
      return { kind: "results", bytes: utf8(text), expect: { row, column: "", en: /quote is not closed or is out of place/ } };
    },
  },
  {
    name: "CSV: Latin-1 bytes (æ, ø, å) instead of UTF-8",
    build: () => ({
      kind: "questionnaire",
      // Row 3 holds the file's first non-ASCII letter ("på").
      bytes: new Uint8Array(Buffer.from(sampleText("questionnaire.csv"), "latin1")),
      expect: { row: 3, column: "", en: /not UTF-8/ },
    }),
  },
  {
    name: "CSV: one row in Latin-1, after rows whose quoted cells span lines",
    build: () => {
      const t = results();
      const text = t.text();
      const start = text.indexOf("\r\nS21-0100,") + 2;
      const end = text.indexOf("\r\nS21-0101,");
      const record = text.slice(start, end);
      expect(record).toMatch(/[æøå]/i);
      const bytes = Buffer.concat([Buffer.from(text.slice(0, start), "utf8"), Buffer.from(record, "latin1"), Buffer.from(text.slice(end), "utf8")]);
      return { kind: "results", bytes: new Uint8Array(bytes), expect: { row: t.rowOf("S21-0100"), column: "", en: /not UTF-8/ } };
    },
  },
  {
    name: "CSV: UTF-16 (Excel's \"Unicode text\")",
    build: () => ({
      kind: "participants",
      bytes: new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(sampleText("participants.csv"), "utf16le")])),
      expect: { ...FILE_LEVEL, en: /neither CSV nor XLSX/ },
    }),
  },
  {
    name: "a PNG image renamed results.csv",
    build: () => ({ kind: "results", fileName: "results.csv", bytes: png(), expect: { ...FILE_LEVEL, en: /neither CSV nor XLSX/ } }),
  },
  {
    name: "an old Excel .xls file (OLE compound document)",
    build: () => {
      const bytes = new Uint8Array(4096);
      bytes.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
      bytes.set([0x3e, 0x00, 0x03, 0x00, 0xfe, 0xff], 0x18); // minor/major version, byte order
      return { kind: "results", fileName: "results.xls", bytes, expect: { ...FILE_LEVEL, en: /old Excel format \(\.xls\)/ } };
    },
  },
  {
    name: "a ZIP file that is not a workbook",
    build: () => ({
      kind: "questionnaire",
      fileName: "questionnaire.xlsx",
      bytes: zip([{ name: "questionnaire.csv", data: utf8(sampleText("questionnaire.csv")) }]),
      expect: { ...FILE_LEVEL, en: /ZIP file but not an Excel workbook/ },
    }),
  },
  {
    name: "a workbook cut off in the middle (truncated download)",
    build: async () => {
      const whole = await results().xlsx();
      return { kind: "results", fileName: "results.xlsx", bytes: whole.subarray(0, Math.floor(whole.length / 2)), expect: { ...FILE_LEVEL, en: /damaged or truncated/ } };
    },
  },
  {
    name: "a zip bomb: 512 MB of zeros in a 600 KB workbook",
    build: () => {
      const sheet = deflatedZeros(64);
      const crc = crc32(new Uint8Array(MB), 64);
      const sheets = Array.from({ length: 8 }, (_, i) => ({ name: `xl/worksheets/sheet${i + 1}.xml`, deflated: sheet, crc, size: 64 * MB }));
      return { kind: "results", fileName: "results.xlsx", bytes: zip([...XLSX_SKELETON, ...sheets]), expect: { ...FILE_LEVEL, en: /zip bomb/ } };
    },
  },
  {
    name: "a zip bomb whose directory understates the unpacked size",
    build: () => {
      // 300 MB of zeros declared as 1 MB: the directory alone looks like a small workbook.
      const sheet = deflatedZeros(300);
      const crc = crc32(new Uint8Array(MB));
      return {
        kind: "results",
        fileName: "results.xlsx",
        bytes: zip([...XLSX_SKELETON, { name: "xl/worksheets/sheet1.xml", deflated: sheet, crc, size: MB }]),
        expect: { ...FILE_LEVEL, en: /zip bomb/ },
      };
    },
  },
  {
    name: "an empty file",
    build: () => ({ kind: "participants", bytes: new Uint8Array(0), expect: { ...FILE_LEVEL, en: /empty/ } }),
  },
  {
    name: "a file of only a byte-order mark and blank lines",
    build: () => ({ kind: "participants", bytes: utf8("\uFEFF \r\n\t\r\n  \n"), expect: { ...FILE_LEVEL, en: /empty/ } }),
  },
  {
    name: "a file over 50 MB",
    build: () => {
      const bytes = Buffer.alloc(50 * MB + 1, "a");
      bytes.write("inquiry_ref\r\n");
      return { kind: "results", bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), expect: { ...FILE_LEVEL, en: /50 MB/ } };
    },
  },
  {
    name: "CSV: semicolon header with a comma-separated row",
    build: () => {
      const t = participants();
      const lines = t.text(";").split("\r\n");
      lines[3] = t.records[3]!.join(","); // row 4
      return { kind: "participants", bytes: utf8(lines.join("\r\n")), expect: { row: 4, column: "", en: /the row has 1 fields but the header has 5/ } };
    },
  },
  {
    name: "CSV: a row with too many fields",
    build: () => {
      const t = participants();
      t.records[2]!.push("ekstra");
      return { kind: "participants", bytes: t.bytes(), expect: { row: 3, column: "", en: /the row has 6 fields but the header has 5/ } };
    },
  },
];

function shopperRows(t: Table, code: string): number[] {
  const rows: number[] = [];
  for (let row = 2; row <= t.records.length; row++) if (t.get(row, "shopper_code") === code) rows.push(row);
  if (rows.length < 3) throw new Error(`shopper ${code} has fewer than 3 rows in the sample`);
  return rows;
}

function longTranscript(length: number): string {
  const lines = "Kunde: Hei, jeg lurer på noe.\nKundebehandler: Selvsagt, hva gjelder det?\n";
  return lines.repeat(Math.ceil(length / lines.length)).slice(0, length - 1) + ".";
}

function png(): Uint8Array {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  const ihdr = [0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89];
  const idat = [0, 0, 0, 10, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0, 1, 0, 0, 5, 0, 1, 0x0d, 0x0a, 0x2d, 0xb4];
  const iend = [0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];
  return new Uint8Array([...signature, ...ihdr, ...idat, ...iend]);
}

function describeProblems(problems: ImportProblem[]): string {
  return problems
    .slice(0, 5)
    .map((p) => `row ${p.row}, column ${JSON.stringify(p.column)}: ${p.message.en}`)
    .join("\n");
}

describe("a broken file is refused with its row, column and reason, and changes nothing", () => {
  it("the corpus holds at least 30 distinct broken files", () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  for (const c of cases) {
    it(c.name, async () => {
      const file = await c.build();
      const study = c.study ?? (file.kind === "results" ? "B" : "A");
      const before = await snapshot(database.db);
      const outcome = await runImport(database.db, {
        studyId: studies[study],
        kind: file.kind,
        fileName: file.fileName ?? `${file.kind}.csv`,
        bytes: file.bytes,
        userId: null,
      });
      expect(await snapshot(database.db)).toEqual(before);

      expect(outcome.status, JSON.stringify(outcome).slice(0, 300)).toBe("refused");
      const { problems, truncated } = outcome as Extract<ImportOutcome, { status: "refused" }>;
      for (const e of [file.expect, ...(file.also ?? [])]) {
        const match = problems.find((p) => p.row === e.row && p.column === e.column && e.en.test(p.message.en));
        expect(match, `expected row ${e.row}, column ${JSON.stringify(e.column)}, ${e.en}; got\n${describeProblems(problems)}`).toBeDefined();
      }
      expect(problems, describeProblems(problems)).toHaveLength(file.count ?? 1);
      expect(truncated).toBe((file.count ?? 1) >= 1000);
      for (const p of problems) {
        expect(p.message.nb.trim()).not.toBe("");
        expect(p.message.nb).not.toBe(p.message.en);
        expect(p.message.nb).toMatch(NORWEGIAN);
        expect(p.message.en.trim()).not.toBe("");
      }
    });
  }
});

describe("what the contract tolerates is not refused (controls for the corpus)", () => {
  async function unchangedBy(study: StudyName, kind: ImportKind, fileName: string, bytes: Uint8Array, dryRun = false) {
    const before = await snapshot(database.db);
    const outcome = await runImport(database.db, { studyId: studies[study], kind, fileName, bytes, userId: null, dryRun });
    expect(await snapshot(database.db)).toEqual(before);
    return outcome;
  }

  it("headers in another case, with spaces around them, and a # column are read as the sample", async () => {
    const q = questionnaire();
    q.records[0] = q.headers.map((h, i) => (i % 2 === 0 ? ` ${h.toUpperCase()} ` : `${h[0]!.toUpperCase()}${h.slice(1)}`));
    q.addColumn("# merknad", "fri tekst");
    const outcome = await unchangedBy("A", "questionnaire", "questionnaire.csv", q.bytes(";"));
    expect(outcome).toMatchObject({ status: "unchanged", diff: { added: [], changed: [], removed: [], unchanged: 12 } });

    const r = results();
    r.records[0] = r.headers.map((h) => ` ${h.toUpperCase()} `);
    const again = await unchangedBy("B", "results", "results.csv", r.bytes());
    expect(again).toMatchObject({ status: "unchanged", diff: { added: [], changed: [], removed: [], unchanged: 225 } });
  });

  it("the sample questionnaire as a workbook reads the same as the CSV", async () => {
    const outcome = await unchangedBy("A", "questionnaire", "questionnaire.xlsx", await questionnaire().xlsx());
    expect(outcome).toMatchObject({ status: "unchanged", diff: { unchanged: 12 } });
  });

  it("a transcript of exactly 100,000 characters is accepted", async () => {
    const t = results();
    t.set(t.rowOf("S21-0110"), "transcript", longTranscript(100_000));
    const outcome = await unchangedBy("B", "results", "results.csv", t.bytes(), true);
    expect(outcome).toMatchObject({ status: "preview", diff: { added: [], changed: ["S21-0110"], removed: [], unchanged: 224 } });
  });

  it("ages 18 and 99 are accepted", async () => {
    const t = results();
    for (const row of shopperRows(t, "S004")) t.set(row, "shopper_age", "18");
    for (const row of shopperRows(t, "S020")) t.set(row, "shopper_age", "99");
    const outcome = await unchangedBy("B", "results", "results.csv", t.bytes(), true);
    expect(outcome.status).toBe("preview");
  });
});
