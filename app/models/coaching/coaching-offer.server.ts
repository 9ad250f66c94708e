// The operator's coaching offer, run by staff: coaches, products (price in NOK with VAT,
// duration, on site or video) and coaches' free slots. Operator tables, owner path only.

import { and, asc, eq, gt, lt, sql } from "drizzle-orm";
import type { Db, Executor } from "#db/client.server";
import * as s from "#db/schema";
import { recordStaffAction } from "~/models/admin/audit.server";

export class SlotOverlapError extends Error {}

export async function listCoachingOffer(db: Db, now = new Date()) {
  const bookingCap = await getDefaultBookingCap(db);
  const coaches = await db.select().from(s.coaches).orderBy(asc(s.coaches.name));
  const products = await db.select().from(s.coachingProducts).orderBy(asc(s.coachingProducts.nameNb));
  const slots = await db
    .select({
      id: s.coachSlots.id,
      coachId: s.coachSlots.coachId,
      coachName: s.coaches.name,
      startsAt: s.coachSlots.startsAt,
      endsAt: s.coachSlots.endsAt,
      booked: sql<boolean>`exists (select 1 from bookings b where b.slot_id = ${s.coachSlots.id} and b.status in ('held', 'confirmed'))`,
    })
    .from(s.coachSlots)
    .innerJoin(s.coaches, eq(s.coaches.id, s.coachSlots.coachId))
    .where(gt(s.coachSlots.endsAt, now))
    .orderBy(asc(s.coachSlots.startsAt));
  return { coaches, products, slots, bookingCap };
}

export async function createCoach(db: Db, input: { name: string; email: string; bio: string; languages: string[]; actorUserId: string | null }) {
  return db.transaction(async (tx) => {
    const [coach] = await tx.insert(s.coaches).values({ name: input.name, email: input.email, bio: input.bio, languages: input.languages }).returning();
    await recordStaffAction(tx, { actorUserId: input.actorUserId, action: "coaching.coach.create", details: { coachId: coach!.id, name: input.name } });
    return coach!;
  });
}

export async function createProduct(
  db: Db,
  input: { nameNb: string; nameEn: string; descriptionNb: string; descriptionEn: string; priceOre: number; durationMinutes: number; format: "on_site" | "video"; actorUserId: string | null },
) {
  return db.transaction(async (tx) => {
    const { actorUserId, ...values } = input;
    const [product] = await tx.insert(s.coachingProducts).values(values).returning();
    await recordStaffAction(tx, { actorUserId, action: "coaching.product.create", details: { productId: product!.id, name: input.nameNb, priceOre: input.priceOre } });
    return product!;
  });
}

/** Adds a free slot; a coach's slots may not overlap. */
export async function createSlot(db: Db, input: { coachId: number; startsAt: Date; endsAt: Date; actorUserId: string | null }) {
  return db.transaction(async (tx) => {
    // Serialise slot changes of one coach, so two overlapping slots cannot slip in together.
    const [coach] = await tx.select({ id: s.coaches.id }).from(s.coaches).where(eq(s.coaches.id, input.coachId)).for("update");
    if (!coach) throw new SlotOverlapError("unknown coach");
    const [clash] = await tx
      .select({ id: s.coachSlots.id })
      .from(s.coachSlots)
      .where(and(eq(s.coachSlots.coachId, input.coachId), lt(s.coachSlots.startsAt, input.endsAt), gt(s.coachSlots.endsAt, input.startsAt)));
    if (clash) throw new SlotOverlapError("overlap");
    const [slot] = await tx.insert(s.coachSlots).values({ coachId: input.coachId, startsAt: input.startsAt, endsAt: input.endsAt }).returning();
    await recordStaffAction(tx, { actorUserId: input.actorUserId, action: "coaching.slot.create", details: { slotId: slot!.id, coachId: input.coachId, startsAt: input.startsAt.toISOString() } });
    return slot!;
  });
}

/** Removes a slot nobody has booked; false when it is booked or gone. */
export async function deleteFreeSlot(db: Db, slotId: number, actorUserId: string | null): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .delete(s.coachSlots)
      .where(and(eq(s.coachSlots.id, slotId), sql`not exists (select 1 from bookings b where b.slot_id = ${s.coachSlots.id})`))
      .returning({ id: s.coachSlots.id });
    if (row) await recordStaffAction(tx, { actorUserId, action: "coaching.slot.delete", details: { slotId } });
    return Boolean(row);
  });
}

// ---------------------------------------------------------------------------------------
// Fair use: how many open bookings (future, held or confirmed) a company may have at once.
// The bookings trigger of migration 0009 enforces it; staff set it here.

/** The default cap, for companies without one of their own. */
export async function getDefaultBookingCap(db: Executor): Promise<number> {
  const [row] = await db.select({ cap: s.coachingSettings.openBookingsPerCompany }).from(s.coachingSettings);
  return row?.cap ?? 3;
}

export async function setDefaultBookingCap(db: Db, input: { cap: number; actorUserId: string | null }): Promise<void> {
  await db.transaction(async (tx) => {
    const [before] = await tx.select({ cap: s.coachingSettings.openBookingsPerCompany }).from(s.coachingSettings).for("update");
    await tx
      .insert(s.coachingSettings)
      .values({ id: true, openBookingsPerCompany: input.cap })
      .onConflictDoUpdate({ target: s.coachingSettings.id, set: { openBookingsPerCompany: input.cap } });
    await recordStaffAction(tx, { actorUserId: input.actorUserId, action: "coaching.cap.default", details: { from: before?.cap ?? null, to: input.cap } });
  });
}

/** A company's own cap (null: the default again); false when there is no such company. */
export async function setCompanyBookingCap(db: Db, input: { tenantId: string; cap: number | null; actorUserId: string | null }): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select({ cap: s.participants.openBookingsCap }).from(s.participants).where(eq(s.participants.id, input.tenantId)).for("update");
    if (!before) return false;
    await tx.update(s.participants).set({ openBookingsCap: input.cap }).where(eq(s.participants.id, input.tenantId));
    await recordStaffAction(tx, { actorUserId: input.actorUserId, action: "coaching.cap.company", participantId: input.tenantId, details: { from: before.cap, to: input.cap } });
    return true;
  });
}
