// app/domain/oslo-time.ts: Oslo wall-clock times to instants and back, on @date-fns/tz.
import { describe, expect, it } from "vitest";
import { NonexistentOsloTimeError, osloClock, osloInstant, osloIsoDateTime, osloLongDateNb, parseOsloDateTime } from "~/domain/oslo-time";

const iso = (text: string) => {
  const parsed = parseOsloDateTime(text);
  return parsed.ok ? parsed.date.toISOString() : parsed.reason;
};

describe("Oslo wall-clock time → instant", () => {
  it("uses +01:00 in winter and +02:00 in summer", () => {
    expect(osloInstant({ year: 2021, month: 1, day: 14, hour: 9, minute: 30 }).toISOString()).toBe("2021-01-14T08:30:00.000Z");
    expect(osloInstant({ year: 2021, month: 7, day: 1, hour: 12, minute: 0, second: 15 }).toISOString()).toBe("2021-07-01T10:00:15.000Z");
  });

  it("refuses a time the spring skips (28 March 2021, 02:00–03:00) instead of moving it", () => {
    for (const minute of [0, 30, 59]) {
      expect(() => osloInstant({ year: 2021, month: 3, day: 28, hour: 2, minute })).toThrow(NonexistentOsloTimeError);
    }
    expect(() => osloInstant({ year: 2021, month: 3, day: 28, hour: 2, minute: 30 })).toThrow("2021-03-28T02:30 does not exist in Norwegian time");
    expect(iso("2021-03-28T02:30")).toBe("nonexistent");
    expect(iso("28.03.2021 02:30")).toBe("nonexistent");
    expect(iso("2030-03-31T02:15")).toBe("nonexistent");
    // Either side of the gap exists.
    expect(iso("2021-03-28T01:59")).toBe("2021-03-28T00:59:00.000Z");
    expect(iso("2021-03-28T03:00")).toBe("2021-03-28T01:00:00.000Z");
    // With an offset the instant is given outright, so nothing is skipped.
    expect(iso("2021-03-28T02:30+01:00")).toBe("2021-03-28T01:30:00.000Z");
  });

  it("takes the later instant (+01:00) in the autumn's repeated hour, as the import always has", () => {
    expect(iso("2021-10-31T02:30")).toBe("2021-10-31T01:30:00.000Z");
    expect(iso("31.10.2021 02:00")).toBe("2021-10-31T01:00:00.000Z");
    expect(iso("2021-10-31T01:59")).toBe("2021-10-30T23:59:00.000Z");
    expect(iso("2021-10-31T03:00")).toBe("2021-10-31T02:00:00.000Z");
  });

  it("refuses what is not a date", () => {
    for (const text of ["2021-02-30T10:00", "2021-01-14T24:00", "yesterday", "2021-01-14+01:00", "14/01/2021"]) expect(iso(text), text).toBe("invalid");
    expect(() => osloInstant({ year: 2021, month: 13, day: 1, hour: 0, minute: 0 })).toThrow(RangeError);
  });
});

describe("instant → Oslo wall clock", () => {
  it("tells the two 02:30s of the repeated hour apart by their offset", () => {
    expect(osloIsoDateTime(new Date("2021-10-31T00:30:00Z"))).toBe("2021-10-31T02:30:00+02:00");
    expect(osloIsoDateTime(new Date("2021-10-31T01:30:00Z"))).toBe("2021-10-31T02:30:00+01:00");
    expect(osloIsoDateTime(new Date("2021-01-14T08:30:00.750Z"))).toBe("2021-01-14T09:30:00+01:00");
  });

  it("gives zero-padded parts and the long Norwegian date", () => {
    expect(osloClock(new Date("2020-12-31T23:05:09Z"))).toEqual({ year: "2021", month: "01", day: "01", hour: "00", minute: "05", second: "09", millisecond: 0, offsetMinutes: 60 });
    expect(osloLongDateNb(new Date("2021-09-03T22:30:00Z"))).toBe("4. september 2021");
    expect(() => osloClock(new Date("nope"))).toThrow(RangeError);
  });
});
