// Turns a coaching pack (~/domain/coaching-pack) into the file a team lead downloads:
// PDF (./coaching-pdf.server.tsx), XLSX (exceljs) or CSV. Rendering a few hundred
// inquiries is CPU-bound for seconds, so the web server calls renderPackInWorker, which
// runs renderPack in the process's render thread (./coaching-render.worker.ts is the
// module it runs there; ./render-worker.server.ts) and leaves the event loop free.
//
// Spreadsheets: every text cell goes through neutraliseCell (no cell can run as a
// formula); scores, points, counts and wait times are real numbers, rounded like the
// web pages show them (scores to one decimal, half away from zero).
//
// CSV dialect: made for Excel with Norwegian regional settings, which is what our
// customers open it with, whatever language they chose in the portal: UTF-8 with a
// byte-order mark (else Excel reads æøå as Windows-1252), `;` between fields, decimal
// comma ("78,4"), no thousands separator, dates as "2025-03-14 09:30" (Oslo time),
// every text field quoted (RFC 4180), CRLF line ends; written by toCsv, the one CSV
// writer (~/domain/spreadsheet-safety). Tools that want a locale-free file should use the
// XLSX, whose numbers are numeric cells.

import path from "node:path";
import { pathToFileURL } from "node:url";
import ExcelJS from "exceljs";
import { projectRoot } from "#db/paths";
import { packHidesSomeClassFigures, type CoachingPack, type PackFormat, type PackInquiry, type WeakSpot } from "~/domain/coaching-pack";
import { formatSignedGap } from "~/domain/format";
import { roundHalfAwayFromZero } from "~/domain/scoring";
import { osloClock as osloClockOf } from "~/domain/oslo-time";
import { neutraliseCell, toCsv, type CsvValue } from "~/domain/spreadsheet-safety";
import { CX_RANGES } from "~/domain/types";
import { translate, type MessageKey } from "~/i18n/i18n";
import { asBuffer, renderInWorker } from "./render-worker.server";

export interface RenderedPack {
  bytes: Buffer;
  contentType: string;
  extension: PackFormat;
}

const CONTENT_TYPES: Record<PackFormat, string> = {
  pdf: "application/pdf",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  csv: "text/csv; charset=utf-8",
};

/** Render the pack in this thread. The web server should call renderPackInWorker instead. */
export async function renderPack(pack: CoachingPack, format: PackFormat): Promise<RenderedPack> {
  const bytes = format === "pdf" ? await renderPackPdf(pack) : format === "xlsx" ? await renderPackXlsx(pack) : renderPackCsv(pack);
  return { bytes, contentType: CONTENT_TYPES[format], extension: format };
}

// The PDF module is loaded from its path at run time, not by a static import: the Remix
// compiler puts everything route code imports statically into build/index.js, and
// @react-pdf (ESM-only, fonts, a layout engine) belongs in the rendering worker, not in
// the web server. Only tsx (the worker; `npm start`, run from the project root, whose
// tsconfig.json gives the `~/` paths) and vitest can load the .tsx file.
const PDF_MODULE = path.join(projectRoot, "app", "exports", "coaching-pdf.server.tsx");

async function renderPackPdf(pack: CoachingPack): Promise<Buffer> {
  const pdf = (await import(/* @vite-ignore */ pathToFileURL(PDF_MODULE).href)) as typeof import("./coaching-pdf.server");
  return pdf.renderPackPdf(pack);
}

// ---------------------------------------------------------------------------
// Rendering in a worker thread

const WORKER_MODULE = path.join(projectRoot, "app", "exports", "coaching-render.worker.ts");

/** What the pack's render module (./coaching-render.worker.ts) gives back: the file. */
export interface WorkerResult {
  bytes: Uint8Array;
  contentType: string;
  extension: PackFormat;
}

export interface WorkerInput {
  pack: CoachingPack;
  format: PackFormat;
}

/**
 * Render the pack in the process's render thread (./render-worker.server.ts). Settles with
 * the file, or with an Error saying why it failed.
 */
export function renderPackInWorker(pack: CoachingPack, format: PackFormat): Promise<RenderedPack> {
  const input: WorkerInput = { pack, format };
  return renderInWorker(WORKER_MODULE, input, `Rendering the coaching pack as ${format.toUpperCase()} failed`, (reply: WorkerResult) => ({
    bytes: asBuffer(reply.bytes),
    contentType: reply.contentType,
    extension: reply.extension,
  }));
}

// ---------------------------------------------------------------------------
// Labels shared by the three formats

type Translator = (key: MessageKey, params?: Record<string, string | number>) => string;

export function translatorFor(pack: CoachingPack): Translator {
  return (key, params) => translate(pack.locale, key, params);
}

/**
 * A difference in points with its sign and one decimal: "+2,2", "−12,3", "±0,0", written
 * like the web's gap cells, and rounded like formatScore (half away from zero), so it
 * agrees with the two scores shown beside it.
 */
/** The signed gap as the web pages write it (one helper for both). */
export const signedGap = formatSignedGap;

/** "Kundeserviceprisen 2025", without repeating a year the study's name already holds. */
export function studyLabel(pack: CoachingPack): string {
  const { name, year } = pack.study;
  return name.includes(String(year)) ? name : translatorFor(pack)("pack.studyYear", { name, year });
}

/** The answer to an unscored (customer-experience) question with its scale: "Svar 9 (0–10)". */
export function cxAnswerLabel(pack: CoachingPack, question: PackInquiry["questions"][number]): string {
  if (question.kind === "points" || question.points === null) throw new RangeError(`Question ${question.code} has no unscored answer.`);
  const [min, max] = CX_RANGES[question.kind];
  return translatorFor(pack)("pack.inquiry.answerOfScale", { value: question.points, min, max });
}

// ---------------------------------------------------------------------------
// File name

/** The wall-clock time in Oslo, as "YYYY", "MM", "DD", "hh", "mm". */
function osloClock(iso: string) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not an ISO 8601 time: ${iso}.`);
  return osloClockOf(date);
}

const ASCII_LETTERS: Record<string, string> = { æ: "ae", ø: "o", å: "a", ß: "ss", đ: "d", ł: "l", þ: "th" };

/** Lower-case ASCII letters, digits and single hyphens: "Sparebanken Sør AS" → "sparebanken-sor-as". */
export function slug(text: string): string {
  const ascii = text
    .toLowerCase()
    .replace(/[æøåßđłþ]/g, (letter) => ASCII_LETTERS[letter] ?? "")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "");
  const slugged = ascii.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60).replace(/-+$/, "");
  return slugged || "company";
}

/** A safe download name: "coaching-sparebanken-sor-2025-20250314-0930.pdf" (made at, Oslo time). */
export function packFileName(pack: CoachingPack, format: PackFormat): string {
  const at = osloClock(pack.generatedAt);
  return `coaching-${slug(pack.companyName)}-${pack.study.year}-${at.year}${at.month}${at.day}-${at.hour}${at.minute}.${format}`;
}

// ---------------------------------------------------------------------------
// The inquiry table, shared by the XLSX's first sheet and the CSV

/** One spreadsheet cell; `null` is an empty cell. */
export type SheetCell =
  | { text: string }
  | { number: number; format: "score" | "integer" | "gap" }
  | { osloTime: string }
  | null;

interface Column {
  header: string;
  /** in characters, for the XLSX */
  width: number;
  cell: (inquiry: PackInquiry) => SheetCell;
}

const text = (value: string | null): SheetCell => (value === null ? null : { text: value });
const score = (value: number | null): SheetCell => (value === null ? null : { number: roundHalfAwayFromZero(value, 1), format: "score" });
const integer = (value: number | null): SheetCell => (value === null ? null : { number: value, format: "integer" });
const gap = (value: number | null): SheetCell => (value === null ? null : { number: roundHalfAwayFromZero(value, 1), format: "gap" });

/** Every area and question some inquiry holds, in the order they first appear. */
function areasAndQuestions(pack: CoachingPack) {
  const areas = new Map<string, PackInquiry["areas"][number]>();
  const questions = new Map<string, PackInquiry["questions"][number]>();
  for (const inquiry of pack.inquiries) {
    for (const area of inquiry.areas) if (!areas.has(area.code)) areas.set(area.code, area);
    for (const question of inquiry.questions) if (!questions.has(question.code)) questions.set(question.code, question);
  }
  return { areas: [...areas.values()], questions: [...questions.values()] };
}

function inquiryColumns(pack: CoachingPack): Column[] {
  const t = translatorFor(pack);
  const { areas, questions } = areasAndQuestions(pack);
  return [
    { header: t("pack.col.ref"), width: 14, cell: (i) => text(i.ref) },
    { header: t("pack.col.channel"), width: 11, cell: (i) => text(t(`channel.${i.channel}`)) },
    { header: t("pack.col.contactedAt"), width: 17, cell: (i) => ({ osloTime: i.contactedAt }) },
    { header: t("pack.col.answered"), width: 9, cell: (i) => text(t(i.answered ? "pack.yes" : "pack.no")) },
    { header: t("pack.col.totalScore"), width: 11, cell: (i) => score(i.totalScore) },
    { header: t("pack.col.band"), width: 16, cell: (i) => text(t(`band.${i.band}`)) },
    { header: t("pack.col.attempts"), width: 8, cell: (i) => integer(i.attempts) },
    { header: t("pack.col.waitSeconds"), width: 12, cell: (i) => integer(i.waitSeconds) },
    ...(pack.includeAgentNames ? [{ header: t("pack.col.agent"), width: 16, cell: (i: PackInquiry) => text(i.agentName) }] : []),
    { header: t("pack.col.gender"), width: 10, cell: (i) => text(t(`gender.${i.shopper.gender}`)) },
    { header: t("pack.col.ageGroup"), width: 11, cell: (i) => text(t("pack.ageGroup", { group: i.shopper.ageGroup })) },
    { header: t("pack.col.region"), width: 14, cell: (i) => text(i.shopper.region) },
    { header: t("pack.col.scenario"), width: 30, cell: (i) => text(i.scenario) },
    { header: t("pack.col.comment"), width: 40, cell: (i) => text(i.comment) },
    { header: t("pack.col.transcript"), width: 60, cell: (i) => text(i.transcriptExcerpt) },
    ...areas.map((area) => ({
      header: t("pack.col.areaScore", { code: area.code, name: area.name }),
      width: 12,
      cell: (i: PackInquiry) => score(i.areas.find((a) => a.code === area.code)?.score ?? null),
    })),
    ...questions.map((question) => ({
      header: t(question.kind === "points" ? "pack.col.questionPoints" : "pack.col.questionAnswer", { code: question.code, text: question.text }),
      width: 12,
      cell: (i: PackInquiry) => integer(i.questions.find((q) => q.code === question.code)?.points ?? null),
    })),
  ];
}

/** The header and one row per inquiry, as both spreadsheet formats write them. */
export function inquiryTable(pack: CoachingPack): { header: string[]; widths: number[]; rows: SheetCell[][] } {
  const columns = inquiryColumns(pack);
  return {
    header: columns.map((column) => column.header),
    widths: columns.map((column) => column.width),
    rows: pack.inquiries.map((inquiry) => columns.map((column) => column.cell(inquiry))),
  };
}

// ---------------------------------------------------------------------------
// XLSX

/** Excel's limit on the characters in one cell; longer text makes it "repair" the file. */
const MAX_CELL_CHARS = 32_767;

const NUMBER_FORMATS = { score: "0.0", integer: "0", gap: "+0.0;-0.0;0.0" } as const;
const TIME_FORMATS = { nb: "dd.mm.yyyy hh:mm", en: "dd mmm yyyy hh:mm" } as const;

function setCell(target: ExcelJS.Cell, cell: SheetCell, pack: CoachingPack) {
  if (cell === null) return;
  if ("text" in cell) {
    // Always a plain string: exceljs only writes formulas for { formula } objects.
    target.value = neutraliseCell(cell.text).slice(0, MAX_CELL_CHARS);
  } else if ("number" in cell) {
    target.value = cell.number;
    target.numFmt = NUMBER_FORMATS[cell.format];
  } else {
    // Excel times have no zone: write Oslo's wall-clock time (exceljs takes a Date's UTC fields).
    const { year, month, day, hour, minute } = osloClock(cell.osloTime);
    target.value = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute)));
    target.numFmt = TIME_FORMATS[pack.locale];
  }
}

function addRow(sheet: ExcelJS.Worksheet, cells: SheetCell[], pack: CoachingPack, bold = false): ExcelJS.Row {
  const row = sheet.addRow([]);
  cells.forEach((cell, index) => setCell(row.getCell(index + 1), cell, pack));
  if (bold) row.font = { bold: true };
  return row;
}

function addSummarySheet(workbook: ExcelJS.Workbook, pack: CoachingPack) {
  const t = translatorFor(pack);
  const { summary } = pack;
  const sheet = workbook.addWorksheet(t("pack.sheet.summary"));
  sheet.columns = [{ width: 28 }, { width: 60 }, { width: 24 }, { width: 12 }, { width: 12 }, { width: 12 }];
  const pair = (label: string, value: SheetCell) => addRow(sheet, [text(label), value], pack);

  addRow(sheet, [text(t("pack.title"))], pack, true);
  pair(t("pack.cover.company"), text(pack.companyName));
  pair(t("pack.cover.study"), text(studyLabel(pack)));
  if (pack.className !== null) pair(t("pack.cover.class"), text(pack.className));
  const selection = pack.selection.length > 0 ? pack.selection : [t("pack.cover.selectionAll")];
  selection.forEach((line, index) => pair(index === 0 ? t("pack.cover.selection") : "", text(line)));
  pair(t("pack.cover.inquiries"), integer(summary.count));
  pair(t("pack.col.answered"), integer(summary.answered));
  pair(t("pack.summary.meanScore"), score(summary.meanScore));
  pair(t("pack.summary.classMean"), score(summary.classMeanScore));
  if (summary.classMeanScore === null) addRow(sheet, [text(t("pack.summary.classHidden"))], pack);
  else if (packHidesSomeClassFigures(pack)) addRow(sheet, [text(t("pack.summary.tooFew"))], pack);
  pair(t("pack.cover.generated"), { osloTime: pack.generatedAt });

  const spots = (title: MessageKey, list: WeakSpot[], withArea: boolean) => {
    sheet.addRow([]);
    addRow(sheet, [text(t(title))], pack, true);
    const header = [t("pack.col.code"), t(withArea ? "pack.col.question" : "pack.col.area"), ...(withArea ? [t("pack.col.area")] : []), t("pack.col.mean"), t("pack.col.classMean"), t("pack.col.gap")];
    addRow(sheet, header.map(text), pack, true);
    for (const spot of list) {
      addRow(sheet, [text(spot.code), text(spot.name), ...(withArea ? [text(spot.areaName ?? null)] : []), score(spot.mean), score(spot.classMean), gap(spot.gap)], pack);
    }
  };
  spots("pack.summary.weakAreas", summary.weakAreas, false);
  spots("pack.summary.weakQuestions", summary.weakQuestions, true);

  sheet.addRow([]);
  addRow(sheet, [text(t("pack.discussion.title"))], pack, true);
  addRow(sheet, [text(t("pack.col.area")), text(t("pack.col.discussionQuestion"))], pack, true);
  for (const { areaName, questions } of pack.discussion) {
    for (const question of questions) addRow(sheet, [text(areaName), text(question)], pack);
  }
}

export async function renderPackXlsx(pack: CoachingPack): Promise<Buffer> {
  const t = translatorFor(pack);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = translate(pack.locale, "app.name");
  workbook.created = new Date(pack.generatedAt);
  workbook.title = t("pack.documentTitle", { company: pack.companyName, study: studyLabel(pack) });
  workbook.subject = t("pack.subject");

  const table = inquiryTable(pack);
  const sheet = workbook.addWorksheet(t("pack.sheet.inquiries"), { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = table.widths.map((width) => ({ width }));
  addRow(sheet, table.header.map(text), pack, true);
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.header.length } };
  for (const row of table.rows) addRow(sheet, row, pack);

  addSummarySheet(workbook, pack);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

// ---------------------------------------------------------------------------
// CSV (dialect: see the header comment)

function csvValue(cell: SheetCell): CsvValue {
  if (cell === null) return null;
  if ("number" in cell) return cell.number;
  if ("osloTime" in cell) {
    const { year, month, day, hour, minute } = osloClock(cell.osloTime);
    return `${year}-${month}-${day} ${hour}:${minute}`;
  }
  return cell.text;
}

export function renderPackCsv(pack: CoachingPack): Buffer {
  const table = inquiryTable(pack);
  const rows = [table.header.map(text), ...table.rows].map((row) => row.map(csvValue));
  return Buffer.from(toCsv(rows, { delimiter: ";", decimalComma: true }), "utf8");
}
