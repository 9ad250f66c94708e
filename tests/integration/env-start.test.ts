// The server and the command line check the environment before anything else: a bad value
// stops them with exit code 1 and a one-line reason naming the variable.
import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");

function run(entry: string, env: Record<string, string>, ...args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    // A data folder that does not exist: nothing may get as far as opening a database.
    const childEnv: NodeJS.ProcessEnv = { ...process.env, PGLITE_DATA_DIR: "/nonexistent/innsikt-env-test", ...env };
    delete childEnv.DATABASE_URL;
    execFile(process.execPath, [tsx, path.join(root, entry), ...args], { cwd: root, env: childEnv, timeout: 60_000 }, (error, _stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stderr });
    });
  });
}

describe("a bad environment variable", () => {
  it("stops the server at start with exit 1 and the variable's reason", async () => {
    const { code, stderr } = await run("app/server/main.ts", { PUBLIC_URL: "foo" });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe('Configuration error: PUBLIC_URL must be an http(s) URL without a path, got "foo"');
  });

  it("stops the command line with exit 1 and the variable's reason", async () => {
    const { code, stderr } = await run("app/cli/main.ts", { PORT: "abc" }, "study", "create", "--year", "2030");
    expect(code).toBe(1);
    expect(stderr.trim()).toBe('Configuration error: PORT must be a whole number from 1 to 65535, got "abc"');
  });
});
