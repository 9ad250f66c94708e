// The results list for the press as a printable PDF (A4 portrait): class by class rank,
// company and total score, then the best in each channel and the overall winner. A class's
// heading and column header repeat at the top of every page its table runs onto. Holds
// @react-pdf: load it at run time or in the rendering worker (see ../coaching-render.server.ts).
// The rows, their order and the small-class rule are those of the spreadsheets (./results-list.server.ts).

import { Document, Page, StyleSheet, Text, View, renderToBuffer } from "@react-pdf/renderer";
import { formatScore, type Locale } from "~/domain/format";
import { translate, type MessageKey } from "~/i18n/i18n";
import { prepareFonts, printable } from "../pdf-fonts.server";
import { AWARD_MUTED as MUTED, FAINT_RULE, NAVY, pageStyles, pdfLanguage } from "../pdf-style.server";
import { prizeLabel } from "./labels";
import { publishedRows } from "./results-list.server";
import type { AwardWinner, ResultsList, ResultsListClass } from "./types";

const s = StyleSheet.create({
  ...pageStyles({ margin: 50, edge: 26, fontSize: 10, footerRoom: 14, footerPadding: 5, muted: MUTED }),
  title: { fontSize: 24, fontWeight: 700, color: NAVY },
  subtitle: { fontSize: 13, color: MUTED, marginTop: 4, marginBottom: 8 },
  h2: { fontSize: 15, fontWeight: 700, color: NAVY, marginTop: 18, marginBottom: 2 },
  // A unitless lineHeight is taken times the fontSize of the same style (else 18), so both are set.
  intro: { fontSize: 9, color: MUTED, marginBottom: 4, lineHeight: 1.35 },
  classBlock: { marginTop: 14 },
  classHead: { flexDirection: "row", justifyContent: "space-between", alignItems: "flex-end", marginBottom: 3 },
  classTitle: { fontSize: 12, fontWeight: 700, flex: 1, paddingRight: 8 },
  classCount: { fontSize: 9, color: MUTED },
  note: { fontSize: 9, color: MUTED, marginBottom: 4, lineHeight: 1.35 },
  tableHead: { flexDirection: "row", borderBottomWidth: 1, borderBottomColor: MUTED, paddingVertical: 3 },
  tableHeadText: { fontSize: 8.5, fontWeight: 700, color: MUTED },
  tableRow: { flexDirection: "row", borderBottomWidth: 0.5, borderBottomColor: FAINT_RULE, paddingVertical: 3.5 },
  rank: { width: 62, textAlign: "right", paddingRight: 14 },
  company: { flex: 1, paddingRight: 8, fontSize: 10, lineHeight: 1.3 },
  group: { width: 110, paddingRight: 8 },
  score: { width: 72, textAlign: "right" },
  muted: { color: MUTED },
});

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

function Footer({ t, prize }: { t: T; prize: string }) {
  return (
    <View style={s.footer} fixed>
      <Text style={s.footerText}>{t("awards.results.documentTitle", { prize })}</Text>
      <Text style={s.footerText} render={({ pageNumber, totalPages }) => t("awards.results.pageOf", { page: pageNumber, pages: totalPages })} />
    </View>
  );
}

/** A class that fits on a page this long is kept on one page; a longer one breaks. */
const UNBROKEN_ROWS = 12;

/** A class: its heading and column header are `fixed`, so they repeat on every page the rows run onto. */
function ClassTable({ entry, t, locale }: { entry: ResultsListClass; t: T; locale: Locale }) {
  const { shown, rows } = publishedRows(entry);
  return (
    <View style={s.classBlock} wrap={rows.length > UNBROKEN_ROWS} minPresenceAhead={80}>
      <View fixed>
        <View style={s.classHead}>
          <Text style={s.classTitle}>{t("awards.results.classHeading", { class: entry.className })}</Text>
          <Text style={s.classCount}>{t("awards.results.participants", { count: entry.participants })}</Text>
        </View>
        {!shown && <Text style={s.note}>{t("awards.results.smallClass")}</Text>}
        <View style={s.tableHead}>
          {shown && <Text style={[s.rank, s.tableHeadText]}>{t("awards.col.rank")}</Text>}
          <Text style={[s.company, s.tableHeadText]}>{t("awards.col.company")}</Text>
          {shown && <Text style={[s.score, s.tableHeadText]}>{t("awards.col.totalScore")}</Text>}
        </View>
      </View>
      {rows.map((row, index) => (
        <View key={index} style={s.tableRow} wrap={false}>
          {shown && <Text style={s.rank}>{String(row.rank)}</Text>}
          <Text style={s.company}>{printable(row.participantName)}</Text>
          {shown && <Text style={s.score}>{printable(formatScore(row.totalScore, locale))}</Text>}
        </View>
      ))}
    </View>
  );
}

function WinnerRows({ label, winners, none, t, locale }: { label: string; winners: AwardWinner[]; none: string; t: T; locale: Locale }) {
  if (winners.length === 0) {
    return (
      <View style={s.tableRow} wrap={false}>
        <Text style={s.group}>{label}</Text>
        <Text style={[s.company, s.muted]}>{none}</Text>
        <Text style={s.score}>–</Text>
      </View>
    );
  }
  const shared = winners.length > 1 ? ` (${t("awards.results.shared")})` : "";
  return (
    <>
      {winners.map((winner, index) => (
        <View key={index} style={s.tableRow} wrap={false}>
          <Text style={s.group}>{index === 0 ? label : ""}</Text>
          <Text style={s.company}>{printable(winner.participantName + shared)}</Text>
          <Text style={s.score}>{printable(formatScore(winner.score, locale))}</Text>
        </View>
      ))}
    </>
  );
}

function ResultsDocument({ list, locale }: { list: ResultsList; locale: Locale }) {
  const t: T = (key, params) => printable(translate(locale, key, params));
  const prize = prizeLabel(list.year, locale);
  const byName = (winners: AwardWinner[]) => [...winners].sort((a, b) => a.participantName.localeCompare(b.participantName, "nb"));
  return (
    <Document title={t("awards.results.documentTitle", { prize })} author="Kundeserviceprisen" creator={t("app.name")} language={pdfLanguage(locale)}>
      <Page size="A4" style={s.page}>
        <Text style={s.title}>{printable(prize)}</Text>
        <Text style={s.subtitle}>{t("awards.results.title")}</Text>

        <View minPresenceAhead={60}>
          <Text style={s.h2}>{t("awards.results.classes")}</Text>
        </View>
        {list.classes.map((entry) => (
          <ClassTable key={entry.classCode} entry={entry} t={t} locale={locale} />
        ))}

        <View wrap={false}>
          <Text style={s.h2}>{t("awards.results.channels")}</Text>
          <Text style={s.intro}>{t("awards.results.channelsIntro")}</Text>
          <View style={s.tableHead}>
            <Text style={[s.group, s.tableHeadText]}>{t("awards.col.channel")}</Text>
            <Text style={[s.company, s.tableHeadText]}>{t("awards.col.company")}</Text>
            <Text style={[s.score, s.tableHeadText]}>{t("awards.col.score")}</Text>
          </View>
          {list.channels.map(({ channel, winners }) => (
            <WinnerRows
              key={channel}
              label={t(`channel.${channel}`)}
              winners={byName(winners)}
              none={`${t("awards.results.noWinner")}: ${t("awards.results.noChannelWinner")}`}
              t={t}
              locale={locale}
            />
          ))}
        </View>

        <View wrap={false}>
          <Text style={s.h2}>{t("awards.results.overall")}</Text>
          <View style={s.tableHead}>
            <Text style={[s.group, s.tableHeadText]}>{""}</Text>
            <Text style={[s.company, s.tableHeadText]}>{t("awards.col.company")}</Text>
            <Text style={[s.score, s.tableHeadText]}>{t("awards.col.totalScore")}</Text>
          </View>
          <WinnerRows label={t("awards.part.overall")} winners={byName(list.overall.winners)} none={t("awards.results.noWinner")} t={t} locale={locale} />
        </View>
        <Footer t={t} prize={prize} />
      </Page>
    </Document>
  );
}

/** The results list as a printable A4 portrait PDF. */
export async function resultsListPdf(list: ResultsList, locale: Locale): Promise<Buffer> {
  await prepareFonts();
  return renderToBuffer(<ResultsDocument list={list} locale={locale} />);
}
