import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import type { Channel, Gender, InquiryRow, QuestionKind, StudyData } from "~/domain/types";

/** The shared sample study (a copy of ../shared/samples), read plainly for tests (the import pipeline is tested separately). */
export const samplesDir = new URL("../fixtures/samples/", import.meta.url);

const read = (name: string) => parse(readFileSync(new URL(name, samplesDir)), { columns: true, bom: true }) as Record<string, string>[];

export function sampleStudy(year = 2021): StudyData {
  const q = read("questionnaire.csv");
  const areas = [...new Map(q.map((r) => [r.area_code!, { code: r.area_code!, name: r.area_name!, weight: Number(r.area_weight) }])).values()];
  const questions = q.map((r) => ({
    code: r.question_code!,
    areaCode: r.area_code!,
    text: r.question_text!,
    kind: (r.kind || "points") as QuestionKind,
    maxPoints: r.max_points ? Number(r.max_points) : null,
    channels: r.channels ? (r.channels.split("|") as Channel[]) : null,
  }));
  const participants = read("participants.csv").map((r) => ({
    code: r.participant_code!,
    name: r.participant_name!,
    classCode: r.class_code!,
    className: r.class_name!,
    orgNumber: r.org_number || null,
  }));
  const inquiries = read("results.csv").map((r) => ({
    ref: r.inquiry_ref!,
    participantCode: r.participant_code!,
    channel: r.channel as Channel,
    shopper: { code: r.shopper_code!, gender: r.shopper_gender as Gender, age: Number(r.shopper_age), region: r.shopper_region! },
    scenario: r.scenario!,
    contactedAt: new Date(`${r.contacted_at}+01:00`),
    attempts: Number(r.attempts) as 1 | 2,
    answered: r.answered === "yes",
    waitSeconds: r.wait_seconds ? Number(r.wait_seconds) : null,
    agentName: r.agent_name || null,
    comment: r.comment || null,
    transcript: r.transcript || null,
    answers: Object.fromEntries(
      Object.entries(r)
        .filter(([k, v]) => k.startsWith("q:") && v !== "")
        .map(([k, v]) => [k.slice(2), Number(v)]),
    ),
  }));
  return { year, name: `Kundeserviceprisen ${year}`, questionnaire: { areas, questions }, participants, inquiries };
}

/** expected-scores.csv: ref -> stored total score, as the contract computes it. */
export function expectedScores(): Map<string, number> {
  return new Map(read("expected-scores.csv").map((r) => [r.inquiry_ref!, Number(r.total_score)]));
}

/**
 * The study cut to `companies` companies (`first` among them) of `inquiries` inquiries each: for
 * tests of what happens around a company's files (jobs, downloads, the CLI), where a full
 * report of 25 inquiries per company would cost seconds of CPU each.
 */
export function smallSample(full: StudyData, first: string, companies = 3, inquiries = 4): StudyData {
  const codes = [first, ...full.participants.map((p) => p.code).filter((c) => c !== first)].slice(0, companies);
  const seen = new Map<string, number>();
  return {
    ...full,
    participants: full.participants.filter((p) => codes.includes(p.code)),
    inquiries: full.inquiries.filter((i) => {
      if (!codes.includes(i.participantCode)) return false;
      const n = (seen.get(i.participantCode) ?? 0) + 1;
      seen.set(i.participantCode, n);
      return n <= inquiries;
    }),
  };
}

/**
 * An inquiry's score in an area per scoring.md, computed here from its raw points (points over
 * the maximum of the area's answered scored questions, in per cent; null when unanswered or none
 * answered), unrounded: what the pages' and the API's area figures are checked against.
 */
export function rawAreaScore(study: StudyData, inquiry: InquiryRow, area: string): number | null {
  if (!inquiry.answered) return null;
  let points = 0;
  let max = 0;
  for (const q of study.questionnaire.questions) {
    if (q.areaCode === area && q.kind === "points" && inquiry.answers[q.code] !== undefined) {
      points += inquiry.answers[q.code]!;
      max += q.maxPoints!;
    }
  }
  return max ? (100 * points) / max : null;
}
