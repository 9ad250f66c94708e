// app/env.server.ts: every variable the app reads, checked in one schema with one-line errors.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "#db/paths";
import { EnvError, parseEnv } from "~/env.server";

const STRIPE = { STRIPE_SECRET_KEY: "sk_test_abc", STRIPE_WEBHOOK_SECRET: "whsec_abc" };

describe("parseEnv", () => {
  it("SSO_SECRET_KEY: 32 bytes in hex or base64; unset, the public development key, except in production on PostgreSQL", () => {
    const hex = "ab".repeat(32);
    expect(parseEnv({ SSO_SECRET_KEY: hex }).ssoSecretKey).toEqual(Buffer.from(hex, "hex"));
    expect(parseEnv({ SSO_SECRET_KEY: Buffer.alloc(32, 7).toString("base64") }).ssoSecretKey).toEqual(Buffer.alloc(32, 7));
    expect(() => parseEnv({ SSO_SECRET_KEY: "kort-nokkel" })).toThrow(new EnvError("SSO_SECRET_KEY must be 32 bytes as 64 hex digits or 44 characters of base64"));
    expect(parseEnv({}).ssoSecretKey).toHaveLength(32);
    expect(parseEnv({ NODE_ENV: "test", DATABASE_URL: "postgres://db/innsikt" }).ssoSecretKey).toHaveLength(32);
    expect(parseEnv({ NODE_ENV: "production", DATABASE_URL: "postgres://db/innsikt" }).ssoSecretKey).toBeNull();
  });

  it("gives the defaults for an empty environment", () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      mode: "production",
      host: "127.0.0.1",
      port: 3000,
      publicUrl: "http://127.0.0.1:3000",
      formRateLimitPerMinute: 20,
      mailFrom: "Kundeserviceprisen Innsikt <innsikt@kundeserviceprisen.no>",
      mailFromAddress: "innsikt@kundeserviceprisen.no",
      outboxDir: path.join(projectRoot, ".outbox"),
      transcriptRetentionYears: null,
      jobsCronCheckSeconds: 30,
      stripe: null,
    });
    expect(env.databaseUrl).toBeUndefined();
    expect(env.trustProxy).toBeUndefined();
    expect(env.smtpUrl).toBeUndefined();
  });

  it("reads good values, treating empty ones as unset", () => {
    const env = parseEnv({
      NODE_ENV: "development",
      DATABASE_URL: "postgres://innsikt:secret@db:5432/innsikt?sslmode=verify-full",
      HOST: "0.0.0.0",
      PORT: "8080",
      PUBLIC_URL: "https://Innsikt.example.no/",
      TRUST_PROXY: "loopback",
      FORM_RATE_LIMIT_PER_MINUTE: "10000",
      SMTP_URL: "smtps://user:pass@smtp.example.no:465",
      MAIL_FROM: "Innsikt <post@example.no>",
      OUTBOX_DIR: "/tmp/outbox",
      TRANSCRIPT_RETENTION_YEARS: "3",
      JOBS_CRON_CHECK_SECONDS: "5",
      STRIPE_API_URL: "http://127.0.0.1:12111",
      PGLITE_DATA_DIR: " ",
      ...STRIPE,
    });
    expect(env).toMatchObject({
      mode: "development",
      host: "0.0.0.0",
      port: 8080,
      publicUrl: "https://innsikt.example.no",
      trustProxy: "loopback",
      formRateLimitPerMinute: 10000,
      mailFromAddress: "post@example.no",
      outboxDir: "/tmp/outbox",
      transcriptRetentionYears: 3,
      jobsCronCheckSeconds: 5,
      stripe: { secretKey: "sk_test_abc", webhookSecret: "whsec_abc", apiUrl: "http://127.0.0.1:12111" },
    });
    expect(env.pgliteDataDir).toBeUndefined();
    expect(parseEnv({ PORT: "4000" }).publicUrl).toBe("http://127.0.0.1:4000");
    expect(parseEnv({ TRUST_PROXY: "1" }).trustProxy).toBe(1);
    expect(parseEnv({ TRUST_PROXY: "true" }).trustProxy).toBe(true);
    expect(parseEnv({ MAIL_FROM: "post@example.no" }).mailFromAddress).toBe("post@example.no");
  });

  const bad: [Record<string, string>, string][] = [
    [{ PUBLIC_URL: "foo" }, 'PUBLIC_URL must be an http(s) URL without a path, got "foo"'],
    [{ PUBLIC_URL: "https://innsikt.example.no/app" }, 'PUBLIC_URL must be an http(s) URL without a path, got "https://innsikt.example.no/app"'],
    [{ PUBLIC_URL: "ftp://innsikt.example.no" }, 'PUBLIC_URL must be an http(s) URL without a path, got "ftp://innsikt.example.no"'],
    [{ PUBLIC_URL: "https://innsikt.example.no/?a=1" }, 'PUBLIC_URL must be an http(s) URL without a path, got "https://innsikt.example.no/?a=1"'],
    [{ PORT: "http" }, 'PORT must be a whole number from 1 to 65535, got "http"'],
    [{ PORT: "70000" }, 'PORT must be a whole number from 1 to 65535, got "70000"'],
    [{ FORM_RATE_LIMIT_PER_MINUTE: "0" }, 'FORM_RATE_LIMIT_PER_MINUTE must be a whole number from 1 to 1000000, got "0"'],
    [{ TRANSCRIPT_RETENTION_YEARS: "3.5" }, 'TRANSCRIPT_RETENTION_YEARS must be a whole number of years from 1 to 50, got "3.5"'],
    [{ JOBS_CRON_CHECK_SECONDS: "60" }, 'JOBS_CRON_CHECK_SECONDS must be a whole number of seconds from 1 to 45, got "60"'],
    [{ MAIL_FROM: "Innsikt" }, 'MAIL_FROM must be an e-mail address, or "Name <address>", got "Innsikt"'],
    [{ STRIPE_API_URL: "stripe" }, 'STRIPE_API_URL must be an http(s) URL, got "stripe"'],
    // Secrets are named, never repeated.
    [{ DATABASE_URL: "mysql://root:hunter2@db/innsikt" }, "DATABASE_URL must be a postgres:// or postgresql:// URL"],
    [{ SMTP_URL: "smtp.example.no" }, "SMTP_URL must be an smtp:// or smtps:// URL"],
    [{ STRIPE_SECRET_KEY: "pk_test_abc", STRIPE_WEBHOOK_SECRET: "whsec_abc" }, "STRIPE_SECRET_KEY must be a Stripe secret key (sk_… or rk_…)"],
    [{ STRIPE_SECRET_KEY: "sk_test_abc", STRIPE_WEBHOOK_SECRET: "abc" }, "STRIPE_WEBHOOK_SECRET must be a webhook signing secret (whsec_…)"],
    [{ STRIPE_SECRET_KEY: "sk_test_abc" }, "STRIPE_WEBHOOK_SECRET must be set together with STRIPE_SECRET_KEY (card payment needs both)"],
    [{ STRIPE_WEBHOOK_SECRET: "whsec_abc" }, "STRIPE_SECRET_KEY must be set together with STRIPE_WEBHOOK_SECRET (card payment needs both)"],
  ];
  for (const [source, message] of bad) {
    it(`refuses ${JSON.stringify(source)}`, () => {
      expect(() => parseEnv(source)).toThrow(EnvError);
      expect(() => parseEnv(source)).toThrow(new EnvError(message));
    });
  }
});
