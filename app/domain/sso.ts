// Single sign-on settings (issue 17): the form both the company's manager and staff fill in,
// and the rules for e-mail domains. Pure: the browser validates with the same schema.
import * as z from "zod";

/** Mail services anyone can get an address at: no company may claim them. */
export const PUBLIC_MAIL_DOMAINS = [
  "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.no", "live.com", "live.no", "msn.com",
  "yahoo.com", "yahoo.no", "icloud.com", "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com",
  "online.no", "getmail.no", "gmx.com", "mail.com",
] as const;

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** The domain of an address, lower case; null when it has none. */
export function emailDomain(email: string): string | null {
  const at = email.lastIndexOf("@");
  if (at < 1 || at === email.length - 1) return null;
  return email.slice(at + 1).trim().toLowerCase();
}

/** Domains as typed (comma, space or line separated, "@" allowed), or the message key of the first problem. */
export function parseDomains(text: string): { domains: string[] } | { error: "sso.error.domainInvalid" | "sso.error.domainPublic" | "sso.error.domainsRequired" | "sso.error.domainsTooMany"; domain?: string } {
  const domains = [...new Set(text.split(/[\s,;]+/).map((d) => d.trim().toLowerCase().replace(/^@/, "")).filter(Boolean))];
  if (domains.length === 0) return { error: "sso.error.domainsRequired" };
  if (domains.length > 20) return { error: "sso.error.domainsTooMany" };
  for (const domain of domains) {
    if (!DOMAIN.test(domain)) return { error: "sso.error.domainInvalid", domain };
    if ((PUBLIC_MAIL_DOMAINS as readonly string[]).includes(domain)) return { error: "sso.error.domainPublic", domain };
  }
  return { domains };
}

/** https, or http only on the loopback address (a provider on the same machine, as in tests). */
export function acceptableIssuer(raw: string): boolean {
  try {
    const url = new URL(raw);
    if (url.username || url.password || url.search || url.hash) return false;
    return url.protocol === "https:" || (url.protocol === "http:" && (url.hostname === "127.0.0.1" || url.hostname === "localhost" || url.hostname === "[::1]"));
  } catch {
    return false;
  }
}

export const SsoSettingsSchema = z.object({
  issuer: z
    .string({ error: "sso.error.issuerRequired" })
    .trim()
    .max(500, { error: "sso.error.issuerInvalid" })
    .refine(acceptableIssuer, { error: "sso.error.issuerInvalid" }),
  clientId: z.string({ error: "sso.error.clientIdRequired" }).trim().min(1, { error: "sso.error.clientIdRequired" }).max(300, { error: "sso.error.clientIdRequired" }),
  /** Empty: keep the stored secret (it is never shown back). */
  clientSecret: z.string().max(2000, { error: "sso.error.secretTooLong" }).optional(),
  domains: z.string({ error: "sso.error.domainsRequired" }).max(2000, { error: "sso.error.domainsTooMany" }),
  passwordAllowed: z.boolean().optional(),
  selfRegistration: z.boolean().optional(),
});
export type SsoSettingsInput = z.output<typeof SsoSettingsSchema>;
