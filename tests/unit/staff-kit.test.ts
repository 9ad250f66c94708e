// Issue 14: the staff console draws through the UI kit (app/ui) — no hand-made tables, cards,
// alerts, controls or titles left in its route modules, so every page looks and behaves alike.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const STAFF_PAGES = [
  "staff._index.tsx",
  "staff.studies.$year._index.tsx",
  "staff.uploads.$id.tsx",
  "staff.companies._index.tsx",
  "staff.companies.$code.tsx",
  "staff.coaching.tsx",
  "staff.bookings.tsx",
  "staff.audit.tsx",
];

/** Markup the kit owns: a route module that writes one of these draws its own. */
const HAND_MADE: [string, RegExp][] = [
  ["table", /<(table|th|td)[\s>]/],
  ["card section", /<section[\s>]/],
  ["title", /<h1[\s>]/],
  ["alert", /role=["'{](alert|status)/],
  ["control", /<(select|textarea|button)[\s>]/],
  ["input other than hidden", /<input(?![^>]*type="hidden")[\s>]/],
  ["raw form element", /<form[\s>]/],
];

describe("the staff console uses the UI kit", () => {
  it.each(STAFF_PAGES)("%s draws no table, card, alert, control or title of its own", (file) => {
    const source = readFileSync(fileURLToPath(new URL(`../../app/routes/${file}`, import.meta.url)), "utf8");
    const found = HAND_MADE.filter(([, pattern]) => pattern.test(source)).map(([name]) => name);
    expect(found).toEqual([]);
  });

  it.each(["staff._index.tsx", "staff.studies.$year._index.tsx", "staff.companies.$code.tsx", "staff.coaching.tsx"])("%s validates its forms with the one form pattern", (file) => {
    const source = readFileSync(fileURLToPath(new URL(`../../app/routes/${file}`, import.meta.url)), "utf8");
    expect(source).toContain("parseWithZod(");
    expect(source).toContain("useSchemaForm(");
    expect(source).not.toMatch(/\.safeParse\(Object\.fromEntries/);
  });
});
