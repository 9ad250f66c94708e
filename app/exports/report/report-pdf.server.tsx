// The company report as a PDF (@react-pdf/renderer, issue 19): the full results report (cover,
// summary, bands, channels, areas, gap map, variance, trends, customer experience, awards, what
// it takes to climb, then every inquiry) or the one-page management summary. It only draws:
// every figure is one the company pages show, read by ./company-report.server.ts through the
// pages' own functions, formatted by the same helpers. Charts are vector graphics (Svg), each
// beside or above its figures. A class figure the anonymity rule hides arrives as null and is
// drawn as "–" with the reason. Loaded only in the rendering worker and in tests.

import { Line, Page, Rect, StyleSheet, Svg, View, Circle, Polyline, renderToBuffer } from "@react-pdf/renderer";
import { formatDate, formatDateTime, formatNumber, formatPercent, formatScore, formatSignedGap, type Locale } from "~/domain/format";
import { roundHalfAwayFromZero } from "~/domain/scoring";
import { BANDS, type Band } from "~/domain/types";
import { awardLabel } from "~/exports/awards/labels";
import { translate } from "~/i18n/i18n";
import type { InquiryDetail } from "~/models/insights/inquiries.server";
import type { Spread } from "~/models/insights/variance.server";
import { prepareFonts } from "../pdf-fonts.server";
import { BLUE, CoverTitle, Fact, FAINT_RULE, HouseDocument, INK, InquiryHead, PALE_BLUE, PageFooter, RULE, T, houseStyles, pageStyles, questionResult, tableWithStyles, type Translator } from "../pdf-style.server";
import type { ReportData } from "./report-data";

// ---------------------------------------------------------------------------
// Look: the house style (../pdf-style.server.tsx), with amber for the class, and the report's own

const AMBER = "#d97706";
const SLATE = "#64748b";
const TRACK = "#f3f4f6";
const MARGIN = 48;
/** A4 width less both margins, in points */
const CONTENT_WIDTH = 595.28 - 2 * MARGIN;
const BAR_WIDTH = 130;
const FACT_LABEL_WIDTH = 150;

const house = houseStyles;
const s = StyleSheet.create({
  ...house,
  ...pageStyles({ margin: MARGIN, edge: 26 }),
  facts: { ...house.facts, marginTop: 28 },
  note: { ...house.note, marginTop: 10, padding: 10 },
  warning: { ...house.warning, marginTop: 10 },
  h2: { ...house.h2, fontSize: 12.5, marginTop: 16 },
  figures: { ...house.figures, gap: 8 },
  figure: { ...house.figure, padding: 8 },
  figureValue: { ...house.figureValue, fontSize: 16 },
  gridItem: { ...house.gridItem, width: "20%", paddingVertical: 4 },
  tableHead: { ...house.tableHead, alignItems: "flex-end" },
  tableRow: { ...house.tableRow, alignItems: "center" },
  strongRow: { backgroundColor: "#f9fafb" },
  ownRow: { backgroundColor: PALE_BLUE },
  number: { ...house.number, paddingRight: 3 },
  compactRow: { paddingVertical: 1.5 },
  compactText: { fontSize: 8, lineHeight: 1.25 },
  legend: { flexDirection: "row", flexWrap: "wrap", gap: 12, marginTop: 5 },
  legendItem: { flexDirection: "row", alignItems: "center", gap: 4 },
  swatch: { width: 10, height: 6 },
  markSwatch: { width: 2, height: 9 },
  listItem: { ...house.listItem, marginBottom: 6 },
  listMark: { width: 18, fontWeight: 700, color: BLUE },
  pointText: { fontSize: 10.5, lineHeight: 1.4 },
  transcript: { fontSize: 8, lineHeight: 1.35 },
  h2Tight: { fontSize: 11, fontWeight: 700, color: BLUE, marginTop: 10, marginBottom: 3 },
});

// ---------------------------------------------------------------------------
// Figures and words

function toolsFor(locale: Locale) {
  const t: Translator = (key, params) => translate(locale, key, params);
  return {
    t,
    locale,
    score: (value: number | null | undefined) => (value === null || value === undefined ? "–" : formatScore(value, locale)),
    gap: (own: number | null | undefined, reference: number | null | undefined) =>
      own === null || own === undefined || reference === null || reference === undefined ? "–" : formatSignedGap(own - reference, locale),
    percent: (fraction: number | null) => (fraction === null ? "–" : formatPercent(fraction, locale)),
    count: (value: number) => formatNumber(value, locale),
  };
}
type Tools = ReturnType<typeof toolsFor>;

/** "Kundeserviceprisen 2025", without repeating a year the study's name already holds. */
const studyLabel = (name: string, year: number) => (name.includes(String(year)) ? name : `${name} ${year}`);

/** A band's share of the counts, as the overview's band chart takes it. */
const share = (counts: Record<Band, number>, band: Band) => {
  const total = BANDS.reduce((sum, b) => sum + counts[b], 0);
  return total ? counts[band] / total : 0;
};

/** The colour of a gap cell, as the web's gap cells (colour never alone: the number is written). */
function gapColour(own: number | null | undefined, reference: number | null | undefined): string | undefined {
  if (own === null || own === undefined || reference === null || reference === undefined) return undefined;
  const gap = own - reference;
  if (gap >= 5) return "#bbf7d0";
  if (gap >= 0) return "#f0fdf4";
  if (gap > -5) return "#fef3c7";
  if (gap > -10) return "#fed7aa";
  return "#fecaca";
}

// ---------------------------------------------------------------------------
// Building blocks

/** A table whose rows never split across pages; a string cell is text, anything else is drawn as given. */
const Table = tableWithStyles(s);

function Footer({ data }: { data: ReportData }) {
  const { overview } = data.page;
  return <PageFooter styles={s} locale={data.locale} label={`${overview.participantName} · ${studyLabel(overview.study.name, overview.study.year)}`} />;
}

function Heading({ level, children, tight = false }: { level: 1 | 2 | 3; children: string; tight?: boolean }) {
  return (
    <View minPresenceAhead={60}>
      <T style={level === 1 ? s.h1 : level === 2 ? (tight ? s.h2Tight : s.h2) : s.h3}>{children}</T>
    </View>
  );
}

function TitleAndIntro({ title, intro }: { title: string; intro: string }) {
  return (
    <View>
      <T style={s.h2}>{title}</T>
      <T style={s.intro}>{intro}</T>
    </View>
  );
}

function Kpi({ label, value, detail }: { label: string; value: string; detail?: string }) {
  return (
    <View style={s.figure}>
      <T style={s.small}>{label}</T>
      <T style={s.figureValue}>{value}</T>
      {detail !== undefined && <T style={s.small}>{detail}</T>}
    </View>
  );
}

/** A bar on a 0–100 scale: the company's value (blue), the class mean (amber mark) and best (dark mark). */
function ScoreBar({ value, mean = null, best = null, width = BAR_WIDTH }: { value: number | null; mean?: number | null; best?: number | null; width?: number }) {
  const x = (v: number) => (Math.min(Math.max(v, 0), 100) / 100) * width;
  return (
    <Svg width={width} height={12}>
      <Rect x={0} y={3} width={width} height={6} fill={TRACK} />
      {value !== null && <Rect x={0} y={2} width={x(value)} height={8} fill={BLUE} />}
      {mean !== null && <Rect x={Math.min(x(mean), width - 2)} y={0} width={2} height={12} fill={AMBER} />}
      {best !== null && <Rect x={Math.min(x(best), width - 2)} y={0} width={2} height={12} fill={INK} />}
    </Svg>
  );
}

function Legend({ items }: { items: { label: string; colour: string; mark?: boolean }[] }) {
  return (
    <View style={s.legend}>
      {items.map((item) => (
        <View key={item.label} style={s.legendItem}>
          <View style={[item.mark ? s.markSwatch : s.swatch, { backgroundColor: item.colour }]} />
          <T style={s.small}>{item.label}</T>
        </View>
      ))}
    </View>
  );
}

function BarLegend({ tools, best = true }: { tools: Tools; best?: boolean }) {
  const { t } = tools;
  return (
    <Legend
      items={[
        { label: t("overview.series.own"), colour: BLUE },
        { label: t("overview.classMean"), colour: AMBER, mark: true },
        ...(best ? [{ label: t("overview.classBest"), colour: INK, mark: true }] : []),
      ]}
    />
  );
}

function TooFew({ tools, hidden }: { tools: Tools; hidden: boolean }) {
  return hidden ? <T style={[s.small, { marginTop: 4 }]}>{tools.t("anonymity.tooFew")}</T> : null;
}

// ---------------------------------------------------------------------------
// Sections

function Cover({ data, tools }: { data: ReportData; tools: Tools }) {
  const { t, count } = tools;
  const { overview } = data.page;
  return (
    <Page size="A4" style={s.page}>
      <CoverTitle kicker={`${t("app.name")} · ${t("app.tagline")}`} title={t("report.title")} company={overview.participantName} study={studyLabel(overview.study.name, overview.study.year)} />
      <View style={s.facts}>
        <Fact labelWidth={FACT_LABEL_WIDTH} label={t("report.cover.class")}>
          {t("report.cover.classValue", { name: overview.class.name, count: overview.class.participants })}
        </Fact>
        <Fact labelWidth={FACT_LABEL_WIDTH} label={t("pack.cover.inquiries")}>
          {t("pack.cover.inquiriesValue", { count: count(overview.inquiries), answered: count(overview.answered) })}
        </Fact>
        <Fact labelWidth={FACT_LABEL_WIDTH} label={t("pack.cover.generated")}>
          {formatDateTime(new Date(data.generatedAt), data.locale)}
        </Fact>
      </View>
      <View style={[s.note, { marginTop: 28 }]}>
        <T>{t("report.cover.contents")}</T>
        <T style={{ marginTop: 4 }}>{t("report.cover.anonymity")}</T>
        <T style={{ marginTop: 4 }}>{t("report.cover.privacy")}</T>
      </View>
      <Footer data={data} />
    </Page>
  );
}

/** Total, rank, class mean and best, answer rate; score if all had been answered; the interval. */
function KeyFigures({ data, tools, compact = false }: { data: ReportData; tools: Tools; compact?: boolean }) {
  const { t, score, percent } = tools;
  const { overview, extras } = data.page;
  const klass = overview.class;
  return (
    <View>
      <View style={s.figures}>
        <Kpi label={t("overview.totalScore")} value={score(overview.totalScore)} />
        <Kpi label={t("overview.rank")} value={klass.rank !== null ? t("overview.rankOf", { rank: klass.rank, n: klass.participants }) : "–"} />
        <Kpi label={t("overview.classMean")} value={score(klass.mean)} />
        <Kpi label={t("overview.classBest")} value={score(klass.best)} />
        <Kpi
          label={t("overview.answerRate")}
          value={percent(overview.answerRate)}
          detail={t("overview.answeredOf", { answered: overview.answered, count: overview.inquiries })}
        />
      </View>
      {!compact && extras && (
        <View style={s.figures}>
          <Kpi label={t("overview.ifAllAnswered")} value={score(extras.ifAllAnswered)} detail={t("overview.ifAllAnswered.help", { actual: score(overview.totalScore) })} />
          <Kpi
            label={t("overview.interval")}
            value={extras.interval ? `${score(extras.interval.low)}–${score(extras.interval.high)}` : "–"}
            detail={t("overview.interval.help")}
          />
        </View>
      )}
      {!klass.shown && (
        <View style={s.note}>
          <T>{t("overview.classHidden")}</T>
        </View>
      )}
    </View>
  );
}

function Bands({ data, tools }: { data: ReportData; tools: Tools }) {
  const { t, percent, count } = tools;
  const own = data.page.overview.bands;
  const classBands = data.page.extras?.classBands ?? null;
  const all = data.page.overview.wholeStudy?.bands ?? null;
  const width = 150;
  const series = [
    { counts: own, colour: BLUE },
    ...(classBands ? [{ counts: classBands, colour: AMBER }] : []),
    ...(all ? [{ counts: all, colour: SLATE }] : []),
  ];
  const chart = (band: Band) => (
    <Svg width={width} height={4 + series.length * 5}>
      {series.map((serie, index) => (
        <Rect key={index} x={0} y={2 + index * 5} width={Math.max(share(serie.counts, band) * width, 0.5)} height={4} fill={serie.colour} />
      ))}
    </Svg>
  );
  return (
    <View>
      <Heading level={2}>{t("overview.bands.title")}</Heading>
      <T style={s.intro}>{t("overview.bands.intro")}</T>
      <Table
        columns={[
          { header: t("overview.bands.band"), flex: 2 },
          { header: "", width: width + 6 },
          { header: t("overview.bands.ownCount"), flex: 1, numeric: true },
          { header: t("overview.bands.ownShare"), flex: 1, numeric: true },
          { header: t("overview.bands.classShare"), flex: 1.2, numeric: true },
          { header: t("overview.bands.studyShare"), flex: 1.2, numeric: true },
        ]}
        rows={BANDS.map((band) => ({
          cells: [
            t(`band.${band}`),
            chart(band),
            count(own[band]),
            percent(share(own, band)),
            classBands ? percent(share(classBands, band)) : "–",
            all ? percent(share(all, band)) : "–",
          ],
        }))}
      />
      <Legend
        items={[
          { label: t("overview.series.own"), colour: BLUE },
          ...(classBands ? [{ label: t("overview.series.class"), colour: AMBER }] : []),
          ...(all ? [{ label: t("overview.series.study"), colour: SLATE }] : []),
        ]}
      />
      <TooFew tools={tools} hidden={classBands === null || all === null} />
    </View>
  );
}

/** Rows against the class: label, bar, own, class mean, gap, class best. */
function AgainstClass({ tools, rows, labelHeader, count }: { tools: Tools; labelHeader: string; count?: string; rows: { label: string; own: number | null; mean: number | null; best: number | null; n?: number }[] }) {
  const { t, score, gap } = tools;
  return (
    <View>
      <Table
        columns={[
          { header: labelHeader, flex: 3 },
          ...(count !== undefined ? [{ header: count, flex: 1.1, numeric: true }] : []),
          { header: "", width: BAR_WIDTH + 6 },
          { header: t("overview.series.own"), flex: 0.9, numeric: true },
          { header: t("overview.classMean"), flex: 1.1, numeric: true },
          { header: t("comparison.vsMean"), flex: 1, numeric: true },
          { header: t("overview.classBest"), flex: 1.1, numeric: true },
        ]}
        rows={rows.map((row) => ({
          cells: [
            row.label,
            ...(count !== undefined ? [row.n === undefined ? "–" : tools.count(row.n)] : []),
            <ScoreBar key="bar" value={row.own} mean={row.mean} best={row.best} />,
            score(row.own),
            score(row.mean),
            gap(row.own, row.mean),
            score(row.best),
          ],
          fills: { [count !== undefined ? 5 : 4]: gapColour(row.own, row.mean) },
        }))}
      />
      <BarLegend tools={tools} />
      <TooFew tools={tools} hidden={rows.some((row) => row.own !== null && row.mean === null)} />
    </View>
  );
}

/** Each channel against the class, with its number of inquiries. */
function ChannelsAgainstClass({ data, tools }: { data: ReportData; tools: Tools }) {
  const { t } = tools;
  return (
    <AgainstClass
      tools={tools}
      labelHeader={t("trends.channel")}
      count={t("trends.inquiries")}
      rows={(data.page.extras?.channels ?? []).map((c) => ({ label: t(`channel.${c.channel}`), n: c.inquiries, own: c.score, mean: c.classMean, best: c.classBest }))}
    />
  );
}

/** Each area against the class. */
function AreasAgainstClass({ data, tools }: { data: ReportData; tools: Tools }) {
  return (
    <AgainstClass tools={tools} labelHeader={tools.t("trends.area")} rows={data.page.areas.map((a) => ({ label: `${a.code} ${a.name}`, own: a.score, mean: a.classMean, best: a.classBest }))} />
  );
}

function ChannelsAndAreas({ data, tools }: { data: ReportData; tools: Tools }) {
  const { t } = tools;
  return (
    <View>
      <Heading level={2}>{t("overview.channels")}</Heading>
      <ChannelsAgainstClass data={data} tools={tools} />
      <Heading level={2}>{t("overview.areas")}</Heading>
      <AreasAgainstClass data={data} tools={tools} />
    </View>
  );
}

function Cx({ data, tools }: { data: ReportData; tools: Tools }) {
  const { t, count, percent } = tools;
  const { cx } = data.page;
  if (cx.nps === null && cx.csat === null && cx.ces === null) return null;
  return (
    <View wrap={false}>
      <Heading level={2}>{t("overview.cx")}</Heading>
      <T style={s.intro}>{t("overview.cx.help")}</T>
      <View style={s.figures}>
        {cx.nps !== null && <Kpi label="NPS" value={count(cx.nps)} detail={t("overview.cx.nps")} />}
        {cx.csat !== null && <Kpi label="CSAT" value={percent(cx.csat / 100)} detail={t("overview.cx.csat")} />}
        {cx.ces !== null && <Kpi label="CES" value={formatNumber(cx.ces, data.locale, 1)} detail={t("overview.cx.ces")} />}
      </View>
    </View>
  );
}

function Awards({ data, tools }: { data: ReportData; tools: Tools }) {
  const { t, score } = tools;
  const awards = data.awards;
  if (!awards) return null;
  const className = data.page.overview.class.name;
  const classWinners = awards.awards.classes.find((c) => c.className === className)?.winners ?? [];
  return (
    <View wrap={false}>
      <Heading level={2}>{t("report.awards.title")}</Heading>
      {awards.own.length > 0 ? (
        awards.own.map(({ key, certificate }) => (
          <T key={key} style={s.bold}>{`${awardLabel(certificate, data.locale)} – ${t("awardPages.score", { score: score(certificate.score) })}`}</T>
        ))
      ) : (
        <T>{t("report.awards.none")}</T>
      )}
      <View style={{ marginTop: 6 }}>
        {classWinners.length > 0 && <T>{t("report.awards.classWinner", { class: className, names: classWinners.map((w) => `${w.participantName} (${score(w.score)})`).join(", ") })}</T>}
        {awards.awards.overall.winners.length > 0 && (
          <T>{t("report.awards.overallWinner", { names: awards.awards.overall.winners.map((w) => `${w.participantName} (${score(w.score)})`).join(", ") })}</T>
        )}
      </View>
    </View>
  );
}

function SummaryPages({ data, tools }: { data: ReportData; tools: Tools }) {
  const { t } = tools;
  return (
    <Page size="A4" style={s.page}>
      <Heading level={1}>{t("report.summary.title")}</Heading>
      <T style={s.intro}>{t("overview.class", { name: data.page.overview.class.name })}</T>
      <KeyFigures data={data} tools={tools} />
      <Awards data={data} tools={tools} />
      <Bands data={data} tools={tools} />
      <ChannelsAndAreas data={data} tools={tools} />
      <Cx data={data} tools={tools} />
      <Footer data={data} />
    </Page>
  );
}

function ComparisonPages({ data, tools }: { data: ReportData; tools: Tools }) {
  const { t, score } = tools;
  const c = data.comparison;
  if (!c) return null;
  const lifts = c.nextPlace && (c.nextPlace.singleArea.length > 0 ? c.nextPlace.singleArea : c.nextPlace.combined);
  const hiddenSome = c.shown && [...c.areas, ...c.questions].some((x) => x.own !== null && x.classMean === null);
  return (
    <Page size="A4" style={s.page}>
      <Heading level={1}>{t("comparison.title")}</Heading>
      {!c.shown && (
        <View style={s.note}>
          <T>{t("comparison.hidden", { count: c.participants })}</T>
        </View>
      )}
      {c.shown && (
        <View>
          <Heading level={2}>{t("comparison.ranking")}</Heading>
          <T style={s.intro}>{t("comparison.rankingIntro")}</T>
          <Table
            columns={[
              { header: t("comparison.rank"), width: 36, numeric: true },
              { header: t("comparison.participant"), flex: 4 },
              { header: "", width: BAR_WIDTH + 6 },
              { header: t("comparison.totalScore"), flex: 1.2, numeric: true },
            ]}
            rows={c.ranking.map((r) => ({
              cells: [String(r.rank), r.own ? `${r.participantName} (${t("comparison.you")})` : r.participantName, <ScoreBar key="bar" value={r.totalScore} />, score(r.totalScore)],
              style: r.own ? [s.ownRow, s.bold] : undefined,
            }))}
          />
        </View>
      )}
      <Heading level={2}>{t("comparison.lift.title")}</Heading>
      {c.nextPlace ? (
        <View>
          <T style={s.intro}>
            {t("comparison.lift.intro", { rank: c.nextPlace.rank, name: c.nextPlace.participantName, score: score(c.nextPlace.totalScore), gap: score(c.nextPlace.gap) })}
          </T>
          {lifts ? (
            lifts.map((l) => (
              <View key={l.areaCode} style={s.listItem} wrap={false}>
                <T style={s.listMark}>•</T>
                <T style={s.listText}>{t("comparison.lift.single", { area: `${l.areaCode} ${l.areaName}`, points: score(l.points), from: score(l.from), to: score(l.to) })}</T>
              </View>
            ))
          ) : (
            <T>{t("comparison.lift.impossible")}</T>
          )}
          <T style={[s.small, { marginTop: 4 }]}>{t("comparison.lift.method")}</T>
        </View>
      ) : (
        <T>{t(!c.shown ? "report.lift.hidden" : c.rank === 1 ? "report.lift.first" : "report.lift.none")}</T>
      )}

      <View>
        <Table
          title={<TitleAndIntro title={t("comparison.gap.title")} intro={t("comparison.gap.intro")} />}
          columns={[
            { header: t("comparison.item"), flex: 4.2 },
            { header: "", width: BAR_WIDTH - 30 + 6 },
            { header: t("overview.series.own"), flex: 0.9, numeric: true },
            { header: t("comparison.classMean"), flex: 1.1, numeric: true },
            { header: t("comparison.vsMean"), flex: 1, numeric: true },
            { header: t("comparison.classBest"), flex: 1.1, numeric: true },
            { header: t("comparison.vsBest"), flex: 1, numeric: true },
          ]}
          rows={c.areas.flatMap((a) => [
            {
              cells: [`${a.code} ${a.name}`, <ScoreBar key="bar" value={a.own} mean={a.classMean} best={a.classBest} width={BAR_WIDTH - 30} />, score(a.own), score(a.classMean), tools.gap(a.own, a.classMean), score(a.classBest), tools.gap(a.own, a.classBest)],
              fills: { 4: gapColour(a.own, a.classMean), 6: gapColour(a.own, a.classBest) },
              style: [s.strongRow, s.bold],
            },
            ...c.questions
              .filter((q) => q.areaCode === a.code)
              .map((q) => ({
                cells: [
                  <T key="q" style={{ paddingLeft: 10 }}>{`${q.code} ${q.name}`}</T>,
                  <ScoreBar key="bar" value={q.own} mean={q.classMean} best={q.classBest} width={BAR_WIDTH - 30} />,
                  score(q.own),
                  score(q.classMean),
                  tools.gap(q.own, q.classMean),
                  score(q.classBest),
                  tools.gap(q.own, q.classBest),
                ],
                fills: { 4: gapColour(q.own, q.classMean), 6: gapColour(q.own, q.classBest) },
              })),
          ])}
        />
        <BarLegend tools={tools} />
        <T style={[s.small, { marginTop: 4 }]}>{t("comparison.gap.legend")}</T>
        <TooFew tools={tools} hidden={hiddenSome} />
      </View>
      <Footer data={data} />
    </Page>
  );
}

/** A range bar: min–max (grey), mean ± one standard deviation (blue), the mean (dot). */
function SpreadBar({ spread, width = BAR_WIDTH }: { spread: Spread; width?: number }) {
  const x = (v: number) => (Math.min(Math.max(v, 0), 100) / 100) * width;
  if (spread.mean === null) return <Svg width={width} height={12} />;
  const sd = spread.stdDev ?? 0;
  return (
    <Svg width={width} height={12}>
      <Rect x={0} y={5.5} width={width} height={1} fill={TRACK} />
      {spread.min !== null && spread.max !== null && <Line x1={x(spread.min)} y1={6} x2={x(spread.max)} y2={6} stroke={SLATE} strokeWidth={1} />}
      <Rect x={x(spread.mean - sd)} y={3} width={Math.max(x(spread.mean + sd) - x(spread.mean - sd), 1)} height={6} fill={BLUE} opacity={0.45} />
      <Circle cx={x(spread.mean)} cy={6} r={2.5} fill={BLUE} />
    </Svg>
  );
}

function SpreadTable({ tools, title, spreads, label }: { tools: Tools; title: string; spreads: Spread[]; label: (key: string) => string }) {
  const { t, score, count } = tools;
  if (spreads.length === 0) return null;
  // A group's table is short: kept whole with its title, on one page.
  return (
    <View wrap={false}>
      <Table
        title={<T style={s.h3}>{title}</T>}
        columns={[
          { header: t("variance.group"), flex: 1.7 },
          { header: t("variance.inquiries"), flex: 1.2, numeric: true },
          { header: "", width: BAR_WIDTH - 20 + 6 },
          { header: t("variance.mean"), flex: 0.8, numeric: true },
          { header: t("variance.stdDev"), flex: 1.5, numeric: true },
          { header: t("variance.iqr"), flex: 1.5, numeric: true },
          { header: t("variance.range"), flex: 1.6, numeric: true },
        ]}
        rows={spreads.map((x) => ({
          cells: [label(x.key), count(x.inquiries), <SpreadBar key="bar" spread={x} width={BAR_WIDTH - 20} />, score(x.mean), score(x.stdDev), score(x.iqr), x.min === null || x.max === null ? "–" : `${score(x.min)}–${score(x.max)}`],
        }))}
      />
    </View>
  );
}

function VariancePages({ data, tools }: { data: ReportData; tools: Tools }) {
  const { t, score, count } = tools;
  const v = data.variance;
  if (!v) return null;
  const most = Math.max(1, ...v.distribution.map((d) => d.count));
  const height = 80;
  const slot = CONTENT_WIDTH / v.distribution.length;
  const binLabel = (d: { from: number; to: number }) => (d.from === 100 ? "100" : `${d.from}–${d.from + 9}`);
  const sd = v.overall.stdDev;
  return (
    <Page size="A4" style={s.page}>
      <Heading level={1}>{t("variance.title")}</Heading>
      <T style={s.intro}>{t("variance.intro")}</T>
      <View style={s.figures}>
        <Kpi label={t("variance.stdDev")} value={score(sd)} detail={t("variance.inquiriesN", { count: v.overall.inquiries })} />
        <Kpi label={t("variance.iqr")} value={score(v.overall.iqr)} detail={t("variance.iqrHelp")} />
        <Kpi label={t("variance.range")} value={v.overall.min === null || v.overall.max === null ? "–" : `${score(v.overall.min)}–${score(v.overall.max)}`} />
      </View>
      <T style={[s.small, { marginTop: 6 }]}>
        {v.classTypicalStdDev === null
          ? t("variance.classHidden")
          : t(sd !== null && sd <= v.classTypicalStdDev ? "variance.steadier" : "variance.lessSteady", { cls: score(v.classTypicalStdDev) })}
      </T>

      <View wrap={false}>
        <Heading level={2}>{t("variance.distribution")}</Heading>
        <View style={{ flexDirection: "row" }}>
          {v.distribution.map((d, index) => (
            <T key={index} style={[s.small, s.bold, { width: slot, textAlign: "center" }]}>
              {count(d.count)}
            </T>
          ))}
        </View>
        <Svg width={CONTENT_WIDTH} height={height}>
          <Line x1={0} y1={height - 0.5} x2={CONTENT_WIDTH} y2={height - 0.5} stroke={RULE} strokeWidth={1} />
          {v.distribution.map((d, index) => {
            const h = (d.count / most) * (height - 4);
            return <Rect key={index} x={index * slot + 4} y={height - h} width={slot - 8} height={h} fill={BLUE} />;
          })}
        </Svg>
        <View style={{ flexDirection: "row" }}>
          {v.distribution.map((d, index) => (
            <T key={index} style={[s.small, { width: slot, textAlign: "center" }]}>
              {binLabel(d)}
            </T>
          ))}
        </View>
        <T style={[s.small, { marginTop: 4 }]}>{t("report.variance.distributionNote")}</T>
      </View>

      <Heading level={2}>{t("report.variance.groups")}</Heading>
      <Legend
        items={[
          { label: t("report.variance.legendRange"), colour: SLATE },
          { label: t("report.variance.legendSd"), colour: "#93a8ea" },
          { label: t("variance.mean"), colour: BLUE },
        ]}
      />
      <SpreadTable tools={tools} title={t("variance.byChannel")} spreads={v.byChannel} label={(key) => t(`channel.${key as "phone"}`)} />
      <SpreadTable tools={tools} title={t("variance.byGender")} spreads={v.byGender} label={(key) => t(`gender.${key as "female"}`)} />
      <SpreadTable tools={tools} title={t("variance.byAge")} spreads={v.byAgeGroup} label={(key) => t("variance.ageGroup", { group: key })} />
      <SpreadTable tools={tools} title={t("variance.byRegion")} spreads={v.byRegion} label={(key) => key} />

      {v.questions.length > 0 && (
        <View>
          <Table
            title={<TitleAndIntro title={t("variance.questions")} intro={t("variance.questionsIntro")} />}
            columns={[
              { header: t("pack.col.code"), flex: 0.7 },
              { header: t("pack.col.question"), flex: 5 },
              { header: t("variance.answers"), flex: 0.9, numeric: true },
              { header: t("variance.meanPercent"), flex: 1.4, numeric: true },
              { header: t("variance.stdDev"), flex: 1.3, numeric: true },
            ]}
            rows={v.questions.slice(0, 5).map((q) => ({ cells: [q.code, q.text, count(q.answers), score(q.mean), score(q.stdDev)] }))}
          />
        </View>
      )}
      <Footer data={data} />
    </Page>
  );
}

/** A line chart of the total (blue) and the class mean (amber) over the years. */
function TrendChart({ years, width, height }: { years: { year: number; own: number; mean: number | null }[]; width: number; height: number }) {
  const values = years.flatMap((y) => [y.own, ...(y.mean === null ? [] : [y.mean])]);
  const low = Math.max(0, Math.floor((Math.min(...values) - 5) / 10) * 10);
  const high = Math.min(100, Math.ceil((Math.max(...values) + 5) / 10) * 10);
  const pad = 10;
  const x = (index: number) => (years.length === 1 ? width / 2 : pad + (index / (years.length - 1)) * (width - 2 * pad));
  const y = (value: number) => height - 4 - ((value - low) / Math.max(high - low, 1)) * (height - 8);
  const points = (pick: (year: (typeof years)[number]) => number | null) =>
    years.flatMap((year, index) => {
      const value = pick(year);
      return value === null ? [] : [{ x: x(index), y: y(value) }];
    });
  const own = points((year) => year.own);
  const mean = points((year) => year.mean);
  const grid = [low, (low + high) / 2, high];
  return (
    <View>
      <View style={{ flexDirection: "row" }}>
        <View style={{ width: 22, height, justifyContent: "space-between" }}>
          {[...grid].reverse().map((g) => (
            <T key={g} style={s.small}>
              {String(g)}
            </T>
          ))}
        </View>
        <Svg width={width} height={height}>
          {grid.map((g) => (
            <Line key={g} x1={0} y1={y(g)} x2={width} y2={y(g)} stroke={FAINT_RULE} strokeWidth={0.75} />
          ))}
          {mean.length > 1 && <Polyline points={mean.map((p) => `${p.x},${p.y}`).join(" ")} stroke={AMBER} strokeWidth={1.5} fill="none" />}
          {own.length > 1 && <Polyline points={own.map((p) => `${p.x},${p.y}`).join(" ")} stroke={BLUE} strokeWidth={2} fill="none" />}
          {mean.map((p, index) => (
            <Circle key={`m${index}`} cx={p.x} cy={p.y} r={2.5} fill={AMBER} />
          ))}
          {own.map((p, index) => (
            <Circle key={`o${index}`} cx={p.x} cy={p.y} r={3} fill={BLUE} />
          ))}
        </Svg>
      </View>
      <View style={{ flexDirection: "row", marginLeft: 22, width, justifyContent: years.length === 1 ? "center" : "space-between" }}>
        {years.map((year) => (
          <T key={year.year} style={s.small}>
            {String(year.year)}
          </T>
        ))}
      </View>
    </View>
  );
}

function TrendPages({ data, tools }: { data: ReportData; tools: Tools }) {
  const { t, score, percent } = tools;
  const trends = data.trends;
  // The report's year and the years before it (a later study is not part of this year's report).
  const years = trends.years.filter((y) => y.year <= data.page.overview.study.year);
  const yearNumbers = years.map((y) => y.year);
  const last = yearNumbers.at(-1);
  const previous = yearNumbers.at(-2);
  const change = (scores: Record<number, number>) =>
    last !== undefined && previous !== undefined && scores[last] !== undefined && scores[previous] !== undefined ? formatSignedGap(scores[last]! - scores[previous]!, data.locale) : "–";
  const yearColumns = yearNumbers.map((year) => ({ header: String(year), flex: 0.9, numeric: true }));
  const changeColumn = previous !== undefined ? [{ header: t("trends.change", { from: previous, to: last! }), flex: 1.3, numeric: true }] : [];
  const byYear = (scores: Record<number, number>) => [...yearNumbers.map((year) => score(scores[year] ?? null)), ...(previous !== undefined ? [change(scores)] : [])];
  const questions = trends.questions.filter((q) => yearNumbers.some((year) => q.scores[year] !== undefined));
  return (
    <Page size="A4" style={s.page}>
      <Heading level={1}>{t("trends.title")}</Heading>
      <T style={s.intro}>{t("trends.intro")}</T>
      {years.length > 0 && (
        <View style={{ flexDirection: "row", gap: 16, marginTop: 6 }} wrap={false}>
          <View>
            <TrendChart years={years.map((y) => ({ year: y.year, own: y.totalScore, mean: y.classMean }))} width={200} height={110} />
            <Legend
              items={[
                { label: t("overview.series.own"), colour: BLUE },
                { label: t("trends.classMean"), colour: AMBER },
              ]}
            />
          </View>
          <View style={{ flex: 1 }}>
            <Table
              columns={[
                { header: t("trends.year"), flex: 0.7 },
                { header: t("trends.totalScore"), flex: 1, numeric: true },
                { header: t("trends.classMean"), flex: 1.1, numeric: true },
                { header: t("trends.inquiries"), flex: 1.1, numeric: true },
                { header: t("trends.answerRate"), flex: 1.1, numeric: true },
              ]}
              rows={years.map((y) => ({
                cells: [String(y.year), score(y.totalScore), y.classMean === null ? "–" : score(y.classMean), tools.count(y.inquiries), percent(y.answerRate)],
              }))}
            />
            <TooFew tools={tools} hidden={years.some((y) => y.classMean === null)} />
          </View>
        </View>
      )}
      {years.length < 2 && <T style={[s.muted, { marginTop: 6 }]}>{t("report.trends.oneYear")}</T>}

      <Table
        title={<T style={s.h2}>{t("trends.channels")}</T>}
        columns={[{ header: t("trends.channel"), flex: 3 }, ...yearColumns, ...changeColumn]}
        rows={trends.channels.filter((c) => yearNumbers.some((y) => c.scores[y] !== undefined)).map((c) => ({ cells: [t(`channel.${c.channel}`), ...byYear(c.scores)] }))}
      />
      <Table
        title={<T style={s.h2}>{t("trends.areas")}</T>}
        columns={[{ header: t("trends.area"), flex: 3 }, ...yearColumns, ...changeColumn]}
        rows={trends.areas.filter((a) => yearNumbers.some((y) => a.scores[y] !== undefined)).map((a) => ({ cells: [`${a.code} ${a.name}`, ...byYear(a.scores)] }))}
      />
      <Table
        title={<TitleAndIntro title={t("trends.questions")} intro={t("trends.questionsIntro")} />}
        columns={[{ header: t("trends.question"), flex: 4 }, ...yearColumns, ...changeColumn]}
        rows={questions.map((q) => {
          const changed = q.changedIn.some((year) => yearNumbers.includes(year) && year !== yearNumbers[0]);
          return { cells: [`${q.code} ${q.name}${changed ? ` (${t("report.trends.changed")})` : ""}`, ...yearNumbers.map((year) => score(q.scores[year] ?? null)), ...(previous !== undefined ? [changed ? "–" : change(q.scores)] : [])] };
        })}
      />
      <Footer data={data} />
    </Page>
  );
}

function InquiryPage({ data, tools, inquiry: i }: { data: ReportData; tools: Tools; inquiry: InquiryDetail }) {
  const { t, score } = tools;
  // Points of max as a share, as the inquiry page takes it.
  const percentOf = (q: InquiryDetail["questions"][number]) => (q.points === null || !q.maxPoints || q.kind !== "points" ? null : (q.points / q.maxPoints) * 100);
  const scored = i.questions.filter((q) => q.kind === "points");
  const unscored = i.questions.filter((q) => q.kind !== "points");
  return (
    <Page size="A4" style={s.page}>
      <InquiryHead t={t} locale={data.locale} score={score} inquiry={i} agentName={i.agentName} runningHead={s.runningHead} gridItem={s.gridItem} />
      <T style={[s.small, { marginTop: 6 }]}>{`${t("pack.inquiry.scenario")}: ${i.scenario}`}</T>

      {i.answered ? (
        <View>
          <Heading level={2} tight>
            {t("report.inquiry.questions")}
          </Heading>
          <Table
            compact
            columns={[
              { header: t("pack.col.code"), width: 28 },
              { header: t("pack.col.question"), flex: 5.8 },
              { header: t("pack.col.points"), flex: 1.2, numeric: true },
              { header: "", width: 66 },
              { header: t("inquiry.percent"), flex: 0.9, numeric: true },
              { header: t("pack.col.classMeanPercent"), flex: 1.3, numeric: true },
              { header: t("pack.col.gap"), flex: 1, numeric: true },
            ]}
            rows={[...scored, ...unscored].map((q) => {
              const percent = percentOf(q);
              return {
                cells: [
                  q.code,
                  q.text,
                  questionResult(t, q),
                  percent !== null ? <ScoreBar key="bar" value={percent} mean={q.classMean} width={60} /> : "",
                  score(percent),
                  score(q.classMean),
                  tools.gap(percent, q.classMean),
                ],
                fills: { 6: gapColour(percent, q.classMean) },
              };
            })}
          />
          <Legend
            items={[
              { label: t("report.inquiry.legendOwn"), colour: BLUE },
              { label: t("overview.classMean"), colour: AMBER, mark: true },
            ]}
          />
          <TooFew tools={tools} hidden={scored.some((q) => q.points !== null && q.classMean === null)} />
          <T style={{ marginTop: 6 }}>{`${t("pack.inquiry.areas")}: ${i.areas.map((a) => `${a.code} ${a.name} ${score(a.score)}`).join(" · ")}`}</T>
        </View>
      ) : (
        <View style={s.warning}>
          <T>{t("pack.inquiry.unansweredNote")}</T>
        </View>
      )}

      <Heading level={2} tight>
        {t("pack.inquiry.comment")}
      </Heading>
      <T style={s.longText}>{i.comment ?? t("pack.none")}</T>
      <Heading level={2} tight>
        {t("report.inquiry.transcript")}
      </Heading>
      <T style={s.transcript}>{i.transcript ?? t("pack.none")}</T>
      <Footer data={data} />
    </Page>
  );
}

// ---------------------------------------------------------------------------
// The one-page summary for management

/** The five things a director should know, each a sentence built from the report's figures. */
export function directorPoints(data: ReportData): string[] {
  const { t, score, percent } = toolsFor(data.locale);
  const { overview, extras } = data.page;
  const klass = overview.class;
  const points: string[] = [];
  // 1. Where the company stands.
  points.push(
    klass.rank !== null
      ? t("report.points.rank", { score: score(overview.totalScore), rank: klass.rank, n: klass.participants, class: klass.name })
      : t("report.points.rankHidden", { score: score(overview.totalScore), class: klass.name }),
  );
  // 2. Against the class.
  if (klass.mean !== null && klass.best !== null) {
    const gap = roundHalfAwayFromZero(overview.totalScore - klass.mean, 1);
    points.push(t(gap >= 0 ? "report.points.aboveClass" : "report.points.belowClass", { gap: score(Math.abs(gap)), mean: score(klass.mean), best: score(klass.best) }));
  } else {
    points.push(t("report.points.answerRate", { rate: percent(overview.answerRate), ifAll: score(extras?.ifAllAnswered ?? null) }));
  }
  // 3. Since last year, or availability when there is no year before.
  const years = data.trends.years.filter((y) => y.year <= overview.study.year);
  const previous = years.at(-2);
  if (previous) {
    const delta = roundHalfAwayFromZero(overview.totalScore - previous.totalScore, 1);
    points.push(t(delta > 0 ? "report.points.up" : delta < 0 ? "report.points.down" : "report.points.same", { delta: score(Math.abs(delta)), year: previous.year, previous: score(previous.totalScore) }));
  } else if (klass.mean !== null) {
    points.push(t("report.points.answerRate", { rate: percent(overview.answerRate), ifAll: score(extras?.ifAllAnswered ?? null) }));
  } else {
    points.push(t("report.points.firstYear"));
  }
  // 4. Strongest and weakest area: against the class where it is shown, else by own score.
  const areas = data.page.areas.filter((a) => a.score !== null);
  if (areas.length > 0) {
    const compared = areas.every((a) => a.classMean !== null);
    const key = (a: (typeof areas)[number]) => (compared ? a.score! - a.classMean! : a.score!);
    const sorted = [...areas].sort((a, b) => key(b) - key(a));
    const best = sorted[0]!;
    const worst = sorted.at(-1)!;
    points.push(
      compared
        ? t("report.points.areasVsClass", { best: best.name, bestGap: formatSignedGap(key(best), data.locale), worst: worst.name, worstGap: formatSignedGap(key(worst), data.locale) })
        : t("report.points.areasOwn", { best: best.name, bestScore: score(best.score), worst: worst.name, worstScore: score(worst.score) }),
    );
  }
  // 5. The next step: what it takes to climb one place.
  const next = data.comparison?.nextPlace;
  if (next) {
    const lift = next.singleArea[0];
    points.push(
      lift
        ? t("report.points.climb", { rank: next.rank, gap: score(next.gap), area: lift.areaName, points: score(lift.points) })
        : t("report.points.climbHard", { rank: next.rank, gap: score(next.gap) }),
    );
  } else if (klass.rank === 1) {
    points.push(t("report.points.first"));
  } else {
    const channels = [...(extras?.channels ?? [])].sort((a, b) => a.score - b.score);
    const weakest = channels[0];
    if (weakest) points.push(t("report.points.weakestChannel", { channel: t(`channel.${weakest.channel}`), score: score(weakest.score) }));
  }
  return points.slice(0, 5);
}

function ManagementSummary({ data, tools }: { data: ReportData; tools: Tools }) {
  const { t } = tools;
  const { overview } = data.page;
  return (
    <Page size="A4" style={s.page}>
      <View style={[s.coverBand, { marginBottom: 14 }]} />
      <T style={s.coverKicker}>{`${t("app.name")} · ${studyLabel(overview.study.name, overview.study.year)}`}</T>
      <T style={[s.h1, { marginTop: 4 }]}>{t("report.management.title", { company: overview.participantName })}</T>
      <T style={s.intro}>{`${t("overview.class", { name: overview.class.name })} · ${t("report.management.generated", { date: formatDate(new Date(data.generatedAt), data.locale) })}`}</T>
      <KeyFigures data={data} tools={tools} compact />
      <Heading level={2}>{t("report.management.points")}</Heading>
      {directorPoints(data).map((point, index) => (
        <View key={index} style={s.listItem}>
          <T style={[s.listMark, s.pointText]}>{`${index + 1}.`}</T>
          <T style={[s.listText, s.pointText]}>{point}</T>
        </View>
      ))}
      <Heading level={2}>{t("report.management.chart")}</Heading>
      <AreasAgainstClass data={data} tools={tools} />
      <Heading level={2}>{t("overview.channels")}</Heading>
      <ChannelsAgainstClass data={data} tools={tools} />
      <T style={[s.small, { marginTop: 8 }]}>{t("report.management.more")}</T>
      <Footer data={data} />
    </Page>
  );
}

// ---------------------------------------------------------------------------
// The documents

function ReportDocument({ data }: { data: ReportData }) {
  const tools = toolsFor(data.locale);
  const { t } = tools;
  const { overview } = data.page;
  const title = t(data.kind === "full" ? "report.documentTitle" : "report.management.documentTitle", {
    company: overview.participantName,
    study: studyLabel(overview.study.name, overview.study.year),
  });
  return (
    <HouseDocument t={t} locale={data.locale} title={title} subject={t("report.subject")} generatedAt={data.generatedAt}>
      {data.kind === "summary" ? (
        <ManagementSummary data={data} tools={tools} />
      ) : (
        <>
          <Cover data={data} tools={tools} />
          <SummaryPages data={data} tools={tools} />
          <ComparisonPages data={data} tools={tools} />
          <VariancePages data={data} tools={tools} />
          <TrendPages data={data} tools={tools} />
          {data.inquiries.map((inquiry) => (
            <InquiryPage key={inquiry.ref} data={data} tools={tools} inquiry={inquiry} />
          ))}
        </>
      )}
    </HouseDocument>
  );
}

export async function renderReportDocument(data: ReportData): Promise<Uint8Array> {
  await prepareFonts();
  return new Uint8Array(await renderToBuffer(<ReportDocument data={data} />));
}
