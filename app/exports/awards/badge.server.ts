// The award badge companies put on their website: a 400 × 400 medal with the year, the award
// and the class or channel. Its text is drawn as outlines (fontkit lays out Inter and gives
// each glyph's path), so the SVG looks the same in every browser and image tool, with or
// without fonts; the words themselves are in <title> and aria-label. The PNG is that SVG
// rasterised by resvg, which needs no browser and no system fonts.

import { Resvg } from "@resvg/resvg-js";
import * as fontkit from "fontkit";
import type { Font } from "fontkit";
import type { Locale } from "~/domain/format";
import { translate } from "~/i18n/i18n";
import { interFile } from "../inter-font.server";
import { awardLabel, prizeLabel } from "./labels";
import type { AwardCertificate } from "./types";

const SIZE = 400;
const CENTER = SIZE / 2;
const NAVY = "#1e3a8a";
const GOLD = "#c9a54c";
const GOLD_DEEP = "#a9822a";
const WHITE = "#ffffff";

// ---------------------------------------------------------------------------
// Text as outlines

type Weight = 400 | 700;

interface Face {
  latin: Font;
  /** Inter's latin-ext subset, for what latin lacks (ł, č, ś, …) */
  ext: Font;
}

const faces = new Map<Weight, Face>();

function face(weight: Weight): Face {
  let found = faces.get(weight);
  if (!found) {
    found = { latin: fontkit.openSync(interFile("latin", weight)), ext: fontkit.openSync(interFile("latin-ext", weight)) };
    faces.set(weight, found);
  }
  return found;
}

interface Run {
  font: Font;
  text: string;
}

/** The text cut into runs of one font each: latin where it has the glyph, else latin-ext. */
function runsOf(text: string, { latin, ext }: Face): Run[] {
  const runs: Run[] = [];
  for (const char of text) {
    const codePoint = char.codePointAt(0)!;
    const font = latin.hasGlyphForCodePoint(codePoint) || !ext.hasGlyphForCodePoint(codePoint) ? latin : ext;
    const last = runs.at(-1);
    if (last?.font === font) last.text += char;
    else runs.push({ font, text: char });
  }
  return runs;
}

interface TextStyle {
  size: number;
  weight: Weight;
  /** extra space between characters, in px */
  tracking?: number;
}

/** The width of the text in px. */
function measure(text: string, style: TextStyle): number {
  let width = 0;
  let characters = 0;
  for (const run of runsOf(text, face(style.weight))) {
    width += (run.font.layout(run.text).advanceWidth * style.size) / run.font.unitsPerEm;
    characters += Array.from(run.text).length;
  }
  return width + (style.tracking ?? 0) * Math.max(0, characters - 1);
}

const n = (value: number) => String(Math.round(value * 100) / 100);

/** The outline of the text as path data, centred on x = cx, on the baseline y. */
function outline(text: string, style: TextStyle, cx: number, baseline: number): string {
  const tracking = style.tracking ?? 0;
  let penX = cx - measure(text, style) / 2;
  const parts: string[] = [];
  for (const run of runsOf(text, face(style.weight))) {
    const scale = style.size / run.font.unitsPerEm;
    const { glyphs, positions } = run.font.layout(run.text);
    glyphs.forEach((glyph, index) => {
      const position = positions[index]!;
      const x0 = penX + position.xOffset * scale;
      const y0 = baseline - position.yOffset * scale;
      const point = (x: number, y: number) => `${n(x0 + x * scale)} ${n(y0 - y * scale)}`;
      for (const { command, args } of glyph.path.commands) {
        const a = args;
        if (command === "moveTo") parts.push(`M${point(a[0]!, a[1]!)}`);
        else if (command === "lineTo") parts.push(`L${point(a[0]!, a[1]!)}`);
        else if (command === "quadraticCurveTo") parts.push(`Q${point(a[0]!, a[1]!)} ${point(a[2]!, a[3]!)}`);
        else if (command === "bezierCurveTo") parts.push(`C${point(a[0]!, a[1]!)} ${point(a[2]!, a[3]!)} ${point(a[4]!, a[5]!)}`);
        else parts.push("Z");
      }
      penX += position.xAdvance * scale + tracking;
    });
  }
  return parts.join("");
}

/** Words greedily into lines no wider than maxWidth; null if some word alone is wider or more lines are needed. */
function wrap(text: string, style: TextStyle, maxWidth: number, maxLines: number): string[] | null {
  const lines: string[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const last = lines.at(-1);
    if (last !== undefined && measure(`${last} ${word}`, style) <= maxWidth) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
    if (measure(lines.at(-1)!, style) > maxWidth || lines.length > maxLines) return null;
  }
  return lines;
}

/**
 * The text at the largest size that fits maxWidth: one line down to 80 % of `size`, then up to
 * two lines down to minSize, and as a last resort one line shrunk to fit exactly (a very long
 * unbroken name), so nothing ever leaves the medal.
 */
function fit(text: string, style: TextStyle, maxWidth: number, minSize: number, twoLineWidth = maxWidth): { lines: string[]; style: TextStyle } {
  const at = (size: number): TextStyle => ({ ...style, size });
  for (let size = style.size; size >= style.size * 0.8; size -= 1) {
    if (measure(text, at(size)) <= maxWidth) return { lines: [text], style: at(size) };
  }
  for (let size = Math.floor(style.size * 0.8); size >= minSize; size -= 1) {
    const lines = wrap(text, at(size), twoLineWidth, 2);
    if (lines) return { lines, style: at(size) };
  }
  const size = Math.max(1, (maxWidth / measure(text, at(minSize))) * minSize);
  return { lines: [text], style: at(Math.floor(size * 10) / 10) };
}

// ---------------------------------------------------------------------------
// The medal

/** A scalloped edge: `bumps` arcs between points on radius r, bulging to r + depth. */
function scallops(bumps: number, r: number, depth: number): string {
  const at = (angle: number, radius: number) => `${n(CENTER + radius * Math.cos(angle))} ${n(CENTER + radius * Math.sin(angle))}`;
  const step = (2 * Math.PI) / bumps;
  let d = `M${at(0, r)}`;
  for (let i = 0; i < bumps; i += 1) d += `Q${at((i + 0.5) * step, r + 2 * depth)} ${at((i + 1) * step, r)}`;
  return `${d}Z`;
}

/** A five-pointed star centred on (x, y). */
function star(x: number, y: number, r: number): string {
  const points = Array.from({ length: 10 }, (_, i) => {
    const angle = -Math.PI / 2 + (i * Math.PI) / 5;
    const radius = i % 2 === 0 ? r : r * 0.42;
    return `${n(x + radius * Math.cos(angle))} ${n(y + radius * Math.sin(angle))}`;
  });
  return `M${points.join("L")}Z`;
}

const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** What the badge says, in words: its <title> and aria-label ("Kundeserviceprisen 2026: Vinner av klassen Bank"). */
export function badgeLabel(cert: AwardCertificate, locale: Locale): string {
  return translate(locale, "awards.badge.label", { prize: prizeLabel(cert.year, locale), award: awardLabel(cert, locale) });
}

/** The lines under the year: a small heading (class winners: "KLASSEVINNER") and the award in large type. */
function awardLines(cert: AwardCertificate, locale: Locale): { heading: string | null; main: string } {
  if (cert.kind === "class") return { heading: translate(locale, "awards.badge.classWinner"), main: cert.className ?? awardLabel(cert, locale) };
  return { heading: null, main: awardLabel(cert, locale) };
}

const upper = (text: string, locale: Locale) => text.toLocaleUpperCase(locale === "nb" ? "nb-NO" : "en-GB");

export function renderBadgeSvg(cert: AwardCertificate, locale: Locale): string {
  const label = badgeLabel(cert, locale);
  const paths: { fill: string; d: string }[] = [];
  const line = (text: string, style: TextStyle, baseline: number, fill: string) => paths.push({ fill, d: outline(text, style, CENTER, baseline) });

  // The prize's name, the year, a rule.
  const prize = fit(upper(translate(locale, "awards.prize", { year: "" }).trim(), locale), { size: 16, weight: 700, tracking: 1.6 }, 236, 10);
  line(prize.lines.join(" "), prize.style, 124, GOLD);
  const year = fit(String(cert.year), { size: 70, weight: 700, tracking: 1 }, 220, 40);
  line(year.lines[0]!, year.style, 203, WHITE);

  // The award: at most a heading and two lines, centred in the band between the rule and the stars.
  const { heading, main } = awardLines(cert, locale);
  // Two lines reach further down the medal, where it is narrower.
  const big = fit(main, { size: 30, weight: 700 }, heading ? 244 : 252, 15, 214);
  const headingStyle: TextStyle = { size: 15, weight: 700, tracking: 1.5 };
  const lineGap = big.style.size * 1.12;
  const blockHeight = (heading ? headingStyle.size * 1.6 : 0) + big.style.size + (big.lines.length - 1) * lineGap;
  let baseline = 281 - blockHeight / 2;
  if (heading) {
    baseline += headingStyle.size;
    line(upper(heading, locale), fit(upper(heading, locale), headingStyle, 236, 9).style, baseline, GOLD);
    baseline += headingStyle.size * 0.6;
  }
  baseline += big.style.size * 0.78;
  for (const text of big.lines) {
    line(text, big.style, baseline, WHITE);
    baseline += lineGap;
  }

  const shapes = [
    `<path fill="${GOLD}" d="${scallops(36, 186, 6)}"/>`,
    `<circle cx="${CENTER}" cy="${CENTER}" r="176" fill="${GOLD_DEEP}"/>`,
    `<circle cx="${CENTER}" cy="${CENTER}" r="170" fill="${NAVY}"/>`,
    `<circle cx="${CENTER}" cy="${CENTER}" r="160" fill="none" stroke="${GOLD}" stroke-width="2"/>`,
    `<circle cx="${CENTER}" cy="${CENTER}" r="154" fill="none" stroke="${GOLD}" stroke-width="0.75"/>`,
    `<path fill="${GOLD}" d="M150 222H250V224H150Z"/>`,
    `<path fill="${GOLD}" d="${star(CENTER - 26, 337, 7)}${star(CENTER, 334, 9)}${star(CENTER + 26, 337, 7)}"/>`,
  ];
  const text = paths.map(({ fill, d }) => `<path fill="${fill}" d="${d}"/>`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}" role="img" aria-label="${escapeXml(label)}">`,
    `<title>${escapeXml(label)}</title>`,
    ...shapes,
    `<g aria-hidden="true">`,
    ...text,
    `</g>`,
    `</svg>`,
    "",
  ].join("\n");
}

/** The badge as a PNG `width` pixels wide (and as high: the badge is square). */
export function renderBadgePng(cert: AwardCertificate, locale: Locale, { width }: { width: number }): Buffer {
  if (!Number.isInteger(width) || width < 16 || width > 4000) throw new RangeError(`A badge is 16 to 4000 pixels wide, not ${width}.`);
  const svg = renderBadgeSvg(cert, locale);
  return new Resvg(svg, { fitTo: { mode: "width", value: width }, font: { loadSystemFonts: false } }).render().asPng();
}
