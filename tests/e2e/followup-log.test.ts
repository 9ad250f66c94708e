// Issue 18, points 4 and 6, in a real browser: a team lead records a coaching session through the
// hydrated form (client-side validation first), and the trends and score-band pages hydrate
// without an error (a component once imported a helper from a .server module: the page rendered
// on the server and broke in the browser).
import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { translate } from "~/i18n/i18n";
import { hasChromium, launchChromium, waitForHydration } from "../support/browser";
import { publishedStudies } from "../support/published-sample";
import { sampleStudy } from "../support/sample-study";

const COMPANY = "kystbanken";

describe.skipIf(!hasChromium)("coaching log and honest comparisons in the browser", () => {
  let sample: Awaited<ReturnType<typeof publishedStudies>>;
  let browser: Browser;
  let cookie: string;

  beforeAll(async () => {
    const s2020 = sampleStudy(2020);
    for (const area of s2020.questionnaire.areas) if (area.code === "K") area.weight = 30;
    for (const inquiry of s2020.inquiries) inquiry.ref = inquiry.ref.replace(/^S21-/, "S20-");
    sample = await publishedStudies(s2020, sampleStudy(2021));
    cookie = await sample.memberCookie(COMPANY, "teamlead");
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await sample?.close();
  });

  async function open(path: string, width = 1366): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const [name, value] = cookie.split("=") as [string, string];
    await context.addCookies([{ name, value, url: sample.server.origin }]);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(sample.server.origin + path);
    await waitForHydration(page);
    return { page, errors };
  }

  it("records a session through the form, after the browser's own check of a missing habit", async () => {
    const { page, errors } = await open("/company/coaching/log");
    const ref = sampleStudy(2021).inquiries.find((i) => i.participantCode === COMPANY)!.ref;
    await page.fill("#coaching-log-coached", "Kveldsteamet");
    await page.fill("#coaching-log-refs", ref);
    await page.click("button[name=intent][value=create]");
    await expect.poll(() => page.locator("#coaching-log-habit-error").textContent()).toBe(translate("nb", "coachingLog.error.habitRequired"));
    await page.fill("#coaching-log-habit", "Bekreft hva kunden har fått svar på");
    await page.click("button[name=intent][value=create]");
    await page.getByText(translate("nb", "coachingLog.created")).waitFor();
    const row = page.locator("tbody tr", { hasText: "Kveldsteamet" });
    await expect.poll(() => row.textContent()).toContain(ref);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("the log, trends and score-band pages hydrate without an error, at 1366 and 390 px, with no axe violations and no sideways scrolling", async () => {
    for (const width of [1366, 390]) {
      for (const [path, text] of [
        ["/company/coaching/log", translate("nb", "coachingLog.list.title")],
        ["/company/trends", translate("nb", "weights.changed", { from: 2020, to: 2021 })],
        ["/company/score-bands", translate("nb", "bands.allChannels")],
      ] as const) {
        const where = `${path} at ${width} px`;
        const { page, errors } = await open(path, width);
        await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)));
        expect(await page.getByText(text).first().isVisible(), where).toBe(true);
        expect(errors, where).toEqual([]);
        const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
        expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), where).toEqual([]);
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), `${where}: scrolls sideways`).toBe(true);
        await page.context().close();
      }
    }
  });
});
