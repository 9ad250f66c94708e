import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "#db/client.server";
import { hashPassword } from "~/auth/password.server";
import { hasChromium, launchChromium } from "../support/browser";
import { createTestDatabase } from "../support/db";
import { createUser } from "../support/factories";
import { samplesDir } from "../support/sample-study";
import { startTestServer, type TestServer } from "../support/server";

const PASSWORD = "konsoll-test-1234";
const sample = (name: string) => readFileSync(new URL(name, samplesDir));

async function axeViolations(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

describe.skipIf(!hasChromium)("staff run a study year in a real browser", () => {
  let database: Database;
  let server: TestServer;
  let browser: Browser;
  let staffEmail: string;

  beforeAll(async () => {
    process.env.OUTBOX_DIR = mkdtempSync(path.join(tmpdir(), "innsikt-outbox-"));
    database = await createTestDatabase({ shared: true });
    const staff = await createUser(database.db, { passwordHash: await hashPassword(PASSWORD), isStaff: true, name: "Stine Stab" });
    staffEmail = staff.email;
    server = await startTestServer(database, { jobs: true });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await database?.close();
  });

  it("creates a study, loads three files (a broken one refused with its rows), publishes, invites a manager who then sees the overview", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(`${page.url()}: ${e.message}`));

    await page.goto(`${server.origin}/login`);
    await page.getByLabel("E-postadresse").fill(staffEmail);
    await page.getByLabel("Passord").fill(PASSWORD);
    await page.keyboard.press("Enter");
    await page.waitForURL(`${server.origin}/staff`);

    await page.getByLabel("År", { exact: true }).fill("2021");
    await page.getByRole("button", { name: "Opprett undersøkelse" }).click();
    await page.waitForURL(`${server.origin}/staff/studies/2021`);
    expect(await axeViolations(page)).toEqual([]);
    // A file input is drawn as a field (a visible border), not as bare text.
    expect(await page.locator("#upload-results-file").evaluate((el) => getComputedStyle(el).borderTopWidth)).not.toBe("0px");
    // Sending without a file is refused in the browser, beside the field, before any upload.
    await page.locator("form:has(#upload-results-file)").getByRole("button", { name: "Last opp og kontroller" }).click();
    await expect.poll(() => page.locator("#upload-results-file-error").textContent()).toBe("Velg en fil.");
    expect(page.url()).toBe(`${server.origin}/staff/studies/2021`);

    const upload = async (kind: "questionnaire" | "participants" | "results", name: string, buffer: Buffer) => {
      await page.goto(`${server.origin}/staff/studies/2021`);
      // The upload forms are Conform forms: a field's id is `<form id>-<name>`.
      await page.locator(`#upload-${kind}-file`).setInputFiles({ name, mimeType: "text/csv", buffer });
      await page.locator(`form:has(#upload-${kind}-file)`).getByRole("button", { name: "Last opp og kontroller" }).click();
      await page.waitForURL(/\/staff\/uploads\//);
    };
    const importFile = async (kind: "questionnaire" | "participants" | "results", name: string, rows: number) => {
      await upload(kind, name, sample(name));
      await page
        .getByRole("heading", { name: "Dette vil endres" })
        .waitFor()
        .catch(async (error: Error) => {
          throw new Error(`${error.message}\n${page.url()}\n${await page.locator("main").innerText()}`);
        });
      expect(await page.locator("dd").first().textContent()).toBe(String(rows));
      await page.getByRole("button", { name: "Importer" }).click();
      await page.getByRole("heading", { name: "Importert" }).waitFor({ timeout: 30_000 });
    };

    await importFile("questionnaire", "questionnaire.csv", 12);
    expect(await axeViolations(page)).toEqual([]);
    await importFile("participants", "participants.csv", 9);

    // A broken results file: a gender nobody uses on data row 3 (file row 3), points above max on file row 5.
    const lines = sample("results.csv").toString("utf8").split("\n");
    const header = lines[0]!.split(",");
    const records = lines.slice(1).join("\n");
    const broken = `${lines[0]}\n${records.replace(/,female,|,male,/, ",robot,")}`;
    expect(header).toContain("shopper_gender");
    await upload("results", "results-broken.csv", Buffer.from(broken));
    await page.getByRole("heading", { name: /Filen ble avvist/ }).waitFor({ timeout: 30_000 });
    const problemRows = page.locator("table tbody tr");
    expect(await problemRows.count()).toBeGreaterThan(0);
    const first = problemRows.first();
    expect(await first.locator("td").nth(0).textContent()).toBe("2");
    expect(await first.locator("td").nth(1).textContent()).toBe("shopper_gender");
    expect(await first.locator("td").nth(2).textContent()).toBe("robot");
    expect(await axeViolations(page)).toEqual([]);

    await importFile("results", "results.csv", 225);

    await page.goto(`${server.origin}/staff/studies/2021`);
    await page.getByRole("button", { name: "Publiser", exact: true }).click();
    await page.waitForURL(/published=1/);
    await expect.poll(() => page.getByText("Status:").textContent()).toContain("Publisert");
    expect(await page.getByRole("table", { name: "Importhistorikk" }).getByRole("row").count()).toBe(4); // header + three imports

    await page.goto(`${server.origin}/staff/companies`);
    await page.getByLabel(/Søk etter navn/).fill("kystbanken");
    await page.keyboard.press("Enter");
    await page.getByRole("link", { name: "Kystbanken" }).click();
    await page.getByRole("heading", { level: 1, name: "Kystbanken" }).waitFor();
    expect(await page.getByRole("table").first().textContent()).toContain("2021");
    await page.locator("#invite-email").fill("maja.manager@kystbanken.example");
    await page.locator("#invite-role").selectOption("manager");
    await page.getByRole("button", { name: "Send invitasjon" }).click();
    const link = await page.getByTestId("invitation-link").getAttribute("href");
    expect(link).toMatch(/\/invitation\/[a-z2-7]+$/);
    expect(await axeViolations(page)).toEqual([]);

    await page.goto(`${server.origin}/staff/audit`);
    const audit = await page.getByRole("table").textContent();
    for (const action of ["study.create", "import.questionnaire", "import.participants", "import.results", "study.publish", "invitation.create"]) {
      expect(audit).toContain(action);
    }
    await page.goto(`${server.origin}/staff/coaching`);
    await page.getByRole("heading", { level: 1, name: "Coachingtilbud" }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await context.close();

    // The manager, in a browser of their own, follows the link from the e-mail.
    const managerContext = await browser.newContext();
    const manager = await managerContext.newPage();
    manager.on("pageerror", (e) => errors.push(`${manager.url()}: ${e.message}`));
    await manager.goto(link!.replace(/^https?:\/\/[^/]+/, server.origin));
    await manager.getByRole("heading", { name: /Velkommen til Innsikt for Kystbanken/ }).waitFor();
    expect(await axeViolations(manager)).toEqual([]);
    await manager.getByLabel("Navn").fill("Maja Manager");
    await manager.getByLabel("Velg passord").fill("et-langt-passord-2021");
    await manager.getByLabel("Gjenta passordet").fill("et-langt-passord-2021");
    await manager.getByRole("button", { name: "Godta invitasjonen" }).click();
    await manager.waitForURL(`${server.origin}/company`);
    await manager.getByRole("heading", { level: 1, name: /Kundeserviceprisen 2021/ }).waitFor();
    expect(await manager.getByText("Kystbanken").first().isVisible()).toBe(true);

    // The link is single-use.
    await manager.goto(link!.replace(/^https?:\/\/[^/]+/, server.origin));
    await manager.getByRole("heading", { name: "Invitasjonen kan ikke brukes" }).waitFor();
    expect(errors).toEqual([]);
    await managerContext.close();
  }, 180_000);
});
