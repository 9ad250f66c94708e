// The read API over HTTP (real server stack) against figures computed here, from the
// sample's raw points and expected-scores.csv, never with the app's own functions.
// Also: paging, filters, auth, the rate limit, the OpenAPI document, cross-tenant
// isolation and the managers' token page.
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "#db/client.server";
import * as s from "#db/schema";
import { createApiToken } from "~/models/accounts/api-token.server";
import { withTenant } from "#db/client.server";
import { publishStudy } from "~/models/studies/publish.server";
import { raiseQuery } from "~/models/studies/queries.server";
import { openReview } from "~/models/studies/season.server";
import { createSession, generateSessionToken } from "~/models/accounts/session.server";
import { writeStudy } from "~/models/studies/study-write.server";
import { createTestDatabase } from "../support/db";
import { addMember, createStudy, createTenant, createUser } from "../support/factories";
import { expectedScores, sampleStudy } from "../support/sample-study";
import { startTestServer, type TestServer } from "../support/server";

let database: Database;
let server: TestServer;
const data = sampleStudy(2021);
const expected = expectedScores();
const tenantIds = new Map<string, string>();
const tokens = new Map<string, string>();
/** A company of another study (2019) only, with canaries in its comments and transcripts. */
let other: Awaited<ReturnType<typeof createTenant>>;
const A = "kystbanken";
/** A classmate of A in 2021 whose comments get a canary. */
let B = "";
/** The first inquiry of company `code` in the 2023 draft (its refs are the 2021 ones with a D- prefix). */
const draft2023Ref = (code: string) => `D-${data.inquiries.find((i) => i.participantCode === code)!.ref}`;
const CANARY_2021 = "CANARY-2021-B-comment";

// ---- independent arithmetic -------------------------------------------------

type Raw = (typeof data.inquiries)[number];
const TOL = 1e-6;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const stdDevPop = (xs: number[]) => {
  const m = mean(xs);
  return Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
};
const quartileInc = (xs: number[], q: number) => {
  const v = [...xs].sort((a, b) => a - b);
  const pos = (v.length - 1) * q;
  const lo = Math.floor(pos);
  return v[lo]! + (pos - lo) * ((v[Math.min(lo + 1, v.length - 1)] ?? 0) - v[lo]!);
};
const bandOf = (x: number) => (x === 100 ? "perfect" : x >= 80 ? "high" : x >= 70 ? "mid" : "low");
const bandsOf = (scores: number[]) => ({
  perfect: scores.filter((x) => bandOf(x) === "perfect").length,
  high: scores.filter((x) => bandOf(x) === "high").length,
  mid: scores.filter((x) => bandOf(x) === "mid").length,
  low: scores.filter((x) => bandOf(x) === "low").length,
});
/** 100 × points / max rounded to 2 decimals, half up, in whole numbers (no float rounding). */
const pct2 = (points: number, max: number) => Math.floor((20000 * points + max) / (2 * max)) / 100;
const ageGroup = (age: number) => (age < 30 ? "18-29" : age >= 70 ? "70+" : `${Math.floor(age / 10) * 10}-${Math.floor(age / 10) * 10 + 9}`);
const { areas, questions } = data.questionnaire;
const scoredQuestions = questions.filter((q) => q.kind === "points");
const scoredAreas = areas.filter((a) => scoredQuestions.some((q) => q.areaCode === a.code));

const total = (i: Raw) => expected.get(i.ref)!;
const inquiriesOf = (code: string) => data.inquiries.filter((i) => i.participantCode === code);
const participantMean = (code: string) => mean(inquiriesOf(code).map(total));
const classOf = (code: string) => data.participants.find((p) => p.code === code)!;
const classmates = (code: string) => data.participants.filter((p) => p.classCode === classOf(code).classCode);
const shownClass = (code: string) => classmates(code).length >= 3;
const rankIn = (code: string) => 1 + classmates(code).filter((p) => participantMean(p.code) > participantMean(code) + 1e-9).length;

/** The inquiry's score in an area from its raw points; null where no scored question of the area was answered. */
function areaScore(i: Raw, areaCode: string): number | null {
  if (!i.answered) return null;
  let points = 0;
  let max = 0;
  for (const q of scoredQuestions) {
    if (q.areaCode !== areaCode || i.answers[q.code] === undefined) continue;
    points += i.answers[q.code]!;
    max += q.maxPoints!;
  }
  return max === 0 ? null : pct2(points, max);
}
function participantArea(code: string, areaCode: string): number | null {
  const xs = inquiriesOf(code)
    .map((i) => areaScore(i, areaCode))
    .filter((x): x is number => x !== null);
  return xs.length ? mean(xs) : null;
}
function participantQuestion(code: string, questionCode: string): number | null {
  const q = questions.find((x) => x.code === questionCode)!;
  const xs = inquiriesOf(code)
    .filter((i) => i.answers[questionCode] !== undefined)
    .map((i) => (i.answers[questionCode]! / q.maxPoints!) * 100);
  return xs.length ? mean(xs) : null;
}
function classAggregate(code: string, of: (participant: string) => number | null) {
  const xs = classmates(code)
    .map((p) => of(p.code))
    .filter((x): x is number => x !== null);
  // The anonymity rule per figure: fewer than 3 contributing companies and it is not shown.
  return { mean: xs.length >= 3 ? mean(xs) : null, best: xs.length >= 3 ? Math.max(...xs) : null };
}
const roundAway = (x: number) => Math.sign(x) * Math.round(Math.abs(x));

/** contacted_at as Norwegian time with its offset (DST began 2021-03-28 01:00 UTC). */
function osloIso(date: Date): string {
  const summer = date.getTime() >= Date.UTC(2021, 2, 28, 1);
  const offsetHours = summer ? 2 : 1;
  return `${new Date(date.getTime() + offsetHours * 3600_000).toISOString().slice(0, 19)}+0${offsetHours}:00`;
}

function expectClose(actual: unknown, wanted: number | null, label: string) {
  if (wanted === null) return expect(actual, label).toBeNull();
  expect(typeof actual, label).toBe("number");
  expect(Math.abs((actual as number) - wanted), `${label}: ${actual} vs ${wanted}`).toBeLessThan(TOL);
}

// ---- a small JSON Schema check, so the OpenAPI document is held to the real bodies ----

type JsonSchema = Record<string, unknown>;
function conforms(schema: JsonSchema, value: unknown, components: Record<string, JsonSchema>, path = "$"): string[] {
  if (typeof schema.$ref === "string") return conforms(components[schema.$ref.replace("#/components/schemas/", "")]!, value, components, path);
  const errors: string[] = [];
  if (Array.isArray(schema.anyOf)) {
    const ok = (schema.anyOf as JsonSchema[]).some((alt) => conforms(alt, value, components, path).length === 0);
    if (!ok) errors.push(`${path}: matches no alternative`);
  }
  const type = schema.type as string | string[] | undefined;
  if (type) {
    const types = Array.isArray(type) ? type : [type];
    const actual = value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
    const fits = types.some((t) => t === actual || (t === "integer" && Number.isInteger(value)) || (t === "number" && actual === "number"));
    if (!fits) return [`${path}: ${actual} is not ${types.join("|")}`];
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) errors.push(`${path}: ${String(value)} not in enum`);
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) errors.push(`${path}: below minimum`);
    if (typeof schema.maximum === "number" && value > schema.maximum) errors.push(`${path}: above maximum`);
  }
  if (typeof value === "string" && typeof schema.pattern === "string" && !new RegExp(schema.pattern).test(value)) errors.push(`${path}: pattern`);
  if (Array.isArray(value) && schema.items) value.forEach((v, i) => errors.push(...conforms(schema.items as JsonSchema, v, components, `${path}[${i}]`)));
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
    for (const key of (schema.required ?? []) as string[]) if (!(key in value)) errors.push(`${path}.${key}: missing`);
    for (const [key, v] of Object.entries(value)) {
      if (props[key]) errors.push(...conforms(props[key], v, components, `${path}.${key}`));
      else if (schema.additionalProperties === false) errors.push(`${path}.${key}: not in the schema`);
    }
  }
  return errors;
}

// ---- setup ------------------------------------------------------------------

/** A's tokens, one per group of tests, so no group spends another's rate-limit burst. */
const A_PURPOSES = ["studies", "list", "filters", "errors", "detail", "cross", "misc"] as const;
const tokenA = (purpose: (typeof A_PURPOSES)[number]) => tokens.get(`${A}:${purpose}`)!;

const api = (path: string, token: string | null) =>
  server.fetch(path, token === null ? {} : { headers: { Authorization: `Bearer ${token}` } });
async function apiJson<T = Record<string, unknown>>(path: string, token: string | null): Promise<{ status: number; body: T; text: string; res: Response }> {
  const res = await api(path, token);
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as T, text, res };
}

let openapi: { paths: Record<string, { get: { responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }> } }>; components: { schemas: Record<string, JsonSchema> } };
function expectConforms(path: string, status: string, body: unknown) {
  const schema = openapi.paths[path]!.get.responses[status]!.content!["application/json"]!.schema;
  expect(conforms(schema, body, openapi.components.schemas), `${path} ${status}`).toEqual([]);
}

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  const { studyId } = await db.transaction((tx) => writeStudy(tx, data));
  await publishStudy(db, studyId);
  for (const row of await db.select({ id: s.participants.id, code: s.participants.code }).from(s.participants)) tenantIds.set(row.code, row.id);
  for (const p of data.participants) tokens.set(p.code, (await createApiToken(db, { tenantId: tenantIds.get(p.code)!, name: `BI ${p.code}`, createdBy: null })).token);
  for (const purpose of A_PURPOSES) {
    tokens.set(`${A}:${purpose}`, (await createApiToken(db, { tenantId: tenantIds.get(A)!, name: `BI ${purpose}`, createdBy: null })).token);
  }

  B = classmates(A).find((p) => p.code !== A)!.code;
  await db.execute(sql`update inquiries set comment = ${CANARY_2021} || coalesce(comment, ''), transcript = ${CANARY_2021} where tenant_id = ${tenantIds.get(B)!}`);

  // A study only another company took part in, published; and a draft A is in.
  const study2019 = await createStudy(db, { year: 2019, status: "draft" });
  other = await createTenant(db, study2019, { name: "Annen Bank", scores: [90, 75, 0] });
  await publishStudy(db, study2019.study.id);
  tokens.set("other", (await createApiToken(db, { tenantId: other.tenantId, name: "other", createdBy: null })).token);
  const draft = sampleStudy(2023);
  draft.inquiries = draft.inquiries.map((i) => ({ ...i, ref: `D-${i.ref}` }));
  await db.transaction((tx) => writeStudy(tx, draft));

  server = await startTestServer(database);
  openapi = (await (await server.fetch("/api/v1/openapi.json")).json()) as typeof openapi;
}, 180_000);

afterAll(async () => {
  await server?.close();
  await database?.close();
});

// ---- figures ------------------------------------------------------------------

describe("GET /api/v1/studies", () => {
  it("lists the published studies the company took part in, with its class and status (the draft is not there)", async () => {
    const { status, body, res } = await apiJson("/api/v1/studies", tokenA("studies"));
    expect(status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const klass = classOf(A);
    expect(body).toEqual([{ year: 2021, name: "Kundeserviceprisen 2021", status: "published", reviewUntil: null, classCode: klass.classCode, className: klass.className }]);
    expectConforms("/api/v1/studies", "200", body);
  });
});

describe("GET /api/v1/studies/{year}/summary", () => {
  for (const participant of data.participants) {
    it(`${participant.code}: every figure as computed from the raw rows`, async () => {
      const code = participant.code;
      const { status, body } = await apiJson<Record<string, any>>("/api/v1/studies/2021/summary", tokens.get(code)!); // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(status).toBe(200);
      expectConforms("/api/v1/studies/{year}/summary", "200", body);
      const own = inquiriesOf(code);
      const scores = own.map(total);
      expect(Object.keys(body).sort()).toEqual(["answerRate", "bands", "byArea", "byChannel", "class", "cx", "inquiries", "participantCode", "status", "totalScore", "variance", "year"]);
      expect(body.year).toBe(2021);
      expect(body.participantCode).toBe(code);
      expectClose(body.totalScore, mean(scores), "totalScore");
      expectClose(body.answerRate, own.filter((i) => i.answered).length / own.length, "answerRate");
      expect(body.inquiries).toBe(own.length);
      expect(body.bands).toEqual(bandsOf(scores));

      const channels = [...new Set(own.map((i) => i.channel))].sort();
      expect(Object.keys(body.byChannel).sort()).toEqual(channels);
      for (const channel of channels) {
        const xs = own.filter((i) => i.channel === channel).map(total);
        expect(body.byChannel[channel].inquiries).toBe(xs.length);
        expectClose(body.byChannel[channel].score, mean(xs), `${channel} score`);
        expectClose(body.byChannel[channel].stdDev, stdDevPop(xs), `${channel} stdDev`);
      }

      expect(body.byArea.map((a: { code: string }) => a.code)).toEqual(scoredAreas.map((a) => a.code));
      const shown = shownClass(code);
      for (const area of scoredAreas) {
        const got = body.byArea.find((a: { code: string }) => a.code === area.code);
        expect(got.name).toBe(area.name);
        expectClose(got.score, participantArea(code, area.code), `area ${area.code}`);
        const agg = classAggregate(code, (p) => participantArea(p, area.code));
        expectClose(got.classMean, shown ? agg.mean : null, `area ${area.code} classMean`);
        expectClose(got.classBest, shown ? agg.best : null, `area ${area.code} classBest`);
      }

      expectClose(body.variance.stdDev, stdDevPop(scores), "stdDev");
      expectClose(body.variance.iqr, quartileInc(scores, 0.75) - quartileInc(scores, 0.25), "iqr");
      expectClose(body.variance.min, Math.min(...scores), "min");
      expectClose(body.variance.max, Math.max(...scores), "max");

      const answersOf = (kind: string) =>
        questions.filter((q) => q.kind === kind).flatMap((q) => own.map((i) => i.answers[q.code]).filter((v): v is number => v !== undefined));
      const nps = answersOf("nps");
      const csat = answersOf("csat");
      expect(body.cx.nps).toBe(nps.length ? roundAway((100 * (nps.filter((v) => v >= 9).length - nps.filter((v) => v <= 6).length)) / nps.length) : null);
      expectClose(body.cx.csat, csat.length ? (100 * csat.filter((v) => v >= 4).length) / csat.length : null, "csat");
      expect(body.cx.ces).toBeNull(); // the sample has no CES question

      const mates = classmates(code).map((p) => participantMean(p.code));
      expect(body.class.code).toBe(participant.classCode);
      expect(body.class.name).toBe(participant.className);
      expect(body.class.participants).toBe(mates.length);
      expectClose(body.class.mean, shown ? mean(mates) : null, "class mean");
      expectClose(body.class.best, shown ? Math.max(...mates) : null, "class best");
      expect(body.class.rank).toBe(shown ? rankIn(code) : null);
    });
  }
});

describe("GET /api/v1/studies/{year}/benchmark", () => {
  for (const participant of data.participants) {
    it(`${participant.code}: whole study, class and ranking`, async () => {
      const code = participant.code;
      const { status, body } = await apiJson<Record<string, any>>("/api/v1/studies/2021/benchmark", tokens.get(code)!); // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(status).toBe(200);
      expectConforms("/api/v1/studies/{year}/benchmark", "200", body);
      const all = data.inquiries.map(total);
      expect(body.year).toBe(2021);
      expect(body.all.participants).toBe(data.participants.length);
      expect(body.all.inquiries).toBe(data.inquiries.length);
      expectClose(body.all.mean, mean(data.participants.map((p) => participantMean(p.code))), "all mean");
      expect(body.all.bands).toEqual(bandsOf(all));
      const channels = [...new Set(data.inquiries.map((i) => i.channel))].sort();
      expect(Object.keys(body.all.byChannel).sort()).toEqual(channels);
      for (const channel of channels) {
        const on = data.inquiries.filter((i) => i.channel === channel);
        const perParticipant = data.participants
          .map((p) => on.filter((i) => i.participantCode === p.code).map(total))
          .filter((xs) => xs.length > 0)
          .map(mean);
        expect(body.all.byChannel[channel].inquiries).toBe(on.length);
        expectClose(body.all.byChannel[channel].mean, mean(perParticipant), `${channel} mean`);
        expect(body.all.byChannel[channel].bands).toEqual(bandsOf(on.map(total)));
      }

      const mates = classmates(code);
      const shown = shownClass(code);
      const mateScores = mates.map((p) => participantMean(p.code));
      expect(body.class.code).toBe(participant.classCode);
      expect(body.class.participants).toBe(mates.length);
      expectClose(body.class.mean, shown ? mean(mateScores) : null, "class mean");
      expectClose(body.class.best, shown ? Math.max(...mateScores) : null, "class best");
      expect(body.class.rank).toBe(shown ? rankIn(code) : null);
      expect(body.class.bands).toEqual(shown ? bandsOf(mates.flatMap((p) => inquiriesOf(p.code).map(total))) : null);
      if (!shown) {
        // The sample's Netthandel class has 2 participants: nothing of the other is shown.
        expect(body.ranking).toBeNull();
        return;
      }
      const ranking = [...mates].sort((x, y) => participantMean(y.code) - participantMean(x.code));
      expect(body.ranking.map((r: { participantName: string }) => r.participantName)).toEqual(ranking.map((p) => p.name));
      for (const [index, row] of (body.ranking as { rank: number; totalScore: number }[]).entries()) {
        expect(row.rank).toBe(rankIn(ranking[index]!.code));
        expectClose(row.totalScore, participantMean(ranking[index]!.code), "ranking score");
      }
      // Only the company's own class.
      expect(body.ranking).toHaveLength(mates.length);
    });
  }
});

// ---- inquiries ------------------------------------------------------------------

describe("GET /api/v1/studies/{year}/inquiries", () => {
  async function allPages(query: string, token: string) {
    const seen: Record<string, any>[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
    let cursor: string | null = null;
    for (let page = 0; page < 100; page++) {
      const sep = query ? "&" : "";
      const path: string = `/api/v1/studies/2021/inquiries?${query}${cursor ? `${sep}cursor=${encodeURIComponent(cursor)}` : ""}`;
      const { status, body }: { status: number; body: { data: Record<string, any>[]; meta: { cursor: string | null; hasNextPage: boolean } } } = // eslint-disable-line @typescript-eslint/no-explicit-any
        await apiJson(path, token);
      expect(status, JSON.stringify(body)).toBe(200);
      expectConforms("/api/v1/studies/{year}/inquiries", "200", body);
      seen.push(...body.data);
      expect(body.meta.hasNextPage).toBe(body.meta.cursor !== null);
      if (!body.meta.cursor) return seen;
      cursor = body.meta.cursor;
    }
    throw new Error("paging did not end");
  }

  it("pages through all 25 inquiries exactly once, newest first, each item as in the raw rows", async () => {
    const items = await allPages("limit=7", tokenA("list"));
    const own = inquiriesOf(A);
    expect(items).toHaveLength(own.length);
    expect(new Set(items.map((i) => i.ref)).size).toBe(own.length);
    expect(items.map((i) => i.ref).sort()).toEqual(own.map((i) => i.ref).sort());
    const times = items.map((i) => Date.parse(i.contactedAt));
    for (let k = 1; k < times.length; k++) expect(times[k]!).toBeLessThanOrEqual(times[k - 1]!);
    for (const item of items) {
      const raw = own.find((i) => i.ref === item.ref)!;
      expect(item).toEqual({
        ref: raw.ref,
        channel: raw.channel,
        contactedAt: osloIso(raw.contactedAt),
        answered: raw.answered,
        totalScore: total(raw),
        band: bandOf(total(raw)),
        shopper: { gender: raw.shopper.gender, ageGroup: ageGroup(raw.shopper.age), region: raw.shopper.region },
      });
    }
  });

  it("a default page holds everything on one page with no cursor", async () => {
    const { body } = await apiJson<{ data: unknown[]; meta: { cursor: string | null; hasNextPage: boolean } }>("/api/v1/studies/2021/inquiries", tokenA("list"));
    expect(body.data).toHaveLength(25);
    expect(body.meta).toEqual({ cursor: null, hasNextPage: false });
  });

  it("filters by channel, band, shopper gender and region, and score range, alone and together", async () => {
    const own = inquiriesOf(A);
    const cases: [string, (i: Raw) => boolean][] = [
      ["channel=chat", (i) => i.channel === "chat"],
      ["channel=email", (i) => i.channel === "email"],
      ["band=low", (i) => bandOf(total(i)) === "low"],
      ["band=high", (i) => bandOf(total(i)) === "high"],
      ["shopperGender=female", (i) => i.shopper.gender === "female"],
      [`shopperRegion=${encodeURIComponent(own[0]!.shopper.region)}`, (i) => i.shopper.region === own[0]!.shopper.region],
      ["minScore=80", (i) => total(i) >= 80],
      ["maxScore=70.5", (i) => total(i) <= 70.5],
      ["minScore=50&maxScore=90&channel=phone", (i) => total(i) >= 50 && total(i) <= 90 && i.channel === "phone"],
      ["band=mid&shopperGender=male", (i) => bandOf(total(i)) === "mid" && i.shopper.gender === "male"],
    ];
    for (const [query, test] of cases) {
      const items = await allPages(`${query}&limit=4`, tokenA("filters"));
      expect(items.map((i) => i.ref).sort(), query).toEqual(own.filter(test).map((i) => i.ref).sort());
    }
  });

  it("refuses unknown parameters, bad values and a broken cursor with 400 and a clear message", async () => {
    const bad: [string, RegExp][] = [
      ["foo=1", /Unknown query parameter "foo"/],
      ["channel=fax", /"channel"/],
      ["band=great", /"band"/],
      ["shopperGender=x", /"shopperGender"/],
      ["minScore=abc", /"minScore"/],
      ["minScore=101", /"minScore"/],
      ["minScore=90&maxScore=10", /minScore may not exceed maxScore/],
      ["limit=0", /"limit"/],
      ["limit=1.5", /"limit"/],
      ["channel=chat&channel=phone", /more than once/],
      ["channel=", /empty/],
      ["cursor=not-a-cursor", /cursor/],
      [`cursor=${Buffer.from(JSON.stringify(["newest", "2021-13-45T00:00:00.000000Z", "00000000-0000-4000-8000-000000000000"])).toString("base64url")}`, /cursor/],
      [`cursor=${Buffer.from(JSON.stringify(["oldest", "2021-01-01T00:00:00.000000Z", "00000000-0000-4000-8000-000000000000"])).toString("base64url")}`, /cursor/],
      [`cursor=${Buffer.from("{").toString("base64url")}`, /cursor/],
    ];
    for (const [query, message] of bad) {
      const { status, body, text } = await apiJson<{ error: { code: string; message: string } }>(`/api/v1/studies/2021/inquiries?${query}`, tokenA("errors"));
      expect(status, query).toBe(400);
      expect(body.error.code, query).toBe("bad_request");
      expect(body.error.message, query).toMatch(message);
      expect(Object.keys(body)).toEqual(["error"]);
      expect(text).not.toMatch(/at .*\.(ts|js):\d+/); // no stack trace
      expectConforms("/api/v1/studies/{year}/inquiries", "400", body);
    }
    for (const path of ["/api/v1/studies/abc/summary", "/api/v1/studies/2021/summary?x=1", "/api/v1/studies?year=2021", "/api/v1/studies/2021/benchmark?all=1"]) {
      const { status, body } = await apiJson<{ error: { code: string } }>(path, tokenA("errors"));
      expect(status, path).toBe(400);
      expect(body.error.code).toBe("bad_request");
    }
  });
});

describe("GET /api/v1/studies/{year}/inquiries/{ref}", () => {
  it("every inquiry of a company: list fields, attempts, wait, agent, texts, every area and question with the class mean", async () => {
    for (const code of [A, "handlekurven"]) {
      const shown = shownClass(code);
      for (const raw of inquiriesOf(code)) {
        const { status, body } = await apiJson<Record<string, any>>(`/api/v1/studies/2021/inquiries/${encodeURIComponent(raw.ref)}`, code === A ? tokenA("detail") : tokens.get(code)!); // eslint-disable-line @typescript-eslint/no-explicit-any
        expect(status, raw.ref).toBe(200);
        expectConforms("/api/v1/studies/{year}/inquiries/{ref}", "200", body);
        expect(body).toMatchObject({
          ref: raw.ref,
          channel: raw.channel,
          contactedAt: osloIso(raw.contactedAt),
          answered: raw.answered,
          totalScore: total(raw),
          band: bandOf(total(raw)),
          shopper: { gender: raw.shopper.gender, ageGroup: ageGroup(raw.shopper.age), region: raw.shopper.region },
          attempts: raw.attempts,
          waitSeconds: raw.waitSeconds,
          agentName: raw.agentName,
          scenario: raw.scenario,
          comment: raw.comment,
          transcript: raw.transcript,
        });
        expect(Object.keys(body.shopper).sort()).toEqual(["ageGroup", "gender", "region"]);
        expect(body.areas).toEqual(scoredAreas.map((a) => ({ code: a.code, name: a.name, score: areaScore(raw, a.code) })));
        expect(body.questions.map((q: { code: string }) => q.code)).toEqual(questions.map((q) => q.code));
        for (const q of questions) {
          const got = body.questions.find((x: { code: string }) => x.code === q.code);
          expect(got).toMatchObject({ text: q.text, areaCode: q.areaCode, kind: q.kind, points: raw.answers[q.code] ?? null, maxPoints: q.maxPoints });
          const classMean = shown && q.kind === "points" ? classAggregate(code, (p) => participantQuestion(p, q.code)).mean : null;
          expectClose(got.classMean, classMean, `${raw.ref} ${q.code} classMean`);
        }
      }
    }
  });

  it("hides agent names when the company asks for it", async () => {
    const raw = inquiriesOf(A).find((i) => i.agentName)!;
    await database.db.update(s.participants).set({ hideAgentNames: true }).where(eq(s.participants.id, tenantIds.get(A)!));
    try {
      const { body } = await apiJson<{ agentName: string | null }>(`/api/v1/studies/2021/inquiries/${raw.ref}`, tokenA("detail"));
      expect(body.agentName).toBeNull();
    } finally {
      await database.db.update(s.participants).set({ hideAgentNames: false }).where(eq(s.participants.id, tenantIds.get(A)!));
    }
  });

  it("an unknown ref is a 404", async () => {
    const { status, body } = await apiJson<{ error: { code: string } }>("/api/v1/studies/2021/inquiries/S21-9999", tokenA("detail"));
    expect(status).toBe(404);
    expect(body.error.code).toBe("not_found");
  });
});

// ---- isolation ------------------------------------------------------------------

describe("cross-tenant", () => {
  it("a year only another company took part in is 404 on every route, with nothing of it in the body", async () => {
    const paths = [
      "/api/v1/studies/2019/summary",
      "/api/v1/studies/2019/benchmark",
      "/api/v1/studies/2019/inquiries",
      ...other.inquiries.map((i) => `/api/v1/studies/2019/inquiries/${i.ref}`),
      ...other.inquiries.map((i) => `/api/v1/studies/2021/inquiries/${i.ref}`),
    ];
    for (const path of paths) {
      const { status, body, text } = await apiJson<{ error: { code: string } }>(path, tokenA("cross"));
      expect(status, path).toBe(404);
      expect(body.error.code).toBe("not_found");
      expect(text).not.toContain(other.canary);
      expect(text).not.toContain(other.code);
    }
    // The other company itself does see them.
    const own = await apiJson(`/api/v1/studies/2019/inquiries/${other.inquiries[0]!.ref}`, tokens.get("other")!);
    expect(own.status).toBe(200);
    expect(own.text).toContain(other.canary);
  });

  it("a classmate's inquiry refs in a shared year are 404, and nothing of its comments shows anywhere", async () => {
    for (const raw of inquiriesOf(B)) {
      const { status, text } = await apiJson(`/api/v1/studies/2021/inquiries/${raw.ref}`, tokenA("cross"));
      expect(status, raw.ref).toBe(404);
      expect(text).not.toContain(CANARY_2021);
    }
    for (const path of ["/api/v1/studies", "/api/v1/studies/2021/summary", "/api/v1/studies/2021/benchmark", "/api/v1/studies/2021/inquiries"]) {
      const { text } = await apiJson(path, tokenA("cross"));
      expect(text, path).not.toContain(CANARY_2021);
      for (const raw of inquiriesOf(B)) expect(text, path).not.toContain(`"${raw.ref}"`);
    }
    const own = await apiJson(`/api/v1/studies/2021/inquiries/${inquiriesOf(B)[0]!.ref}`, tokens.get(B)!);
    expect(own.text).toContain(CANARY_2021);
  });

  it("an unpublished study is 404 for a company that is in it", async () => {
    for (const path of ["/api/v1/studies/2023/summary", "/api/v1/studies/2023/benchmark", "/api/v1/studies/2023/inquiries", "/api/v1/studies/2023/inquiries/D-S21-0001"]) {
      expect((await api(path, tokenA("cross"))).status, path).toBe(404);
    }
  });
});

describe("GET /api/v1/studies/{year}/queries", () => {
  it("lists the company's own queries of a study in review, none of a classmate's; 404 for a draft or another company's year", async () => {
    const { db } = database;
    const [draft] = await db.select().from(s.studies).where(eq(s.studies.year, 2023));
    expect((await api("/api/v1/studies/2023/queries", tokenA("cross"))).status).toBe(404);
    await openReview(db, draft!.id, { until: new Date(Date.now() + 7 * 86_400_000), userId: null });
    const lead = await createUser(db);
    const raised = await withTenant(db, tenantIds.get(A)!, (scope) =>
      raiseQuery(scope, { year: 2023, ref: draft2023Ref(A), questionCode: null, reason: "Vi svarte innen fristen.", userId: lead.id, role: "teamlead" }),
    );
    await withTenant(db, tenantIds.get(B)!, (scope) =>
      raiseQuery(scope, { year: 2023, ref: draft2023Ref(B), questionCode: null, reason: `${CANARY_2021} klage`, userId: lead.id, role: "manager" }),
    );
    const { status, body, text } = await apiJson<Record<string, unknown>[]>("/api/v1/studies/2023/queries", tokenA("cross"));
    expect(status).toBe(200);
    expect(body).toEqual([
      { id: raised.id, inquiryRef: draft2023Ref(A), questionCode: null, state: "open", reason: "Vi svarte innen fristen.", answer: null, raisedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/), answeredAt: null },
    ]);
    expect(text).not.toContain(CANARY_2021);
    expectConforms("/api/v1/studies/{year}/queries", "200", body);
    expect((await apiJson("/api/v1/studies/2021/queries", tokenA("cross"))).body).toEqual([]);
    expect((await api("/api/v1/studies/2019/queries", tokenA("cross"))).status).toBe(404);
  });
});

// ---- auth, limits, errors ----------------------------------------------------------

describe("authentication", () => {
  it("401 without a token, with a malformed or unknown one, and with a revoked one", async () => {
    const { token, id } = await createApiToken(database.db, { tenantId: tenantIds.get(A)!, name: "soon revoked", createdBy: null });
    expect((await api("/api/v1/studies", token)).status).toBe(200);
    await database.db.update(s.apiTokens).set({ revokedAt: new Date() }).where(eq(s.apiTokens.id, id));
    const cases: [string, Record<string, string>][] = [
      ["none", {}],
      ["basic", { Authorization: "Basic dXNlcjpwYXNz" }],
      ["garbage", { Authorization: "Bearer garbage" }],
      ["unknown", { Authorization: `Bearer iks_${"a".repeat(32)}` }],
      ["revoked", { Authorization: `Bearer ${token}` }],
    ];
    for (const [name, headers] of cases) {
      for (const path of ["/api/v1/studies", "/api/v1/studies/2021/summary", "/api/v1/studies/2021/inquiries/S21-0001"]) {
        const res = await server.fetch(path, { headers });
        expect(res.status, `${name} ${path}`).toBe(401);
        expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
        expect(res.headers.get("cache-control")).toBe("no-store");
        const body = (await res.json()) as { error: { code: string; message: string } };
        expect(Object.keys(body)).toEqual(["error"]);
        expect(Object.keys(body.error).sort()).toEqual(["code", "message"]);
        expect(body.error.code).toBe("unauthorized");
      }
    }
  });

  it("records last use at most once a minute", async () => {
    const { token, id } = await createApiToken(database.db, { tenantId: tenantIds.get(A)!, name: "last used", createdBy: null });
    const lastUsed = async () => (await database.db.select({ at: s.apiTokens.lastUsedAt }).from(s.apiTokens).where(eq(s.apiTokens.id, id)))[0]!.at;
    expect(await lastUsed()).toBeNull();
    await api("/api/v1/studies", token);
    const first = await lastUsed();
    expect(first).toBeInstanceOf(Date);
    await api("/api/v1/studies", token);
    expect((await lastUsed())!.getTime()).toBe(first!.getTime());
    await database.db.update(s.apiTokens).set({ lastUsedAt: new Date(Date.now() - 61_000) }).where(eq(s.apiTokens.id, id));
    await api("/api/v1/studies", token);
    expect((await lastUsed())!.getTime()).toBeGreaterThan(Date.now() - 10_000);
  });

  it("429 with Retry-After once a token's burst is spent; other tokens are unaffected", async () => {
    const { token } = await createApiToken(database.db, { tenantId: tenantIds.get(A)!, name: "burst", createdBy: null });
    const started = Date.now();
    const responses = await Promise.all(Array.from({ length: 140 }, () => api("/api/v1/studies", token)));
    const refilled = Math.ceil(((Date.now() - started) / 60_000) * 120); // 120 a minute trickle back in
    const statuses = responses.map((r) => r.status);
    const limited = responses.filter((r) => r.status === 429);
    expect(statuses.filter((x) => x === 200).length).toBeGreaterThanOrEqual(120);
    expect(statuses.filter((x) => x === 200).length).toBeLessThanOrEqual(120 + refilled);
    expect(limited.length).toBeGreaterThan(0);
    expect(statuses.every((x) => x === 200 || x === 429)).toBe(true);
    const res = limited[0]!;
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("rate_limited");
    await Promise.all(responses.filter((r) => r !== res).map((r) => r.body?.cancel()));
    expect((await api("/api/v1/studies", tokens.get(B)!)).status).toBe(200);
  });

  it("two app processes share a token's budget: the 121st request across both gets 429 with Retry-After", async () => {
    // A second copy of the build has its own module state, as another process on the same database would.
    const second = await startTestServer(database, { instance: "second-process" });
    try {
      const { token } = await createApiToken(database.db, { tenantId: tenantIds.get(A)!, name: "two processes", createdBy: null });
      const get = (via: TestServer) => via.fetch("/api/v1/studies", { headers: { Authorization: `Bearer ${token}` } });
      const statuses: number[] = [];
      for (let i = 0; i < 60; i++) {
        for (const via of [server, second]) {
          const res = await get(via);
          await res.body?.cancel();
          statuses.push(res.status);
        }
      }
      expect(statuses.every((x) => x === 200)).toBe(true);
      const refused = await get(second);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
      expect((await get(server)).status).toBe(429);
    } finally {
      await second.close();
    }
  });

  it("unknown API paths are a JSON 404 and other methods a JSON 405", async () => {
    const missing = await apiJson<{ error: { code: string } }>("/api/v1/nothing-here", tokenA("misc"));
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("not_found");
    const post = await server.fetch("/api/v1/studies", { method: "POST", headers: { Authorization: `Bearer ${tokenA("misc")}` } });
    expect(post.status).toBe(405);
    expect(((await post.json()) as { error: { code: string } }).error.code).toBe("method_not_allowed");
  });
});

describe("GET /api/v1/openapi.json", () => {
  it("is an OpenAPI 3.1 document listing every route, with the error shape and bearer auth", async () => {
    const res = await server.fetch("/api/v1/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title).toBeTruthy();
    expect(doc.info.version).toBeTruthy();
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        "/api/v1/studies",
        "/api/v1/studies/{year}/summary",
        "/api/v1/studies/{year}/inquiries",
        "/api/v1/studies/{year}/inquiries/{ref}",
        "/api/v1/studies/{year}/benchmark",
        "/api/v1/studies/{year}/queries",
        "/api/v1/studies/{year}/awards",
        "/api/v1/plans",
        "/api/v1/openapi.json",
      ].sort(),
    );
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    for (const [path, item] of Object.entries(doc.paths as Record<string, any>)) { // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(item.get.responses["200"], path).toBeTruthy();
      for (const name of (path.match(/\{(\w+)\}/g) ?? []).map((x) => x.slice(1, -1))) {
        expect(item.get.parameters.some((p: { name: string; in: string; required: boolean }) => p.name === name && p.in === "path" && p.required), `${path} ${name}`).toBe(true);
      }
      if (path !== "/api/v1/openapi.json") for (const code of ["400", "401", "404", "429"]) expect(item.get.responses[code], `${path} ${code}`).toBeTruthy();
    }
    const listParams = doc.paths["/api/v1/studies/{year}/inquiries"].get.parameters.map((p: { name: string }) => p.name);
    for (const name of ["cursor", "channel", "band", "shopperGender", "shopperRegion", "minScore", "maxScore"]) expect(listParams).toContain(name);
    // Every $ref resolves.
    const refs = JSON.stringify(doc).match(/"\$ref":"([^"]+)"/g) ?? [];
    expect(refs.length).toBeGreaterThan(5);
    for (const ref of refs) {
      const id = /#\/components\/schemas\/([^"]+)/.exec(ref)?.[1];
      expect(id && doc.components.schemas[id], ref).toBeTruthy();
    }
    expect(doc.components.schemas.Error.properties.error.required.sort()).toEqual(["code", "message"]);
  });
});

// ---- the managers' token page ----------------------------------------------------------

describe("token page /company/settings/tokens", () => {
  let managerA: string;
  let viewerA: string;
  let managerB: string;

  async function cookieFor(tenantCode: string, role: "manager" | "teamlead" | "viewer") {
    const user = await createUser(database.db, { name: `${role} ${tenantCode}` });
    await addMember(database.db, tenantIds.get(tenantCode)!, user.id, role);
    const token = generateSessionToken();
    await createSession(database.db, token, user.id);
    return `innsikt_session=${token}`;
  }

  beforeAll(async () => {
    managerA = await cookieFor(A, "manager");
    viewerA = await cookieFor(A, "viewer");
    managerB = await cookieFor(B, "manager");
  });

  const createToken = async (cookie: string, name: string) => {
    const res = await server.fetch("/company/settings/tokens", { form: { intent: "create", name }, cookie });
    const html = await res.text();
    return { res, html, token: /iks_[a-z2-7]{32}/.exec(html)?.[0] ?? null };
  };

  it("a manager creates a token, sees it once, it works, and its plaintext is stored nowhere", async () => {
    const page = await server.fetch("/company/settings/tokens", { cookie: managerA });
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("no-store");
    const html = await page.text();
    expect(html).toContain("API-nøkler");
    expect(html).toContain('<label for="token-name"');

    const { res, html: created, token } = await createToken(managerA, "Power BI – kvartal");
    expect(res.status).toBe(200);
    expect(token).not.toBeNull();
    expect(created).toContain("vises bare denne ene gangen");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect((await api("/api/v1/studies", token)).status).toBe(200);

    // Shown once: the list afterwards names it but never shows it.
    const again = await (await server.fetch("/company/settings/tokens", { cookie: managerA })).text();
    expect(again).toContain("Power BI – kvartal");
    expect(again).not.toContain(token!);
    expect(again).not.toMatch(/iks_[a-z2-7]{32}/);

    // Nowhere in the database, in any table or column.
    const tables = await database.db.execute(sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`);
    const names = (Array.isArray(tables) ? tables : (tables as { rows: { table_name: string }[] }).rows).map((r) => (r as { table_name: string }).table_name);
    expect(names).toContain("api_tokens");
    for (const table of names) {
      const rows = await database.db.execute(sql.raw(`select t::text as row from "${table}" t`));
      const text = JSON.stringify(Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows);
      expect(text, table).not.toContain(token!);
      expect(text, table).not.toContain(token!.slice(4));
    }
  });

  it("a manager revokes a token; it then gets 401, and the list says so", async () => {
    const { token } = await createToken(managerA, "to revoke");
    const [row] = await database.db.select({ id: s.apiTokens.id }).from(s.apiTokens).where(eq(s.apiTokens.name, "to revoke"));
    const res = await server.fetch("/company/settings/tokens", { form: { intent: "revoke", tokenId: row!.id }, cookie: managerA });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("er trukket tilbake");
    expect((await api("/api/v1/studies", token)).status).toBe(401);
  });

  it("a name is required: 400 with the reason", async () => {
    const { res, html, token } = await createToken(managerA, "   ");
    expect(res.status).toBe(400);
    expect(token).toBeNull();
    expect(html).toContain("Skriv et navn på nøkkelen.");
  });

  it("a viewer gets 403 on the page and its form, and no token is made", async () => {
    const before = (await database.db.select().from(s.apiTokens)).length;
    expect((await server.fetch("/company/settings/tokens", { cookie: viewerA })).status).toBe(403);
    const { res, token } = await createToken(viewerA, "viewer's token");
    expect(res.status).toBe(403);
    expect(token).toBeNull();
    expect((await database.db.select().from(s.apiTokens)).length).toBe(before);
  });

  it("a manager of A cannot revoke Token for B by its id (404), and Token for B keeps working", async () => {
    const { token: tokenB } = await createToken(managerB, "Token for B");
    const [row] = await database.db.select({ id: s.apiTokens.id, tenantId: s.apiTokens.tenantId }).from(s.apiTokens).where(eq(s.apiTokens.name, "Token for B"));
    expect(row!.tenantId).toBe(tenantIds.get(B));
    const res = await server.fetch("/company/settings/tokens", { form: { intent: "revoke", tokenId: row!.id }, cookie: managerA });
    expect(res.status).toBe(404);
    expect((await api("/api/v1/studies", tokenB)).status).toBe(200);
    const [after] = await database.db.select({ revokedAt: s.apiTokens.revokedAt }).from(s.apiTokens).where(eq(s.apiTokens.id, row!.id));
    expect(after!.revokedAt).toBeNull();
    // Nor does A's list show it.
    expect(await (await server.fetch("/company/settings/tokens", { cookie: managerA })).text()).not.toContain("Token for B");
    // A malformed id is a 404 too, never a 500.
    expect((await server.fetch("/company/settings/tokens", { form: { intent: "revoke", tokenId: "x" }, cookie: managerA })).status).toBe(404);
  });
});
