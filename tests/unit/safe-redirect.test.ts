import { describe, expect, it } from "vitest";
import { safeRedirect } from "~/auth/redirect";
import { onSiteRedirects, openRedirectCorpus } from "../support/open-redirect-corpus";

const SITE = "http://127.0.0.1:3000";

/** Where a browser on the site goes with this Location, and whether it is the site. */
function landsOnSite(location: string, site: string) {
  // The result must be a path whatever origin it is read against: no scheme, host or "//".
  return new URL(location, site).origin === new URL(site).origin && new URL(location, "https://other.example").host === "other.example";
}

describe("safeRedirect", () => {
  const corpus = openRedirectCorpus(SITE);

  it("has a corpus of at least 25 open-redirect forms", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(25);
  });

  it.each(corpus)("keeps $name on the site", ({ value, expected }) => {
    const to = safeRedirect(value, SITE);
    expect(to).toBe(expected);
    expect(landsOnSite(to, SITE)).toBe(true);
  });

  it.each(onSiteRedirects(SITE))("keeps the site's own page: $name", ({ value, expected }) => {
    expect(safeRedirect(value, SITE)).toBe(expected);
  });

  it("gives the fallback for a missing or non-text value and for an unusable site origin", () => {
    expect(safeRedirect(null, SITE, "/company")).toBe("/company");
    expect(safeRedirect(undefined, SITE)).toBe("/");
    expect(safeRedirect(new File(["x"], "x.txt"), SITE)).toBe("/");
    expect(safeRedirect("/company", "not an origin")).toBe("/");
  });

  it("judges by the site's origin: another port or scheme of the same host is another site", () => {
    expect(safeRedirect("http://127.0.0.1:3001/company", SITE)).toBe("/");
    expect(safeRedirect("https://127.0.0.1:3000/company", SITE)).toBe("/");
    expect(safeRedirect("https://innsikt.example/company", "https://innsikt.example")).toBe("/company");
  });
});
