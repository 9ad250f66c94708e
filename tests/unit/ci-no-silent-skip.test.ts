// In CI (CI=true) a missing Chromium or PostgreSQL must fail the run, not skip tests;
// outside CI the same tests skip with a visible notice (issue 13, point 6).
import { spawnSync } from "node:child_process";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { afterEach, describe, expect, it } from "vitest";
import setup from "../support/global-setup";

const tsx = path.join("node_modules", ".bin", "tsx");
const missing = "/nonexistent/chromium-for-this-test";

/** Loads tests/support/browser.ts (as every browser test file does) in a child with `env`. */
function loadBrowserSupport(env: Record<string, string | undefined>) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, CHROMIUM_PATH: missing, ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete childEnv[k];
  return spawnSync(tsx, ["tests/support/browser.ts"], { env: childEnv, encoding: "utf8", timeout: 60_000 });
}

describe("no silent skip in CI", () => {
  it("a browser test file fails to load in CI when Chromium is missing", () => {
    const result = loadBrowserSupport({ CI: "true" });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`CI is set but there is no Chromium at ${missing}`);
  });

  it("outside CI the browser tests are skipped with a visible notice instead", () => {
    const result = loadBrowserSupport({ CI: undefined });
    expect(result.status).toBe(0);
    expect(result.stderr).toContain(`Browser tests SKIPPED: no Chromium at ${missing}`);
  });

  const saved = { CI: process.env.CI, DATABASE_URL: process.env.DATABASE_URL };
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it("the global setup throws in CI when DATABASE_URL is unset", async () => {
    process.env.CI = "true";
    delete process.env.DATABASE_URL;
    const project = { provide: () => {} } as unknown as TestProject;
    await expect(setup(project)).rejects.toThrow(/CI is set but DATABASE_URL is not/);
  });
});
