// package.json's engines.node names the Node versions we support (20, 22 and 24); every
// installed package, dev tooling included, must run on the lowest of each (issue 13, point 7).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";

const semver = createRequire(import.meta.url)("semver") as { satisfies(version: string, range: string): boolean };
const root = path.resolve(import.meta.dirname, "../..");
const readJson = (file: string) => JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string; engines?: { node?: unknown } };
const ours = String(readJson(path.join(root, "package.json")).engines?.node);

/** The lowest x.y.0 of `major` that our engines range accepts, or null. */
function lowest(major: number): string | null {
  for (let minor = 0; minor < 60; minor++) if (semver.satisfies(`${major}.${minor}.0`, ours)) return `${major}.${minor}.0`;
  return null;
}

/** Every package under node_modules (nested ones too) that declares engines.node. */
function installed(dir = path.join(root, "node_modules"), out: { id: string; node: string }[] = []) {
  for (const name of readdirSync(dir)) {
    if (name.startsWith(".")) continue;
    const folder = path.join(dir, name);
    if (name.startsWith("@")) {
      installed(folder, out);
      continue;
    }
    const manifest = path.join(folder, "package.json");
    if (existsSync(manifest)) {
      const { name: id, version, engines } = readJson(manifest);
      if (typeof engines?.node === "string") out.push({ id: `${id}@${version}`, node: engines.node });
    }
    if (existsSync(path.join(folder, "node_modules"))) installed(path.join(folder, "node_modules"), out);
  }
  return out;
}

describe("supported Node versions", () => {
  it("engines.node accepts Node 20, 22 and 24 and the machine's own Node", () => {
    for (const major of [20, 22, 24]) expect(lowest(major), `Node ${major} in ${ours}`).not.toBeNull();
    expect(semver.satisfies(process.versions.node, ours)).toBe(true);
  });

  it("every installed package runs on the lowest version of each supported line", () => {
    const packages = installed();
    const conflicts = [20, 22, 24].flatMap((major) => {
      const version = lowest(major)!;
      return packages.filter((p) => !semver.satisfies(version, p.node)).map((p) => `${p.id} wants node ${p.node}, excluding ${version}`);
    });
    expect([...new Set(conflicts)]).toEqual([]);
  });
});
