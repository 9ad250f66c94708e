// Sums the suite runs listed in runs.tsv (node version, vitest JSON, exit status) and
// the security scan (one check) into the last line of CI: "N passed, N failed, N skipped".
// Usage: node .ci/summary.mjs RUNS.tsv SCAN_FAILED(0|1). Exit status 1 when anything failed.
import { readFileSync } from "node:fs";

const [runsFile, scanArg] = process.argv.slice(2);
const runs = readFileSync(runsFile, "utf8").trim().split("\n").filter(Boolean).map((line) => {
  const [node, json, status] = line.split("\t");
  return { node, json, status: Number(status) };
});

/** One run's counts: vitest's own results, and its exit status (a file that fails to load has no failed test). */
function count(run) {
  let r;
  try {
    r = JSON.parse(readFileSync(run.json, "utf8"));
  } catch {
    return { passed: 0, failed: 1, skipped: 0, skippedTests: [], note: `no vitest results (${run.json})` };
  }
  const skippedTests = (r.testResults ?? []).flatMap((file) =>
    (file.assertionResults ?? [])
      .filter((t) => t.status === "pending" || t.status === "skipped" || t.status === "todo")
      .map((t) => `${file.name.replace(`${process.cwd()}/`, "")} > ${t.fullName ?? t.title}`),
  );
  let failed = r.numFailedTests ?? 0;
  let note = "";
  if (run.status !== 0 && failed === 0) {
    failed = Math.max(1, r.numFailedTestSuites ?? 0);
    note = `exit status ${run.status} with no failed test (${r.numFailedTestSuites ?? 0} file(s) failed to run)`;
  }
  return { passed: r.numPassedTests ?? 0, failed, skipped: (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0), skippedTests, note };
}

const total = { passed: 0, failed: 0, skipped: 0 };
for (const run of runs) {
  const c = count(run);
  for (const t of c.skippedTests) console.log(`  skipped on ${run.node}: ${t}`);
  console.log(`${run.node}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped${c.note ? ` (${c.note})` : ""}`);
  total.passed += c.passed;
  total.failed += c.failed;
  total.skipped += c.skipped;
}
const scanFailed = scanArg === "1";
console.log(`security scan (fast): ${scanFailed ? "failed" : "passed"}`);
if (scanFailed) total.failed++;
else total.passed++;
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exitCode = total.failed > 0 || runs.length === 0 ? 1 : 0;
