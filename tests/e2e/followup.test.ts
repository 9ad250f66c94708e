// Issue 18's acceptance in real Chromium: a manager creates an action plan from the gap map with a
// due date and links a coaching pack; the next study is published; the plan shows the new value
// and met or not met, equal to the trends page.
import { eq } from "drizzle-orm";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant, type Database } from "#db/client.server";
import * as s from "#db/schema";
import { hashPassword } from "~/auth/password.server";
import { formatScore } from "~/domain/format";
import type { StudyData } from "~/domain/types";
import { translate } from "~/i18n/i18n";
import { getComparison } from "~/models/insights/comparison.server";
import { getTrends } from "~/models/insights/trends.server";
import { publishStudy } from "~/models/studies/publish.server";
import { writeStudy } from "~/models/studies/study-write.server";
import { hasChromium, launchChromium } from "../support/browser";
import { createTestDatabase } from "../support/db";
import { addMember, createUser } from "../support/factories";
import { sampleStudy } from "../support/sample-study";
import { startTestServer, type TestServer } from "../support/server";

const PASSWORD = "oppfolging-test-123";
const COMPANY = "kystbanken";
const DAY = 86_400_000;

describe.skipIf(!hasChromium)("follow-up in a real browser (issue 18)", () => {
  let database: Database;
  let server: TestServer;
  let browser: Browser;
  let email: string;
  let tenantId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const { studyId } = await database.db.transaction((tx) => writeStudy(tx, sampleStudy(2021)));
    await publishStudy(database.db, studyId);
    const [company] = await database.db.select().from(s.participants).where(eq(s.participants.code, COMPANY));
    tenantId = company!.id;
    const user = await createUser(database.db, { name: "Mari Leder", passwordHash: await hashPassword(PASSWORD) });
    email = user.email;
    await addMember(database.db, tenantId, user.id, "manager");
    // A finished coaching pack of the company, to link.
    await database.db.insert(s.coachingExports).values({
      tenantId,
      studyId,
      format: "csv",
      selection: {},
      fileName: "velkomst-pakke.csv",
      status: "ready",
      content: Buffer.from("x"),
      expiresAt: new Date(Date.now() + 30 * DAY),
    });
    server = await startTestServer(database);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await database?.close();
  });

  it("a plan made from the gap map, with a due date and a linked pack, gets the next study's value and met or not met, equal to the trends page", async () => {
    const page = await (await browser.newContext()).newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));

    await page.goto(`${server.origin}/login?redirectTo=/company/comparison`);
    await page.getByLabel("E-postadresse").fill(email);
    await page.getByLabel("Passord").fill(PASSWORD);
    await page.keyboard.press("Enter");
    await page.waitForURL(`${server.origin}/company/comparison`);

    // The weakest area against the class mean: the one the manager sets a target for and plans for.
    const comparison = (await withTenant(database.db, tenantId, (scope) => getComparison(scope, 2021)))!;
    const weak = comparison.areas
      .filter((a) => a.own !== null && a.classMean !== null && a.own < a.classMean)
      .sort((a, b) => a.own! - a.classMean! - (b.own! - b.classMean!))[0]!;
    const name = `${weak.code} ${weak.name}`;

    // The follow-up page, from the menu: a phone goal of 60 s, and a 2021 target of 85 for that area.
    await page.getByRole("link", { name: "Oppfølging" }).first().click();
    await page.waitForURL(/\/company\/follow-up\/targets/);
    await page.getByLabel(translate("nb", "goals.form.phone")).fill("60");
    await page.getByRole("button", { name: translate("nb", "goals.form.save") }).click();
    await page.getByText(translate("nb", "goals.form.saved")).waitFor();
    await page.getByLabel(`Mål for ${name}`).fill("85");
    await page.getByRole("button", { name: translate("nb", "targets.form.save") }).click();
    await page.getByText("Målene for 2021 er lagret").waitFor();
    expect(await database.db.select({ channel: s.responseGoals.channel, goalSeconds: s.responseGoals.goalSeconds }).from(s.responseGoals).where(eq(s.responseGoals.tenantId, tenantId))).toEqual([
      { channel: "phone", goalSeconds: 60 },
    ]);
    const targetRows = await database.db.select({ year: s.targets.year, kind: s.targets.kind, subject: s.targets.subject, target: s.targets.target }).from(s.targets).where(eq(s.targets.tenantId, tenantId));
    expect(targetRows).toEqual([{ year: 2021, kind: "area", subject: weak.code, target: 85 }]);

    // The gap map shows the area's target beside its result, and offers "Lag tiltaksplan" for it.
    await page.goto(`${server.origin}/company/comparison`);
    await page.getByRole("columnheader", { name: translate("nb", "targets.col.target") }).first().waitFor();
    await page.getByRole("link", { name: translate("nb", "plans.createFor", { name }) }).click();
    await page.waitForURL(/\/company\/plans\/new\?/);
    expect(await page.getByLabel(translate("nb", "plans.form.metric")).inputValue()).toBe(`area:${weak.code}`);
    expect(await page.getByLabel(translate("nb", "plans.form.titleField")).inputValue()).toBe(name);

    await page.getByLabel(translate("nb", "plans.form.target")).fill("85");
    await page.getByLabel(translate("nb", "plans.form.dueDate")).fill("2099-03-31");
    await page.getByLabel(/velkomst-pakke\.csv/).check();
    await page.getByRole("button", { name: translate("nb", "plans.form.createSubmit") }).click();
    await page.waitForURL(/\/company\/plans\/[0-9a-f-]{36}\?created=1/);
    const planUrl = page.url().replace(/\?.*$/, "");
    await page.getByText(translate("nb", "plans.page.created")).waitFor();
    await page.getByRole("link", { name: translate("nb", "plans.page.pack", { name: "velkomst-pakke.csv" }) }).waitFor();
    const baseline2021 = (await withTenant(database.db, tenantId, (scope) => getTrends(scope))).areas.find((a) => a.code === weak.code)!.scores[2021]!;
    expect(await page.getByTestId("plan-baseline").textContent()).toBe(`${formatScore(baseline2021, "nb")} (2021)`);
    expect(await page.getByTestId("plan-result").textContent()).toBe(translate("nb", "plans.result.pending"));

    // The next study: the company answers the weak area's questions in full.
    const next: StudyData = sampleStudy(2022);
    for (const i of next.inquiries) i.ref = i.ref.replace(/^S21-/, "S22-");
    const questions = next.questionnaire.questions.filter((q) => q.areaCode === weak.code && q.kind === "points");
    for (const i of next.inquiries) {
      if (i.participantCode !== COMPANY || !i.answered) continue;
      for (const q of questions) if (i.answers[q.code] !== undefined) i.answers[q.code] = q.maxPoints!;
    }
    const { studyId } = await database.db.transaction((tx) => writeStudy(tx, next));
    await publishStudy(database.db, studyId);

    await page.goto(`${server.origin}/company/trends`);
    const areaRow = page.locator("#areas-title").locator("xpath=ancestor::section").getByRole("row", { name: new RegExp(`^${weak.code} `) });
    const trendCells = await areaRow.getByRole("cell").allTextContents();
    const shown2022 = trendCells[1]!.trim(); // the row's 2021 and 2022 cells, then the change
    const plansSection = page.locator("#plans-title").locator("xpath=ancestor::section");
    await plansSection.getByText(`${shown2022} (2022)`).waitFor();

    await page.goto(planUrl);
    const result = (await page.getByTestId("plan-result").textContent())!;
    expect(result).toContain(`${shown2022} (2022)`);
    const value = Number(shown2022.replace(",", "."));
    expect(result).toContain(translate("nb", value >= 85 ? "plans.result.met" : "plans.result.notMet"));
    expect(errors).toEqual([]);
  });
});
