// `report build` (spec/season.md, issue 19), run as staff run it: a child process on an
// embedded database of its own holding a published study and a draft. It writes each
// company's full report as DIR/<participant code>.pdf, or one company's with --participant,
// stores them as the companies' reports, and refuses what it cannot do with the usual codes.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openEmbedded } from "#db/client.server";
import * as s from "#db/schema";
import { publishStudy } from "~/models/studies/publish.server";
import { writeStudy } from "~/models/studies/study-write.server";
import { pdfText } from "../support/pdf-text";
import { sampleStudy, smallSample } from "../support/sample-study";

const root = fileURLToPath(new URL("../..", import.meta.url));
const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");
// Three companies of four inquiries (kystbanken among them): the command, not a report's content, is under test.
const study = smallSample(sampleStudy(2021), "kystbanken");

let work: string;
let dataDir: string;

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, PGLITE_DATA_DIR: dataDir, OUTBOX_DIR: path.join(work, "outbox") };
  delete env.DATABASE_URL;
  return new Promise((resolve) => {
    execFile(process.execPath, [tsx, path.join(root, "app/cli/main.ts"), ...args], { cwd: root, env, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), "innsikt-cli-report-"));
  dataDir = path.join(work, "pglite");
  const database = await openEmbedded(dataDir);
  try {
    await database.migrate();
    const { studyId } = await database.db.transaction((tx) => writeStudy(tx, study));
    await publishStudy(database.db, studyId);
    const draft = sampleStudy(2022);
    for (const inquiry of draft.inquiries) inquiry.ref = inquiry.ref.replace(/^S21-/, "S22-");
    await database.db.transaction((tx) => writeStudy(tx, draft));
  } finally {
    await database.close();
  }
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("npm run cli -- report build", () => {
  it("writes every company's full report as DIR/<code>.pdf and stores it as the company's report", async () => {
    const out = path.join(work, "rapporter", "2021");
    const built = await cli("report", "build", "--study", "2021", "--out", out);
    expect(built.stderr).toBe("");
    expect(built.code).toBe(0);
    const codes = study.participants.map((p) => p.code).sort();
    expect(readdirSync(out).sort()).toEqual(codes.map((code) => `${code}.pdf`));
    const lines = built.stdout.trimEnd().split("\n");
    expect(lines.slice(0, -1)).toEqual(codes.map((code) => expect.stringMatching(new RegExp(`^Wrote ${path.join(out, code)}\\.pdf \\(\\d+ kB\\)$`))));
    expect(lines.at(-1)).toMatch(new RegExp(`^Built ${codes.length} reports of study 2021 into ${out} in [\\d.]+ s\\.$`));
    for (const participant of study.participants) {
      const { text } = await pdfText(new Uint8Array(readFileSync(path.join(out, `${participant.code}.pdf`))));
      expect(text, participant.code).toContain(participant.name);
    }
    const database = await openEmbedded(dataDir);
    try {
      const rows = await database.db.select({ status: s.companyReports.status, kind: s.companyReports.kind, lang: s.companyReports.lang }).from(s.companyReports);
      expect(rows).toHaveLength(codes.length);
      expect(rows.every((r) => r.status === "ready" && r.kind === "full" && r.lang === "nb")).toBe(true);
    } finally {
      await database.close();
    }
  }, 240_000);

  it("--participant writes that company's report only", async () => {
    const out = path.join(work, "en");
    const one = await cli("report", "build", "--study", "2021", "--participant", "kystbanken", "--out", out, "--lang", "en");
    expect(one).toMatchObject({ code: 0, stdout: expect.stringContaining(`Built 1 report of study 2021 into ${out}`) });
    expect(readdirSync(out)).toEqual(["kystbanken.pdf"]);
    expect((await pdfText(new Uint8Array(readFileSync(path.join(out, "kystbanken.pdf"))))).text).toContain("Kystbanken");
    const database = await openEmbedded(dataDir);
    try {
      const [company] = await database.db.select({ id: s.participants.id }).from(s.participants).where(eq(s.participants.code, "kystbanken"));
      const rows = await database.db.select({ status: s.companyReports.status }).from(s.companyReports).where(and(eq(s.companyReports.tenantId, company!.id), eq(s.companyReports.lang, "en")));
      expect(rows).toEqual([{ status: "ready" }]);
    } finally {
      await database.close();
    }
  }, 120_000);

  it("refuses wrong usage (2) and what it cannot build (1), one line on standard error", async () => {
    const out = path.join(work, "refused");
    expect((await cli("--help")).stdout).toContain("report build --study YEAR [--participant CODE] --out DIR");
    expect(await cli("report", "build", "--study", "2021")).toMatchObject({ code: 2, stderr: "--out is required.\n" });
    expect(await cli("report", "build", "--study", "2021", "--out", out, "--lang", "de")).toMatchObject({ code: 2, stderr: '--lang must be nb or en (got "de").\n' });
    expect(await cli("report", "build", "--study", "2022", "--out", out)).toMatchObject({ code: 1, stderr: "Study 2022 is not published; reports are built only after publication.\n" });
    expect(await cli("report", "build", "--study", "2021", "--participant", "finnes-ikke", "--out", out)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('No participant has the code "finnes-ikke"'),
    });
    expect(readdirSync(work)).not.toContain("refused");
  }, 240_000);
});
