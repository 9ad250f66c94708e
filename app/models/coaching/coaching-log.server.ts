// The coaching log (issue 18): sessions a team lead records, with the inquiries and the pack
// they worked through. Every function takes the tenant scope first and filters by it (RLS is
// the second wall); ids, refs and pack ids from the form are checked to be the company's own,
// and one of another company is answered as if it did not exist. Every change is in the
// company's audit log, without the coached person's name (the log outlives the entry).

import { and, asc, desc, eq, ilike, inArray, or, sql, type SQL } from "drizzle-orm";
import { likeContains, type TenantScope } from "#db/client.server";
import * as s from "#db/schema";
import type { COACHED_KINDS } from "~/domain/coaching-log";
import { recordTenantAction } from "~/models/admin/audit.server";
import { hidesAgentNames } from "~/models/insights/inquiries.server";
import { VISIBLE_STATUSES } from "~/models/insights/insights.server";

export type CoachedKind = (typeof COACHED_KINDS)[number];

export interface CoachingLogInput {
  /** YYYY-MM-DD */
  sessionDate: string;
  coached: string;
  coachedKind: CoachedKind;
  habit: string;
  /** inquiry refs of the company's visible studies */
  refs: string[];
  packId: string | null;
  followUpDate: string | null;
}

export interface CoachingLogEntry {
  id: string;
  sessionDate: string;
  /** null: a first name while the company hides agent names */
  coached: string | null;
  coachedKind: CoachedKind;
  habit: string;
  followUpDate: string | null;
  pack: { id: string; fileName: string } | null;
  inquiries: { ref: string; year: number }[];
  createdByName: string | null;
}

export interface CoachingLogFilter {
  q?: string;
  /** overdue: follow-up before today; upcoming: today or later; none: no follow-up set */
  followUp?: "overdue" | "upcoming" | "none";
  /** YYYY-MM-DD, inclusive */
  from?: string;
  to?: string;
}

export type WriteError = { error: "unknownRefs"; refs: string[] } | { error: "unknownPack" } | { error: "namesHidden" };

/** The refs resolved to the company's inquiries; a ref in several years means the latest. */
async function resolveRefs({ tx, tenantId }: TenantScope, refs: string[]): Promise<{ ids: string[]; unknown: string[] }> {
  const wanted = [...new Set(refs)];
  if (wanted.length === 0) return { ids: [], unknown: [] };
  const rows = await tx
    .select({ id: s.inquiries.id, ref: s.inquiries.ref, year: s.studies.year })
    .from(s.inquiries)
    .innerJoin(s.studies, eq(s.studies.id, s.inquiries.studyId))
    .where(and(eq(s.inquiries.tenantId, tenantId), inArray(s.inquiries.ref, wanted), inArray(s.studies.status, VISIBLE_STATUSES)))
    .orderBy(desc(s.studies.year));
  const byRef = new Map<string, string>();
  for (const r of rows) if (!byRef.has(r.ref)) byRef.set(r.ref, r.id);
  return { ids: [...byRef.values()], unknown: wanted.filter((ref) => !byRef.has(ref)) };
}

async function checkInput(scope: TenantScope, input: CoachingLogInput): Promise<WriteError | { inquiryIds: string[] }> {
  if (input.coachedKind === "name" && (await hidesAgentNames(scope))) return { error: "namesHidden" };
  if (input.packId) {
    const [pack] = await scope.tx
      .select({ id: s.coachingExports.id })
      .from(s.coachingExports)
      .where(and(eq(s.coachingExports.tenantId, scope.tenantId), eq(s.coachingExports.id, input.packId)));
    if (!pack) return { error: "unknownPack" };
  }
  const { ids, unknown } = await resolveRefs(scope, input.refs);
  if (unknown.length > 0) return { error: "unknownRefs", refs: unknown };
  return { inquiryIds: ids };
}

/** The entry's own columns, as the form gives them (create and update alike). */
const entryColumns = (input: CoachingLogInput) => ({
  sessionDate: input.sessionDate,
  coached: input.coached,
  coachedKind: input.coachedKind,
  habit: input.habit,
  packId: input.packId,
  followUpDate: input.followUpDate,
});

/** Links the entry to its inquiries and records the write in the company's audit log. */
async function linkAndRecord(
  { tx, tenantId }: TenantScope,
  id: string,
  input: CoachingLogInput,
  inquiryIds: string[],
  actorUserId: string,
  action: "coaching.log.create" | "coaching.log.update",
): Promise<void> {
  if (inquiryIds.length > 0) await tx.insert(s.coachingLogInquiries).values(inquiryIds.map((inquiryId) => ({ tenantId, entryId: id, inquiryId })));
  const details = { entryId: id, sessionDate: input.sessionDate, followUpDate: input.followUpDate, inquiries: inquiryIds.length, packId: input.packId };
  await recordTenantAction(tx, tenantId, actorUserId, { action, details });
}

export async function createCoachingLogEntry(scope: TenantScope, input: CoachingLogInput, actorUserId: string): Promise<{ id: string } | WriteError> {
  const checked = await checkInput(scope, input);
  if ("error" in checked) return checked;
  const { tx, tenantId } = scope;
  const [row] = await tx
    .insert(s.coachingLogEntries)
    .values({ tenantId, ...entryColumns(input), createdBy: actorUserId })
    .returning({ id: s.coachingLogEntries.id });
  const id = row!.id;
  await linkAndRecord(scope, id, input, checked.inquiryIds, actorUserId, "coaching.log.create");
  return { id };
}

/** null when the entry is not the company's (or does not exist). */
export async function updateCoachingLogEntry(scope: TenantScope, id: string, input: CoachingLogInput, actorUserId: string): Promise<{ id: string } | WriteError | null> {
  const { tx, tenantId } = scope;
  const [existing] = await tx
    .select({ id: s.coachingLogEntries.id })
    .from(s.coachingLogEntries)
    .where(and(eq(s.coachingLogEntries.tenantId, tenantId), eq(s.coachingLogEntries.id, id)))
    .for("update");
  if (!existing) return null;
  const checked = await checkInput(scope, input);
  if ("error" in checked) return checked;
  await tx
    .update(s.coachingLogEntries)
    .set({ ...entryColumns(input), updatedAt: sql`now()` })
    .where(and(eq(s.coachingLogEntries.tenantId, tenantId), eq(s.coachingLogEntries.id, id)));
  await tx.delete(s.coachingLogInquiries).where(and(eq(s.coachingLogInquiries.tenantId, tenantId), eq(s.coachingLogInquiries.entryId, id)));
  await linkAndRecord(scope, id, input, checked.inquiryIds, actorUserId, "coaching.log.update");
  return { id };
}

/** false when the entry is not the company's (or does not exist). */
export async function deleteCoachingLogEntry({ tx, tenantId }: TenantScope, id: string, actorUserId: string): Promise<boolean> {
  const deleted = await tx
    .delete(s.coachingLogEntries)
    .where(and(eq(s.coachingLogEntries.tenantId, tenantId), eq(s.coachingLogEntries.id, id)))
    .returning({ sessionDate: s.coachingLogEntries.sessionDate });
  if (deleted.length === 0) return false;
  await recordTenantAction(tx, tenantId, actorUserId, { action: "coaching.log.delete", details: { entryId: id, sessionDate: deleted[0]!.sessionDate } });
  return true;
}

function filterWhere(tenantId: string, filter: CoachingLogFilter, today: string, hidden: boolean): SQL {
  const e = s.coachingLogEntries;
  const parts: (SQL | undefined)[] = [eq(e.tenantId, tenantId)];
  if (filter.q) {
    const pattern = likeContains(filter.q);
    // A hidden first name is not searchable either: the search would tell it.
    parts.push(or(ilike(e.habit, pattern), hidden ? and(eq(e.coachedKind, "label"), ilike(e.coached, pattern)) : ilike(e.coached, pattern)));
  }
  if (filter.followUp === "overdue") parts.push(sql`${e.followUpDate} < ${today}::date`);
  if (filter.followUp === "upcoming") parts.push(sql`${e.followUpDate} >= ${today}::date`);
  if (filter.followUp === "none") parts.push(sql`${e.followUpDate} is null`);
  if (filter.from) parts.push(sql`${e.sessionDate} >= ${filter.from}::date`);
  if (filter.to) parts.push(sql`${e.sessionDate} <= ${filter.to}::date`);
  return and(...parts)!;
}

async function entriesWhere(scope: TenantScope, where: SQL, hidden: boolean): Promise<CoachingLogEntry[]> {
  const { tx, tenantId } = scope;
  const e = s.coachingLogEntries;
  const rows = await tx
    .select({
      id: e.id,
      sessionDate: e.sessionDate,
      coached: e.coached,
      coachedKind: e.coachedKind,
      habit: e.habit,
      followUpDate: e.followUpDate,
      packId: s.coachingExports.id,
      packFile: s.coachingExports.fileName,
      createdByName: s.users.name,
    })
    .from(e)
    .leftJoin(s.coachingExports, and(eq(s.coachingExports.tenantId, e.tenantId), eq(s.coachingExports.id, e.packId)))
    .leftJoin(s.users, eq(s.users.id, e.createdBy))
    .where(where)
    .orderBy(desc(e.sessionDate), desc(e.createdAt))
    .limit(500);
  const ids = rows.map((r) => r.id);
  const links =
    ids.length === 0
      ? []
      : await tx
          .select({ entryId: s.coachingLogInquiries.entryId, ref: s.inquiries.ref, year: s.studies.year })
          .from(s.coachingLogInquiries)
          .innerJoin(s.inquiries, and(eq(s.inquiries.tenantId, s.coachingLogInquiries.tenantId), eq(s.inquiries.id, s.coachingLogInquiries.inquiryId)))
          .innerJoin(s.studies, eq(s.studies.id, s.inquiries.studyId))
          .where(and(eq(s.coachingLogInquiries.tenantId, tenantId), inArray(s.coachingLogInquiries.entryId, ids)))
          .orderBy(asc(s.inquiries.ref));
  return rows.map((r) => ({
    id: r.id,
    sessionDate: r.sessionDate,
    coachedKind: r.coachedKind as CoachedKind,
    coached: hidden && r.coachedKind === "name" ? null : r.coached,
    habit: r.habit,
    followUpDate: r.followUpDate,
    pack: r.packId && r.packFile ? { id: r.packId, fileName: r.packFile } : null,
    inquiries: links.filter((l) => l.entryId === r.id).map(({ ref, year }) => ({ ref, year })),
    createdByName: r.createdByName,
  }));
}

/** The company's log, newest session first, with the filter applied; `today` is Oslo's date (YYYY-MM-DD). */
export async function listCoachingLog(scope: TenantScope, filter: CoachingLogFilter, today: string): Promise<{ entries: CoachingLogEntry[]; namesHidden: boolean }> {
  const hidden = await hidesAgentNames(scope);
  return { entries: await entriesWhere(scope, filterWhere(scope.tenantId, filter, today, hidden), hidden), namesHidden: hidden };
}

export async function getCoachingLogEntry(scope: TenantScope, id: string): Promise<{ entry: CoachingLogEntry; namesHidden: boolean } | null> {
  const hidden = await hidesAgentNames(scope);
  const [entry] = await entriesWhere(scope, and(eq(s.coachingLogEntries.tenantId, scope.tenantId), eq(s.coachingLogEntries.id, id))!, hidden);
  return entry ? { entry, namesHidden: hidden } : null;
}

/** The company's packs a session can be linked to, newest first. */
export async function listPackChoices({ tx, tenantId }: TenantScope): Promise<{ id: string; fileName: string; createdAt: Date }[]> {
  return tx
    .select({ id: s.coachingExports.id, fileName: s.coachingExports.fileName, createdAt: s.coachingExports.createdAt })
    .from(s.coachingExports)
    .where(eq(s.coachingExports.tenantId, tenantId))
    .orderBy(desc(s.coachingExports.createdAt))
    .limit(100);
}
