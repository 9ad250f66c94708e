// tests/support/study-csv.ts must write what the import reads back unchanged, or every test
// built on it would be testing the helper instead of the app.

import { describe, expect, it } from "vitest";
import { generateDemo } from "#db/demo/generate";
import { validateParticipants, validateQuestionnaire, validateResults } from "~/domain/import-validate";
import type { InquiryRow } from "~/domain/types";
import { readImportFile } from "~/models/studies/import-file.server";
import { csvBytes, csvField, csvText, osloDateTime, participantsCsv, questionnaireCsv, resultsCsv } from "../support/study-csv";

const [demo] = generateDemo({ seed: 7, years: [2021] });
const study = demo!;

async function sheetOf(text: string) {
  const read = await readImportFile(csvBytes(text));
  if (!read.ok) throw new Error(JSON.stringify(read.problems));
  return read.sheet;
}

describe("csvField", () => {
  it("quotes delimiters, quotes, line breaks and edge spaces, and nothing else", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField(12)).toBe("12");
    expect(csvField(null)).toBe("");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField("a;b")).toBe('"a;b"');
    expect(csvField('si "hei"')).toBe('"si ""hei"""');
    expect(csvField("to\nlinjer\r\n")).toBe('"to\nlinjer\r\n"');
    expect(csvField(" kant ")).toBe('" kant "');
  });

  it("ends every line with CRLF by default and can write a BOM and semicolons", () => {
    expect(csvText(["a", "b"], [["1", "x;y"]])).toBe('a,b\r\n1,"x;y"\r\n');
    expect(csvText(["a", "b"], [["1", "2"]], { delimiter: ";", bom: true, lineEnd: "\n" })).toBe("\uFEFFa;b\n1;2\n");
  });
});

describe("osloDateTime", () => {
  it("writes the Oslo wall clock with its offset, seconds only when there are any", () => {
    expect(osloDateTime(new Date("2021-01-14T08:30:00Z"))).toBe("2021-01-14T09:30+01:00");
    expect(osloDateTime(new Date("2021-07-01T08:30:15Z"))).toBe("2021-07-01T10:30:15+02:00");
    expect(osloDateTime(new Date("2021-07-01T08:30:15.250Z"))).toBe("2021-07-01T10:30:15.250+02:00");
    expect(osloDateTime(new Date("2021-01-14T08:30:00Z"), { offset: false })).toBe("2021-01-14T09:30");
  });

  it("tells the two 02:30s of the autumn's repeated hour apart", () => {
    expect(osloDateTime(new Date("2021-10-31T00:30:00Z"))).toBe("2021-10-31T02:30+02:00");
    expect(osloDateTime(new Date("2021-10-31T01:30:00Z"))).toBe("2021-10-31T02:30+01:00");
  });
});

describe("the three files read back through the import's reader and validation", () => {
  it("questionnaire and participants come back as they were", async () => {
    const q = validateQuestionnaire(await sheetOf(questionnaireCsv(study.questionnaire)));
    expect(q).toEqual({ ok: true, questionnaire: study.questionnaire });
    const p = validateParticipants(await sheetOf(participantsCsv(study.participants)));
    expect(p).toEqual({ ok: true, participants: study.participants });
  });

  it("every inquiry comes back as it was, comments and transcripts included", async () => {
    const tricky: InquiryRow = {
      ...study.inquiries[0]!,
      ref: "TRICKY-1",
      comment: 'Sa "hei", så; ingenting.\r\nNy linje',
      transcript: "Kunde: a,b\nKundebehandler: c;d", // cells are trimmed on reading, so no edge spaces here
      contactedAt: new Date("2021-10-31T00:30:00Z"),
    };
    const inquiries = [...study.inquiries, tricky];
    for (const options of [{}, { delimiter: ";" as const, bom: true, lineEnd: "\n" as const }]) {
      const v = validateResults(
        await sheetOf(resultsCsv(study.questionnaire, inquiries, options)),
        study.questionnaire,
        new Set(study.participants.map((p) => p.code)),
      );
      if (!v.ok) throw new Error(JSON.stringify(v.problems.slice(0, 5)));
      expect(v.inquiries).toHaveLength(inquiries.length);
      expect(v.inquiries).toEqual(inquiries);
    }
  });
});
