// Issue 14, "look at it": every page of the app, as the user it is for, at 1366 and 390 px,
// in bokmål and English. Each visit saves a full-page screenshot to
// .test-results/screenshots/<page>-<width>-<locale>.png (CI keeps .test-results/) and checks
// that every visible form control is drawn (a border or a ring), that the page does not
// scroll sideways at 390 px, and that axe finds nothing (WCAG 2.1 A/AA). One assertion lists
// every failure of every page, so a run shows them all at once. Beside it: the phone menu
// (a disclosure that also works without JavaScript) and printing to A4.

import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { eq } from "drizzle-orm";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import type { TextItem } from "pdfjs-dist/types/src/display/api";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "#db/client.server";
import * as s from "#db/schema";
import { hashPassword } from "~/auth/password.server";
import type { Locale } from "~/domain/format";
import { translate } from "~/i18n/i18n";
import { createInvitation } from "~/models/accounts/invitation.server";
import { mailPendingPasswordResets, requestPasswordReset } from "~/models/accounts/password-reset.server";
import { setActiveTenant } from "~/models/accounts/session.server";
import { createBooking } from "~/models/coaching/booking.server";
import { startExport } from "~/models/coaching/coaching-exports.server";
import { createCoach, createProduct, createSlot } from "~/models/coaching/coaching-offer.server";
import { createUpload } from "~/models/studies/import-jobs.server";
import { raiseQuery } from "~/models/studies/queries.server";
import { openReview, schedulePublication } from "~/models/studies/season.server";
import { createStudy } from "~/models/studies/study.server";
import { writeStudy } from "~/models/studies/study-write.server";
import { hasChromium, launchChromium, waitForHydration } from "../support/browser";
import { addMember, createUser, signedInCookie } from "../support/factories";
import { publishedStudiesWith } from "../support/published-sample";
import { sampleStudy, samplesDir } from "../support/sample-study";

const SHOTS = path.resolve(".test-results/screenshots");
const PRINTS = path.resolve(".test-results/print");
const WIDTHS = [1366, 390] as const;
const LOCALES: readonly Locale[] = ["nb", "en"];
const PHONE = 390;
const COMPANY = "fjordkraft-demo";
const OTHER_COMPANY = "kystbanken";
/** A fjordkraft-demo inquiry of the sample study. */
const INQUIRY = "S21-0011";
/** The same inquiry in the study in review. */
const REVIEW_INQUIRY = "S23-0011";
const DAY = 24 * 3600_000;
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

type Who = "manager" | "staff" | "public";
interface Screen {
  name: string;
  path: string;
  as: Who;
}

/** Waits (outside a test: expect.poll cannot) until a background job has done its part. */
async function until(what: string, done: () => Promise<boolean>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Waits until React has hydrated the page, the network has settled and any chart is drawn. */
async function settle(page: Page) {
  await waitForHydration(page);
  if ((await page.locator(".recharts-wrapper").count()) > 0) await page.locator(".recharts-surface").first().waitFor({ timeout: 15_000 });
}

/** Visible inputs, selects and textareas drawn with neither a border on every side nor a ring. */
function undrawnControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const transparent = (colour: string) => colour === "transparent" || /rgba\([^)]*,\s*0\)$/.test(colour);
    const shadows = (value: string) => (value === "none" ? [] : value.split(/,(?![^(]*\))/).map((part) => part.trim()));
    // A ring: a shadow with no offset or blur, a spread, and a colour one can see.
    const isRing = (shadow: string) => {
      const colour = /rgba?\([^)]*\)/.exec(shadow)?.[0] ?? "";
      const lengths = shadow.replace(colour, "").trim().split(/\s+/).map(parseFloat);
      return !transparent(colour) && lengths.length >= 4 && lengths[0] === 0 && lengths[1] === 0 && lengths[2] === 0 && lengths[3]! > 0;
    };
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>("input:not([type=hidden]), select, textarea")) {
      const box = el.getBoundingClientRect();
      if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true }) || box.width <= 1 || box.height <= 1) continue;
      const style = getComputedStyle(el);
      const bordered = (drawn: CSSStyleDeclaration) =>
        ["top", "right", "bottom", "left"].every(
          (side) =>
            parseFloat(drawn.getPropertyValue(`border-${side}-width`)) > 0 &&
            drawn.getPropertyValue(`border-${side}-style`) !== "none" &&
            !transparent(drawn.getPropertyValue(`border-${side}-color`)),
        );
      const input = el instanceof HTMLInputElement ? el : null;
      // A ticked box or radio of @tailwindcss/forms is filled instead; a file input is drawn by its button.
      const filled = input !== null && (input.type === "checkbox" || input.type === "radio") && input.checked && !transparent(style.backgroundColor);
      const fileButton = input?.type === "file" && bordered(getComputedStyle(el, "::file-selector-button"));
      if (bordered(style) || filled || fileButton || shadows(style.boxShadow).some(isRing)) continue;
      const label = (el.id && document.querySelector(`label[for="${CSS.escape(el.id)}"]`)?.textContent?.trim()) || el.getAttribute("aria-label") || "";
      out.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${el.getAttribute("name") ? `[name=${el.getAttribute("name")}]` : ""}${label ? ` "${label}"` : ""}`);
    }
    return out;
  });
}

/** The page's width, and the outermost elements (of `within`) that stick out past the right edge of the window. */
function sidewaysOverflow(page: Page, within = "body"): Promise<{ scrollWidth: number; innerWidth: number; culprits: string[] }> {
  return page.evaluate((within) => {
    const culprits: string[] = [];
    const sticksOut = (el: Element) => el.getBoundingClientRect().right > innerWidth + 0.5;
    for (const el of document.querySelectorAll(`${within} *`)) {
      if (!sticksOut(el) || el.getBoundingClientRect().width === 0) continue;
      let parent = el.parentElement;
      while (parent && parent !== document.body && !sticksOut(parent)) parent = parent.parentElement;
      if (parent && parent !== document.body) continue;
      const cls = typeof el.className === "string" ? el.className : "";
      culprits.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${cls ? `.${cls.split(/\s+/).slice(0, 4).join(".")}` : ""}`);
      if (culprits.length === 5) break;
    }
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth, culprits };
  }, within);
}

async function axeViolations(page: Page, within?: string): Promise<string[]> {
  const builder = new AxeBuilder({ page }).withTags(AXE_TAGS);
  const result = await (within ? builder.include(within) : builder).analyze();
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** Each text run of a PDF with its page, and the page's width (in PDF points). */
async function pdfRuns(bytes: Uint8Array) {
  const standardFonts = `${path.join(path.dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json")), "standard_fonts")}/`;
  const doc = await getDocument({ data: new Uint8Array(bytes), standardFontDataUrl: standardFonts, isEvalSupported: false, verbosity: 0 }).promise;
  const pages: { text: string; width: number; rightmost: number }[] = [];
  try {
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const items = (await page.getTextContent()).items.filter((item): item is TextItem => "str" in item && item.str.trim() !== "");
      pages.push({
        text: items.map((item) => item.str).join(" "),
        width: page.getViewport({ scale: 1 }).width,
        rightmost: Math.max(0, ...items.map((item) => (item.transform[4] as number) + item.width)),
      });
    }
  } finally {
    await doc.destroy();
  }
  return pages;
}

describe.skipIf(!hasChromium)("every page at 1366 and 390 px, in bokmål and English", () => {
  let sample: Awaited<ReturnType<typeof publishedStudiesWith>>;
  let browser: Browser;
  let cookies: Record<Exclude<Who, "public">, string>;
  let screens: Screen[];
  let outbox: string;
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    // Invoice only: no Stripe here.
    for (const key of ["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_API_URL", "OUTBOX_DIR"]) {
      saved[key] = process.env[key];
      delete process.env[key];
    }
    outbox = mkdtempSync(path.join(tmpdir(), "innsikt-outbox-"));
    process.env.OUTBOX_DIR = outbox;
    mkdirSync(SHOTS, { recursive: true });
    mkdirSync(PRINTS, { recursive: true });

    const earlier = sampleStudy(2020);
    for (const inquiry of earlier.inquiries) inquiry.ref = inquiry.ref.replace("S21", "S20");
    sample = await publishedStudiesWith({ jobs: true }, earlier, sampleStudy(2021));
    const { db } = sample.database;
    const companyId = sample.ids.get(COMPANY)!;

    // A manager of two companies (so the header has its company switcher), and staff.
    const manager = await createUser(db, { passwordHash: await hashPassword("skjerm-leder-2021"), name: "Marit Leder" });
    await addMember(db, companyId, manager.id, "manager");
    await addMember(db, sample.ids.get(OTHER_COMPANY)!, manager.id, "manager");
    const staff = await createUser(db, { isStaff: true, name: "Stine Stab" });
    const managerCookie = await signedInCookie(db, manager.id);
    const [session] = await db.select({ id: s.sessions.id }).from(s.sessions).where(eq(s.sessions.userId, manager.id));
    await setActiveTenant(db, session!.id, companyId);
    cookies = { manager: managerCookie, staff: await signedInCookie(db, staff.id) };

    // A booking, a coaching pack, an upload, an invitation and a reset link to look at.
    const coach = await createCoach(db, { name: "Åsne Ødegård", email: "asne.coach@example.no", bio: "Coach i kundeservice.", languages: ["nb", "en"], actorUserId: staff.id });
    const product = await createProduct(db, {
      nameNb: "Teamcoaching etter målingen",
      nameEn: "Team coaching after the study",
      descriptionNb: "Gjennomgang av henvendelsene med teamet.",
      descriptionEn: "A review of the inquiries with the team.",
      priceOre: 1_250_000,
      durationMinutes: 60,
      format: "video",
      actorUserId: staff.id,
    });
    const first = new Date(Date.now() + 3 * DAY);
    first.setUTCMinutes(0, 0, 0);
    const slots = [];
    for (const d of [0, 1]) {
      const startsAt = new Date(first.getTime() + d * DAY);
      slots.push(await createSlot(db, { coachId: coach.id, startsAt, endsAt: new Date(startsAt.getTime() + 90 * 60_000), actorUserId: staff.id }));
    }
    const booking = await createBooking(
      db,
      { tenantId: companyId, userId: manager.id, userEmail: manager.email, productId: product.id, slotId: slots[0]!.id, focus: "Avslutning av samtalen i Messenger.", exportId: null, method: "invoice" },
      null,
    );
    const pack = await startExport(db, {
      tenantId: companyId,
      companyName: "Fjordkraft Demo",
      userId: manager.id,
      format: "pdf",
      selection: { study: 2021, filter: { sort: "newest" }, refs: [INQUIRY], includeAgentNames: false },
      locale: "nb",
    });
    const draft = await createStudy(db, { year: 2022, userId: staff.id });
    // A study in review (spec/season.md), the company's newest, its publication scheduled: the
    // company's preliminary pages and the staff's season pages, with one query raised.
    const inReview = sampleStudy(2023);
    for (const inquiry of inReview.inquiries) inquiry.ref = inquiry.ref.replace("S21", "S23");
    const { studyId: reviewId } = await db.transaction((tx) => writeStudy(tx, inReview));
    await openReview(db, reviewId, { until: new Date(Date.now() + 7 * DAY), userId: staff.id });
    await schedulePublication(db, reviewId, { at: new Date(Date.now() + 10 * DAY + 2 * 3600_000), userId: staff.id });
    const { id: seasonQueryId } = await withTenant(db, companyId, (scope) =>
      raiseQuery(scope, { year: 2023, ref: REVIEW_INQUIRY, questionCode: null, reason: "Kundebehandleren lovet å ringe tilbake, og gjorde det.", userId: manager.id, role: "manager" }),
    );
    const uploadId = await createUpload(db, { studyId: draft.id, kind: "questionnaire", fileName: "questionnaire.csv", bytes: readFileSync(new URL("questionnaire.csv", samplesDir)), userId: staff.id });
    await until("the coaching pack is built", async () => (await db.select({ status: s.coachingExports.status }).from(s.coachingExports).where(eq(s.coachingExports.id, pack!.id)))[0]?.status !== "building");
    await until("the upload is checked", async () => (await db.select({ status: s.importUploads.status }).from(s.importUploads).where(eq(s.importUploads.id, uploadId)))[0]?.status !== "checking");
    const { token: invitation } = await createInvitation(db, { tenantId: companyId, email: "ny.leser@example.no", role: "viewer", invitedBy: staff.id });
    await requestPasswordReset(db, { email: manager.email });
    await mailPendingPasswordResets(db);
    const mails = await db.select().from(s.emailOutbox).where(eq(s.emailOutbox.toAddress, manager.email));
    const reset = /\/reset-password\/([a-z2-7]{32})/.exec(mails.at(-1)?.textBody ?? "")![1]!;

    screens = [
      { name: "login", path: "/login", as: "public" },
      { name: "forgot-password", path: "/forgot-password", as: "public" },
      { name: "invitation", path: `/invitation/${invitation}`, as: "public" },
      { name: "reset-password", path: `/reset-password/${reset}`, as: "public" },
      { name: "company-overview", path: "/company?study=2021", as: "manager" },
      { name: "company-inquiries", path: "/company/inquiries?study=2021", as: "manager" },
      { name: "company-inquiry", path: `/company/inquiries/${INQUIRY}?study=2021`, as: "manager" },
      { name: "company-variance", path: "/company/variance?study=2021", as: "manager" },
      { name: "company-comparison", path: "/company/comparison?study=2021", as: "manager" },
      { name: "company-overview-review", path: "/company", as: "manager" },
      { name: "company-inquiry-review", path: `/company/inquiries/${REVIEW_INQUIRY}?study=2023`, as: "manager" },
      { name: "company-comparison-review", path: "/company/comparison", as: "manager" },
      { name: "company-trends", path: "/company/trends", as: "manager" },
      { name: "company-score-bands", path: "/company/score-bands", as: "manager" },
      { name: "company-coaching-log", path: "/company/coaching/log", as: "manager" },
      { name: "company-awards", path: "/company/awards?study=2021", as: "manager" },
      { name: "company-coaching", path: "/company/coaching", as: "manager" },
      { name: "company-coaching-book", path: "/company/coaching/book", as: "manager" },
      { name: "company-coaching-booking", path: `/company/coaching/bookings/${booking.bookingId}`, as: "manager" },
      { name: "company-coaching-pack", path: `/company/coaching/packs/${pack!.id}`, as: "manager" },
      { name: "company-coaching-pack-new", path: "/company/coaching/packs/new", as: "manager" },
      { name: "company-settings-tokens", path: "/company/settings/tokens", as: "manager" },
      { name: "company-settings-privacy", path: "/company/settings/privacy", as: "manager" },
      { name: "company-follow-up-targets", path: "/company/follow-up/targets?year=2021", as: "manager" },
      { name: "company-settings-members", path: "/company/settings/members", as: "manager" },
      { name: "account", path: "/account", as: "manager" },
      { name: "account-sessions", path: "/account/sessions", as: "manager" },
      { name: "staff-studies", path: "/staff", as: "staff" },
      { name: "staff-study", path: "/staff/studies/2021", as: "staff" },
      { name: "staff-study-draft", path: "/staff/studies/2022", as: "staff" },
      { name: "staff-results", path: "/staff/studies/2021/results", as: "staff" },
      { name: "staff-upload", path: `/staff/uploads/${uploadId}`, as: "staff" },
      { name: "staff-companies", path: "/staff/companies", as: "staff" },
      { name: "staff-company", path: `/staff/companies/${COMPANY}`, as: "staff" },
      { name: "staff-coaching", path: "/staff/coaching", as: "staff" },
      { name: "staff-bookings", path: "/staff/bookings", as: "staff" },
      { name: "staff-audit", path: "/staff/audit", as: "staff" },
      { name: "staff-season-study", path: "/staff/studies/2023", as: "staff" },
      { name: "staff-season-queue", path: "/staff/studies/2023/queries", as: "staff" },
      { name: "staff-season-query", path: `/staff/studies/2023/queries/${seasonQueryId}`, as: "staff" },
    ];
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await sample?.close();
    if (outbox) rmSync(outbox, { recursive: true, force: true });
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  async function contextFor(who: Who, width: number, locale: Locale, javaScriptEnabled = true): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: { width, height: 900 }, javaScriptEnabled });
    const url = sample.server.origin;
    const jar: { name: string; value: string; url: string }[] = [{ name: "innsikt_lang", value: locale, url }];
    if (who !== "public") {
      const [name, value] = cookies[who].split("=") as [string, string];
      jar.push({ name, value, url });
    }
    await context.addCookies(jar);
    return context;
  }

  it("shows every page drawn: controls with borders, no sideways scrolling at 390 px, no axe violations", { timeout: 900_000 }, async () => {
    const failures: string[] = [];
    for (const width of WIDTHS) {
      for (const locale of LOCALES) {
        for (const who of ["public", "manager", "staff"] as const) {
          const context = await contextFor(who, width, locale);
          const page = await context.newPage();
          const errors: string[] = [];
          page.on("pageerror", (e) => errors.push(e.message));
          for (const screen of screens.filter((sc) => sc.as === who)) {
            const where = `${screen.name} (${screen.path}) ${width}px ${locale}`;
            errors.length = 0;
            const response = await page.goto(sample.server.origin + screen.path);
            if (response?.status() !== 200) failures.push(`${where}: HTTP ${response?.status()} at ${page.url()}`);
            try {
              await settle(page);
            } catch (error) {
              failures.push(`${where}: did not settle (${(error as Error).message.split("\n")[0]})`);
            }
            await page.screenshot({ path: path.join(SHOTS, `${screen.name}-${width}-${locale}.png`), fullPage: true });
            for (const control of await undrawnControls(page)) failures.push(`${where}: control without a border or ring: ${control}`);
            if (width === PHONE) {
              const overflow = await sidewaysOverflow(page);
              if (overflow.scrollWidth > overflow.innerWidth) {
                failures.push(`${where}: scrolls sideways (${overflow.scrollWidth} > ${overflow.innerWidth} px), sticking out: ${overflow.culprits.join(", ")}`);
              }
            }
            for (const violation of await axeViolations(page)) failures.push(`${where}: axe ${violation}`);
            for (const error of errors) failures.push(`${where}: page error ${error}`);
          }
          await context.close();
        }
      }
    }
    expect(failures, `${failures.length} problems:\n${failures.join("\n")}\n`).toEqual([]);
  });

  it("at 390 px hides the navigation behind a menu button that opens it, and closes on Escape with focus back on the button", async () => {
    for (const locale of LOCALES) {
      const context = await contextFor("manager", PHONE, locale);
      const page = await context.newPage();
      await page.goto(`${sample.server.origin}/company`);
      await settle(page);
      const menu = translate(locale, "nav.menu");
      const button = page.getByRole("button", { name: menu });
      const nav = page.getByRole("navigation", { name: translate(locale, "nav.main") });
      const logout = page.getByRole("button", { name: translate(locale, "nav.logout") });
      expect(await button.getAttribute("aria-expanded")).toBe("false");
      expect(await page.locator(`#${await button.getAttribute("aria-controls")}`).count()).toBe(1);
      expect(await nav.isVisible()).toBe(false);
      await page.screenshot({ path: path.join(SHOTS, `layout-menu-closed-${PHONE}-${locale}.png`) });

      await button.click();
      expect(await button.getAttribute("aria-expanded")).toBe("true");
      expect(await nav.isVisible()).toBe(true);
      expect(await logout.isVisible()).toBe(true);
      expect(await page.locator("#tenant-switcher").isVisible()).toBe(true);
      // Touch targets of the header: at least 24 × 24 px.
      const small = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>("header a, header button, header select")]
          .filter((el) => el.checkVisibility())
          .map((el) => ({ text: el.textContent?.trim() ?? el.id, box: el.getBoundingClientRect() }))
          .filter(({ box }) => box.width < 24 || box.height < 24)
          .map(({ text, box }) => `${text} ${Math.round(box.width)}×${Math.round(box.height)}`),
      );
      expect(small).toEqual([]);
      // The header fits (the page's own content is checked in the test above).
      expect((await sidewaysOverflow(page, "header")).culprits).toEqual([]);
      expect(await axeViolations(page, "header")).toEqual([]);
      await page.screenshot({ path: path.join(SHOTS, `layout-menu-open-${PHONE}-${locale}.png`) });

      await nav.getByRole("link").nth(1).focus();
      await page.keyboard.press("Escape");
      expect(await button.getAttribute("aria-expanded")).toBe("false");
      expect(await nav.isVisible()).toBe(false);
      expect(await button.evaluate((el) => el === document.activeElement)).toBe(true);

      // A link in the open menu goes there and the menu closes behind it.
      await button.click();
      await nav.getByRole("link", { name: translate(locale, "nav.inquiries") }).click();
      await page.waitForURL(`${sample.server.origin}/company/inquiries`);
      await expect.poll(() => button.getAttribute("aria-expanded")).toBe("false");
      await context.close();
    }
  });

  it("at 390 px without JavaScript shows the navigation and no menu button; at 1366 px shows the navigation and no menu button", async () => {
    for (const [width, javaScript] of [
      [PHONE, false],
      [1366, true],
    ] as const) {
      const context = await contextFor("manager", width, "nb", javaScript);
      const page = await context.newPage();
      await page.goto(`${sample.server.origin}/company`);
      expect(await page.getByRole("navigation", { name: "Hovedmeny" }).getByRole("link", { name: "Henvendelser" }).isVisible()).toBe(true);
      expect(await page.getByRole("button", { name: "Meny" }).isVisible()).toBe(false);
      expect(await page.getByRole("button", { name: "Logg ut" }).isVisible()).toBe(true);
      expect((await sidewaysOverflow(page, "header")).culprits).toEqual([]);
      if (!javaScript) await page.screenshot({ path: path.join(SHOTS, `layout-menu-nojs-${PHONE}-nb.png`), fullPage: true });
      await context.close();
    }
  });

  it("prints the overview and the inquiry list on A4 without the app around them, charts within the page, table headers on every page", async () => {
    const context = await contextFor("manager", 1366, "nb");
    const page = await context.newPage();
    const chrome = (["nav.logout", "skip.toMain", "switcher.submit", "nav.account"] as const).map((key) => translate("nb", key));

    await page.goto(`${sample.server.origin}/company?study=2021`);
    await settle(page);
    const heading = (await page.locator("h1").innerText()).replace(/\s+/g, " ");
    const overview = await pdfRuns(await page.pdf({ format: "A4", path: path.join(PRINTS, "company-overview-a4-nb.pdf") }));
    expect(overview[0]!.text.replace(/\s+/g, " "), "the page's own heading prints").toContain(heading);
    for (const [i, p] of overview.entries()) {
      for (const text of chrome) expect(p.text, `overview page ${i + 1}`).not.toContain(text);
      expect(p.rightmost, `overview page ${i + 1}: text past the right edge`).toBeLessThanOrEqual(p.width);
    }

    await page.goto(`${sample.server.origin}/company/inquiries?study=2021`);
    await settle(page);
    const lastRef = (await page.locator("main table tbody tr").last().locator("th, td").allTextContents()).map((t) => t.trim()).find((t) => /^S21-/.test(t));
    const list = await pdfRuns(await page.pdf({ format: "A4", path: path.join(PRINTS, "company-inquiries-a4-nb.pdf") }));
    expect(list.length).toBeGreaterThan(1);
    for (const [i, p] of list.entries()) {
      for (const text of chrome) expect(p.text, `inquiry list page ${i + 1}`).not.toContain(text);
      expect(p.text, `inquiry list page ${i + 1}: the filter form`).not.toContain(translate("nb", "inquiries.apply"));
      expect(p.text, `inquiry list page ${i + 1}: the table header`).toContain(translate("nb", "inquiries.ref"));
      expect(p.rightmost, `inquiry list page ${i + 1}: text past the right edge`).toBeLessThanOrEqual(p.width);
    }
    // The table's scroll box prints whole: its last row is on the last page.
    expect(lastRef).toBeDefined();
    expect(list.at(-1)!.text).toContain(lastRef);
    await context.close();

    // A page's own <header> (the kit's PageHeader) prints; only the app's header is left out.
    const visitor = await contextFor("public", 1366, "nb");
    const login = await visitor.newPage();
    await login.goto(`${sample.server.origin}/login`);
    const [loginPdf] = await pdfRuns(await login.pdf({ format: "A4" }));
    expect(loginPdf!.text).toContain(translate("nb", "login.intro"));
    expect(loginPdf!.text).not.toContain(translate("nb", "nav.switchLanguage"));
    await visitor.close();
  });
});
