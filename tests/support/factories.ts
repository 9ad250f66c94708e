import { randomBytes } from "node:crypto";
import type { Db } from "#db/client.server";
import * as s from "#db/schema";
import { SESSION_COOKIE } from "~/auth/guards.server";
import { bandOf } from "~/domain/scoring";
import { createSession, generateSessionToken } from "~/models/accounts/session.server";

const unique = () => randomBytes(4).toString("hex");

/** A study with one class, one area and one question: the least a test needs. */
export async function createStudy(db: Db, overrides: { year?: number; status?: "draft" | "published" } = {}) {
  const [study] = await db
    .insert(s.studies)
    .values({ year: overrides.year ?? 2000 + Math.floor(Math.random() * 900), name: `Test ${unique()}`, status: overrides.status ?? "published" })
    .returning();
  const [klass] = await db.insert(s.classes).values({ studyId: study!.id, code: `c${unique()}`, name: "Bank" }).returning();
  const [area] = await db.insert(s.areas).values({ studyId: study!.id, code: "V", name: "Velkomst", weight: 10, position: 1 }).returning();
  const [question] = await db
    .insert(s.questions)
    .values({ studyId: study!.id, areaId: area!.id, code: "V1", text: "Ble kunden ønsket velkommen?", kind: "points", maxPoints: 4, position: 1 })
    .returning();
  const [shopper] = await db.insert(s.shoppers).values({ studyId: study!.id, code: `S${unique()}`, gender: "female", age: 34, region: "Vestland" }).returning();
  return { study: study!, klass: klass!, area: area!, question: question!, shopper: shopper! };
}

export type TestStudy = Awaited<ReturnType<typeof createStudy>>;

/** A company (tenant) taking part in `study`, with `inquiries` inquiries whose comments carry a canary. */
export async function createTenant(db: Db, study: TestStudy, options: { name?: string; scores?: number[] } = {}) {
  const code = `co-${unique()}`;
  const [participant] = await db.insert(s.participants).values({ code, name: options.name ?? `Firma ${code}` }).returning();
  const tenantId = participant!.id;
  const scores = options.scores ?? [80, 60];
  await db.insert(s.participations).values({
    tenantId,
    studyId: study.study.id,
    classId: study.klass.id,
    displayName: participant!.name,
    inquiryCount: scores.length,
    answeredCount: scores.filter((x) => x > 0).length,
    totalScore: scores.reduce((a, b) => a + b, 0) / scores.length,
  });
  const canary = `CANARY-${code}`;
  const inquiries = await db
    .insert(s.inquiries)
    .values(
      scores.map((score, i) => ({
        tenantId,
        studyId: study.study.id,
        ref: `${code}-${i + 1}`,
        channel: "chat" as const,
        shopperId: study.shopper.id,
        scenario: "Spør om renter",
        contactedAt: new Date(Date.UTC(2021, 0, 14 + i, 8, 30)),
        attempts: 1,
        answered: score > 0,
        waitSeconds: score > 0 ? 60 : null,
        agentName: score > 0 ? "Åse" : null,
        comment: `${canary} kommentar ${i}`,
        transcript: `${canary} samtale ${i}`,
        totalScore: score,
        band: bandOf(score),
      })),
    )
    .returning();
  return { tenantId, participant: participant!, code, canary, inquiries };
}

export async function createUser(db: Db, options: { email?: string; passwordHash?: string; isStaff?: boolean; name?: string } = {}) {
  const [user] = await db
    .insert(s.users)
    .values({
      email: options.email ?? `user-${unique()}@example.no`,
      name: options.name ?? "Kari Nordmann",
      passwordHash: options.passwordHash ?? null,
      isStaff: options.isStaff ?? false,
    })
    .returning();
  return user!;
}

export async function addMember(db: Db, tenantId: string, userId: string, role: "manager" | "teamlead" | "viewer" = "manager") {
  await db.insert(s.memberships).values({ tenantId, userId, role });
}

/** A session for `userId`, as the Cookie header value a signed-in browser would send. */
export async function signedInCookie(db: Db, userId: string): Promise<string> {
  const token = generateSessionToken();
  await createSession(db, token, userId);
  return `${SESSION_COOKIE}=${token}`;
}
