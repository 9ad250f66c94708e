// The message catalogue is one object spread together from ./catalogue/*.ts and messages.ts's
// own keys: a key defined twice would silently take the last file's text. Every key once.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const dir = path.resolve("app/i18n");
const sources = [path.join(dir, "messages.ts"), ...readdirSync(path.join(dir, "catalogue")).map((f) => path.join(dir, "catalogue", f))];

/** The keys of the bokmål part of a file (the part before `export const en` or `const en`). */
function nbKeys(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const nbPart = text.split(/\n(?:export )?const en\b/)[0]!;
  return [...nbPart.matchAll(/^\s+"([a-zA-Z0-9_.-]+)":/gm)].map((m) => m[1]!);
}

describe("the message catalogue", () => {
  it("defines every key in one place only", () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const file of sources) {
      for (const key of nbKeys(file)) {
        const where = path.relative(dir, file);
        if (seen.has(key)) twice.push(`${key}: ${seen.get(key)} and ${where}`);
        else seen.set(key, where);
      }
    }
    expect(seen.size).toBeGreaterThan(500);
    expect(twice).toEqual([]);
  });
});
