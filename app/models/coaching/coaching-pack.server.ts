// Collects a coaching pack from the company's own rows: the chosen inquiries in full
// (through getInquiries, read as the inquiry page reads them, so the company's "hide agent
// names" setting holds here too), the class means of the frozen benchmark, the weakest
// areas and questions, and discussion questions per weak area. Runs inside withTenant: RLS
// keeps it to the company's rows.

import { and, eq, inArray } from "drizzle-orm";
import type { TenantScope } from "#db/client.server";
import * as s from "#db/schema";
import {
  MAX_PACK_INQUIRIES,
  transcriptExcerpt,
  weakSpots,
  type CoachingPack,
  type PackInquiry,
} from "~/domain/coaching-pack";
import type { Locale } from "~/domain/format";
import { formatNumber } from "~/domain/format";
import type { InquiryQuery } from "~/domain/inquiry-query";
import { translate } from "~/i18n/i18n";
import type { TenantStudy } from "~/models/insights/insights.server";
import { filterFromQuery, getInquiries, listAllInquiryRefs } from "~/models/insights/inquiries.server";

/** What a pack is made of, as stored with the export (coaching_exports.selection). */
export interface PackSelection {
  study: number;
  /** the inquiry list's filter and order (without page); used when `refs` is absent */
  filter: Omit<InquiryQuery, "page" | "study">;
  /** hand-picked inquiries, in the order given */
  refs?: string[];
  includeAgentNames: boolean;
}

export class PackSelectionError extends Error {
  constructor(
    readonly reason: "empty" | "tooMany" | "unknownRef",
    readonly detail: string = "",
  ) {
    super(`${reason} ${detail}`.trim());
    this.name = "PackSelectionError";
  }
}

/** The refs a selection stands for, in order; throws PackSelectionError when it cannot make a pack. */
export async function resolveSelection(scope: TenantScope, study: TenantStudy, selection: PackSelection): Promise<string[]> {
  let refs: string[];
  if (selection.refs) {
    const wanted = [...new Set(selection.refs)];
    if (wanted.length > MAX_PACK_INQUIRIES) throw new PackSelectionError("tooMany", String(wanted.length));
    const found = wanted.length === 0 ? [] : await scope.tx
      .select({ ref: s.inquiries.ref })
      .from(s.inquiries)
      .where(and(eq(s.inquiries.tenantId, scope.tenantId), eq(s.inquiries.studyId, study.studyId), inArray(s.inquiries.ref, wanted)));
    const known = new Set(found.map((r) => r.ref));
    // Another company's ref is as unknown here as one that never existed.
    const missing = wanted.find((ref) => !known.has(ref));
    if (missing !== undefined) throw new PackSelectionError("unknownRef", missing);
    refs = wanted;
  } else {
    refs = await listAllInquiryRefs(scope, study.studyId, filterFromQuery(selection.filter), selection.filter.sort, MAX_PACK_INQUIRIES + 1);
    if (refs.length > MAX_PACK_INQUIRIES) throw new PackSelectionError("tooMany", `>${MAX_PACK_INQUIRIES}`);
  }
  if (refs.length === 0) throw new PackSelectionError("empty");
  return refs;
}

/** One readable line per filter in the selection, e.g. "Kanal: Messenger". */
export function selectionLines(selection: PackSelection, locale: Locale, areaNames: Map<string, string>): string[] {
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate(locale, key, params);
  if (selection.refs) return [t("companyCoaching.selection.handPicked", { count: selection.refs.length })];
  const f = selection.filter;
  const lines: string[] = [];
  if (f.channel) lines.push(`${t("trends.channel")}: ${t(`channel.${f.channel}`)}`);
  if (f.band) lines.push(`${t("overview.bands.band")}: ${t(`band.${f.band}`)}`);
  if (f.answered) lines.push(`${t("inquiries.answered")}: ${t(f.answered === "yes" ? "inquiries.answeredYes" : "inquiries.answeredNo")}`);
  if (f.gender) lines.push(`${t("inquiries.gender")}: ${t(`gender.${f.gender}`)}`);
  if (f.age) lines.push(`${t("inquiries.age")}: ${t("variance.ageGroup", { group: f.age })}`);
  if (f.region) lines.push(`${t("inquiries.region")}: ${f.region}`);
  if (f.area && f.below !== undefined) lines.push(`${t("inquiries.area")}: ${areaNames.get(f.area) ?? f.area} < ${formatNumber(f.below, locale, 0)}`);
  if (f.min !== undefined) lines.push(`${t("inquiries.min")}: ${formatNumber(f.min, locale, 0)}`);
  if (f.max !== undefined) lines.push(`${t("inquiries.max")}: ${formatNumber(f.max, locale, 0)}`);
  if (f.q) lines.push(`${t("inquiries.text")}: «${f.q}»`);
  if (f.goal) lines.push(`${t("targets.filter.label")}: ${t(`targets.filter.${f.goal}`)}`);
  if (lines.length === 0) lines.push(t("companyCoaching.selection.all"));
  return lines;
}

/** Inquiries read at a time while collecting a pack: a few statements for a pack, and a progress step for a large one. */
const READ_CHUNK = 50;

const DISCUSSION_KEYS = ["companyCoaching.discuss.lowest", "companyCoaching.discuss.best", "companyCoaching.discuss.habit"] as const;

/**
 * Builds the pack. `onProgress(done, total)` is called after each chunk of inquiries is read.
 * Refs the company no longer has (e.g. deleted since) are left out.
 */
export async function collectPack(
  scope: TenantScope,
  study: TenantStudy,
  input: { selection: PackSelection; refs: string[]; companyName: string; locale: Locale; now?: Date; onProgress?: (done: number, total: number) => void },
): Promise<CoachingPack> {
  const { tx } = scope;
  const areaRows = await tx
    .select({ code: s.areas.code, name: s.areas.name, classMean: s.benchmarkClassArea.mean, shown: s.benchmarkClass.shown })
    .from(s.areas)
    .leftJoin(s.benchmarkClassArea, and(eq(s.benchmarkClassArea.areaId, s.areas.id), eq(s.benchmarkClassArea.classId, study.classId)))
    .leftJoin(s.benchmarkClass, eq(s.benchmarkClass.classId, study.classId))
    .where(eq(s.areas.studyId, study.studyId));
  const areaMeans = new Map(areaRows.map((a) => [a.code, a.shown ? (a.classMean ?? null) : null]));
  const areaNames = new Map(areaRows.map((a) => [a.code, a.name]));
  const [classRow] = await tx
    .select({ mean: s.benchmarkClass.mean, shown: s.benchmarkClass.shown })
    .from(s.benchmarkClass)
    .where(eq(s.benchmarkClass.classId, study.classId));

  // Read in chunks, each in three statements (getInquiries), with progress after each chunk.
  const inquiries: PackInquiry[] = [];
  for (let start = 0; start < input.refs.length; start += READ_CHUNK) {
    for (const detail of await getInquiries(scope, study.studyId, input.refs.slice(start, start + READ_CHUNK))) {
      inquiries.push({
        ref: detail.ref,
        channel: detail.channel,
        contactedAt: detail.contactedAt.toISOString(),
        answered: detail.answered,
        totalScore: detail.totalScore,
        band: detail.band,
        attempts: detail.attempts,
        waitSeconds: detail.waitSeconds,
        agentName: input.selection.includeAgentNames ? detail.agentName : null,
        shopper: detail.shopper,
        scenario: detail.scenario,
        comment: detail.comment,
        transcriptExcerpt: transcriptExcerpt(detail.transcript),
        areas: detail.areas.map((a) => ({ ...a, classMean: areaMeans.get(a.code) ?? null })),
        questions: detail.questions.map((q) => ({ ...q, areaName: areaNames.get(q.areaCode) ?? q.areaCode })),
      });
    }
    input.onProgress?.(Math.min(start + READ_CHUNK, input.refs.length), input.refs.length);
  }

  const { weakAreas, weakQuestions } = weakSpots(inquiries);
  const total = inquiries.reduce((sum, i) => sum + i.totalScore, 0);
  const t = (key: (typeof DISCUSSION_KEYS)[number], params: Record<string, string>) => translate(input.locale, key, params);
  return {
    locale: input.locale,
    generatedAt: (input.now ?? new Date()).toISOString(),
    companyName: input.companyName,
    study: { year: study.year, name: study.name },
    className: study.className,
    selection: selectionLines(input.selection, input.locale, areaNames),
    includeAgentNames: input.selection.includeAgentNames,
    summary: {
      count: inquiries.length,
      answered: inquiries.filter((i) => i.answered).length,
      meanScore: inquiries.length === 0 ? null : total / inquiries.length,
      classMeanScore: classRow?.shown ? (classRow.mean ?? null) : null,
      weakAreas,
      weakQuestions,
    },
    discussion: weakAreas.map((area) => {
      const question = weakQuestions.find((q) => q.areaName === area.name);
      return {
        areaName: area.name,
        questions: DISCUSSION_KEYS.map((key) => t(key, { area: area.name, question: question?.name ?? area.name })),
      };
    }),
    inquiries,
  };
}
