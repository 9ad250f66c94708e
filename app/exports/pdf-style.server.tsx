// The house style of every PDF we draw with @react-pdf (the coaching pack, the company report,
// the award results list and diploma): the portal's colours (Tailwind blue-700, grays), the A4
// page with its ruled footer and running head, the cover's title block, the document's
// metadata, and the building blocks the documents share (text, tables, the inquiry facts).
// Each document adds only its own styles. Fonts: ./pdf-fonts.server.ts.

import { Document, StyleSheet, Text, View } from "@react-pdf/renderer";
import type { ComponentProps, ReactNode } from "react";
import { formatDateTime, formatDuration, type Locale } from "~/domain/format";
import type { AgeGroup } from "~/domain/age-group";
import { CX_RANGES, type Band, type Channel, type Gender, type QuestionKind } from "~/domain/types";
import { translate, type MessageKey } from "~/i18n/i18n";
import { FONT_FAMILIES, printable } from "./pdf-fonts.server";

// ---------------------------------------------------------------------------
// Colours

export const BLUE = "#1d4ed8";
export const PALE_BLUE = "#eff6ff";
/** the award documents' blue */
export const NAVY = "#1e3a8a";
export const INK = "#111827";
export const MUTED = "#374151";
/** the award documents' secondary text (gray-600) */
export const AWARD_MUTED = "#4b5563";
export const RULE = "#d1d5db";
export const FAINT_RULE = "#e5e7eb";
/** a warning box (an unanswered inquiry) */
export const WARNING_FILL = "#fffbeb";
export const WARNING_RULE = "#f59e0b";
export const BODY_SIZE = 9;

// ---------------------------------------------------------------------------
// Styles

/** Where a document puts its page margin, footer and running head. */
export interface PageLayout {
  margin: number;
  /** the distance of the footer and the running head from the paper's edge */
  edge: number;
  fontSize?: number;
  /** room kept under the body for the footer */
  footerRoom?: number;
  footerPadding?: number;
  muted?: string;
}

/** The page, its fixed footer (ruled above) and the running head, laid out as the document asks. */
export function pageStyles({ margin, edge, fontSize = BODY_SIZE, footerRoom = 16, footerPadding = 6, muted = MUTED }: PageLayout) {
  return StyleSheet.create({
    // No lineHeight on the Page: with one, react-pdf 4.9 drops the fixed footer.
    page: { fontFamily: FONT_FAMILIES, fontSize, color: INK, paddingTop: margin, paddingBottom: margin + footerRoom, paddingHorizontal: margin },
    footer: {
      position: "absolute",
      left: margin,
      right: margin,
      bottom: edge,
      flexDirection: "row",
      justifyContent: "space-between",
      borderTopWidth: 0.75,
      borderTopColor: RULE,
      paddingTop: footerPadding,
    },
    footerText: { fontSize: 8, color: muted },
    runningHead: { position: "absolute", top: edge, left: margin, right: margin, fontSize: 8, color: muted },
  });
}

/**
 * The coaching pack's and the company report's styles (the pack's measures: the report,
 * denser, sets its own where it differs).
 */
export const houseStyles = StyleSheet.create({
  // A unitless lineHeight is taken times the fontSize of the same style (else 18), so both are set here.
  text: { fontSize: BODY_SIZE, lineHeight: 1.35 },
  coverBand: { height: 6, backgroundColor: BLUE, marginBottom: 48 },
  coverKicker: { fontSize: 10, fontWeight: 700, color: BLUE },
  coverTitle: { fontSize: 30, fontWeight: 700, marginTop: 8, lineHeight: 1.2 },
  coverCompany: { fontSize: 18, fontWeight: 700, marginTop: 28, lineHeight: 1.25 },
  coverStudy: { fontSize: 12, color: MUTED, marginTop: 4 },
  facts: { marginTop: 32, borderTopWidth: 0.75, borderTopColor: RULE },
  fact: { flexDirection: "row", paddingVertical: 6, borderBottomWidth: 0.75, borderBottomColor: FAINT_RULE },
  factLabel: { color: MUTED },
  factValue: { flex: 1 },
  note: { marginTop: 28, padding: 12, backgroundColor: PALE_BLUE, borderLeftWidth: 3, borderLeftColor: BLUE },
  warning: { marginTop: 12, padding: 10, backgroundColor: WARNING_FILL, borderLeftWidth: 3, borderLeftColor: WARNING_RULE },
  h1: { fontSize: 20, fontWeight: 700, marginBottom: 6, lineHeight: 1.2 },
  h2: { fontSize: 12, fontWeight: 700, color: BLUE, marginTop: 14, marginBottom: 4 },
  h3: { fontSize: 10.5, fontWeight: 700, marginTop: 10, marginBottom: 3 },
  intro: { color: MUTED, marginBottom: 6 },
  muted: { color: MUTED },
  small: { fontSize: 8, color: MUTED },
  bold: { fontWeight: 700 },
  figures: { flexDirection: "row", gap: 10, marginTop: 8 },
  figure: { flex: 1, padding: 10, borderWidth: 0.75, borderColor: RULE, borderRadius: 3 },
  figureValue: { fontSize: 18, fontWeight: 700, color: BLUE, marginTop: 2 },
  grid: { flexDirection: "row", flexWrap: "wrap", marginTop: 8, borderTopWidth: 0.75, borderTopColor: RULE },
  gridItem: { width: "25%", paddingVertical: 5, paddingRight: 8, borderBottomWidth: 0.75, borderBottomColor: FAINT_RULE },
  gridScore: { fontSize: 12, color: BLUE },
  tableHead: { flexDirection: "row", borderBottomWidth: 1, borderBottomColor: MUTED, paddingVertical: 3 },
  tableHeadText: { fontWeight: 700, fontSize: 8, color: MUTED },
  tableRow: { flexDirection: "row", borderBottomWidth: 0.5, borderBottomColor: FAINT_RULE, paddingVertical: 3 },
  cell: { paddingRight: 6 },
  number: { textAlign: "right", paddingRight: 0, paddingLeft: 6 },
  right: { textAlign: "right" },
  listItem: { flexDirection: "row", marginBottom: 3 },
  listMark: { width: 16, color: MUTED },
  listText: { flex: 1 },
  longText: { fontSize: BODY_SIZE, lineHeight: 1.45 },
});

const s = houseStyles;

// ---------------------------------------------------------------------------
// Building blocks

export type Style = ComponentProps<typeof View>["style"];
export type Translator = (key: MessageKey, params?: Record<string, string | number>) => string;

/** All text goes through here, so characters the font lacks are swapped first. */
export function T({ style, children }: { style?: Style; children: string }) {
  const styles = Array.isArray(style) ? style : style ? [style] : [];
  return <Text style={[s.text, ...styles]}>{printable(children)}</Text>;
}

/** The PDF's language tag. */
export const pdfLanguage = (locale: Locale) => (locale === "nb" ? "nb-NO" : "en-GB");

/** The document with its metadata, made by the portal. */
export function HouseDocument({ t, locale, title, subject, generatedAt, children }: { t: Translator; locale: Locale; title: string; subject: string; generatedAt: string; children: ReactNode }) {
  return (
    <Document title={printable(title)} author={t("app.name")} creator={t("app.name")} subject={subject} language={pdfLanguage(locale)} creationDate={new Date(generatedAt)}>
      {children}
    </Document>
  );
}

/** The footer on every page: what the document is (left) and "page n of m" (right). */
export function PageFooter({ styles, locale, label }: { styles: ReturnType<typeof pageStyles>; locale: Locale; label: string }) {
  return (
    <View style={styles.footer} fixed>
      <T style={styles.footerText}>{label}</T>
      <Text style={styles.footerText} render={({ pageNumber, totalPages }) => printable(translate(locale, "pack.pageOf", { page: pageNumber, pages: totalPages }))} />
    </View>
  );
}

/** A fact on a cover: its label, then a value (text) or values (drawn as given). */
export function Fact({ labelWidth, label, children }: { labelWidth: number; label: string; children: ReactNode }) {
  return (
    <View style={s.fact} wrap={false}>
      <T style={[s.factLabel, { width: labelWidth }]}>{label}</T>
      {typeof children === "string" ? <T style={s.factValue}>{children}</T> : <View style={s.factValue}>{children}</View>}
    </View>
  );
}

/** The cover's band and title block. */
export function CoverTitle({ kicker, title, company, study }: { kicker: string; title: string; company: string; study: string }) {
  return (
    <>
      <View style={s.coverBand} />
      <T style={s.coverKicker}>{kicker}</T>
      <T style={s.coverTitle}>{title}</T>
      <T style={s.coverCompany}>{company}</T>
      <T style={s.coverStudy}>{study}</T>
    </>
  );
}

export interface TableStyles {
  tableHead: Style;
  tableRow: Style;
  number: Style;
  compactRow?: Style;
  compactText?: Style;
}

export interface Column {
  header: string;
  flex?: number;
  /** a fixed width in points (a chart column) */
  width?: number;
  numeric?: boolean;
}

export interface Row {
  cells: (string | ReactNode)[];
  /** background per cell index (gap colours) */
  fills?: Record<number, string | undefined>;
  style?: Style;
}

const styleList = (style: Style | undefined) => (style === undefined ? [] : Array.isArray(style) ? style : [style]);

/**
 * The documents' table, drawn with the document's own head, row and number styles: its rows
 * never split across pages; a string cell is text, anything else is drawn as given.
 */
export function tableWithStyles(ts: TableStyles) {
  return function Table({ columns, rows, compact = false, title }: { columns: Column[]; rows: Row[]; compact?: boolean; title?: ReactNode }) {
    const cellStyle = (column: Column) => [s.cell, column.width !== undefined ? { width: column.width } : { flex: column.flex ?? 1 }, ...(column.numeric ? styleList(ts.number) : [])];
    return (
      <View>
        {title !== undefined && <View minPresenceAhead={60}>{title}</View>}
        <View style={ts.tableHead} wrap={false} minPresenceAhead={24}>
          {columns.map((column, index) => (
            <T key={index} style={[...cellStyle(column), s.tableHeadText]}>
              {column.header}
            </T>
          ))}
        </View>
        {rows.map((row, rowIndex) => (
          <View key={rowIndex} style={[...styleList(ts.tableRow), ...(compact ? styleList(ts.compactRow) : []), ...styleList(row.style)]} wrap={false}>
            {row.cells.map((content, index) => {
              const fill = row.fills?.[index];
              return (
                <View key={index} style={[...cellStyle(columns[index]!), ...(fill ? [{ backgroundColor: fill }] : [])]}>
                  {typeof content === "string" ? <T style={[...(columns[index]!.numeric ? [s.right] : []), ...(compact ? styleList(ts.compactText) : [])]}>{content}</T> : content}
                </View>
              );
            })}
          </View>
        ))}
      </View>
    );
  };
}

function GridItem({ style, label, value, strong = false }: { style: Style; label: string; value: string; strong?: boolean }) {
  return (
    <View style={style}>
      <T style={s.small}>{label}</T>
      <T style={strong ? [s.bold, s.gridScore] : s.bold}>{value}</T>
    </View>
  );
}

/** What an inquiry page starts with, in the pack and the report alike. */
export interface InquiryFactsOf {
  ref: string;
  totalScore: number;
  band: Band;
  channel: Channel;
  contactedAt: string | Date;
  answered: boolean;
  attempts: number;
  waitSeconds: number | null;
  shopper: { gender: Gender; ageGroup: AgeGroup; region: string };
}

/**
 * An inquiry page's running head (from its second page on), title and grid of facts: score,
 * band, channel, when, answered, attempts, wait or reply time, the agent (when given), the shopper.
 */
export function InquiryHead({
  t,
  locale,
  score,
  inquiry: i,
  agentName,
  runningHead,
  gridItem,
}: {
  t: Translator;
  locale: Locale;
  score: (value: number) => string;
  inquiry: InquiryFactsOf;
  agentName: string | null;
  runningHead: Style;
  gridItem: Style;
}) {
  const wait = i.waitSeconds === null ? "–" : formatDuration(i.waitSeconds, locale);
  const shopper = [t(`gender.${i.shopper.gender}`), t("pack.ageGroup", { group: i.shopper.ageGroup }), i.shopper.region].join(", ");
  return (
    <>
      <Text style={runningHead} fixed render={({ subPageNumber }) => (subPageNumber > 1 ? printable(t("pack.inquiry.continued", { ref: i.ref })) : "")} />
      <T style={s.h1}>{t("pack.inquiry.title", { ref: i.ref })}</T>
      <View style={s.grid}>
        <GridItem style={gridItem} label={t("pack.inquiry.score")} value={score(i.totalScore)} strong />
        <GridItem style={gridItem} label={t("pack.inquiry.band")} value={t(`band.${i.band}`)} />
        <GridItem style={gridItem} label={t("pack.inquiry.channel")} value={t(`channel.${i.channel}`)} />
        <GridItem style={gridItem} label={t("pack.inquiry.when")} value={formatDateTime(new Date(i.contactedAt), locale)} />
        <GridItem style={gridItem} label={t("pack.inquiry.answered")} value={t(i.answered ? "pack.yes" : "pack.no")} />
        <GridItem style={gridItem} label={t("pack.inquiry.attempts")} value={String(i.attempts)} />
        <GridItem style={gridItem} label={t(i.channel === "email" ? "pack.inquiry.replyTime" : "pack.inquiry.waitTime")} value={wait} />
        {agentName !== null && <GridItem style={gridItem} label={t("pack.inquiry.agent")} value={agentName} />}
        <GridItem style={gridItem} label={t("pack.inquiry.shopper")} value={shopper} />
      </View>
    </>
  );
}

/** A question's result on an inquiry page: "3 av 4 poeng", an unscored answer with its scale, or not applicable. */
export function questionResult(t: Translator, q: { kind: QuestionKind; points: number | null; maxPoints: number | null }): string {
  if (q.points === null) return t("pack.inquiry.notApplicable");
  if (q.kind !== "points") {
    const [min, max] = CX_RANGES[q.kind];
    return t("pack.inquiry.answerOfScale", { value: q.points, min, max });
  }
  return t("pack.inquiry.pointsOf", { points: q.points, max: q.maxPoints ?? 0 });
}
