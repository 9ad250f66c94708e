// What the award files are drawn from (./diploma-pdf.server.tsx, ./badge.server.ts,
// ./results-list.server.ts, ./results-pdf.server.tsx): plain data, filled by the awards model
// from the figures frozen at publication. No server imports, so pages may share the types.

import type { Channel } from "~/domain/types";

export type { Channel };

export type AwardKind = "class" | "channel" | "overall";

/** One award to one company: what its diploma and badge say. */
export interface AwardCertificate {
  year: number;
  studyName: string;
  kind: AwardKind;
  /** the class, for kind "class"; else null */
  className: string | null;
  /** the channel, for kind "channel"; else null */
  channel: Channel | null;
  participantName: string;
  /** the stored score the award was decided on (total score, or the channel score) */
  score: number;
}

export interface AwardWinner {
  participantName: string;
  score: number;
}

export interface ResultsListRow {
  rank: number;
  participantName: string;
  totalScore: number;
}

export interface ResultsListClass {
  classCode: string;
  className: string;
  /** the class's participants that year; below MIN_RANKED_PARTICIPANTS no rank or score is published */
  participants: number;
  /** by rank, as the published ranking (benchmark_ranking) orders them */
  rows: ResultsListRow[];
}

/** The public results list of a year, for the press: class by class, then channel and overall winners. */
export interface ResultsList {
  year: number;
  studyName: string;
  classes: ResultsListClass[];
  /** every channel, in CHANNELS order; winners empty where nobody had 5 inquiries on it */
  channels: { channel: Channel; winners: AwardWinner[] }[];
  overall: { winners: AwardWinner[] };
}

/**
 * The product hides a class's ranking below 3 participants (benchmark_class.shown, the
 * anonymity rule of spec/scoring.md) and such a class names no winner (spec/season.md).
 */
/** Equal to MIN_CLASS_PARTICIPANTS of ~/models/studies/publish.server (not imported: this file is not server-only). */
export const MIN_RANKED_PARTICIPANTS = 3;

/** Whether the class's ranks and scores may be published. */
export function classRankingShown(entry: Pick<ResultsListClass, "participants">): boolean {
  return entry.participants >= MIN_RANKED_PARTICIPANTS;
}
