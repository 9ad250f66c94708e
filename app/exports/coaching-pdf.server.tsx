// The coaching pack as a PDF (@react-pdf/renderer): a cover, a summary of the weak areas
// and questions with questions for discussion, then one page (or more) per inquiry.
// Every figure goes through the same format helpers as the web pages, so the numbers
// agree. Loaded only in the rendering worker and in tests (see renderPackPdf in
// ./coaching-render.server.ts): @react-pdf stays out of the web server's bundle.

import { Page, View, renderToBuffer } from "@react-pdf/renderer";
import { packHidesSomeClassFigures, type CoachingPack, type PackInquiry, type WeakSpot } from "~/domain/coaching-pack";
import { formatDateTime, formatNumber, formatScore } from "~/domain/format";
import { signedGap, studyLabel, translatorFor } from "./coaching-render.server";
import { prepareFonts } from "./pdf-fonts.server";
import { CoverTitle, Fact, HouseDocument, InquiryHead, PageFooter, T, houseStyles, pageStyles, questionResult, tableWithStyles } from "./pdf-style.server";

// ---------------------------------------------------------------------------
// Look: the house style (../pdf-style.server.tsx) and the pack's own

const MARGIN = 56;
const FACT_LABEL_WIDTH = 120;

const s = { ...houseStyles, ...pageStyles({ margin: MARGIN, edge: 28 }) };

// ---------------------------------------------------------------------------
// Building blocks

/** A table whose rows never split across pages. */
const Table = tableWithStyles(s);

const Footer = ({ pack }: { pack: CoachingPack }) => <PageFooter styles={s} locale={pack.locale} label={pack.companyName} />;

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
      <CoverTitle kicker={`${t("app.name")} · ${t("app.tagline")}`} title={t("pack.title")} company={pack.companyName} study={studyLabel(pack)} />
      <View style={s.facts}>
        {pack.className !== null && (
          <Fact labelWidth={FACT_LABEL_WIDTH} label={t("pack.cover.class")}>
            <T>{pack.className}</T>
          </Fact>
        )}
        <Fact labelWidth={FACT_LABEL_WIDTH} label={t("pack.cover.selection")}>
          {selection.map((line, index) => (
            <T key={index}>{line}</T>
          ))}
        </Fact>
        <Fact labelWidth={FACT_LABEL_WIDTH} label={t("pack.cover.inquiries")}>
          <T>{t("pack.cover.inquiriesValue", { count: count(pack.summary.count), answered: count(pack.summary.answered) })}</T>
        </Fact>
        <Fact labelWidth={FACT_LABEL_WIDTH} label={t("pack.cover.generated")}>
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
      rows={spots.map((spot) => ({
        cells: [
          <View key="name">
            <T>{`${spot.code} ${spot.name}`}</T>
            {spot.areaName !== undefined && <T style={s.small}>{spot.areaName}</T>}
          </View>,
          score(spot.mean),
          score(spot.classMean),
          gap(spot.gap),
        ],
      }))}
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

function InquiryPage({ pack, inquiry: i }: { pack: CoachingPack; inquiry: PackInquiry }) {
  const { t, score, gap } = figuresFor(pack);
  return (
    <Page size="A4" style={s.page}>
      <InquiryHead
        t={t}
        locale={pack.locale}
        score={score}
        inquiry={i}
        agentName={pack.includeAgentNames ? i.agentName : null}
        runningHead={s.runningHead}
        gridItem={s.gridItem}
      />

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
            rows={i.areas.map((area) => ({
              cells: [
                `${area.code} ${area.name}`,
                score(area.score),
                score(area.classMean),
                gap(area.score === null || area.classMean === null ? null : area.score - area.classMean),
              ],
            }))}
          />
          <Heading level={2}>{t("pack.inquiry.questions")}</Heading>
          <Table
            columns={[
              { header: t("pack.col.code"), flex: 0.8 },
              { header: t("pack.col.question"), flex: 5 },
              { header: t("pack.col.points"), flex: 1.6, numeric: true },
              { header: t("pack.col.classMeanPercent"), flex: 1.5, numeric: true },
            ]}
            rows={i.questions.map((question) => ({ cells: [question.code, question.text, questionResult(t, question), score(question.classMean)] }))}
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
    <HouseDocument
      t={t}
      locale={pack.locale}
      title={t("pack.documentTitle", { company: pack.companyName, study: studyLabel(pack) })}
      subject={t("pack.subject")}
      generatedAt={pack.generatedAt}
    >
      <Cover pack={pack} />
      <Summary pack={pack} />
      {pack.inquiries.map((inquiry) => (
        <InquiryPage key={inquiry.ref} pack={pack} inquiry={inquiry} />
      ))}
    </HouseDocument>
  );
}

export async function renderPackPdf(pack: CoachingPack): Promise<Buffer> {
  await prepareFonts();
  return renderToBuffer(<PackDocument pack={pack} />);
}
