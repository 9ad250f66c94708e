// Fast first paint, in the browser: the overview's first paint needs no chart code (the chart
// loads after hydration, in a box kept for it, beside a server-rendered table with the same
// figures), and no page trips the CSP while it loads (zod's eval probe did, on every page with
// a schema: Lighthouse counts that against best practices).
import type { Browser, BrowserContext, Page } from "playwright-core";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "#db/client.server";
import * as s from "#db/schema";
import { publishStudy } from "~/models/studies/publish.server";
import { writeStudy } from "~/models/studies/study-write.server";
import { hasChromium, launchChromium } from "../support/browser";
import { createTestDatabase } from "../support/db";
import { addMember, createUser, signedInCookie } from "../support/factories";
import { sampleStudy } from "../support/sample-study";
import { startTestServer, type TestServer } from "../support/server";

declare global {
  interface Window {
    __cspViolations?: string[];
  }
}

describe.skipIf(!hasChromium)("first paint", () => {
  let database: Database;
  let server: TestServer;
  let browser: Browser;
  let cookie: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const { studyId } = await database.db.transaction((tx) => writeStudy(tx, sampleStudy(2021)));
    await publishStudy(database.db, studyId);
    const [bank] = await database.db.select().from(s.participants).where(eq(s.participants.code, "kystbanken"));
    const user = await createUser(database.db);
    await addMember(database.db, bank!.id, user.id, "manager");
    cookie = await signedInCookie(database.db, user.id);
    server = await startTestServer(database);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await database?.close();
  });

  /** A browser context whose pages note every CSP violation, from their first script on (window.__cspViolations). */
  async function watchedContext(options: { signedIn: boolean }): Promise<BrowserContext> {
    const context = await browser.newContext();
    if (options.signedIn) {
      const [name, value] = cookie.split("=") as [string, string];
      await context.addCookies([{ name, value, url: server.origin }]);
    }
    await context.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener("securitypolicyviolation", (e) => window.__cspViolations!.push(`${e.violatedDirective} ${e.sourceFile}:${e.lineNumber}`));
    });
    return context;
  }

  /** Waits until the route modules have run and Remix has started (it sets window.__remixRouter), then one more task for queued events. */
  async function started(page: Page) {
    await page.waitForFunction(() => "__remixRouter" in window);
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
  }

  it("the overview's first paint needs no chart code: the server sends the table and an empty box, the chart follows after hydration", async () => {
    const context = await watchedContext({ signedIn: true });
    const page = await context.newPage();
    const response = await page.goto(`${server.origin}/company`);
    const html = await response!.text();
    // The table with the chart's figures is in the server's HTML; the chart is not.
    expect(html).toContain("Fordeling på scoreintervaller");
    expect(html).not.toContain("recharts");
    // None of the scripts the page asks for up front carries the chart code (Recharts).
    const upfront = [...html.matchAll(/<(?:link rel="modulepreload" href|script[^>]* src)="([^"]+\.js)"/g)].map((m) => m[1]!);
    expect(upfront.length).toBeGreaterThan(3);
    for (const src of upfront) {
      const code = await (await fetch(server.origin + src)).text();
      expect(code.includes("recharts-bar-rectangle"), src).toBe(false);
    }
    // After hydration the chart is drawn all the same.
    await page.locator(".recharts-bar-rectangle").first().waitFor({ timeout: 15_000 });
    await context.close();
  });

  it("on a phone, a chart far down the page loads only when the reader scrolls towards it", async () => {
    const context = await watchedContext({ signedIn: true });
    const page = await context.newPage();
    await page.setViewportSize({ width: 390, height: 400 });
    const chartRequests: string[] = [];
    page.on("request", (request) => /\/build\/.*Chart[^/]*\.js$/.test(request.url()) && chartRequests.push(request.url()));
    await page.goto(`${server.origin}/company`);
    await started(page);
    const figure = page.locator("figure").first();
    // The chart's box is more than twice the viewport's height down the page.
    expect(await figure.evaluate((element) => element.getBoundingClientRect().top)).toBeGreaterThan(800);
    // Two frames: time for an observer that sees the box to say so.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    expect(chartRequests).toEqual([]);
    expect(await page.locator(".recharts-wrapper").count()).toBe(0);

    await figure.scrollIntoViewIfNeeded();
    await page.locator(".recharts-bar-rectangle").first().waitFor({ timeout: 15_000 });
    expect(chartRequests.length).toBeGreaterThan(0);
    await context.close();
  });

  it("no page trips the Content Security Policy while it loads and hydrates", async () => {
    const context = await watchedContext({ signedIn: true });
    for (const path of ["/company", "/company/inquiries", "/company/variance", "/company/trends"]) {
      const page = await context.newPage();
      await page.goto(`${server.origin}${path}`);
      await started(page);
      expect(await page.evaluate(() => window.__cspViolations), path).toEqual([]);
      await page.close();
    }
    await context.close();
    // Signed out: the login form validates with zod in the browser.
    const anonymous = await watchedContext({ signedIn: false });
    const page = await anonymous.newPage();
    await page.goto(`${server.origin}/login`);
    await started(page);
    await page.getByLabel("E-postadresse").fill("not-an-address");
    await page.getByLabel("Passord").fill("x");
    await page.keyboard.press("Enter");
    await page.getByRole("alert").first().waitFor();
    expect(await page.evaluate(() => window.__cspViolations)).toEqual([]);
    await anonymous.close();
  });
});
