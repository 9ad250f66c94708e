import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const { scripts } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { scripts: Record<string, string> };

/** The commands of a script (split at &&, &, ( and ) as sh does), each with its environment prefix. */
const commands = (script: string) =>
  script
    .split(/&&|&|\(|\)/)
    .map((part) => part.trim())
    .filter(Boolean);

describe("npm scripts", () => {
  it("npm start builds and serves in production mode", () => {
    const start = commands(scripts.start!);
    expect(start.find((c) => c.includes("remix build"))).toMatch(/^NODE_ENV=production remix build$/);
    expect(start.find((c) => c.includes("app/server/main.ts"))).toMatch(/^NODE_ENV=production tsx app\/server\/main\.ts$/);
  });

  it("npm run dev stays in development mode", () => {
    for (const command of commands(scripts.dev!).filter((c) => /remix build|tsx/.test(c))) expect(command).toMatch(/^NODE_ENV=development /);
  });
});
