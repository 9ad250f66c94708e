// Issue 14: the coaching, settings and account pages draw with the UI kit (app/ui) and its one
// form pattern, not with markup of their own: no hand-written table, section card, alert, h1
// or control left in the route modules.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../app/routes/", import.meta.url));
const PAGES = [
  "company.coaching._index.tsx",
  "company.coaching.book.tsx",
  "company.coaching.bookings.$id.tsx",
  "company.coaching.packs.new.tsx",
  "company.coaching.packs.$id._index.tsx",
  "company.settings.tokens.tsx",
  "company.settings.privacy.tsx",
  "company.settings.sso.tsx",
  "sso.callback.tsx",
  "account.sessions.tsx",
  "account._index.tsx",
  "company.tsx",
  "forgot-password.tsx",
  "reset-password.$token.tsx",
  "invitation.$token.tsx",
];
/** Markup the kit provides: DataTable/TableBox, Section/Card, Notice, PageHeader, Button, the fields. */
const HAND_WRITTEN: [string, RegExp][] = [
  ["table", /<(table|thead|tbody|th|td)[\s>]/],
  ["section", /<section[\s>]/],
  ["alert", /role=["{][^>]*alert/],
  // A bare live region (e.g. "copied") is fine; a drawn status box is the Notice's job.
  ["status box", /role=["{][^>]*status[^>]*className="[^"]*\b(border|bg-)/],
  ["h1", /<h1[\s>]/],
  ["button", /<button[\s>]/],
  ["select", /<select[\s>]/],
  ["textarea", /<textarea[\s>]/],
  ["visible input", /<input(?![^>]*\b(type="hidden"|hidden\b))[^>]*>/],
];

describe("pages on the UI kit", () => {
  for (const page of PAGES) {
    it(`${page} draws no table, card, alert, title or control of its own`, () => {
      const source = readFileSync(root + page, "utf8");
      const found = HAND_WRITTEN.filter(([, pattern]) => pattern.test(source)).map(([name]) => name);
      expect(found).toEqual([]);
    });
  }

  it("every page with a POST form of fields uses the one form pattern (Conform + zod)", () => {
    for (const page of ["company.coaching.book.tsx", "company.settings.tokens.tsx", "company.settings.privacy.tsx", "login.tsx", "forgot-password.tsx", "reset-password.$token.tsx", "invitation.$token.tsx"]) {
      const source = readFileSync(root + page, "utf8");
      expect(source, page).toMatch(/parseWithZod\(/);
      expect(source, page).toMatch(/useSchemaForm\(/);
    }
  });
});
