// Forgotten passwords (issue 6, item 2): the same answer for every address, a single-use
// link by mail, the login throttle never locking the owner out of a reset, and every old
// session ended with a new one started.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "#db/client.server";
import * as s from "#db/schema";
import { hashPassword } from "~/auth/password.server";
import { THROTTLE_FREE_FAILURES } from "~/auth/throttle.server";
import { mailPendingPasswordResets } from "~/models/accounts/password-reset.server";
import { createTestDatabase } from "../support/db";
import { createUser, signedInCookie } from "../support/factories";
import { sessionCookieFrom, startTestServer, type TestServer } from "../support/server";

let database: Database;
let server: TestServer;

beforeAll(async () => {
  process.env.OUTBOX_DIR = `/tmp/innsikt-reset-outbox-${process.pid}`;
  database = await createTestDatabase();
  server = await startTestServer(database);
}, 120_000);

afterAll(async () => {
  delete process.env.OUTBOX_DIR;
  await server?.close();
  await database?.close();
});

/** The link in the latest mail to `email`, after the delivery step has written pending ones. */
async function linkFor(email: string): Promise<string> {
  await mailPendingPasswordResets(database.db);
  const mails = await database.db.select().from(s.emailOutbox).where(eq(s.emailOutbox.toAddress, email));
  const match = /\/reset-password\/([a-z2-7]{32})/.exec(mails.at(-1)?.textBody ?? "");
  expect(match, "a reset link in the mail").not.toBeNull();
  return `/reset-password/${match![1]}`;
}

describe("password reset", () => {
  it("answers every address the same and mails a link only to an account", async () => {
    const user = await createUser(database.db);
    const known = await server.fetch("/forgot-password", { form: { email: user.email } });
    const unknown = await server.fetch("/forgot-password", { form: { email: "ingen@example.no" } });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    const text = (html: string) => /role="status"[^>]*>(?:<[^>]+>)*([^<]+)</.exec(html)?.[1];
    const answer = text(await known.text());
    expect(answer).toContain("Hvis adressen har en konto");
    expect(text(await unknown.text())).toBe(answer);
    await linkFor(user.email);
    expect(await database.db.select().from(s.emailOutbox).where(eq(s.emailOutbox.toAddress, "ingen@example.no"))).toHaveLength(0);
    const bad = await server.fetch("/forgot-password", { form: { email: "ikke en adresse" } });
    expect(bad.status).toBe(400);
    const refused = await bad.text();
    // The error sits beside the field, which is marked invalid and named by it; the summary links to it.
    expect(refused).toMatch(/<p id="forgot-email-error"[^>]*>Skriv en gyldig e-postadresse\.<\/p>/);
    expect(refused).toMatch(/<input[^>]*id="forgot-email"[^>]*aria-invalid="true"|<input[^>]*aria-invalid="true"[^>]*id="forgot-email"/);
    expect(refused).toContain('href="#forgot-email"');
    expect(refused).toContain('value="ikke en adresse"');
  });

  it("works for an account locked by failed logins, ends its old sessions, signs in anew and clears the throttle", async () => {
    const user = await createUser(database.db, { passwordHash: await hashPassword("Gammelt-passord-1") });
    const oldSession = await signedInCookie(database.db, user.id);
    for (let i = 0; i <= THROTTLE_FREE_FAILURES; i++) await server.fetch("/login", { form: { email: user.email, password: "feil-passord-123" } });
    expect((await server.fetch("/login", { form: { email: user.email, password: "Gammelt-passord-1" } })).status).toBe(429);

    await server.fetch("/forgot-password", { form: { email: user.email } });
    const link = await linkFor(user.email);
    expect((await server.fetch(link)).status).toBe(200);
    const short = await server.fetch(link, { form: { password: "kort", confirm: "kort" } });
    expect(short.status).toBe(400);
    expect(await short.text()).toContain("minst 12 tegn");
    const saved = await server.fetch(link, { form: { password: "Nytt-langt-passord-2", confirm: "Nytt-langt-passord-2" } });
    expect(saved.status).toBe(302);
    const fresh = sessionCookieFrom(saved);
    expect((await server.fetch("/account/sessions", { cookie: fresh })).status).toBe(200);
    expect((await server.fetch("/account/sessions", { cookie: oldSession })).status).toBe(302);
    expect((await server.fetch("/login", { form: { email: user.email, password: "Nytt-langt-passord-2" } })).status).toBe(302);
    const logged = await database.db.select().from(s.auditEvents).where(eq(s.auditEvents.actorUserId, user.id));
    expect(logged.map((e) => e.action)).toEqual(expect.arrayContaining(["auth.password_reset_requested", "auth.password_reset"]));

    const again = await server.fetch(link, { form: { password: "Tredje-passord-33", confirm: "Tredje-passord-33" } });
    expect(again.status).toBe(410);
    expect((await server.fetch(link)).status).toBe(410);
  });

  it("refuses an expired or unknown link", async () => {
    const user = await createUser(database.db);
    await server.fetch("/forgot-password", { form: { email: user.email } });
    const link = await linkFor(user.email);
    await database.db.update(s.passwordResets).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(s.passwordResets.userId, user.id));
    const expired = await server.fetch(link);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain("Lenken er brukt, utløpt eller ugyldig");
    expect((await server.fetch(`/reset-password/${"a".repeat(32)}`)).status).toBe(404);
    expect((await server.fetch("/reset-password/not-a-token")).status).toBe(404);
  });
});
