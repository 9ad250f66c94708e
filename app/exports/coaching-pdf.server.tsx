// The coaching pack as a PDF (@react-pdf/renderer): a cover, a summary of the weak areas
// and questions with questions for discussion, then one page (or more) per inquiry.
// Every figure goes through the same format helpers as the web pages, so the numbers
// agree. Loaded only in the rendering worker and in tests (see renderPackPdf in
// ./coaching-render.server.ts): @react-pdf stays out of the web server's bundle.

import { Document, Page, StyleSheet, Text, View, renderToBuffer } from "@react-pdf/renderer";
import type { ComponentProps, ReactNode } from "react";
import { packHidesSomeClassFigures, type CoachingPack, type PackInquiry, type WeakSpot } from "~/domain/coaching-pack";
import { formatDateTime, formatDuration, formatNumber, formatScore } from "~/domain/format";
import { translate } from "~/i18n/i18n";
import { cxAnswerLabel, signedGap, studyLabel, translatorFor } from "./coaching-render.server";
import { FONT_FAMILIES, prepareFonts, printable } from "./pdf-fonts.server";

// ---------------------------------------------------------------------------
// Look: the portal's (Tailwind blue-700, grays)

const BLUE = "#1d4ed8";
const PALE_BLUE = "#eff6ff";
const INK = "#111827";
const MUTED = "#374151";
const RULE = "#d1d5db";
const FAINT_RULE = "#e5e7eb";
const AMBER = "#fffbeb";
const AMBER_RULE = "#f59e0b";
const MARGIN = 56;
const BODY_SIZE = 9;

const s = StyleSheet.create({
  // No lineHeight here: with one on the Page, react-pdf 4.9 drops the fixed footer.
  page: { fontFamily: FONT_FAMILIES, fontSize: BODY_SIZE, color: INK, paddingTop: MARGIN, paddingBottom: MARGIN + 16, paddingHorizontal: MARGIN },
  footer: {
    position: "absolute",
    left: MARGIN,
    right: MARGIN,
    bottom: 28,
    flexDirection: "row",
    justifyContent: "space-between",
    borderTopWidth: 0.75,
    borderTopColor: RULE,
    paddingTop: 6,
  },
  footerText: { fontSize: 8, color: MUTED },
  runningHead: { position: "absolute", top: 28, left: MARGIN, right: MARGIN, fontSize: 8, color: MUTED },
  // A unitless lineHeight is taken times the fontSize of the same style (else 18), so both are set here.
  text: { fontSize: BODY_SIZE, lineHeight: 1.35 },
  coverBand: { height: 6, backgroundColor: BLUE, marginBottom: 48 },
  coverKicker: { fontSize: 10, fontWeight: 700, color: BLUE },
  coverTitle: { fontSize: 30, fontWeight: 700, marginTop: 8, lineHeight: 1.2 },
  coverCompany: { fontSize: 18, fontWeight: 700, marginTop: 28, lineHeight: 1.25 },
  coverStudy: { fontSize: 12, color: MUTED, marginTop: 4 },
  coverFacts: { marginTop: 32, borderTopWidth: 0.75, borderTopColor: RULE },
  fact: { flexDirection: "row", paddingVertical: 6, borderBottomWidth: 0.75, borderBottomColor: FAINT_RULE },
  factLabel: { width: 120, color: MUTED },
  factValue: { flex: 1 },
  note: { marginTop: 28, padding: 12, backgroundColor: PALE_BLUE, borderLeftWidth: 3, borderLeftColor: BLUE },
  warning: { marginTop: 12, padding: 10, backgroundColor: AMBER, borderLeftWidth: 3, borderLeftColor: AMBER_RULE },
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
  gridScore: { fontSize: 12, color: BLUE },
  grid: { flexDirection: "row", flexWrap: "wrap", marginTop: 8, borderTopWidth: 0.75, borderTopColor: RULE },
  gridItem: { width: "25%", paddingVertical: 5, paddingRight: 8, borderBottomWidth: 0.75, borderBottomColor: FAINT_RULE },
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

// ---------------------------------------------------------------------------
// Building blocks

type TextStyle = ComponentProps<typeof View>["style"];

/** All text goes through here, so characters the font lacks are swapped first. */
function T({ style, children }: { style?: TextStyle; children: string }) {
  const styles = Array.isArray(style) ? style : style ? [style] : [];
  return <Text style={[s.text, ...styles]}>{printable(children)}</Text>;
}

function Footer({ pack }: { pack: CoachingPack }) {
  return (
    <View style={s.footer} fixed>
      <T style={s.footerText}>{pack.companyName}</T>
      <Text style={s.footerText} render={({ pageNumber, totalPages }) => printable(translate(pack.locale, "pack.pageOf", { page: pageNumber, pages: totalPages }))} />
    </View>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <View style={s.fact} wrap={false}>
      <T style={s.factLabel}>{label}</T>
      <View style={s.factValue}>{children}</View>
    </View>
  );
}

function GridItem({ label, value, strong = false }: { label: string; value: string; strong?: boolean }) {
  return (
    <View style={s.gridItem}>
      <T style={s.small}>{label}</T>
      <T style={strong ? [s.bold, s.gridScore] : s.bold}>{value}</T>
    </View>
  );
}

interface TableColumn {
  header: string;
  flex: number;
  numeric?: boolean;
}

/** A table whose rows never split across pages. */
function Table({ columns, rows }: { columns: TableColumn[]; rows: ReactNode[][] }) {
  const cellStyle = (column: TableColumn) => [s.cell, { flex: column.flex }, ...(column.numeric ? [s.number] : [])];
  return (
    <View>
      <View style={s.tableHead} wrap={false} minPresenceAhead={24}>
        {columns.map((column, index) => (
          <T key={index} style={[...cellStyle(column), s.tableHeadText]}>
            {column.header}
          </T>
        ))}
      </View>
      {rows.map((row, rowIndex) => (
        <View key={rowIndex} style={s.tableRow} wrap={false}>
          {row.map((content, index) => (
            <View key={index} style={cellStyle(columns[index]!)}>
              {typeof content === "string" ? <T style={columns[index]!.numeric ? s.right : undefined}>{content}</T> : content}
            </View>
          ))}
        </View>
      ))}
    </View>
  );
}

function Heading({ level, children }: { level: 2 | 3; children: string }) {
  return (
    <View minPresenceAhead={48}>
      <T style={level === 2 ? s.h2 : s.h3}>{children}</T>
    </View>
  );
}

// ---------------------------------------------------------------------------
// The document

function figuresFor(pack: CoachingPack) {
  const { locale } = pack;
  return {
    t: translatorFor(pack),
    score: (value: number | null) => (value === null ? "–" : formatScore(value, locale)),
    gap: (value: number | null) => (value === null ? "–" : signedGap(value, locale)),
    count: (value: number) => formatNumber(value, locale),
  };
}

function Cover({ pack }: { pack: CoachingPack }) {
  const { t, count } = figuresFor(pack);
  const selection = pack.selection.length > 0 ? pack.selection : [t("pack.cover.selectionAll")];
  return (
    <Page size="A4" style={s.page}>
      <View style={s.coverBand} />
      <T style={s.coverKicker}>{`${t("app.name")} · ${t("app.tagline")}`}</T>
      <T style={s.coverTitle}>{t("pack.title")}</T>
      <T style={s.coverCompany}>{pack.companyName}</T>
      <T style={s.coverStudy}>{studyLabel(pack)}</T>
      <View style={s.coverFacts}>
        {pack.className !== null && (
          <Fact label={t("pack.cover.class")}>
            <T>{pack.className}</T>
          </Fact>
        )}
        <Fact label={t("pack.cover.selection")}>
          {selection.map((line, index) => (
            <T key={index}>{line}</T>
          ))}
        </Fact>
        <Fact label={t("pack.cover.inquiries")}>
          <T>{t("pack.cover.inquiriesValue", { count: count(pack.summary.count), answered: count(pack.summary.answered) })}</T>
        </Fact>
        <Fact label={t("pack.cover.generated")}>
          <T>{formatDateTime(new Date(pack.generatedAt), pack.locale)}</T>
        </Fact>
      </View>
      <View style={s.note}>
        <T>{t("pack.cover.privacy")}</T>
        <T style={{ marginTop: 4 }}>{t(pack.includeAgentNames ? "pack.cover.agentsIncluded" : "pack.cover.agentsOmitted")}</T>
      </View>
      <Footer pack={pack} />
    </Page>
  );
}

function WeakTable({ pack, spots, questions }: { pack: CoachingPack; spots: WeakSpot[]; questions: boolean }) {
  const { t, score, gap } = figuresFor(pack);
  if (spots.length === 0) return <T style={s.muted}>{t("pack.none")}</T>;
  return (
    <Table
      columns={[
        { header: t(questions ? "pack.col.question" : "pack.col.area"), flex: 5 },
        { header: t("pack.col.mean"), flex: 1.1, numeric: true },
        { header: t("pack.col.classMean"), flex: 1.3, numeric: true },
        { header: t("pack.col.gap"), flex: 1.2, numeric: true },
      ]}
      rows={spots.map((spot) => [
        <View key="name">
          <T>{`${spot.code} ${spot.name}`}</T>
          {spot.areaName !== undefined && <T style={s.small}>{spot.areaName}</T>}
        </View>,
        score(spot.mean),
        score(spot.classMean),
        gap(spot.gap),
      ])}
    />
  );
}

function Summary({ pack }: { pack: CoachingPack }) {
  const { t, score, gap, count } = figuresFor(pack);
  const { summary } = pack;
  const overallGap = summary.meanScore === null || summary.classMeanScore === null ? null : summary.meanScore - summary.classMeanScore;
  return (
    <Page size="A4" style={s.page}>
      <T style={s.h1}>{t("pack.summary.title")}</T>
      <T style={s.intro}>{t("pack.summary.answeredOf", { answered: count(summary.answered), count: summary.count })}</T>
      <View style={s.figures}>
        <View style={s.figure}>
          <T style={s.small}>{t("pack.summary.meanScore")}</T>
          <T style={s.figureValue}>{score(summary.meanScore)}</T>
        </View>
        <View style={s.figure}>
          <T style={s.small}>{t("pack.summary.classMean")}</T>
          <T style={s.figureValue}>{score(summary.classMeanScore)}</T>
        </View>
        <View style={s.figure}>
          <T style={s.small}>{t("pack.summary.gap")}</T>
          <T style={s.figureValue}>{gap(overallGap)}</T>
        </View>
      </View>
      {summary.classMeanScore === null && <T style={[s.small, { marginTop: 6 }]}>{t("pack.summary.classHidden")}</T>}
      {packHidesSomeClassFigures(pack) && <T style={[s.small, { marginTop: 6 }]}>{t("pack.summary.tooFew")}</T>}

      <Heading level={2}>{t("pack.summary.weakAreas")}</Heading>
      <T style={s.intro}>{t("pack.summary.weakAreasIntro")}</T>
      <WeakTable pack={pack} spots={summary.weakAreas} questions={false} />

      <Heading level={2}>{t("pack.summary.weakQuestions")}</Heading>
      <T style={s.intro}>{t("pack.summary.weakQuestionsIntro")}</T>
      <WeakTable pack={pack} spots={summary.weakQuestions} questions />

      <Heading level={2}>{t("pack.discussion.title")}</Heading>
      <T style={s.intro}>{t("pack.discussion.intro")}</T>
      {pack.discussion.length === 0 && <T style={s.muted}>{t("pack.none")}</T>}
      {pack.discussion.map(({ areaName, questions }, areaIndex) => (
        <View key={areaIndex}>
          <Heading level={3}>{areaName}</Heading>
          {questions.map((question, index) => (
            <View key={index} style={s.listItem} wrap={false}>
              <T style={s.listMark}>{`${index + 1}.`}</T>
              <T style={s.listText}>{question}</T>
            </View>
          ))}
        </View>
      ))}
      <Footer pack={pack} />
    </Page>
  );
}

function questionResult(pack: CoachingPack, question: PackInquiry["questions"][number]): string {
  const t = translatorFor(pack);
  if (question.points === null) return t("pack.inquiry.notApplicable");
  if (question.kind !== "points") return cxAnswerLabel(pack, question);
  return t("pack.inquiry.pointsOf", { points: question.points, max: question.maxPoints ?? 0 });
}

function InquiryPage({ pack, inquiry: i }: { pack: CoachingPack; inquiry: PackInquiry }) {
  const { t, score, gap } = figuresFor(pack);
  const wait = i.waitSeconds === null ? "–" : formatDuration(i.waitSeconds, pack.locale);
  const agentName = pack.includeAgentNames ? i.agentName : null;
  const shopper = [t(`gender.${i.shopper.gender}`), t("pack.ageGroup", { group: i.shopper.ageGroup }), i.shopper.region].join(", ");
  return (
    <Page size="A4" style={s.page}>
      <Text
        style={s.runningHead}
        fixed
        render={({ subPageNumber }) => (subPageNumber > 1 ? printable(t("pack.inquiry.continued", { ref: i.ref })) : "")}
      />
      <T style={s.h1}>{t("pack.inquiry.title", { ref: i.ref })}</T>
      <View style={s.grid}>
        <GridItem label={t("pack.inquiry.score")} value={score(i.totalScore)} strong />
        <GridItem label={t("pack.inquiry.band")} value={t(`band.${i.band}`)} />
        <GridItem label={t("pack.inquiry.channel")} value={t(`channel.${i.channel}`)} />
        <GridItem label={t("pack.inquiry.when")} value={formatDateTime(new Date(i.contactedAt), pack.locale)} />
        <GridItem label={t("pack.inquiry.answered")} value={t(i.answered ? "pack.yes" : "pack.no")} />
        <GridItem label={t("pack.inquiry.attempts")} value={String(i.attempts)} />
        <GridItem label={t(i.channel === "email" ? "pack.inquiry.replyTime" : "pack.inquiry.waitTime")} value={wait} />
        {agentName !== null && <GridItem label={t("pack.inquiry.agent")} value={agentName} />}
        <GridItem label={t("pack.inquiry.shopper")} value={shopper} />
      </View>

      {i.answered ? (
        <>
          <Heading level={2}>{t("pack.inquiry.areas")}</Heading>
          <Table
            columns={[
              { header: t("pack.col.area"), flex: 5 },
              { header: t("pack.col.score"), flex: 1.1, numeric: true },
              { header: t("pack.col.classMean"), flex: 1.3, numeric: true },
              { header: t("pack.col.gap"), flex: 1.2, numeric: true },
            ]}
            rows={i.areas.map((area) => [
              `${area.code} ${area.name}`,
              score(area.score),
              score(area.classMean),
              gap(area.score === null || area.classMean === null ? null : area.score - area.classMean),
            ])}
          />
          <Heading level={2}>{t("pack.inquiry.questions")}</Heading>
          <Table
            columns={[
              { header: t("pack.col.code"), flex: 0.8 },
              { header: t("pack.col.question"), flex: 5 },
              { header: t("pack.col.points"), flex: 1.6, numeric: true },
              { header: t("pack.col.classMeanPercent"), flex: 1.5, numeric: true },
            ]}
            rows={i.questions.map((question) => [question.code, question.text, questionResult(pack, question), score(question.classMean)])}
          />
        </>
      ) : (
        <View style={s.warning}>
          <T>{t("pack.inquiry.unansweredNote")}</T>
        </View>
      )}

      <Heading level={2}>{t("pack.inquiry.scenario")}</Heading>
      <T>{i.scenario}</T>
      <Heading level={2}>{t("pack.inquiry.comment")}</Heading>
      <T style={s.longText}>{i.comment ?? t("pack.none")}</T>
      <Heading level={2}>{t("pack.inquiry.transcript")}</Heading>
      <T style={s.longText}>{i.transcriptExcerpt ?? t("pack.none")}</T>
      <Footer pack={pack} />
    </Page>
  );
}

function PackDocument({ pack }: { pack: CoachingPack }) {
  const t = translatorFor(pack);
  return (
    <Document
      title={printable(t("pack.documentTitle", { company: pack.companyName, study: studyLabel(pack) }))}
      author={t("app.name")}
      creator={t("app.name")}
      subject={t("pack.subject")}
      language={pack.locale === "nb" ? "nb-NO" : "en-GB"}
      creationDate={new Date(pack.generatedAt)}
    >
      <Cover pack={pack} />
      <Summary pack={pack} />
      {pack.inquiries.map((inquiry) => (
        <InquiryPage key={inquiry.ref} pack={pack} inquiry={inquiry} />
      ))}
    </Document>
  );
}

export async function renderPackPdf(pack: CoachingPack): Promise<Buffer> {
  await prepareFonts();
  return renderToBuffer(<PackDocument pack={pack} />);
}
