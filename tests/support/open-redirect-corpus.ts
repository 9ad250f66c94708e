/**
 * Known open-redirect forms, for `safeRedirect` (unit), the login and language forms
 * (integration) and the security scan (tests/security/open-redirect.ts). `expected` is the
 * path the site must redirect to: "/" (the fallback) when the value points anywhere else.
 * Every value must land on the site itself, whatever a browser does with it.
 */
export type RedirectCase = { name: string; value: string; expected: string };

export function openRedirectCorpus(siteOrigin: string): RedirectCase[] {
  const site = new URL(siteOrigin);
  const cases: [string, string, string][] = [
    // protocol-relative and slash runs
    ["protocol-relative", "//evil.example", "/"],
    ["three slashes", "///evil.example", "/"],
    ["four slashes", "////evil.example/x", "/"],
    ["protocol-relative with path", "//evil.example/company", "/"],
    // backslashes, which browsers read as slashes
    ["slash backslash", "/\\evil.example", "/"],
    ["backslash slash", "\\/evil.example", "/"],
    ["two backslashes", "\\\\evil.example", "/"],
    ["slash two backslashes", "/\\\\evil.example", "/"],
    ["slash backslash slash", "/\\/evil.example", "/"],
    ["scheme slash backslash", "https:/\\evil.example", "/"],
    // control characters, which browsers drop inside URLs
    ["tab between slashes", "/\t/evil.example", "/"],
    ["newline between slashes", "/\n/evil.example", "/"],
    ["carriage return between slashes", "/\r/evil.example", "/"],
    ["CRLF header injection", "/x\r\nLocation: https://evil.example", "/"],
    ["leading tab", "\t//evil.example", "/"],
    ["NUL between slashes", "/\u0000/evil.example", "/"],
    ["tab inside javascript scheme", "java\tscript:alert(1)", "/"],
    // leading spaces, which the URL parser strips
    ["leading space", " //evil.example", "/"],
    ["leading spaces and scheme", "   https://evil.example", "/"],
    // schemes
    ["absolute https", "https://evil.example/", "/"],
    ["absolute http", "http://evil.example", "/"],
    // the site's own scheme without slashes is a relative path (a browser reads it so too)
    ["https without slashes", "https:evil.example", site.protocol === "https:" ? "/evil.example" : "/"],
    ["http without slashes", "http:evil.example", site.protocol === "http:" ? "/evil.example" : "/"],
    ["javascript", "javascript:alert(document.domain)", "/"],
    ["javascript mixed case", "JaVaScRiPt:alert(1)", "/"],
    ["javascript after slashes comment", "javascript://%0Aalert(1)", "/"],
    ["data", "data:text/html,<script>alert(1)</script>", "/"],
    ["vbscript", "vbscript:msgbox(1)", "/"],
    ["ftp", "ftp://evil.example/", "/"],
    // credentials (userinfo)
    ["userinfo", "https://innsikt@evil.example", "/"],
    ["host:port as userinfo", "http://127.0.0.1:3000@evil.example", "/"],
    ["site origin as userinfo", `${site.protocol}//${site.host}@evil.example`, "/"],
    ["credentials on the site itself", `${site.protocol}//user:pass@${site.host}/company`, "/"],
    ["encoded slash in userinfo", `//evil.example%2F@${site.host}`, "/"],
    ["backslash before site as userinfo", `http://evil.example\\@${site.host}`, "/"],
    ["semicolon userinfo", "///\\;@evil.example", "/"],
    // dot segments that normalise to a protocol-relative path
    ["dot segment then two slashes", "/.//evil.example", "/"],
    ["dot-dot segment then two slashes", "/..//evil.example", "/"],
    ["encoded dot segment then two slashes", "/%2e//evil.example", "/"],
    // unicode
    ["ideographic full stop", "//evil。example", "/"],
    ["enclosed alphanumerics", "//ⓔⓥⓘⓛ.example", "/"],
    ["fullwidth solidus", "／／evil.example", "/%EF%BC%8F%EF%BC%8Fevil.example"],
    ["division slash", "/\u2215evil.example", "/%E2%88%95evil.example"],
    ["ideographic space before slashes", "\u3000//evil.example", "/%E3%80%80//evil.example"],
    ["right-to-left override", "/\u202e//evil.example", "/%E2%80%AE//evil.example"],
    // encoded slashes and backslashes stay encoded: a path on this site
    ["encoded slashes", "/%2F%2Fevil.example", "/%2F%2Fevil.example"],
    ["encoded backslash", "/%5Cevil.example", "/%5Cevil.example"],
    ["encoded backslashes", "/%5C%5Cevil.example", "/%5C%5Cevil.example"],
    ["double-encoded slashes", "/%252F%252Fevil.example", "/%252F%252Fevil.example"],
    ["relative encoded slashes", "%2F%2Fevil.example", "/%2F%2Fevil.example"],
    ["encoded CRLF", "/%0D%0ALocation:%20https://evil.example", "/%0D%0ALocation:%20https://evil.example"],
    // malformed hosts
    ["encoded tab in host", "//%09/evil.example", "/"],
    ["NUL in host", "//evil%00.example", "/"],
    ["site host with a port glued to another host", `${site.protocol}//${site.host}.evil.example`, "/"],
    ["empty", "", "/"],
  ];
  return cases.map(([name, value, expected]) => ({ name, value, expected }));
}

/** Values that are this site's own pages: kept, normalised to a path. */
export function onSiteRedirects(siteOrigin: string): RedirectCase[] {
  const site = new URL(siteOrigin);
  return [
    { name: "a path", value: "/company", expected: "/company" },
    { name: "a path with query and fragment", value: "/company/inquiries?study=2021&q=a%20b#list", expected: "/company/inquiries?study=2021&q=a%20b#list" },
    { name: "the site's absolute URL", value: `${site.origin}/company/trends?study=2021`, expected: "/company/trends?study=2021" },
    { name: "dot segments", value: "/company/../staff/./audit", expected: "/staff/audit" },
    { name: "non-ASCII in the query", value: "/company/inquiries?q=ærlig svar", expected: "/company/inquiries?q=%C3%A6rlig%20svar" },
  ];
}
