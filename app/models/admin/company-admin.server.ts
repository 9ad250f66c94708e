// Staff path over companies (tenants): list and search, one company's participations
// and people. Runs as the owner; guarded by requireStaff. Changes to a company's people are
// in ~/models/accounts/members.server (shared with the company's own managers).

import { asc, desc, eq, ilike, or, sql } from "drizzle-orm";
import { likeContains, type Db } from "#db/client.server";
import * as s from "#db/schema";
import { listMembers } from "~/models/accounts/members.server";

export const COMPANY_PAGE_SIZE = 50;

export async function listCompanies(db: Db, options: { q?: string; page?: number } = {}) {
  const q = options.q?.trim();
  const where = q ? or(ilike(s.participants.name, likeContains(q)), ilike(s.participants.code, likeContains(q)), eq(s.participants.orgNumber, q.replace(/\s/g, ""))) : undefined;
  const page = Math.max(1, options.page ?? 1);
  const rows = await db
    .select({
      id: s.participants.id,
      code: s.participants.code,
      name: s.participants.name,
      orgNumber: s.participants.orgNumber,
      years: sql<number[]>`coalesce((select array_agg(st.year order by st.year) from participations p join studies st on st.id = p.study_id where p.tenant_id = "participants"."id"), '{}')`,
      members: sql<number>`(select count(*)::int from memberships m where m.tenant_id = "participants"."id")`,
    })
    .from(s.participants)
    .where(where)
    .orderBy(asc(s.participants.name))
    .limit(COMPANY_PAGE_SIZE + 1)
    .offset((page - 1) * COMPANY_PAGE_SIZE);
  return { companies: rows.slice(0, COMPANY_PAGE_SIZE), hasNext: rows.length > COMPANY_PAGE_SIZE, page };
}

export async function findCompanyByCode(db: Db, code: string) {
  const [row] = await db.select().from(s.participants).where(eq(s.participants.code, code));
  return row ?? null;
}

export async function getCompany(db: Db, code: string) {
  const company = await findCompanyByCode(db, code);
  if (!company) return null;
  const participations = await db
    .select({
      year: s.studies.year,
      studyName: s.studies.name,
      status: s.studies.status,
      displayName: s.participations.displayName,
      className: s.classes.name,
      inquiries: s.participations.inquiryCount,
      answered: s.participations.answeredCount,
      totalScore: s.participations.totalScore,
    })
    .from(s.participations)
    .innerJoin(s.studies, eq(s.studies.id, s.participations.studyId))
    .innerJoin(s.classes, eq(s.classes.id, s.participations.classId))
    .where(eq(s.participations.tenantId, company.id))
    .orderBy(desc(s.studies.year));
  const people = await listMembers(db, company.id);
  return { company, participations: participations.map((p) => ({ ...p, totalScore: p.totalScore === null ? null : Number(p.totalScore) })), people };
}
