// The anonymity rule on every figure (issue 12, point 1): a figure computed from other
// companies is shown only where at least 3 companies contributed to it. A study built so
// that every kind of comparison figure has a cell of exactly 2 contributors, checked on
// every surface: the stored benchmark rows, the pages, the read API, coaching packs
// (PDF, XLSX, CSV) and the trends.
import { readFileSync } from "node:fs";
import ExcelJS from "exceljs";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resultRows, withTenant } from "#db/client.server";
import { formatScore } from "~/domain/format";
import type { Channel, InquiryRow, StudyData } from "~/domain/types";
import { createApiToken } from "~/models/accounts/api-token.server";
import { collectPack, resolveSelection } from "~/models/coaching/coaching-pack.server";
import { renderPack } from "~/exports/coaching-render.server";
import { findTenantStudy } from "~/models/insights/insights.server";
import { getTrends } from "~/models/insights/trends.server";
import { pdfText } from "../support/pdf-text";
import { publishedStudies } from "../support/published-sample";

vi.setConfig({ testTimeout: 180_000 });

// Area V (weight 10) has V1 (0–4) on every channel; area K (weight 5) only K1 (0–3), asked on chat.
const questionnaire: StudyData["questionnaire"] = {
  areas: [
    { code: "V", name: "Velkomst", weight: 10 },
    { code: "K", name: "Chatferdigheter", weight: 5 },
  ],
  questions: [
    { code: "V1", areaCode: "V", text: "Ble kunden ønsket velkommen?", kind: "points", maxPoints: 4, channels: null },
    { code: "K1", areaCode: "K", text: "Ble chatten avsluttet ryddig?", kind: "points", maxPoints: 3, channels: ["chat"] },
  ],
};

let n = 0;
function inquiry(participantCode: string, channel: Channel, v1: number, k1?: number): InquiryRow {
  n += 1;
  return {
    ref: `ANON-${n}`,
    participantCode,
    channel,
    shopper: { code: `S${n % 3}`, gender: "female", age: 30 + (n % 3), region: "Vestland" },
    scenario: "Spør om lån",
    contactedAt: new Date(Date.UTC(2021, 0, 10 + (n % 20), 9, 0)),
    attempts: 1,
    answered: true,
    waitSeconds: 30,
    agentName: null,
    comment: null,
    transcript: null,
    answers: k1 === undefined ? { V1: v1 } : { V1: v1, K1: k1 },
  };
}

// Bank: six companies, only a1 and a2 contacted by chat. Kraft: two companies.
const bank = ["a1", "a2", "a3", "a4", "a5", "a6"];
const study2021: StudyData = {
  year: 2021,
  name: "Anonymitet 2021",
  questionnaire,
  participants: [
    ...bank.map((code) => ({ code, name: `Bank ${code}`, classCode: "bank", className: "Bank", orgNumber: null })),
    { code: "b1", name: "Kraft b1", classCode: "kraft", className: "Kraft", orgNumber: null },
    { code: "b2", name: "Kraft b2", classCode: "kraft", className: "Kraft", orgNumber: null },
  ],
  inquiries: [
    inquiry("a1", "chat", 3, 3), // (10·75 + 5·100) / 15 = 83.33
    inquiry("a1", "chat", 4, 2), // 88.89
    inquiry("a1", "phone", 4),
    inquiry("a1", "phone", 4),
    inquiry("a2", "chat", 2, 1), // 44.44
    inquiry("a2", "chat", 1, 1), // 27.78
    inquiry("a2", "phone", 3),
    inquiry("a2", "phone", 3),
    ...["a3", "a4", "a5", "a6"].flatMap((code, i) => [inquiry(code, "phone", 1 + (i % 3)), inquiry(code, "phone", 3), inquiry(code, "email", 4)]),
    inquiry("b1", "phone", 4),
    inquiry("b1", "phone", 4),
    inquiry("b2", "phone", 2),
    inquiry("b2", "phone", 1),
  ],
};
// 2022: only a1 and b1 took part, so no whole-study or class figure at all.
const study2022: StudyData = {
  year: 2022,
  name: "Anonymitet 2022",
  questionnaire,
  participants: study2021.participants.filter((p) => p.code === "a1" || p.code === "b1"),
  inquiries: [inquiry("a1", "phone", 3), inquiry("a1", "phone", 2), inquiry("b1", "phone", 1), inquiry("b1", "phone", 4)],
};

// The figures the rule hides, computed here from the raw points (2 contributors each).
const A1_CHAT = (83.33 + 88.89) / 2;
const A2_CHAT = (44.44 + 27.78) / 2;
const HIDDEN = {
  classChatMean: (A1_CHAT + A2_CHAT) / 2, // 61.11
  classAreaK: (250 / 3 + 100 / 3) / 2, // 58.33 (also question K1's class mean)
  a2Chat: A2_CHAT, // 36.11: the other company's chat score, what a mean beside one's own gives away
};
const hiddenTexts = (locale: "nb" | "en") => Object.values(HIDDEN).map((value) => formatScore(value, locale));

let sample: Awaited<ReturnType<typeof publishedStudies>>;
let cookie: string;
let token: string;
let smallCookie: string;

beforeAll(async () => {
  sample = await publishedStudies(study2021, study2022);
  cookie = await sample.memberCookie("a1", "teamlead");
  smallCookie = await sample.memberCookie("b1", "viewer");
  token = (await createApiToken(sample.database.db, { tenantId: sample.ids.get("a1")!, name: "BI", createdBy: null })).token;
}, 180_000);

afterAll(() => sample?.close());

const page = async (path: string, as = cookie) => {
  const res = await sample.server.fetch(path, { cookie: as });
  expect(res.status, path).toBe(200);
  return res.text();
};
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API bodies are checked field by field below
type Json = any;
const api = async <T = Json>(path: string): Promise<T> => {
  const res = await sample.server.fetch(path, { headers: { Authorization: `Bearer ${token}` } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
};

describe("the stored benchmark figures", () => {
  it("carry the number of contributing companies and are null below 3, kind by kind", async () => {
    const rows = async (query: string) => resultRows<Record<string, unknown>>(await sample.database.db.execute(sql.raw(query)));
    const chat = await rows(`select b.* from benchmark_channel b join studies s on s.id = b.study_id where s.year = 2021 and b.channel = 'chat'`);
    expect(chat).toEqual([expect.objectContaining({ participants: 2, mean: null, band_perfect: null, band_high: null, band_mid: null, band_low: null })]);
    const phone = await rows(`select b.* from benchmark_channel b join studies s on s.id = b.study_id where s.year = 2021 and b.channel = 'phone'`);
    expect(phone[0]).toMatchObject({ participants: 8 });
    expect(phone[0]!.mean).not.toBeNull();

    const classChannel = await rows(`select c.code, b.* from benchmark_class_channel b join classes c on c.id = b.class_id join studies s on s.id = c.study_id where s.year = 2021 order by c.code, b.channel`);
    expect(classChannel.find((r) => r.code === "bank" && r.channel === "chat")).toMatchObject({ participants: 2, mean: null, best: null });
    expect(classChannel.find((r) => r.code === "bank" && r.channel === "phone")).toMatchObject({ participants: 6 });
    expect(classChannel.find((r) => r.code === "kraft" && r.channel === "phone")).toMatchObject({ participants: 2, mean: null, best: null });

    const area = await rows(`select c.code as class, a.code, b.* from benchmark_class_area b join classes c on c.id = b.class_id join areas a on a.id = b.area_id join studies s on s.id = c.study_id where s.year = 2021`);
    expect(area.find((r) => r.class === "bank" && r.code === "K")).toMatchObject({ participants: 2, mean: null, best: null });
    expect(area.find((r) => r.class === "bank" && r.code === "V")).toMatchObject({ participants: 6 });
    const question = await rows(`select c.code as class, q.code, b.* from benchmark_class_question b join classes c on c.id = b.class_id join questions q on q.id = b.question_id join studies s on s.id = c.study_id where s.year = 2021`);
    expect(question.find((r) => r.class === "bank" && r.code === "K1")).toMatchObject({ participants: 2, mean: null, best: null });

    const klass = await rows(`select c.code, b.* from benchmark_class b join classes c on c.id = b.class_id join studies s on s.id = c.study_id where s.year = 2021`);
    expect(klass.find((r) => r.code === "kraft")).toMatchObject({ participants: 2, shown: false, mean: null, best: null, typical_std_dev: null, band_perfect: null, band_low: null });
    const study = await rows(`select b.* from benchmark_study b join studies s on s.id = b.study_id where s.year = 2022`);
    expect(study).toEqual([expect.objectContaining({ participants: 2, mean: null, band_perfect: null, band_low: null })]);
  });
});

describe("the read API", () => {
  it("gives every 2-contributor figure as null", async () => {
    const summary = await api("/api/v1/studies/2021/summary");
    expect(summary.class.mean).not.toBeNull();
    expect(summary.byArea.find((a: Json) => a.code === "K")).toMatchObject({ classMean: null, classBest: null });
    expect(summary.byArea.find((a: Json) => a.code === "V").classMean).not.toBeNull();

    const benchmark = await api("/api/v1/studies/2021/benchmark");
    expect(benchmark.all.byChannel.chat).toEqual({ inquiries: 4, mean: null, bands: null });
    expect(benchmark.all.byChannel.phone.mean).not.toBeNull();
    const benchmark2022 = await api("/api/v1/studies/2022/benchmark");
    expect(benchmark2022.all).toMatchObject({ participants: 2, mean: null, bands: null });
    expect(benchmark2022.class).toMatchObject({ mean: null, best: null, rank: null, bands: null });
    expect(benchmark2022.ranking).toBeNull();

    const list = await api<{ data: { ref: string; channel: string }[] }>("/api/v1/studies/2021/inquiries?channel=chat");
    const detail = await api(`/api/v1/studies/2021/inquiries/${list.data[0]!.ref}`);
    expect(detail.questions.find((q: Json) => q.code === "K1").classMean).toBeNull();
    expect(detail.questions.find((q: Json) => q.code === "V1").classMean).not.toBeNull();

    const everything = JSON.stringify([summary, benchmark, detail]);
    for (const value of Object.values(HIDDEN)) expect(everything).not.toMatch(new RegExp(`[":,]${value.toFixed(2).replace(".", "\\.")}\\d*[,}]`));
  });
});

describe("the pages", () => {
  for (const locale of ["nb", "en"] as const) {
    it(`show no 2-contributor figure and say why (${locale})`, async () => {
      const as = locale === "nb" ? cookie : `${cookie}; innsikt_lang=en`;
      const note = locale === "nb" ? "for få bedrifter til å sammenligne" : "too few companies to compare";
      const overview = await page("/company?study=2021", as);
      const chatRef = (await api<{ data: { ref: string }[] }>("/api/v1/studies/2021/inquiries?channel=chat")).data[0]!.ref;
      for (const html of [overview, await page("/company/comparison?study=2021", as), await page(`/company/inquiries/${chatRef}?study=2021`, as)]) {
        expect(html).toContain(note);
        for (const hidden of hiddenTexts(locale)) expect(html).not.toContain(hidden);
      }
      const none = await page("/company?study=2022", as);
      expect(none).toContain(note); // the whole study's bands (2 companies) are hidden too
    });
  }

  it("hide a class of 2 everywhere, also its typical spread and its trend", async () => {
    const variance = await page("/company/variance?study=2021", smallCookie);
    expect(variance).toMatch(/under 3 deltakere/);
    await withTenant(sample.database.db, sample.ids.get("b1")!, async (scope) => {
      const trends = await getTrends(scope);
      expect(trends.years.map((y) => [y.year, y.classMean])).toEqual([
        [2021, null],
        [2022, null],
      ]);
    });
    await withTenant(sample.database.db, sample.ids.get("a1")!, async (scope) => {
      const trends = await getTrends(scope);
      expect(trends.years.find((y) => y.year === 2021)!.classMean).not.toBeNull();
      expect(trends.years.find((y) => y.year === 2022)!.classMean).toBeNull();
    });
    const trendsPage = await page("/company/trends", cookie);
    expect(trendsPage).toContain("skjult (under 3 deltakere)");
  });
});

describe("coaching packs", () => {
  it("leave the 2-contributor cells empty and say why, in PDF, XLSX and CSV", async () => {
    const pack = await withTenant(sample.database.db, sample.ids.get("a1")!, async (scope) => {
      const study = (await findTenantStudy(scope, 2021))!;
      const selection = { study: 2021, filter: { sort: "newest" as const }, includeAgentNames: false };
      const refs = await resolveSelection(scope, study, selection as never);
      return collectPack(scope, study, { selection: selection as never, refs, companyName: "Bank a1", locale: "nb" });
    });
    expect(pack.summary.classMeanScore).not.toBeNull();
    expect(pack.summary.weakAreas.find((a) => a.code === "K")).toMatchObject({ classMean: null, gap: null });
    for (const i of pack.inquiries) {
      for (const a of i.areas.filter((x) => x.code === "K")) expect(a.classMean).toBeNull();
      for (const q of i.questions.filter((x) => x.code === "K1")) expect(q.classMean).toBeNull();
    }

    const { text } = await pdfText((await renderPack(pack, "pdf")).bytes);
    expect(text).toContain("for få bedrifter til å sammenligne");
    for (const hidden of hiddenTexts("nb")) expect(text).not.toContain(hidden);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await renderPack(pack, "xlsx")).bytes as never);
    const cells: string[] = [];
    workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.value)))));
    expect(cells.some((c) => c.includes("for få bedrifter til å sammenligne"))).toBe(true);
    for (const value of Object.values(HIDDEN)) expect(cells.filter((c) => Math.abs(Number(c) - value) < 0.06)).toEqual([]);

    const csv = (await renderPack(pack, "csv")).bytes.toString("utf8");
    for (const hidden of hiddenTexts("nb")) expect(csv).not.toContain(hidden);
  });
});

describe("migration 0006", () => {
  it("gives studies published before it their counts and hides their small cells", async () => {
    const { db } = sample.database;
    const tables = ["benchmark_study", "benchmark_channel", "benchmark_class", "benchmark_class_channel", "benchmark_class_area", "benchmark_class_question"];
    const snapshot = async () => {
      const out: Record<string, unknown[]> = {};
      for (const table of tables) out[table] = resultRows(await db.execute(sql.raw(`select * from ${table} order by 1, 2`)));
      return out;
    };
    const published = await snapshot();
    await db.transaction(async (tx) => {
      // As an earlier publication left them: no counts, and the small cells filled in.
      for (const table of ["benchmark_channel", "benchmark_class_channel", "benchmark_class_area", "benchmark_class_question"])
        await tx.execute(sql.raw(`update ${table} set participants = 0`));
      await tx.execute(sql.raw(`update benchmark_channel set mean = 1, band_perfect = 1, band_high = 1, band_mid = 1, band_low = 1`));
      await tx.execute(sql.raw(`update benchmark_class_channel set mean = 1, best = 1`));
      await tx.execute(sql.raw(`update benchmark_class_area set mean = 1, best = 1`));
      await tx.execute(sql.raw(`update benchmark_class_question set mean = 1, best = 1`));
      await tx.execute(sql.raw(`update benchmark_study set mean = 1, band_perfect = 1, band_high = 1, band_mid = 1, band_low = 1`));
      await tx.execute(sql.raw(`update benchmark_class set band_perfect = 1, band_high = 1, band_mid = 1, band_low = 1 where not shown`));
      const migration = readFileSync(new URL("../../db/migrations/0006_benchmark_contributors.sql", import.meta.url), "utf8");
      for (const statement of migration.split("--> statement-breakpoint").map((x) => x.trim()).filter((x) => x.startsWith("UPDATE")))
        await tx.execute(sql.raw(statement));
    });
    const migrated = await snapshot();
    for (const table of tables) {
      const hiddenOnly = (rows: unknown[]) => (rows as Record<string, unknown>[]).filter((r) => (r.participants as number) < 3);
      // Counts are those of a fresh publication, and every small cell is null again.
      expect((migrated[table] as Record<string, unknown>[]).map((r) => r.participants), table).toEqual((published[table] as Record<string, unknown>[]).map((r) => r.participants));
      expect(hiddenOnly(migrated[table]!), table).toEqual(hiddenOnly(published[table]!));
    }
  });
});
