// What the benchmarks that seed a scratch database and serve the Remix build share
// (tests/bench/pages.ts, tests/bench/load.ts).

import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { projectRoot } from "#db/paths";

/** parseArgs options for the seeded data: how many companies, how many study years, and keeping or reusing the database. */
export const benchDataOptions = {
  companies: { type: "string", default: "50" },
  scale: { type: "string", default: "10" },
  keep: { type: "boolean", default: false },
  reuse: { type: "string" },
} as const;

/**
 * Whether build/ can serve the benchmark: an error message starting with "build/" when it
 * is missing, a note when a file under app/ is newer than it, null when it is current.
 */
export function buildIsStale(): string | null {
  const built = statSync(path.join(projectRoot, "build", "index.js"), { throwIfNoEntry: false });
  if (!built) return "build/index.js is missing: run `npx remix build` first";
  let newest = 0;
  let newestFile = "";
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (/\.(tsx?|css)$/.test(entry.name)) {
        const t = statSync(full).mtimeMs;
        if (t > newest) [newest, newestFile] = [t, full];
      }
    }
  };
  visit(path.join(projectRoot, "app"));
  return newest > built.mtimeMs ? `note: ${path.relative(projectRoot, newestFile)} is newer than build/index.js; the server runs the older build` : null;
}
