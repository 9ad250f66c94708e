// The company report (issue 19, points 1, 2 and 5): the PDF says what the read API says. The
// text of the rendered report of sample companies must hold the API's total score, rank, class
// mean and best, and each channel's and area's figures in the row of that channel or area; one
// page per inquiry; the management summary is one A4 page; English works; a class of fewer than
// 3 companies shows no class figure anywhere in the report.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as schema from "#db/schema";
import { formatPercent, formatScore, formatSignedGap, type Locale } from "~/domain/format";
import { createApiToken } from "~/models/accounts/api-token.server";
import { renderCompanyReport, ReportNotAvailableError } from "~/exports/report/company-report.server";
import { translate } from "~/i18n/i18n";
import { pdfText } from "../support/pdf-text";
import { publishedStudies } from "../support/published-sample";
import { sampleStudy } from "../support/sample-study";

vi.setConfig({ testTimeout: 300_000 });

let sample: Awaited<ReturnType<typeof publishedStudies>>;
const tokens = new Map<string, string>();

beforeAll(async () => {
  sample = await publishedStudies(sampleStudy(2021));
  // Bank has 4 companies (class figures shown); Netthandel only 2 (hidden by the anonymity rule).
  for (const code of ["sparebanken-demo", "handlekurven"]) {
    tokens.set(code, (await createApiToken(sample.database.db, { tenantId: sample.ids.get(code)!, name: "BI", createdBy: null })).token);
  }
}, 180_000);

afterAll(() => sample?.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API bodies, read field by field below
type Json = any;
const api = async (code: string, path: string): Promise<Json> => {
  const res = await sample.server.fetch(path, { headers: { Authorization: `Bearer ${tokens.get(code)!}` } });
  expect(res.status, path).toBe(200);
  return res.json();
};

async function allInquiryRefs(code: string): Promise<string[]> {
  const refs: string[] = [];
  let cursor: string | null = null;
  do {
    const page: Json = await api(code, `/api/v1/studies/2021/inquiries?limit=100${cursor ? `&cursor=${cursor}` : ""}`);
    refs.push(...page.data.map((i: { ref: string }) => i.ref));
    cursor = page.meta.cursor;
  } while (cursor);
  return refs;
}

const report = async (code: string, kind: "full" | "summary", lang: Locale) =>
  pdfText(await renderCompanyReport({ tenantId: sample.ids.get(code)!, studyYear: 2021, kind, lang }));

/** The lines of a page's text; a table row is one line. */
const lines = (text: string) => text.split("\n").map((line) => line.trim());

describe("the full report", () => {
  it("holds the API's total, rank, class mean and best, channel and area figures, and one page per inquiry", async () => {
    const [summary, benchmark, refs, { pages }] = await Promise.all([
      api("sparebanken-demo", "/api/v1/studies/2021/summary"),
      api("sparebanken-demo", "/api/v1/studies/2021/benchmark"),
      allInquiryRefs("sparebanken-demo"),
      report("sparebanken-demo", "full", "nb"),
    ]);
    const f = (v: number) => formatScore(v, "nb");
    const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate("nb", key, params);
    expect(summary.class.mean).not.toBeNull();

    // The summary page: the key figures, each under its label.
    const summaryPage = pages.find((p) => p.startsWith(t("report.summary.title")))!;
    expect(summaryPage).toBeDefined();
    const after = (label: string) => lines(summaryPage)[lines(summaryPage).indexOf(label) + 2];
    expect(after(t("overview.totalScore"))).toBe(f(summary.totalScore));
    expect(after(t("overview.rank"))).toBe(t("overview.rankOf", { rank: summary.class.rank, n: summary.class.participants }));
    expect(after(t("overview.classMean"))).toBe(f(summary.class.mean));
    expect(after(t("overview.classBest"))).toBe(f(benchmark.class.best));

    // Every channel and area: its own row holds the company's score and the class mean.
    const rows = lines(pages.slice(0, 4).join("\n"));
    const channels = Object.entries(summary.byChannel) as [string, { inquiries: number; score: number }][];
    expect(channels.length).toBeGreaterThan(1);
    for (const [channel, figures] of channels) {
      const row = rows.find((line) => line.startsWith(`${t(`channel.${channel as "phone"}`)} ${figures.inquiries} `));
      expect(row, channel).toBeDefined();
      expect(row!.split(" ")).toContain(f(figures.score));
    }
    for (const area of summary.byArea as { code: string; name: string; score: number; classMean: number; classBest: number }[]) {
      expect(rows, area.code).toContain(`${area.code} ${area.name} ${f(area.score)} ${f(area.classMean)} ${formatSignedGap(area.score - area.classMean, "nb")} ${f(area.classBest)}`);
    }

    // One page per inquiry, each starting with its title; a long one continues under a running head.
    // The company shows its agents' names (each sample inquiry that has one).
    expect(pages.filter((p) => lines(p).includes(t("pack.inquiry.agent"))).length).toBeGreaterThan(0);
    const titled = pages.filter((p) => p.startsWith(t("pack.inquiry.title", { ref: "" })));
    expect(titled).toHaveLength(summary.inquiries);
    for (const ref of refs) expect(pages.filter((p) => p.startsWith(`${t("pack.inquiry.title", { ref })}\n`)), ref).toHaveLength(1);

    // An inquiry's points per question against the class mean, as the API gives them.
    const detail: Json = await api("sparebanken-demo", `/api/v1/studies/2021/inquiries/${refs[0]}`);
    const page = lines(pages.find((p) => p.startsWith(`${t("pack.inquiry.title", { ref: refs[0]! })}\n`))!);
    const scored = (detail.questions as { code: string; kind: string; points: number | null; maxPoints: number; classMean: number }[]).filter((q) => q.kind === "points" && q.points !== null);
    if (detail.answered) expect(scored.length).toBeGreaterThan(0);
    for (const q of scored) {
      const row = page.find((line) => line.startsWith(`${q.code} `));
      expect(row, q.code).toContain(t("pack.inquiry.pointsOf", { points: q.points!, max: q.maxPoints }));
      expect(row, q.code).toContain(f(q.classMean));
    }
  });

  it("in English, for a class of 2 companies, shows no class figure, no rank and says why; hidden agent names stay hidden", async () => {
    const tenantId = sample.ids.get("handlekurven")!;
    await sample.database.db.update(schema.participants).set({ hideAgentNames: true }).where(eq(schema.participants.id, tenantId));
    const [own, benchmark, { pages }] = await Promise.all([
      api("handlekurven", "/api/v1/studies/2021/summary"),
      api("handlekurven", "/api/v1/studies/2021/benchmark"),
      report("handlekurven", "full", "en"),
    ]);
    const f = (v: number) => formatScore(v, "en");
    expect(benchmark.class).toMatchObject({ participants: 2, mean: null, best: null, rank: null });
    expect(pages[0]).toContain(translate("en", "report.title"));
    // Before the inquiry pages (whose scores are the company's own), nothing from the class.
    const figurePages = pages.slice(0, pages.findIndex((p) => p.startsWith("Inquiry ")));
    const text = figurePages.join("\n").replace(/\s+/g, " ");
    const summaryPage = lines(figurePages.find((p) => p.startsWith("Summary\n"))!);
    expect(summaryPage[summaryPage.indexOf("Total score") + 2]).toBe(f(own.totalScore));
    expect(summaryPage[summaryPage.indexOf("Class rank") + 2]).toBe("–");
    expect(summaryPage[summaryPage.indexOf("Class mean") + 2]).toBe("–");
    expect(text).toContain(translate("en", "overview.classHidden"));
    expect(text).toContain(translate("en", "anonymity.tooFew"));
    // Every class cell of every channel, area and question row is "–", and no other company is named.
    const rows = lines(figurePages.join("\n"));
    for (const [channel, figures] of Object.entries(own.byChannel) as [string, { inquiries: number; score: number }][]) {
      expect(rows, channel).toContain(`${translate("en", `channel.${channel as "phone"}`)} ${figures.inquiries} ${f(figures.score)} – – –`);
    }
    for (const area of own.byArea as { code: string; name: string; score: number }[]) {
      expect(rows, area.code).toContain(`${area.code} ${area.name} ${f(area.score)} – – –`);
      expect(rows, area.code).toContain(`${area.code} ${area.name} ${f(area.score)} – – – –`);
    }
    expect(rows).toContain(`2021 ${f(own.totalScore)} – ${own.inquiries} ${formatPercent(own.answerRate, "en")}`);
    expect(text).not.toContain("Pakkeposten");
    // The company hides its agents' names: no inquiry page has the agent field.
    const inquiryPages = pages.slice(figurePages.length);
    expect(inquiryPages).toHaveLength(own.inquiries);
    for (const page of inquiryPages) expect(lines(page)).not.toContain(translate("en", "pack.inquiry.agent"));
  });
});

describe("the management summary", () => {
  it("is exactly one A4 page with the five points and the key chart's figures", async () => {
    const bytes = await renderCompanyReport({ tenantId: sample.ids.get("sparebanken-demo")!, studyYear: 2021, kind: "summary", lang: "nb" });
    const [summary, { pages }] = await Promise.all([api("sparebanken-demo", "/api/v1/studies/2021/summary"), pdfText(bytes)]);
    expect(pages).toHaveLength(1);
    expect(Buffer.from(bytes).toString("latin1")).toMatch(/\/MediaBox \[0 0 595\.2\d+ 841\.8\d+\]/);
    const text = lines(pages[0]!);
    for (const n of [1, 2, 3, 4, 5]) expect(text.some((line) => line.startsWith(`${n}.`)), `point ${n}`).toBe(true);
    expect(text.join(" ")).toContain(translate("nb", "report.points.rank", { score: formatScore(summary.totalScore, "nb"), rank: summary.class.rank, n: summary.class.participants, class: summary.class.name }));
    for (const area of summary.byArea as { code: string; name: string; score: number }[]) {
      expect(text.find((line) => line.startsWith(`${area.code} ${area.name} `)), area.code).toContain(formatScore(area.score, "nb"));
    }
  });
});

it("refuses a year the company has no published study of", async () => {
  await expect(renderCompanyReport({ tenantId: sample.ids.get("sparebanken-demo")!, studyYear: 2020, kind: "summary", lang: "nb" })).rejects.toBeInstanceOf(ReportNotAvailableError);
});
