// Response-time goals (issue 18): the company's goal per channel, and the share of inquiries
// within it, the company's own against its class's. The one place the share is computed;
// the inquiry list's "outside the goal" filter uses the same rule (withinGoalSql).

import { and, eq, sql, type SQL } from "drizzle-orm";
import { resultRows, type TenantScope, type Tx } from "#db/client.server";
import * as s from "#db/schema";
import { recordTenantAction } from "~/models/admin/audit.server";
import { MIN_CONTRIBUTORS } from "~/models/studies/publish.server";
import { goalChannels, type ResponseGoals } from "~/domain/targets";
import { CHANNELS, type Channel } from "~/domain/types";

/** The company's goals, in seconds, by channel; a channel without a goal is absent. */
export async function getResponseGoals({ tx, tenantId }: TenantScope): Promise<ResponseGoals> {
  const rows = await tx
    .select({ channel: s.responseGoals.channel, seconds: s.responseGoals.goalSeconds })
    .from(s.responseGoals)
    .where(eq(s.responseGoals.tenantId, tenantId));
  return Object.fromEntries(rows.map((r) => [r.channel, r.seconds])) as ResponseGoals;
}

/**
 * A manager's goals replace the company's (a channel left out has no goal afterwards). Each
 * change is in the company's audit log; nothing is written when nothing changed.
 */
export async function setResponseGoals({ tx, tenantId }: TenantScope, input: { goals: ResponseGoals; actorUserId: string }): Promise<number> {
  const before = await getResponseGoals({ tx, tenantId });
  const changes = CHANNELS.flatMap((channel) => {
    const from = before[channel] ?? null;
    const to = input.goals[channel] ?? null;
    return from === to ? [] : [{ channel, from, to }];
  });
  for (const { channel, to } of changes) {
    if (to === null) {
      await tx.delete(s.responseGoals).where(and(eq(s.responseGoals.tenantId, tenantId), eq(s.responseGoals.channel, channel)));
    } else {
      await tx
        .insert(s.responseGoals)
        .values({ tenantId, channel, goalSeconds: to, updatedBy: input.actorUserId })
        .onConflictDoUpdate({
          target: [s.responseGoals.tenantId, s.responseGoals.channel],
          set: { goalSeconds: to, updatedBy: input.actorUserId, updatedAt: sql`now()` },
        });
    }
  }
  if (changes.length > 0) await recordTenantAction(tx, tenantId, input.actorUserId, { action: "response_goals.set", details: { changes } });
  return changes.length;
}

/**
 * An inquiry (`i`, a row of inquiries) is within the goal of `goalSeconds`: answered with a
 * recorded wait time of at most the goal (an unanswered inquiry has no wait time). The rule of
 * app/domain/targets.ts withinGoal, in SQL.
 */
export const withinGoalSql = (waitSeconds: SQL | typeof s.inquiries.waitSeconds, goalSeconds: SQL | typeof s.responseGoals.goalSeconds) =>
  sql`(${waitSeconds} is not null and ${waitSeconds} <= ${goalSeconds})`;

export interface GoalShare {
  channel: Channel;
  goalSeconds: number;
  /** the company's inquiries on the channel, answered or not */
  inquiries: number;
  within: number;
  /** within / inquiries; null when the company had no inquiry on the channel */
  share: number | null;
  /**
   * The class's share of inquiries within the same goal (every inquiry of the class's companies
   * on the channel counts once, the company's own included), frozen at publication. Null in
   * review and where fewer than 3 companies of the class had inquiries on the channel.
   */
  classShare: number | null;
  /** how many companies of the class had inquiries on the channel (0 in review) */
  classParticipants: number;
}

/**
 * Per channel with a goal: the share of the company's inquiries of a study within the goal,
 * against the class's. `goals` in seconds (getResponseGoals, or a plan's own). The study must
 * be one the company took part in; its class figures are read only once it is published.
 */
export async function withinGoalShares(tx: Tx, tenantId: string, studyId: number, goals: ResponseGoals): Promise<GoalShare[]> {
  const channels = goalChannels(goals);
  if (channels.length === 0) return [];
  const goalRows = sql.join(
    channels.map((c) => sql`(${c}::channel, ${goals[c]!}::int)`),
    sql`, `,
  );
  const rows = resultRows<{ channel: Channel; goal: number; inquiries: number; within: number; class_inquiries: number | null; class_within: number | null; class_participants: number | null }>(
    await tx.execute(sql`
      with g(channel, goal) as (values ${goalRows}),
      p as (
        select p.class_id, st.status from participations p join studies st on st.id = p.study_id
        where p.tenant_id = ${tenantId} and p.study_id = ${studyId}
      ),
      own as (
        select i.channel, count(*)::int as inquiries, count(*) filter (where ${withinGoalSql(sql`i.wait_seconds`, sql`g.goal`)})::int as within
        from inquiries i join g on g.channel = i.channel
        where i.tenant_id = ${tenantId} and i.study_id = ${studyId}
        group by i.channel
      ),
      cls as (
        select w.channel, sum(w.inquiries)::int as inquiries, (sum(w.inquiries) filter (where ${withinGoalSql(sql`w.wait_seconds`, sql`g.goal`)}))::int as within
        from benchmark_class_wait w join g on g.channel = w.channel join p on p.class_id = w.class_id and p.status = 'published'
        group by w.channel
      )
      select g.channel, g.goal, coalesce(own.inquiries, 0) as inquiries, coalesce(own.within, 0) as within,
             cls.inquiries as class_inquiries, coalesce(cls.within, 0) as class_within,
             (select b.participants from benchmark_class_channel b join p on p.class_id = b.class_id and p.status = 'published' where b.channel = g.channel) as class_participants
      from g left join own on own.channel = g.channel left join cls on cls.channel = g.channel`),
  );
  return CHANNELS.flatMap((channel) => {
    const r = rows.find((x) => x.channel === channel);
    if (!r) return [];
    const classParticipants = Number(r.class_participants ?? 0);
    const classInquiries = Number(r.class_inquiries ?? 0);
    const inquiries = Number(r.inquiries);
    return [
      {
        channel,
        goalSeconds: Number(r.goal),
        inquiries,
        within: Number(r.within),
        share: inquiries > 0 ? Number(r.within) / inquiries : null,
        classShare: classParticipants >= MIN_CONTRIBUTORS && classInquiries > 0 ? Number(r.class_within) / classInquiries : null,
        classParticipants,
      },
    ];
  });
}

/** withinGoalShares of a year the company may see, with its own goals; [] without goals. */
export async function getGoalShares(scope: TenantScope, studyId: number): Promise<{ goals: ResponseGoals; shares: GoalShare[] }> {
  const goals = await getResponseGoals(scope);
  return { goals, shares: await withinGoalShares(scope.tx, scope.tenantId, studyId, goals) };
}
