// npm run bench runs every benchmark (every bench:* script) at a small size (issue 13, point 6).
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const { scripts } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { scripts: Record<string, string> };
const all = readFileSync(new URL("../bench/all.sh", import.meta.url), "utf8");

describe("npm run bench", () => {
  it("is tests/bench/all.sh", () => {
    expect(scripts.bench).toBe("bash tests/bench/all.sh");
  });

  it("runs every bench:* script, each with a size given", () => {
    const benches = Object.keys(scripts).filter((name) => name.startsWith("bench:"));
    expect(benches.length).toBeGreaterThanOrEqual(3);
    for (const name of benches) {
      expect(existsSync(new URL(`../../${scripts[name]!.replace(/^tsx /, "")}`, import.meta.url)), `${name}'s file`).toBe(true);
      expect(all, `${name} in all.sh`).toMatch(new RegExp(`^\\s*bench ${name} --\\S+`, "m"));
    }
  });
});
