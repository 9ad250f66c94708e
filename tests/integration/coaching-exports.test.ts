// Coaching pack exports (issue 5, item 1) over HTTP on the published sample study: what a
// pack holds (checked in the PDF's extracted text and the spreadsheet cells against the
// sample's own figures), formula injection made inert, agent names only by choice, the
// export recorded and downloadable again, and no company reaching another's packs.
import { eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as s from "#db/schema";
import { formatScore } from "~/domain/format";
import { sweepExports } from "~/models/coaching/coaching-exports.server";
import { pdfText } from "../support/pdf-text";
import { publishedStudiesWith } from "../support/published-sample";
import { expectedScores, sampleStudy } from "../support/sample-study";

// Each pack renders a PDF in a worker thread (a few seconds each, more on a busy machine).
vi.setConfig({ testTimeout: 180_000 });

const HYPERLINK = '=HYPERLINK("http://x","y")';
const NORWEGIAN = "Blåbærsyltetøy på Ørsta – ÆØÅ";
const CANARY = "CANARY-KYSTBANKEN-EXPORT";
const OWNER = "fjordkraft-demo";
const INTRUDER = "kystbanken";

let sample: Awaited<ReturnType<typeof publishedStudiesWith>>;
let lead: string;
let intruder: string;
const study = sampleStudy(2021);
const ownInquiries = study.inquiries.filter((i) => i.participantCode === OWNER);
const scores = expectedScores();

beforeAll(async () => {
  ownInquiries[0]!.comment = HYPERLINK;
  ownInquiries[1]!.comment = NORWEGIAN;
  ownInquiries[1]!.agentName = "Åsmund";
  for (const inquiry of study.inquiries.filter((i) => i.participantCode === INTRUDER)) inquiry.comment = `${CANARY} ${inquiry.ref}`;
  sample = await publishedStudiesWith({ jobs: true }, study);
  lead = await sample.memberCookie(OWNER, "teamlead");
  intruder = await sample.memberCookie(INTRUDER, "manager");
}, 180_000);

afterAll(async () => {
  await sample?.close();
});

/** Asks for a pack and waits until it is built; returns its id. */
async function makePack(form: Record<string, string> | URLSearchParams, cookie = lead): Promise<string> {
  const body = form instanceof URLSearchParams ? form : new URLSearchParams(form);
  const response = await sample.server.fetch("/company/coaching/packs/new", {
    method: "POST",
    cookie,
    body,
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
  expect(response.status, await response.clone().text()).toBe(302);
  const id = /\/company\/coaching\/packs\/([0-9a-f-]{36})$/.exec(response.headers.get("location") ?? "")![1]!;
  for (let i = 0; i < 600; i++) {
    const [row] = await sample.database.db.select({ status: s.coachingExports.status }).from(s.coachingExports).where(eq(s.coachingExports.id, id));
    if (row!.status !== "building") {
      expect(row!.status).toBe("ready");
      return id;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the pack was not built within 60 s");
}

async function download(id: string, cookie = lead) {
  const response = await sample.server.fetch(`/company/coaching/packs/${id}/download`, { cookie });
  expect(response.status).toBe(200);
  return { response, bytes: new Uint8Array(await response.arrayBuffer()) };
}

async function xlsxRows(bytes: Uint8Array) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return workbook;
}

describe("a PDF coaching pack", () => {
  it("holds all 25 inquiries with their scores as the pages show them, Norwegian letters intact, and no agent names unless chosen", async () => {
    const id = await makePack({ study: "2021", format: "pdf" });
    const page = await sample.server.fetch(`/company/coaching/packs/${id}`, { cookie: lead });
    expect(await page.text()).toContain("Pakken er klar");

    const { response, bytes } = await download(id);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="coaching-[^"]+\.pdf"/);
    expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe("%PDF-");
    const { text, pages } = await pdfText(bytes);
    expect(ownInquiries).toHaveLength(25);
    expect(pages.length).toBeGreaterThanOrEqual(27);
    expect(text).toContain("Fjordkraft Demo");
    expect(text).toContain(NORWEGIAN);
    for (const inquiry of ownInquiries) {
      expect(text).toContain(inquiry.ref);
      expect(text).toContain(formatScore(scores.get(inquiry.ref)!, "nb"));
    }
    expect(text).not.toContain("Åsmund");
    for (const code of new Set(ownInquiries.map((i) => i.shopper.code))) expect(text).not.toMatch(new RegExp(`\\b${code}\\b`));
    expect(text).not.toContain(CANARY);
  });

  it("includes the agent's first name when asked, unless the company hides agent names", async () => {
    const id = await makePack({ study: "2021", format: "pdf", agents: "on" });
    expect((await pdfText((await download(id)).bytes)).text).toContain("Åsmund");

    const ownerId = sample.ids.get(OWNER)!;
    await sample.database.db.update(s.participants).set({ hideAgentNames: true }).where(eq(s.participants.id, ownerId));
    try {
      const hidden = await makePack({ study: "2021", format: "pdf", agents: "on" });
      expect((await pdfText((await download(hidden)).bytes)).text).not.toContain("Åsmund");
    } finally {
      await sample.database.db.update(s.participants).set({ hideAgentNames: false }).where(eq(s.participants.id, ownerId));
    }
  });
});

describe("spreadsheet packs", () => {
  it("write a formula-looking comment as inert text in XLSX, and no cell is a formula", async () => {
    const id = await makePack({ study: "2021", format: "xlsx" });
    const { response, bytes } = await download(id);
    expect(response.headers.get("content-type")).toContain("spreadsheetml");
    const workbook = await xlsxRows(bytes);
    let hyperlinkCell: unknown = null;
    let norwegian = false;
    workbook.eachSheet((sheet) =>
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
          if (typeof cell.value === "string" && cell.value.includes("HYPERLINK")) hyperlinkCell = cell.value;
          if (cell.value === NORWEGIAN) norwegian = true;
        }),
      ),
    );
    expect(hyperlinkCell).toBe(`'${HYPERLINK}`);
    expect(norwegian).toBe(true);
  });

  it("write CSV as UTF-8 with a byte-order mark, the formula neutralised, letters intact", async () => {
    const id = await makePack({ study: "2021", format: "csv" });
    const { response, bytes } = await download(id);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = Buffer.from(bytes).toString("utf8");
    const rows = parse(text, { bom: true, delimiter: ";", relax_column_count: false }) as string[][];
    const cells = rows.flat();
    expect(cells).toContain(`'${HYPERLINK}`);
    expect(cells).not.toContain(HYPERLINK);
    expect(cells).toContain(NORWEGIAN);
    expect(rows.length).toBe(26);
  });

  it("take exactly the filtered inquiries (messenger, below 70), or exactly the hand-picked ones", async () => {
    const expected = ownInquiries.filter((i) => i.channel === "messenger" && scores.get(i.ref)! < 70).map((i) => i.ref);
    const filtered = await makePack({ study: "2021", format: "xlsx", channel: "messenger", band: "low" });
    const refsIn = async (id: string) => {
      const sheet = (await xlsxRows((await download(id)).bytes)).worksheets[0]!;
      const refs: string[] = [];
      sheet.eachRow((row, n) => n > 1 && refs.push(String(row.getCell(1).value)));
      return refs;
    };
    expect((await refsIn(filtered)).sort()).toEqual(expected.sort());

    const picked = [ownInquiries[3]!.ref, ownInquiries[7]!.ref];
    const form = new URLSearchParams([["study", "2021"], ["format", "xlsx"], ["ref", picked[0]!], ["ref", picked[1]!]]);
    expect(await refsIn(await makePack(form))).toEqual(picked);
  });
});

describe("export records", () => {
  it("records who exported what, lists it for 30 days and lets it be downloaded again; then it is gone", async () => {
    const id = await makePack({ study: "2021", format: "csv", channel: "phone" });
    const [audit] = (await sample.database.db.select().from(s.tenantAuditEvents).where(eq(s.tenantAuditEvents.action, "coaching.export"))).filter(
      (e) => (e.details as { exportId?: string }).exportId === id,
    );
    expect(audit!.details).toMatchObject({ format: "csv", year: 2021, selection: { study: 2021, filter: { channel: "phone" }, includeAgentNames: false } });
    const hub = await (await sample.server.fetch("/company/coaching", { cookie: lead })).text();
    expect(hub).toContain(`/company/coaching/packs/${id}/download`);
    const first = (await download(id)).bytes;
    const second = (await download(id)).bytes;
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);

    await sample.database.db.update(s.coachingExports).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(s.coachingExports.id, id));
    expect((await sample.server.fetch(`/company/coaching/packs/${id}/download`, { cookie: lead })).status).toBe(404);
    await sweepExports(sample.database.db);
    expect(await sample.database.db.select().from(s.coachingExports).where(eq(s.coachingExports.id, id))).toHaveLength(0);
  });

  it("refuses an empty selection, an unknown format and another company's inquiry, recording nothing", async () => {
    const before = (await sample.database.db.select().from(s.coachingExports)).length;
    const post = (body: URLSearchParams) =>
      sample.server.fetch("/company/coaching/packs/new", { method: "POST", cookie: lead, body, headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    const empty = await post(new URLSearchParams({ study: "2021", format: "pdf", q: "no such words anywhere zzz" }));
    expect(empty.status, empty.headers.get("location") ?? "").toBe(400);
    expect(await empty.text()).toContain("Utvalget har ingen henvendelser");
    expect((await post(new URLSearchParams({ study: "2021", format: "docx" }))).status).toBe(400);
    const foreignRef = study.inquiries.find((i) => i.participantCode === INTRUDER)!.ref;
    const foreign = await post(new URLSearchParams([["study", "2021"], ["format", "pdf"], ["ref", foreignRef]]));
    expect(foreign.status).toBe(400);
    const html = await foreign.text();
    expect(html).toContain("finnes ikke");
    expect(html).not.toContain(CANARY);
    expect((await post(new URLSearchParams({ study: "1999", format: "pdf" }))).status).toBe(404);
    expect((await sample.database.db.select().from(s.coachingExports)).length).toBe(before);
  });

  it("gives viewers 403 and keeps every pack away from other companies", async () => {
    const viewer = await sample.memberCookie(OWNER, "viewer");
    expect((await sample.server.fetch("/company/coaching", { cookie: viewer })).status).toBe(403);
    const id = await makePack({ study: "2021", format: "pdf" });
    expect((await sample.server.fetch(`/company/coaching/packs/${id}/download`, { cookie: viewer })).status).toBe(403);
    for (const path of [`/company/coaching/packs/${id}`, `/company/coaching/packs/${id}/download`]) {
      const response = await sample.server.fetch(path, { cookie: intruder });
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain("Fjordkraft");
    }
    const theirs = await (await sample.server.fetch("/company/coaching", { cookie: intruder })).text();
    expect(theirs).not.toContain(id);
  });
});
