import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "~": fileURLToPath(new URL("./app", import.meta.url)),
      "#db": fileURLToPath(new URL("./db", import.meta.url)),
    },
  },
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts", "tests/e2e/**/*.test.ts"],
    globalSetup: ["tests/support/global-setup.ts"],
    // Many tests sign in from 127.0.0.1 in quick succession; the per-address form limit
    // (default 20 a minute) has its own tests, which remove this and run with the default.
    env: { FORM_RATE_LIMIT_PER_MINUTE: "10000" },
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // PGlite instances are memory-hungry and the machine has 2 cores.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
