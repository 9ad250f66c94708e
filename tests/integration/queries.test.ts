// Queries in the review window (spec/season.md): who may raise one, on what, until when; one
// open per inquiry and question; staff's answer applies an accepted change of points as a
// correction in the import history, scored by the one engine; both sides are mailed.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant, type Database } from "#db/client.server";
import * as s from "#db/schema";
import { scoreInquiry } from "~/domain/scoring";
import type { StudyData } from "~/domain/types";
import { answerQuery, listCompanyQueries, listQueryQueue, mailQueryDigest, queryCounts, raiseQuery, QueryError } from "~/models/studies/queries.server";
import { openReview } from "~/models/studies/season.server";
import { writeStudy } from "~/models/studies/study-write.server";
import { createTestDatabase } from "../support/db";
import { addMember, createUser } from "../support/factories";
import { sampleStudy } from "../support/sample-study";

const DAY = 86_400_000;

describe("queries", () => {
  let database: Database;
  let data: StudyData;
  let studyId: number;
  let ids: Map<string, string>;
  const now = new Date();
  const until = new Date(now.getTime() + 7 * DAY);
  let lead: { id: string; email: string };
  let staff: { id: string; email: string };

  beforeAll(async () => {
    database = await createTestDatabase();
    data = sampleStudy(2021);
    ({ studyId } = await database.db.transaction((tx) => writeStudy(tx, data)));
    ids = new Map((await database.db.select().from(s.participants)).map((p) => [p.code, p.id]));
    await openReview(database.db, studyId, { until, userId: null, now });
    lead = await createUser(database.db, { name: "Tina Teamleder" });
    staff = await createUser(database.db, { isStaff: true, name: "Stein Stab" });
  });
  afterAll(async () => {
    await database?.close();
  });

  /** An answered inquiry of the first company with a points question it scored 1 on (max above 1). */
  function pickInquiry() {
    const points = new Map(data.questionnaire.questions.filter((q) => q.kind === "points").map((q) => [q.code, q]));
    for (const inquiry of data.inquiries) {
      if (!inquiry.answered) continue;
      const code = Object.entries(inquiry.answers).find(([c, v]) => v === 1 && (points.get(c)?.maxPoints ?? 0) >= 2)?.[0];
      if (code) return { inquiry, code };
    }
    throw new Error("the sample has no answered inquiry with a 1 on a points question");
  }

  it("a team lead raises one open query per inquiry and question; a viewer, another company and a closed window are refused", async () => {
    const db = database.db;
    const { inquiry, code } = pickInquiry();
    const tenantId = ids.get(inquiry.participantCode)!;
    await addMember(db, tenantId, lead.id, "teamlead");
    const raise = (questionCode: string | null, role: "teamlead" | "viewer" = "teamlead", at = now, ref = inquiry.ref, tenant = tenantId) =>
      withTenant(db, tenant, (scope) => raiseQuery(scope, { year: 2021, ref, questionCode, reason: "Agenten svarte faktisk på spørsmålet.", userId: lead.id, role }, at));

    const first = await raise(code);
    await expect(raise(code)).rejects.toMatchObject({ code: "already-open" });
    const whole = await raise(null);
    expect(whole.id).not.toBe(first.id);
    await expect(raise(code, "viewer")).rejects.toMatchObject({ code: "forbidden" });
    await expect(raise("NO-SUCH")).rejects.toMatchObject({ code: "no-question" });
    await expect(raise(code, "teamlead", new Date(until.getTime() + 1000))).rejects.toMatchObject({ code: "closed" });

    // Another company: the inquiry does not exist for it, and nothing is written.
    const other = [...ids.entries()].find(([c]) => c !== inquiry.participantCode)![1];
    await expect(raise(code, "teamlead", now, inquiry.ref, other)).rejects.toBeInstanceOf(QueryError);
    const mine = await withTenant(db, tenantId, (scope) => listCompanyQueries(scope, { year: 2021 }));
    expect(mine).toHaveLength(2);
    const theirs = await withTenant(db, other, (scope) => listCompanyQueries(scope, { year: 2021 }));
    expect(theirs).toHaveLength(0);

    // The tenant role cannot answer its own query (only the raising columns are granted).
    const forged = await withTenant(db, tenantId, (scope) => scope.tx.update(s.inquiryQueries).set({ state: "accepted" }).where(eq(s.inquiryQueries.id, first.id))).then(
      () => "ok",
      (error: { cause?: { code?: string } }) => error.cause?.code,
    );
    expect(forged).toBe("42501");
    expect(await queryCounts(db, studyId)).toEqual({ open: 2, accepted: 0, partly_accepted: 0, rejected: 0 });
  });

  it("staff accept a change of 1 point to 2: a correction in the import history naming the query, the inquiry and company totals rescored", async () => {
    const db = database.db;
    const { inquiry, code } = pickInquiry();
    const tenantId = ids.get(inquiry.participantCode)!;
    const [query] = await listQueryQueue(db, studyId, { state: "open", company: inquiry.participantCode });
    expect(query!.questionCode === code || query!.questionCode === null).toBe(true);
    const target = (await listQueryQueue(db, studyId, { state: "open" })).find((q) => q.questionCode === code)!;

    const expected = scoreInquiry(data.questionnaire, { ...inquiry, answers: { ...inquiry.answers, [code]: 2 } }).totalScore;
    const { correction } = await answerQuery(db, { queryId: target.id, state: "accepted", answer: "Riktig, poenget er rettet.", changes: { [code]: 2 }, userId: staff.id });
    expect(correction!.after).toBe(expected);
    expect(correction!.after).toBeGreaterThan(correction!.before);

    const [stored] = await db.select().from(s.inquiries).where(and(eq(s.inquiries.studyId, studyId), eq(s.inquiries.ref, inquiry.ref)));
    expect(stored!.totalScore).toBe(expected);
    const [answer] = await db.select().from(s.answers).innerJoin(s.questions, eq(s.questions.id, s.answers.questionId)).where(and(eq(s.answers.inquiryId, stored!.id), eq(s.questions.code, code)));
    expect(answer!.answers.value).toBe(2);
    // The company's total is the mean of its stored inquiry totals (unanswered as 0).
    const all = await db.select({ score: s.inquiries.totalScore }).from(s.inquiries).where(and(eq(s.inquiries.studyId, studyId), eq(s.inquiries.tenantId, tenantId)));
    const [participation] = await db.select().from(s.participations).where(and(eq(s.participations.studyId, studyId), eq(s.participations.tenantId, tenantId)));
    expect(participation!.totalScore).toBeCloseTo(all.reduce((sum, r) => sum + r.score, 0) / all.length, 6);

    const [batch] = await db.select().from(s.importBatches).where(eq(s.importBatches.id, correction!.batchId));
    expect(batch!.queryId).toBe(target.id);
    expect(batch!.createdBy).toBe(staff.id);
    expect((batch!.replaced as { ref: string; answers: Record<string, number> }[])[0]).toMatchObject({ ref: inquiry.ref, answers: { [code]: 1 } });

    const [answered] = await listQueryQueue(db, studyId, { state: "accepted" });
    expect(answered).toMatchObject({ id: target.id, answer: "Riktig, poenget er rettet.", correctionBatchId: correction!.batchId });
    await expect(answerQuery(db, { queryId: target.id, state: "rejected", answer: "Igjen", userId: staff.id })).rejects.toMatchObject({ code: "not-open" });

    // The raiser hears of it, in their language, with the new total.
    const mails = await db.select().from(s.emailOutbox).where(eq(s.emailOutbox.toAddress, lead.email));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe(`Svar på spørsmålet om henvendelse ${inquiry.ref}`);
    expect(mails[0]!.textBody).toContain("Godtatt");
  });

  it("a rejected query changes nothing; after the deadline open queries can still be answered", async () => {
    const db = database.db;
    const [open] = await listQueryQueue(db, studyId, { state: "open" });
    const before = await db.select({ n: s.importBatches.id }).from(s.importBatches);
    await answerQuery(db, { queryId: open!.id, state: "rejected", answer: "Vurderingen står." , userId: staff.id }, new Date(until.getTime() + DAY));
    expect(await db.select({ n: s.importBatches.id }).from(s.importBatches)).toHaveLength(before.length);
    expect(await queryCounts(db, studyId)).toEqual({ open: 0, accepted: 1, partly_accepted: 0, rejected: 1 });
  });

  it("staff get one digest of new queries, and each query is in one digest only", async () => {
    const db = database.db;
    expect(await mailQueryDigest(db, new Date(Date.now() + 1000))).toBe(2);
    expect(await mailQueryDigest(db, new Date(Date.now() + 2000))).toBe(0);
    const digests = await db.select().from(s.emailOutbox).where(eq(s.emailOutbox.toAddress, staff.email));
    expect(digests).toHaveLength(1);
    expect(digests[0]!.subject).toBe("Nye spørsmål om resultater (2)");
  });
});
