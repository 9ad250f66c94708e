// Action plans (issue 18): a company's plans, written in its tenant scope (RLS), each change in
// its audit log; evaluated against the next published study (evaluatePlansForStudy, in the
// publishing transaction) and their owners reminded a week before the due date (remindPlanOwners,
// a job). Every metric value comes from the one evaluator, ../insights/plan-metrics.server.

import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lt, lte, ne, or, sql, type SQL } from "drizzle-orm";
import type { Db, Executor, TenantScope } from "#db/client.server";
import * as s from "#db/schema";
import { formatDate, type Locale } from "~/domain/format";
import { addDays, isMet, metricColumns, metricFromColumns, osloToday, REMINDER_DAYS_BEFORE, type PlanMetric, type PlanStatus } from "~/domain/plans";
import { CHANNELS } from "~/domain/types";
import { env } from "~/env.server";
import { isLocale, translate } from "~/i18n/i18n";
import { enqueueEmail } from "~/mail/outbox.server";
import { recordTenantAction } from "~/models/admin/audit.server";
import { isUuid } from "~/models/coaching/coaching-exports.server";
import { getTrends } from "~/models/insights/trends.server";
import { metricValues } from "~/models/insights/plan-metrics.server";

/** A refused input, named by its form field and a catalogue key (the route shows it beside the field). */
export class PlanInputError extends Error {
  constructor(
    readonly field: "owner" | "metric" | "packs" | "bookings",
    readonly key: string,
  ) {
    super(key);
  }
}

export interface PlanInput {
  title: string;
  ownerId: string | null;
  metric: PlanMetric;
  target: number;
  dueDate: string;
  status: PlanStatus;
  notes: string;
  exportIds: string[];
  bookingIds: string[];
}

export interface PlanRow {
  id: string;
  title: string;
  ownerId: string | null;
  ownerName: string | null;
  metric: PlanMetric;
  /** the area's name or the question's text, where the metric has one */
  metricName: string | null;
  baseline: number | null;
  baselineYear: number | null;
  target: number;
  dueDate: string;
  status: PlanStatus;
  notes: string;
  result: number | null;
  resultYear: number | null;
  met: boolean | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface PlanFilter {
  status?: PlanStatus;
  ownerId?: string;
  overdue?: boolean;
}

const baselineStudy = sql`(select year from studies where id = ${s.actionPlans.baselineStudyId})`;
const resultStudy = sql`(select year from studies where id = ${s.actionPlans.resultStudyId})`;
// The name as the newest study the company took part in spells it.
const metricName = sql<string | null>`case ${s.actionPlans.metricKind}
  when 'area' then (select a.name from areas a join participations p on p.study_id = a.study_id and p.tenant_id = ${s.actionPlans.tenantId}
    join studies st on st.id = a.study_id where a.code = ${s.actionPlans.metricCode} order by st.year desc limit 1)
  when 'question' then (select q.text from questions q join participations p on p.study_id = q.study_id and p.tenant_id = ${s.actionPlans.tenantId}
    join studies st on st.id = q.study_id where q.code = ${s.actionPlans.metricCode} order by st.year desc limit 1)
  end`;

const planColumns = {
  id: s.actionPlans.id,
  title: s.actionPlans.title,
  ownerId: s.actionPlans.ownerId,
  ownerName: s.users.name,
  metricKind: s.actionPlans.metricKind,
  metricCode: s.actionPlans.metricCode,
  goalSeconds: s.actionPlans.goalSeconds,
  metricName,
  baseline: s.actionPlans.baseline,
  baselineYear: sql<number | null>`${baselineStudy}`,
  target: s.actionPlans.target,
  dueDate: s.actionPlans.dueDate,
  status: s.actionPlans.status,
  notes: s.actionPlans.notes,
  result: s.actionPlans.result,
  resultYear: sql<number | null>`${resultStudy}`,
  met: s.actionPlans.met,
  createdAt: s.actionPlans.createdAt,
  updatedAt: s.actionPlans.updatedAt,
};

type Selected = { [K in keyof typeof planColumns]: unknown };
function toPlan(row: Selected): PlanRow {
  const r = row as Record<string, unknown>;
  const { metricKind, metricCode, goalSeconds, ...rest } = r;
  return {
    ...(rest as Omit<PlanRow, "metric">),
    metric: metricFromColumns({ metricKind: metricKind as string, metricCode: metricCode as string, goalSeconds: goalSeconds as number | null }),
  };
}

const planQuery = (tx: Executor) =>
  tx
    .select(planColumns)
    .from(s.actionPlans)
    .leftJoin(s.users, eq(s.users.id, s.actionPlans.ownerId));

/** The company's plans, soonest due first, narrowed by status, owner and overdue (in Oslo). */
export async function listPlans({ tx, tenantId }: TenantScope, filter: PlanFilter = {}, now = new Date()): Promise<PlanRow[]> {
  const where: (SQL | undefined)[] = [eq(s.actionPlans.tenantId, tenantId)];
  if (filter.status) where.push(eq(s.actionPlans.status, filter.status));
  if (filter.ownerId) where.push(isUuid(filter.ownerId) ? eq(s.actionPlans.ownerId, filter.ownerId) : sql`false`);
  if (filter.overdue) where.push(and(ne(s.actionPlans.status, "done"), lt(s.actionPlans.dueDate, osloToday(now))));
  const rows = await planQuery(tx)
    .where(and(...where))
    .orderBy(asc(s.actionPlans.dueDate), asc(s.actionPlans.createdAt))
    .limit(1000);
  return rows.map(toPlan);
}

/** Plans past their due date and not done (the overview's count). */
export async function countOverduePlans({ tx, tenantId }: TenantScope, now = new Date()): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(s.actionPlans)
    .where(and(eq(s.actionPlans.tenantId, tenantId), ne(s.actionPlans.status, "done"), lt(s.actionPlans.dueDate, osloToday(now))));
  return row?.n ?? 0;
}

export interface PlanLink {
  kind: "pack" | "booking";
  id: string;
  label: string;
  at: Date;
}

export interface PlanDetail extends PlanRow {
  links: PlanLink[];
}

/** One plan of the company with its links; null for an id that is not the company's (404). */
export async function getPlan(scope: TenantScope, id: string): Promise<PlanDetail | null> {
  if (!isUuid(id)) return null;
  const { tx, tenantId } = scope;
  const [row] = await planQuery(tx).where(and(eq(s.actionPlans.tenantId, tenantId), eq(s.actionPlans.id, id)));
  if (!row) return null;
  const [packs, bookings] = await Promise.all([
    tx
      .select({ id: s.coachingExports.id, label: s.coachingExports.fileName, at: s.coachingExports.createdAt })
      .from(s.actionPlanLinks)
      .innerJoin(s.coachingExports, and(eq(s.coachingExports.tenantId, s.actionPlanLinks.tenantId), eq(s.coachingExports.id, s.actionPlanLinks.exportId)))
      .where(and(eq(s.actionPlanLinks.tenantId, tenantId), eq(s.actionPlanLinks.planId, id)))
      .orderBy(asc(s.coachingExports.createdAt)),
    tx
      .select({ id: s.bookings.id, label: s.coachingProducts.nameNb, at: s.coachSlots.startsAt })
      .from(s.actionPlanLinks)
      .innerJoin(s.bookings, and(eq(s.bookings.tenantId, s.actionPlanLinks.tenantId), eq(s.bookings.id, s.actionPlanLinks.bookingId)))
      .innerJoin(s.coachSlots, eq(s.coachSlots.id, s.bookings.slotId))
      .innerJoin(s.coachingProducts, eq(s.coachingProducts.id, s.bookings.productId))
      .where(and(eq(s.actionPlanLinks.tenantId, tenantId), eq(s.actionPlanLinks.planId, id)))
      .orderBy(asc(s.coachSlots.startsAt)),
  ]);
  return {
    ...toPlan(row),
    links: [...packs.map((p) => ({ kind: "pack" as const, ...p })), ...bookings.map((b) => ({ kind: "booking" as const, ...b }))],
  };
}

/** The company's members, by name: who may own a plan. */
export async function listPlanMembers({ tx, tenantId }: TenantScope): Promise<{ id: string; name: string }[]> {
  return tx
    .select({ id: s.users.id, name: s.users.name })
    .from(s.memberships)
    .innerJoin(s.users, eq(s.users.id, s.memberships.userId))
    .where(eq(s.memberships.tenantId, tenantId))
    .orderBy(asc(s.users.name));
}

export interface PlanFormOptions {
  members: { id: string; name: string }[];
  /** the year whose questionnaire names the areas and questions (the newest the company sees) */
  year: number | null;
  areas: { code: string; name: string }[];
  questions: { code: string; text: string; areaCode: string }[];
  packs: { id: string; label: string; at: Date }[];
  bookings: { id: string; label: string; at: Date }[];
}

/** What the plan form offers: the company's members, the newest study's areas and questions, its packs and bookings. */
export async function planFormOptions({ tx, tenantId }: TenantScope, now = new Date()): Promise<PlanFormOptions> {
  const [newest] = await tx
    .select({ id: s.studies.id, year: s.studies.year })
    .from(s.participations)
    .innerJoin(s.studies, eq(s.studies.id, s.participations.studyId))
    .where(and(eq(s.participations.tenantId, tenantId), inArray(s.studies.status, ["review", "published"])))
    .orderBy(desc(s.studies.year))
    .limit(1);
  const [members, areas, questions, packs, bookings] = await Promise.all([
    listPlanMembers({ tx, tenantId }),
    newest
      ? tx.select({ code: s.areas.code, name: s.areas.name }).from(s.areas).where(and(eq(s.areas.studyId, newest.id), sql`${s.areas.weight} > 0`)).orderBy(asc(s.areas.position))
      : [],
    newest
      ? tx
          .select({ code: s.questions.code, text: s.questions.text, areaCode: s.areas.code })
          .from(s.questions)
          .innerJoin(s.areas, eq(s.areas.id, s.questions.areaId))
          .where(and(eq(s.questions.studyId, newest.id), eq(s.questions.kind, "points")))
          .orderBy(asc(s.questions.position))
      : [],
    tx
      .select({ id: s.coachingExports.id, label: s.coachingExports.fileName, at: s.coachingExports.createdAt })
      .from(s.coachingExports)
      .where(and(eq(s.coachingExports.tenantId, tenantId), eq(s.coachingExports.status, "ready"), gt(s.coachingExports.expiresAt, now)))
      .orderBy(desc(s.coachingExports.createdAt))
      .limit(100),
    tx
      .select({ id: s.bookings.id, label: s.coachingProducts.nameNb, at: s.coachSlots.startsAt })
      .from(s.bookings)
      .innerJoin(s.coachSlots, eq(s.coachSlots.id, s.bookings.slotId))
      .innerJoin(s.coachingProducts, eq(s.coachingProducts.id, s.bookings.productId))
      .where(and(eq(s.bookings.tenantId, tenantId), inArray(s.bookings.status, ["held", "confirmed"])))
      .orderBy(desc(s.coachSlots.startsAt))
      .limit(100),
  ]);
  return { members, year: newest?.year ?? null, areas, questions, packs, bookings };
}

/** The newest published study the company took part in: where a baseline comes from. */
async function newestPublished({ tx, tenantId }: TenantScope): Promise<{ id: number; year: number } | null> {
  const [row] = await tx
    .select({ id: s.studies.id, year: s.studies.year })
    .from(s.participations)
    .innerJoin(s.studies, eq(s.studies.id, s.participations.studyId))
    .where(and(eq(s.participations.tenantId, tenantId), eq(s.studies.status, "published")))
    .orderBy(desc(s.studies.year))
    .limit(1);
  return row ?? null;
}

/**
 * Checks what the client named against the company's own rows (under RLS another company's
 * member, pack or booking is simply not there): the owner, the metric's code, every link.
 */
async function checkInput(scope: TenantScope, input: PlanInput): Promise<void> {
  const { tx, tenantId } = scope;
  if (input.ownerId !== null) {
    const [owner] = isUuid(input.ownerId)
      ? await tx.select({ id: s.memberships.userId }).from(s.memberships).where(and(eq(s.memberships.tenantId, tenantId), eq(s.memberships.userId, input.ownerId)))
      : [];
    if (!owner) throw new PlanInputError("owner", "plans.form.error.owner");
  }
  if (input.metric.kind === "area" || input.metric.kind === "question") {
    const table = input.metric.kind === "area" ? sql`areas` : sql`questions`;
    const [known] = await tx.execute(
      sql`select 1 from ${table} x join participations p on p.study_id = x.study_id and p.tenant_id = ${tenantId} where x.code = ${input.metric.code} limit 1`,
    ).then((r) => (Array.isArray(r) ? r : ((r as { rows: unknown[] }).rows ?? [])));
    if (!known) throw new PlanInputError("metric", "plans.form.error.metric");
  } else if (!(CHANNELS as readonly string[]).includes(input.metric.channel)) throw new PlanInputError("metric", "plans.form.error.metric");
  const exportIds = [...new Set(input.exportIds)];
  if (exportIds.length > 0) {
    const found = exportIds.every(isUuid)
      ? await tx.select({ id: s.coachingExports.id }).from(s.coachingExports).where(and(eq(s.coachingExports.tenantId, tenantId), inArray(s.coachingExports.id, exportIds)))
      : [];
    if (found.length !== exportIds.length) throw new PlanInputError("packs", "plans.form.error.pack");
  }
  const bookingIds = [...new Set(input.bookingIds)];
  if (bookingIds.length > 0) {
    const found = bookingIds.every(isUuid)
      ? await tx.select({ id: s.bookings.id }).from(s.bookings).where(and(eq(s.bookings.tenantId, tenantId), inArray(s.bookings.id, bookingIds)))
      : [];
    if (found.length !== bookingIds.length) throw new PlanInputError("bookings", "plans.form.error.booking");
  }
}

async function writeLinks({ tx, tenantId }: TenantScope, planId: string, input: PlanInput): Promise<void> {
  await tx.delete(s.actionPlanLinks).where(and(eq(s.actionPlanLinks.tenantId, tenantId), eq(s.actionPlanLinks.planId, planId)));
  const rows = [
    ...[...new Set(input.exportIds)].map((exportId) => ({ tenantId, planId, exportId })),
    ...[...new Set(input.bookingIds)].map((bookingId) => ({ tenantId, planId, bookingId })),
  ];
  if (rows.length > 0) await tx.insert(s.actionPlanLinks).values(rows);
}

const auditDetails = (id: string, input: PlanInput) => ({
  planId: id,
  title: input.title,
  ownerId: input.ownerId,
  metric: input.metric,
  target: input.target,
  dueDate: input.dueDate,
  status: input.status,
  packs: [...new Set(input.exportIds)],
  bookings: [...new Set(input.bookingIds)],
});

/** A new plan, its baseline from the newest published study (the value its pages show). */
export async function createPlan(scope: TenantScope, input: PlanInput, actorUserId: string): Promise<string> {
  await checkInput(scope, input);
  const { tx, tenantId } = scope;
  const study = await newestPublished(scope);
  const baseline = study ? (await metricValues(scope, study.year, [input.metric]))[0]! : null;
  const [row] = await tx
    .insert(s.actionPlans)
    .values({
      tenantId,
      title: input.title,
      ownerId: input.ownerId,
      ...metricColumns(input.metric),
      baselineStudyId: study?.id ?? null,
      baseline,
      target: input.target,
      dueDate: input.dueDate,
      status: input.status,
      notes: input.notes,
      createdBy: actorUserId,
    })
    .returning({ id: s.actionPlans.id });
  await writeLinks(scope, row!.id, input);
  await recordTenantAction(tx, tenantId, actorUserId, { action: "plan.create", details: { ...auditDetails(row!.id, input), baseline } });
  return row!.id;
}

/**
 * Saves a plan; false for an id that is not the company's. A changed metric takes a new baseline
 * and loses its result (it was the old metric's); a moved due date may be reminded of again.
 */
export async function updatePlan(scope: TenantScope, id: string, input: PlanInput, actorUserId: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const { tx, tenantId } = scope;
  const [current] = await tx
    .select({ metricKind: s.actionPlans.metricKind, metricCode: s.actionPlans.metricCode, goalSeconds: s.actionPlans.goalSeconds, dueDate: s.actionPlans.dueDate })
    .from(s.actionPlans)
    .where(and(eq(s.actionPlans.tenantId, tenantId), eq(s.actionPlans.id, id)))
    .for("update");
  if (!current) return false;
  await checkInput(scope, input);
  const columns = metricColumns(input.metric);
  const metricChanged = columns.metricKind !== current.metricKind || columns.metricCode !== current.metricCode || columns.goalSeconds !== current.goalSeconds;
  let rebased = {};
  if (metricChanged) {
    const study = await newestPublished(scope);
    const baseline = study ? (await metricValues(scope, study.year, [input.metric]))[0]! : null;
    rebased = { baselineStudyId: study?.id ?? null, baseline, resultStudyId: null, result: null, met: null, evaluatedAt: null };
  }
  await tx
    .update(s.actionPlans)
    .set({
      title: input.title,
      ownerId: input.ownerId,
      ...columns,
      ...rebased,
      target: input.target,
      dueDate: input.dueDate,
      status: input.status,
      notes: input.notes,
      updatedAt: sql`now()`,
      ...(input.dueDate !== current.dueDate ? { reminderSentAt: null } : {}),
    })
    .where(and(eq(s.actionPlans.tenantId, tenantId), eq(s.actionPlans.id, id)));
  // A target met or not is judged again against a stored result.
  await tx.execute(sql`update action_plans set met = result >= target where tenant_id = ${tenantId} and id = ${id} and result is not null`);
  await writeLinks(scope, id, input);
  await recordTenantAction(tx, tenantId, actorUserId, { action: "plan.update", details: auditDetails(id, input) });
  return true;
}

/** Deletes a plan with its links; false for an id that is not the company's. */
export async function deletePlan({ tx, tenantId }: TenantScope, id: string, actorUserId: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const [gone] = await tx
    .delete(s.actionPlans)
    .where(and(eq(s.actionPlans.tenantId, tenantId), eq(s.actionPlans.id, id)))
    .returning({ title: s.actionPlans.title });
  if (!gone) return false;
  await recordTenantAction(tx, tenantId, actorUserId, { action: "plan.delete", details: { planId: id, title: gone.title } });
  return true;
}

/**
 * At publication, in the publishing transaction (owner path): every plan of a company taking part
 * in the study whose baseline is from an earlier year and which has no result yet gets this
 * study's value and met or not met; a republication (a correction) evaluates again the plans it
 * evaluated, and refreshes the baselines it gave. Values by the one evaluator, per company.
 */
export async function evaluatePlansForStudy(tx: Executor, studyId: number, now = new Date()): Promise<number> {
  const [study] = await tx.select({ year: s.studies.year }).from(s.studies).where(eq(s.studies.id, studyId));
  if (!study) return 0;
  const plans = await tx
    .select({
      tenantId: s.actionPlans.tenantId,
      id: s.actionPlans.id,
      metricKind: s.actionPlans.metricKind,
      metricCode: s.actionPlans.metricCode,
      goalSeconds: s.actionPlans.goalSeconds,
      target: s.actionPlans.target,
      baselineStudyId: s.actionPlans.baselineStudyId,
      resultStudyId: s.actionPlans.resultStudyId,
    })
    .from(s.actionPlans)
    .innerJoin(s.participations, and(eq(s.participations.tenantId, s.actionPlans.tenantId), eq(s.participations.studyId, studyId)))
    .where(
      or(
        eq(s.actionPlans.resultStudyId, studyId),
        eq(s.actionPlans.baselineStudyId, studyId),
        and(isNull(s.actionPlans.resultStudyId), or(isNull(s.actionPlans.baselineStudyId), sql`(select year from studies where id = ${s.actionPlans.baselineStudyId}) < ${study.year}`)),
      ),
    );
  const byTenant = new Map<string, typeof plans>();
  for (const plan of plans) byTenant.set(plan.tenantId, [...(byTenant.get(plan.tenantId) ?? []), plan]);
  for (const [tenantId, own] of byTenant) {
    const scope = { tx: tx as TenantScope["tx"], tenantId };
    const values = await metricValues(scope, study.year, own.map(metricFromColumns), await getTrends(scope));
    for (const [i, plan] of own.entries()) {
      const value = values[i]!;
      const where = and(eq(s.actionPlans.tenantId, tenantId), eq(s.actionPlans.id, plan.id));
      if (plan.baselineStudyId === studyId) await tx.update(s.actionPlans).set({ baseline: value }).where(where);
      else await tx.update(s.actionPlans).set({ resultStudyId: studyId, result: value, met: isMet(value, plan.target), evaluatedAt: now }).where(where);
    }
  }
  return plans.length;
}

/**
 * The owner of each plan due within a week (in Oslo) and not done gets one e-mail, in their
 * language, once per due date: the mark is set in the transaction that queues the mail, on a
 * locked row, so two workers never send it twice.
 */
export async function remindPlanOwners(db: Db, now = new Date()): Promise<number> {
  const today = osloToday(now);
  const horizon = addDays(today, REMINDER_DAYS_BEFORE);
  return db.transaction(async (tx) => {
    const due = await tx
      .select({
        tenantId: s.actionPlans.tenantId,
        id: s.actionPlans.id,
        title: s.actionPlans.title,
        dueDate: s.actionPlans.dueDate,
        email: s.users.email,
        name: s.users.name,
        locale: s.users.locale,
        company: s.participants.name,
      })
      .from(s.actionPlans)
      .innerJoin(s.users, eq(s.users.id, s.actionPlans.ownerId))
      .innerJoin(s.participants, eq(s.participants.id, s.actionPlans.tenantId))
      .where(
        and(
          isNull(s.actionPlans.reminderSentAt),
          isNotNull(s.actionPlans.ownerId),
          ne(s.actionPlans.status, "done"),
          lte(s.actionPlans.dueDate, horizon),
          sql`${s.actionPlans.dueDate} >= ${today}`,
          isNull(s.users.disabledAt),
        ),
      )
      .for("update", { of: s.actionPlans, skipLocked: true });
    for (const plan of due) {
      const locale: Locale = isLocale(plan.locale) ? plan.locale : "nb";
      const params = {
        name: plan.name,
        title: plan.title,
        company: plan.company,
        // Noon UTC is the same calendar day in Oslo.
        due: formatDate(new Date(`${plan.dueDate}T12:00:00Z`), locale),
        link: `${env().publicUrl}/company/plans/${plan.id}`,
      };
      await enqueueEmail(tx, { to: plan.email, subject: translate(locale, "plans.mail.reminder.subject", params), text: translate(locale, "plans.mail.reminder.body", params) });
      await tx
        .update(s.actionPlans)
        .set({ reminderSentAt: now })
        .where(and(eq(s.actionPlans.tenantId, plan.tenantId), eq(s.actionPlans.id, plan.id)));
    }
    return due.length;
  });
}
