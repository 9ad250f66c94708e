import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import * as s from "#db/schema";
import { hashPassword } from "~/auth/password.server";
import { publishStudy } from "~/models/studies/publish.server";
import { writeStudy } from "~/models/studies/study-write.server";
import { hasChromium, launchChromium } from "../support/browser";
import { createTestDatabase } from "../support/db";
import { addMember, createUser } from "../support/factories";
import { sampleStudy } from "../support/sample-study";
import { startTestServer, type TestServer } from "../support/server";

const PASSWORD = "innsikt-leder-2021";

async function axe(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return result.violations.map((v) => `${page.url()} ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

describe.skipIf(!hasChromium)("a customer-service manager reads the results in a real browser", () => {
  let database: Database;
  let server: TestServer;
  let browser: Browser;
  let email: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const earlier = sampleStudy(2020);
    for (const i of earlier.inquiries) i.ref = i.ref.replace("S21", "S20");
    for (const study of [earlier, sampleStudy(2021)]) {
      const { studyId } = await database.db.transaction((tx) => writeStudy(tx, study));
      await publishStudy(database.db, studyId);
    }
    const [bank] = await database.db.select().from(s.participants).where(eq(s.participants.code, "kystbanken"));
    const user = await createUser(database.db, { passwordHash: await hashPassword(PASSWORD) });
    email = user.email;
    await addMember(database.db, bank!.id, user.id, "manager");
    server = await startTestServer(database);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await database?.close();
  });

  it("overview, filtered inquiries, one inquiry and the next, variance, comparison, trends, tokens; both languages; no axe violations", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(`${page.url()}: ${e.message}`));
    const violations: string[] = [];

    await page.goto(`${server.origin}/login`);
    await page.getByLabel("E-postadresse").fill(email);
    await page.getByLabel("Passord").fill(PASSWORD);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { level: 1, name: /Kundeserviceprisen 2021/ }).waitFor();
    await page.getByRole("heading", { name: "Score per kanal" }).waitFor();
    violations.push(...(await axe(page)));

    // Inquiries: filter by channel and band with the keyboard-usable form.
    await page.getByRole("navigation", { name: "Hovedmeny" }).getByRole("link", { name: "Henvendelser" }).click();
    await page.getByRole("heading", { level: 1, name: /Henvendelser/ }).waitFor();
    const all = Number(/(\d+)/.exec((await page.getByRole("heading", { name: /henvendelser$/ }).textContent()) ?? "")?.[1]);
    await page.getByLabel("Kanal").selectOption("phone");
    await page.getByLabel("Scoreintervall").selectOption("low");
    await page.getByRole("button", { name: "Bruk filter" }).click();
    await page.waitForURL(/channel=phone&band=low|band=low.*channel=phone/);
    await expect.poll(async () => Number(/(\d+)/.exec((await page.getByRole("heading", { name: /henvendelser$/ }).textContent()) ?? "")?.[1])).toBeLessThan(all);
    const rows = page.getByRole("table", { name: "Henvendelser" }).locator("tbody tr");
    const count = await rows.count();
    expect(count).toBeGreaterThan(0);
    for (let r = 0; r < count; r++) {
      // A manager's list starts with the coaching pack's pick column.
      expect(await rows.nth(r).locator("td").nth(2).textContent()).toBe("Telefon");
      expect(await rows.nth(r).locator("td").nth(5).textContent()).toBe("Under 70");
    }
    violations.push(...(await axe(page)));

    // Open the first, step to the next within the same filter.
    const firstRef = await rows.first().getByRole("link").textContent();
    await rows.first().getByRole("link").click();
    await page.getByRole("heading", { level: 1, name: `Henvendelse ${firstRef}` }).waitFor();
    await expect.poll(() => page.getByText(/1 av \d+ i utvalget/).count()).toBe(1);
    violations.push(...(await axe(page)));
    if (count > 1) {
      const secondRef = await rows.nth(1).getByRole("link").textContent().catch(() => null);
      await page.getByRole("link", { name: "Neste" }).click();
      await page.getByText(/2 av \d+ i utvalget/).waitFor();
      if (secondRef) expect(await page.getByRole("heading", { level: 1 }).textContent()).toContain(secondRef);
    }

    for (const [link, heading] of [
      ["Variasjon", /Variasjon/],
      ["Sammenligning", /Sammenligning med bransjen/],
      ["Utvikling", /Utvikling over år/],
      ["Innstillinger", /Personer og tilganger/],
    ] as const) {
      await page.getByRole("navigation", { name: "Hovedmeny" }).getByRole("link", { name: link }).click();
      await page.getByRole("heading", { level: 1, name: heading }).waitFor();
      violations.push(...(await axe(page)));
    }
    // The settings' other pages are tabs under the one menu entry.
    await page.getByRole("navigation", { name: "Innstillinger for bedriften" }).getByRole("link", { name: "API-nøkler" }).click();
    await page.getByRole("heading", { level: 1, name: /API/ }).waitFor();
    violations.push(...(await axe(page)));

    // English, with the same pages.
    await page.getByRole("navigation", { name: "Hovedmeny" }).getByRole("link", { name: "Henvendelser" }).click();
    await page.getByRole("heading", { level: 1, name: /Henvendelser/ }).waitFor();
    await page.getByRole("button", { name: /English/ }).click();
    await page.getByRole("heading", { level: 1, name: /Inquiries/ }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    violations.push(...(await axe(page)));
    for (const [link, heading] of [
      ["Overview", /Overview/],
      ["Variance", /Variance/],
      ["Comparison", /Comparison with the class/],
      ["Trends", /Trends across years/],
    ] as const) {
      await page.getByRole("navigation", { name: "Main menu" }).getByRole("link", { name: link, exact: true }).click();
      await page.getByRole("heading", { level: 1, name: heading }).waitFor();
      violations.push(...(await axe(page)));
    }
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
