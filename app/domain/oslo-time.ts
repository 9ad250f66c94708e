// Norwegian time (Europe/Oslo), in one place, on @date-fns/tz: wall-clock times typed by
// people or files become instants, and instants are shown as Oslo dates and times.
// A wall-clock time the spring skips (02:00–03:00 on the last Sunday of March) is refused,
// not shifted; in the autumn's repeated hour the later one (standard time, +01:00) is taken,
// as the import contract always has.

import { TZDate } from "@date-fns/tz";

export const OSLO_TIME_ZONE = "Europe/Oslo";

export interface WallClock {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second?: number;
  millisecond?: number;
}

/** An instant's Oslo wall clock, zero-padded as pages and file names show it, and its UTC offset. */
export interface OsloClock {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
  millisecond: number;
  /** Minutes east of UTC: 60 in winter, 120 in summer. */
  offsetMinutes: number;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** The Oslo wall clock of `date`. */
export function osloClock(date: Date): OsloClock {
  if (Number.isNaN(date.getTime())) throw new RangeError("Invalid date.");
  const oslo = new TZDate(date.getTime(), OSLO_TIME_ZONE);
  return {
    year: pad(oslo.getFullYear(), 4),
    month: pad(oslo.getMonth() + 1),
    day: pad(oslo.getDate()),
    hour: pad(oslo.getHours()),
    minute: pad(oslo.getMinutes()),
    second: pad(oslo.getSeconds()),
    millisecond: oslo.getMilliseconds(),
    offsetMinutes: -oslo.getTimezoneOffset(),
  };
}

/** A calendar date with a time that does not exist there (or is not a date at all). */
export function isValidWallClock(wall: WallClock): boolean {
  const { year, month, day, hour, minute, second = 0, millisecond = 0 } = wall;
  const whole = [year, month, day, hour, minute, second, millisecond].every(Number.isInteger);
  if (!whole || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59 || hour < 0 || minute < 0 || second < 0) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate() && millisecond >= 0 && millisecond < 1000;
}

/** The spring-forward gap: the wall-clock time does not exist in Oslo. */
export class NonexistentOsloTimeError extends RangeError {
  constructor(readonly wall: WallClock) {
    super(`${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)} does not exist in Norwegian time: the clocks go from 02:00 to 03:00 that night.`);
    this.name = "NonexistentOsloTimeError";
  }
}

/**
 * The instant of an Oslo wall-clock time. Throws NonexistentOsloTimeError in the spring's
 * skipped hour and RangeError for an impossible date; the later instant in the repeated hour.
 */
export function osloInstant(wall: WallClock): Date {
  if (!isValidWallClock(wall)) throw new RangeError("Not a date and time.");
  const { year, month, day, hour, minute, second = 0, millisecond = 0 } = wall;
  const oslo = new TZDate(year, month - 1, day, hour, minute, second, millisecond, OSLO_TIME_ZONE);
  // @date-fns/tz moves a skipped time forward by the gap; the round trip shows it.
  if (oslo.getDate() !== day || oslo.getHours() !== hour || oslo.getMinutes() !== minute) throw new NonexistentOsloTimeError(wall);
  return new Date(oslo.getTime());
}

export type ParsedDateTime = { ok: true; date: Date } | { ok: false; reason: "invalid" | "nonexistent" };

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const NB_RE = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?$/;

/**
 * ISO 8601 (`2021-01-14T09:30`, with or without seconds and offset) or Norwegian
 * `14.01.2021 09:30`; a time without an offset is Oslo time, and refused when the spring skips it.
 */
export function parseOsloDateTime(text: string): ParsedDateTime {
  const t = text.trim();
  let wall: WallClock;
  let offset: string | undefined;
  let m = ISO_RE.exec(t);
  if (m) {
    if (m[8] && m[4] === undefined) return { ok: false, reason: "invalid" }; // an offset needs a time
    wall = {
      year: Number(m[1]),
      month: Number(m[2]),
      day: Number(m[3]),
      hour: Number(m[4] ?? 0),
      minute: Number(m[5] ?? 0),
      second: Number(m[6] ?? 0),
      millisecond: m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0,
    };
    offset = m[8];
  } else {
    m = NB_RE.exec(t);
    if (!m) return { ok: false, reason: "invalid" };
    wall = { year: Number(m[3]), month: Number(m[2]), day: Number(m[1]), hour: Number(m[4] ?? 0), minute: Number(m[5] ?? 0), second: Number(m[6] ?? 0) };
  }
  if (!isValidWallClock(wall)) return { ok: false, reason: "invalid" };
  if (offset) {
    let offsetMinutes = 0;
    if (offset.toUpperCase() !== "Z") {
      const om = /^([+-])(\d{2}):?(\d{2})?$/.exec(offset);
      if (!om) return { ok: false, reason: "invalid" };
      const [hours, minutes] = [Number(om[2]), Number(om[3] ?? 0)];
      if (hours > 14 || minutes > 59) return { ok: false, reason: "invalid" };
      offsetMinutes = (om[1] === "-" ? -1 : 1) * (hours * 60 + minutes);
    }
    const { year, month, day, hour, minute, second = 0, millisecond = 0 } = wall;
    return { ok: true, date: new Date(Date.UTC(year, month - 1, day, hour, minute, second, millisecond) - offsetMinutes * 60_000) };
  }
  try {
    return { ok: true, date: osloInstant(wall) };
  } catch (error) {
    if (error instanceof NonexistentOsloTimeError) return { ok: false, reason: "nonexistent" };
    throw error;
  }
}

/** ISO 8601 in Oslo time with its offset: 2021-01-14T09:30:00+01:00 (the read API's times). */
export function osloIsoDateTime(date: Date): string {
  const c = osloClock(date);
  const abs = Math.abs(c.offsetMinutes);
  const offset = `${c.offsetMinutes < 0 ? "-" : "+"}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  return `${c.year}-${c.month}-${c.day}T${c.hour}:${c.minute}:${c.second}${offset}`;
}

const NB_MONTHS = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "desember"];

/** The Oslo date written out in Norwegian, as in a letter: "3. september 2021". */
export function osloLongDateNb(date: Date): string {
  const { year, month, day } = osloClock(date);
  return `${Number(day)}. ${NB_MONTHS[Number(month) - 1]} ${year}`;
}
