import { describe, expect, it } from "vitest";
import { goalFromSeconds, goalToSeconds, targetStatus, targetYearsOf, withinGoal } from "~/domain/targets";

describe("a result against its target", () => {
  it("is met when the result as shown (one decimal) reaches the target; the gap is result − target", () => {
    expect(targetStatus(82.34, 80)).toEqual({ target: 80, gap: 2.3, met: true });
    expect(targetStatus(79.96, 80)).toEqual({ target: 80, gap: 0, met: true }); // shown as 80,0
    expect(targetStatus(79.94, 80)).toEqual({ target: 80, gap: -0.1, met: false });
    expect(targetStatus(61.25, 75.5)).toEqual({ target: 75.5, gap: -14.2, met: false });
    expect(targetStatus(null, 80)).toBeNull();
    expect(targetStatus(80, undefined)).toBeNull();
  });
});

describe("response-time goals", () => {
  it("are entered in the channel's unit and stored in seconds", () => {
    expect(goalToSeconds("phone", 60)).toBe(60);
    expect(goalToSeconds("email", 24)).toBe(86_400);
    expect(goalToSeconds("chat", 2)).toBe(120);
    expect(goalToSeconds("messenger", 1.5)).toBe(90);
    expect(goalFromSeconds("email", 5400)).toBe(1.5);
  });

  it("count an inquiry within only when answered with a recorded wait of at most the goal", () => {
    expect(withinGoal({ answered: true, waitSeconds: 60 }, 60)).toBe(true);
    expect(withinGoal({ answered: true, waitSeconds: 61 }, 60)).toBe(false);
    expect(withinGoal({ answered: true, waitSeconds: null }, 60)).toBe(false);
    expect(withinGoal({ answered: false, waitSeconds: null }, 60)).toBe(false);
  });
});

describe("the years a company can set targets for", () => {
  it("are the years it took part in and the next one, newest first", () => {
    expect(targetYearsOf([2021, 2020])).toEqual([2022, 2021, 2020]);
    expect(targetYearsOf([], new Date("2026-05-01"))).toEqual([2027]);
  });
});
