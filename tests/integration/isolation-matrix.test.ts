// The isolation matrix (issue 6, item 1). Company A's manager, team lead and viewer, and A's
// API token, ask every route of the app (enumerated from the Remix build's route manifest,
// so a new route is covered or the matrix fails) for company B's inquiries, packs,
// bookings, tokens, invitations and uploads, by id, ref and filter, in the study both took
// part in and in one only B took part in. Every answer must be the status the probe table
// (tests/support/isolation-probes.ts) names for that role (404 for anything of B's, 403 for
// a right the role lacks), never a 5xx, never one of B's canary strings or ids, and the same,
// but for the value itself, as the answer to a made-up id. Each page is also asked as
// single-fetch data (`.data`), the way client navigation asks it.
//
// Then the same attempts straight at SQL as the runtime role, on every table with a
// tenant_id column (found in information_schema, so a new table is covered): none of B's
// rows can be read, updated, deleted or inserted; and every other table is either operator
// reference data (read-only) or closed to the role.
import { randomBytes, randomUUID } from "node:crypto";
import type { ServerBuild } from "@remix-run/node";
import { matchRoutes, type AgnosticRouteObject } from "@remix-run/router";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resultRows, withTenant, type Db, type Tx } from "#db/client.server";
import * as s from "#db/schema";
import { PERMISSIONS } from "~/domain/permissions";
import type { StudyData } from "~/domain/types";
import { createApiToken } from "~/models/accounts/api-token.server";
import { saveSsoSettings } from "~/models/accounts/sso.server";
import { createBooking } from "~/models/coaching/booking.server";
import { createCoach, createProduct, createSlot } from "~/models/coaching/coaching-offer.server";
import { createInvitation } from "~/models/accounts/invitation.server";
import { loadBuild } from "~/server/app";
import { addMember, createUser, signedInCookie } from "../support/factories";
import { EXPECTED_RIGHTS, PROBES, ROLES, SSO_DOMAIN_OF_B, type Attempt, type Fixed, type Role, type Values } from "../support/isolation-probes";
import { publishedStudies } from "../support/published-sample";
import { sampleStudy } from "../support/sample-study";
import { startStripeStandin, type StripeStandin } from "../support/stripe-standin";

const A = "fjordkraft-demo";
const B = "kystbanken";
/** B's classmates in the study A did not take part in (a class of ≥3, as published). */
const ONLY_B_CLASSMATES = ["sparebanken-demo", "vidde-bank", "polarbanken"];
const SHARED_YEAR = 2021;
const ONLY_B_YEAR = 2022;
const HOUR = 3600_000;

// Canaries: strings that exist only in B's data. None may reach A, by any route.
const TAG = randomBytes(4).toString("hex");
const CANARY = {
  comment: `KANARIKOMMENTAR${TAG}`,
  transcript: `KANARISAMTALE${TAG}`,
  agent: `Kanarius${TAG}`,
  focus: `KANARIFOKUS${TAG}`,
  exportFile: `kanari-pakke-${TAG}.csv`,
  exportContent: `KANARIFIL${TAG}`,
  tokenName: `KANARINOKKEL${TAG}`,
  userName: `Kanari Brukersen ${TAG}`,
  userEmail: `kanari-${TAG}@kystbanken.example`,
  invitee: `kanari-invitert-${TAG}@kystbanken.example`,
  upload: `kanari-opplasting-${TAG}.csv`,
  queryReason: `KANARISPORSMAL${TAG}`,
  ssoClientId: `KANARIKLIENT${TAG}`,
  logCoached: `Kanarilogg${TAG}`,
  logHabit: `KANARIVANE${TAG}`,
  planTitle: `KANARIPLAN${TAG}`,
  reportContent: `KANARIRAPPORT${TAG}`,
};
/** A word of B's comments and transcripts, used as a search filter (not a canary itself). */
const CANARY_WORD = "KANARI";

let sample: Awaited<ReturnType<typeof publishedStudies>>;
let db: Db;
let build: ServerBuild;
let stripe: StripeStandin;
let tenantA: string;
let tenantB: string;
let values: Values;
let ghost: Values;
let fixed: Fixed;
/** Every secret of B's: canaries, ids and refs. One may appear in a response only when the request carried it (an echo). */
let secrets: [string, string][] = [];
const members = {} as Record<Role, { userId: string; cookie: string }>;
const tokensA: string[] = [];
let before: Map<string, string>;

// ---- data --------------------------------------------------------------------------------

function withCanaries(study: StudyData): StudyData {
  for (const inquiry of study.inquiries) {
    if (inquiry.participantCode !== B) continue;
    inquiry.comment = `${CANARY.comment} ${inquiry.ref}: ${inquiry.comment ?? ""}`;
    inquiry.transcript = `${CANARY.transcript}\n${inquiry.transcript ?? ""}`;
    if (inquiry.answered) inquiry.agentName = CANARY.agent;
  }
  return study;
}

/** The sample of `year` with only B and its classmates, refs renamed so no ref is shared. */
function onlyBStudy(): StudyData {
  const study = sampleStudy(ONLY_B_YEAR);
  const keep = new Set([B, ...ONLY_B_CLASSMATES]);
  study.participants = study.participants.filter((p) => keep.has(p.code));
  study.inquiries = study.inquiries.filter((i) => keep.has(i.participantCode));
  for (const inquiry of study.inquiries) inquiry.ref = inquiry.ref.replace(/^S21-/, "S22-");
  return study;
}

beforeAll(async () => {
  stripe = await startStripeStandin();
  process.env.STRIPE_SECRET_KEY = "sk_test_isolation";
  process.env.STRIPE_WEBHOOK_SECRET = "whsec_test_isolation";
  process.env.STRIPE_API_URL = stripe.url;

  const shared = withCanaries(sampleStudy(SHARED_YEAR));
  const onlyB = withCanaries(onlyBStudy());
  sample = await publishedStudies(shared, onlyB);
  db = sample.database.db;
  build = await loadBuild();
  tenantA = sample.ids.get(A)!;
  tenantB = sample.ids.get(B)!;
  const studyId = async (year: number) => (await db.select({ id: s.studies.id }).from(s.studies).where(eq(s.studies.year, year)))[0]!.id;
  const [sharedStudy, onlyBStudyId] = [await studyId(SHARED_YEAR), await studyId(ONLY_B_YEAR)];

  for (const role of ROLES) {
    const user = await createUser(db, { name: `Probe ${role}` });
    await addMember(db, tenantA, user.id, role);
    members[role] = { userId: user.id, cookie: await signedInCookie(db, user.id) };
  }
  const userB = await createUser(db, { name: CANARY.userName, email: CANARY.userEmail });
  await addMember(db, tenantB, userB.id, "manager");

  // Coaching: one coach and product; a slot for each company's booking and one left free.
  const coach = await createCoach(db, { name: "Kari Coach", email: "kari@coach.example", bio: "", languages: ["nb"], actorUserId: null });
  const product = await createProduct(db, { nameNb: "Oppfølging", nameEn: "Follow-up", descriptionNb: "", descriptionEn: "", priceOre: 100_000, durationMinutes: 60, format: "video", actorUserId: null });
  const slot = async (hoursAhead: number) => {
    const start = new Date(Date.now() + hoursAhead * HOUR);
    start.setUTCMinutes(0, 0, 0);
    return (await createSlot(db, { coachId: coach.id, startsAt: start, endsAt: new Date(start.getTime() + HOUR), actorUserId: null })).id;
  };
  const [slotB, slotA, freeSlot] = [await slot(100), await slot(102), await slot(104)];

  // A finished coaching pack of each company (B's holds canaries in its name and content).
  const exportRow = async (tenantId: string, fileName: string, content: string, refs: string[]) =>
    (
      await db
        .insert(s.coachingExports)
        .values({
          tenantId,
          studyId: sharedStudy,
          format: "csv",
          selection: { study: SHARED_YEAR, filter: {}, refs, includeAgentNames: true },
          fileName,
          status: "ready",
          inquiryCount: refs.length,
          content: Buffer.from(content),
          expiresAt: new Date(Date.now() + 30 * 24 * HOUR),
        })
        .returning({ id: s.coachingExports.id })
    )[0]!.id;
  const refsOf = (code: string, study: StudyData) => study.inquiries.filter((i) => i.participantCode === code).map((i) => i.ref);
  const exportB = await exportRow(tenantB, CANARY.exportFile, `ref;comment\n${CANARY.exportContent}`, refsOf(B, shared).slice(0, 3));
  const exportA = await exportRow(tenantA, "coaching-a.csv", "ref;comment\nA", refsOf(A, shared).slice(0, 3));
  const booking = async (tenantId: string, userId: string, email: string, slotId: number, exportId: string, focus: string) =>
    (await createBooking(db, { tenantId, userId, userEmail: email, productId: product.id, slotId, focus, exportId, method: "invoice" }, null)).bookingId;
  const bookingB = await booking(tenantB, userB.id, userB.email, slotB, exportB, CANARY.focus);
  await booking(tenantA, members.manager.userId, "probe-a@example.no", slotA, exportA, "A sin egen time");

  // A query of each company on one of its inquiries (B's reason is a canary).
  for (const [tenantId, code, reason] of [[tenantB, B, CANARY.queryReason], [tenantA, A, "A sitt eget spørsmål"]] as const) {
    await db.insert(s.inquiryQueries).values({ tenantId, studyId: sharedStudy, inquiryRef: refsOf(code, shared)[0]!, reason });
  }

  // Targets and a response-time goal of each company (issue 18); A's are what the probes send back.
  for (const [tenantId, total, phone] of [[tenantB, 91.5, 17], [tenantA, 70, 60]] as const) {
    await db.insert(s.targets).values({ tenantId, year: SHARED_YEAR, kind: "total", subject: "", target: total });
    await db.insert(s.responseGoals).values({ tenantId, channel: "phone", goalSeconds: phone });
  }
  // A coaching-log entry of each company, linked to one of its inquiries and its pack (B's carries canaries).
  const logEntry = async (tenantId: string, code: string, coached: string, habit: string, packId: string) => {
    const [entry] = await db
      .insert(s.coachingLogEntries)
      .values({ tenantId, sessionDate: "2026-11-02", coached, coachedKind: "name", habit, packId })
      .returning({ id: s.coachingLogEntries.id });
    const [inquiry] = await db
      .select({ id: s.inquiries.id })
      .from(s.inquiries)
      .where(and(eq(s.inquiries.tenantId, tenantId), eq(s.inquiries.ref, refsOf(code, shared)[1]!)));
    await db.insert(s.coachingLogInquiries).values({ tenantId, entryId: entry!.id, inquiryId: inquiry!.id });
    return entry!.id;
  };
  const logB = await logEntry(tenantB, B, CANARY.logCoached, CANARY.logHabit, exportB);
  await logEntry(tenantA, A, "Anne", "A sin egen vane", exportA);
  // An action plan of each company, linked to its own pack and booking (B's title is a canary).
  const planRow = async (tenantId: string, ownerId: string, title: string, exportId: string, bookingId: string) => {
    const [plan] = await db
      .insert(s.actionPlans)
      .values({ tenantId, title, ownerId, metricKind: "channel", metricCode: "phone", target: 80, dueDate: "2099-01-31", notes: title })
      .returning({ id: s.actionPlans.id });
    await db.insert(s.actionPlanLinks).values([
      { tenantId, planId: plan!.id, exportId },
      { tenantId, planId: plan!.id, bookingId },
    ]);
    return plan!.id;
  };
  const planB = await planRow(tenantB, userB.id, CANARY.planTitle, exportB, bookingB);
  const [bookingA] = await db.select({ id: s.bookings.id }).from(s.bookings).where(eq(s.bookings.tenantId, tenantA));
  const planA = await planRow(tenantA, members.manager.userId, "A sin egen plan", exportA, bookingA!.id);
  // A built company report of each (issue 19) in the shared year; B's holds a canary.
  for (const [tenantId, content] of [[tenantB, `%PDF-1.4 ${CANARY.reportContent}`], [tenantA, "%PDF-1.4 A"]] as const) {
    await db.insert(s.companyReports).values({ tenantId, studyId: sharedStudy, kind: "full", lang: "nb", status: "ready", content: new TextEncoder().encode(content), sizeBytes: content.length, builtAt: new Date() });
  }

  const tokenB = await createApiToken(db, { tenantId: tenantB, name: CANARY.tokenName, createdBy: userB.id });
  for (let i = 0; i < 3; i++) tokensA.push((await createApiToken(db, { tenantId: tenantA, name: `Probe ${i}`, createdBy: null })).token);
  const invitationB = await createInvitation(db, { tenantId: tenantB, email: CANARY.invitee, role: "manager", invitedBy: null });
  await createInvitation(db, { tenantId: tenantA, email: "invitert-a@example.no", role: "viewer", invitedBy: null });
  // Single sign-on of each company (issue 17), on domains no probe's address uses.
  const sso = (issuer: string, clientId: string) => ({ issuer, clientId, clientSecret: `${clientId}-hemmelig`, domains: "", passwordAllowed: true });
  await saveSsoSettings(db, { tenantId: tenantB, actorUserId: userB.id, settings: sso("https://idp.b.example", CANARY.ssoClientId), domains: [SSO_DOMAIN_OF_B] });
  await saveSsoSettings(db, { tenantId: tenantA, actorUserId: members.manager.userId, settings: sso("https://idp.a.example", "klient-a"), domains: ["a-sso.example"] });
  const [upload] = await db
    .insert(s.importUploads)
    .values({ studyId: onlyBStudyId, kind: "results", fileName: CANARY.upload, checksum: "0", bytes: new TextEncoder().encode(CANARY.comment), status: "previewed", outcome: {} })
    .returning({ id: s.importUploads.id });

  await signedInCookie(db, userB.id); // a session of B's user, for the account pages
  const [sessionB] = await db.select({ id: s.sessions.id }).from(s.sessions).where(eq(s.sessions.userId, userB.id));
  const refB = refsOf(B, shared)[0]!;
  const [inquiryB] = await db
    .select({ id: s.inquiries.id, at: sql<string>`to_char(${s.inquiries.contactedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')` })
    .from(s.inquiries)
    .where(and(eq(s.inquiries.tenantId, tenantB), eq(s.inquiries.ref, refB)));
  const cursor = (at: string, id: string) => Buffer.from(JSON.stringify(["newest", at, id])).toString("base64url");

  values = {
    ref: refB,
    refOnlyB: refsOf(B, onlyB)[0]!,
    year: String(ONLY_B_YEAR),
    exportId: exportB,
    bookingId: bookingB,
    slotId: String(slotB),
    tokenId: tokenB.id,
    tenantId: tenantB,
    code: B,
    userId: userB.id,
    email: userB.email,
    invitationId: invitationB.invitation.id,
    uploadId: upload!.id,
    cursor: cursor(inquiryB!.at, inquiryB!.id),
    sessionHandle: sessionB!.id.slice(0, 16),
    logId: logB,
    planId: planB,
  };
  ghost = {
    ref: "S21-9901",
    refOnlyB: "S22-9902",
    year: "2031",
    exportId: randomUUID(),
    bookingId: randomUUID(),
    slotId: "987654",
    tokenId: randomUUID(),
    tenantId: randomUUID(),
    code: "ukjent-firma",
    userId: randomUUID(),
    email: `ukjent-${TAG}@example.no`,
    invitationId: randomUUID(),
    uploadId: randomUUID(),
    cursor: cursor(inquiryB!.at, randomUUID()),
    sessionHandle: randomBytes(8).toString("hex"),
    logId: randomUUID(),
    planId: randomUUID(),
  };
  const [ownMember] = await db.select({ email: s.users.email }).from(s.users).where(eq(s.users.id, members.viewer.userId));
  fixed = {
    sharedYear: String(SHARED_YEAR),
    ownRef: refsOf(A, shared)[0]!,
    productId: String(product.id),
    freeSlotId: String(freeSlot),
    canaryWord: CANARY_WORD,
    ownMemberEmail: ownMember!.email,
    ownPlanId: planA,
  };
  const ids: [string, string][] = [
    ["B's tenant id", tenantB],
    ["B's pack id", exportB],
    ["B's booking id", bookingB],
    ["B's token id", tokenB.id],
    ["B's user id", userB.id],
    ["B's invitation id", invitationB.invitation.id],
    ["B's upload id", upload!.id],
    ["B's session", sessionB!.id.slice(0, 16)],
    ["B's coaching-log entry", logB],
    ["B's plan id", planB],
  ];
  const refs = [...refsOf(B, shared), ...refsOf(B, onlyB)].map((ref): [string, string] => [`B's ref ${ref}`, ref]);
  secrets = [...Object.entries(CANARY).map(([k, v]): [string, string] => [`canary ${k}`, v]), ...ids, ...refs];
  before = await fingerprint();
}, 180_000);

afterAll(async () => {
  delete process.env.STRIPE_SECRET_KEY;
  delete process.env.STRIPE_WEBHOOK_SECRET;
  delete process.env.STRIPE_API_URL;
  await sample?.close();
  await stripe?.close();
});

// ---- the manifest --------------------------------------------------------------------------

type ManifestRoute = ServerBuild["routes"][string];

/** The route's full URL pattern, from its parents' paths. */
function fullPattern(routes: ServerBuild["routes"], id: string): string {
  const parts: string[] = [];
  for (let r: ManifestRoute | undefined = routes[id]; r; r = r.parentId ? routes[r.parentId] : undefined) if (r.path) parts.unshift(r.path);
  return `/${parts.join("/")}`;
}

/** Routes that answer requests: those with a loader or an action. */
function servingRoutes(routes: ServerBuild["routes"]): string[] {
  return Object.keys(routes)
    .filter((id) => routes[id]!.module.loader || routes[id]!.module.action)
    .sort();
}

function routeTree(routes: ServerBuild["routes"]): AgnosticRouteObject[] {
  const children = (parentId: string | undefined): AgnosticRouteObject[] =>
    Object.values(routes)
      .filter((r) => r.parentId === parentId)
      .map((r) => (r.index ? { id: r.id, path: r.path, index: true } : { id: r.id, path: r.path, children: children(r.id) }));
  return children(undefined);
}

/** The route whose loader (GET) or action (POST) a request reaches, as Remix picks it. */
/** Whether route `id` is a descendant of route `ancestor`. */
function isBelow(routes: ServerBuild["routes"], id: string, ancestor: string): boolean {
  for (let r = routes[id]?.parentId; r; r = routes[r]?.parentId) if (r === ancestor) return true;
  return false;
}

function targetOf(tree: AgnosticRouteObject[], method: string, path: string): string {
  const url = new URL(path, "http://probe");
  const matches = matchRoutes(tree, url.pathname);
  if (!matches) return "root"; // no route: the root renders the 404
  let target = matches[matches.length - 1]!.route;
  // A form posted to an index route's URL without ?index goes to its parent.
  if (method !== "GET" && target.index && !url.searchParams.has("index")) target = matches[matches.length - 2]!.route;
  return target.id!;
}

// ---- requests ------------------------------------------------------------------------------

type Who = Role | "token" | "anonymous";
type Variant = "document" | "data";

interface Sent {
  status: number;
  text: string;
  request: string;
}

function formBody(form: Record<string, string | string[] | undefined>): URLSearchParams {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) for (const v of value === undefined ? [] : Array.isArray(value) ? value : [value]) body.append(key, v);
  return body;
}

/** The single-fetch address of a page: /x?y → /x.data?y, and / → /_root.data. */
function dataPath(path: string): string {
  const url = new URL(path, "http://probe");
  return `${url.pathname === "/" ? "/_root" : url.pathname}.data${url.search}`;
}

let tokenTurn = 0;

async function send(attempt: Attempt, who: Who, variant: Variant): Promise<Sent> {
  const path = variant === "data" ? dataPath(attempt.path) : attempt.path;
  const headers: Record<string, string> = { ...attempt.headers };
  let cookie: string | undefined;
  if (who === "token") headers.Authorization = `Bearer ${tokensA[tokenTurn++ % tokensA.length]}`;
  else if (who !== "anonymous") cookie = attempt.freshSession ? await signedInCookie(db, members[who].userId) : members[who].cookie;
  let body: string | URLSearchParams | undefined = attempt.body;
  if (attempt.form) {
    body = formBody(attempt.form);
    headers["Content-Type"] = "application/x-www-form-urlencoded";
  }
  const response = await sample.server.fetch(path, { method: attempt.method, cookie, headers, body });
  const head = [...response.headers].filter(([k]) => k !== "content-security-policy").map(([k, v]) => `${k}: ${v}`);
  // The request as sent and decoded: a value the request carried may come back (an echo).
  const plain = body instanceof URLSearchParams ? [...body].map(([k, v]) => `${k}=${v}`).join("&") : (body ?? "");
  const request = `${attempt.method} ${path} ${safeDecode(path)} ${plain} ${JSON.stringify(attempt.headers ?? {})}`;
  return { status: response.status, text: `${head.join("\n")}\n\n${await response.text()}`, request };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function expectedStatus(attempt: Attempt, who: Who, variant: Variant): number | "any" {
  const expect = variant === "data" && attempt.expectData ? attempt.expectData : attempt.expect;
  if (expect === "any") return "any";
  const status = typeof expect === "number" ? expect : expect[who as Role];
  // Single fetch answers a redirect with 202 and the redirect in its body.
  return variant === "data" && status >= 300 && status < 400 ? 202 : status;
}

/** A response with B's values and the same with ghost values, each value replaced by its name. */
function normalise(text: string, used: [string, string][]): string {
  let out = text
    .replace(/nonce="[^"]*"/g, 'nonce=""')
    .replace(/^(date|etag|content-length|ratelimit-remaining|set-cookie): .*$/gim, "$1: …");
  // Short values (a slot number) would match digits anywhere: they are compared as they are.
  // A number (a year) is replaced only where it stands alone.
  for (const [key, value] of [...used].filter(([, v]) => v.length >= 4).sort((a, b) => b[1].length - a[1].length)) {
    const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const pattern = /^\d+$/.test(value) ? new RegExp(`(?<![0-9])${value}(?![0-9])`, "g") : new RegExp(`${escaped(value)}|${escaped(encodeURIComponent(value))}`, "g");
    out = out.replace(pattern, `«${key}»`);
  }
  return out;
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `${JSON.stringify(a.slice(Math.max(0, i - 60), i + 60))} vs ${JSON.stringify(b.slice(Math.max(0, i - 60), i + 60))}`;
}

async function inPool<T>(items: T[], size: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

// ---- state: nothing of B's changes, and A gains nothing ------------------------------------

async function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  return resultRows<T>(await db.execute(query));
}

async function tenantTables(): Promise<string[]> {
  return (
    await rows<{ table: string }>(sql`
      select c.table_name as "table" from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = 'public' and c.column_name = 'tenant_id' and t.table_type = 'BASE TABLE'
      order by 1`)
  ).map((r) => r.table);
}

const q = (name: string) => sql.raw(`"${name.replace(/"/g, '""')}"`);

/** Audit events a probe may legitimately add to A's own log (a manager saving A's own setting). */
const A_OWN_WRITES = ["privacy.agent_names", "privacy.report_downloads", "report.download"];

/** B's rows of every tenant table, byte for byte; A's row counts; the operator tables probes could touch. */
async function fingerprint(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const digest = (table: string, where: ReturnType<typeof sql>) =>
    rows<{ d: string | null; n: number }>(sql`select md5(string_agg(md5(t::text), ',' order by md5(t::text))) as d, count(*)::int as n from ${q(table)} t where ${where}`);
  for (const table of await tenantTables()) {
    out.set(`${table} of B`, JSON.stringify(await digest(table, sql`tenant_id = ${tenantB}`)));
    const ownWrites = table === "tenant_audit_events" ? sql` and action not in (${sql.join(A_OWN_WRITES.map((a) => sql`${a}`), sql`, `)})` : sql``;
    out.set(`${table} of A (rows)`, JSON.stringify((await digest(table, sql`tenant_id = ${tenantA}${ownWrites}`))[0]!.n));
  }
  out.set("participants", JSON.stringify(await digest("participants", sql`true`)));
  out.set("sessions of B's user", JSON.stringify(await digest("sessions", sql`user_id = ${values.userId}`)));
  for (const table of ["studies", "coaches", "coaching_products", "coach_slots", "import_uploads", "audit_events", "stripe_events", "email_outbox"]) {
    out.set(table, JSON.stringify(await digest(table, sql`true`)));
  }
  return out;
}

// ---- the matrix ------------------------------------------------------------------------------

describe("the probe table", () => {
  it("has an entry for every route of the manifest with a loader or action, and none for a route that is gone", () => {
    const manifest = servingRoutes(build.routes);
    const problems = [
      ...manifest.filter((id) => !(id in PROBES)).map((id) => `${id} (${fullPattern(build.routes, id)}): a route the isolation matrix does not know how to probe; add it to tests/support/isolation-probes.ts`),
      ...Object.keys(PROBES).filter((id) => !manifest.includes(id)).map((id) => `${id}: probed, but no such route in the manifest any more`),
      ...manifest
        .filter((id) => PROBES[id] && PROBES[id].pattern !== fullPattern(build.routes, id))
        .map((id) => `${id}: probed as ${PROBES[id]!.pattern}, but its pattern is now ${fullPattern(build.routes, id)}`),
    ];
    expect(problems).toEqual([]);
  });

  it("asks each route's loader and action, and each attempt reaches the route it is listed under", () => {
    const tree = routeTree(build.routes);
    const problems: string[] = [];
    for (const id of servingRoutes(build.routes)) {
      const probe = PROBES[id];
      if (!probe) continue;
      const attempts = [...probe.attempts(values, fixed), ...probe.attempts(ghost, fixed)];
      const { loader, action } = build.routes[id]!.module;
      if (loader && !attempts.some((a) => a.method === "GET")) problems.push(`${id}: its loader is not probed`);
      if (action && !attempts.some((a) => a.method === "POST")) problems.push(`${id}: its action is not probed`);
      for (const a of attempts) {
        const target = targetOf(tree, a.method, a.path);
        // A layout route (one with child routes, e.g. the company pages' frame) is never the
        // deepest match: its loader runs for the pages below it, so it is probed through them.
        if (target !== id && !(id !== "root" && a.method === "GET" && isBelow(build.routes, target, id))) problems.push(`${id}: ${a.method} ${a.path} reaches ${target}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("expects of each role the rights app/domain/permissions.ts gives it (review the matrix when they change)", () => {
    const companyRights = Object.fromEntries(Object.entries(EXPECTED_RIGHTS).filter(([right]) => right !== "staff"));
    expect(companyRights).toEqual(PERMISSIONS);
  });
});

describe("the isolation matrix over HTTP", () => {
  it("answers every route, as every role of A, with B's ids, refs and years: the expected status, no 5xx, nothing of B's, and the same as for an id of nobody's", async () => {
    const started = Date.now();
    const manifest = servingRoutes(build.routes);
    interface Job {
      routeId: string;
      attempt: Attempt;
      twin: Attempt;
      /** the values this attempt carries */
      used: (keyof Values)[];
      who: Who;
      variant: Variant;
    }
    // Which values each attempt carries: build it once more with a marker for each value.
    const markers = Object.fromEntries(Object.keys(values).map((key) => [key, `⟦${key}⟧`])) as unknown as Values;
    const jobs: Job[] = [];
    const probed = new Set<string>();
    for (const routeId of manifest) {
      const probe = PROBES[routeId];
      if (!probe) continue;
      probed.add(routeId);
      const mine = probe.attempts(values, fixed);
      const theirs = probe.attempts(ghost, fixed);
      const marked = probe.attempts(markers, fixed);
      mine.forEach((attempt, i) => {
        const text = JSON.stringify(marked[i]);
        const used = (Object.keys(values) as (keyof Values)[]).filter((key) => text.includes(markers[key]));
        const whos: Who[] = attempt.as === "token" ? ["token"] : attempt.as === "public" ? [...ROLES, "anonymous"] : [...ROLES];
        for (const who of whos) for (const variant of ["document", "data"] as const) jobs.push({ routeId, attempt, twin: theirs[i]!, used, who, variant });
      });
    }

    const failures: string[] = [];
    const statuses = new Map<string, number>();
    let twins = 0;
    await inPool(jobs, sample.database.kind === "postgres" ? 8 : 4, async ({ routeId, attempt, twin, used, who, variant }) => {
      const label = `${routeId} as ${who}${variant === "data" ? " (.data)" : ""}: ${attempt.method} ${attempt.path}${attempt.form ? ` ${formBody(attempt.form)}` : ""}`;
      const got = await send(attempt, who, variant);
      statuses.set(`${got.status}`, (statuses.get(`${got.status}`) ?? 0) + 1);
      if (got.status >= 500) failures.push(`${label}: ${got.status} (server error) ${got.text.slice(-300)}`);
      const wanted = expectedStatus(attempt, who, variant);
      if (wanted !== "any" && got.status !== wanted) failures.push(`${label}: expected ${wanted}, got ${got.status}`);
      for (const [name, secret] of secrets) {
        if (got.text.includes(secret) && !got.request.includes(secret)) failures.push(`${label}: LEAK of ${name} (${secret}) in the response`);
      }
      const extra = got.status === 403 ? null : attempt.check?.(got.text);
      if (extra) failures.push(`${label}: ${extra}`);

      // The same request with ghost values: B's values must make no difference.
      if (used.length === 0 || attempt.noTwin) return;
      const other = await send(twin, who, variant);
      twins += 1;
      const mineText = normalise(got.text, used.map((key) => [key, values[key]]));
      const theirText = normalise(other.text, used.map((key) => [key, ghost[key]]));
      if (other.status !== got.status) failures.push(`${label}: ${got.status} for B's ${used.join(", ")} but ${other.status} for a made-up one (an existence oracle)`);
      else if (mineText !== theirText) failures.push(`${label}: the answer for B's ${used.join(", ")} differs from the answer for a made-up one: ${firstDifference(mineText, theirText)}`);
    });

    console.info(
      `isolation matrix (${sample.database.kind}): ${probed.size}/${manifest.length} routes, ${jobs.length} requests + ${twins} ghost twins, ` +
        `statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}, ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    expect(failures.sort()).toEqual([]);
    expect(probed.size, "routes probed vs routes in the manifest").toBe(manifest.length);
  }, 240_000);

  it("left B's data as it was, and gave A nothing new", async () => {
    const after = await fingerprint();
    const changed = [...before].filter(([key, value]) => after.get(key) !== value).map(([key]) => key);
    expect(changed).toEqual([]);
    const [booking] = await db.select({ status: s.bookings.status }).from(s.bookings).where(and(eq(s.bookings.tenantId, tenantB), eq(s.bookings.id, values.bookingId)));
    expect(booking!.status).toBe("confirmed");
    const [token] = await db.select({ revokedAt: s.apiTokens.revokedAt }).from(s.apiTokens).where(eq(s.apiTokens.id, values.tokenId));
    expect(token!.revokedAt).toBeNull();
  });
});

// ---- the same straight at SQL, as the runtime role --------------------------------------------

class Rollback {
  constructor(readonly value: unknown) {}
}

type Outcome<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

function pgErrorOf(error: unknown): { code: string; message: string } | null {
  for (let e: unknown = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return { code, message: String(message) };
  }
  return null;
}

/** Runs `fn` as A's runtime role in a transaction that is always rolled back. */
async function asA<T>(fn: (tx: Tx) => Promise<T>): Promise<Outcome<T>> {
  try {
    await withTenant(db, tenantA, async ({ tx }) => {
      throw new Rollback(await fn(tx));
    });
  } catch (error) {
    if (error instanceof Rollback) return { ok: true, value: error.value as T };
    const pg = pgErrorOf(error);
    if (!pg) throw error;
    return { ok: false, ...pg };
  }
  throw new Error("unreachable");
}

const asARows = <T>(query: ReturnType<typeof sql>) => asA(async (tx) => resultRows<T>(await tx.execute(query)));

/** Operator tables the runtime role may read: no tenant's rows in them (DESIGN.md, Tenancy). */
const REFERENCE_TABLES = [
  "studies",
  "classes",
  "areas",
  "questions",
  "shoppers",
  "coaches",
  "coaching_products",
  "coach_slots",
  "benchmark_study",
  "benchmark_channel",
  "benchmark_class",
  "benchmark_class_channel",
  "benchmark_class_area",
  "benchmark_class_question",
  "benchmark_ranking",
  "benchmark_class_wait",
  // The published awards (names and scores as in the public results list); RLS shows them only
  // for a published study the company took part in (awards.test.ts).
  "study_awards",
];
/** Tables with the tenant in another column. */
const TENANT_KEYED = { participants: "id" } as Record<string, string>;
/** Tenant tables no tenant page reads (least privilege, migration 0008): the role may not select from them at all. */
const UNREADABLE_TENANT_TABLES = ["invitations", "tenant_audit_events"];
/** The staff and auth tables the brief names; they must come out as closed. */
const MUST_BE_CLOSED = ["audit_events", "sessions", "email_outbox", "stripe_events", "import_uploads", "password_resets", "login_throttle", "import_batches", "rate_limits", "password_reset_requests", "results_seen"];

describe("the same attempts straight at SQL, as the runtime role", () => {
  let tables: { table: string; column: string }[];
  let allTables: string[];

  beforeAll(async () => {
    tables = [...(await tenantTables()).map((table) => ({ table, column: "tenant_id" })), ...Object.entries(TENANT_KEYED).map(([table, column]) => ({ table, column }))];
    allTables = (await rows<{ t: string }>(sql`select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`)).map((r) => r.t);
  });

  it("finds the tenant tables itself, and both companies have rows in each (else the checks below prove nothing)", async () => {
    expect(tables.length).toBeGreaterThanOrEqual(12);
    const empty: string[] = [];
    for (const { table, column } of tables) {
      for (const [who, id] of [["A", tenantA], ["B", tenantB]] as const) {
        const [row] = await rows<{ n: number }>(sql`select count(*)::int as n from ${q(table)} where ${q(column)} = ${id}`);
        if (row!.n === 0) empty.push(`${table} has no row of ${who}: plant one in the matrix's setup`);
      }
    }
    expect(empty).toEqual([]);
    console.info(`isolation matrix SQL (${sample.database.kind}): ${tables.length} tenant tables (tenant_id, and participants by id): ${tables.map((t) => t.table).join(", ")}`);
  });

  it("reads none of B's rows, in any tenant table, nor any row not A's", async () => {
    const problems: string[] = [];
    for (const { table, column } of tables) {
      const seen = await asARows<{ b: number; foreign: number; own: number }>(
        sql`select count(*) filter (where ${q(column)} = ${tenantB})::int as b, count(*) filter (where ${q(column)} <> ${tenantA})::int as foreign, count(*) filter (where ${q(column)} = ${tenantA})::int as own from ${q(table)}`,
      );
      if (UNREADABLE_TENANT_TABLES.includes(table)) {
        if (seen.ok || seen.code !== "42501") problems.push(`${table}: readable by the runtime role, which no tenant page needs`);
      } else if (!seen.ok) problems.push(`${table}: select failed (${seen.code} ${seen.message})`);
      else if (seen.value[0]!.b !== 0 || seen.value[0]!.foreign !== 0) problems.push(`${table}: A reads ${seen.value[0]!.b} of B's rows, ${seen.value[0]!.foreign} not its own`);
      else if (seen.value[0]!.own === 0) problems.push(`${table}: A cannot even read its own rows`);
    }
    expect(problems).toEqual([]);
  });

  it("reaches nothing of B's by the ids, refs and years the routes were asked for", async () => {
    const probes: [string, ReturnType<typeof sql>][] = [
      ["inquiry by B's ref", sql`select id from inquiries where ref in (${values.ref}, ${values.refOnlyB})`],
      ["inquiries of the study only B took part in", sql`select i.id from inquiries i join studies st on st.id = i.study_id where st.year = ${ONLY_B_YEAR}`],
      ["participation in the study only B took part in", sql`select p.tenant_id from participations p join studies st on st.id = p.study_id where st.year = ${ONLY_B_YEAR}`],
      ["answers of B's inquiry", sql`select a.* from answers a where a.tenant_id = ${tenantB}`],
      ["B's pack by id", sql`select id from coaching_exports where id = ${values.exportId}`],
      ["B's booking by id", sql`select id from bookings where id = ${values.bookingId}`],
      ["the booking of B's slot", sql`select id from bookings where slot_id = ${Number(values.slotId)}`],
      ["B's payment", sql`select id from payments where booking_id = ${values.bookingId}`],
      ["B's token by id", sql`select id from api_tokens where id = ${values.tokenId}`],
      ["B's invitation by id", sql`select id from invitations where id = ${values.invitationId}`],
      ["B's membership", sql`select user_id from memberships where user_id = ${values.userId}`],
      ["B's user", sql`select id from users where id = ${values.userId} or email = ${CANARY.userEmail}`],
      ["B's company row", sql`select id from participants where id = ${tenantB} or code = ${B}`],
      ["B's audit trail", sql`select id from tenant_audit_events where tenant_id = ${tenantB}`],
      ["B's coaching-log entry by id", sql`select id from coaching_log_entries where id = ${values.logId}`],
      ["the coaching-log links of B's entry", sql`select inquiry_id from coaching_log_inquiries where entry_id = ${values.logId}`],
      ["B's plan by id", sql`select id from action_plans where id = ${values.planId}`],
      ["the links of B's plan", sql`select id from action_plan_links where plan_id = ${values.planId}`],
      ["B's reports", sql`select kind from company_reports where tenant_id = ${tenantB} or study_id in (select id from studies where year = ${ONLY_B_YEAR})`],
    ];
    const problems: string[] = [];
    for (const [name, query] of probes) {
      const got = await asARows(query);
      // Refused outright (42501: no grant on the table or column) reaches nothing either.
      if (!got.ok) {
        if (got.code !== "42501") problems.push(`${name}: ${got.code} ${got.message}`);
      } else if (got.value.length !== 0) problems.push(`${name}: ${got.value.length} rows`);
    }
    expect(problems).toEqual([]);
  });

  it("finds none of B's canaries in anything the role can read, in any table", async () => {
    const problems: string[] = [];
    let scanned = 0;
    for (const table of allTables) {
      const columns = (
        await rows<{ c: string }>(sql`
          select column_name as c from information_schema.columns
          where table_schema = 'public' and table_name = ${table}
            and has_column_privilege('innsikt_tenant', format('public.%I', table_name), column_name, 'SELECT')
          order by ordinal_position`)
      ).map((r) => r.c);
      if (columns.length === 0) continue;
      scanned += 1;
      const text = sql.raw(columns.map((c) => `coalesce("${c}"::text, '')`).join(" || ' ' || "));
      for (const [name, canary] of Object.entries(CANARY)) {
        const got = await asARows<{ n: number }>(sql`select count(*)::int as n from ${q(table)} where strpos(${text}, ${canary}) > 0`);
        if (!got.ok) problems.push(`${table}: ${got.code} ${got.message}`);
        else if (got.value[0]!.n > 0) problems.push(`${table}: LEAK of canary ${name} in ${got.value[0]!.n} rows`);
      }
    }
    expect(scanned).toBeGreaterThanOrEqual(tables.length);
    expect(problems).toEqual([]);
  });

  it("updates and deletes none of B's rows, in any tenant table", async () => {
    const problems: string[] = [];
    for (const { table, column } of tables) {
      // participants: only name and hide_agent_names are updatable by the role, and nothing deletable.
      const set = table === "participants" ? sql.raw(`name = name`) : sql.raw(`"${column}" = "${column}"`);
      const updated = await asARows(sql`update ${q(table)} set ${set} where ${q(column)} = ${tenantB} returning 1`);
      if (updated.ok ? updated.value.length !== 0 : updated.code !== "42501") problems.push(`${table}: update of B's rows ${updated.ok ? `changed ${updated.value.length}` : `failed oddly (${updated.code})`}`);
      const deleted = await asARows(sql`delete from ${q(table)} where ${q(column)} = ${tenantB} returning 1`);
      if (deleted.ok ? deleted.value.length !== 0 : deleted.code !== "42501") problems.push(`${table}: delete of B's rows ${deleted.ok ? `removed ${deleted.value.length}` : `failed oddly (${deleted.code})`}`);
    }
    expect(problems).toEqual([]);
  });

  it("is refused (42501) inserting a row into B, and moving one of its own rows to B, in every tenant table", async () => {
    const problems: string[] = [];
    for (const { table, column } of tables) {
      const columns = (
        await rows<{ c: string }>(sql`
          select column_name as c from information_schema.columns
          where table_schema = 'public' and table_name = ${table} and is_identity = 'NO' and is_generated = 'NEVER'
          order by ordinal_position`)
      ).map((r) => `"${r.c}"`);
      // A copy of one of B's rows, as the role would have to write it.
      const [row] = await rows<{ j: string }>(sql`select row_to_json(t)::text as j from ${q(table)} t where ${q(column)} = ${tenantB} limit 1`);
      const list = sql.raw(columns.join(", "));
      const inserted = await asA((tx) => tx.execute(sql`insert into ${q(table)} (${list}) select ${list} from json_populate_record(null::${q(table)}, ${row!.j}::json)`));
      if (inserted.ok) problems.push(`${table}: A inserted a row of B's`);
      else if (inserted.code !== "42501") problems.push(`${table}: insert refused, but not by RLS or grants (${inserted.code} ${inserted.message})`);

      const moved = await asARows(sql`update ${q(table)} set ${q(column)} = ${tenantB} where ${q(column)} = ${tenantA} returning 1`);
      if (moved.ok) problems.push(`${table}: A moved ${moved.value.length} of its rows to B`);
      else if (moved.code !== "42501") problems.push(`${table}: the move was refused, but not by RLS or grants (${moved.code} ${moved.message})`);
    }
    expect(problems).toEqual([]);
  });

  it("cannot read the staff and auth tables, nor write any table without a tenant (mail only through innsikt_confirm_invoice_booking)", async () => {
    const tenantSet = new Set(tables.map((t) => t.table));
    // users: visible only through the company's memberships (rls.test.ts), and never writable.
    const closed = allTables.filter((t) => !tenantSet.has(t) && t !== "users" && !REFERENCE_TABLES.includes(t));
    expect(closed).toEqual(expect.arrayContaining(MUST_BE_CLOSED));
    expect(REFERENCE_TABLES.filter((t) => !allTables.includes(t)), "reference tables that no longer exist").toEqual([]);
    const problems: string[] = [];
    for (const table of closed) {
      const read = await asA((tx) => tx.execute(sql`select * from ${q(table)} limit 1`));
      if (read.ok || read.code !== "42501") {
        problems.push(`${table}: readable by the runtime role; if it holds operator data only, add it to REFERENCE_TABLES, else revoke the grant`);
      }
    }
    const ids = await asARows<{ id: number }>(sql`select id from email_outbox limit 1`);
    if (ids.ok) problems.push("email_outbox: the runtime role can read the outbox");
    for (const table of [...closed, ...REFERENCE_TABLES, "users"]) {
      const column = sql.raw(`"${await writableColumn(table)}"`);
      const attempts: [string, ReturnType<typeof sql>][] = [
        ["delete from", sql`delete from ${q(table)} where false`],
        ["update", sql`update ${q(table)} set ${column} = ${column} where false`],
      ];
      for (const [verb, statement] of attempts) {
        const write = await asA((tx) => tx.execute(statement));
        if (write.ok || write.code !== "42501") problems.push(`${table}: the runtime role may ${verb} it (${write.ok ? "allowed" : write.code})`);
      }
    }
    // Grants, from the catalogue: no table may be truncated (which skips RLS), referenced or
    // triggered, and only the tenant tables take writes.
    const privileges = await rows<{ t: string; ins: boolean; upd: boolean; del: boolean; trunc: boolean; refs: boolean; trig: boolean }>(sql`
      select table_name as t,
             has_any_column_privilege('innsikt_tenant', format('public.%I', table_name), 'INSERT') as ins,
             has_any_column_privilege('innsikt_tenant', format('public.%I', table_name), 'UPDATE') as upd,
             has_table_privilege('innsikt_tenant', format('public.%I', table_name), 'DELETE') as del,
             has_table_privilege('innsikt_tenant', format('public.%I', table_name), 'TRUNCATE') as trunc,
             has_any_column_privilege('innsikt_tenant', format('public.%I', table_name), 'REFERENCES') as refs,
             has_table_privilege('innsikt_tenant', format('public.%I', table_name), 'TRIGGER') as trig
      from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`);
    for (const p of privileges) {
      if (p.trunc || p.refs || p.trig) problems.push(`${p.t}: the runtime role has TRUNCATE, REFERENCES or TRIGGER`);
      if (!tenantSet.has(p.t) && (p.upd || p.del || p.ins)) problems.push(`${p.t}: a table without a tenant is writable by the runtime role`);
    }
    expect(problems).toEqual([]);
    console.info(`isolation matrix SQL (${sample.database.kind}): closed to the role: ${closed.join(", ")}; read-only reference: ${REFERENCE_TABLES.length} tables`);
  });
});

/** A column an UPDATE may name (not an identity or generated one, which fail before any grant check). */
async function writableColumn(table: string): Promise<string> {
  const [row] = await rows<{ c: string }>(sql`
    select column_name as c from information_schema.columns
    where table_schema = 'public' and table_name = ${table} and is_identity = 'NO' and is_generated = 'NEVER'
    order by ordinal_position limit 1`);
  return row!.c;
}
