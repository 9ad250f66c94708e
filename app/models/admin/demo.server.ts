import { and, asc, eq, like, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { generateDemo } from "#db/demo/generate";
import * as s from "#db/schema";
import { hashPassword } from "~/auth/password.server";
import { parseDateTime } from "~/domain/import-validate";
import type { StudyData, TenantRole } from "~/domain/types";
import { publishStudy } from "~/models/studies/publish.server";
import { writeStudy } from "~/models/studies/study-write.server";

/** Printed at start-up; the demo runs on a local embedded database only. */
export const DEMO_PASSWORD = "Kundeservice2021";
const DEMO_DOMAIN = "@innsikt.demo";

export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(s.studies);
  return (row?.n ?? 0) === 0;
}

interface DemoPerson {
  email: string;
  name: string;
  isStaff?: boolean;
  memberships: { participantCode: string; role: TenantRole }[];
}

/** Demo people: staff, the three roles of one bank, and one person in two companies (the switcher). */
function demoPeople(latest: StudyData): DemoPerson[] {
  const byClass = (code: string) => latest.participants.filter((p) => p.classCode === code);
  const bank = byClass("bank")[0] ?? latest.participants[0]!;
  const others = latest.participants.filter((p) => p.classCode !== bank.classCode);
  const [groupA, groupB] = [others[0]!, others.find((p) => p.classCode !== others[0]!.classCode) ?? others[1]!];
  return [
    { email: `ansatt${DEMO_DOMAIN}`, name: "Siri Staff (Kundeserviceprisen)", isStaff: true, memberships: [] },
    { email: `leder${DEMO_DOMAIN}`, name: "Lise Leder", memberships: [{ participantCode: bank.code, role: "manager" }] },
    { email: `teamleder${DEMO_DOMAIN}`, name: "Tor Teamleder", memberships: [{ participantCode: bank.code, role: "teamlead" }] },
    { email: `leser${DEMO_DOMAIN}`, name: "Lars Leser", memberships: [{ participantCode: bank.code, role: "viewer" }] },
    {
      email: `konsern${DEMO_DOMAIN}`,
      name: "Kari Konsern",
      memberships: [
        { participantCode: groupA.code, role: "manager" },
        { participantCode: groupB.code, role: "manager" },
      ],
    },
  ];
}

/**
 * Loads deterministic demo studies (each written in one transaction, scored by
 * the scoring engine, then published) and the demo people.
 */
export async function seedDemo(db: Db, options: { years?: number[]; seed?: number; log?: (line: string) => void } = {}) {
  const log = options.log ?? (() => {});
  const studies = generateDemo({ years: options.years, seed: options.seed });
  for (const data of studies) {
    const started = Date.now();
    const { studyId } = await db.transaction((tx) => writeStudy(tx, data));
    await publishStudy(db, studyId);
    log(`${data.name}: ${data.participants.length} companies, ${data.inquiries.length} inquiries (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
  const latest = studies.at(-1);
  if (!latest) return;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const person of demoPeople(latest)) {
    const [user] = await db
      .insert(s.users)
      .values({ email: person.email, name: person.name, passwordHash, isStaff: person.isStaff ?? false })
      .onConflictDoNothing()
      .returning({ id: s.users.id });
    if (!user) continue;
    for (const m of person.memberships) {
      const [participant] = await db.select({ id: s.participants.id }).from(s.participants).where(eq(s.participants.code, m.participantCode));
      await db.insert(s.memberships).values({ tenantId: participant!.id, userId: user.id, role: m.role }).onConflictDoNothing();
    }
  }
  log(`Demo people: ${demoPeople(latest).length}`);
  const slots = await seedCoachingOffer(db);
  log(`Coaching offer: 2 coaches, 3 products, ${slots} free slots`);
}

/**
 * The demo's coaching offer: two coaches, three products and free slots on the weekdays
 * of the next three weeks (09:00 and 13:00 Oslo time), so booking can be tried at once.
 */
export async function seedCoachingOffer(db: Db, now = new Date()): Promise<number> {
  const coaches = await db
    .insert(s.coaches)
    .values([
      { name: "Kari Åsheim", email: `kari.coach${DEMO_DOMAIN}`, bio: "Tjue år i kundeservice, de siste ti som coach for team i bank og forsikring.", languages: ["nb", "en"] },
      { name: "Jonas Bø", email: `jonas.coach${DEMO_DOMAIN}`, bio: "Spesialist på skriftlige kanaler: e-post, chat og Messenger.", languages: ["nb"] },
    ])
    .returning({ id: s.coaches.id });
  await db.insert(s.coachingProducts).values([
    { nameNb: "Oppfølging av resultatene (60 min)", nameEn: "Results follow-up (60 min)", descriptionNb: "Vi går gjennom resultatene og de svakeste områdene sammen med leder og teamledere.", descriptionEn: "We go through the results and the weakest areas with managers and team leads.", priceOre: 490_000, durationMinutes: 60, format: "video" },
    { nameNb: "Teamworkshop", nameEn: "Team workshop", descriptionNb: "En halv dag med hele teamet, bygget på deres egne henvendelser.", descriptionEn: "Half a day with the whole team, built on your own inquiries.", priceOre: 1_850_000, durationMinutes: 180, format: "on_site" },
    { nameNb: "Individuell trening", nameEn: "One-to-one training", descriptionNb: "Trening for én kundebehandler, med lytting og skriving på ekte saker.", descriptionEn: "Training for one agent, listening and writing on real cases.", priceOre: 250_000, durationMinutes: 45, format: "video" },
  ]);
  const slots: { coachId: number; startsAt: Date; endsAt: Date }[] = [];
  for (let day = 2; day <= 22; day++) {
    const date = new Date(now.getTime() + day * 86_400_000);
    const weekday = date.getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const ymd = date.toISOString().slice(0, 10);
    for (const [i, coach] of coaches.entries()) {
      const startsAt = parseDateTime(`${ymd}T${i === 0 ? "09:00" : "13:00"}`)!;
      slots.push({ coachId: coach.id, startsAt, endsAt: new Date(startsAt.getTime() + 3.5 * 3600_000) });
    }
  }
  await db.insert(s.coachSlots).values(slots);
  return slots.length;
}

/** The demo people present in this database, for the start-up banner. */
export async function demoLogins(db: Db): Promise<{ email: string; description: string }[]> {
  const rows = await db
    .select({ email: s.users.email, isStaff: s.users.isStaff, role: s.memberships.role, company: s.participants.name })
    .from(s.users)
    .leftJoin(s.memberships, eq(s.memberships.userId, s.users.id))
    .leftJoin(s.participants, eq(s.participants.id, s.memberships.tenantId))
    .where(and(like(s.users.email, `%${DEMO_DOMAIN}`)))
    .orderBy(asc(s.users.createdAt), asc(s.participants.name));
  const roleNames: Record<TenantRole, string> = { manager: "leder", teamlead: "teamleder", viewer: "leser" };
  const byEmail = new Map<string, string[]>();
  for (const row of rows) {
    const parts = byEmail.get(row.email) ?? [];
    if (row.isStaff && parts.length === 0) parts.push("staff (operator console)");
    if (row.role && row.company) parts.push(`${roleNames[row.role]} i ${row.company}`);
    byEmail.set(row.email, parts);
  }
  return [...byEmail].map(([email, parts]) => ({ email, description: parts.join(", ") }));
}
