// The app under scan for tests/security/run-scanners.sh: the real HTTP stack (createApp +
// the Remix build, as `npm start` serves it) on a free loopback port, on a fresh database
// loaded with the demo data, plus everything the scanners need, written to --work DIR:
//
//   state.json     origin, demo users and password, study year, file names below
//   targets.tsv    the sqlmap targets: name, fast (1 = in the --fast subset), auth
//                  (manager | group | staff | api | none), method, URL, POST body ("-" for
//                  none), extra sqlmap options ("-" for none; "max-level=N" caps the level);
//                  URLs may hold sqlmap's "*" path injection marker
//   tokens.txt     a pool of read-API tokens of the manager's company (sqlmap rotates
//                  through them so the 120 requests/minute/token limit does not end the scan)
//   5xx.jsonl      every response with status >= 500: time, method, URL, status, the
//                  X-Scan-Target header the scanners send (which scan provoked it) and the
//                  request body (its first 16 kB)
//   requests.json  requests and statuses per scan target (written on SIGTERM)
//   ssrf-hits.jsonl  any request that reached the SSRF canary endpoint (below)
//
//   node --import tsx tests/security/scan-server.ts --work DIR [--keep-db]
//
// Database: with DATABASE_URL a new database `innsikt_scan_<random>` on that server
// (migrated, seeded, dropped on exit unless --keep-db); otherwise an embedded PGlite in
// DIR/pglite. Never the developer's .data/ nor an existing database: the scans create
// bookings, tokens, invitations and may revoke memberships.
//
// A second loopback listener is wapiti's SSRF/XXE endpoint (--external-endpoint): it
// records hits under /ssrf/... and answers /get_ssrf.php and /get_xxe.php with them, so
// wapiti's ssrf module runs without internet. The app never fetches user-given URLs; a hit
// there is a finding.
//
// Runs until SIGTERM/SIGINT. Prints "ready" on stdout once state.json is written.

import { randomBytes } from "node:crypto";
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";
import { and, asc, desc, eq, gt, ne } from "drizzle-orm";
import postgres from "postgres";
import { openEmbedded, openPostgres, setDatabase, type Database } from "#db/client.server";
import * as s from "#db/schema";
import { createApiToken } from "~/models/accounts/api-token.server";
import { createBooking } from "~/models/coaching/booking.server";
import { startExport } from "~/models/coaching/coaching-exports.server";
import { DEMO_PASSWORD, seedDemo } from "~/models/admin/demo.server";
import { createInvitation } from "~/models/accounts/invitation.server";
import { mailPendingPasswordResets, requestPasswordReset } from "~/models/accounts/password-reset.server";
import { startJobs } from "~/jobs/runtime.server";
import { createApp, loadBuild } from "~/server/app";
import { createHttpServer } from "~/server/malformed-request";

const { values: args } = parseArgs({
  options: {
    work: { type: "string" },
    "keep-db": { type: "boolean", default: false },
    /** how many API tokens sqlmap rotates through */
    tokens: { type: "string", default: "40" },
  },
});
if (!args.work) {
  console.error("usage: node --import tsx tests/security/scan-server.ts --work DIR [--keep-db]");
  process.exit(2);
}
const work = path.resolve(args.work);
mkdirSync(work, { recursive: true });
const file = (name: string) => path.join(work, name);
const log = (line: string) => console.log(`[scan-server] ${line}`);

const MANAGER = "leder@innsikt.demo";
const STAFF = "ansatt@innsikt.demo";
/** /login is scanned with this account: its throttle fills up, so not a scanning account. */
const LOGIN_TARGET = "leser@innsikt.demo";
/**
 * Member of two companies: the API pool's tokens belong to the first; the token-creating and
 * company-switching targets run as this user, so the thousands of tokens sqlmap creates do
 * not land on the manager's token page, which wapiti crawls.
 */
const GROUP = "konsern@innsikt.demo";

// ---- database ---------------------------------------------------------------------------

let dropDatabase: (() => Promise<void>) | null = null;

async function openDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    log(`embedded PGlite in ${file("pglite")}`);
    return openEmbedded(file("pglite"));
  }
  const name = `innsikt_scan_${randomBytes(5).toString("hex")}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  log(`PostgreSQL database ${name} on ${target.host}`);
  dropDatabase = async () => {
    if (args["keep-db"]) log(`database ${name} kept (--keep-db)`);
    else await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  };
  return openPostgres(target.toString(), { max: 10 });
}

const started = Date.now();
const database = await openDatabase();
setDatabase(database);
await database.migrate();
// Background jobs (the coaching pack below) run in this process, as under `npm start`.
await startJobs(database, { work: true });
const { db } = database;
log("seeding the demo data…");
await seedDemo(db, { log: (line) => log(`  ${line}`) });

// ---- the app, with a 5xx recorder in front -----------------------------------------------

// The scanners post thousands of forms from one address; past the per-address form limit
// they would only see 429s and test nothing behind it.
process.env.FORM_RATE_LIMIT_PER_MINUTE ??= "1000000";
const app = createApp(await loadBuild());
const requestCounts = new Map<string, Record<string, number>>();
const errorLog = file("5xx.jsonl");
writeFileSync(errorLog, "");

const server = createHttpServer((req, res) => {
  const target = String(req.headers["x-scan-target"] ?? "(none)").slice(0, 80);
  const at = new Date().toISOString();
  // The first 16 kB of the body as the app reads it (its "data" events), for the 5xx log.
  const body: Buffer[] = [];
  let bodySize = 0;
  const emit = req.emit as (event: string | symbol, ...rest: unknown[]) => boolean;
  req.emit = ((event: string | symbol, ...rest: unknown[]) => {
    if (event === "data" && bodySize < 16_384 && Buffer.isBuffer(rest[0])) {
      body.push(rest[0]);
      bodySize += rest[0].length;
    }
    return emit.call(req, event, ...rest);
  }) as typeof req.emit;
  res.on("finish", () => {
    const counts = requestCounts.get(target) ?? {};
    counts[res.statusCode] = (counts[res.statusCode] ?? 0) + 1;
    requestCounts.set(target, counts);
    if (res.statusCode >= 500) {
      appendFileSync(
        errorLog,
        JSON.stringify({
          at,
          method: req.method,
          url: req.url,
          status: res.statusCode,
          target,
          contentType: req.headers["content-type"] ?? null,
          body: bodySize > 0 ? Buffer.concat(body).toString("utf8").slice(0, 16_384) : null,
        }) + "\n",
      );
    }
  });
  app(req, res);
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

// ---- wapiti's SSRF/XXE canary -------------------------------------------------------------

type Hit = { url: string; date: string; ip: string; method: string; size: number };
const hits = new Map<string, Record<string, Record<string, Hit[]>>>();
const ssrfLog = file("ssrf-hits.jsonl");
let canaryUrl = "";
writeFileSync(ssrfLog, "");
const canary = http.createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://canary");
  const asked = /^\/get_(ssrf|xxe)\.php$/.exec(url.pathname);
  if (asked) {
    res.setHeader("Content-Type", "application/json");
    res.end(JSON.stringify(hits.get(`${asked[1]}:${url.searchParams.get("id")}`) ?? {}));
    return;
  }
  // /ssrf/<session>/<path id>/<hex parameter>/ (wapiti's payload; xxe uses /xxe/... alike)
  // Anything else (wapiti pings the endpoint's root when it starts) is no hit.
  const m = /^\/(ssrf|xxe)\/([^/]+)\/([^/]+)\/([^/]+)/.exec(url.pathname);
  if (m) {
    const hit: Hit = { url: `${canaryUrl.slice(0, -1)}${req.url}`, date: new Date().toISOString(), ip: req.socket.remoteAddress ?? "", method: req.method ?? "", size: Number(req.headers["content-length"] ?? 0) };
    appendFileSync(ssrfLog, JSON.stringify({ ...hit, path: url.pathname, userAgent: req.headers["user-agent"] ?? null }) + "\n");
    const key = `${m[1]}:${m[2]}`;
    const bySession = hits.get(key) ?? {};
    const byPath = (bySession[m[3]!] ??= {});
    (byPath[m[4]!] ??= []).push(hit);
    hits.set(key, bySession);
  }
  res.end("ok");
});
await new Promise<void>((resolve) => canary.listen(0, "127.0.0.1", resolve));
canaryUrl = `http://127.0.0.1:${(canary.address() as AddressInfo).port}/`;

// ---- what the targets need -----------------------------------------------------------------

async function userId(email: string): Promise<string> {
  const [row] = await db.select({ id: s.users.id }).from(s.users).where(eq(s.users.email, email));
  if (!row) throw new Error(`demo user ${email} missing`);
  return row.id;
}
const managerId = await userId(MANAGER);
const staffId = await userId(STAFF);
const [membership] = await db
  .select({ tenantId: s.memberships.tenantId, code: s.participants.code, name: s.participants.name })
  .from(s.memberships)
  .innerJoin(s.participants, eq(s.participants.id, s.memberships.tenantId))
  .where(eq(s.memberships.userId, managerId));
if (!membership) throw new Error(`${MANAGER} has no company`);
const { tenantId, code: companyCode } = membership;
// The role form's base request names a member who is not the scanning manager, with the role
// they already have, so it changes nothing (a payload is never a valid role).
const [otherMember] = await db
  .select({ userId: s.memberships.userId, role: s.memberships.role })
  .from(s.memberships)
  .where(and(eq(s.memberships.tenantId, tenantId), ne(s.memberships.userId, managerId)))
  .limit(1);

const [study] = await db.select({ id: s.studies.id, year: s.studies.year }).from(s.studies).where(eq(s.studies.status, "published")).orderBy(desc(s.studies.year)).limit(1);
if (!study) throw new Error("no published study");
const year = study.year;
const [firstInquiry] = await db
  .select({ ref: s.inquiries.ref })
  .from(s.inquiries)
  .where(and(eq(s.inquiries.tenantId, tenantId), eq(s.inquiries.studyId, study.id)))
  .orderBy(asc(s.inquiries.ref))
  .limit(1);
if (!firstInquiry) throw new Error("the manager's company has no inquiries");
const [area] = await db.select({ code: s.areas.code }).from(s.areas).where(eq(s.areas.studyId, study.id)).orderBy(asc(s.areas.position)).limit(1);
const [product] = await db.select({ id: s.coachingProducts.id }).from(s.coachingProducts).orderBy(asc(s.coachingProducts.durationMinutes)).limit(1);
const slots = await db
  .select({ id: s.coachSlots.id, coachId: s.coachSlots.coachId })
  .from(s.coachSlots)
  .where(gt(s.coachSlots.startsAt, new Date(Date.now() + 3 * 86_400_000)))
  .orderBy(asc(s.coachSlots.startsAt))
  .limit(2);
const [slotForScan, slotForBooking] = slots;
if (!area || !product || !slotForScan || !slotForBooking) throw new Error("demo coaching offer or areas missing");

// Read-API tokens. The pool sqlmap rotates through belongs to another demo company (the
// group manager's first one): the manager's token page would otherwise list dozens of revoke
// forms for wapiti to crawl, and wapiti's crawler submits them. The manager's own token is
// used during setup and is the one the "tokens-revoke" target revokes.
const groupMemberships = await db
  .select({ tenantId: s.memberships.tenantId, userId: s.memberships.userId })
  .from(s.memberships)
  .innerJoin(s.users, eq(s.users.id, s.memberships.userId))
  .where(eq(s.users.email, GROUP))
  .orderBy(asc(s.memberships.tenantId));
const [apiMembership, otherGroupMembership] = groupMemberships;
if (!apiMembership || !otherGroupMembership) throw new Error(`${GROUP} should be a member of two companies`);
const tokenCount = Math.max(1, Number(args.tokens));
const tokens: string[] = [];
for (let i = 0; i < tokenCount; i++) tokens.push((await createApiToken(db, { tenantId: apiMembership.tenantId, name: `sikkerhetsskann ${i + 1}`, createdBy: apiMembership.userId })).token);
writeFileSync(file("tokens.txt"), tokens.join("\n") + "\n", { mode: 0o600 });
const managerToken = await createApiToken(db, { tenantId, name: "sikkerhetsskann", createdBy: managerId });

// An open invitation for a new person (its page and accept form are public).
// Links in mail and on the staff page point at this server (the one PUBLIC_URL).
process.env.PUBLIC_URL = origin;
const { link: invitationLink } = await createInvitation(db, { tenantId, email: "invitert.skann@example.test", role: "viewer", invitedBy: staffId });
const invitationToken = invitationLink.split("/").pop()!;

// An open password reset for the /login target's account (the scan never completes it: the
// two passwords its form is sent with differ). Dated three hours ahead so the link, valid
// for one hour, is still open when a full run reaches it.
const resetAt = new Date(Date.now() + 3 * 3600_000);
await requestPasswordReset(db, { email: LOGIN_TARGET, now: resetAt });
await mailPendingPasswordResets(db, { now: resetAt });
const [resetMail] = await db.select({ text: s.emailOutbox.textBody }).from(s.emailOutbox).where(eq(s.emailOutbox.toAddress, LOGIN_TARGET)).orderBy(desc(s.emailOutbox.id)).limit(1);
const resetToken = /\/reset-password\/([a-z2-7]{32})/.exec(resetMail?.text ?? "")?.[1];
if (!resetToken) throw new Error("no password reset link");

// One booking and one coaching pack, so their detail pages have a real id.
const booking = await createBooking(
  db,
  { tenantId, userId: managerId, userEmail: MANAGER, productId: product.id, slotId: slotForBooking.id, focus: "Skann", exportId: null, method: "invoice" },
  null,
);
const pack = await startExport(db, {
  tenantId,
  companyName: membership.name,
  userId: managerId,
  format: "csv",
  selection: { study: year, filter: { sort: "newest" }, refs: [firstInquiry.ref], includeAgentNames: false },
  locale: "nb",
});
// Wait until the pack's job has stored it (or given up).
for (let i = 0; pack && i < 600; i++) {
  const [row] = await db.select({ status: s.coachingExports.status }).from(s.coachingExports).where(eq(s.coachingExports.id, pack.id));
  if (row?.status !== "building") break;
  await new Promise((resolve) => setTimeout(resolve, 100));
}

// A real cursor for the API's inquiry list, and the inquiry right after it: the filters of
// the "filtered" targets are that inquiry's own values, so their base page is not empty.
type ApiPage = {
  data: { ref: string; channel: string; answered: boolean; totalScore: number; band: string; shopper: { gender: string; ageGroup: string; region: string } }[];
  meta: { cursor: string | null };
};
const apiPage = async (token: string, query: string) => {
  const response = await fetch(`${origin}/api/v1/studies/${year}/inquiries?${query}`, { headers: { Authorization: `Bearer ${token}`, "X-Scan-Target": "setup" } });
  if (!response.ok) throw new Error(`the API answered ${response.status} during setup`);
  return (await response.json()) as ApiPage;
};
const apiToken = tokens[0]!;
const cursor = (await apiPage(apiToken, "limit=1")).meta.cursor;
const apiSample = (await apiPage(apiToken, "limit=2")).data[1];
const sample = (await apiPage(managerToken.token, "limit=1")).data[0];
if (!cursor || !apiSample || !sample) throw new Error("the API gave no cursor or too few inquiries");
const [sampleText] = await db.select({ comment: s.inquiries.comment }).from(s.inquiries).where(and(eq(s.inquiries.tenantId, tenantId), eq(s.inquiries.ref, sample.ref)));
const word = /\p{L}{5,}/u.exec(sampleText?.comment ?? "")?.[0] ?? "svar";

// ---- the sqlmap targets ---------------------------------------------------------------------

interface Target {
  name: string;
  fast: boolean;
  auth: "manager" | "group" | "staff" | "api" | "none";
  method: "GET" | "POST";
  url: string;
  data?: Record<string, string> | [string, string][];
  extra?: string;
}

const q = (params: Record<string, string | number>) => new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
const ref = encodeURIComponent(firstInquiry.ref);
const low = Math.max(0, Math.floor(sample.totalScore) - 1);
const high = Math.min(100, Math.ceil(sample.totalScore) + 1);
const apiLow = Math.max(0, Math.floor(apiSample.totalScore) - 1);
const apiHigh = Math.min(100, Math.ceil(apiSample.totalScore) + 1);
const soon = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);

const targets: Target[] = [
  // The company pages (manager of the demo bank).
  { name: "company-overview", fast: false, auth: "manager", method: "GET", url: `/company?${q({ study: year })}` },
  {
    name: "inquiries",
    fast: true,
    auth: "manager",
    method: "GET",
    url: `/company/inquiries?${q({ study: year, channel: "chat", band: "", gender: "", age: "", region: "", answered: "", area: "", below: "", min: "", max: "", q: "", sort: "newest", page: 1 })}`,
  },
  {
    name: "inquiries-filtered",
    fast: false,
    auth: "manager",
    method: "GET",
    url: `/company/inquiries?${q({ study: year, channel: sample.channel, band: sample.band, gender: sample.shopper.gender, age: sample.shopper.ageGroup, region: sample.shopper.region, answered: sample.answered ? "yes" : "no", min: low, max: high, q: word, sort: "score-asc", page: 1 })}`,
  },
  // area and below only make sense together (one alone is a 400 before any query).
  { name: "inquiries-area", fast: false, auth: "manager", method: "GET", url: `/company/inquiries?${q({ study: year, area: area.code, below: 100, sort: "score-desc" })}` },
  { name: "inquiry", fast: true, auth: "manager", method: "GET", url: `/company/inquiries/${ref}*?${q({ study: year, channel: "", sort: "newest" })}` },
  { name: "variance", fast: false, auth: "manager", method: "GET", url: `/company/variance?${q({ study: year })}` },
  { name: "comparison", fast: false, auth: "manager", method: "GET", url: `/company/comparison?${q({ study: year })}` },
  // The trends page reads no parameter; ?study= is the page's only input a link could add.
  { name: "trends", fast: false, auth: "manager", method: "GET", url: `/company/trends?${q({ study: year })}` },
  { name: "coaching-book-form", fast: false, auth: "manager", method: "GET", url: `/company/coaching/book?${q({ pack: pack?.id ?? "x" })}` },
  {
    name: "coaching-book",
    fast: true,
    auth: "manager",
    method: "POST",
    url: "/company/coaching/book",
    data: { productId: String(product.id), slotId: String(slotForScan.id), focus: "Svartid på chat", exportId: "", method: "invoice" },
  },
  {
    name: "coaching-book-export",
    fast: false,
    auth: "manager",
    method: "POST",
    url: "/company/coaching/book",
    data: { productId: String(product.id), slotId: String(slotForScan.id), focus: "Svartid", exportId: pack?.id ?? "x", method: "invoice" },
  },
  { name: "coaching-booking", fast: false, auth: "manager", method: "GET", url: `/company/coaching/bookings/${booking.bookingId}*?booked=1` },
  {
    name: "coaching-pack-new",
    fast: true,
    auth: "manager",
    method: "POST",
    url: "/company/coaching/packs/new",
    data: [
      ["study", String(year)],
      ["channel", "chat"],
      ["band", ""],
      ["gender", ""],
      ["age", ""],
      ["region", ""],
      ["answered", ""],
      ["min", ""],
      ["max", ""],
      ["q", ""],
      ["sort", "newest"],
      ["format", "csv"],
      ["agents", "on"],
      ["ref", firstInquiry.ref],
    ],
  },
  { name: "coaching-pack", fast: false, auth: "manager", method: "GET", url: `/company/coaching/packs/${pack?.id ?? "x"}*` },
  // Every request that passes creates a token and the token page lists them all: as the group
  // manager, so the manager's page (crawled by wapiti) stays small. "max-level=1": here and
  // on the coach and product forms each accepted payload adds a row to the page the answer
  // shows, so pages grow with the scan and level 3 takes hours (level 1 even in full runs).
  { name: "tokens-create", fast: false, auth: "group", method: "POST", url: "/company/settings/tokens", data: { intent: "create", name: "skann" }, extra: "max-level=1" },
  { name: "tokens-revoke", fast: false, auth: "manager", method: "POST", url: "/company/settings/tokens", data: { intent: "revoke", tokenId: managerToken.id } },
  { name: "privacy", fast: false, auth: "manager", method: "POST", url: "/company/settings/privacy", data: { hideAgentNames: "on" } },
  // "end" names a session that is not the caller's (answered 404, which sqlmap must take as
  // the page rather than give up on); "end-others" is never the base value.
  { name: "account-sessions", fast: false, auth: "manager", method: "POST", url: "/account/sessions", data: { intent: "end", session: "0123456789abcdef" }, extra: "--ignore-code=404" },
  { name: "switch-company", fast: false, auth: "group", method: "POST", url: "/switch-company", data: { tenantId: otherGroupMembership.tenantId } },

  // The read API (Bearer tokens, rotated; the path markers test the year and ref too).
  {
    name: "api-inquiries",
    fast: true,
    auth: "api",
    method: "GET",
    url: `/api/v1/studies/${year}*/inquiries?${q({ channel: apiSample.channel, band: apiSample.band, shopperGender: apiSample.shopper.gender, shopperRegion: apiSample.shopper.region, minScore: apiLow, maxScore: apiHigh, limit: 5, cursor })}`,
  },
  { name: "api-inquiry", fast: false, auth: "api", method: "GET", url: `/api/v1/studies/${year}/inquiries/${encodeURIComponent(apiSample.ref)}*` },
  { name: "api-summary", fast: false, auth: "api", method: "GET", url: `/api/v1/studies/${year}*/summary` },
  { name: "api-benchmark", fast: false, auth: "api", method: "GET", url: `/api/v1/studies/${year}*/benchmark` },

  // Public pages. /login with a wrong password for an account no scan signs in with.
  { name: "login", fast: true, auth: "none", method: "POST", url: "/login", data: { email: LOGIN_TARGET, password: "feil-passord", redirectTo: "/company" }, extra: "--ignore-code=401,429" },
  { name: "login-page", fast: false, auth: "none", method: "GET", url: `/login?${q({ redirectTo: "/company", expired: 1 })}` },
  { name: "invitation-page", fast: false, auth: "none", method: "GET", url: `/invitation/${invitationToken}*` },
  // The two passwords differ, so no request of the scan can use up the invitation.
  { name: "invitation-accept", fast: true, auth: "none", method: "POST", url: `/invitation/${invitationToken}`, data: { name: "Skann Skannesen", password: "Skann-passord-1", confirm: "Skann-passord-2" }, extra: "--ignore-code=401,410,429" },

  // Password reset: the request form (any address gets the same answer) and the reset link's
  // page and form, with differing passwords so no request of the scan changes a password.
  { name: "forgot-password", fast: true, auth: "none", method: "POST", url: "/forgot-password", data: { email: LOGIN_TARGET } },
  { name: "reset-password-page", fast: false, auth: "none", method: "GET", url: `/reset-password/${resetToken}*` },
  { name: "reset-password", fast: false, auth: "none", method: "POST", url: `/reset-password/${resetToken}`, data: { password: "Skann-passord-1", confirm: "Skann-passord-2" }, extra: "--ignore-code=401,410,429" },

  // The staff console.
  { name: "staff-companies", fast: true, auth: "staff", method: "GET", url: `/staff/companies?${q({ q: "bank", page: 1 })}` },
  { name: "staff-company", fast: false, auth: "staff", method: "GET", url: `/staff/companies/${encodeURIComponent(companyCode)}*` },
  { name: "staff-invite", fast: true, auth: "staff", method: "POST", url: `/staff/companies/${encodeURIComponent(companyCode)}`, data: { intent: "invite", email: "ny.person@example.test", role: "viewer" } },
  {
    name: "staff-change-role",
    fast: false,
    auth: "staff",
    method: "POST",
    url: `/staff/companies/${encodeURIComponent(companyCode)}`,
    data: { intent: "change-role", userId: otherMember?.userId ?? managerId, role: otherMember?.role ?? "manager" },
  },
  { name: "staff-audit", fast: false, auth: "staff", method: "GET", url: `/staff/audit?${q({ before: 1000 })}` },
  { name: "staff-bookings", fast: false, auth: "staff", method: "GET", url: `/staff/bookings?${q({ show: "to-invoice" })}` },
  { name: "staff-booking-invoiced", fast: false, auth: "staff", method: "POST", url: "/staff/bookings", data: { intent: "invoiced", tenantId, bookingId: booking.bookingId } },
  { name: "staff-slot", fast: false, auth: "staff", method: "POST", url: "/staff/coaching", data: { intent: "slot", coachId: String(slotForScan.coachId), date: soon, start: "10:00", end: "11:00" } },
  { name: "staff-create-study", fast: false, auth: "staff", method: "POST", url: "/staff", data: { year: "2031", name: "Skann" } },
  { name: "staff-study", fast: false, auth: "staff", method: "GET", url: `/staff/studies/${year}*` },
  // Last: each accepted payload adds a coach or product that /staff/coaching then lists.
  { name: "staff-coach", fast: false, auth: "staff", method: "POST", url: "/staff/coaching", data: { intent: "coach", name: "Skann Coach", email: "coach@example.test", bio: "Bio", languages: "nb" }, extra: "max-level=1" },
  {
    name: "staff-product",
    fast: false,
    auth: "staff",
    method: "POST",
    url: "/staff/coaching",
    data: { intent: "product", nameNb: "Skann", nameEn: "Scan", descriptionNb: "Tekst", descriptionEn: "Text", price: "1000", durationMinutes: "60", format: "video" },
    extra: "max-level=1",
  },
];

// With a "*" in the path sqlmap tests only the marked places: mark every query value too.
function markAll(url: string): string {
  const [pathPart, query] = url.split("?", 2) as [string, string | undefined];
  if (!pathPart.includes("*") || !query) return url;
  return `${pathPart}?${query
    .split("&")
    .map((pair) => `${pair}*`)
    .join("&")}`;
}
const tsv = (value: string) => value.replace(/[\t\n\r]/g, " ");
writeFileSync(
  file("targets.tsv"),
  targets
    .map((t) => {
      const body = t.data ? new URLSearchParams(Array.isArray(t.data) ? t.data : Object.entries(t.data)).toString() : "-";
      return [t.name, t.fast ? "1" : "0", t.auth, t.method, origin + markAll(t.url), body, t.extra ?? "-"].map(tsv).join("\t");
    })
    .join("\n") + "\n",
);

writeFileSync(
  file("state.json"),
  JSON.stringify(
    {
      origin,
      canary: canaryUrl,
      year,
      password: DEMO_PASSWORD,
      users: { manager: MANAGER, group: GROUP, staff: STAFF, login: LOGIN_TARGET },
      company: { code: companyCode, tenantId },
      database: database.kind,
      seededInSeconds: Math.round((Date.now() - started) / 1000),
      wapitiStart: {
        manager: ["/company", `/company/inquiries?study=${year}`, `/company/inquiries/${ref}?study=${year}`, "/company/variance", "/company/comparison", "/company/trends", "/company/coaching", "/company/coaching/book", `/company/coaching/bookings/${booking.bookingId}`, `/company/coaching/packs/${pack?.id ?? ""}`, "/company/settings/tokens", "/company/settings/privacy", "/account/sessions", `/invitation/${invitationToken}`].map((p) => origin + p),
        staff: ["/staff", "/staff/companies", `/staff/companies/${encodeURIComponent(companyCode)}`, "/staff/audit", "/staff/bookings", "/staff/coaching", `/staff/studies/${year}`, "/account/sessions"].map((p) => origin + p),
      },
    },
    null,
    2,
  ),
);
log(`listening on ${origin} (canary ${canaryUrl}); ${targets.length} sqlmap targets; ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log("ready");

// ---- shutdown -----------------------------------------------------------------------------------

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  log(`${signal}: shutting down`);
  writeFileSync(file("requests.json"), JSON.stringify(Object.fromEntries(requestCounts), null, 2));
  server.closeAllConnections();
  canary.closeAllConnections();
  server.close();
  canary.close();
  try {
    await database.close();
    await dropDatabase?.();
  } catch (error) {
    console.error(`[scan-server] shutdown: ${(error as Error).message}`);
  }
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
