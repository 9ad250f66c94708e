import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import {
  formatProblemForCli,
  parseDateTime,
  validateParticipants,
  validateQuestionnaire,
  validateResults,
  type ImportProblem,
  type Sheet,
} from "~/domain/import-validate";
import type { Questionnaire } from "~/domain/types";

const SAMPLES = fileURLToPath(new URL("../fixtures/samples/", import.meta.url));
const readSample = (name: string): string => readFileSync(`${SAMPLES}${name}`, "utf8");

/** Parses CSV text into a Sheet whose rowNumbers are the file's (starting) line numbers. */
function toSheet(text: string, delimiter = ","): Sheet {
  const records = parse(text, { bom: true, info: true, delimiter, relax_column_count: true }) as unknown as {
    record: string[];
    info: { lines: number };
  }[];
  const [head, ...rest] = records;
  const rowOf = (r: { record: string[]; info: { lines: number } }) =>
    r.info.lines - r.record.reduce((n, c) => n + (c.match(/\n/g)?.length ?? 0), 0);
  return {
    headers: head!.record,
    rows: rest.map((r) => ({ rowNumber: rowOf(r), cells: r.record })),
  };
}

const sheetOf = (name: string) => toSheet(readSample(name));

function col(sheet: Sheet, name: string): number {
  const i = sheet.headers.findIndex((h) => h.trim().toLowerCase() === name.toLowerCase());
  if (i < 0) throw new Error(`no column ${name}`);
  return i;
}
const get = (sheet: Sheet, i: number, name: string) => sheet.rows[i]!.cells[col(sheet, name)]!;
function set(sheet: Sheet, i: number, name: string, value: string): number {
  sheet.rows[i]!.cells[col(sheet, name)] = value;
  return sheet.rows[i]!.rowNumber;
}
function findRow(sheet: Sheet, pred: (cell: (name: string) => string) => boolean): number {
  const i = sheet.rows.findIndex((_, idx) => pred((n) => get(sheet, idx, n)));
  if (i < 0) throw new Error("no such row in the sample");
  return i;
}

function problemsOf(r: { ok: true } | { ok: false; problems: ImportProblem[] }): ImportProblem[] {
  if (r.ok) throw new Error("expected problems, got ok");
  return r.problems;
}
function expectOne(problems: ImportProblem[], row: number, column: string, word: RegExp) {
  expect(problems).toHaveLength(1);
  const p = problems[0]!;
  expect({ row: p.row, column: p.column }).toEqual({ row, column });
  expect(p.message.en).toMatch(word);
  expect(p.message.nb.length).toBeGreaterThan(0);
  return p;
}

function sampleQuestionnaire(): Questionnaire {
  const r = validateQuestionnaire(sheetOf("questionnaire.csv"));
  if (!r.ok) throw new Error(r.problems.map(formatProblemForCli).join("\n"));
  return r.questionnaire;
}
function sampleParticipantCodes(): Set<string> {
  const r = validateParticipants(sheetOf("participants.csv"));
  if (!r.ok) throw new Error(r.problems.map(formatProblemForCli).join("\n"));
  return new Set(r.participants.map((p) => p.code));
}

describe("the valid sample study", () => {
  it("passes all three files", () => {
    const q = validateQuestionnaire(sheetOf("questionnaire.csv"));
    expect(q.ok).toBe(true);
    if (!q.ok) return;
    expect(q.questionnaire.questions).toHaveLength(12);
    expect(q.questionnaire.areas.map((a) => [a.code, a.weight])).toEqual([
      ["V", 10],
      ["B", 20],
      ["K", 40],
      ["L", 20],
      ["A", 10],
      ["CX", 0],
    ]);
    expect(q.questionnaire.questions[0]).toEqual({
      code: "V1",
      areaCode: "V",
      text: "Kom kunden raskt gjennom til en kundebehandler?",
      kind: "points",
      maxPoints: 3,
      channels: ["phone", "chat", "messenger"],
    });
    expect(q.questionnaire.questions.find((x) => x.code === "CX1")).toMatchObject({
      kind: "nps",
      maxPoints: null,
      channels: null,
    });

    const p = validateParticipants(sheetOf("participants.csv"));
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(p.participants).toHaveLength(9);
    expect(p.participants[0]).toEqual({
      code: "fjordkraft-demo",
      name: "Fjordkraft Demo",
      classCode: "strom",
      className: "Strøm",
      orgNumber: "968430777",
    });

    const codes = new Set(p.participants.map((x) => x.code));
    const r = validateResults(sheetOf("results.csv"), q.questionnaire, codes);
    if (!r.ok) throw new Error(r.problems.slice(0, 5).map(formatProblemForCli).join("\n"));
    expect(r.inquiries).toHaveLength(225);
    const first = r.inquiries[0]!;
    expect(first).toMatchObject({
      ref: "S21-0001",
      participantCode: "fjordkraft-demo",
      channel: "chat",
      shopper: { code: "S002", gender: "female", age: 60, region: "Nordland" },
      attempts: 1,
      answered: true,
      waitSeconds: 152,
      agentName: "Bjørn",
      answers: { V1: 3, V3: 1, B1: 4, K1: 3, K2: 3, L1: 4, L2: 2, A1: 0, CX1: 4, CX2: 3 },
    });
    expect(first.comment).toContain("\n");
    expect(first.contactedAt.toISOString()).toBe("2021-03-13T08:40:00.000Z");
    // Unanswered inquiries have no answers and no wait time.
    const unanswered = r.inquiries.filter((i) => !i.answered);
    expect(unanswered.length).toBeGreaterThan(0);
    for (const u of unanswered) {
      expect(u.answers).toEqual({});
      expect(u.waitSeconds).toBeNull();
    }
  });

  it("uses the file's row numbers even when quoted fields span lines", () => {
    const sheet = sheetOf("results.csv");
    expect(sheet.rows[0]!.rowNumber).toBe(2);
    expect(sheet.rows[1]!.rowNumber).toBeGreaterThan(3);
    const i = 5;
    const row = set(sheet, i, "channel", "fax");
    const lines = readSample("results.csv").split("\n");
    expect(lines[row - 1]!.startsWith(get(sheet, i, "inquiry_ref"))).toBe(true);
    expectOne(problemsOf(validateResults(sheet, sampleQuestionnaire())), row, "channel", /channel/);
  });

  it("accepts a semicolon export with decimal commas, Norwegian values and dates", () => {
    const qText = readSample("questionnaire.csv")
      .split("\n")
      .map((l) => l.replace(/,/g, ";"))
      .join("\n")
      .replace(/;20;B1;/, ";12,5;B1;");
    const qr = validateQuestionnaire(toSheet(`\uFEFF${qText}`, ";"));
    if (!qr.ok) throw new Error(qr.problems.map(formatProblemForCli).join("\n"));
    expect(qr.questionnaire.areas.find((a) => a.code === "B")!.weight).toBe(12.5);

    const sheet: Sheet = {
      headers: sheetOf("results.csv").headers,
      rows: [sheetOf("results.csv").rows[0]!],
    };
    set(sheet, 0, "channel", "Kontaktskjema");
    set(sheet, 0, "q:V1", "");
    set(sheet, 0, "shopper_gender", "Kvinne");
    set(sheet, 0, "answered", "ja");
    set(sheet, 0, "contacted_at", "14.01.2021 09:30");
    const r = validateResults(sheet, qr.questionnaire);
    if (!r.ok) throw new Error(r.problems.map(formatProblemForCli).join("\n"));
    expect(r.inquiries[0]).toMatchObject({ channel: "email", answered: true, shopper: { gender: "female" } });
    expect(r.inquiries[0]!.contactedAt.toISOString()).toBe("2021-01-14T08:30:00.000Z");
  });
});

describe("dates", () => {
  it("reads Oslo local time with the right offset, summer time included", () => {
    expect(parseDateTime("2021-01-14T09:30")!.toISOString()).toBe("2021-01-14T08:30:00.000Z");
    expect(parseDateTime("2021-03-28T03:30")!.toISOString()).toBe("2021-03-28T01:30:00.000Z");
    expect(parseDateTime("2021-03-28T01:30")!.toISOString()).toBe("2021-03-28T00:30:00.000Z");
    expect(parseDateTime("2021-07-01T12:00:15")!.toISOString()).toBe("2021-07-01T10:00:15.000Z");
    expect(parseDateTime("14.01.2021 09:30")!.toISOString()).toBe("2021-01-14T08:30:00.000Z");
    expect(parseDateTime("01.07.2021 09:30")!.toISOString()).toBe("2021-07-01T07:30:00.000Z");
    expect(parseDateTime("2021-01-14T09:30:00+05:00")!.toISOString()).toBe("2021-01-14T04:30:00.000Z");
    expect(parseDateTime("2021-01-14T09:30:00Z")!.toISOString()).toBe("2021-01-14T09:30:00.000Z");
  });
  it("takes the later 02:30 of the autumn's repeated hour and refuses the spring's skipped one", () => {
    expect(parseDateTime("2021-10-31T02:30")!.toISOString()).toBe("2021-10-31T01:30:00.000Z");
    expect(parseDateTime("2021-03-28T02:30")).toBeNull();
  });
  it("refuses what is not a date", () => {
    for (const s of ["2021-02-30T10:00", "14/01/2021 09:30", "yesterday", "2021-01-14T25:00", "32.01.2021 09:30"]) {
      expect(parseDateTime(s), s).toBeNull();
    }
  });
});

describe("the command line's problem line", () => {
  it("stays one line when the value holds line breaks", () => {
    const line = formatProblemForCli({ row: 7, column: "", value: "a\r\nb\nc", message: { nb: "x", en: "the row has 3 fields" } });
    expect(line).toBe("row 7, column : the row has 3 fields (value: a\\r\\nb\\nc)");
    expect(line.split("\n")).toHaveLength(1);
  });
});

describe("questionnaire problems", () => {
  it("unknown column", () => {
    const s = sheetOf("questionnaire.csv");
    s.headers[col(s, "channels")] = "chanels";
    const p = expectOne(problemsOf(validateQuestionnaire(s)), 1, "chanels", /unknown column/);
    expect(formatProblemForCli(p)).toBe(
      "row 1, column chanels: unknown column; check the spelling, or start the header with # to ignore the column (value: chanels)",
    );
  });

  it("ignores a # column and matches headers case-insensitively", () => {
    const s = sheetOf("questionnaire.csv");
    s.headers.push("# note");
    s.headers[0] = "  AREA_Code ";
    s.rows.forEach((r) => r.cells.push("whatever"));
    expect(validateQuestionnaire(s).ok).toBe(true);
  });

  it("missing required column", () => {
    const s = sheetOf("questionnaire.csv");
    const i = col(s, "question_text");
    s.headers.splice(i, 1);
    s.rows.forEach((r) => r.cells.splice(i, 1));
    expectOne(problemsOf(validateQuestionnaire(s)), 1, "question_text", /missing/);
  });

  it("weight differs within an area", () => {
    const s = sheetOf("questionnaire.csv");
    const row = set(s, 1, "area_weight", "15");
    expectOne(problemsOf(validateQuestionnaire(s)), row, "area_weight", /same on every row/);
  });

  it("weight 0 on an area with scored questions", () => {
    const s = sheetOf("questionnaire.csv");
    const i = findRow(s, (c) => c("area_code") === "A");
    const row = set(s, i, "area_weight", "0");
    expectOne(problemsOf(validateQuestionnaire(s)), row, "area_weight", /weight 0/);
  });

  it("duplicate question code", () => {
    const s = sheetOf("questionnaire.csv");
    const row = set(s, 2, "question_code", "V1");
    expectOne(problemsOf(validateQuestionnaire(s)), row, "question_code", /not unique/);
  });

  it("max_points 11", () => {
    const s = sheetOf("questionnaire.csv");
    const row = set(s, 3, "max_points", "11");
    expectOne(problemsOf(validateQuestionnaire(s)), row, "max_points", /1 to 10/);
  });

  it("max_points on an unscored question", () => {
    const s = sheetOf("questionnaire.csv");
    const i = findRow(s, (c) => c("question_code") === "CX1");
    const row = set(s, i, "max_points", "10");
    expectOne(problemsOf(validateQuestionnaire(s)), row, "max_points", /empty/);
  });

  it("bad kind", () => {
    const s = sheetOf("questionnaire.csv");
    const row = set(s, 4, "kind", "score");
    expectOne(problemsOf(validateQuestionnaire(s)), row, "kind", /unknown question kind/);
  });

  it("bad channel in channels", () => {
    const s = sheetOf("questionnaire.csv");
    const row = set(s, 0, "channels", "phone|fax");
    const p = expectOne(problemsOf(validateQuestionnaire(s)), row, "channels", /unknown channel "fax"/);
    expect(p.value).toBe("phone|fax");
  });

  it("collects every problem, not just the first", () => {
    const s = sheetOf("questionnaire.csv");
    set(s, 0, "max_points", "0");
    set(s, 5, "kind", "stars");
    set(s, 7, "area_weight", "x");
    expect(problemsOf(validateQuestionnaire(s)).map((p) => p.row)).toEqual([2, 7, 9]);
  });
});

describe("participant problems", () => {
  it("duplicate participant code", () => {
    const s = sheetOf("participants.csv");
    const row = set(s, 3, "participant_code", get(s, 0, "participant_code"));
    expectOne(problemsOf(validateParticipants(s)), row, "participant_code", /not unique/);
  });

  it("bad organisation number", () => {
    const s = sheetOf("participants.csv");
    const row = set(s, 1, "org_number", "991544713");
    expectOne(problemsOf(validateParticipants(s)), row, "org_number", /MOD11/);
  });

  it("empty organisation number is fine", () => {
    const s = sheetOf("participants.csv");
    set(s, 1, "org_number", "");
    const r = validateParticipants(s);
    expect(r.ok && r.participants[1]!.orgNumber).toBeNull();
  });

  it("class name differs within a class", () => {
    const s = sheetOf("participants.csv");
    const row = set(s, 2, "class_name", "Strom");
    expectOne(problemsOf(validateParticipants(s)), row, "class_name", /same on every row/);
  });
});

describe("results problems", () => {
  const q = sampleQuestionnaire();
  const codes = sampleParticipantCodes();
  const results = () => sheetOf("results.csv");
  const check = (s: Sheet) => problemsOf(validateResults(s, q, codes));

  it("duplicate inquiry_ref", () => {
    const s = results();
    const row = set(s, 7, "inquiry_ref", get(s, 2, "inquiry_ref"));
    expectOne(check(s), row, "inquiry_ref", /repeated/);
  });

  it("unknown participant (and none checked without the list)", () => {
    const s = results();
    const row = set(s, 4, "participant_code", "no-such-company");
    expectOne(check(s), row, "participant_code", /unknown participant/);
    expect(validateResults(s, q).ok).toBe(true);
  });

  it("2 attempts on email", () => {
    const s = results();
    const i = findRow(s, (c) => c("channel") === "email" && c("attempts") === "1");
    const row = set(s, i, "attempts", "2");
    expectOne(check(s), row, "attempts", /email/);
  });

  it("age 17", () => {
    const s = results();
    // A shopper with only one row keeps the case to a single problem.
    const counts = new Map<string, number>();
    s.rows.forEach((_, i) => counts.set(get(s, i, "shopper_code"), (counts.get(get(s, i, "shopper_code")) ?? 0) + 1));
    const i = findRow(s, (c) => counts.get(c("shopper_code")) === 1);
    const row = set(s, i, "shopper_age", "17");
    expectOne(check(s), row, "shopper_age", /18 to 99/);
  });

  it("shopper inconsistent across rows", () => {
    const s = results();
    const shopper = get(s, 0, "shopper_code");
    const later = s.rows.findIndex((_, i) => i > 0 && get(s, i, "shopper_code") === shopper);
    expect(later).toBeGreaterThan(0);
    const row = set(s, later, "shopper_region", "Finnmark");
    const p = expectOne(check(s), row, "shopper_region", /shopper .* different region/);
    expect(p.message.en).toContain(`row ${s.rows[0]!.rowNumber}`);
  });

  it("unanswered with points", () => {
    const s = results();
    const i = findRow(s, (c) => ["no", "nei", "false", "0"].includes(c("answered").toLowerCase()));
    const row = set(s, i, "q:B1", "2");
    expectOne(check(s), row, "q:B1", /unanswered/);
  });

  it("unanswered with wait time", () => {
    const s = results();
    const i = findRow(s, (c) => ["no", "nei", "false", "0"].includes(c("answered").toLowerCase()));
    const row = set(s, i, "wait_seconds", "30");
    expectOne(check(s), row, "wait_seconds", /unanswered/);
  });

  it("points above max_points", () => {
    const s = results();
    const i = findRow(s, (c) => c("q:B1") !== "");
    const row = set(s, i, "q:B1", "5");
    expectOne(check(s), row, "q:B1", /0 to 4/);
  });

  it("nps 11", () => {
    const s = results();
    const i = findRow(s, (c) => c("answered") === "yes");
    const row = set(s, i, "q:CX1", "11");
    expectOne(check(s), row, "q:CX1", /0 to 10/);
  });

  it("channel-limited question filled on another channel", () => {
    const s = results();
    const i = findRow(s, (c) => c("channel") === "chat" && c("answered") === "yes");
    const row = set(s, i, "q:V2", "1");
    expectOne(check(s), row, "q:V2", /only applies to the channels email/);
  });

  it("answered without any point value", () => {
    const s = results();
    const i = findRow(s, (c) => c("answered") === "yes");
    for (const qq of q.questions) if (qq.kind === "points") set(s, i, `q:${qq.code}`, "");
    const row = s.rows[i]!.rowNumber;
    expectOne(check(s), row, "answered", /at least one point value/);
  });

  it("bad date", () => {
    const s = results();
    const row = set(s, 3, "contacted_at", "2021-02-30 10:00");
    expectOne(check(s), row, "contacted_at", /invalid date/);
  });

  it("a contacted_at in the hour the spring skips is refused, not moved to 03:30", () => {
    const s = results();
    const row = set(s, 3, "contacted_at", "2021-03-28T02:30");
    expectOne(check(s), row, "contacted_at", /does not exist in Norwegian time/);
  });

  it("q: column for a question not in the questionnaire, and a question without a column", () => {
    const s = results();
    s.headers[col(s, "q:A1")] = "q:A9";
    const ps = check(s);
    expect(ps.map((p) => [p.row, p.column])).toEqual([
      [1, "q:A9"],
      [1, "q:A1"],
    ]);
    expect(ps[0]!.message.en).toMatch(/not in the study's questionnaire/);
    expect(ps[1]!.message.en).toMatch(/missing/);
  });

  it("transcript over 100,000 characters", () => {
    const s = results();
    const row = set(s, 0, "transcript", "x".repeat(100_001));
    const p = expectOne(check(s), row, "transcript", /too long/);
    expect(p.value.length).toBeLessThan(300);
  });

  it("stops at 1,000 problems", () => {
    const s = results();
    const many: Sheet = { headers: s.headers, rows: [] };
    for (let n = 0; n < 600; n++) {
      const cells = [...s.rows[0]!.cells];
      cells[col(s, "channel")] = "fax";
      cells[col(s, "shopper_age")] = "5";
      cells[col(s, "inquiry_ref")] = `R${n}`;
      many.rows.push({ rowNumber: n + 2, cells });
    }
    expect(check(many)).toHaveLength(1000);
  });
});
