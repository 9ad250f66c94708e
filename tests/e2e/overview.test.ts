import AxeBuilder from "@axe-core/playwright";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "#db/client.server";
import { eq } from "drizzle-orm";
import * as s from "#db/schema";
import { hashPassword } from "~/auth/password.server";
import { publishStudy } from "~/models/studies/publish.server";
import { writeStudy } from "~/models/studies/study-write.server";
import { hasChromium, launchChromium } from "../support/browser";
import { createTestDatabase } from "../support/db";
import { addMember, createUser } from "../support/factories";
import { sampleStudy } from "../support/sample-study";
import { startTestServer, type TestServer } from "../support/server";

const PASSWORD = "nettleser-test-123";

describe.skipIf(!hasChromium)("a manager in a real browser", () => {
  let database: Database;
  let server: TestServer;
  let browser: Browser;
  let email: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const { studyId } = await database.db.transaction((tx) => writeStudy(tx, sampleStudy(2021)));
    await publishStudy(database.db, studyId);
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

  it("logs in with the keyboard, sees the overview with its chart and table, switches language; axe finds no violations", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    // The deliberate wrong password answers 401, which Chromium logs as a failed resource.
    page.on("console", (m) => m.type() === "error" && !m.text().includes("status of 401") && errors.push(m.text()));

    await page.goto(`${server.origin}/company`);
    await expect.poll(() => new URL(page.url()).pathname).toBe("/login");
    expect((await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze()).violations).toEqual([]);

    await page.getByLabel("E-postadresse").fill(email);
    await page.getByLabel("Passord").fill("feil-passord");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("Feil e-postadresse eller passord.");

    await page.getByLabel("Passord").fill(PASSWORD);
    await page.keyboard.press("Enter");
    await page.waitForURL(`${server.origin}/company`);
    await page.getByRole("heading", { level: 1, name: /Kundeserviceprisen 2021/ }).waitFor();
    await page.locator(".recharts-bar-rectangle").first().waitFor({ timeout: 15_000 });
    const table = page.getByRole("table", { name: "Fordeling på scoreintervaller" });
    expect(await table.getByRole("row").count()).toBe(5);
    expect(await page.getByText("Kystbanken").first().isVisible()).toBe(true);
    const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);

    await page.getByRole("button", { name: /English/ }).click();
    await page.getByRole("heading", { level: 1, name: /^Overview/ }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    expect(errors).toEqual([]);
    await context.close();
  });
});
