// Any ASCII control character (C0 and DEL): browsers drop tabs and newlines inside URLs, so
// "/\t/evil.com" is "//evil.com" to them; no address of this site contains one.
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * A redirect target taken from a request, reduced to a path on this site: parsed with the
 * WHATWG URL parser (as a browser reads a Location header) against the site's own origin,
 * and kept only when it lands on that origin, over http(s), without credentials. The result
 * is the normalised path, query and fragment; anything else gives `fallback`.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, siteOrigin: string, fallback = "/"): string {
  if (typeof to !== "string" || to === "" || CONTROL.test(to)) return fallback;
  let site: URL;
  let url: URL;
  try {
    site = new URL(siteOrigin);
    url = new URL(to, site);
  } catch {
    return fallback;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return fallback;
  if (url.origin !== site.origin || url.username !== "" || url.password !== "") return fallback;
  const path = url.pathname + url.search + url.hash;
  // "/.//evil.com" normalises to the path "//evil.com", which a browser reads as another host:
  // the path must come back to this origin when it is read again on its own.
  if (!path.startsWith("/") || path.startsWith("//") || new URL(path, site).origin !== site.origin) return fallback;
  return path;
}

/** The origin a request was made to: the base that its redirect targets are resolved against. */
export const requestOrigin = (request: Request) => new URL(request.url).origin;
