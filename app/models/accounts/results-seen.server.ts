import { sql } from "drizzle-orm";
import { resultRows, type Db } from "#db/client.server";

export interface NewResults {
  year: number;
  name: string;
}

/**
 * The company pages' "new results" banner: the published studies of the person's current
 * company that the person has not been told about yet, recorded as told in the same statement
 * (one round trip: INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING gives exactly the rows
 * that were new, so two tabs opened at once cannot both show it, and a second visit shows nothing).
 *
 * Once per person and study, whichever company it came through: a person in two companies that
 * both took part in the same study hears about that study once, and about a study only the other
 * company took part in when they switch to it.
 *
 * Only news counts as news: a study published before the person's membership of this company
 * began (they joined a company whose results were already out: the overview simply shows them),
 * or more than 30 days ago (someone back from a long leave), gives no banner, and is not recorded
 * either. Studies in draft or review never do (status published only).
 *
 * Owner path (results_seen is the person's own row, not tenant data); the company is named by the
 * caller from the session's membership, and the membership join checks it once more.
 */
export async function takeNewResults(db: Db, userId: string, tenantId: string): Promise<NewResults[]> {
  const rows = resultRows<{ year: number; name: string }>(
    await db.execute(sql`
      with fresh as (
        insert into results_seen (user_id, study_id)
        select m.user_id, st.id
        from memberships m
        join participations p on p.tenant_id = m.tenant_id
        join studies st on st.id = p.study_id
        where m.tenant_id = ${tenantId} and m.user_id = ${userId}
          and st.status = 'published'
          and st.published_at >= m.created_at
          and st.published_at > now() - interval '${sql.raw(String(NEWS_DAYS))} days'
        on conflict do nothing
        returning study_id
      )
      select st.year, st.name from fresh join studies st on st.id = fresh.study_id order by st.year desc`),
  );
  return rows.map((r) => ({ year: Number(r.year), name: r.name }));
}

/** How long after its publication a study is still news to its companies' members. */
export const NEWS_DAYS = 30;
