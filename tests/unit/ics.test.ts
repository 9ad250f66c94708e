import { describe, expect, it } from "vitest";
import { calendarInvitation, escapeText, foldLine } from "~/domain/ics";

const event = {
  uid: "booking-1@innsikt.kundeserviceprisen.no",
  method: "REQUEST" as const,
  sequence: 0,
  start: new Date("2026-12-01T08:00:00Z"),
  end: new Date("2026-12-01T09:00:00Z"),
  stamp: new Date("2026-11-23T10:11:12.345Z"),
  summary: "Oppfølging: Ærlig Øl, Kystbanken; team",
  description: "Coach: Kari Åsheim\nØnsket fokus: svartid",
  location: "Video",
  organizer: { name: "Kundeserviceprisen", email: "innsikt@kundeserviceprisen.no" },
  attendees: [{ name: "Kari Åsheim", email: "kari@coach.example" }, { name: "Ola, teamleder", email: "ola@example.no" }],
};

describe("calendar invitation", () => {
  it("writes a VEVENT in UTC with CRLF line ends and escaped text", () => {
    const ics = calendarInvitation(event);
    expect(ics.startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")).toBe(true);
    expect(ics.endsWith("END:VCALENDAR\r\n")).toBe(true);
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/\n/);
    const unfolded = ics.replace(/\r\n /g, "");
    expect(unfolded).toContain("METHOD:REQUEST");
    expect(unfolded).toContain("DTSTART:20261201T080000Z");
    expect(unfolded).toContain("DTEND:20261201T090000Z");
    expect(unfolded).toContain("DTSTAMP:20261123T101112Z");
    expect(unfolded).toContain("SUMMARY:Oppfølging: Ærlig Øl\\, Kystbanken\\; team");
    expect(unfolded).toContain("DESCRIPTION:Coach: Kari Åsheim\\nØnsket fokus: svartid");
    expect(unfolded).toContain('ATTENDEE;CN="Ola, teamleder";ROLE=REQ-PARTICIPANT;RSVP=FALSE:mailto:ola@example.no');
    expect(unfolded).toContain("STATUS:CONFIRMED");
  });

  it("cancels with the same UID and a higher sequence", () => {
    const ics = calendarInvitation({ ...event, method: "CANCEL", sequence: 1 });
    expect(ics).toContain("METHOD:CANCEL");
    expect(ics).toContain("SEQUENCE:1");
    expect(ics).toContain("STATUS:CANCELLED");
    expect(ics).toContain(`UID:${event.uid}`);
  });

  it("folds long lines at 75 octets without splitting a Norwegian letter", () => {
    const line = `DESCRIPTION:${"æøå".repeat(60)}`;
    const folded = foldLine(line);
    for (const part of folded.split("\r\n")) expect(Buffer.byteLength(part, "utf8")).toBeLessThanOrEqual(75);
    expect(folded.replace(/\r\n /g, "")).toBe(line);
    expect(folded.split("\r\n").slice(1).every((part) => part.startsWith(" "))).toBe(true);
  });

  it("escapes backslashes, semicolons, commas and every kind of line break", () => {
    expect(escapeText("a\\b;c,d\r\ne\rf\ng")).toBe("a\\\\b\\;c\\,d\\ne\\nf\\ng");
  });
});
