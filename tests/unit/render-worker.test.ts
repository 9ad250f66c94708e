// A render worker thread goes to the background before it loads anything of the renderer:
// loading react-pdf, the fonts and the app's modules is a good part of a render's CPU, and at
// the parent's priority it would take a core from the pages (issue 13's page tail).

import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { BACKGROUND_NICENESS } from "~/jobs/thread-priority.server";
import { renderInWorker } from "~/exports/render-worker.server";

const probe = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "support", "priority-probe.worker.ts");

describe.runIf(process.platform === "linux")("a render worker thread", () => {
  it("runs at the background priority from its first line of code", async () => {
    const nice = await renderInWorker(probe, null, "probe", (reply: { ok: true; nice: number }) => reply.nice);
    expect(nice).toBe(BACKGROUND_NICENESS);
  });
});
