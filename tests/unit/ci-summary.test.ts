// .ci/summary.mjs: CI's last line, "N passed, N failed, N skipped", summed over the Node runs
// from vitest's JSON results and exit statuses, plus the security scan (issue 13, point 6).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const dir = mkdtempSync(path.join(os.tmpdir(), "innsikt-ci-summary-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A vitest JSON report with `passed`/`failed` tests, and `skipped` + `todo` left out. */
function report(name: string, counts: { passed: number; failed: number; skipped: number; todo?: number; failedSuites?: number }) {
  const file = path.join(dir, `${name}.json`);
  const results = [
    ...Array.from({ length: counts.skipped }, (_, i) => ({ status: "pending", fullName: `skipped test ${i}` })),
    ...Array.from({ length: counts.todo ?? 0 }, (_, i) => ({ status: "todo", fullName: `todo test ${i}` })),
  ];
  writeFileSync(
    file,
    JSON.stringify({
      numPassedTests: counts.passed,
      numFailedTests: counts.failed,
      numPendingTests: counts.skipped,
      numTodoTests: counts.todo ?? 0,
      numFailedTestSuites: counts.failedSuites ?? 0,
      testResults: [{ name: path.join(process.cwd(), "tests/e2e/x.test.ts"), assertionResults: results }],
    }),
  );
  return file;
}

function summary(runs: [string, string, number][], scanFailed: 0 | 1) {
  const tsv = path.join(dir, `runs-${Math.random().toString(36).slice(2)}.tsv`);
  writeFileSync(tsv, runs.map((r) => r.join("\t")).join("\n") + "\n");
  const result = spawnSync(process.execPath, [".ci/summary.mjs", tsv, String(scanFailed)], { encoding: "utf8" });
  const lines = result.stdout.trim().split("\n");
  return { status: result.status, lines, last: lines.at(-1) };
}

describe("CI summary line", () => {
  it("sums both Node runs and the scan, counts skipped and todo tests as skipped, and names them", () => {
    const a = report("a", { passed: 470, failed: 0, skipped: 1 });
    const b = report("b", { passed: 469, failed: 0, skipped: 1, todo: 1 });
    const out = summary([["node v20.20.2", a, 0], ["node v22.23.5", b, 0]], 0);
    expect(out.lines).toContain("node v20.20.2: 470 passed, 0 failed, 1 skipped");
    expect(out.lines).toContain("node v22.23.5: 469 passed, 0 failed, 2 skipped");
    expect(out.lines).toContain("  skipped on node v22.23.5: tests/e2e/x.test.ts > todo test 0");
    expect(out.last).toBe("940 passed, 0 failed, 3 skipped");
    expect(out.status).toBe(0);
  });

  it("a run that exited non-zero without a failed test (a file that failed to load) still counts a failure", () => {
    const a = report("c", { passed: 400, failed: 0, skipped: 0, failedSuites: 5 });
    const b = report("d", { passed: 470, failed: 2, skipped: 0 });
    const out = summary([["node v20.20.2", a, 1], ["node v22.23.5", b, 1]], 1);
    expect(out.last).toBe("870 passed, 8 failed, 0 skipped");
    expect(out.status).toBe(1);
  });

  it("a run without results (vitest did not get as far as writing them) is a failure", () => {
    const out = summary([["node 22 (not installed)", path.join(dir, "missing.json"), 1]], 0);
    expect(out.last).toBe("1 passed, 1 failed, 0 skipped");
    expect(out.status).toBe(1);
  });
});
