// The probe table of the isolation matrix (tests/integration/isolation-matrix.test.ts): for
// every route of the Remix build, keyed by route id, how company A attacks it with company
// B's ids, refs and filters, and what each of A's roles must get back. The matrix fails on
// a route of the manifest that has no entry here, and on an entry whose route is gone or
// whose URL pattern changed, so a new route has to be thought about before it ships.
//
// Values are B's (or, for the "ghost" twin run, look-alikes that exist nowhere); the matrix
// sends every attempt twice, once with each, and the two answers must be the same but for
// the value itself: an id of B's must be indistinguishable from an id of nobody's.

import type { TenantRole } from "~/domain/types";
import { translate, type MessageKey } from "~/i18n/i18n";

export const ROLES = ["manager", "teamlead", "viewer"] as const satisfies readonly TenantRole[];
export type Role = (typeof ROLES)[number];

/**
 * The rights the matrix expects of each role, written out here on purpose: a change in
 * app/domain/permissions.ts fails the matrix until this table (and so the matrix) is
 * reviewed. `staff` is the operator: no company role has it.
 */
export const EXPECTED_RIGHTS = {
  "results:read": ["manager", "teamlead", "viewer"],
  "coaching:export": ["manager", "teamlead"],
  "coaching:book": ["manager", "teamlead"],
  "members:manage": ["manager"],
  "tokens:manage": ["manager"],
  "privacy:manage": ["manager"],
  "queries:raise": ["manager", "teamlead"],
  "targets:manage": ["manager"],
  "coachinglog:write": ["manager", "teamlead"],
  "coachinglog:delete": ["manager"],
  "plans:write": ["manager", "teamlead"],
  "plans:delete": ["manager"],
  staff: [],
} as const satisfies Record<string, readonly Role[]>;
export type Right = keyof typeof EXPECTED_RIGHTS;

/** B's identifiers, or their ghost look-alikes. Every field is substituted into requests. */
export interface Values {
  /** an inquiry ref of B in the study both took part in */
  ref: string;
  /** an inquiry ref of B in the study only B took part in */
  refOnlyB: string;
  /** the year of the study only B took part in */
  year: string;
  exportId: string;
  bookingId: string;
  /** the slot B's booking holds */
  slotId: string;
  tokenId: string;
  /** B's tenant (participant) id */
  tenantId: string;
  /** B's company code (staff URLs) */
  code: string;
  /** a user of B */
  userId: string;
  /** that user's e-mail address */
  email: string;
  invitationId: string;
  /** a staff import upload of the study only B took part in */
  uploadId: string;
  /** an API cursor positioned on one of B's inquiries */
  cursor: string;
  /** the handle (first 16 hex of the stored hash) of a session of B's user */
  sessionHandle: string;
  /** an entry of B's coaching log */
  logId: string;
  /** an action plan of B */
  planId: string;
}

/** What is the same in both runs: A's own things and the shared study. */
export interface Fixed {
  /** the year both A and B took part in */
  sharedYear: string;
  /** one of A's own inquiry refs */
  ownRef: string;
  productId: string;
  /** a free slot A could book */
  freeSlotId: string;
  /** a word found only in B's comments and transcripts (a search filter) */
  canaryWord: string;
  /** the e-mail address of one of A's own members */
  ownMemberEmail: string;
  /** one of A's own action plans */
  ownPlanId: string;
}

/** One status for every role, a status per role, or (public routes) anything below 500. */
export type Expect = number | Record<Role, number> | "any";

export interface Attempt {
  method: "GET" | "POST";
  /** path and query, with B's values in it */
  path: string;
  form?: Record<string, string | string[] | undefined>;
  headers?: Record<string, string>;
  body?: string;
  /**
   * members: each company role of A with its session; token: A's API token;
   * public: each role and also no session at all.
   */
  as: "members" | "token" | "public";
  expect: Expect;
  /** When the single-fetch (`.data`) answer differs, e.g. because a parent route's loader runs too. */
  expectData?: Expect;
  /** The request ends or changes the session (logout, switching company): use a throwaway one. */
  freshSession?: boolean;
  /** Skip the comparison with the ghost twin, for this reason. */
  noTwin?: string;
  /** Extra assertions on a response that is not a 403, beyond status, canaries and the twin comparison. */
  check?: (body: string) => string | null;
}

export interface RouteProbe {
  /** The route's full URL pattern as the manifest gives it; a change fails the matrix. */
  pattern: string;
  attempts: (v: Values, k: Fixed) => Attempt[];
}

export function all(status: number): Record<Role, number> {
  return { manager: status, teamlead: status, viewer: status };
}

/** `status` for the roles holding `right`, 403 for the others. */
export function needing(right: Right, status: number): Record<Role, number> {
  const holders = EXPECTED_RIGHTS[right] as readonly Role[];
  return Object.fromEntries(ROLES.map((role) => [role, holders.includes(role) ? status : 403])) as Record<Role, number>;
}

const STAFF = needing("staff", 200);

/** The e-mail domain of B's single sign-on (the matrix's setup plants it; issue 17). */
export const SSO_DOMAIN_OF_B = "b-sso.example";

/** The refusal must be for the reason probed (not some earlier check that hides it). */
const saying =
  (key: MessageKey, params: Record<string, string> = {}) =>
  (body: string) => {
    const message = translate("nb", key, params);
    // A page says the message; its data (.data) may carry the catalogue key of a form error instead.
    return body.includes(message) || body.includes(`"${key}"`) ? null : `the answer does not say "${message}"`;
  };
const bearerPost = (path: string): Attempt => ({ method: "POST", path, as: "token", expect: 405, form: { year: "x" } });

export const PROBES: Record<string, RouteProbe> = {
  // The root's loader runs for every page; alone it answers an address no route matches.
  root: {
    pattern: "/",
    attempts: (v) => [{ method: "GET", path: `/company/${v.ref}?study=${v.year}`, as: "members", expect: all(404) }],
  },
  "routes/_index": {
    pattern: "/",
    attempts: (v) => [{ method: "GET", path: `/?study=${v.year}&tenant=${v.tenantId}`, as: "members", expect: all(302) }],
  },

  // ---- company pages -----------------------------------------------------------------
  "routes/company._index": {
    pattern: "/company",
    attempts: (v) => [{ method: "GET", path: `/company?study=${v.year}`, as: "members", expect: all(404) }],
  },
  // The frame of every company page (the "new results" banner): probed through the pages below
  // it; B's study, which A's members were never told about, gives them a 404 and no banner.
  "routes/company": {
    pattern: "/company",
    attempts: (v) => [{ method: "GET", path: `/company/variance?study=${v.year}`, as: "members", expect: all(404) }],
  },
  "routes/company.comparison": {
    pattern: "/company/comparison",
    attempts: (v) => [{ method: "GET", path: `/company/comparison?study=${v.year}`, as: "members", expect: all(404) }],
  },
  "routes/company.variance": {
    pattern: "/company/variance",
    attempts: (v) => [{ method: "GET", path: `/company/variance?study=${v.year}`, as: "members", expect: all(404) }],
  },
  // No parameters: A's own years only, nothing of B's.
  "routes/company.trends": {
    pattern: "/company/trends",
    attempts: (v) => [{ method: "GET", path: `/company/trends?study=${v.year}`, as: "members", expect: all(200) }],
  },
  // No parameters either: A's own years, the whole study's bands only where >= 3 companies (issue 18).
  "routes/company.score-bands": {
    pattern: "/company/score-bands",
    attempts: (v) => [{ method: "GET", path: `/company/score-bands?study=${v.year}&tenant=${v.tenantId}`, as: "members", expect: all(200) }],
  },
  // The awards of the year only B took part in: none for A, nor any file of them (issue 16).
  "routes/company.awards._index": {
    pattern: "/company/awards",
    attempts: (v) => [{ method: "GET", path: `/company/awards?study=${v.year}`, as: "members", expect: all(404) }],
  },
  "routes/company.awards.download": {
    pattern: "/company/awards/download",
    attempts: (v) => [
      { method: "GET", path: `/company/awards/download?study=${v.year}&award=overall&format=pdf&lang=nb`, as: "members", expect: all(404) },
      { method: "GET", path: `/company/awards/download?study=${v.year}&award=channel:phone&format=svg`, as: "members", expect: all(404) },
    ],
  },
  "routes/company.inquiries._index": {
    pattern: "/company/inquiries",
    attempts: (v, k) => [
      { method: "GET", path: `/company/inquiries?study=${v.year}`, as: "members", expect: all(404) },
      { method: "GET", path: `/company/inquiries?study=${v.year}&q=${k.canaryWord}&sort=oldest`, as: "members", expect: all(404) },
      // A's own year, searched for words only B's comments hold: A's (empty) list.
      { method: "GET", path: `/company/inquiries?study=${k.sharedYear}&q=${k.canaryWord}`, as: "members", expect: all(200) },
    ],
  },
  "routes/company.inquiries.$ref": {
    pattern: "/company/inquiries/:ref",
    attempts: (v, k) => [
      { method: "GET", path: `/company/inquiries/${v.ref}`, as: "members", expect: all(404) },
      { method: "GET", path: `/company/inquiries/${v.ref}?study=${k.sharedYear}`, as: "members", expect: all(404) },
      { method: "GET", path: `/company/inquiries/${v.refOnlyB}?study=${v.year}`, as: "members", expect: all(404) },
      { method: "GET", path: `/company/inquiries/${v.ref}?study=${v.year}`, as: "members", expect: all(404) },
      // A's own ref, asked in the year only B took part in.
      { method: "GET", path: `/company/inquiries/${k.ownRef}?study=${v.year}`, as: "members", expect: all(404) },
      // A query raised on B's inquiry (spec/season.md): as if it did not exist, nothing written; a viewer may raise none.
      { method: "POST", path: `/company/inquiries/${v.ref}?study=${k.sharedYear}`, form: { study: k.sharedYear, question: "", reason: "Sonde" }, as: "members", expect: needing("queries:raise", 404) },
      { method: "POST", path: `/company/inquiries/${v.refOnlyB}?study=${v.year}`, form: { study: v.year, question: "", reason: "Sonde" }, as: "members", expect: needing("queries:raise", 404) },
    ],
  },
  "routes/company.settings.tokens": {
    pattern: "/company/settings/tokens",
    attempts: (v) => [
      { method: "GET", path: `/company/settings/tokens?token=${v.tokenId}`, as: "members", expect: needing("tokens:manage", 200) },
      { method: "POST", path: "/company/settings/tokens", form: { intent: "revoke", tokenId: v.tokenId }, as: "members", expect: needing("tokens:manage", 404) },
    ],
  },

  // A's people (issue 17): B's user and invitation ids are not found, whatever company id the
  // form names; an invitation goes to A's own company (A's own member: "already has access").
  "routes/company.settings.members": {
    pattern: "/company/settings/members",
    attempts: (v, k) => [
      { method: "GET", path: `/company/settings/members?company=${v.tenantId}&user=${v.userId}&invitation=${v.invitationId}`, as: "members", expect: needing("members:manage", 200) },
      {
        method: "POST",
        path: "/company/settings/members",
        form: { intent: "invite", email: k.ownMemberEmail, role: "viewer", tenantId: v.tenantId, participantId: v.tenantId, code: v.code },
        as: "members",
        expect: needing("members:manage", 409),
        check: (body) => (body.includes("members.invite.alreadyMember") || body.includes("har allerede tilgang") ? null : "the answer does not say the person already has access"),
      },
      { method: "POST", path: "/company/settings/members", form: { intent: "invite", email: v.email, role: "eier", tenantId: v.tenantId }, as: "members", expect: needing("members:manage", 400), check: saying("members.roleInvalid") },
      { method: "POST", path: "/company/settings/members", form: { intent: "change-role", userId: v.userId, role: "viewer", tenantId: v.tenantId }, as: "members", expect: needing("members:manage", 404) },
      { method: "POST", path: "/company/settings/members", form: { intent: "change-role", userId: v.userId, role: "manager" }, as: "members", expect: needing("members:manage", 404) },
      { method: "POST", path: "/company/settings/members", form: { intent: "revoke-member", userId: v.userId, tenantId: v.tenantId }, as: "members", expect: needing("members:manage", 404) },
      { method: "POST", path: "/company/settings/members", form: { intent: "resend-invitation", invitationId: v.invitationId, tenantId: v.tenantId }, as: "members", expect: needing("members:manage", 404) },
      { method: "POST", path: "/company/settings/members", form: { intent: "revoke-invitation", invitationId: v.invitationId, tenantId: v.tenantId }, as: "members", expect: needing("members:manage", 404) },
    ],
  },

  // A's own setting; a company id in the form is no way to reach B's. The manager's POST
  // writes A's own (unchanged) setting and an audit event of A's (see A_OWN_WRITES).
  "routes/company.settings.privacy": {
    pattern: "/company/settings/privacy",
    attempts: (v) => [
      { method: "GET", path: `/company/settings/privacy?company=${v.tenantId}`, as: "members", expect: needing("privacy:manage", 200) },
      {
        method: "POST",
        path: "/company/settings/privacy",
        form: { tenantId: v.tenantId, participantId: v.tenantId, code: v.code },
        as: "members",
        expect: needing("privacy:manage", 200),
      },
      // The viewers' report setting (issue 19): A's own, whatever company the form names.
      {
        method: "POST",
        path: "/company/settings/privacy",
        form: { intent: "reports", viewersDownloadReports: "on", tenantId: v.tenantId, code: v.code },
        as: "members",
        expect: needing("privacy:manage", 200),
      },
    ],
  },
  // The company reports (issue 19): of the year only B took part in, nothing (not even a
  // build); of the shared year, A's own report whatever company the query names.
  "routes/company.reports._index": {
    pattern: "/company/reports",
    attempts: (v, k) => [
      { method: "GET", path: `/company/reports?study=${v.year}`, as: "members", expect: all(404) },
      { method: "GET", path: `/company/reports?study=${k.sharedYear}&tenant=${v.tenantId}&code=${v.code}`, as: "members", expect: all(200) },
      { method: "POST", path: `/company/reports?index&study=${v.year}`, form: { intent: "build", study: v.year, kind: "full", lang: "nb" }, as: "members", expect: all(404) },
      { method: "POST", path: `/company/reports?index&study=${v.year}`, form: { intent: "build", study: v.year, kind: "summary", lang: "en", tenantId: v.tenantId }, as: "members", expect: all(404) },
    ],
  },
  "routes/company.reports.download": {
    pattern: "/company/reports/download",
    attempts: (v, k) => [
      { method: "GET", path: `/company/reports/download?study=${v.year}&kind=full&lang=nb`, as: "members", expect: all(404) },
      { method: "GET", path: `/company/reports/download?study=${v.year}&kind=summary&lang=en&tenant=${v.tenantId}`, as: "members", expect: all(404) },
      { method: "GET", path: `/company/reports/download?study=${k.sharedYear}&kind=full&lang=nb&tenant=${v.tenantId}&code=${v.code}`, as: "members", expect: all(200) },
    ],
  },

  // ---- follow-up (issue 18) --------------------------------------------------------------
  "routes/company.follow-up._index": {
    pattern: "/company/follow-up",
    attempts: (v) => [{ method: "GET", path: `/company/follow-up?year=${v.year}&company=${v.tenantId}`, as: "members", expect: all(302) }],
  },
  // A's own targets and goals; B's company id in the URL or form changes nothing. The manager's
  // POSTs send A's own values as planted (unchanged), so nothing is written (the fingerprint).
  "routes/company.follow-up.targets": {
    pattern: "/company/follow-up/targets",
    attempts: (v, k) => [
      { method: "GET", path: `/company/follow-up/targets?year=${k.sharedYear}&company=${v.tenantId}`, as: "members", expect: all(200) },
      {
        method: "GET",
        path: `/company/follow-up/targets?year=${v.year}`,
        as: "members",
        expect: all(200),
        noTwin: "the year only B took part in is also A's next year (targets are set ahead); a made-up far year is no target year (404)",
      },
      { method: "POST", path: "/company/follow-up/targets", form: { intent: "targets", year: k.sharedYear, total: "70", tenantId: v.tenantId }, as: "members", expect: needing("targets:manage", 200) },
      { method: "POST", path: "/company/follow-up/targets", form: { intent: "goals", goal_phone: "60", tenantId: v.tenantId }, as: "members", expect: needing("targets:manage", 200) },
    ],
  },

  // A's own sign-in settings (issue 17); no company id in a URL or form reaches B's. Settings
  // with a bad issuer, or claiming B's domain (planted in the matrix's setup), are refused
  // before any write.
  "routes/company.settings.sso": {
    pattern: "/company/settings/sso",
    attempts: (v) => [
      { method: "GET", path: `/company/settings/sso?company=${v.tenantId}`, as: "members", expect: needing("members:manage", 200) },
      {
        method: "POST",
        path: "/company/settings/sso",
        form: { intent: "sso", tenantId: v.tenantId, code: v.code, issuer: "http://idp.example.no", clientId: "sonde", clientSecret: "sonde", domains: "sonde.example" },
        as: "members",
        expect: needing("members:manage", 400),
        check: saying("sso.error.issuerInvalid"),
      },
      {
        method: "POST",
        path: "/company/settings/sso",
        form: { intent: "sso", tenantId: v.tenantId, issuer: "https://idp.example.no", clientId: "sonde", domains: SSO_DOMAIN_OF_B },
        as: "members",
        expect: needing("members:manage", 400),
        // The page says it; its data (.data) carries the key with the domain as a parameter.
        check: (body) => (saying("sso.error.domainTaken", { domain: SSO_DOMAIN_OF_B })(body) === null || body.includes("sso.error.domainTaken|") ? null : "not refused as B's domain"),
      },
    ],
  },

  // ---- coaching ------------------------------------------------------------------------
  "routes/company.coaching._index": {
    pattern: "/company/coaching",
    attempts: (v) => [{ method: "GET", path: `/company/coaching?booking=${v.bookingId}`, as: "members", expect: needing("coaching:export", 200) }],
  },
  "routes/company.coaching.book": {
    pattern: "/company/coaching/book",
    attempts: (v, k) => [
      // The page preselects the pack named in the URL only among A's own packs.
      { method: "GET", path: `/company/coaching/book?pack=${v.exportId}`, as: "members", expect: needing("coaching:book", 200) },
      // A free slot, with B's pack attached: refused as an unknown pack (400), exactly as a made-up id.
      {
        method: "POST",
        path: "/company/coaching/book",
        form: { productId: k.productId, slotId: k.freeSlotId, focus: "Sonde", exportId: v.exportId, method: "invoice" },
        as: "members",
        expect: needing("coaching:book", 400),
        check: saying("companyCoaching.book.error.export"),
      },
    ],
  },
  "routes/company.coaching.bookings.$id": {
    pattern: "/company/coaching/bookings/:id",
    attempts: (v) => [
      { method: "GET", path: `/company/coaching/bookings/${v.bookingId}`, as: "members", expect: needing("coaching:export", 404) },
      { method: "GET", path: `/company/coaching/bookings/${v.bookingId}?checkout=done`, as: "members", expect: needing("coaching:export", 404) },
      { method: "POST", path: `/company/coaching/bookings/${v.bookingId}`, form: { intent: "cancel" }, as: "members", expect: needing("coaching:book", 404) },
    ],
  },
  "routes/company.coaching.packs.$id._index": {
    pattern: "/company/coaching/packs/:id",
    attempts: (v) => [{ method: "GET", path: `/company/coaching/packs/${v.exportId}`, as: "members", expect: needing("coaching:export", 404) }],
  },
  "routes/company.coaching.packs.$id.download": {
    pattern: "/company/coaching/packs/:id/download",
    attempts: (v) => [{ method: "GET", path: `/company/coaching/packs/${v.exportId}/download`, as: "members", expect: needing("coaching:export", 404) }],
  },
  // The coaching log (issue 18): B's entry by id is nobody's; B's refs and pack are unknown ones.
  "routes/company.coaching.log._index": {
    pattern: "/company/coaching/log",
    attempts: (v, k) => {
      const session = { intent: "create", sessionDate: "2026-11-02", coachedKind: "label", coached: "Sonde", habit: "Sonde" };
      return [
        { method: "GET", path: `/company/coaching/log?q=${k.canaryWord}&refs=${v.ref}`, as: "members", expect: all(200) },
        { method: "POST", path: "/company/coaching/log?index", form: { intent: "delete", id: v.logId }, as: "members", expect: needing("coachinglog:delete", 404) },
        {
          method: "POST",
          path: "/company/coaching/log?index",
          form: { ...session, refs: `${k.ownRef}, ${v.ref}` },
          as: "members",
          expect: needing("coachinglog:write", 400),
          // The page says the message; its data carries the key with the refs as parameters.
          check: (body) =>
            body.includes(translate("nb", "coachingLog.error.unknownRefs", { refs: v.ref })) || (body.includes("coachingLog.error.unknownRefs|") && body.includes(v.ref))
              ? null
              : "the answer does not name the unknown ref",
        },
        { method: "POST", path: "/company/coaching/log?index", form: { ...session, refs: v.refOnlyB }, as: "members", expect: needing("coachinglog:write", 400) },
        { method: "POST", path: "/company/coaching/log?index", form: { ...session, packId: v.exportId }, as: "members", expect: needing("coachinglog:write", 400), check: saying("coachingLog.error.pack") },
      ];
    },
  },
  "routes/company.coaching.log.$id": {
    pattern: "/company/coaching/log/:id",
    attempts: (v) => [
      { method: "GET", path: `/company/coaching/log/${v.logId}`, as: "members", expect: needing("coachinglog:write", 404) },
      {
        method: "POST",
        path: `/company/coaching/log/${v.logId}`,
        form: { intent: "update", sessionDate: "2026-11-02", coachedKind: "label", coached: "Sonde", habit: "Sonde" },
        as: "members",
        expect: needing("coachinglog:write", 404),
      },
      { method: "POST", path: `/company/coaching/log/${v.logId}`, form: { intent: "delete" }, as: "members", expect: needing("coachinglog:delete", 404) },
    ],
  },
  "routes/company.coaching.packs.new": {
    pattern: "/company/coaching/packs/new",
    attempts: (v, k) => [
      { method: "GET", path: `/company/coaching/packs/new?study=${v.year}`, as: "members", expect: needing("coaching:export", 200) },
      // A pack of the year only B took part in.
      { method: "POST", path: "/company/coaching/packs/new", form: { study: v.year, format: "csv" }, as: "members", expect: needing("coaching:export", 404) },
      // A pack of the shared year made of B's inquiries, by ref: refused as an unknown ref.
      {
        method: "POST",
        path: "/company/coaching/packs/new",
        form: { study: k.sharedYear, format: "pdf", ref: [k.ownRef, v.ref] },
        as: "members",
        expect: needing("coaching:export", 400),
        check: saying("companyCoaching.pack.unknownRef", { ref: v.ref }),
      },
      // ...or by a filter only B's inquiries match: nothing of A's matches, so no pack.
      {
        method: "POST",
        path: "/company/coaching/packs/new",
        form: { study: k.sharedYear, format: "xlsx", q: k.canaryWord, agents: "on" },
        as: "members",
        expect: needing("coaching:export", 400),
        check: saying("companyCoaching.pack.empty"),
      },
    ],
  },

  // ---- action plans (issue 18) ------------------------------------------------------------
  // The list filtered by B's user as owner: A's list, in which B's user owns nothing.
  "routes/company.plans._index": {
    pattern: "/company/plans",
    attempts: (v) => [
      { method: "GET", path: `/company/plans?owner=${v.userId}`, as: "members", expect: all(200) },
      { method: "GET", path: `/company/plans?owner=${v.userId}&status=planned&overdue=1`, as: "members", expect: all(200) },
    ],
  },
  "routes/company.plans.new": {
    pattern: "/company/plans/new",
    attempts: (v, k) => {
      const plan = { title: "Sonde", metric: "channel:phone", target: "80", dueDate: "2099-01-31", status: "planned" };
      return [
        { method: "GET", path: `/company/plans/new?metric=channel:phone&title=${v.tenantId}`, as: "members", expect: needing("plans:write", 200) },
        // B's user as owner, B's pack or B's booking linked: refused (400) exactly as a made-up id, nothing written.
        { method: "POST", path: "/company/plans/new", form: { ...plan, owner: v.userId }, as: "members", expect: needing("plans:write", 400), check: saying("plans.form.error.owner") },
        { method: "POST", path: "/company/plans/new", form: { ...plan, packs: v.exportId }, as: "members", expect: needing("plans:write", 400), check: saying("plans.form.error.pack") },
        { method: "POST", path: "/company/plans/new", form: { ...plan, bookings: v.bookingId }, as: "members", expect: needing("plans:write", 400), check: saying("plans.form.error.booking") },
        // A tenant named in the form changes nothing: still 400 for B's owner, and never B's plan.
        { method: "POST", path: "/company/plans/new", form: { ...plan, owner: v.userId, tenantId: v.tenantId, planId: k.ownPlanId }, as: "members", expect: needing("plans:write", 400) },
      ];
    },
  },
  "routes/company.plans.$id": {
    pattern: "/company/plans/:id",
    attempts: (v, k) => {
      const plan = { intent: "save", title: "Sonde", metric: "channel:phone", target: "80", dueDate: "2099-01-31", status: "planned" };
      return [
        { method: "GET", path: `/company/plans/${v.planId}`, as: "members", expect: all(404) },
        { method: "POST", path: `/company/plans/${v.planId}`, form: plan, as: "members", expect: needing("plans:write", 404) },
        { method: "POST", path: `/company/plans/${v.planId}`, form: { intent: "delete" }, as: "members", expect: needing("plans:delete", 404) },
        // A's own plan, saved with B's owner, pack or booking: refused as unknown, A's plan unchanged.
        { method: "POST", path: `/company/plans/${k.ownPlanId}`, form: { ...plan, owner: v.userId }, as: "members", expect: needing("plans:write", 400), check: saying("plans.form.error.owner") },
        { method: "POST", path: `/company/plans/${k.ownPlanId}`, form: { ...plan, packs: v.exportId }, as: "members", expect: needing("plans:write", 400), check: saying("plans.form.error.pack") },
        { method: "POST", path: `/company/plans/${k.ownPlanId}`, form: { ...plan, bookings: v.bookingId }, as: "members", expect: needing("plans:write", 400), check: saying("plans.form.error.booking") },
      ];
    },
  },
  "routes/company.plans.download": {
    pattern: "/company/plans/download",
    attempts: (v) => [
      { method: "GET", path: `/company/plans/download?format=csv&plan=${v.planId}&tenant=${v.tenantId}`, as: "members", expect: all(200) },
      { method: "GET", path: `/company/plans/download?format=csv&owner=${v.userId}`, as: "members", expect: all(200) },
      { method: "GET", path: `/company/plans/download?format=xlsx&owner=${v.userId}`, as: "members", expect: all(200), noTwin: "an XLSX file carries the time it was zipped" },
    ],
  },

  // ---- session and account --------------------------------------------------------------
  "routes/switch-company": {
    pattern: "/switch-company",
    attempts: (v) => [{ method: "POST", path: "/switch-company", form: { tenantId: v.tenantId }, as: "members", expect: all(404), freshSession: true }],
  },
  // A person's own sessions: another person's session handle is not found.
  "routes/account.sessions": {
    pattern: "/account/sessions",
    attempts: (v) => [
      { method: "GET", path: `/account/sessions?session=${v.sessionHandle}`, as: "members", expect: all(200) },
      { method: "POST", path: "/account/sessions", form: { intent: "end", session: v.sessionHandle }, as: "members", expect: all(404) },
    ],
  },
  // A person's own account: the form changes the session's user only; a user id of B's in it is ignored.
  "routes/account._index": {
    pattern: "/account",
    attempts: (v) => [
      { method: "GET", path: `/account?user=${v.userId}`, as: "members", expect: all(200) },
      { method: "POST", path: "/account?index", form: { seasonMails: "on", userId: v.userId, email: v.email }, as: "members", expect: all(200) },
    ],
  },
  "routes/login": {
    pattern: "/login",
    attempts: (v) => [
      { method: "GET", path: `/login?redirectTo=/company/inquiries/${v.ref}`, as: "public", expect: "any" },
      // B's user, a wrong password: refused (and soon throttled, per address, so no twin).
      {
        method: "POST",
        path: "/login",
        form: { email: v.email, password: "feil-passord", redirectTo: `/company/coaching/bookings/${v.bookingId}` },
        as: "public",
        expect: "any",
        noTwin: "login throttling counts attempts per address, so the answer depends on the order of requests",
      },
    ],
  },
  "routes/logout": {
    pattern: "/logout",
    attempts: (v) => [
      { method: "GET", path: `/logout?tenant=${v.tenantId}`, as: "public", expect: "any" },
      { method: "POST", path: "/logout", form: { tenantId: v.tenantId }, as: "public", expect: "any", freshSession: true },
    ],
  },
  "routes/language": {
    pattern: "/language",
    attempts: (v) => [{ method: "POST", path: "/language", form: { locale: "en", redirectTo: `/company/inquiries/${v.ref}?study=${v.year}` }, as: "public", expect: "any" }],
  },
  "routes/invitation.$token": {
    pattern: "/invitation/:token",
    attempts: (v) => [
      { method: "GET", path: `/invitation/${v.invitationId}`, as: "public", expect: "any" },
      { method: "GET", path: `/invitation/${"a".repeat(40)}`, as: "public", expect: "any" },
      { method: "POST", path: `/invitation/${v.invitationId}`, form: { name: "Sonde", password: "langt-nok-passord", confirm: "langt-nok-passord" }, as: "public", expect: "any" },
    ],
  },
  // The provider's way back: a state that is not a started sign-in of this browser is refused (400).
  "routes/sso.callback": {
    pattern: "/sso/callback",
    attempts: (v) => [
      { method: "GET", path: `/sso/callback?state=${v.tenantId}&code=${v.invitationId}`, as: "public", expect: "any" },
      { method: "GET", path: `/sso/callback?error=access_denied&state=${v.sessionHandle}`, as: "public", expect: "any" },
    ],
  },
  "routes/forgot-password": {
    pattern: "/forgot-password",
    attempts: () => [
      { method: "GET", path: "/forgot-password", as: "public", expect: "any" },
      { method: "POST", path: "/forgot-password", form: { email: "sonde@example.no" }, as: "public", expect: "any" },
    ],
  },
  "routes/reset-password.$token": {
    pattern: "/reset-password/:token",
    attempts: () => [
      { method: "GET", path: `/reset-password/${"a".repeat(32)}`, as: "public", expect: "any" },
      { method: "POST", path: `/reset-password/${"a".repeat(32)}`, form: { password: "langt-nok-passord", confirm: "langt-nok-passord" }, as: "public", expect: "any" },
    ],
  },
  "routes/healthz": {
    pattern: "/healthz",
    attempts: () => [{ method: "GET", path: "/healthz", as: "public", expect: "any" }],
  },
  "routes/webhooks.stripe": {
    pattern: "/webhooks/stripe",
    attempts: (v) => [
      { method: "GET", path: "/webhooks/stripe", as: "public", expect: "any" },
      // An unsigned "paid" event naming B's booking.
      {
        method: "POST",
        path: "/webhooks/stripe",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          id: `evt_probe_${v.bookingId}`,
          object: "event",
          type: "checkout.session.completed",
          data: { object: { id: `cs_probe_${v.bookingId}`, object: "checkout.session", metadata: { bookingId: v.bookingId, tenantId: v.tenantId }, payment_status: "paid" } },
        }),
        as: "public",
        expect: "any",
      },
    ],
  },

  // ---- staff (company roles: 403, whatever the id) ----------------------------------------
  "routes/staff._index": {
    pattern: "/staff",
    attempts: (v) => [
      { method: "GET", path: "/staff", as: "members", expect: STAFF },
      { method: "POST", path: "/staff?index", form: { year: v.year, name: "Sonde" }, as: "members", expect: STAFF },
    ],
  },
  "routes/staff.audit": {
    pattern: "/staff/audit",
    attempts: (v) => [{ method: "GET", path: `/staff/audit?before=1&company=${v.code}`, as: "members", expect: STAFF }],
  },
  "routes/staff.bookings": {
    pattern: "/staff/bookings",
    attempts: (v) => [
      { method: "GET", path: "/staff/bookings?show=to-invoice", as: "members", expect: STAFF },
      { method: "POST", path: "/staff/bookings", form: { intent: "cancel", tenantId: v.tenantId, bookingId: v.bookingId }, as: "members", expect: STAFF },
      { method: "POST", path: "/staff/bookings", form: { intent: "invoiced", tenantId: v.tenantId, bookingId: v.bookingId }, as: "members", expect: STAFF },
    ],
  },
  "routes/staff.coaching": {
    pattern: "/staff/coaching",
    attempts: (v) => [
      { method: "GET", path: "/staff/coaching", as: "members", expect: STAFF },
      { method: "POST", path: "/staff/coaching", form: { intent: "delete-slot", slotId: v.slotId }, as: "members", expect: STAFF },
      { method: "POST", path: "/staff/coaching", form: { intent: "booking-cap", cap: "1000" }, as: "members", expect: STAFF },
    ],
  },
  "routes/staff.companies._index": {
    pattern: "/staff/companies",
    attempts: (v) => [{ method: "GET", path: `/staff/companies?q=${v.code}`, as: "members", expect: STAFF }],
  },
  "routes/staff.companies.$code": {
    pattern: "/staff/companies/:code",
    attempts: (v) => [
      { method: "GET", path: `/staff/companies/${v.code}`, as: "members", expect: STAFF },
      { method: "POST", path: `/staff/companies/${v.code}`, form: { intent: "invite", email: "sonde@example.no", role: "manager" }, as: "members", expect: STAFF },
      { method: "POST", path: `/staff/companies/${v.code}`, form: { intent: "revoke-member", userId: v.userId }, as: "members", expect: STAFF },
      { method: "POST", path: `/staff/companies/${v.code}`, form: { intent: "change-role", userId: v.userId, role: "manager" }, as: "members", expect: STAFF },
      { method: "POST", path: `/staff/companies/${v.code}`, form: { intent: "revoke-invitation", invitationId: v.invitationId }, as: "members", expect: STAFF },
      { method: "POST", path: `/staff/companies/${v.code}`, form: { intent: "resend-invitation", invitationId: v.invitationId }, as: "members", expect: STAFF },
      { method: "POST", path: `/staff/companies/${v.code}`, form: { intent: "booking-cap", cap: "1000" }, as: "members", expect: STAFF },
    ],
  },
  // GET is refused (405) before anything else; POST is staff only. The route nests under the
  // staff company page, whose loader (staff only: 403) also runs for a `.data` GET.
  "routes/staff.companies.$code.export": {
    pattern: "/staff/companies/:code/export",
    attempts: (v) => [
      { method: "GET", path: `/staff/companies/${v.code}/export`, as: "members", expect: all(405), expectData: STAFF },
      { method: "POST", path: `/staff/companies/${v.code}/export`, form: { tenantId: v.tenantId }, as: "members", expect: STAFF },
    ],
  },
  "routes/staff.studies.$year._index": {
    pattern: "/staff/studies/:year",
    attempts: (v) => [
      { method: "GET", path: `/staff/studies/${v.year}`, as: "members", expect: STAFF },
      { method: "POST", path: `/staff/studies/${v.year}?index`, form: { intent: "publish" }, as: "members", expect: STAFF },
      { method: "POST", path: `/staff/studies/${v.year}?index`, form: { intent: "review", until: "2099-04-20T16:00" }, as: "members", expect: STAFF },
      { method: "POST", path: `/staff/studies/${v.year}?index`, form: { intent: "schedule", at: "2099-05-06T18:00" }, as: "members", expect: STAFF },
      { method: "POST", path: `/staff/studies/${v.year}?index`, form: { intent: "cancel-schedule" }, as: "members", expect: STAFF },
    ],
  },
  // The season's query queue and a query's page: staff only, whatever the study or query
  // (B's tenant id stands in for a query id: a uuid the route reads, refused before it).
  "routes/staff.studies.$year.results._index": {
    pattern: "/staff/studies/:year/results",
    attempts: (v) => [{ method: "GET", path: `/staff/studies/${v.year}/results`, as: "members", expect: STAFF }],
  },
  "routes/staff.studies.$year.results.download": {
    pattern: "/staff/studies/:year/results/download",
    attempts: (v) => [{ method: "GET", path: `/staff/studies/${v.year}/results/download?format=csv`, as: "members", expect: STAFF }],
  },
  "routes/staff.studies.$year.queries._index": {
    pattern: "/staff/studies/:year/queries",
    attempts: (v) => [{ method: "GET", path: `/staff/studies/${v.year}/queries?state=open&company=${v.code}&older=1`, as: "members", expect: STAFF }],
  },
  "routes/staff.studies.$year.queries.$id": {
    pattern: "/staff/studies/:year/queries/:id",
    attempts: (v) => [
      { method: "GET", path: `/staff/studies/${v.year}/queries/${v.tenantId}`, as: "members", expect: STAFF },
      { method: "POST", path: `/staff/studies/${v.year}/queries/${v.tenantId}`, form: { verdict: "accepted", note: "Sonde" }, as: "members", expect: STAFF },
    ],
  },
  "routes/staff.studies.$year.reports": {
    pattern: "/staff/studies/:year/reports",
    attempts: (v) => [
      { method: "GET", path: `/staff/studies/${v.year}/reports`, as: "members", expect: STAFF },
      { method: "POST", path: `/staff/studies/${v.year}/reports`, form: { intent: "build" }, as: "members", expect: STAFF },
    ],
  },
  "routes/staff.studies.$year.awards": {
    pattern: "/staff/studies/:year/awards",
    attempts: (v) => [
      { method: "GET", path: `/staff/studies/${v.year}/awards`, as: "members", expect: STAFF },
      { method: "POST", path: `/staff/studies/${v.year}/awards`, form: { intent: "pause", subject: `participant:${v.code}`, reason: "Sonde" }, as: "members", expect: STAFF },
      { method: "POST", path: `/staff/studies/${v.year}/awards`, form: { intent: "unpause", pauseId: "1" }, as: "members", expect: STAFF },
    ],
  },
  // Onboarding (issue 17): staff only, whatever the study, company or contacts file (B's upload
  // id stands in for a contacts upload: a uuid the route reads, refused before it).
  "routes/staff.studies.$year.onboarding._index": {
    pattern: "/staff/studies/:year/onboarding",
    attempts: (v) => [
      { method: "GET", path: `/staff/studies/${v.year}/onboarding?state=invited`, as: "members", expect: STAFF },
      { method: "POST", path: `/staff/studies/${v.year}/onboarding?index`, form: { intent: "remind", company: v.code }, as: "members", expect: STAFF },
    ],
  },
  "routes/staff.studies.$year.onboarding.contacts.$id": {
    pattern: "/staff/studies/:year/onboarding/contacts/:id",
    attempts: (v) => [
      { method: "GET", path: `/staff/studies/${v.year}/onboarding/contacts/${v.uploadId}`, as: "members", expect: STAFF },
      { method: "POST", path: `/staff/studies/${v.year}/onboarding/contacts/${v.uploadId}`, form: { intent: "send" }, as: "members", expect: STAFF },
    ],
  },
  "routes/staff.uploads.$id": {
    pattern: "/staff/uploads/:id",
    attempts: (v) => [
      { method: "GET", path: `/staff/uploads/${v.uploadId}`, as: "members", expect: STAFF },
      { method: "POST", path: `/staff/uploads/${v.uploadId}`, form: { intent: "commit" }, as: "members", expect: STAFF },
    ],
  },
  "routes/staff.upload-progress.$id": {
    pattern: "/staff/upload-progress/:id",
    attempts: (v) => [{ method: "GET", path: `/staff/upload-progress/${v.uploadId}`, as: "members", expect: STAFF }],
  },

  // ---- read API (A's Bearer token; a token reads as a viewer) -----------------------------
  "routes/api.v1.studies._index": {
    pattern: "/api/v1/studies",
    attempts: (v, k) => [
      {
        method: "GET",
        path: "/api/v1/studies",
        as: "token",
        expect: 200,
        // JSON ("year":2021) or, asked as .data, turbo-stream ("year",2021).
        check: (body) =>
          new RegExp(`"year"[:,]${v.year}\\b`).test(body)
            ? `lists the year ${v.year} A did not take part in`
            : new RegExp(`"year"[:,]${k.sharedYear}\\b`).test(body)
              ? null
              : `does not list A's own year ${k.sharedYear}`,
      },
      bearerPost("/api/v1/studies?index"),
    ],
  },
  "routes/api.v1.studies.$year.summary": {
    pattern: "/api/v1/studies/:year/summary",
    attempts: (v) => [{ method: "GET", path: `/api/v1/studies/${v.year}/summary`, as: "token", expect: 404 }, bearerPost(`/api/v1/studies/${v.year}/summary`)],
  },
  "routes/api.v1.studies.$year.queries": {
    pattern: "/api/v1/studies/:year/queries",
    attempts: (v) => [{ method: "GET", path: `/api/v1/studies/${v.year}/queries`, as: "token", expect: 404 }, bearerPost(`/api/v1/studies/${v.year}/queries`)],
  },
  "routes/api.v1.studies.$year.benchmark": {
    pattern: "/api/v1/studies/:year/benchmark",
    attempts: (v) => [{ method: "GET", path: `/api/v1/studies/${v.year}/benchmark`, as: "token", expect: 404 }, bearerPost(`/api/v1/studies/${v.year}/benchmark`)],
  },
  // The awards of a year are everyone's once published, but only to companies that took part in it.
  "routes/api.v1.studies.$year.awards": {
    pattern: "/api/v1/studies/:year/awards",
    attempts: (v) => [{ method: "GET", path: `/api/v1/studies/${v.year}/awards`, as: "token", expect: 404 }, bearerPost(`/api/v1/studies/${v.year}/awards`)],
  },
  "routes/api.v1.studies.$year.inquiries._index": {
    pattern: "/api/v1/studies/:year/inquiries",
    attempts: (v, k) => [
      { method: "GET", path: `/api/v1/studies/${v.year}/inquiries`, as: "token", expect: 404 },
      { method: "GET", path: `/api/v1/studies/${v.year}/inquiries?limit=100&channel=chat`, as: "token", expect: 404 },
      // A cursor placed on B's inquiry pages through A's own inquiries only.
      { method: "GET", path: `/api/v1/studies/${k.sharedYear}/inquiries?cursor=${v.cursor}&limit=100`, as: "token", expect: 200 },
      bearerPost(`/api/v1/studies/${v.year}/inquiries?index`),
    ],
  },
  "routes/api.v1.studies.$year.inquiries.$ref": {
    pattern: "/api/v1/studies/:year/inquiries/:ref",
    attempts: (v, k) => [
      { method: "GET", path: `/api/v1/studies/${k.sharedYear}/inquiries/${v.ref}`, as: "token", expect: 404 },
      { method: "GET", path: `/api/v1/studies/${v.year}/inquiries/${v.refOnlyB}`, as: "token", expect: 404 },
      { method: "GET", path: `/api/v1/studies/${v.year}/inquiries/${k.ownRef}`, as: "token", expect: 404 },
      bearerPost(`/api/v1/studies/${k.sharedYear}/inquiries/${v.ref}`),
    ],
  },
  // A's own plans only; B's plan id in the query is refused (the route takes no parameter).
  "routes/api.v1.plans": {
    pattern: "/api/v1/plans",
    attempts: (v) => [{ method: "GET", path: "/api/v1/plans", as: "token", expect: 200 }, { method: "GET", path: `/api/v1/plans?id=${v.planId}`, as: "token", expect: 400 }, bearerPost("/api/v1/plans")],
  },
  "routes/api.v1.openapi[.json]": {
    pattern: "/api/v1/openapi.json",
    attempts: () => [
      { method: "GET", path: "/api/v1/openapi.json", as: "public", expect: "any" },
      { method: "POST", path: "/api/v1/openapi.json", as: "public", expect: "any" },
    ],
  },
  "routes/api.v1.$": {
    pattern: "/api/v1/*",
    attempts: (v) => [
      { method: "GET", path: `/api/v1/studies/${v.year}/inquiries/${v.refOnlyB}/transcript`, as: "token", expect: 404 },
      { method: "GET", path: `/api/v1/bookings/${v.bookingId}`, as: "token", expect: 404 },
      bearerPost(`/api/v1/exports/${v.exportId}`),
    ],
  },
};
