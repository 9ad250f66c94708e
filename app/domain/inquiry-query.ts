// The inquiry list's filters and order as URL search parameters, so a view can be shared
// and the inquiry page can step through the same selection. Pure: used by loaders and links.

import * as z from "zod";
import { AGE_GROUPS, type AgeGroup } from "./age-group";
import { BANDS, CHANNELS, GENDERS, type Band, type Channel, type Gender } from "./types";

export const SORTS = ["newest", "oldest", "score-asc", "score-desc"] as const;
export type Sort = (typeof SORTS)[number];

export interface InquiryQuery {
  study?: number;
  channel?: Channel;
  band?: Band;
  gender?: Gender;
  age?: AgeGroup;
  region?: string;
  answered?: "yes" | "no";
  area?: string;
  below?: number;
  min?: number;
  max?: number;
  q?: string;
  /** against the company's response-time goal of the inquiry's channel (issue 18) */
  goal?: "outside" | "within";
  sort: Sort;
  page: number;
}

const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((v) => (v === "" ? undefined : v), z.enum(values).optional());
const optionalNumber = (min: number, max: number) =>
  z.preprocess((v) => (v === "" || v === undefined ? undefined : String(v).replace(",", ".")), z.coerce.number().min(min).max(max).optional());
const optionalText = (max: number) => z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), z.string().trim().max(max).optional());

const Schema = z.object({
  study: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().min(1900).max(2999).optional()),
  channel: optionalEnum(CHANNELS),
  band: optionalEnum(BANDS),
  gender: optionalEnum(GENDERS),
  age: optionalEnum(AGE_GROUPS),
  region: optionalText(100),
  answered: optionalEnum(["yes", "no"] as const),
  area: optionalText(20),
  below: optionalNumber(0, 100),
  min: optionalNumber(0, 100),
  max: optionalNumber(0, 100),
  q: optionalText(200),
  goal: optionalEnum(["outside", "within"] as const),
  sort: z.preprocess((v) => (v === "" ? undefined : v), z.enum(SORTS).default("newest")),
  page: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().min(1).max(100_000).default(1)),
});

/** null when a parameter is malformed (the page answers 400 with the reason). */
export function parseInquiryQuery(params: URLSearchParams): { ok: true; query: InquiryQuery } | { ok: false; field: string } {
  const result = Schema.safeParse(Object.fromEntries(params));
  if (!result.success) return { ok: false, field: String(result.error.issues[0]?.path[0] ?? "") };
  const query = result.data as InquiryQuery;
  if (query.min !== undefined && query.max !== undefined && query.min > query.max) return { ok: false, field: "min" };
  if ((query.area === undefined) !== (query.below === undefined)) return { ok: false, field: query.area === undefined ? "area" : "below" };
  return { ok: true, query };
}

/** The query as search parameters, defaults left out; `page` only when asked for. */
export function inquirySearch(query: Partial<InquiryQuery>, options: { page?: boolean } = {}): string {
  const params = new URLSearchParams();
  for (const key of ["study", "channel", "band", "gender", "age", "region", "answered", "area", "below", "min", "max", "q", "goal"] as const) {
    const value = query[key];
    if (value !== undefined && value !== "") params.set(key, String(value));
  }
  if (query.sort && query.sort !== "newest") params.set("sort", query.sort);
  if (options.page && query.page && query.page > 1) params.set("page", String(query.page));
  const text = params.toString();
  return text ? `?${text}` : "";
}
