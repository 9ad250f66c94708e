// Onboarding a study's companies (issue 17): a contacts file turned into invitations in one
// step, the state of each company (a manager who has signed in, invited but never came,
// nobody), reminders by hand and the one automatic reminder. Staff path (owner connection):
// staff see every company; each invitation is written in both audit logs by createInvitation.

import { and, asc, desc, eq, inArray, isNull, lte, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import * as s from "#db/schema";
import { validateContacts, type ContactCompany, type ContactRow } from "~/domain/contacts-validate";
import type { ImportProblem } from "~/domain/import-validate";
import { SENT_STATUSES, type ContactStatus, type OnboardingState } from "~/domain/onboarding";
import { recordStaffAction } from "~/models/admin/audit.server";
import { checksumOf, MAX_FILE_BYTES, readImportFile } from "~/models/studies/import-file.server";
import { createInvitation } from "./invitation.server";


export type ContactsPreview =
  | { ok: false; problems: ImportProblem[] }
  | { ok: true; contacts: (ContactRow & { status: ContactStatus })[]; counts: Record<ContactStatus, number> };

interface Study {
  id: number;
  year: number;
}

/** Every participant by code, with whether it takes part in the study. */
async function companiesByCode(db: Db, studyId: number): Promise<Map<string, ContactCompany>> {
  const rows = await db
    .select({
      code: s.participants.code,
      id: s.participants.id,
      name: s.participants.name,
      inStudy: sql<boolean>`exists (select 1 from ${s.participations} pa where pa.tenant_id = ${s.participants.id} and pa.study_id = ${studyId})`,
    })
    .from(s.participants);
  return new Map(rows.map((r) => [r.code, { id: r.id, name: r.name, inStudy: Boolean(r.inStudy) }]));
}

/**
 * The preview of a contacts file against the study's companies and the current members and
 * invitations: problems (nothing can be sent), or each row with its status.
 */
export async function previewContacts(db: Db, study: Study, bytes: Uint8Array, now = new Date()): Promise<ContactsPreview> {
  const read = await readImportFile(bytes);
  if (!read.ok) return { ok: false, problems: read.problems };
  const checked = validateContacts(read.sheet, await companiesByCode(db, study.id), study.year);
  if (!checked.ok) return checked;
  const tenantIds = [...new Set(checked.contacts.map((c) => c.tenantId))];
  const members = await db
    .select({ tenantId: s.memberships.tenantId, email: sql<string>`lower(${s.users.email})` })
    .from(s.memberships)
    .innerJoin(s.users, eq(s.users.id, s.memberships.userId))
    .where(inArray(s.memberships.tenantId, tenantIds));
  const invitations = await db
    .select({ tenantId: s.invitations.tenantId, email: s.invitations.email, expiresAt: s.invitations.expiresAt })
    .from(s.invitations)
    .where(and(inArray(s.invitations.tenantId, tenantIds), isNull(s.invitations.acceptedAt), isNull(s.invitations.revokedAt)));
  const key = (tenantId: string, email: string) => `${tenantId}\u0000${email}`;
  const memberKeys = new Set(members.map((m) => key(m.tenantId, m.email)));
  const open = new Map<string, boolean>();
  for (const i of invitations) open.set(key(i.tenantId, i.email), open.get(key(i.tenantId, i.email)) === true || i.expiresAt > now);
  const counts: Record<ContactStatus, number> = { new: 0, expired: 0, invited: 0, member: 0 };
  const contacts = checked.contacts.map((c) => {
    const k = key(c.tenantId, c.email);
    const status: ContactStatus = memberKeys.has(k) ? "member" : open.get(k) === true ? "invited" : open.has(k) ? "expired" : "new";
    counts[status]++;
    return { ...c, status };
  });
  return { ok: true, contacts, counts };
}

export class ContactsRefusedError extends Error {
  constructor(readonly problems: ImportProblem[]) {
    super(`The contacts file has ${problems.length} problem(s); nothing was sent.`);
  }
}

/**
 * Sends the invitations of a contacts file: all or nothing, and never twice. The preview is
 * computed again inside the transaction, under a lock per study, so a second send (another
 * click, another tab, the CLI) finds those people invited and sends nothing new.
 */
export async function sendContacts(
  db: Db,
  input: { study: Study; bytes: Uint8Array; fileName: string; userId: string | null; uploadId?: string; now?: Date },
): Promise<{ sent: number; skipped: number }> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('innsikt.contacts'), ${input.study.id})`);
    const preview = await previewContacts(tx, input.study, input.bytes, now);
    if (!preview.ok) throw new ContactsRefusedError(preview.problems);
    const toSend = preview.contacts.filter((c) => SENT_STATUSES.includes(c.status));
    for (const c of toSend) {
      await createInvitation(tx, { tenantId: c.tenantId, email: c.email, role: c.role, invitedBy: input.userId, name: c.name, now });
    }
    await recordStaffAction(tx, {
      actorUserId: input.userId,
      action: "contacts.send",
      studyId: input.study.id,
      details: { fileName: input.fileName, checksum: checksumOf(input.bytes), sent: toSend.length, rows: preview.contacts.length },
    });
    if (input.uploadId) {
      await tx
        .update(s.contactUploads)
        .set({ sentAt: now, sentCount: toSend.length })
        .where(and(eq(s.contactUploads.id, input.uploadId), eq(s.contactUploads.studyId, input.study.id)));
    }
    return { sent: toSend.length, skipped: preview.contacts.length - toSend.length };
  });
}

// ---- the uploaded file, kept so its preview survives a reload ---------------------------

export async function createContactUpload(db: Db, input: { studyId: number; fileName: string; bytes: Uint8Array; userId: string | null }): Promise<string> {
  if (input.bytes.length > MAX_FILE_BYTES) throw new Error("The file is larger than 50 MB.");
  const [row] = await db
    .insert(s.contactUploads)
    .values({ studyId: input.studyId, fileName: input.fileName.slice(0, 255), checksum: checksumOf(input.bytes), bytes: input.bytes, createdBy: input.userId })
    .returning({ id: s.contactUploads.id });
  return row!.id;
}

/** An upload of this study, or null (an id of another study's upload is not found either). */
export async function getContactUpload(db: Db, studyId: number, id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const [row] = await db.select().from(s.contactUploads).where(and(eq(s.contactUploads.id, id), eq(s.contactUploads.studyId, studyId)));
  return row ?? null;
}

export async function latestContactUploads(db: Db, studyId: number, limit = 5) {
  return db
    .select({ id: s.contactUploads.id, fileName: s.contactUploads.fileName, createdAt: s.contactUploads.createdAt, sentAt: s.contactUploads.sentAt, sentCount: s.contactUploads.sentCount })
    .from(s.contactUploads)
    .where(eq(s.contactUploads.studyId, studyId))
    .orderBy(desc(s.contactUploads.createdAt))
    .limit(limit);
}

// ---- the state of each company of a study ------------------------------------------------

/**
 * Per company of the study: `signedIn` when a manager (an active account) has signed in at
 * least once (users.last_login_at: any sign-in — password, accepted invitation, the company's
 * own provider); else
 * `invited` when a manager invitation is waiting (open or run out, not used or withdrawn) or
 * a manager has never signed in; else `nobody`.
 */
export async function listOnboarding(db: Db, studyId: number, options: { state?: OnboardingState } = {}) {
  const managerSignedIn = sql<boolean>`exists (
    select 1 from ${s.memberships} m join ${s.users} u on u.id = m.user_id
    where m.tenant_id = ${s.participants.id} and m.role = 'manager' and u.disabled_at is null
      and u.last_login_at is not null)`;
  const managerMember = sql<boolean>`exists (select 1 from ${s.memberships} m where m.tenant_id = ${s.participants.id} and m.role = 'manager')`;
  const waiting = sql`from ${s.invitations} i where i.tenant_id = ${s.participants.id} and i.accepted_at is null and i.revoked_at is null`;
  const rows = await db
    .select({
      tenantId: s.participants.id,
      code: s.participants.code,
      name: s.participants.name,
      signedIn: managerSignedIn,
      hasManager: managerMember,
      managerInvitations: sql<number>`(select count(*) ${waiting} and i.role = 'manager')`.mapWith(Number),
      waitingInvitations: sql<number>`(select count(*) ${waiting})`.mapWith(Number),
      lastInvitedAt: sql<string | null>`(select max(i.created_at) ${waiting})`,
      members: sql<number>`(select count(*) from ${s.memberships} m where m.tenant_id = ${s.participants.id})`.mapWith(Number),
    })
    .from(s.participations)
    .innerJoin(s.participants, eq(s.participants.id, s.participations.tenantId))
    .where(eq(s.participations.studyId, studyId))
    .orderBy(asc(s.participants.name));
  const companies = rows.map((r) => {
    const state: OnboardingState = r.signedIn ? "signedIn" : r.hasManager || r.managerInvitations > 0 ? "invited" : "nobody";
    return {
      tenantId: r.tenantId,
      code: r.code,
      name: r.name,
      state,
      members: r.members,
      waitingInvitations: r.waitingInvitations,
      lastInvitedAt: r.lastInvitedAt ? new Date(r.lastInvitedAt).toISOString() : null,
    };
  });
  const counts: Record<OnboardingState, number> = { signedIn: 0, invited: 0, nobody: 0 };
  for (const c of companies) counts[c.state]++;
  return { counts, total: companies.length, companies: options.state ? companies.filter((c) => c.state === options.state) : companies };
}

/**
 * Reminds every person of a company of the study whose invitation is waiting (open or run
 * out): a new link each (the old one is withdrawn), marked as a reminder. null when the company
 * takes no part in the study.
 */
export async function remindCompany(db: Db, input: { studyId: number; tenantId: string; userId: string | null; now?: Date }): Promise<number | null> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const [taking] = await tx
      .select({ tenantId: s.participations.tenantId })
      .from(s.participations)
      .where(and(eq(s.participations.studyId, input.studyId), eq(s.participations.tenantId, input.tenantId)));
    if (!taking) return null;
    const waiting = await tx
      .select({ id: s.invitations.id, email: s.invitations.email, role: s.invitations.role })
      .from(s.invitations)
      .where(and(eq(s.invitations.tenantId, input.tenantId), isNull(s.invitations.acceptedAt), isNull(s.invitations.revokedAt)))
      .for("update");
    for (const i of waiting) {
      await createInvitation(tx, { tenantId: input.tenantId, email: i.email, role: i.role, invitedBy: input.userId, reminder: true, now });
    }
    return waiting.length;
  });
}

/**
 * The automatic reminder: each invitation whose reminder is due and that nobody used gets one,
 * once. Claiming clears remind_at in the transaction that writes the reminder, and rows another
 * worker holds are skipped, so two workers never send it twice.
 */
export async function remindDueInvitations(db: Db, now = new Date(), batch = 200): Promise<number> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ tenantId: s.invitations.tenantId, id: s.invitations.id, email: s.invitations.email, role: s.invitations.role })
      .from(s.invitations)
      .where(and(lte(s.invitations.remindAt, now), isNull(s.invitations.acceptedAt), isNull(s.invitations.revokedAt)))
      .orderBy(asc(s.invitations.remindAt))
      .limit(batch)
      .for("update", { skipLocked: true });
    let sent = 0;
    for (const i of due) {
      await tx.update(s.invitations).set({ remindAt: null }).where(and(eq(s.invitations.tenantId, i.tenantId), eq(s.invitations.id, i.id)));
      const [member] = await tx
        .select({ userId: s.memberships.userId })
        .from(s.memberships)
        .innerJoin(s.users, eq(s.users.id, s.memberships.userId))
        .where(and(eq(s.memberships.tenantId, i.tenantId), eq(sql`lower(${s.users.email})`, i.email)));
      if (member) continue; // joined meanwhile (through another link): nothing to remind of
      // Nobody asked for this one: the system is its actor in both audit logs.
      await createInvitation(tx, { tenantId: i.tenantId, email: i.email, role: i.role, invitedBy: null, reminder: true, now });
      sent++;
    }
    return sent;
  });
}
