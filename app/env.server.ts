// Every environment variable the app reads, in one zod schema (docs/operations.md lists them).
// The server and the CLI check it at start and exit 1 with a one-line reason; elsewhere env()
// returns the parsed values, parsed again only when the variables change (tests set them).

import { createHash } from "node:crypto";
import path from "node:path";
import * as z from "zod";
import { projectRoot } from "#db/paths";

const DEFAULT_MAIL_FROM = "Kundeserviceprisen Innsikt <innsikt@kundeserviceprisen.no>";

/** A bad value: the message names the variable and what is wrong, on one line. */
export class EnvError extends Error {
  override name = "EnvError";
}

/** A variable read through `parse`, which returns null for a value it refuses (`expected` says what it wants). */
const variable = <T>(expected: string, parse: (raw: string) => T | null) =>
  z.string().transform((raw, ctx) => {
    const value = parse(raw);
    if (value === null) {
      ctx.addIssue({ code: "custom", message: expected });
      return z.NEVER;
    }
    return value;
  });

const wholeNumber = (min: number, max: number) => (raw: string) => {
  const n = Number(raw);
  return /^\d+$/.test(raw) && Number.isSafeInteger(n) && n >= min && n <= max ? n : null;
};

const urlOf = (protocols: string[]) => (raw: string) => {
  try {
    const url = new URL(raw);
    return protocols.includes(url.protocol) ? url : null;
  } catch {
    return null;
  }
};

/** An http(s) origin: no path (a trailing slash is fine), query, fragment or credentials. */
const publicUrl = (raw: string) => {
  const url = urlOf(["http:", "https:"])(raw);
  if (!url || url.pathname !== "/" || url.search || url.hash || url.username || url.password || raw.includes("?") || raw.includes("#")) return null;
  return url.origin;
};

/** express's `trust proxy`: a hop count as a number, true/false as booleans, else addresses or names. */
const trustProxy = (raw: string): number | boolean | string => (/^\d+$/.test(raw) ? Number(raw) : raw === "true" ? true : raw === "false" ? false : raw);

/** `Name <address>` or a bare address; the address is the calendar invitations' organiser. */
const mailFrom = (raw: string) => {
  const match = /^(?:[^<>]*<([^<>\s@]+@[^<>\s@]+)>|([^<>\s@]+@[^<>\s@]+))$/.exec(raw);
  return match ? { header: raw, address: (match[1] ?? match[2])! } : null;
};

/** Variables whose value is never repeated in an error (they hold passwords or keys). */
const SECRET = new Set(["DATABASE_URL", "JOBS_DATABASE_URL", "SMTP_URL", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "SSO_SECRET_KEY"]);

/** 32 bytes as 64 hex digits or base64 (44 characters): the AES-256 key of the SSO client secrets. */
const aesKey = (raw: string) => {
  const bytes = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, "hex") : /^[A-Za-z0-9+/]{43}=$/.test(raw) ? Buffer.from(raw, "base64") : null;
  return bytes?.length === 32 ? bytes : null;
};

/**
 * Without SSO_SECRET_KEY, development, tests and the embedded demo database use this key, the
 * SHA-256 of a text printed in docs/operations.md: anyone can derive it, so it protects nothing.
 * A production server on PostgreSQL (DATABASE_URL) gets no default and refuses to store a secret.
 */
export const DEVELOPMENT_SSO_KEY_TEXT = "innsikt development SSO key - not a secret";

const schema = z
  .object({
    NODE_ENV: z.string().optional(),
    DATABASE_URL: variable("a postgres:// or postgresql:// URL", (raw) => (urlOf(["postgres:", "postgresql:"])(raw) ? raw : null)).optional(),
    PGLITE_DATA_DIR: z.string().optional(),
    HOST: z.string().default("127.0.0.1"),
    PORT: variable("a whole number from 1 to 65535", wholeNumber(1, 65535)).default(3000),
    PUBLIC_URL: variable("an http(s) URL without a path", publicUrl).optional(),
    TRUST_PROXY: variable("an express trust-proxy value", trustProxy).optional(),
    FORM_RATE_LIMIT_PER_MINUTE: variable("a whole number from 1 to 1000000", wholeNumber(1, 1_000_000)).default(20),
    SMTP_URL: variable("an smtp:// or smtps:// URL", (raw) => (urlOf(["smtp:", "smtps:"])(raw) ? raw : null)).optional(),
    MAIL_FROM: variable('an e-mail address, or "Name <address>"', mailFrom).default(mailFrom(DEFAULT_MAIL_FROM)!),
    OUTBOX_DIR: z.string().default(".outbox"),
    TRANSCRIPT_RETENTION_YEARS: variable("a whole number of years from 1 to 50", wholeNumber(1, 50)).optional(),
    STRIPE_SECRET_KEY: variable("a Stripe secret key (sk_… or rk_…)", (raw) => (/^(sk|rk)_\S+$/.test(raw) ? raw : null)).optional(),
    STRIPE_WEBHOOK_SECRET: variable("a webhook signing secret (whsec_…)", (raw) => (/^whsec_\S+$/.test(raw) ? raw : null)).optional(),
    STRIPE_API_URL: variable("an http(s) URL", (raw) => (urlOf(["http:", "https:"])(raw) ? raw : null)).optional(),
    JOBS_DATABASE_URL: variable("a postgres:// or postgresql:// URL", (raw) => (urlOf(["postgres:", "postgresql:"])(raw) ? raw : null)).optional(),
    JOBS_CRON_CHECK_SECONDS: variable("a whole number of seconds from 1 to 45", wholeNumber(1, 45)).default(30),
    SSO_SECRET_KEY: variable("32 bytes as 64 hex digits or 44 characters of base64", aesKey).optional(),
    INNSIKT_WORKER: variable('"on" or "off"', (raw) => (/^(on|1|true|yes)$/i.test(raw) ? true : /^(off|0|false|no)$/i.test(raw) ? false : null)).default(true),
  })
  .superRefine((v, ctx) => {
    // One without the other silently meant invoice only; say so instead.
    if (Boolean(v.STRIPE_SECRET_KEY) !== Boolean(v.STRIPE_WEBHOOK_SECRET)) {
      const missing = v.STRIPE_SECRET_KEY ? "STRIPE_WEBHOOK_SECRET" : "STRIPE_SECRET_KEY";
      ctx.addIssue({ code: "custom", path: [missing], message: `set together with ${missing === "STRIPE_SECRET_KEY" ? "STRIPE_WEBHOOK_SECRET" : "STRIPE_SECRET_KEY"} (card payment needs both)` });
    }
  });

const KEYS = Object.keys(schema.shape) as (keyof typeof schema.shape)[];

export type Env = ReturnType<typeof configOf>;

function configOf(v: z.output<typeof schema>) {
  return {
    /** Development only when asked for by name; anything else runs as production. */
    mode: v.NODE_ENV === "development" ? ("development" as const) : ("production" as const),
    databaseUrl: v.DATABASE_URL,
    pgliteDataDir: v.PGLITE_DATA_DIR,
    host: v.HOST,
    port: v.PORT,
    /** The origin of every link the app writes (mail, invitations, Stripe), without a trailing slash. */
    publicUrl: v.PUBLIC_URL ?? `http://127.0.0.1:${v.PORT}`,
    trustProxy: v.TRUST_PROXY,
    formRateLimitPerMinute: v.FORM_RATE_LIMIT_PER_MINUTE,
    smtpUrl: v.SMTP_URL,
    mailFrom: v.MAIL_FROM.header,
    mailFromAddress: v.MAIL_FROM.address,
    outboxDir: path.resolve(projectRoot, v.OUTBOX_DIR),
    /** null: the retention rule is off. */
    transcriptRetentionYears: v.TRANSCRIPT_RETENTION_YEARS ?? null,
    /** pg-boss's own connection when DATABASE_URL goes through a transaction-mode pool. */
    jobsDatabaseUrl: v.JOBS_DATABASE_URL,
    /** How often a worker process checks the job queue's cron clock: a per-minute job (scheduled publication) starts within about this long after its minute. */
    jobsCronCheckSeconds: v.JOBS_CRON_CHECK_SECONDS,
    /** false: a web-only process (INNSIKT_WORKER=off); workers run elsewhere. */
    runsWorkers: v.INNSIKT_WORKER,
    /** The key of the SSO client secrets; null: none configured (production on PostgreSQL), SSO cannot be set up. */
    ssoSecretKey: v.SSO_SECRET_KEY ?? (v.NODE_ENV === "production" && v.DATABASE_URL ? null : createHash("sha256").update(DEVELOPMENT_SSO_KEY_TEXT).digest()),
    stripe: v.STRIPE_SECRET_KEY && v.STRIPE_WEBHOOK_SECRET ? { secretKey: v.STRIPE_SECRET_KEY, webhookSecret: v.STRIPE_WEBHOOK_SECRET, apiUrl: v.STRIPE_API_URL } : null,
  };
}

/** The configuration in `source` (empty values count as unset); EnvError with a one-line reason otherwise. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const raw: Record<string, string> = {};
  for (const key of KEYS) {
    const value = source[key]?.trim();
    if (value) raw[key] = value;
  }
  const result = schema.safeParse(raw);
  if (result.success) return configOf(result.data);
  const issue = result.error.issues[0]!;
  const key = String(issue.path[0] ?? "environment");
  const got = key in raw ? (SECRET.has(key) ? "" : `, got "${raw[key]}"`) : "";
  throw new EnvError(`${key} must be ${issue.code === "custom" ? issue.message : "text"}${got}`);
}

let cached: { snapshot: string; env: Env } | undefined;

/** The configuration of this process, parsed once (and again only if the variables change). */
export function env(): Env {
  const snapshot = KEYS.map((key) => process.env[key] ?? "\u0000").join("\u0001");
  if (cached?.snapshot !== snapshot) cached = { snapshot, env: parseEnv(process.env) };
  return cached.env;
}

/** For entry points (server, CLI): the configuration, or its error on stderr and exit code 1. */
export function envOrExit(): Env {
  try {
    return env();
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    process.stderr.write(`Configuration error: ${error.message}\n`);
    process.exit(1);
  }
}
