// Messages that hold a number take their form from it (Intl.PluralRules), in both languages.
import { describe, expect, it } from "vitest";
import { translate } from "~/i18n/i18n";

describe("plural messages", () => {
  it("chooses one/other by count in Norwegian and English, for 0, 1 and 2", () => {
    expect([0, 1, 2].map((count) => translate("nb", "inquiries.count", { count }))).toEqual(["0 henvendelser", "1 henvendelse", "2 henvendelser"]);
    expect([0, 1, 2].map((count) => translate("en", "inquiries.count", { count }))).toEqual(["0 inquiries", "1 inquiry", "2 inquiries"]);
    expect([0, 1, 2].map((count) => translate("nb", "comparison.hidden", { count }).split(".")[0])).toEqual([
      "Bransjen har bare 0 deltakere",
      "Bransjen har bare 1 deltaker",
      "Bransjen har bare 2 deltakere",
    ]);
    expect([0, 1, 2].map((count) => translate("en", "limit.tooManyAttempts", { count }).split(". ")[1])).toEqual([
      "Wait 0 seconds and try again.",
      "Wait 1 second and try again.",
      "Wait 2 seconds and try again.",
    ]);
  });

  it("shows the count formatted, and other parameters as given", () => {
    expect(translate("nb", "inquiries.count", { count: 1705 })).toBe("1\u202F705 henvendelser");
    expect(translate("en", "inquiries.count", { count: 1705 })).toBe("1,705 inquiries");
    expect(translate("nb", "overview.answeredOf", { answered: 1, count: 1 })).toBe("1 av 1 henvendelse besvart");
    expect(translate("en", "companyCoaching.book.attachOption", { date: "1 Mar 2022", year: 2021, count: 1, format: "PDF" })).toBe("1 Mar 2022: 2021, 1 inquiry (PDF)");
  });

  it("falls back to the other form without a number", () => {
    expect(translate("nb", "inquiries.count", {})).toBe("{count} henvendelser");
  });
});
