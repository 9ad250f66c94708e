// Writes a study's three files as the CSV of spec/import-format.md, for tests and benchmarks
// that go through the real import pipeline. The inverse of what app/domain/import-validate
// reads: RFC 4180 quoting, `yes`/`no`, `|`-separated channels, and contacted_at as the
// Europe/Oslo wall clock with its offset (lossless, also in the autumn's repeated hour).

import type { InquiryRow, ParticipantRow, Questionnaire } from "~/domain/types";

export interface CsvOptions {
  /** Default ","; ";" as Norwegian spreadsheet exports write it. */
  delimiter?: "," | ";";
  /** Default "\r\n" as RFC 4180 has it. */
  lineEnd?: "\r\n" | "\n";
  /** Start with a UTF-8 byte-order mark, as Excel's "CSV UTF-8" does. Default false. */
  bom?: boolean;
}

/** One field, quoted when it holds a delimiter, a quote, a line break or edge spaces. */
export function csvField(value: string | number | null | undefined, delimiter: "," | ";" = ","): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  const needsQuotes = text.includes(delimiter) || /[";,\r\n]/.test(text) || text !== text.trim();
  return needsQuotes ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole CSV text: the header line, then one line per row, every line ended. */
export function csvText(header: readonly string[], rows: Iterable<readonly (string | number | null | undefined)[]>, options: CsvOptions = {}): string {
  const delimiter = options.delimiter ?? ",";
  const lineEnd = options.lineEnd ?? "\r\n";
  const lines = [header.map((h) => csvField(h, delimiter)).join(delimiter)];
  for (const row of rows) lines.push(row.map((cell) => csvField(cell, delimiter)).join(delimiter));
  return (options.bom ? "\uFEFF" : "") + lines.join(lineEnd) + lineEnd;
}

/** UTF-8 bytes of a CSV text, as runImport takes them. */
export const csvBytes = (text: string): Uint8Array => new TextEncoder().encode(text);

const OSLO = new Intl.DateTimeFormat("en-US", {
  timeZone: "Europe/Oslo",
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/**
 * `2021-01-14T09:30+01:00`: the Europe/Oslo wall clock with its offset; seconds and
 * milliseconds only when the instant has them. With `offset: false` the bare wall clock
 * `2021-01-14T09:30`, which the import reads as Oslo time (ambiguous only in the autumn's
 * repeated hour, where the later offset wins).
 */
export function osloDateTime(date: Date, options: { offset?: boolean } = {}): string {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new RangeError("invalid date");
  const p: Record<string, number> = {};
  for (const part of OSLO.formatToParts(date)) if (part.type !== "literal") p[part.type] = Number(part.value);
  const hour = p.hour === 24 ? 0 : p.hour!;
  const millis = ((ms % 1000) + 1000) % 1000;
  let text = `${pad(p.year!, 4)}-${pad(p.month!)}-${pad(p.day!)}T${pad(hour)}:${pad(p.minute!)}`;
  if (p.second !== 0 || millis !== 0) text += `:${pad(p.second!)}`;
  if (millis !== 0) text += `.${pad(millis, 3)}`;
  if (options.offset === false) return text;
  const wallAsUtc = Date.UTC(p.year!, p.month! - 1, p.day!, hour, p.minute!, p.second!, millis);
  const offsetMinutes = Math.round((wallAsUtc - ms) / 60_000);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  return `${text}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

export const QUESTIONNAIRE_COLUMNS = [
  "area_code",
  "area_name",
  "area_weight",
  "question_code",
  "question_text",
  "kind",
  "max_points",
  "channels",
] as const;

export function questionnaireCsv(q: Questionnaire, options: CsvOptions = {}): string {
  const areas = new Map(q.areas.map((a) => [a.code, a]));
  return csvText(
    QUESTIONNAIRE_COLUMNS,
    q.questions.map((question) => {
      const area = areas.get(question.areaCode);
      if (!area) throw new Error(`question ${question.code} names unknown area ${question.areaCode}`);
      return [
        area.code,
        area.name,
        area.weight,
        question.code,
        question.text,
        question.kind,
        question.maxPoints,
        question.channels ? question.channels.join("|") : "",
      ];
    }),
    options,
  );
}

export const PARTICIPANT_COLUMNS = ["participant_code", "participant_name", "class_code", "class_name", "org_number"] as const;

export function participantsCsv(p: readonly ParticipantRow[], options: CsvOptions = {}): string {
  return csvText(
    PARTICIPANT_COLUMNS,
    p.map((row) => [row.code, row.name, row.classCode, row.className, row.orgNumber]),
    options,
  );
}

export const RESULT_COLUMNS = [
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
  "wait_seconds",
  "agent_name",
  "comment",
  "transcript",
] as const;

/** One row per inquiry, then one `q:<code>` column per question in questionnaire order. */
export function resultsCsv(q: Questionnaire, inquiries: readonly InquiryRow[], options: CsvOptions = {}): string {
  const codes = q.questions.map((question) => question.code);
  return csvText(
    [...RESULT_COLUMNS, ...codes.map((code) => `q:${code}`)],
    inquiries.map((i) => [
      i.ref,
      i.participantCode,
      i.channel,
      i.shopper.code,
      i.shopper.gender,
      i.shopper.age,
      i.shopper.region,
      i.scenario,
      osloDateTime(i.contactedAt),
      i.attempts,
      i.answered ? "yes" : "no",
      i.waitSeconds,
      i.agentName,
      i.comment,
      i.transcript,
      ...codes.map((code) => i.answers[code]),
    ]),
    options,
  );
}
