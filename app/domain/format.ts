// Display formatting in the two interface languages (STYLE.md, spec/scoring.md).
// Numbers are rounded half away from zero by us before Intl sees them, so the
// display agrees with exports; Intl only supplies separators; Oslo time comes from ./oslo-time.

import { osloClock } from "./oslo-time";
import { fractionOf, multiplyFractions, roundFraction, roundHalfAwayFromZero } from "./scoring";

export type Locale = "nb" | "en";

const NARROW_NO_BREAK_SPACE = "\u202F";
const NO_BREAK_SPACE = "\u00A0";
const ENGLISH_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: Locale, decimals: number): Intl.NumberFormat {
  const key = `${locale}:${decimals}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale === "nb" ? "nb-NO" : "en-GB", {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    });
    numberFormats.set(key, format);
  }
  return format;
}

function formatRounded(rounded: number, locale: Locale, decimals: number): string {
  return numberFormat(locale, decimals)
    .formatToParts(rounded)
    .map((part) =>
      // ICU groups Norwegian thousands with U+00A0; the house style is the thin U+202F (STYLE.md).
      part.type === "group" && locale === "nb" ? NARROW_NO_BREAK_SPACE : part.value,
    )
    .join("");
}

/**
 * Thousands grouped, `decimals` fixed places: nb "1 705" (U+202F) and
 * "−3,5" (U+2212 minus, as ICU writes Norwegian), en "1,705" and "-3.5".
 */
export function formatNumber(value: number, locale: Locale, decimals = 0): string {
  // Pages format the same figures over and over (a score table is hundreds of cells): the exact
  // rounding and Intl's parts cost far more than a lookup, and the text depends on nothing else.
  const key = `${locale}:${decimals}:${value}`;
  let text = formatted.get(key);
  if (text === undefined) {
    text = formatRounded(roundHalfAwayFromZero(value, decimals), locale, decimals);
    if (formatted.size >= FORMATTED_MAX) formatted.clear();
    formatted.set(key, text);
  }
  return text;
}

/** formatNumber's results by locale, decimals and value; emptied when full, so it stays small. */
const formatted = new Map<string, string>();
const FORMATTED_MAX = 20_000;

/** A score with one decimal: nb "78,4", en "78.4". */
export function formatScore(value: number, locale: Locale): string {
  return formatNumber(value, locale, 1);
}

/** A fraction (0.054) as a percentage: nb "5,4 %" (U+00A0 before %), en "5.4%". */
export function formatPercent(fraction: number, locale: Locale, decimals = 1): string {
  // Shifting the decimal exactly keeps 0.0545 at 5.45 rather than 5.4499999….
  const percent = roundFraction(multiplyFractions(fractionOf(fraction), { num: 100n, den: 1n }), decimals);
  const digits = formatRounded(percent, locale, decimals);
  return locale === "nb" ? `${digits}${NO_BREAK_SPACE}%` : `${digits}%`;
}

/** Date in Oslo: nb "14.01.2021", en "14 Jan 2021". */
export function formatDate(date: Date, locale: Locale): string {
  const { year, month, day } = osloClock(date);
  // A fixed month table: en-GB in recent CLDR abbreviates September as "Sept".
  return locale === "nb" ? `${day}.${month}.${year}` : `${Number(day)} ${ENGLISH_MONTHS[Number(month) - 1]} ${year}`;
}

/** Date and time in Oslo: nb "14.01.2021 kl. 09.30", en "14 Jan 2021, 09:30". */
export function formatDateTime(date: Date, locale: Locale): string {
  const { hour, minute } = osloClock(date);
  return locale === "nb"
    ? `${formatDate(date, locale)} kl. ${hour}.${minute}`
    : `${formatDate(date, locale)}, ${hour}:${minute}`;
}

const DURATION_UNITS = {
  nb: { day: "d", hour: "t", minute: "min", second: "s" },
  en: { day: "d", hour: "h", minute: "min", second: "s" },
} as const;

/**
 * A wait time in its two largest units, the smaller one rounded half away
 * from zero: "45 s", "2 min 32 s", nb "1 t 5 min" / en "1 h 5 min", "2 d 3 t"
 * / "2 d 3 h". A zero smaller unit is left out ("2 min").
 */
export function formatDuration(seconds: number, locale: Locale): string {
  if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError(`A duration is ≥ 0 seconds, got ${seconds}.`);
  const unit = DURATION_UNITS[locale];
  const pair = (large: number, largeUnit: string, small: number, smallUnit: string) =>
    small === 0 ? `${large} ${largeUnit}` : `${large} ${largeUnit} ${small} ${smallUnit}`;

  const wholeSeconds = roundHalfAwayFromZero(seconds, 0);
  if (wholeSeconds < 60) return `${wholeSeconds} ${unit.second}`;
  if (wholeSeconds < 3600) {
    return pair(Math.floor(wholeSeconds / 60), unit.minute, wholeSeconds % 60, unit.second);
  }
  const wholeMinutes = roundHalfAwayFromZero(seconds / 60, 0);
  if (wholeMinutes < 24 * 60) {
    return pair(Math.floor(wholeMinutes / 60), unit.hour, wholeMinutes % 60, unit.minute);
  }
  const wholeHours = roundHalfAwayFromZero(seconds / 3600, 0);
  return pair(Math.floor(wholeHours / 24), unit.day, wholeHours % 24, unit.hour);
}

/** A gap with its sign written out, one decimal rounded half away from zero: "+2,3", "−12,3", "±0,0". */
export function formatSignedGap(value: number, locale: Locale): string {
  const rounded = roundHalfAwayFromZero(value, 1);
  return `${rounded > 0 ? "+" : rounded < 0 ? "\u2212" : "±"}${formatScore(Math.abs(rounded), locale)}`;
}

/** An amount in øre as kroner: "4 900 kr", "4 900,50 kr" (decimals only when there are øre). */
export function formatKroner(ore: number, locale: Locale): string {
  return `${formatNumber(ore / 100, locale, ore % 100 === 0 ? 0 : 2)} kr`;
}
