import { describe, expect, it, vi } from "vitest";
import {
  formatDate,
  formatDateTime,
  formatDuration,
  formatNumber,
  formatPercent,
  formatScore,
} from "~/domain/format";

const THIN = "\u202F"; // narrow no-break space, the Norwegian thousands separator
const NBSP = "\u00A0"; // no-break space before the Norwegian per cent sign
const MINUS = "\u2212"; // the minus sign ICU writes in Norwegian

describe("formatScore", () => {
  it("shows one decimal with a comma in Norwegian and a point in English", () => {
    expect(formatScore(78.4, "nb")).toBe("78,4");
    expect(formatScore(78.4, "en")).toBe("78.4");
    expect(formatScore(100, "nb")).toBe("100,0");
    expect(formatScore(0, "en")).toBe("0.0");
  });

  it("rounds half away from zero", () => {
    expect(formatScore(78.45, "nb")).toBe("78,5");
    expect(formatScore(78.45, "en")).toBe("78.5");
    expect(formatScore(78.449, "nb")).toBe("78,4");
    expect(formatScore(69.95, "nb")).toBe("70,0");
    expect(formatScore(1.05, "en")).toBe("1.1"); // 1.05 is stored as 1.0500000000000000444
    expect(formatScore(0.15, "en")).toBe("0.2"); // 0.15 is stored as 0.1499999999999999944
  });

  it("never shows a negative zero", () => {
    expect(formatScore(-0.04, "nb")).toBe("0,0");
  });
});

describe("formatNumber", () => {
  it("groups thousands with a narrow no-break space in Norwegian and a comma in English", () => {
    expect(formatNumber(1705, "nb")).toBe(`1${THIN}705`);
    expect(formatNumber(1705, "en")).toBe("1,705");
    expect(formatNumber(1234567.891, "nb", 2)).toBe(`1${THIN}234${THIN}567,89`);
    expect(formatNumber(1234567.891, "en", 2)).toBe("1,234,567.89");
    expect(formatNumber(999, "nb")).toBe("999");
  });

  it("rounds half away from zero, also below zero", () => {
    expect(formatNumber(2.5, "en")).toBe("3");
    expect(formatNumber(-2.5, "en")).toBe("-3");
    expect(formatNumber(-2.5, "nb")).toBe(`${MINUS}3`);
    expect(formatNumber(1.005, "nb", 2)).toBe("1,01");
    expect(formatNumber(1704.5, "nb")).toBe(`1${THIN}705`);
  });
});

describe("formatPercent", () => {
  it("writes nb with a no-break space before % and en without a space", () => {
    expect(formatPercent(0.054, "nb")).toBe(`5,4${NBSP}%`);
    expect(formatPercent(0.054, "en")).toBe("5.4%");
    expect(formatPercent(1, "nb")).toBe(`100,0${NBSP}%`);
    expect(formatPercent(0, "en")).toBe("0.0%");
  });

  it("rounds the exact percentage half away from zero", () => {
    expect(formatPercent(0.0545, "nb")).toBe(`5,5${NBSP}%`); // 5.45 → 5.5
    expect(formatPercent(0.0515, "en")).toBe("5.2%"); // float 0.0515·100 = 5.1499999999999995
    expect(formatPercent(0.0725, "nb")).toBe(`7,3${NBSP}%`); // float 0.0725·100 = 7.249999999999999
    expect(formatPercent(0.125, "en", 0)).toBe("13%");
    expect(formatPercent(0.12345, "en", 2)).toBe("12.35%");
    expect(formatPercent(0.3333, "nb", 0)).toBe(`33${NBSP}%`);
  });
});

describe("formatDate and formatDateTime", () => {
  it("writes Oslo winter time", () => {
    const date = new Date("2021-01-14T08:30:00Z"); // 09:30 CET (UTC+1)
    expect(formatDateTime(date, "nb")).toBe("14.01.2021 kl. 09.30");
    expect(formatDateTime(date, "en")).toBe("14 Jan 2021, 09:30");
    expect(formatDate(date, "nb")).toBe("14.01.2021");
    expect(formatDate(date, "en")).toBe("14 Jan 2021");
  });

  it("follows Oslo across the spring DST change (28 March 2021, 02:00 → 03:00)", () => {
    expect(formatDateTime(new Date("2021-03-28T00:30:00Z"), "nb")).toBe("28.03.2021 kl. 01.30");
    expect(formatDateTime(new Date("2021-03-28T01:30:00Z"), "nb")).toBe("28.03.2021 kl. 03.30");
    expect(formatDateTime(new Date("2021-03-28T01:30:00Z"), "en")).toBe("28 Mar 2021, 03:30");
  });

  it("follows Oslo across the autumn DST change (31 October 2021, 03:00 → 02:00)", () => {
    expect(formatDateTime(new Date("2021-10-31T00:30:00Z"), "en")).toBe("31 Oct 2021, 02:30");
    expect(formatDateTime(new Date("2021-10-31T01:30:00Z"), "en")).toBe("31 Oct 2021, 02:30");
    expect(formatDateTime(new Date("2021-10-31T02:30:00Z"), "nb")).toBe("31.10.2021 kl. 03.30");
  });

  it("uses the Oslo calendar day, not the UTC one", () => {
    const newYear = new Date("2021-12-31T23:30:00Z");
    expect(formatDate(newYear, "nb")).toBe("01.01.2022");
    expect(formatDateTime(newYear, "en")).toBe("1 Jan 2022, 00:30");
    expect(formatDate(new Date("2021-09-05T10:00:00Z"), "en")).toBe("5 Sep 2021");
  });

  it("refuses an invalid date", () => {
    expect(() => formatDate(new Date("not a date"), "nb")).toThrow(RangeError);
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0 s", "0 s"],
    [45, "45 s", "45 s"],
    [152, "2 min 32 s", "2 min 32 s"],
    [120, "2 min", "2 min"],
    [3600, "1 t", "1 h"],
    [3900, "1 t 5 min", "1 h 5 min"],
    [2 * 86_400 + 3 * 3600, "2 d 3 t", "2 d 3 h"],
    [86_400, "1 d", "1 d"],
  ])("%s s is nb %s, en %s", (seconds, nb, en) => {
    expect(formatDuration(seconds, "nb")).toBe(nb);
    expect(formatDuration(seconds, "en")).toBe(en);
  });

  it("rounds the smaller unit half away from zero and carries", () => {
    expect(formatDuration(1.5, "nb")).toBe("2 s");
    expect(formatDuration(59.5, "nb")).toBe("1 min");
    expect(formatDuration(3629, "nb")).toBe("1 t"); // 60.48 min
    expect(formatDuration(3630, "nb")).toBe("1 t 1 min"); // 60.5 min
    expect(formatDuration(3599.5, "en")).toBe("1 h");
    expect(formatDuration(86_399, "en")).toBe("1 d"); // 1439.98 min → 1440 → 24 h
    expect(formatDuration(86_400 + 1800, "en")).toBe("1 d 1 h"); // 24.5 h
  });

  it("refuses negative and non-finite durations", () => {
    expect(() => formatDuration(-1, "nb")).toThrow(RangeError);
    expect(() => formatDuration(Number.NaN, "en")).toThrow(RangeError);
  });
});

describe("formatNumber remembers what it formatted (a score table formats the same figures hundreds of times)", () => {
  it("rounds and asks Intl once per value, locale and decimals, and gives the same text every time", () => {
    const parts = vi.spyOn(Intl.NumberFormat.prototype, "formatToParts");
    try {
      const value = 73.456789123;
      const first = formatNumber(value, "nb", 1);
      const calls = parts.mock.calls.length;
      for (let i = 0; i < 50; i++) expect(formatNumber(value, "nb", 1)).toBe(first);
      expect(parts.mock.calls.length).toBe(calls);
      expect(formatNumber(value, "en", 1)).toBe("73.5");
      expect(formatNumber(value, "nb", 2)).toBe("73,46");
      expect(parts.mock.calls.length).toBe(calls + 2);
    } finally {
      parts.mockRestore();
    }
  });
});
