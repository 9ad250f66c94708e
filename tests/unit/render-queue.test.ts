// The pack-rendering queue (app/models/render-queue.server.ts) takes companies in turn: a
// company that queues many packs does not make another company's pack wait behind them.
// Order of completion only; no timing.

import { describe, expect, it } from "vitest";
import { FairQueue } from "~/models/render-queue.server";

/** Queues `count` renders for each company in turn of the list and gives the order they finish in. */
async function finishingOrder(queue: FairQueue, requests: [company: string, count: number][]): Promise<string[]> {
  const finished: string[] = [];
  let running = 0;
  const all = requests.flatMap(([company, count]) =>
    Array.from({ length: count }, (_, i) => {
      const name = `${company}${i + 1}`;
      return queue
        .run(company, async () => {
          running++;
          expect(running, "one render at a time").toBe(1);
          await new Promise((resolve) => setImmediate(resolve));
          running--;
          return name;
        })
        .then((result) => void finished.push(result));
    }),
  );
  await Promise.all(all);
  return finished;
}

describe("the pack-rendering queue", () => {
  it("renders company B's one pack no later than second after company A queued ten", async () => {
    const order = await finishingOrder(new FairQueue(), [
      ["A", 10],
      ["B", 1],
    ]);
    expect(order).toHaveLength(11);
    expect(order.indexOf("B1")).toBeLessThanOrEqual(1);
    // Each company's own packs keep their order.
    expect(order.filter((name) => name.startsWith("A"))).toEqual(Array.from({ length: 10 }, (_, i) => `A${i + 1}`));
  });

  it("takes the companies in turn, the one served least recently first", async () => {
    const order = await finishingOrder(new FairQueue(), [
      ["A", 5],
      ["B", 3],
      ["C", 1],
    ]);
    expect(order).toEqual(["A1", "B1", "C1", "A2", "B2", "A3", "B3", "A4", "A5"]);
  });

  it("counts a company's turn from when it was last served, also across idle spells", async () => {
    const queue = new FairQueue();
    expect(await finishingOrder(queue, [["A", 1]])).toEqual(["A1"]);
    // B arrives while nothing waits; A then queues again: A1 was served, B never was.
    const order = await finishingOrder(queue, [
      ["B", 2],
      ["A", 2],
    ]);
    expect(order).toEqual(["B1", "A1", "B2", "A2"]);
  });

  it("goes on after a render fails, and the failure reaches only its own caller", async () => {
    const queue = new FairQueue();
    const failed = queue.run("A", () => Promise.reject(new Error("worker died")));
    const next = queue.run("B", () => Promise.resolve("B rendered"));
    await expect(failed).rejects.toThrow("worker died");
    await expect(next).resolves.toBe("B rendered");
  });
});
