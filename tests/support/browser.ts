import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { inCi } from "./ci";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM_PATH);

if (!hasChromium && inCi()) {
  // In CI a browser suite that quietly skipped would read as a pass: fail every browser test file instead.
  throw new Error(`CI is set but there is no Chromium at ${CHROMIUM_PATH}: the browser tests cannot run. Install it with: apt-get install -y chromium (or unset CI to skip them locally)`);
}
if (!hasChromium) {
  // Visible in the test output, so a skipped browser suite is never mistaken for a pass.
  console.warn(`\n⚠ Browser tests SKIPPED: no Chromium at ${CHROMIUM_PATH}. Install it with: apt-get install -y chromium\n`);
}

/** Debian's Chromium through playwright-core; never a downloaded browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

/**
 * Waits until React has hydrated the page's main element (its fiber is on the node) and the
 * network has settled: a click before then is the browser's own form submission, not the
 * page's handler (Remix sets window.__remixRouter before hydration has finished).
 */
export async function waitForHydration(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const main = document.getElementById("main");
    return main !== null && Object.keys(main).some((key) => key.startsWith("__reactFiber$"));
  });
  await page.waitForLoadState("networkidle", { timeout: 5_000 }).catch(() => {});
}
