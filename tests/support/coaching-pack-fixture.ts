// A realistic, deterministic coaching pack for the renderer tests: the sample study's
// questionnaire, inquiries scored by the real scoring (~/domain/scoring), Norwegian
// texts with æøå/ÆØÅ, hostile comments (a HYPERLINK formula, +47, -, @, tab), a
// 20 000-character transcript cut to the excerpt length, an unanswered inquiry (score
// 0) and an unscored NPS question. Shoppers have codes here, as in the database; the
// pack drops them, so no output may ever show one.

import { AGE_GROUPS, ageGroupOf } from "~/domain/age-group";
import { TRANSCRIPT_EXCERPT_CHARS, type CoachingPack, type PackInquiry, type WeakSpot } from "~/domain/coaching-pack";
import type { Locale } from "~/domain/format";
import { scoreInquiry } from "~/domain/scoring";
import { CHANNELS, GENDERS, type Questionnaire } from "~/domain/types";

export const FIXTURE_COMPANY = "Blåfjell Strøm & Søn AS";
export const HYPERLINK_COMMENT = '=HYPERLINK("http://x","y")';
/** Comments that start like a formula, each on an inquiry of its own (after the HYPERLINK one). */
export const FORMULA_LIKE_COMMENTS = ["+47 22 33 44 55 ringte tilbake, men ingen svarte.", "- Kundebehandleren la på før jeg var ferdig.", "@kundeservice: lovet svar på e-post, fikk aldri noe.", "\tSvaret kom etter tre dager."];
/** Agents' first names: only in a pack made with includeAgentNames. */
export const FIXTURE_AGENTS = ["Øystein", "Åsmund", "Bjørnhild", "Łucja", "Ingeborg"];
/** The inquiry (0-based) that was never answered. */
export const UNANSWERED_INDEX = 3;
/** The inquiry (0-based) whose transcript is 20 000 characters long before the cut. */
export const LONG_TRANSCRIPT_INDEX = 7;
/** In the long transcript: the first line (kept) and a line far past the cut (dropped). */
export const TRANSCRIPT_START = "Kunde: Hei, jeg heter Kari og ringer om strømavtalen på hytta i Ålesund.";
export const TRANSCRIPT_PAST_CUT = "Kunde: Denne linjen står langt etter kuttet og skal aldri vises.";

export const FIXTURE_QUESTIONNAIRE: Questionnaire = {
  areas: [
    { code: "V", name: "Velkomst og mottak", weight: 10 },
    { code: "B", name: "Behovsavdekking", weight: 20 },
    { code: "K", name: "Kundebehandleren", weight: 40 },
    { code: "L", name: "Løsning", weight: 20 },
    { code: "A", name: "Avslutning", weight: 10 },
    { code: "CX", name: "Kundeopplevelse", weight: 0 },
  ],
  questions: [
    { code: "V1", areaCode: "V", text: "Kom kunden raskt gjennom til en kundebehandler?", kind: "points", maxPoints: 3, channels: ["phone", "chat", "messenger"] },
    { code: "V2", areaCode: "V", text: "Fikk kunden svar på e-post innen ett døgn?", kind: "points", maxPoints: 3, channels: ["email"] },
    { code: "V3", areaCode: "V", text: "Ble kunden ønsket velkommen?", kind: "points", maxPoints: 2, channels: null },
    { code: "B1", areaCode: "B", text: "Ble kundens behov avdekket med gode spørsmål?", kind: "points", maxPoints: 4, channels: null },
    { code: "K1", areaCode: "K", text: "Var kundebehandleren engasjert?", kind: "points", maxPoints: 5, channels: null },
    { code: "K2", areaCode: "K", text: "Tilpasset kundebehandleren seg kunden?", kind: "points", maxPoints: 5, channels: null },
    { code: "K3", areaCode: "K", text: "Sa kundebehandleren navnet sitt?", kind: "points", maxPoints: 1, channels: ["phone"] },
    { code: "L1", areaCode: "L", text: "Fikk kunden et riktig svar?", kind: "points", maxPoints: 5, channels: null },
    { code: "L2", areaCode: "L", text: "Ble neste steg gjort tydelig?", kind: "points", maxPoints: 2, channels: null },
    { code: "A1", areaCode: "A", text: "Ble kunden takket for henvendelsen?", kind: "points", maxPoints: 2, channels: null },
    { code: "CX1", areaCode: "CX", text: "Hvor sannsynlig er det at du vil anbefale selskapet til andre? (0–10)", kind: "nps", maxPoints: null, channels: null },
  ],
};

/** The class's means (0–100) per area and per scored question: set above the company's, so gaps are negative. */
const CLASS_AREA_MEANS: Record<string, number> = { V: 91.35, B: 86.4, K: 88.72, L: 90.15, A: 93.6 };
const CLASS_QUESTION_MEANS: Record<string, number> = { V1: 90.2, V2: 84.45, V3: 95.1, B1: 86.4, K1: 89.3, K2: 87.65, K3: 71.25, L1: 91.8, L2: 86.9, A1: 93.6 };
const CLASS_MEAN_SCORE = 88.36;

const DISCUSSION: Record<string, string[]> = {
  V: ["Hvordan tar vi imot kunden de første ti sekundene?", "Hva gjør vi når køen er lang – og hvordan sier vi det til kunden?"],
  B: ["Hvilke spørsmål hjelper oss å forstå hva kunden egentlig trenger?", "Når gikk vi for raskt til en løsning i eksemplene her?"],
  K: ["Hvordan viser vi engasjement i en skriftlig kanal?", "Hva betyr det å tilpasse seg kunden uten å miste fagligheten?", "Når sier vi navnet vårt, og hvorfor betyr det noe?"],
  L: ["Hvordan sjekker vi at svaret faktisk løste problemet?", "Hvordan gjør vi neste steg tydelig for kunden?"],
  A: ["Hvordan avslutter vi slik at kunden føler seg ivaretatt?"],
};

const SCENARIOS = [
  "Spør om å bytte strømavtale før flytting til Tromsø",
  "Klager på en uventet høy faktura for januar",
  "Ønsker å avslutte avtalen etter et dødsfall i familien",
  "Lurer på hvorfor målerstanden på fakturaen er feil",
  "Vil vite hva fastpris koster for en hytte på Geilo",
];
const REGIONS = ["Møre og Romsdal", "Trøndelag", "Østfold", "Vestfold", "Agder", "Troms", "Nordland", "Oslo"];
const PLAIN_COMMENTS = [
  "Hyggelig og løsningsorientert, men jeg måtte forklare saken to ganger.",
  "Fikk et godt svar, og kundebehandleren forklarte prisene på en forståelig måte.",
  "Svaret var høflig, men generelt. Jeg savnet en konkret anbefaling.",
  "Ærlig og åpen om hva som skjer videre. Veldig fornøyd!",
  "Skjemaet på nettsiden godtok ikke ÆØÅ i adressen, men chatten hjalp meg videre.",
];

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
function randomFrom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** What the pack builder does to a transcript: at most TRANSCRIPT_EXCERPT_CHARS, with "…" when cut. */
export function transcriptExcerpt(transcript: string): string {
  return transcript.length <= TRANSCRIPT_EXCERPT_CHARS ? transcript : `${transcript.slice(0, TRANSCRIPT_EXCERPT_CHARS - 1)}…`;
}

function longTranscript(): string {
  const lines = [TRANSCRIPT_START];
  const turns = [
    "Kundebehandler: Så fint at du tar kontakt! Hva gjelder det?",
    "Kunde: Fakturaen for februar virker høy, og jeg forstår ikke påslaget på øre per kWh.",
    "Kundebehandler: Jeg ser på avtalen din nå. Påslaget følger spotprisen i området ditt.",
    "Kunde: Kan jeg bytte til fastpris fra neste måned, og hva koster det å gå ut av avtalen?",
  ];
  for (let index = 0; lines.join("\n").length < 19_000; index += 1) lines.push(turns[index % turns.length]!);
  lines.push(TRANSCRIPT_PAST_CUT);
  const text = lines.join("\n");
  return (text + " Kundebehandler: Takk for samtalen, ha en fin dag videre!".repeat(40)).slice(0, 20_000);
}

function shortTranscript(index: number): string {
  return [
    `Kunde: Hei, jeg ringer om ${SCENARIOS[index % SCENARIOS.length]!.toLowerCase()}.`,
    "Kundebehandler: Hei, så bra at du tar kontakt. Kan du gi meg kundenummeret ditt?",
    "Kunde: Ja, det står på fakturaen. Vent litt …",
    "Kundebehandler: Takk! Da ser jeg på saken med en gang.",
  ].join("\n");
}

function comment(index: number): string | null {
  if (index === 0) return HYPERLINK_COMMENT;
  const hostile = FORMULA_LIKE_COMMENTS[index - 1];
  if (hostile !== undefined) return hostile;
  if (index % 6 === 5) return null;
  return PLAIN_COMMENTS[index % PLAIN_COMMENTS.length]!;
}

interface FixtureInquiry {
  inquiry: PackInquiry;
  /** as in the database, never in the pack */
  shopperCode: string;
}

function buildInquiry(index: number, includeAgentNames: boolean, classHidden: boolean): FixtureInquiry {
  const random = randomFrom(1000 + index);
  const channel = CHANNELS[index % CHANNELS.length]!;
  const answered = index !== UNANSWERED_INDEX;
  const applicable = FIXTURE_QUESTIONNAIRE.questions.filter((question) => question.channels === null || question.channels.includes(channel));
  const answers: Record<string, number> = {};
  if (answered) {
    for (const question of applicable) {
      // Mostly good answers, now and then a weak one; an inquiry sometimes skips L2.
      if (question.code === "L2" && random() < 0.2) continue;
      const max = question.kind === "points" ? question.maxPoints! : 10;
      answers[question.code] = random() < 0.15 ? Math.floor(random() * max) : max - (random() < 0.3 ? 1 : 0);
    }
  }
  const scored = scoreInquiry(FIXTURE_QUESTIONNAIRE, { channel, answered, answers });
  const age = 18 + ((index * 13) % 70);
  const contactedAt = new Date(Date.UTC(2025, 1, 3, 7, 15) + index * (24 * 60 + 37) * 60_000);
  const waitSeconds = !answered ? null : channel === "email" ? 3_600 * (2 + (index % 20)) : 15 + ((index * 37) % 400);
  return {
    shopperCode: `SHP-${String(4711 + index).padStart(5, "0")}`,
    inquiry: {
      ref: `KSP25-${String(index + 1).padStart(4, "0")}`,
      channel,
      contactedAt: contactedAt.toISOString(),
      answered,
      totalScore: scored.totalScore,
      band: scored.band,
      attempts: answered && index % 5 !== 0 ? 1 : 2,
      waitSeconds,
      agentName: includeAgentNames && answered ? FIXTURE_AGENTS[index % FIXTURE_AGENTS.length]! : null,
      shopper: { gender: GENDERS[index % GENDERS.length]!, ageGroup: ageGroupOf(age), region: REGIONS[index % REGIONS.length]! },
      scenario: SCENARIOS[index % SCENARIOS.length]!,
      comment: comment(index),
      transcriptExcerpt: !answered ? null : transcriptExcerpt(index === LONG_TRANSCRIPT_INDEX ? longTranscript() : shortTranscript(index)),
      areas: FIXTURE_QUESTIONNAIRE.areas
        .filter((area) => area.weight > 0)
        .map((area) => ({
          code: area.code,
          name: area.name,
          score: scored.areaScores.find((areaScore) => areaScore.areaCode === area.code)?.score ?? null,
          classMean: classHidden ? null : CLASS_AREA_MEANS[area.code]!,
        })),
      questions: applicable.map((question) => ({
        code: question.code,
        text: question.text,
        areaCode: question.areaCode,
        areaName: FIXTURE_QUESTIONNAIRE.areas.find((area) => area.code === question.areaCode)!.name,
        kind: question.kind,
        points: answers[question.code] ?? null,
        maxPoints: question.maxPoints,
        classMean: classHidden || question.kind !== "points" ? null : CLASS_QUESTION_MEANS[question.code]!,
      })),
    },
  };
}

const mean = (values: number[]) => (values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length);

/** Weakest first: by gap when the class is known, else by mean. */
function weakest(spots: WeakSpot[], count: number): WeakSpot[] {
  return [...spots].sort((a, b) => (a.gap ?? a.mean) - (b.gap ?? b.mean)).slice(0, count);
}

export interface PackFixtureOptions {
  inquiries?: number;
  includeAgentNames?: boolean;
  locale?: Locale;
  /** the class has fewer than 3 participants: no class figures */
  classHidden?: boolean;
}

/** A pack of `inquiries` inquiries (25 by default: a company's usual number per study), and the shopper codes it must not show. */
export function buildCoachingPack(options: PackFixtureOptions = {}): { pack: CoachingPack; shopperCodes: string[] } {
  const { inquiries: count = 25, includeAgentNames = false, locale = "nb", classHidden = false } = options;
  const built = Array.from({ length: count }, (_, index) => buildInquiry(index, includeAgentNames, classHidden));
  const inquiries = built.map(({ inquiry }) => inquiry);

  const areaSpots: WeakSpot[] = [];
  for (const area of FIXTURE_QUESTIONNAIRE.areas.filter((candidate) => candidate.weight > 0)) {
    const areaMean = mean(inquiries.flatMap((inquiry) => inquiry.areas.filter((a) => a.code === area.code && a.score !== null).map((a) => a.score!)));
    if (areaMean === null) continue;
    const classMean = classHidden ? null : CLASS_AREA_MEANS[area.code]!;
    areaSpots.push({ code: area.code, name: area.name, mean: areaMean, classMean, gap: classMean === null ? null : areaMean - classMean });
  }
  const questionSpots: WeakSpot[] = [];
  for (const question of FIXTURE_QUESTIONNAIRE.questions.filter((candidate) => candidate.kind === "points")) {
    const percents = inquiries.flatMap((inquiry) =>
      inquiry.questions.filter((q) => q.code === question.code && q.points !== null).map((q) => (q.points! / q.maxPoints!) * 100),
    );
    const questionMean = mean(percents);
    if (questionMean === null) continue;
    const classMean = classHidden ? null : CLASS_QUESTION_MEANS[question.code]!;
    const areaName = FIXTURE_QUESTIONNAIRE.areas.find((area) => area.code === question.areaCode)!.name;
    questionSpots.push({ code: question.code, name: question.text, areaName, mean: questionMean, classMean, gap: classMean === null ? null : questionMean - classMean });
  }
  const weakAreas = weakest(areaSpots, 3);

  return {
    shopperCodes: built.map(({ shopperCode }) => shopperCode),
    pack: {
      locale,
      generatedAt: "2025-03-14T08:30:00.000Z",
      companyName: FIXTURE_COMPANY,
      study: { year: 2025, name: "Kundeserviceprisen 2025" },
      className: classHidden ? null : "Strøm og energi",
      selection: ["Kanal: alle kanaler", `Shoppers aldersgruppe: ${AGE_GROUPS.join(", ")}`, "Område med lav score: Løsning under 80 poeng"],
      includeAgentNames,
      summary: {
        count: inquiries.length,
        answered: inquiries.filter((inquiry) => inquiry.answered).length,
        meanScore: mean(inquiries.map((inquiry) => inquiry.totalScore)),
        classMeanScore: classHidden ? null : CLASS_MEAN_SCORE,
        weakAreas,
        weakQuestions: weakest(questionSpots, 5),
      },
      discussion: weakAreas.map((area) => ({ areaName: area.name, questions: DISCUSSION[area.code] ?? [] })),
      inquiries,
    },
  };
}
