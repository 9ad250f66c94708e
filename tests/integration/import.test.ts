// The import pipeline end to end on the test database (PostgreSQL in CI): the sample
// files as CSV, as semicolon/decimal-comma CSV with a byte-order mark, and as XLSX,
// checked against the hand-computed expected-scores.csv; then re-import, correction,
// dry run, questionnaire changes and publishing.
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { and, eq, sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant, type Database } from "#db/client.server";
import * as s from "#db/schema";
import { scoreInquiry } from "~/domain/scoring";
import { runImport, type ImportKind, type ImportOutcome } from "~/models/studies/import.server";
import { getOverview } from "~/models/insights/overview.server";
import { createStudy, publishStudyAs } from "~/models/studies/study.server";
import { createTestDatabase } from "../support/db";
import { expectedScores, sampleStudy, samplesDir } from "../support/sample-study";

const raw = (name: string) => readFileSync(new URL(name, samplesDir));
const records = (name: string) => parse(raw(name), { bom: true }) as string[][];

function toCsv(rows: string[][], delimiter: string): string {
  const cell = (v: string) => (/[";\n\r,]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  return rows.map((r) => r.map(cell).join(delimiter)).join("\r\n") + "\r\n";
}

/** Norwegian spreadsheet export: semicolons, decimal commas, a BOM, CRLF. */
function norwegianCsv(name: string): Buffer {
  const rows = records(name).map((r, i) => (i === 0 ? r : r.map((v) => (/^\d+\.\d+$/.test(v) ? v.replace(".", ",") : v))));
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(toCsv(rows, ";"), "utf8")]);
}

/** The same rows as a workbook: numbers as numbers, times as date cells, the rest as text. */
async function xlsx(name: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Ark1");
  const [header, ...rows] = records(name);
  sheet.addRow(header);
  for (const r of rows) {
    sheet.addRow(
      r.map((v, i) => {
        if (header![i] === "contacted_at" && v) return new Date(`${v}Z`);
        if (/^-?\d+(\.\d+)?$/.test(v) && !header![i]!.endsWith("_code") && header![i] !== "org_number") return Number(v);
        return v;
      }),
    );
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const imported = (o: ImportOutcome) => {
  if (o.status === "refused") throw new Error(o.problems.slice(0, 5).map((p) => `row ${p.row} ${p.column}: ${p.message.en}`).join("\n"));
  return o;
};

describe("importing a study year", () => {
  let database: Database;
  const run = (studyId: number, kind: ImportKind, bytes: Uint8Array, extra: { dryRun?: boolean; fileName?: string } = {}) =>
    runImport(database.db, { studyId, kind, bytes, fileName: extra.fileName ?? `${kind}.csv`, userId: null, dryRun: extra.dryRun });

  async function loadYear(year: number, files: Record<ImportKind, Uint8Array>) {
    const study = await createStudy(database.db, { year, userId: null });
    for (const kind of ["questionnaire", "participants", "results"] as const) {
      const outcome = imported(await run(study.id, kind, files[kind]));
      expect(outcome.status).toBe("imported");
    }
    return study;
  }

  async function storedScores(studyId: number) {
    const rows = await database.db.select({ ref: s.inquiries.ref, score: s.inquiries.totalScore }).from(s.inquiries).where(eq(s.inquiries.studyId, studyId));
    return new Map(rows.map((r) => [r.ref, r.score]));
  }

  async function counts(studyId: number) {
    const [row] = await database.db
      .select({
        inquiries: sql<number>`(select count(*)::int from inquiries where study_id = ${studyId})`,
        answers: sql<number>`(select count(*)::int from answers a join inquiries i on i.tenant_id = a.tenant_id and i.id = a.inquiry_id where i.study_id = ${studyId})`,
        batches: sql<number>`(select count(*)::int from import_batches where study_id = ${studyId})`,
        shoppers: sql<number>`(select count(*)::int from shoppers where study_id = ${studyId})`,
      })
      .from(sql`(select 1) x`);
    return row!;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.close());

  const expected = expectedScores();

  it("imports the sample CSV files and stores every inquiry's score as hand-computed", async () => {
    const study = await loadYear(2021, { questionnaire: raw("questionnaire.csv"), participants: raw("participants.csv"), results: raw("results.csv") });
    const stored = await storedScores(study.id);
    expect(stored.size).toBe(225);
    for (const [ref, score] of expected) expect({ ref, score: stored.get(ref) }).toEqual({ ref, score });
    const c = await counts(study.id);
    expect(c.batches).toBe(3);
    // An unanswered inquiry scores 0 and has no answers.
    const [unanswered] = await database.db.select().from(s.inquiries).where(and(eq(s.inquiries.studyId, study.id), eq(s.inquiries.answered, false))).limit(1);
    expect(unanswered?.totalScore).toBe(0);
    // Quoted line breaks and Norwegian letters survive.
    const [first] = await database.db.select().from(s.inquiries).where(and(eq(s.inquiries.studyId, study.id), eq(s.inquiries.ref, "S21-0001")));
    expect(first!.comment).toBe("Måtte forklare to ganger,\nmen fikk hjelp til slutt.");
    expect(first!.agentName).toBe("Bjørn");
    expect(first!.contactedAt.toISOString()).toBe("2021-03-13T08:40:00.000Z"); // 09:40 Oslo (CET)
  });

  it("imports the semicolon, decimal-comma CSV with a byte-order mark to the same scores", async () => {
    const study = await loadYear(2022, {
      questionnaire: norwegianCsv("questionnaire.csv"),
      participants: norwegianCsv("participants.csv"),
      results: norwegianCsv("results.csv"),
    });
    expect(await storedScores(study.id)).toEqual(expected);
  });

  it("imports the same files as XLSX workbooks to the same scores", async () => {
    const study = await loadYear(2023, {
      questionnaire: await xlsx("questionnaire.csv"),
      participants: await xlsx("participants.csv"),
      results: await xlsx("results.csv"),
    });
    expect(await storedScores(study.id)).toEqual(expected);
    const [first] = await database.db.select().from(s.inquiries).where(and(eq(s.inquiries.studyId, study.id), eq(s.inquiries.ref, "S21-0001")));
    expect(first!.contactedAt.toISOString()).toBe("2021-03-13T08:40:00.000Z");
  });

  it("changes nothing when the same file, or the same content in another form, is imported again", async () => {
    const [study] = await database.db.select().from(s.studies).where(eq(s.studies.year, 2021));
    const before = await counts(study!.id);
    expect((await run(study!.id, "results", raw("results.csv"))).status).toBe("unchanged");
    const sameContent = await run(study!.id, "results", norwegianCsv("results.csv"));
    expect(sameContent).toMatchObject({ status: "unchanged", diff: { rows: 225, unchanged: 225, added: [], changed: [], removed: [] } });
    expect(await counts(study!.id)).toEqual(before);
  });

  it("a dry run reports what would change and writes nothing", async () => {
    const [study] = await database.db.select().from(s.studies).where(eq(s.studies.year, 2021));
    const before = await counts(study!.id);
    const rows = records("results.csv");
    const outcome = await run(study!.id, "results", Buffer.from(toCsv(rows.slice(0, 100), ",")), { dryRun: true });
    expect(outcome).toMatchObject({ status: "preview", diff: { rows: 99, unchanged: 99 } });
    if (outcome.status === "preview") expect(outcome.diff.removed).toHaveLength(126);
    expect(await counts(study!.id)).toEqual(before);
  });

  it("a corrected file replaces the changed and removed rows, adds the new ones, and keeps the replaced ones in the history", async () => {
    const [study] = await database.db.select().from(s.studies).where(eq(s.studies.year, 2021));
    const rows = records("results.csv");
    const header = rows[0]!;
    const col = (name: string) => header.indexOf(name);
    const corrected = rows.map((r) => [...r]);
    const target = corrected.find((r) => r[0] === "S21-0001")!;
    const oldComment = target[col("comment")];
    target[col("comment")] = "Rettet kommentar";
    const removed = corrected.findIndex((r) => r[0] === "S21-0002");
    corrected.splice(removed, 1);
    const added = [...corrected.find((r) => r[0] === "S21-0003")!];
    added[0] = "S21-9999";
    corrected.push(added);

    const outcome = imported(await run(study!.id, "results", Buffer.from(toCsv(corrected, ",")), { fileName: "results-rettet.csv" }));
    expect(outcome).toMatchObject({ status: "imported", diff: { rows: 225, added: ["S21-9999"], changed: ["S21-0001"], removed: ["S21-0002"], unchanged: 223 } });
    const stored = await storedScores(study!.id);
    expect(stored.size).toBe(225);
    expect(stored.has("S21-0002")).toBe(false);
    expect(stored.get("S21-9999")).toBe(expected.get("S21-0003"));
    const [batch] = await database.db.select().from(s.importBatches).where(eq(s.importBatches.fileName, "results-rettet.csv"));
    expect(batch!.counts).toEqual({ added: 1, changed: 1, removed: 1, unchanged: 223 });
    const replaced = batch!.replaced as { ref: string; comment: string | null }[];
    expect(replaced.map((r) => r.ref).sort()).toEqual(["S21-0001", "S21-0002"]);
    expect(replaced.find((r) => r.ref === "S21-0001")!.comment).toBe(oldComment);

    // Back to the original file: its rows are the study's again.
    imported(await run(study!.id, "results", raw("results.csv")));
    expect(await storedScores(study!.id)).toEqual(expected);
  });

  it("a questionnaire with new weights rescores the stored results; one that changes what is asked is refused", async () => {
    const [study] = await database.db.select().from(s.studies).where(eq(s.studies.year, 2022));
    const rows = records("questionnaire.csv");
    const w = rows[0]!.indexOf("area_weight");
    const areaCol = rows[0]!.indexOf("area_code");
    const firstArea = rows[1]![areaCol];
    const reweighted = rows.map((r, i) => (i > 0 && r[areaCol] === firstArea ? r.map((v, j) => (j === w ? String(Number(v) * 3) : v)) : r));
    const outcome = imported(await run(study!.id, "questionnaire", Buffer.from(toCsv(reweighted, ","))));
    expect(outcome.status).toBe("imported");

    const data = sampleStudy();
    for (const area of data.questionnaire.areas) if (area.code === firstArea) area.weight *= 3;
    const stored = await storedScores(study!.id);
    for (const inquiry of data.inquiries) expect(stored.get(inquiry.ref)).toBe(scoreInquiry(data.questionnaire, inquiry).totalScore);
    expect([...stored.values()]).not.toEqual([...expected.values()]);
    const [participation] = await database.db
      .select({ total: s.participations.totalScore })
      .from(s.participations)
      .where(eq(s.participations.studyId, study!.id))
      .limit(1);
    expect(participation!.total).not.toBeNull();

    const fewer = rows.filter((r, i) => i === 0 || r[rows[0]!.indexOf("question_code")] !== "V2");
    const refused = await run(study!.id, "questionnaire", Buffer.from(toCsv(fewer, ",")));
    expect(refused.status).toBe("refused");
    if (refused.status === "refused") expect(refused.problems[0]).toMatchObject({ column: "question_code", value: "V2" });
  });

  it("refuses a participants file that drops a company with results, and results before the questionnaire", async () => {
    const [study] = await database.db.select().from(s.studies).where(eq(s.studies.year, 2021));
    const rows = records("participants.csv");
    const dropped = rows[1]![0]!;
    const outcome = await run(study!.id, "participants", Buffer.from(toCsv([rows[0]!, ...rows.slice(2)], ",")));
    expect(outcome.status).toBe("refused");
    if (outcome.status === "refused") expect(outcome.problems[0]).toMatchObject({ column: "participant_code", value: dropped });

    const empty = await createStudy(database.db, { year: 2030, userId: null });
    const early = await run(empty.id, "results", raw("results.csv"));
    expect(early.status).toBe("refused");
    if (early.status === "refused") expect(early.problems.map((p) => p.message.en).join(" ")).toMatch(/questionnaire first/);
  });

  it("keeps a study from its companies until it is published, and a correction to a published study recomputes its figures at once", async () => {
    const [study] = await database.db.select().from(s.studies).where(eq(s.studies.year, 2023));
    const [company] = await database.db.select().from(s.participants).where(eq(s.participants.code, "kystbanken"));
    const overview = () => withTenant(database.db, company!.id, (scope) => getOverview(scope, 2023));
    expect(await overview()).toBeNull();
    await publishStudyAs(database.db, study!.id, null);
    const published = await overview();
    expect(published?.study.year).toBe(2023);
    const classMean = published!.class.mean;

    // A correction: every kystbanken inquiry unanswered. Own rows and class figures change
    // together, in the import's transaction.
    const rows = records("results.csv");
    const h = rows[0]!;
    const zeroed = rows.map((r, i) =>
      i > 0 && r[h.indexOf("participant_code")] === "kystbanken"
        ? r.map((v, j) => (j === h.indexOf("answered") ? "no" : h[j]!.startsWith("q:") || h[j] === "wait_seconds" ? "" : v))
        : r,
    );
    imported(await run(study!.id, "results", Buffer.from(toCsv(zeroed, ","))));
    const republished = await overview();
    expect(republished!.totalScore).toBe(0);
    expect(republished!.class.mean).not.toBe(classMean);
  });
});
