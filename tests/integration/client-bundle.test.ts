// Fast first paint, in the browser build (build/metafile.js.json, written by the build the test
// run makes): what makes the bundle heavy stays out. The overview once shipped a 900 KB chunk (all
// of Tremor, Headless UI and a date picker, for one bar chart), a 450 KB one (zod with every
// locale) and 229 KB of CSS (every palette colour, safelisted).
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "#db/paths";

interface Metafile {
  outputs: Record<string, { bytes: number; entryPoint?: string; inputs: Record<string, { bytesInOutput: number }>; imports: { path: string; kind: string }[] }>;
}

const metafile = JSON.parse(readFileSync(path.join(projectRoot, "build", "metafile.js.json"), "utf8")) as Metafile;
const scripts = Object.entries(metafile.outputs).filter(([file]) => file.endsWith(".js"));

/** Every script a route needs before it can run: its entry and what that imports statically, with root and the client entry. */
function staticClosure(entryPointPart: string): Set<string> {
  const entries = [entryPointPart, "root.tsx", "entry.client.tsx"].map((part) => {
    const found = scripts.find(([, output]) => output.entryPoint?.includes(part));
    if (!found) throw new Error(`no browser entry for ${part}`);
    return found[0];
  });
  const seen = new Set<string>();
  const stack = [...entries];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const imported of metafile.outputs[file]?.imports ?? []) if (imported.kind === "import-statement" && metafile.outputs[imported.path]) stack.push(imported.path);
  }
  return seen;
}

const inputsOf = (files: Iterable<string>) => [...files].flatMap((file) => Object.keys(metafile.outputs[file]!.inputs));

describe("the browser bundle", () => {
  it("ships of zod's locales only English, its default (import * as z, not the z namespace value)", () => {
    const locales = new Set(inputsOf(scripts.map(([file]) => file)).filter((input) => input.includes("node_modules/zod/v4/locales/")));
    expect([...locales].filter((input) => !input.endsWith("/locales/en.js"))).toEqual([]);
  });

  it("has of Tremor only the chart components, not its index (Headless UI, date pickers, virtual lists)", () => {
    const unused = inputsOf(scripts.map(([file]) => file)).filter((input) => /node_modules\/(@headlessui|react-day-picker|@tanstack\/virtual-core|@floating-ui)\//.test(input));
    expect([...new Set(unused.map((input) => input.replace(/.*node_modules\/((?:@[^/]+\/)?[^/]+).*/, "$1")))]).toEqual([]);
  });

  it("loads zod only on pages that use it: none of it in root or the client entry", () => {
    const everyPage = inputsOf(staticClosure("root.tsx")).filter((input) => input.includes("node_modules/zod/"));
    expect(everyPage).toEqual([]);
  });

  it.each(["routes/company._index.tsx", "routes/company.inquiries._index.tsx", "routes/staff.studies.$year._index.tsx", "routes/company.trends.tsx", "routes/company.variance.tsx"])(
    "%s needs no chart code before it runs (charts load after hydration)",
    (route) => {
      const chartCode = inputsOf(staticClosure(route)).filter((input) => /node_modules\/(recharts|@tremor|d3-)/.test(input));
      expect(chartCode).toEqual([]);
    },
  );

  it("keeps the stylesheet small (only the chart colours safelisted)", () => {
    const css = Object.keys(metafile.outputs).filter((file) => file.endsWith(".css"));
    expect(css.length).toBeGreaterThan(0);
    for (const file of css) expect(statSync(path.join(projectRoot, file)).size, file).toBeLessThan(100 * 1024);
  });
});
