// A company's targets per study year (issue 18): total score, per area (by code) and per
// channel. Managers set them (targets:manage); every member reads them.

import { and, asc, eq, sql } from "drizzle-orm";
import type { TenantScope } from "#db/client.server";
import * as s from "#db/schema";
import { recordTenantAction } from "~/models/admin/audit.server";
import { NO_TARGETS, targetYearsOf, type YearTargets } from "~/domain/targets";
import { CHANNELS, type Channel } from "~/domain/types";
import { findTenantStudy, listTenantStudies } from "./insights.server";
import { getOverviewPage } from "./overview.server";
import { getResponseGoals, withinGoalShares, type GoalShare } from "./response-times.server";

type Kind = "total" | "area" | "channel";
interface TargetRow {
  year: number;
  kind: Kind;
  subject: string;
  target: number;
}

function toYearTargets(rows: TargetRow[]): YearTargets {
  const out: YearTargets = { total: null, channels: {}, areas: {} };
  for (const r of rows) {
    if (r.kind === "total") out.total = r.target;
    else if (r.kind === "channel") out.channels[r.subject as Channel] = r.target;
    else out.areas[r.subject] = r.target;
  }
  return out;
}

function toRows(year: number, t: YearTargets): TargetRow[] {
  return [
    ...(t.total === null ? [] : [{ year, kind: "total" as const, subject: "", target: t.total }]),
    ...CHANNELS.flatMap((c) => (t.channels[c] === undefined ? [] : [{ year, kind: "channel" as const, subject: c, target: t.channels[c]! }])),
    ...Object.entries(t.areas).map(([code, target]) => ({ year, kind: "area" as const, subject: code, target })),
  ];
}

const columns = { year: s.targets.year, kind: s.targets.kind, subject: s.targets.subject, target: s.targets.target };

/** The company's targets of one year; NO_TARGETS when none are set. */
export async function getTargets({ tx, tenantId }: TenantScope, year: number): Promise<YearTargets> {
  const rows = await tx.select(columns).from(s.targets).where(and(eq(s.targets.tenantId, tenantId), eq(s.targets.year, year)));
  return rows.length === 0 ? NO_TARGETS : toYearTargets(rows);
}

/** Every year's targets of the company (for the trends), by year. */
export async function listTargetsByYear({ tx, tenantId }: TenantScope): Promise<Record<number, YearTargets>> {
  const rows = await tx.select(columns).from(s.targets).where(eq(s.targets.tenantId, tenantId)).orderBy(asc(s.targets.year));
  const byYear: Record<number, TargetRow[]> = {};
  for (const r of rows) (byYear[r.year] ??= []).push(r);
  return Object.fromEntries(Object.entries(byYear).map(([year, list]) => [Number(year), toYearTargets(list)]));
}

const keyOf = (r: { kind: string; subject: string }) => `${r.kind}:${r.subject}`;

/**
 * A manager's targets of one year replace that year's (a field left empty has no target
 * afterwards). Every change is listed in one entry of the company's audit log; returns how
 * many changed (0: nothing written).
 */
export async function setTargets({ tx, tenantId }: TenantScope, input: { year: number; targets: YearTargets; actorUserId: string }): Promise<number> {
  const { year, actorUserId } = input;
  const before = new Map(toRows(year, await getTargets({ tx, tenantId }, year)).map((r) => [keyOf(r), r]));
  const after = new Map(toRows(year, input.targets).map((r) => [keyOf(r), r]));
  const changes: { kind: Kind; subject: string; from: number | null; to: number | null }[] = [];
  for (const [key, r] of before) if (!after.has(key)) changes.push({ kind: r.kind, subject: r.subject, from: r.target, to: null });
  for (const [key, r] of after) {
    const from = before.get(key)?.target ?? null;
    if (from !== r.target) changes.push({ kind: r.kind, subject: r.subject, from, to: r.target });
  }
  for (const c of changes) {
    const where = and(eq(s.targets.tenantId, tenantId), eq(s.targets.year, year), eq(s.targets.kind, c.kind), eq(s.targets.subject, c.subject));
    if (c.to === null) await tx.delete(s.targets).where(where);
    else
      await tx
        .insert(s.targets)
        .values({ tenantId, year, kind: c.kind, subject: c.subject, target: c.to, updatedBy: actorUserId })
        .onConflictDoUpdate({
          target: [s.targets.tenantId, s.targets.year, s.targets.kind, s.targets.subject],
          set: { target: c.to, updatedBy: actorUserId, updatedAt: sql`now()` },
        });
  }
  if (changes.length > 0) await recordTenantAction(tx, tenantId, actorUserId, { action: "targets.set", details: { year, changes } });
  return changes.length;
}

/** The scored areas a year's targets are set on: that year's questionnaire, or the newest before it the company saw. */
async function targetAreas({ tx }: TenantScope, studyYears: number[], year: number): Promise<{ code: string; name: string }[]> {
  const source = studyYears.find((y) => y === year) ?? studyYears.find((y) => y < year) ?? studyYears[0];
  if (source === undefined) return [];
  return tx
    .select({ code: s.areas.code, name: s.areas.name })
    .from(s.areas)
    .innerJoin(s.studies, eq(s.studies.id, s.areas.studyId))
    // Only areas that carry a score (not one of customer-experience questions alone).
    .where(and(eq(s.studies.year, source), sql`exists (select 1 from ${s.questions} q where q.area_id = ${s.areas.id} and q.kind = 'points')`))
    .orderBy(asc(s.areas.position));
}

/** The area codes a year's targets may name (the action checks the form against them). */
export async function targetAreaCodes(scope: TenantScope, year: number): Promise<{ code: string; name: string }[] | null> {
  const studyYears = (await listTenantStudies(scope)).map((x) => x.year);
  if (!targetYearsOf(studyYears).includes(year)) return null;
  return targetAreas(scope, studyYears, year);
}

/** The company's own results of a year a target can be held against; null without a study that year. */
export interface YearResults {
  status: "review" | "published";
  total: number;
  channels: Partial<Record<Channel, number>>;
  areas: Record<string, number>;
}

/**
 * Everything the targets page shows for one year: the year's targets, the areas to set them
 * on, the company's results of that year (if it took part) and its response-time goals with the
 * shares within them. Null for a year the company cannot set targets for (→ 404).
 */
export async function getTargetsPage(scope: TenantScope, year: number | undefined) {
  const studies = await listTenantStudies(scope);
  const studyYears = studies.map((x) => x.year);
  const years = targetYearsOf(studyYears);
  const chosen = year ?? studyYears[0] ?? years[0]!;
  if (!years.includes(chosen)) return null;
  const study = studies.find((x) => x.year === chosen) ?? null;
  const [targets, areas, page, goals] = await Promise.all([
    getTargets(scope, chosen),
    targetAreas(scope, studyYears, chosen),
    study ? getOverviewPage(scope, chosen) : Promise.resolve(null),
    getResponseGoals(scope),
  ]);
  const shares = study ? await withinGoalShares(scope.tx, scope.tenantId, study.studyId, goals) : [];
  const results: YearResults | null = page
    ? {
        status: page.overview.study.status,
        total: page.overview.totalScore,
        channels: Object.fromEntries(page.extras.channels.map((c) => [c.channel, c.score])),
        areas: Object.fromEntries(page.areas.flatMap((a) => (a.score === null ? [] : [[a.code, a.score]]))),
      }
    : null;
  return { years, year: chosen, studyYears, targets, areas, results, goals, shares };
}

/**
 * What the overview and the comparison show beside a year's figures: that year's targets and
 * the shares within the company's response-time goals (none without goals).
 */
export async function getYearFollowUp(scope: TenantScope, year: number): Promise<{ targets: YearTargets; shares: GoalShare[] }> {
  const [targets, study, goals] = await Promise.all([getTargets(scope, year), findTenantStudy(scope, year), getResponseGoals(scope)]);
  return { targets, shares: study ? await withinGoalShares(scope.tx, scope.tenantId, study.studyId, goals) : [] };
}
