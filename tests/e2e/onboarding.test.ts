// Onboarding at scale (issue 17's acceptance), in real Chromium: staff upload a contacts file of
// 170 rows with 3 bad ones and see exactly those, upload the fixed file and send; the outbox
// holds one invitation per new address; the same file again sends none; one invited manager
// accepts the invitation; the onboarding page shows that company as signed in, its counts equal
// to a plain SQL count.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "#db/client.server";
import * as s from "#db/schema";
import { hashPassword } from "~/auth/password.server";
import { hasChromium, launchChromium } from "../support/browser";
import { BROKEN, CONTACT_ROWS, contactsCsv, contactsFor, type Contact } from "../support/contacts-file";
import { createTestDatabase } from "../support/db";
import { createStudy, createTenant, createUser, type TestStudy } from "../support/factories";
import { startTestServer, type TestServer } from "../support/server";

const PASSWORD = "onboarding-test-1234";
const YEAR = 2031;
const COMPANIES = 57;

async function axeViolations(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

describe.skipIf(!hasChromium)("staff onboard a study's companies in a real browser", () => {
  let database: Database;
  let server: TestServer;
  let browser: Browser;
  let staffEmail: string;
  let study: TestStudy;
  let contacts: Contact[];

  beforeAll(async () => {
    process.env.OUTBOX_DIR = mkdtempSync(path.join(tmpdir(), "innsikt-outbox-"));
    database = await createTestDatabase({ shared: true });
    const db = database.db;
    const staff = await createUser(db, { passwordHash: await hashPassword(PASSWORD), isStaff: true, name: "Stine Stab" });
    staffEmail = staff.email;
    study = await createStudy(db, { year: YEAR, status: "draft" });
    const codes: string[] = [];
    for (let i = 0; i < COMPANIES; i++) codes.push((await createTenant(db, study, { scores: [70] })).code);
    contacts = contactsFor(codes, "e2e");
    server = await startTestServer(database);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await database?.close();
  });

  /** The plain SQL count of the companies whose manager has signed in, is invited, or nobody. */
  async function plainCounts() {
    const result = await database.db.execute<{ state: string; n: number }>(
      sql`
      with c as (
        select p.id,
          exists (select 1 from memberships m join users u on u.id = m.user_id
                  where m.tenant_id = p.id and m.role = 'manager' and u.disabled_at is null
                    and u.last_login_at is not null) as signed_in,
          exists (select 1 from memberships m where m.tenant_id = p.id and m.role = 'manager')
            or exists (select 1 from invitations i where i.tenant_id = p.id and i.role = 'manager' and i.accepted_at is null and i.revoked_at is null) as invited
        from participations pa join participants p on p.id = pa.tenant_id where pa.study_id = ${study.study.id})
      select case when signed_in then 'signedIn' when invited then 'invited' else 'nobody' end as state, count(*)::int as n from c group by 1`,
    );
    const rows = (Array.isArray(result) ? result : (result as unknown as { rows: { state: string; n: number }[] }).rows) as { state: string; n: number }[];
    const byState = Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
    return { signedIn: byState.signedIn ?? 0, invited: byState.invited ?? 0, nobody: byState.nobody ?? 0 };
  }

  it("uploads 170 rows with 3 bad ones, sees exactly those, sends the fixed file once, and a manager's accepted invitation shows as signed in", async () => {
    const db = database.db;
    const emails = contacts.map((c) => c.email);
    const mails = () => db.select().from(s.emailOutbox).where(inArray(s.emailOutbox.toAddress, emails));
    const staffContext = await browser.newContext();
    const page = await staffContext.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(`${page.url()}: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(`${page.url()}: console: ${m.text()}`);
    });

    await page.goto(`${server.origin}/login`);
    await page.getByLabel("E-postadresse").fill(staffEmail);
    await page.getByLabel("Passord").fill(PASSWORD);
    await page.keyboard.press("Enter");
    await page.waitForURL(`${server.origin}/staff`);

    // From the study page to its onboarding page; nobody is invited yet.
    await page.goto(`${server.origin}/staff/studies/${YEAR}`);
    await page.getByRole("link", { name: "Invitasjoner og pålogging" }).click();
    await page.waitForURL(`${server.origin}/staff/studies/${YEAR}/onboarding`).catch((error: Error) => {
      throw new Error(`${error.message}\n${errors.join("\n")}`);
    });
    expect(await page.locator('[data-count="nobody"]').textContent()).toBe(String(COMPANIES));
    expect(await axeViolations(page)).toEqual([]);

    const upload = async (name: string, csv: string) => {
      await page.goto(`${server.origin}/staff/studies/${YEAR}/onboarding`);
      await page.locator("#contacts-upload-file").setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(csv) });
      await page.getByRole("button", { name: "Last opp og forhåndsvis" }).click();
      await page.waitForURL(/\/onboarding\/contacts\/[0-9a-f-]{36}$/);
    };

    // The broken file: exactly its three rows, each with its column and value; nothing to send.
    await upload("kontakter.csv", contactsCsv(contacts, { broken: true }));
    await page.getByRole("heading", { name: "3 problemer i filen" }).waitFor();
    const problems = await page.locator("[data-problem-row]").evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll("td")].slice(0, 3).map((td) => td.textContent)));
    expect(problems).toEqual(BROKEN.map((b) => [String(b.row), b.column, b.value]));
    expect(await page.getByRole("button", { name: /^Send/ }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    expect(await mails()).toHaveLength(0);

    // The fixed file: 170 new, one button; a reload shows the same preview.
    await upload("kontakter-rettet.csv", contactsCsv(contacts));
    expect(await page.locator('[data-count="new"]').textContent()).toBe(String(CONTACT_ROWS));
    await page.reload();
    expect(await page.locator('[data-count="new"]').textContent()).toBe(String(CONTACT_ROWS));
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole("button", { name: `Send ${CONTACT_ROWS} invitasjoner` }).click();
    await page.getByText(`${CONTACT_ROWS} invitasjoner er sendt.`).waitFor();
    const sent = await mails();
    expect(sent.map((m) => m.toAddress).sort()).toEqual([...emails].sort());

    // The same file again: everyone is invited already, nothing new is sent.
    await upload("kontakter-rettet.csv", contactsCsv(contacts));
    await page.getByText("Ingenting nytt å sende").waitFor();
    expect(await page.locator('[data-count="invited"]').textContent()).toBe(String(CONTACT_ROWS));
    expect(await mails()).toHaveLength(CONTACT_ROWS);

    // Row 2's person, the manager of the first company, accepts the invitation from the e-mail.
    const manager = contacts[0]!;
    const mail = sent.find((m) => m.toAddress === manager.email)!;
    const link = /\/invitation\/[A-Za-z0-9_-]+/.exec(mail.textBody ?? "")![0];
    const managerContext = await browser.newContext();
    const managerPage = await managerContext.newPage();
    await managerPage.goto(`${server.origin}${link}`);
    await managerPage.getByLabel("Navn").fill("Mona Leder");
    await managerPage.getByLabel("Velg passord").fill(PASSWORD);
    await managerPage.getByLabel("Gjenta passordet").fill(PASSWORD);
    await managerPage.getByRole("button", { name: "Godta invitasjonen" }).click();
    await managerPage.waitForURL(`${server.origin}/company`);

    // The new manager runs their own team: from the menu to the members page, where they invite a
    // team lead; the invitation goes out by e-mail (once), in the company's name, as team lead.
    const teamLead = `teamleder.${manager.code.toLowerCase()}@bedrift.example`;
    await managerPage.getByRole("navigation", { name: "Hovedmeny" }).getByRole("link", { name: "Innstillinger" }).click();
    await managerPage.waitForURL(`${server.origin}/company/settings/members`);
    await managerPage.getByLabel("E-postadresse").fill(teamLead);
    await managerPage.getByLabel("Rolle", { exact: true }).selectOption({ label: "Teamleder" });
    await managerPage.getByRole("button", { name: "Send invitasjon" }).click();
    await managerPage.getByText(`Invitasjonen til ${teamLead} er sendt.`).waitFor();
    expect(await axeViolations(managerPage)).toEqual([]);
    const teamLeadMails = await db.select().from(s.emailOutbox).where(eq(s.emailOutbox.toAddress, teamLead));
    expect(teamLeadMails).toHaveLength(1);
    const [participantOfManager] = await db.select().from(s.participants).where(eq(s.participants.code, manager.code));
    const teamLeadInvitations = await db.select().from(s.invitations).where(eq(s.invitations.email, teamLead));
    expect(teamLeadInvitations.map((i) => [i.tenantId, i.role])).toEqual([[participantOfManager!.id, "teamlead"]]);

    // The onboarding page shows that company as signed in, the others invited; equal to plain SQL.
    await page.goto(`${server.origin}/staff/studies/${YEAR}/onboarding?state=signedIn`);
    const [participant] = await db.select().from(s.participants).where(eq(s.participants.code, manager.code));
    const rows = page.locator("tbody tr");
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain(participant!.name);
    const expected = await plainCounts();
    expect(expected).toEqual({ signedIn: 1, invited: COMPANIES - 1, nobody: 0 });
    for (const [state, n] of Object.entries(expected)) expect(await page.locator(`[data-count="${state}"]`).textContent()).toBe(String(n));
    const accepted = await db.select().from(s.invitations).where(and(eq(s.invitations.tenantId, participant!.id), eq(s.invitations.email, manager.email)));
    expect(accepted.map((i) => Boolean(i.acceptedAt))).toEqual([true]);
    expect(errors).toEqual([]);
    await managerContext.close();
    await staffContext.close();
  }, 240_000);
});
