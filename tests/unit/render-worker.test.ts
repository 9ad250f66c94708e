// The render thread: one long-lived worker thread per process, at background priority from its
// first line of code (loading react-pdf, the fonts and the app's modules is a good part of a
// render's CPU, and at the parent's priority it would take a core from the pages: issue 13's
// page tail), which loads each render module once and is replaced when it fails.

import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { projectRoot } from "#db/paths";
import { BACKGROUND_NICENESS } from "~/jobs/thread-priority.server";
import { renderInWorker, stopRenderThread } from "~/exports/render-worker.server";
import type { ProbeResult } from "../support/priority-probe.worker";

const probe = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "support", "priority-probe.worker.ts");
const ask = (input: { exit?: number } | null = null) => renderInWorker(probe, input, "probe", (reply: ProbeResult) => reply);

afterAll(stopRenderThread);

describe("the render thread", () => {
  it.runIf(process.platform === "linux")("runs at the background priority from its first line of code", async () => {
    expect((await ask()).niceAtLoad).toBe(BACKGROUND_NICENESS);
  });

  it("serves render after render from one thread that loaded the module once", async () => {
    const first = await ask();
    const [second, third] = await Promise.all([ask(), ask()]);
    expect([second.threadId, third.threadId]).toEqual([first.threadId, first.threadId]);
    expect([second.renders, third.renders].sort()).toEqual([first.renders + 1, first.renders + 2]);
  });

  it("fails the open renders when the thread dies, and starts a new thread for the next", async () => {
    const before = await ask();
    const [dying, alongside] = await Promise.allSettled([ask({ exit: 3 }), ask()]);
    expect(dying).toMatchObject({ status: "rejected", reason: { message: "probe: the render thread stopped (exit code 3) without a result" } });
    // The task sent with it either finished first or shared the thread's end.
    if (alongside.status === "rejected") expect(alongside.reason.message).toMatch(/exit code 3/);
    const after = await ask();
    expect(after.threadId).not.toBe(before.threadId);
    expect(after.renders).toBe(1);
  });

  it("rejects a render whose input cannot be sent, and goes on with the next", async () => {
    const before = await ask();
    await expect(renderInWorker(probe, { exit: () => 0 }, "probe", (reply: ProbeResult) => reply)).rejects.toThrow(/^probe: .*could not be cloned/);
    const after = await ask();
    expect([after.threadId, after.renders]).toEqual([before.threadId, before.renders + 1]);
  });

  it("does not keep the process alive once it has nothing to do", () => {
    // A CLI run that renders must still end: a child process renders once and returns from its script.
    const script = `
      import { renderInWorker } from ${JSON.stringify(path.join(projectRoot, "app", "exports", "render-worker.server.ts"))};
      const reply = await renderInWorker(${JSON.stringify(probe)}, null, "probe", (r) => r);
      console.log("rendered " + reply.renders);`;
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: projectRoot, encoding: "utf8", timeout: 60_000 });
    expect(child.stderr).toBe("");
    expect(child.stdout.trim()).toBe("rendered 1");
    expect(child.status).toBe(0);
  }, 90_000);
});
