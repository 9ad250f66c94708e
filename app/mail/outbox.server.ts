// E-mail leaves through the email_outbox table: written in the transaction of the change
// that causes it (an invitation, a booking), delivered afterwards with retries. With
// SMTP_URL set it goes out over SMTP; without it, each message is written as an .eml file
// to the outbox folder (OUTBOX_DIR, default .outbox/) so a demo or a developer can open it.
// A booking's mails are queued as a template key and parameters (no tenant request writes
// mail text) and rendered here at delivery, in the recipient's language.

import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { and, asc, inArray, isNull, lte, sql } from "drizzle-orm";
import nodemailer from "nodemailer";
import type { Db, Executor } from "#db/client.server";
import * as s from "#db/schema";
import { env } from "~/env.server";
import { MailGoneError, renderBookingMail } from "~/models/coaching/booking-mail.server";

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  ics?: string | null;
}

/** Queues a rendered message (owner paths: invitations, password resets). */
export async function enqueueEmail(tx: Executor, email: OutgoingEmail): Promise<void> {
  await tx.insert(s.emailOutbox).values({ toAddress: email.to, subject: email.subject, textBody: email.text, icsAttachment: email.ics ?? null });
}

/** A queued row as it is sent: its own text, or its template rendered now. */
export async function renderOutboxMessage(
  db: Executor,
  mail: Pick<typeof s.emailOutbox.$inferSelect, "subject" | "textBody" | "icsAttachment" | "template" | "params" | "createdAt">,
): Promise<{ subject: string; text: string; ics: string | null }> {
  if (mail.template === null) return { subject: mail.subject ?? "", text: mail.textBody ?? "", ics: mail.icsAttachment };
  if (!(s.OUTBOX_TEMPLATES as readonly string[]).includes(mail.template)) throw new MailGoneError(`unknown template ${mail.template}`);
  return renderBookingMail(db, mail.template as s.OutboxTemplate, mail.params, mail.createdAt);
}

/** The METHOD of a calendar attachment (REQUEST or CANCEL), which its MIME type must repeat. */
const icsMethod = (ics: string) => /^METHOD:(\w+)\r?$/m.exec(ics)?.[1] ?? "REQUEST";

export const outboxDir = () => env().outboxDir;
export const MAX_ATTEMPTS = 8;
const FROM = () => env().mailFrom;

type Sender = (message: nodemailer.SendMailOptions, id: number) => Promise<string>;

function smtpSender(url: string): Sender {
  const transport = nodemailer.createTransport(url);
  return async (message) => {
    const info = await transport.sendMail(message);
    return `smtp:${info.messageId}`;
  };
}

function folderSender(dir: string): Sender {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return async (message, id) => {
    const info = await transport.sendMail(message);
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, `${String(id).padStart(6, "0")}.eml`);
    await writeFile(file, info.message as Buffer);
    return file;
  };
}

export function defaultSender(): Sender {
  const { smtpUrl } = env();
  return smtpUrl ? smtpSender(smtpUrl) : folderSender(outboxDir());
}

/** How long a claimed message is reserved for the process sending it (see deliverOutbox). */
export const CLAIM_MS = 15 * 60_000;
const BATCH = 20;

/**
 * Sends what is due. A failure is recorded on the row and retried later with a
 * growing delay (1, 2, 4 … minutes); nothing is dropped.
 *
 * The due rows are first claimed in one statement (`FOR UPDATE SKIP LOCKED`, moving their
 * next attempt CLAIM_MS ahead), so two app processes, or a delivery job that runs while the
 * previous batch is still talking to a slow SMTP server, never send the same message twice.
 * A process that dies after claiming leaves the rows to be sent once the claim runs out.
 */
export async function deliverOutbox(db: Db, send: Sender = defaultSender(), now = new Date()) {
  const dueIds = db
    .select({ id: s.emailOutbox.id })
    .from(s.emailOutbox)
    .where(and(isNull(s.emailOutbox.sentAt), lte(s.emailOutbox.nextAttemptAt, now), sql`${s.emailOutbox.attempts} < ${MAX_ATTEMPTS}`))
    .orderBy(asc(s.emailOutbox.id))
    .limit(BATCH)
    .for("update", { skipLocked: true });
  const claimed = await db
    .update(s.emailOutbox)
    .set({ nextAttemptAt: new Date(now.getTime() + CLAIM_MS) })
    .where(inArray(s.emailOutbox.id, dueIds))
    .returning();
  const due = claimed.sort((a, b) => a.id - b.id);
  const results: { id: number; ok: boolean; where?: string; error?: string }[] = [];
  for (const mail of due) {
    try {
      const rendered = await renderOutboxMessage(db, mail);
      const where = await send(
        {
          from: FROM(),
          to: mail.toAddress,
          subject: rendered.subject,
          text: rendered.text,
          attachments: rendered.ics
            ? [{ filename: "invitasjon.ics", content: rendered.ics, contentType: `text/calendar; charset=utf-8; method=${icsMethod(rendered.ics)}` }]
            : [],
        },
        mail.id,
      );
      // A template's rendering is kept on the row: what was sent stays readable.
      await db
        .update(s.emailOutbox)
        .set({ sentAt: new Date(), attempts: mail.attempts + 1, lastError: null, subject: rendered.subject, textBody: rendered.text, icsAttachment: rendered.ics })
        .where(sql`${s.emailOutbox.id} = ${mail.id}`);
      results.push({ id: mail.id, ok: true, where });
    } catch (error) {
      if (error instanceof MailGoneError) {
        // Nothing left to render (e.g. the company was deleted): give up at once, visibly.
        await db.update(s.emailOutbox).set({ attempts: MAX_ATTEMPTS, lastError: error.message.slice(0, 500) }).where(sql`${s.emailOutbox.id} = ${mail.id}`);
        results.push({ id: mail.id, ok: false, error: error.message });
        continue;
      }
      const delayMs = 60_000 * 2 ** mail.attempts;
      await db
        .update(s.emailOutbox)
        .set({ attempts: mail.attempts + 1, lastError: String((error as Error).message).slice(0, 500), nextAttemptAt: new Date(now.getTime() + delayMs) })
        .where(sql`${s.emailOutbox.id} = ${mail.id}`);
      results.push({ id: mail.id, ok: false, error: (error as Error).message });
    }
  }
  return results;
}
