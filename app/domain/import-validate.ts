// Validation of the three import files (spec/import-format.md) after they have been parsed
// into rows of raw strings. Pure: no I/O. Every problem is collected (up to MAX_PROBLEMS),
// each with the file's row number (header = row 1), the column, the value and a reason in
// bokmål and English.

import {
  CX_RANGES,
  QUESTION_KINDS,
  type AreaDef,
  type Channel,
  type Gender,
  type InquiryRow,
  type ParticipantRow,
  type QuestionDef,
  type QuestionKind,
  type Questionnaire,
} from "./types";
import { parseOsloDateTime } from "./oslo-time";
import { isValidOrgNumber } from "./org-number";

export interface Sheet {
  headers: string[];
  /** rowNumber = the file's row number (the header is row 1); cells aligned with headers. */
  rows: { rowNumber: number; cells: string[] }[];
}

export interface ImportProblem {
  row: number;
  column: string;
  value: string;
  message: { nb: string; en: string };
}

export const MAX_PROBLEMS = 1000;
export const MAX_TRANSCRIPT_CHARS = 100_000;
const MAX_VALUE_CHARS = 200;

/** `row <n>, column <name>: <english reason> (value: <value>)` */
export function formatProblemForCli(p: ImportProblem): string {
  // One problem per line: line breaks inside a value are shown escaped.
  const value = p.value.replace(/\r/g, "\\r").replace(/\n/g, "\\n");
  return `row ${p.row}, column ${p.column}: ${p.message.en} (value: ${value})`;
}

// ---------------------------------------------------------------------------------------
// Value parsers (exported for reuse by the file readers and tests)

const CHANNEL_NAMES: Record<string, Channel> = {
  phone: "phone",
  telefon: "phone",
  email: "email",
  "e-mail": "email",
  "e-post": "email",
  epost: "email",
  kontaktskjema: "email",
  chat: "chat",
  messenger: "messenger",
};

const GENDER_NAMES: Record<string, Gender> = {
  female: "female",
  kvinne: "female",
  male: "male",
  mann: "male",
  other: "other",
  annet: "other",
};

const BOOLEAN_NAMES: Record<string, boolean> = {
  yes: true,
  ja: true,
  true: true,
  "1": true,
  no: false,
  nei: false,
  false: false,
  "0": false,
};

export function parseChannel(s: string): Channel | null {
  return CHANNEL_NAMES[s.trim().toLowerCase()] ?? null;
}

export function parseGender(s: string): Gender | null {
  return GENDER_NAMES[s.trim().toLowerCase()] ?? null;
}

export function parseBoolean(s: string): boolean | null {
  const v = BOOLEAN_NAMES[s.trim().toLowerCase()];
  return v === undefined ? null : v;
}

/** A shopper's age: whole years from 18 to 99. */
function parseAge(s: string): number | null {
  const n = parseNumber(s);
  return n !== null && Number.isInteger(n) && n >= 18 && n <= 99 ? n : null;
}

/** A number with a decimal point or a decimal comma; null when not a number. */
export function parseNumber(s: string): number | null {
  const t = s.trim();
  if (!/^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/.test(t)) return null;
  const n = Number(t.replace(",", "."));
  return Number.isFinite(n) ? n : null;
}

/**
 * ISO 8601 (`2021-01-14T09:30`, with or without seconds and offset) or Norwegian
 * `14.01.2021 09:30`; a time without an offset is Europe/Oslo time. null when invalid,
 * including an Oslo time the spring skips (app/domain/oslo-time.ts).
 */
export function parseDateTime(s: string): Date | null {
  const parsed = parseOsloDateTime(s);
  return parsed.ok ? parsed.date : null;
}

// ---------------------------------------------------------------------------------------
// Shared machinery

export type Msg = { nb: string; en: string };
export const msg = (nb: string, en: string): Msg => ({ nb, en });

export class Problems {
  readonly list: ImportProblem[] = [];
  add(row: number, column: string, value: string, message: Msg): void {
    if (this.list.length >= MAX_PROBLEMS) return;
    const v = value.length > MAX_VALUE_CHARS ? `${value.slice(0, MAX_VALUE_CHARS)}…` : value;
    this.list.push({ row, column, value: v, message });
  }
  get full(): boolean {
    return this.list.length >= MAX_PROBLEMS;
  }
  get count(): number {
    return this.list.length;
  }
}

const normHeader = (h: string): string => h.replace(/^\uFEFF/, "").trim().toLowerCase();

/**
 * Maps known column names to their index. Reports unknown, repeated and missing columns.
 * `extra` may claim a header (e.g. the `q:` columns); it returns true when it did.
 */
export function mapColumns(
  sheet: Sheet,
  known: readonly string[],
  required: readonly string[],
  problems: Problems,
  extra?: (normalized: string, raw: string, index: number) => boolean,
): Map<string, number> {
  const cols = new Map<string, number>();
  sheet.headers.forEach((raw, i) => {
    const h = normHeader(raw);
    if (h.startsWith("#")) return;
    if (h === "") {
      problems.add(1, `(column ${i + 1})`, raw, msg(
        "Kolonnen mangler navn i overskriftsraden.",
        "the column has no name in the header row",
      ));
      return;
    }
    if (known.includes(h)) {
      if (cols.has(h)) {
        problems.add(1, raw.trim(), raw, msg("Kolonnen finnes mer enn én gang.", "the column appears more than once"));
      } else cols.set(h, i);
      return;
    }
    if (extra?.(h, raw, i)) return;
    problems.add(1, raw.trim(), raw, msg(
      "Ukjent kolonne. Sjekk stavingen, eller start overskriften med # for å ignorere kolonnen.",
      "unknown column; check the spelling, or start the header with # to ignore the column",
    ));
  });
  for (const r of required) {
    if (!cols.has(r)) {
      problems.add(1, r, "", msg("Påkrevd kolonne mangler.", "required column is missing"));
    }
  }
  return cols;
}

type Row = Sheet["rows"][number];

export function isBlankRow(row: Row): boolean {
  return row.cells.every((c) => c.trim() === "");
}

/** Cell reader for one row: returns the trimmed cell, or undefined when the column is absent. */
function cellReader(cols: Map<string, number>, row: Row) {
  return (name: string): string | undefined => {
    const i = cols.get(name);
    if (i === undefined) return undefined;
    return (row.cells[i] ?? "").trim();
  };
}

/**
 * Per-row checks: every problem is recorded, and the row is kept only if none
 * was found (a column missing from the header fails the row without a row problem).
 */
export function rowChecker(cols: Map<string, number>, row: Row, problems: Problems) {
  const r = row.rowNumber;
  const get = cellReader(cols, row);
  let ok = true;
  const bad = (column: string, value: string, m: Msg) => {
    ok = false;
    problems.add(r, column, value, m);
  };
  const required = (column: string): string => {
    const v = get(column);
    if (v === undefined) {
      ok = false;
      return "";
    }
    if (v === "") bad(column, v, REQUIRED_MSG);
    return v;
  };
  return {
    r,
    get,
    bad,
    get ok() {
      return ok;
    },
    fail() {
      ok = false;
    },
    required,
    /** A required cell read by `parse`: null when it is empty, or when `parse` does not know it (a problem `unknown`). */
    parsed<T>(column: string, parse: (raw: string) => T | null, unknown: Msg): T | null {
      const raw = required(column);
      if (raw === "") return null;
      const value = parse(raw);
      if (value === null) bad(column, raw, unknown);
      return value;
    },
    /** A key that must be unique in the file: reported on the later row, naming the first. */
    unique(seen: Map<string, number>, column: string, value: string, repeated: (first: number) => Msg) {
      if (value === "") return;
      const first = seen.get(value);
      if (first !== undefined) bad(column, value, repeated(first));
      else seen.set(value, r);
    },
  };
}

/** The sheet's rows that are not blank, each with its checker, until there are too many problems to go on. */
export function* checkedRows(sheet: Sheet, cols: Map<string, number>, problems: Problems): Generator<{ row: Row; check: ReturnType<typeof rowChecker> }> {
  for (const row of sheet.rows) {
    if (problems.full) break;
    if (isBlankRow(row)) continue;
    yield { row, check: rowChecker(cols, row, problems) };
  }
}

const REQUIRED_MSG = msg("Feltet må fylles ut.", "the value is required but the cell is empty");
export const rowsText = (r: number) => ({ nb: `rad ${r}`, en: `row ${r}` });

// ---------------------------------------------------------------------------------------
// 1. Questionnaire

const Q_COLUMNS = [
  "area_code",
  "area_name",
  "area_weight",
  "question_code",
  "question_text",
  "kind",
  "max_points",
  "channels",
] as const;
const Q_REQUIRED = ["area_code", "area_name", "area_weight", "question_code", "question_text"] as const;

export function validateQuestionnaire(
  sheet: Sheet,
): { ok: true; questionnaire: Questionnaire } | { ok: false; problems: ImportProblem[] } {
  const problems = new Problems();
  const cols = mapColumns(sheet, Q_COLUMNS, Q_REQUIRED, problems);

  const areas = new Map<string, AreaDef & { row: number; nameRow: number }>();
  const areaOrder: string[] = [];
  const questions: (QuestionDef & { row: number })[] = [];
  const codes = new Map<string, number>();

  for (const { check } of checkedRows(sheet, cols, problems)) {
    const { r, get, bad, required } = check;

    const areaCode = required("area_code");
    const areaName = required("area_name");
    const weightRaw = required("area_weight");
    let weight: number | null = null;
    if (weightRaw !== "") {
      weight = parseNumber(weightRaw);
      if (weight === null) {
        bad("area_weight", weightRaw, msg("Vekten må være et tall.", "the weight must be a number"));
      } else if (weight < 0) {
        bad("area_weight", weightRaw, msg("Vekten kan ikke være negativ.", "the weight must not be negative"));
        weight = null;
      }
    }
    const code = required("question_code");
    check.unique(codes, "question_code", code, (first) =>
      msg(
        `Spørsmålskoden er brukt før (${rowsText(first).nb}); den må være unik.`,
        `the question code is not unique; it is already used on ${rowsText(first).en}`,
      ),
    );
    const text = required("question_text");

    let kind: QuestionKind | null = "points";
    const kindRaw = get("kind") ?? "";
    if (kindRaw !== "") {
      const k = kindRaw.toLowerCase();
      kind = (QUESTION_KINDS as readonly string[]).includes(k) ? (k as QuestionKind) : null;
      if (kind === null) {
        bad("kind", kindRaw, msg(
          `Ukjent spørsmålstype; bruk en av ${QUESTION_KINDS.join(", ")}.`,
          `unknown question kind; use one of ${QUESTION_KINDS.join(", ")}`,
        ));
      }
    }

    const maxRaw = get("max_points") ?? "";
    let maxPoints: number | null = null;
    if (kind === "points") {
      if (maxRaw === "") {
        bad("max_points", maxRaw, msg(
          "Et poengspørsmål må ha maks poeng (et heltall fra 1 til 10).",
          "a points question needs max_points (a whole number from 1 to 10)",
        ));
      } else {
        const n = parseNumber(maxRaw);
        if (n === null || !Number.isInteger(n) || n < 1 || n > 10) {
          bad("max_points", maxRaw, msg(
            "Maks poeng må være et heltall fra 1 til 10.",
            "max_points must be a whole number from 1 to 10",
          ));
        } else maxPoints = n;
      }
    } else if (kind !== null && maxRaw !== "") {
      bad("max_points", maxRaw, msg(
        `Maks poeng skal være tom for spørsmålstypen ${kind}.`,
        `max_points must be empty for a ${kind} question`,
      ));
    }

    const chRaw = get("channels") ?? "";
    let channels: Channel[] | null = null;
    if (chRaw !== "") {
      const list: Channel[] = [];
      for (const part of chRaw.split("|")) {
        const p = part.trim();
        const ch = parseChannel(p);
        if (ch === null) {
          bad("channels", chRaw, msg(
            `Ukjent kanal «${p}»; bruk phone, email, chat eller messenger, skilt med |.`,
            `unknown channel "${p}"; use phone, email, chat or messenger, separated by |`,
          ));
        } else if (!list.includes(ch)) list.push(ch);
      }
      channels = list.length > 0 ? list : null;
    }

    if (areaCode !== "") {
      const area = areas.get(areaCode);
      if (!area) {
        if (areaName !== "" && weight !== null) {
          areas.set(areaCode, { code: areaCode, name: areaName, weight, row: r, nameRow: r });
          areaOrder.push(areaCode);
        } else check.fail();
      } else {
        if (areaName !== "" && areaName !== area.name) {
          bad("area_name", areaName, msg(
            `Området ${areaCode} har et annet navn på ${rowsText(area.row).nb} («${area.name}»); navnet må være likt på alle rader i området.`,
            `area ${areaCode} has a different name on ${rowsText(area.row).en} ("${area.name}"); the name must be the same on every row of the area`,
          ));
        }
        if (weight !== null && weight !== area.weight) {
          bad("area_weight", weightRaw, msg(
            `Området ${areaCode} har en annen vekt på ${rowsText(area.row).nb} (${area.weight}); vekten må være lik på alle rader i området.`,
            `area ${areaCode} has a different weight on ${rowsText(area.row).en} (${area.weight}); the weight must be the same on every row of the area`,
          ));
        }
      }
    }

    if (check.ok && kind !== null && code !== "" && text !== "" && areaCode !== "") {
      questions.push({ code, areaCode, text, kind, maxPoints, channels, row: r });
    }
  }

  // An area of weight 0 may only hold unscored questions.
  for (const code of areaOrder) {
    const area = areas.get(code)!;
    if (area.weight !== 0) continue;
    const scored = questions.find((q) => q.areaCode === code && q.kind === "points");
    if (scored) {
      problems.add(scored.row, "area_weight", "0", msg(
        `Området ${code} har vekt 0, men spørsmålet ${scored.code} gir poeng; vekt 0 er bare lov når alle spørsmålene i området er uten poeng (nps, csat, ces, scale7).`,
        `area ${code} has weight 0 but question ${scored.code} is scored; weight 0 is only allowed when all questions of the area are unscored (nps, csat, ces, scale7)`,
      ));
    }
  }

  if (problems.count === 0 && sheet.rows.every(isBlankRow)) {
    problems.add(1, "question_code", "", msg("Filen har ingen spørsmål.", "the file holds no questions"));
  }

  if (problems.count > 0) return { ok: false, problems: problems.list };
  return {
    ok: true,
    questionnaire: {
      areas: areaOrder.map((c) => {
        const a = areas.get(c)!;
        return { code: a.code, name: a.name, weight: a.weight };
      }),
      questions: questions.map(({ row: _row, ...q }) => q),
    },
  };
}

// ---------------------------------------------------------------------------------------
// 2. Participants

const P_COLUMNS = ["participant_code", "participant_name", "class_code", "class_name", "org_number"] as const;
const P_REQUIRED = ["participant_code", "participant_name", "class_code", "class_name"] as const;

export function validateParticipants(
  sheet: Sheet,
): { ok: true; participants: ParticipantRow[] } | { ok: false; problems: ImportProblem[] } {
  const problems = new Problems();
  const cols = mapColumns(sheet, P_COLUMNS, P_REQUIRED, problems);
  const out: ParticipantRow[] = [];
  const codes = new Map<string, number>();
  const classes = new Map<string, { name: string; row: number }>();

  for (const { check } of checkedRows(sheet, cols, problems)) {
    const { r, get, bad, required } = check;

    const code = required("participant_code");
    check.unique(codes, "participant_code", code, (first) =>
      msg(
        `Deltakerkoden er brukt før (${rowsText(first).nb}); den må være unik.`,
        `the participant code is not unique; it is already used on ${rowsText(first).en}`,
      ),
    );
    const name = required("participant_name");
    const classCode = required("class_code");
    const className = required("class_name");
    if (classCode !== "" && className !== "") {
      const c = classes.get(classCode);
      if (!c) classes.set(classCode, { name: className, row: r });
      else if (c.name !== className) {
        bad("class_name", className, msg(
          `Klassen ${classCode} har et annet navn på ${rowsText(c.row).nb} («${c.name}»); navnet må være likt på alle rader i klassen.`,
          `class ${classCode} has a different name on ${rowsText(c.row).en} ("${c.name}"); the name must be the same on every row of the class`,
        ));
      }
    }
    const org = get("org_number") ?? "";
    if (org !== "" && !isValidOrgNumber(org)) {
      bad("org_number", org, msg(
        "Ugyldig organisasjonsnummer: det må ha 9 siffer og riktig kontrollsiffer (MOD11).",
        "invalid organisation number: it must be 9 digits with a correct MOD11 control digit",
      ));
    }
    if (check.ok) out.push({ code, name, classCode, className, orgNumber: org === "" ? null : org });
  }

  if (problems.count === 0 && out.length === 0) {
    problems.add(1, "participant_code", "", msg("Filen har ingen deltakere.", "the file holds no participants"));
  }
  if (problems.count > 0) return { ok: false, problems: problems.list };
  return { ok: true, participants: out };
}

// ---------------------------------------------------------------------------------------
// 3. Results

const R_REQUIRED = [
  "inquiry_ref",
  "participant_code",
  "channel",
  "shopper_code",
  "shopper_gender",
  "shopper_age",
  "shopper_region",
  "scenario",
  "contacted_at",
  "attempts",
  "answered",
] as const;
const R_COLUMNS = [...R_REQUIRED, "wait_seconds", "agent_name", "comment", "transcript"] as const;

export function validateResults(
  sheet: Sheet,
  questionnaire: Questionnaire,
  participantCodes?: Set<string>,
): { ok: true; inquiries: InquiryRow[] } | { ok: false; problems: ImportProblem[] } {
  const problems = new Problems();
  const byCode = new Map(questionnaire.questions.map((q) => [q.code, q]));
  const byLower = new Map(questionnaire.questions.map((q) => [q.code.toLowerCase(), q]));
  const qCols: { q: QuestionDef; index: number; header: string }[] = [];
  const seenQ = new Set<string>();

  const cols = mapColumns(sheet, R_COLUMNS, R_REQUIRED, problems, (h, raw, index) => {
    if (!h.startsWith("q:")) return false;
    const rawCode = raw.trim().slice(2).trim();
    const q = byCode.get(rawCode) ?? byLower.get(rawCode.toLowerCase());
    if (!q) {
      problems.add(1, raw.trim(), raw, msg(
        `Spørsmålet «${rawCode}» finnes ikke i spørreskjemaet.`,
        `question "${rawCode}" is not in the study's questionnaire`,
      ));
    } else if (seenQ.has(q.code)) {
      problems.add(1, raw.trim(), raw, msg("Kolonnen finnes mer enn én gang.", "the column appears more than once"));
    } else {
      seenQ.add(q.code);
      qCols.push({ q, index, header: `q:${q.code}` });
    }
    return true;
  });
  for (const q of questionnaire.questions) {
    if (!seenQ.has(q.code)) {
      problems.add(1, `q:${q.code}`, "", msg(
        `Kolonnen for spørsmålet ${q.code} mangler; hvert spørsmål i spørreskjemaet må ha en kolonne.`,
        `the column for question ${q.code} is missing; every question of the questionnaire needs a column`,
      ));
    }
  }

  const out: InquiryRow[] = [];
  const refs = new Map<string, number>();
  const shoppers = new Map<string, { gender: Gender | null; age: number | null; region: string; row: number }>();

  for (const { row, check } of checkedRows(sheet, cols, problems)) {
    const { r, get, bad, required } = check;

    const ref = required("inquiry_ref");
    check.unique(refs, "inquiry_ref", ref, (first) =>
      msg(
        `Henvendelsesreferansen er brukt før (${rowsText(first).nb}); den må være unik.`,
        `the inquiry reference is repeated; it is already used on ${rowsText(first).en}`,
      ),
    );

    const participantCode = required("participant_code");
    if (participantCode !== "" && participantCodes && !participantCodes.has(participantCode)) {
      bad("participant_code", participantCode, msg(
        "Deltakeren finnes ikke blant studiens deltakere.",
        "unknown participant: the code is not a participant of the study",
      ));
    }

    const channel = check.parsed("channel", parseChannel, msg(
      "Ukjent kanal; bruk phone, email, chat eller messenger (eller telefon, e-post, kontaktskjema).",
      "unknown channel; use phone, email, chat or messenger (or telefon, e-post, kontaktskjema)",
    ));

    const shopperCode = required("shopper_code");
    const gender = check.parsed("shopper_gender", parseGender, msg(
      "Ukjent kjønn; bruk female, male eller other (eller kvinne, mann, annet).",
      "unknown gender; use female, male or other (or kvinne, mann, annet)",
    ));
    const age = check.parsed("shopper_age", parseAge, msg(
      "Alderen må være et helt antall år fra 18 til 99.",
      "the age must be whole years from 18 to 99",
    ));
    const region = required("shopper_region");
    if (shopperCode !== "") {
      const s = shoppers.get(shopperCode);
      if (!s) {
        shoppers.set(shopperCode, { gender, age, region, row: r });
      } else {
        const inconsistent = (column: string, value: string, what: Msg) =>
          bad(column, value, msg(
            `Testkunden ${shopperCode} har et annet ${what.nb} på ${rowsText(s.row).nb}; det må være likt på alle rader for testkunden.`,
            `shopper ${shopperCode} has a different ${what.en} on ${rowsText(s.row).en}; it must be the same on every row of the shopper`,
          ));
        if (gender !== null) {
          if (s.gender === null) s.gender = gender;
          else if (s.gender !== gender) inconsistent("shopper_gender", get("shopper_gender") ?? "", msg("kjønn", "gender"));
        }
        if (age !== null) {
          if (s.age === null) s.age = age;
          else if (s.age !== age) inconsistent("shopper_age", get("shopper_age") ?? "", msg("alder", "age"));
        }
        if (region !== "") {
          if (s.region === "") s.region = region;
          else if (s.region !== region) inconsistent("shopper_region", region, msg("fylke", "region"));
        }
      }
    }

    const scenario = required("scenario");

    const dateRaw = required("contacted_at");
    let contactedAt: Date | null = null;
    if (dateRaw !== "") {
      const parsed = parseOsloDateTime(dateRaw);
      if (parsed.ok) contactedAt = parsed.date;
      else if (parsed.reason === "nonexistent") {
        bad("contacted_at", dateRaw, msg(
          "Tidspunktet finnes ikke i norsk tid: klokka stilles fra 02.00 til 03.00 den natta.",
          "this time does not exist in Norwegian time: the clocks go from 02:00 to 03:00 that night",
        ));
      } else {
        bad("contacted_at", dateRaw, msg(
          "Ugyldig tidspunkt; bruk f.eks. 2021-01-14T09:30 eller 14.01.2021 09:30.",
          "invalid date and time; use e.g. 2021-01-14T09:30 or 14.01.2021 09:30",
        ));
      }
    }

    const attemptsRaw = required("attempts");
    let attempts: 1 | 2 | null = null;
    if (attemptsRaw !== "") {
      const n = parseNumber(attemptsRaw);
      if (n !== 1 && n !== 2) {
        bad("attempts", attemptsRaw, msg("Antall forsøk må være 1 eller 2.", "attempts must be 1 or 2"));
      } else if (n === 2 && channel === "email") {
        bad("attempts", attemptsRaw, msg(
          "En e-posthenvendelse har bare ett forsøk.",
          "an email inquiry has at most 1 attempt",
        ));
      } else attempts = n;
    }

    const answered = check.parsed("answered", parseBoolean, msg(
      "Ugyldig ja/nei-verdi; bruk yes/no, ja/nei, true/false eller 1/0.",
      "invalid yes/no value; use yes/no, ja/nei, true/false or 1/0",
    ));

    const waitRaw = get("wait_seconds") ?? "";
    let waitSeconds: number | null = null;
    if (waitRaw !== "") {
      const n = parseNumber(waitRaw);
      if (n === null || !Number.isInteger(n) || n < 0) {
        bad("wait_seconds", waitRaw, msg(
          "Ventetiden må være et helt antall sekunder, 0 eller mer.",
          "the wait time must be a whole number of seconds, 0 or more",
        ));
      } else if (answered === false) {
        bad("wait_seconds", waitRaw, msg(
          "En ubesvart henvendelse skal ikke ha ventetid.",
          "an unanswered inquiry must have no wait time",
        ));
      } else waitSeconds = n;
    }

    const agentName = get("agent_name") ?? "";
    const comment = get("comment") ?? "";
    const transcript = get("transcript") ?? "";
    if (transcript.length > MAX_TRANSCRIPT_CHARS) {
      bad("transcript", transcript, msg(
        `Dialogen er for lang (${transcript.length} tegn; høyst ${MAX_TRANSCRIPT_CHARS}).`,
        `the transcript is too long (${transcript.length} characters; at most ${MAX_TRANSCRIPT_CHARS})`,
      ));
    }

    const answers: Record<string, number> = {};
    let pointCells = 0;
    for (const { q, index, header } of qCols) {
      const v = (row.cells[index] ?? "").trim();
      if (v === "") continue;
      if (q.kind === "points") pointCells++;
      if (answered === false) {
        bad(header, v, msg(
          "En ubesvart henvendelse skal ikke ha poeng eller svar.",
          "an unanswered inquiry must have no points or answers",
        ));
        continue;
      }
      if (channel && q.channels && !q.channels.includes(channel)) {
        bad(header, v, msg(
          `Spørsmålet ${q.code} gjelder bare kanalene ${q.channels.join(", ")}; cellen skal være tom for ${channel}.`,
          `question ${q.code} only applies to the channels ${q.channels.join(", ")}; the cell must be empty for ${channel}`,
        ));
        continue;
      }
      const n = parseNumber(v);
      const [lo, hi] = q.kind === "points" ? [0, q.maxPoints ?? 0] : CX_RANGES[q.kind];
      if (n === null || !Number.isInteger(n) || n < lo || n > hi) {
        bad(header, v, q.kind === "points"
          ? msg(
              `Poengene må være et heltall fra 0 til ${hi} (maks poeng for ${q.code}).`,
              `the points must be a whole number from 0 to ${hi} (max_points of ${q.code})`,
            )
          : msg(
              `Svaret må være et heltall fra ${lo} til ${hi} (${q.kind}).`,
              `the answer must be a whole number from ${lo} to ${hi} (${q.kind})`,
            ));
        continue;
      }
      answers[q.code] = n;
    }
    if (answered === true && pointCells === 0 && questionnaire.questions.some((q) => q.kind === "points")) {
      bad("answered", get("answered") ?? "", msg(
        "En besvart henvendelse må ha minst én poengverdi.",
        "an answered inquiry must have at least one point value",
      ));
    }

    if (
      check.ok &&
      channel !== null &&
      gender !== null &&
      age !== null &&
      contactedAt !== null &&
      attempts !== null &&
      answered !== null
    ) {
      out.push({
        ref,
        participantCode,
        channel,
        shopper: { code: shopperCode, gender, age, region },
        scenario,
        contactedAt,
        attempts,
        answered,
        waitSeconds,
        agentName: agentName === "" ? null : agentName,
        comment: comment === "" ? null : comment,
        transcript: transcript === "" ? null : transcript,
        answers,
      });
    }
  }

  if (problems.count > 0) return { ok: false, problems: problems.list };
  return { ok: true, inquiries: out };
}
