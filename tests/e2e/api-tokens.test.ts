// The managers' API token page in a real browser: keyboard only, axe clean in both
// languages, the new token shown once with focus on it, then revoked.
import AxeBuilder from "@axe-core/playwright";
import { eq } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "#db/client.server";
import * as s from "#db/schema";
import { hashPassword } from "~/auth/password.server";
import { hasChromium, launchChromium } from "../support/browser";
import { createTestDatabase } from "../support/db";
import { addMember, createStudy, createTenant, createUser } from "../support/factories";
import { startTestServer, type TestServer } from "../support/server";

const PASSWORD = "nettleser-test-123";

async function axeViolations(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

describe.skipIf(!hasChromium)("API tokens page in a real browser", () => {
  let database: Database;
  let server: TestServer;
  let browser: Browser;
  let email: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const study = await createStudy(database.db, { year: 2021, status: "published" });
    const company = await createTenant(database.db, study, { name: "Nettleser Bank" });
    const user = await createUser(database.db, { passwordHash: await hashPassword(PASSWORD) });
    email = user.email;
    await addMember(database.db, company.tenantId, user.id, "manager");
    server = await startTestServer(database);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await database?.close();
  });

  it("creates a token with the keyboard, shows it once with focus on it, and revokes it; axe finds nothing", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    // The deliberate empty name answers 400, which Chromium logs as a failed resource.
    page.on("console", (m) => m.type() === "error" && !m.text().includes("status of 400") && errors.push(m.text()));

    await page.goto(`${server.origin}/login?redirectTo=/company/settings/tokens`);
    await page.getByLabel("E-postadresse").fill(email);
    await page.getByLabel("Passord").fill(PASSWORD);
    await page.keyboard.press("Enter");
    await page.waitForURL(`${server.origin}/company/settings/tokens`);
    await page.getByRole("heading", { level: 1, name: "API-nøkler" }).waitFor();
    expect(await page.getByText("Selskapet har ingen API-nøkler ennå.").isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    // An empty name: the field says why and is marked invalid.
    await page.getByLabel("Navn på nøkkelen").focus();
    await page.keyboard.press("Enter");
    await page.getByRole("alert").filter({ hasText: "Skriv et navn på nøkkelen." }).waitFor();
    expect(await page.getByLabel("Navn på nøkkelen").getAttribute("aria-invalid")).toBe("true");
    expect(await axeViolations(page)).toEqual([]);

    await page.getByLabel("Navn på nøkkelen").fill("Power BI");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Lag nøkkel");
    await page.keyboard.press("Enter");
    const field = page.getByLabel("Ny API-nøkkel");
    await field.waitFor();
    const token = await field.inputValue();
    expect(token).toMatch(/^iks_[a-z2-7]{32}$/);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-labelledby"))).toBe("new-token-title");
    // The list is revalidated after the action's answer: wait for it.
    await page.getByRole("row", { name: /Power BI/ }).getByText("Aldri").waitFor();
    expect(await axeViolations(page)).toEqual([]);

    const [stored] = await database.db.select().from(s.apiTokens).where(eq(s.apiTokens.name, "Power BI"));
    expect(stored!.tokenHash).not.toContain(token.slice(4));

    // Reloading the list never shows the token again.
    await page.goto(`${server.origin}/company/settings/tokens`);
    expect(await page.content()).not.toContain(token);

    await page.getByRole("button", { name: "Trekk tilbake nøkkelen «Power BI»" }).focus();
    await page.keyboard.press("Enter");
    await page.getByRole("status").filter({ hasText: "er trukket tilbake" }).waitFor();
    await page.getByRole("row", { name: /Power BI/ }).getByText(/Trukket tilbake/).waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole("button", { name: /English/ }).click();
    await page.getByRole("heading", { level: 1, name: "API tokens" }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
