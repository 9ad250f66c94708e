// The award files (app/exports/awards/): the diploma PDF says who won what and is A4 landscape;
// the badge SVG has its text as outlines, a title and parses; the PNG is the width asked for;
// the results list (PDF, XLSX, CSV) holds every company with rank and score, hides rank and
// score in a class below 3 participants, repeats the table header, and no cell can run as a formula.

import { Resvg } from "@resvg/resvg-js";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { describe, expect, it, vi } from "vitest";
import { formatScore, type Locale } from "~/domain/format";
import { badgeFile, diplomaFile, resultsListFile } from "~/exports/awards/award-files.server";
import { renderBadgePng, renderBadgeSvg } from "~/exports/awards/badge.server";
import { renderDiplomaPdf } from "~/exports/awards/diploma-pdf.server";
import { awardLabel } from "~/exports/awards/labels";
import { resultsLines, resultsListCsv, resultsListXlsx } from "~/exports/awards/results-list.server";
import { resultsListPdf } from "~/exports/awards/results-pdf.server";
import type { AwardCertificate, ResultsList, ResultsListClass } from "~/exports/awards/types";
import { translate } from "~/i18n/i18n";
import { pdfText } from "../support/pdf-text";

vi.setConfig({ testTimeout: 120_000 });

const flat = (text: string) => text.replace(/\s+/g, " ");
const LONG_NAME = "Sparebanken Sør-Øst Telemark og Vestfold Kundesenter AS";
const FORMULA_NAME = '=HYPERLINK("http://evil.example","Klikk")';

const certificate = (overrides: Partial<AwardCertificate> = {}): AwardCertificate => ({
  year: 2026,
  studyName: "Kundeserviceprisen 2026",
  kind: "class",
  className: "Bank og finans",
  channel: null,
  participantName: LONG_NAME,
  score: 86.04,
  ...overrides,
});

async function pageSizes(bytes: Uint8Array): Promise<{ width: number; height: number }[]> {
  const document = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, verbosity: 0 }).promise;
  try {
    const sizes = [];
    for (let number = 1; number <= document.numPages; number += 1) {
      const { width, height } = (await document.getPage(number)).getViewport({ scale: 1 });
      sizes.push({ width: Math.round(width), height: Math.round(height) });
    }
    return sizes;
  } finally {
    await document.destroy();
  }
}

describe("renderDiplomaPdf", () => {
  const cases: [Locale, AwardCertificate, string[]][] = [
    ["nb", certificate(), ["Kundeserviceprisen 2026", "Vinner av klassen Bank og finans", LONG_NAME, "86,0", "DIPLOM"]],
    ["en", certificate(), ["Kundeserviceprisen 2026", "Winner of the class Bank og finans", LONG_NAME, "86.0", "CERTIFICATE"]],
    ["nb", certificate({ kind: "channel", className: null, channel: "phone", participantName: "Łódź Økonomi AS", score: 91.44 }), ["Beste på telefon", "Łódź Økonomi AS", "91,4"]],
    ["en", certificate({ kind: "overall", className: null, participantName: "Fjordbanken", score: 88.12 }), ["Overall winner", "Fjordbanken", "88.1"]],
  ];

  it.each(cases)("names the prize, the year, the award and the company (%s)", async (locale, cert, expected) => {
    const bytes = await renderDiplomaPdf(cert, locale);
    const { pages, text } = await pdfText(bytes);
    expect(pages).toHaveLength(1);
    // Spaced capitals ("D I P L O M") and wrapped names read back with the spaces closed up.
    const squeezed = text.replace(/\s+/g, "");
    for (const phrase of expected) expect(squeezed).toContain(phrase.replace(/\s+/g, ""));
    expect(flat(text)).toContain(cert.participantName.split(" ")[0]);
  });

  it("is one A4 page in landscape (842 × 595 pt)", async () => {
    const sizes = await pageSizes(await renderDiplomaPdf(certificate(), "nb"));
    expect(sizes).toEqual([{ width: 842, height: 595 }]);
  });

  it("refuses a class award without its class", async () => {
    await expect(renderDiplomaPdf(certificate({ className: null }), "nb")).rejects.toThrow(/class name/);
  });
});

describe("renderBadgeSvg", () => {
  const certs = [
    certificate(),
    certificate({ className: "Forsikring, pensjon og sparing for privatkunder – Øst & Vest <AS>" }),
    certificate({ kind: "channel", className: null, channel: "messenger" }),
    certificate({ kind: "overall", className: null }),
  ];

  it.each(certs.flatMap((cert) => (["nb", "en"] as const).map((locale) => [locale, cert] as const)))(
    "draws its text as outlines, says it in <title> and aria-label, and parses (%s)",
    (locale, cert) => {
      const svg = renderBadgeSvg(cert, locale);
      expect(svg).not.toMatch(/<text[\s>]/);
      expect(svg).not.toMatch(/<tspan[\s>]/);
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]* role="img"/);
      const title = /<title>([^<]*)<\/title>/.exec(svg)?.[1];
      const ariaLabel = /aria-label="([^"]*)"/.exec(svg)?.[1];
      const unescape = (value: string | undefined) => value?.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&quot;", '"').replaceAll("&amp;", "&");
      const expected = `Kundeserviceprisen 2026: ${awardLabel(cert, locale)}`;
      expect(unescape(title)).toBe(expected);
      expect(unescape(ariaLabel)).toBe(expected);
      // resvg throws "SVG data parsing failed" on XML that does not parse; its size is the badge's.
      const parsed = new Resvg(svg, { font: { loadSystemFonts: false } });
      expect([parsed.width, parsed.height]).toEqual([400, 400]);
      // The outlined words are there: one path per line of text, each with glyph outlines.
      const textPaths = svg.slice(svg.indexOf('<g aria-hidden="true">')).match(/<path fill="[^"]+" d="M[^"]{200,}"/g) ?? [];
      expect(textPaths.length).toBeGreaterThanOrEqual(3);
    },
  );
});

describe("renderBadgePng", () => {
  it.each([64, 256, 1000])("is a PNG %i pixels wide and as high", (width) => {
    const png = renderBadgePng(certificate(), "nb", { width });
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // The first chunk is IHDR: length (4 bytes), "IHDR", width and height as big-endian 32-bit integers.
    expect(png.subarray(12, 16).toString("latin1")).toBe("IHDR");
    expect(png.readUInt32BE(16)).toBe(width);
    expect(png.readUInt32BE(20)).toBe(width);
  });

  it("refuses a width that is no size for a badge", () => {
    expect(() => renderBadgePng(certificate(), "nb", { width: 0 })).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------------------
// The results list

const NAMES = ["Fjordbanken", LONG_NAME, "Ærlig Åpen Økonomi", "Łukasz Bank", "Nordlys Energi", "Handlekurven", "Blåbær AS", FORMULA_NAME];

function ranked(classCode: string, className: string, count: number): ResultsListClass {
  return {
    classCode,
    className,
    participants: count,
    // Rank 1 shared by the first two (a tie), then the next rank is 3, as the ranking gives it.
    rows: Array.from({ length: count }, (_, i) => ({
      rank: i < 2 ? 1 : i + 1,
      participantName: `${NAMES[i % NAMES.length]} ${classCode}-${i + 1}`,
      totalScore: i < 2 ? 87.654321 : 87.654321 - i * 1.234567,
    })),
  };
}

const SMALL_CLASS: ResultsListClass = {
  classCode: "cruise",
  className: "Cruise",
  participants: 2,
  rows: [
    { rank: 1, participantName: "Zeta Cruise AS", totalScore: 92.5 },
    { rank: 2, participantName: "Alfa Sjøreiser AS", totalScore: 71.25 },
  ],
};

const LIST: ResultsList = {
  year: 2026,
  studyName: "Kundeserviceprisen 2026",
  classes: [ranked("bank", "Bank og finans", 8), SMALL_CLASS, ranked("energi", "Energi", 5), ranked("netthandel", "Netthandel", 64), ranked("telekom", "Telekom", 3)],
  channels: [
    { channel: "phone", winners: [{ participantName: "Fjordbanken bank-1", score: 91.44 }] },
    { channel: "email", winners: [{ participantName: "Nordlys Energi energi-5", score: 88.5 }, { participantName: "Blåbær AS bank-7", score: 88.5 }] },
    { channel: "chat", winners: [] },
    { channel: "messenger", winners: [{ participantName: `${LONG_NAME} bank-2`, score: 79.123 }] },
  ],
  overall: { winners: [{ participantName: "Fjordbanken bank-1", score: 87.654321 }] },
};

const shownClasses = LIST.classes.filter((c) => c.participants >= 3);

describe("resultsListPdf", () => {
  it.each(["nb", "en"] as const)("lists every company of a ranked class with its rank and total score (%s)", async (locale) => {
    const { text } = await pdfText(await resultsListPdf(LIST, locale));
    const lines = text.split("\n").map(flat);
    for (const entry of shownClasses) {
      for (const row of entry.rows) {
        const line = `${row.rank} ${row.participantName} ${formatScore(row.totalScore, locale)}`;
        expect(lines, line).toContain(line);
      }
    }
  });

  it("lists a class below 3 participants by name only, without rank or score, and says why", async () => {
    const { text } = await pdfText(await resultsListPdf(LIST, "nb"));
    const lines = text.split("\n").map(flat);
    const names = lines.filter((line) => line.includes("Cruise AS") || line.includes("Sjøreiser AS"));
    expect(names).toEqual(["Alfa Sjøreiser AS", "Zeta Cruise AS"]);
    expect(flat(text)).not.toContain("92,5");
    expect(flat(text)).toContain(flat(translate("nb", "awards.results.smallClass")));
  });

  it("repeats the class heading and column header on every page the class runs onto", async () => {
    const { pages } = await pdfText(await resultsListPdf(LIST, "nb"));
    const long = LIST.classes.find((c) => c.classCode === "netthandel")!;
    const pagesWithRows = pages.filter((page) => long.rows.some((row) => page.includes(`${row.participantName} `)));
    expect(pagesWithRows.length).toBeGreaterThanOrEqual(2);
    for (const page of pagesWithRows) {
      expect(page).toContain("Klasse: Netthandel");
      expect(flat(page)).toContain("Plassering Selskap Totalscore");
    }
  });

  it("ends with the best in each channel and the overall winner, and says where there is none", async () => {
    const { text } = await pdfText(await resultsListPdf(LIST, "en"));
    const tail = flat(text.slice(text.indexOf("Best per channel")));
    expect(tail).toContain("Phone Fjordbanken bank-1 91.4");
    expect(tail).toContain("E-mail Blåbær AS bank-7 (shared) 88.5");
    expect(tail).toContain("Nordlys Energi energi-5 (shared) 88.5");
    expect(tail).toContain("Chat No winner: no participant had at least 5 inquiries");
    expect(tail).toContain(`Overall winner Fjordbanken bank-1 87.7`);
  });

  it("is A4 portrait", async () => {
    const sizes = await pageSizes(await resultsListPdf(LIST, "nb"));
    for (const size of sizes) expect(size).toEqual({ width: 595, height: 842 });
  });
});

/** Back from the spreadsheet cells to a list: ranked classes' rows, and the winners by part. */
function listFromTable(rows: (string | number | null)[][], locale: Locale) {
  const classes = new Map<string, { rank: number | null; participantName: string; totalScore: number | null }[]>();
  const winners = new Map<string, { participantName: string; score: number }[]>();
  const part = (key: "awards.part.class" | "awards.part.channel" | "awards.part.overall") => translate(locale, key);
  for (const [partLabel, group, rank, name, score] of rows) {
    if (partLabel === part("awards.part.class")) {
      const list = classes.get(String(group)) ?? [];
      list.push({ rank: rank as number | null, participantName: String(name), totalScore: score as number | null });
      classes.set(String(group), list);
    } else {
      const key = `${String(partLabel)}/${String(group ?? "")}`;
      const list = winners.get(key) ?? [];
      if (name !== null) list.push({ participantName: String(name), score: score as number });
      winners.set(key, list);
    }
  }
  return { classes, winners };
}

function expectSameAsList(rows: (string | number | null)[][], locale: Locale) {
  const unquote = (name: string) => (name.startsWith("'=") ? name.slice(1) : name);
  const { classes, winners } = listFromTable(rows, locale);
  expect([...classes.keys()]).toEqual(LIST.classes.map((c) => c.className));
  for (const entry of shownClasses) {
    expect(classes.get(entry.className)!.map((r) => ({ ...r, participantName: unquote(r.participantName) }))).toEqual(entry.rows);
  }
  expect(classes.get("Cruise")).toEqual([
    { rank: null, participantName: "Alfa Sjøreiser AS", totalScore: null },
    { rank: null, participantName: "Zeta Cruise AS", totalScore: null },
  ]);
  for (const { channel, winners: expected } of LIST.channels) {
    const got = winners.get(`${translate(locale, "awards.part.channel")}/${translate(locale, `channel.${channel}`)}`);
    expect(got?.sort((a, b) => a.participantName.localeCompare(b.participantName))).toEqual([...expected].sort((a, b) => a.participantName.localeCompare(b.participantName)));
  }
  expect(winners.get(`${translate(locale, "awards.part.overall")}/`)).toEqual(LIST.overall.winners);
}

describe("resultsListCsv", () => {
  it.each(["nb", "en"] as const)("reads back as the list, scores in full precision (%s)", (locale) => {
    const csv = resultsListCsv(LIST, locale);
    expect(csv.startsWith("\uFEFF")).toBe(true);
    const records = parse(csv, { bom: true, delimiter: ";", relax_quotes: false }) as string[][];
    expect(records[0]).toEqual(["awards.col.part", "awards.col.group", "awards.col.rank", "awards.col.company", "awards.col.score", "awards.col.note"].map((key) => translate(locale, key as never)));
    const number = (cell: string) => (cell === "" ? null : Number(cell.replace(",", ".")));
    const rows = records.slice(1).map(([part, group, rank, name, score]) => [part!, group!, number(rank!), name === "" ? null : name!, number(score!)]);
    expectSameAsList(rows, locale);
    expect(records).toHaveLength(1 + resultsLines(LIST, locale).length);
  });

  it("neutralises a company name that starts like a formula", () => {
    const records = parse(resultsListCsv(LIST, "nb"), { bom: true, delimiter: ";" }) as string[][];
    const names = records.map((record) => record[3]!);
    expect(names.filter((name) => name.includes("HYPERLINK")).length).toBeGreaterThan(0);
    for (const name of names) expect(name).not.toMatch(/^[=+\-@]/);
    expect(names).toContain(`'${FORMULA_NAME} bank-8`);
  });
});

describe("resultsListXlsx", () => {
  it.each(["nb", "en"] as const)("holds the same rows as the list, numbers as numbers and no formula (%s)", async (locale) => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await resultsListXlsx(LIST, locale)) as unknown as ExcelJS.Buffer);
    expect(workbook.worksheets).toHaveLength(1);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).toBe(translate(locale, "awards.results.title"));
    const rows: (string | number | null)[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row, number) => {
      if (number === 1) return;
      rows.push([1, 2, 3, 4, 5].map((column) => {
        const value = row.getCell(column).value;
        expect(typeof value === "object" && value !== null).toBe(false);
        return (value ?? null) as string | number | null;
      }));
    });
    expectSameAsList(rows, locale);
    expect(sheet.getRow(1).getCell(4).value).toBe(translate(locale, "awards.col.company"));
    const formulaLike = rows.map((row) => row[3]).filter((name) => typeof name === "string" && name.includes("HYPERLINK"));
    expect(formulaLike.length).toBeGreaterThan(0);
    for (const name of formulaLike) expect(name).toMatch(/^'=/);
  });
});

describe("award files as served", () => {
  it("draws the PDFs in the render thread and names every file in ASCII", async () => {
    const cert = certificate({ participantName: "Ærlige Øst-Åsen Łódź AS" });
    const diploma = await diplomaFile(cert, "en");
    expect(diploma.contentType).toBe("application/pdf");
    expect(diploma.fileName).toBe("kundeserviceprisen-2026-class-bank-og-finans-aerlige-ost-asen-lodz-as-en.pdf");
    expect(flat((await pdfText(diploma.bytes)).text)).toContain("Ærlige Øst-Åsen Łódź AS");

    const svg = badgeFile(cert, "nb", "svg");
    expect([svg.contentType, svg.fileName]).toEqual(["image/svg+xml", "kundeserviceprisen-2026-class-bank-og-finans-aerlige-ost-asen-lodz-as-nb.svg"]);
    const png = badgeFile(cert, "nb", "png", 128);
    expect([png.contentType, png.bytes.readUInt32BE(16)]).toEqual(["image/png", 128]);

    const results = await resultsListFile(LIST, "nb", "pdf");
    expect([results.contentType, results.fileName]).toEqual(["application/pdf", "kundeserviceprisen-2026-resultatliste.pdf"]);
    expect((await resultsListFile(LIST, "en", "csv")).contentType).toBe("text/csv; charset=utf-8");
  });
});
