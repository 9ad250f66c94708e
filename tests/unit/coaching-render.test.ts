// The coaching pack's three files (app/exports/coaching-render.server.ts): what the PDF
// says, that no spreadsheet cell can run as a formula, that the CSV reads back like the
// XLSX, and that rendering in the worker thread leaves the event loop free.

import { readdirSync, readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { CoachingPack } from "~/domain/coaching-pack";
import { formatScore } from "~/domain/format";
import { roundHalfAwayFromZero } from "~/domain/scoring";
import { neutraliseCell } from "~/domain/spreadsheet-safety";
import { BACKGROUND_NICENESS } from "~/jobs/thread-priority.server";
import { packFileName, renderPack, renderPackInWorker, signedGap } from "~/exports/coaching-render.server";

import {
  FIXTURE_AGENTS,
  FIXTURE_COMPANY,
  FORMULA_LIKE_COMMENTS,
  HYPERLINK_COMMENT,
  LONG_TRANSCRIPT_INDEX,
  TRANSCRIPT_PAST_CUT,
  TRANSCRIPT_START,
  UNANSWERED_INDEX,
  buildCoachingPack,
} from "../support/coaching-pack-fixture";
import { pdfText } from "../support/pdf-text";

// PDF rendering is CPU-bound (a 200-inquiry pack takes 15–20 s alone, longer beside other test files).
vi.setConfig({ testTimeout: 180_000 });

const RENDER_TIMEOUT = 120_000;
/** Whitespace (line breaks from wrapping, no-break spaces) as single spaces. */
const flat = (text: string) => text.replace(/\s+/g, " ");

describe("neutraliseCell", () => {
  it("prefixes a quote to text that starts like a formula", () => {
    for (const trigger of ["=", "+", "-", "@", "\t", "\r"]) {
      expect(neutraliseCell(`${trigger}1+1`)).toBe(`'${trigger}1+1`);
    }
    expect(neutraliseCell(HYPERLINK_COMMENT)).toBe(`'${HYPERLINK_COMMENT}`);
  });

  it("leaves other text alone", () => {
    for (const safe of ["", "Blåbær", "47 22 33 44 55", "a=b", " =1+1", "'=1", "78,4", "KSP25-0001"]) {
      expect(neutraliseCell(safe)).toBe(safe);
    }
  });
});

describe("signedGap", () => {
  it("writes a difference with its sign and one decimal, rounded like formatScore", () => {
    expect(signedGap(-12.34, "nb")).toBe("−12,3");
    expect(signedGap(-84.45, "nb")).toBe("−84,5");
    expect(signedGap(2.25, "en")).toBe("+2.3");
    expect(signedGap(-0.04, "nb")).toBe("±0,0");
    expect(signedGap(1234.5, "nb")).toBe("+1\u202F234,5");
  });
});

describe("packFileName", () => {
  it("is ASCII, from the company, the study year and the time made (Oslo)", () => {
    const { pack } = buildCoachingPack({ inquiries: 1 });
    expect(packFileName(pack, "pdf")).toBe("coaching-blafjell-strom-son-as-2025-20250314-0930.pdf");
    expect(packFileName({ ...pack, companyName: "ÆØÅ / Łódź" }, "csv")).toBe("coaching-aeoa-lodz-2025-20250314-0930.csv");
    expect(packFileName({ ...pack, companyName: "???" }, "xlsx")).toBe("coaching-company-2025-20250314-0930.xlsx");
  });
});

describe("the PDF", () => {
  const { pack, shopperCodes } = buildCoachingPack({ inquiries: 25 });
  let bytes: Buffer;
  let pages: string[];
  let text: string;

  beforeAll(async () => {
    const rendered = await renderPack(pack, "pdf");
    expect(rendered).toMatchObject({ contentType: "application/pdf", extension: "pdf" });
    bytes = rendered.bytes;
    ({ pages, text } = await pdfText(bytes));
  }, RENDER_TIMEOUT);

  it("is a PDF with a cover, a summary and at least a page per inquiry", async () => {
    expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(pages.length).toBeGreaterThanOrEqual(2 + 25);
    expect(pages[0]).toContain("Coachingmateriell");
    expect(pages[1]).toContain("Sammendrag");
    expect(pages[2]).toContain("Side 3 av");
    const document = await getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
    const info = (await document.getMetadata()).info as Record<string, unknown>;
    await document.destroy();
    expect(info.Title).toBe(`Coachingmateriell – ${FIXTURE_COMPANY} – Kundeserviceprisen 2025`);
    expect(info.Author).toBe("Innsikt");
    expect(info.Language).toBe("nb-NO");
  });

  it("keeps Norwegian letters intact", () => {
    expect(text).toContain(FIXTURE_COMPANY);
    for (const words of ["Strøm", "Blåfjell", "Løsning", "Møre og Romsdal", "Østfold", "Ærlig og åpen", "ÆØÅ", "Shopperens kommentar", "Spørsmål til diskusjon"]) {
      expect(flat(text)).toContain(words);
    }
  });

  it("has a page per inquiry with its ref and its total score as the web shows it", () => {
    for (const inquiry of pack.inquiries) {
      const page = pages.find((candidate) => candidate.includes(`Henvendelse ${inquiry.ref}`));
      expect(page, inquiry.ref).toBeDefined();
      expect(page).toContain(formatScore(inquiry.totalScore, "nb"));
    }
    const unanswered = pages.find((candidate) => candidate.includes(`Henvendelse ${pack.inquiries[UNANSWERED_INDEX]!.ref}`));
    expect(unanswered).toContain("0,0");
    expect(flat(unanswered!)).toContain("Henvendelsen ble ikke besvart etter alle forsøk, og scorer 0.");
  });

  it("summarises the weak areas and questions with their gaps, and the questions for discussion", () => {
    const summary = flat(pages[1]!);
    expect(pack.summary.weakAreas.length).toBeGreaterThan(0);
    for (const spot of [...pack.summary.weakAreas, ...pack.summary.weakQuestions]) {
      expect(spot.gap).toBeLessThan(0);
      expect(summary).toContain(`${spot.code} ${spot.name}`);
      expect(summary).toContain(formatScore(spot.mean, "nb"));
      expect(summary).toContain(`−${formatScore(-spot.gap!, "nb")}`);
    }
    const discussion = flat(text);
    for (const { areaName, questions } of pack.discussion) {
      expect(discussion).toContain(areaName);
      for (const question of questions) expect(discussion).toContain(question);
    }
  });

  it("shows the whole transcript excerpt across page breaks, and nothing past the cut", () => {
    const excerpt = pack.inquiries[LONG_TRANSCRIPT_INDEX]!.transcriptExcerpt!;
    expect(excerpt.length).toBeLessThanOrEqual(1500);
    const all = flat(text);
    expect(all).toContain(TRANSCRIPT_START);
    expect(all).toContain(flat(excerpt.slice(-80)));
    expect(all).not.toContain(TRANSCRIPT_PAST_CUT);
  });

  it("shows comments as text, formula-like or not", () => {
    expect(text).toContain(HYPERLINK_COMMENT);
    expect(text).toContain("+47 22 33 44 55");
  });

  it("names no agent unless the pack includes agent names, and never a shopper code", () => {
    for (const agent of FIXTURE_AGENTS) expect(text).not.toContain(agent);
    expect(text).not.toContain("Kundebehandler\n");
    for (const code of shopperCodes) expect(text).not.toContain(code);
    expect(text).not.toContain("SHP-");
  });

  it("names the agents when the pack includes them, in every font subset", async () => {
    const withAgents = buildCoachingPack({ inquiries: 10, includeAgentNames: true }).pack;
    const { text: named } = await pdfText((await renderPack(withAgents, "pdf")).bytes);
    for (const agent of FIXTURE_AGENTS) expect(named).toContain(agent);
    expect(named).toContain("Kundebehandler\n");
    // The unanswered inquiry has no agent, so its page has no agent field.
    expect(withAgents.inquiries[UNANSWERED_INDEX]!.agentName).toBeNull();
  }, RENDER_TIMEOUT);

  it("is in English for an English pack", async () => {
    const english = buildCoachingPack({ inquiries: 2, locale: "en", classHidden: true }).pack;
    const { pages: englishPages } = await pdfText((await renderPack(english, "pdf")).bytes);
    expect(englishPages[0]).toContain("Coaching pack");
    expect(englishPages[1]).toContain("Summary");
    expect(flat(englishPages[1]!)).toContain("The class has fewer than 3 participants");
    const second = englishPages.find((page) => page.includes(`Inquiry ${english.inquiries[1]!.ref}`));
    expect(second).toMatch(/Page \d+ of \d+/);
    expect(second).toContain(formatScore(english.inquiries[1]!.totalScore, "en"));
    expect(second).toContain("Against mean");
  }, RENDER_TIMEOUT);
});

/** Every cell of every sheet, with where it is. */
function allCells(workbook: ExcelJS.Workbook) {
  const cells: { where: string; cell: ExcelJS.Cell }[] = [];
  workbook.eachSheet((sheet) => sheet.eachRow({ includeEmpty: false }, (row) => row.eachCell({ includeEmpty: false }, (cell) => cells.push({ where: `${sheet.name}!${cell.address}`, cell }))));
  return cells;
}

async function readXlsx(pack: CoachingPack) {
  const rendered = await renderPack(pack, "xlsx");
  expect(rendered).toMatchObject({ contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", extension: "xlsx" });
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(rendered.bytes as unknown as ExcelJS.Buffer);
  return workbook;
}

/** A sheet as rows of values, as wide as the sheet. */
function sheetRows(sheet: ExcelJS.Worksheet): ExcelJS.CellValue[][] {
  const width = sheet.columnCount;
  const rows: ExcelJS.CellValue[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => rows.push(Array.from({ length: width }, (_, index) => row.getCell(index + 1).value)));
  return rows;
}

describe("the XLSX", () => {
  const { pack, shopperCodes } = buildCoachingPack({ inquiries: 25 });
  let workbook: ExcelJS.Workbook;
  let rows: ExcelJS.CellValue[][];
  let header: string[];

  beforeAll(async () => {
    workbook = await readXlsx(pack);
    rows = sheetRows(workbook.worksheets[0]!);
    header = rows[0] as string[];
  });

  it("has the inquiries, with a bold frozen header, and the summary", () => {
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(["Henvendelser", "Sammendrag"]);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(rows).toHaveLength(1 + 25);
    expect(header.slice(0, 4)).toEqual(["Referanse", "Kanal", "Tidspunkt", "Besvart"]);
    expect(header).toContain("L Løsning (score)");
    expect(header).toContain("CX1 Hvor sannsynlig er det at du vil anbefale selskapet til andre? (0–10) (svar)");
    expect(rows.slice(1).map((row) => row[0])).toEqual(pack.inquiries.map((inquiry) => inquiry.ref));

    const summary = sheetRows(workbook.worksheets[1]!).flat();
    expect(summary).toContain(FIXTURE_COMPANY);
    for (const area of pack.summary.weakAreas) {
      expect(summary).toContain(area.name);
      expect(summary).toContain(roundHalfAwayFromZero(area.gap!, 1));
    }
    for (const { questions } of pack.discussion) for (const question of questions) expect(summary).toContain(question);
  });

  it("holds no formula anywhere, and formula-like text as quoted plain strings", () => {
    const comments = rows.slice(1).map((row) => row[header.indexOf("Shopperens kommentar")]);
    expect(comments[0]).toBe(`'${HYPERLINK_COMMENT}`);
    for (const hostile of FORMULA_LIKE_COMMENTS) expect(comments).toContain(`'${hostile}`);
    for (const { where, cell } of allCells(workbook)) {
      expect(cell.type, where).not.toBe(ExcelJS.ValueType.Formula);
      expect(cell.formula, where).toBeUndefined();
      if (typeof cell.value === "string") expect(cell.value, where).not.toMatch(/^[=+\-@\t\r]/);
      else expect(["number", "object"], where).toContain(typeof cell.value);
    }
  });

  it("keeps æøå and writes numbers as numbers", () => {
    const column = (name: string) => rows.slice(1).map((row) => row[header.indexOf(name)]);
    expect(column("Shoppers fylke")).toContain("Møre og Romsdal");
    expect(column("Scenario")).toContain("Ønsker å avslutte avtalen etter et dødsfall i familien");
    expect(column("Totalscore")).toEqual(pack.inquiries.map((inquiry) => roundHalfAwayFromZero(inquiry.totalScore, 1)));
    expect(column("Forsøk").every((value) => typeof value === "number")).toBe(true);
    expect(column("Ventetid (sekunder)")[UNANSWERED_INDEX]).toBeNull();
    expect(column("Ventetid (sekunder)")[0]).toBe(pack.inquiries[0]!.waitSeconds);
    expect(column("K Kundebehandleren (score)").filter((value) => value !== null).every((value) => typeof value === "number")).toBe(true);
    expect(column("Tidspunkt")[0]).toBeInstanceOf(Date);
    // 2025-02-03 07:15 UTC is 08:15 in Oslo; the cell holds Oslo's wall-clock time.
    expect((column("Tidspunkt")[0] as Date).toISOString()).toBe("2025-02-03T08:15:00.000Z");
  });

  it("has an agent column only when the pack includes agent names, and no shopper code", async () => {
    expect(header).not.toContain("Kundebehandler");
    const everything = JSON.stringify(allCells(workbook).map(({ cell }) => cell.value));
    for (const agent of FIXTURE_AGENTS) expect(everything).not.toContain(agent);
    for (const code of shopperCodes) expect(everything).not.toContain(code);

    const named = sheetRows((await readXlsx(buildCoachingPack({ inquiries: 6, includeAgentNames: true }).pack)).worksheets[0]!);
    const agentColumn = (named[0] as string[]).indexOf("Kundebehandler");
    expect(agentColumn).toBeGreaterThan(0);
    expect(named.slice(1).map((row) => row[agentColumn])).toEqual(["Øystein", "Åsmund", "Bjørnhild", null, "Ingeborg", "Øystein"]);
  });
});

describe("the CSV", () => {
  const { pack } = buildCoachingPack({ inquiries: 25 });

  it("is UTF-8 with a byte-order mark, ; between fields and CRLF line ends", async () => {
    const rendered = await renderPack(pack, "csv");
    expect(rendered).toMatchObject({ contentType: "text/csv; charset=utf-8", extension: "csv" });
    expect([...rendered.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = rendered.bytes.toString("utf8");
    expect(text.endsWith("\r\n")).toBe(true);
    expect(text.slice(1, text.indexOf("\r\n"))).toMatch(/^"Referanse";"Kanal";"Tidspunkt";"Besvart";"Totalscore";/);
  });

  it("reads back to the rows of the XLSX's first sheet, with decimal commas and quoted formulas", async () => {
    const csv = parse((await renderPack(pack, "csv")).bytes, { bom: true, delimiter: ";", relaxColumnCount: false }) as string[][];
    const xlsx = sheetRows((await readXlsx(pack)).worksheets[0]!);
    const two = (value: number) => String(value).padStart(2, "0");
    const asCsv = (value: ExcelJS.CellValue) =>
      value === null
        ? ""
        : typeof value === "number"
          ? String(value).replace(".", ",")
          : value instanceof Date
            ? `${value.getUTCFullYear()}-${two(value.getUTCMonth() + 1)}-${two(value.getUTCDate())} ${two(value.getUTCHours())}:${two(value.getUTCMinutes())}`
            : String(value);
    expect(csv).toEqual(xlsx.map((row) => row.map(asCsv)));

    const comments = csv.slice(1).map((row) => row[csv[0]!.indexOf("Shopperens kommentar")]);
    expect(comments[0]).toBe(`'${HYPERLINK_COMMENT}`);
    expect(csv.flat()).toContain("Møre og Romsdal");
    expect(csv[1]![csv[0]!.indexOf("Tidspunkt")]).toBe("2025-02-03 08:15");
    expect(csv.slice(1).map((row) => row[csv[0]!.indexOf("Totalscore")])).toEqual(
      pack.inquiries.map((inquiry) => formatScore(inquiry.totalScore, "nb").replace(/,0$/, "")),
    );
  });
});

describe("rendering in the render thread", () => {
  it("gives the same files as rendering in this thread", async () => {
    const { pack } = buildCoachingPack({ inquiries: 25 });
    const pdf = await renderPackInWorker(pack, "pdf");
    expect(pdf).toMatchObject({ contentType: "application/pdf", extension: "pdf" });
    expect(Buffer.isBuffer(pdf.bytes)).toBe(true);
    const { text } = await pdfText(pdf.bytes);
    for (const inquiry of pack.inquiries) expect(text).toContain(inquiry.ref);
    expect(text).toContain(FIXTURE_COMPANY);

    const [csvInWorker, csvHere] = await Promise.all([renderPackInWorker(pack, "csv"), renderPack(pack, "csv")]);
    expect(csvInWorker.bytes.equals(csvHere.bytes)).toBe(true);
  }, RENDER_TIMEOUT);

  it("rejects with the worker's error when rendering fails", async () => {
    const { pack } = buildCoachingPack({ inquiries: 2 });
    const broken = { ...pack, inquiries: [{ ...pack.inquiries[0]!, contactedAt: "the day before yesterday" }] };
    await expect(renderPackInWorker(broken, "csv")).rejects.toThrow(/^Rendering the coaching pack as CSV failed: Not an ISO 8601 time: the day before yesterday\.$/);
    await expect(renderPackInWorker({ ...pack, generatedAt: "soon" }, "pdf")).rejects.toThrow(/PDF failed: Invalid date/);
  }, RENDER_TIMEOUT);

  it("leaves the event loop free while a large PDF renders", async () => {
    const { pack } = buildCoachingPack({ inquiries: 200 });
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 10);
    try {
      const rendered = await renderPackInWorker(pack, "pdf");
      expect(rendered.bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(10);
  }, 3 * RENDER_TIMEOUT);

  // The render thread runs at a lower priority than the thread serving pages: sampled while
  // a pack renders, some thread of this process has nice 10 and this (main) thread keeps 0.
  it.runIf(process.platform === "linux")("renders at a lower scheduling priority than the pages", async () => {
    const { pack } = buildCoachingPack({ inquiries: 25 });
    const niceOf = (task: string) => Number(readFileSync(`/proc/self/task/${task}/stat`, "utf8").split(") ")[1]!.split(" ")[16]);
    const seen = new Set<number>();
    const sample = () => {
      for (const task of readdirSync("/proc/self/task")) {
        try {
          if (task !== String(process.pid)) seen.add(niceOf(task));
        } catch {
          // the thread ended between listing and reading
        }
      }
    };
    const timer = setInterval(sample, 5);
    try {
      await renderPackInWorker(pack, "pdf");
    } finally {
      clearInterval(timer);
    }
    expect(seen).toContain(BACKGROUND_NICENESS);
    expect(niceOf(String(process.pid))).toBe(0);
  }, RENDER_TIMEOUT);
});
