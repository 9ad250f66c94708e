// Many inquiries in full at once (getInquiries: the coaching pack, the company report) read as
// the inquiry page reads one: the same details in the order asked for, the company's own only,
// its "hide agent names" setting kept, and areas and questions that match the raw rows.

import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant, type Database } from "#db/client.server";
import * as s from "#db/schema";
import { getInquiries, getInquiry } from "~/models/insights/inquiries.server";
import { publishStudy } from "~/models/studies/publish.server";
import { writeStudy } from "~/models/studies/study-write.server";
import { createTestDatabase } from "../support/db";
import { rawAreaScore, sampleStudy } from "../support/sample-study";

const study = sampleStudy(2021);
const A = "kystbanken";
const B = "fjordkraft-demo";
let database: Database;
let studyId: number;
let tenantA: string;
const own = () => study.inquiries.filter((i) => i.participantCode === A);

beforeAll(async () => {
  database = await createTestDatabase();
  ({ studyId } = await database.db.transaction((tx) => writeStudy(tx, study)));
  await publishStudy(database.db, studyId);
  const [a] = await database.db.select({ id: s.participants.id }).from(s.participants).where(eq(s.participants.code, A));
  tenantA = a!.id;
}, 120_000);

afterAll(async () => {
  await database?.close();
});

const asA = <T>(read: (scope: Parameters<Parameters<typeof withTenant>[2]>[0]) => Promise<T>) => withTenant(database.db, tenantA, read);


describe("reading many inquiries in full", () => {
  it("gives what the inquiry page reads for each, in the order asked, and only the company's own", async () => {
    const refs = own().map((i) => i.ref).reverse();
    const other = study.inquiries.find((i) => i.participantCode === B)!.ref;
    const asked = [refs[0]!, other, ...refs.slice(1), "no-such-ref"];

    const [many, oneByOne] = await asA(async (scope) => [await getInquiries(scope, studyId, asked), await Promise.all(asked.map((ref) => getInquiry(scope, studyId, ref)))]);

    expect(many.map((d) => d.ref)).toEqual(refs);
    expect(many).toEqual(oneByOne.filter((d) => d !== null));
    expect(await asA((scope) => getInquiries(scope, studyId, []))).toEqual([]);
  });

  it("matches the raw rows: every question's answer and every area's score", async () => {
    const rows = own();
    const details = await asA((scope) => getInquiries(scope, studyId, rows.map((i) => i.ref)));
    expect(details).toHaveLength(rows.length);
    for (const [index, row] of rows.entries()) {
      const detail = details[index]!;
      expect(detail.questions.map((q) => [q.code, q.points])).toEqual(study.questionnaire.questions.map((q) => [q.code, row.answers[q.code] ?? null]));
      for (const area of detail.areas) {
        const expected = rawAreaScore(study, row, area.code);
        if (expected === null) expect({ area: area.code, score: area.score }).toEqual({ area: area.code, score: null });
        else expect(area.score).toBeCloseTo(expected, 1);
      }
    }
  });

  it("keeps the company's hidden agent names hidden", async () => {
    const refs = own().map((i) => i.ref);
    const shown = await asA((scope) => getInquiries(scope, studyId, refs));
    expect(shown.some((d) => d.agentName !== null)).toBe(true);
    await database.db.update(s.participants).set({ hideAgentNames: true }).where(eq(s.participants.id, tenantA));
    try {
      const hidden = await asA((scope) => getInquiries(scope, studyId, refs));
      expect(hidden.map((d) => d.agentName)).toEqual(refs.map(() => null));
    } finally {
      await database.db.update(s.participants).set({ hideAgentNames: false }).where(eq(s.participants.id, tenantA));
    }
  });
});
