// The vocabulary of spec/scoring.md and spec/import-format.md, shared by every layer.

export const CHANNELS = ["phone", "email", "chat", "messenger"] as const;
export type Channel = (typeof CHANNELS)[number];

export const QUESTION_KINDS = ["points", "nps", "csat", "ces", "scale7"] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];
/** Unscored customer-experience kinds and the whole-number range an answer may take. */
export const CX_RANGES: Record<Exclude<QuestionKind, "points">, readonly [number, number]> = {
  nps: [0, 10],
  csat: [1, 5],
  ces: [1, 7],
  scale7: [1, 7],
};

export const BANDS = ["perfect", "high", "mid", "low"] as const;
export type Band = (typeof BANDS)[number];

export const GENDERS = ["female", "male", "other"] as const;
export type Gender = (typeof GENDERS)[number];

export const ROLES = ["manager", "teamlead", "viewer"] as const;
export type TenantRole = (typeof ROLES)[number];

/** The years a study may have (staff form, URL, CLI). Here, not in a .server module, so a form schema in the browser sees them too. */
export const MIN_STUDY_YEAR = 2000;
export const MAX_STUDY_YEAR = 2100;

/** The three files a study is imported from, in the order staff load them. */
export const IMPORT_KINDS = ["questionnaire", "participants", "results"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export interface AreaDef {
  code: string;
  name: string;
  /** Positive, or 0 only for an area whose questions are all unscored. */
  weight: number;
}

export interface QuestionDef {
  code: string;
  areaCode: string;
  text: string;
  kind: QuestionKind;
  /** 1..10 for `points`, null for the unscored kinds. */
  maxPoints: number | null;
  /** null = applies to every channel. */
  channels: Channel[] | null;
}

export interface Questionnaire {
  areas: AreaDef[];
  questions: QuestionDef[];
}

export interface ParticipantRow {
  code: string;
  name: string;
  classCode: string;
  className: string;
  orgNumber: string | null;
}

export interface ShopperRow {
  code: string;
  gender: Gender;
  age: number;
  region: string;
}

export interface InquiryRow {
  ref: string;
  participantCode: string;
  channel: Channel;
  shopper: ShopperRow;
  scenario: string;
  /** The (first) attempt. */
  contactedAt: Date;
  attempts: 1 | 2;
  answered: boolean;
  waitSeconds: number | null;
  agentName: string | null;
  comment: string | null;
  transcript: string | null;
  /** question code -> whole number given; a question absent here was empty (not applicable). */
  answers: Record<string, number>;
}

/** One study's three files, validated. */
export interface StudyData {
  year: number;
  name: string;
  questionnaire: Questionnaire;
  participants: ParticipantRow[];
  inquiries: InquiryRow[];
}
