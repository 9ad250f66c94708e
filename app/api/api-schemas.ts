// The read API's bodies and inputs (spec/cli-and-api.md, "Read API") as zod schemas.
// Every response is parsed through its schema before it is sent (unknown keys are
// stripped, so nothing a model adds leaks by accident), and the OpenAPI 3.1
// document at /api/v1/openapi.json is generated from these same schemas.

import * as z from "zod";
import { osloIsoDateTime } from "~/domain/oslo-time";
import { AGE_GROUPS } from "~/domain/age-group";
import { BANDS, CHANNELS, GENDERS, QUESTION_KINDS } from "~/domain/types";

/** Schemas registered here become named components of the OpenAPI document. */
export const apiRegistry = z.registry<{ id: string; description?: string }>();

const named = <T extends z.ZodType>(schema: T, id: string, description?: string): T => {
  apiRegistry.add(schema, description ? { id, description } : { id });
  return schema;
};

const score = (description: string) => z.number().min(0).max(100).describe(description);
const count = () => z.number().int().min(0);

export const ChannelSchema = named(z.enum(CHANNELS), "Channel", "phone, email (e-mail or contact form), chat or messenger");
export const BandSchema = named(
  z.enum(BANDS),
  "Band",
  "perfect: score 100; high: 80 ≤ score < 100; mid: 70 ≤ score < 80; low: score < 70, unanswered (0) included",
);
export const GenderSchema = named(z.enum(GENDERS), "Gender");
export const AgeGroupSchema = named(z.enum(AGE_GROUPS), "AgeGroup");

export const BandCountsSchema = named(
  z.object({ perfect: count(), high: count(), mid: count(), low: count() }),
  "BandCounts",
  "Numbers of inquiries per band.",
);

/** An object with a key per channel, each optional: only channels with inquiries are present. */
function byChannel<T extends z.ZodType>(schema: T) {
  return z.object({ phone: schema.optional(), email: schema.optional(), chat: schema.optional(), messenger: schema.optional() });
}

export const ErrorSchema = named(
  z.object({
    error: z.object({
      code: z.enum(["bad_request", "unauthorized", "forbidden", "not_found", "method_not_allowed", "payload_too_large", "rate_limited", "internal"]),
      message: z.string(),
    }),
  }),
  "Error",
);

const StudyStatusSchema = z
  .enum(["review", "published"])
  .describe("`review`: the company's own figures are preliminary (they may still change by a query) and no class or study figures exist yet; `published`: everything.");

export const StudySchema = named(
  z.object({
    year: z.number().int(),
    name: z.string(),
    status: StudyStatusSchema,
    reviewUntil: z.iso
      .datetime({ offset: true })
      .nullable()
      .describe("In review: the deadline for queries, in Norwegian time with its UTC offset. null once published."),
    classCode: z.string(),
    className: z.string(),
  }),
  "Study",
  "A study the company took part in, in review or published, with its class in that study.",
);
export const StudyListSchema = named(z.array(StudySchema), "StudyList", "Newest first.");

const nullableScore = (description: string) => score(description).nullable();

export const SummarySchema = named(
  z.object({
    year: z.number().int(),
    status: StudyStatusSchema,
    participantCode: z.string(),
    totalScore: nullableScore("Mean of all the company's inquiry scores, unanswered counted as 0 (null only without inquiries)."),
    answerRate: z.number().min(0).max(1).nullable().describe("Answered inquiries / all inquiries, 0..1."),
    inquiries: count(),
    bands: BandCountsSchema,
    byChannel: named(
      byChannel(
        z.object({
          inquiries: count(),
          score: score("Mean inquiry score on the channel."),
          stdDev: z.number().min(0).describe("Population standard deviation of the channel's inquiry scores."),
        }),
      ),
      "SummaryByChannel",
      "Only channels on which the company had inquiries.",
    ),
    byArea: z.array(
      named(
        z.object({
          code: z.string(),
          name: z.string(),
          score: nullableScore("Mean of the company's area scores where the area was scored; null if never."),
          classMean: nullableScore("Mean of the class participants' area scores; null when fewer than 3 companies of the class have a score in the area."),
          classBest: nullableScore("Best participant area score in the class; null as classMean."),
        }),
        "AreaFigures",
      ),
    ),
    variance: named(
      z.object({
        stdDev: z.number().min(0).nullable().describe("Population standard deviation of all inquiry scores."),
        iqr: z.number().min(0).nullable().describe("Interquartile range (QUARTILE.INC)."),
        min: nullableScore("Lowest inquiry score."),
        max: nullableScore("Highest inquiry score."),
      }),
      "Variance",
    ),
    cx: named(
      z.object({
        nps: z.number().int().min(-100).max(100).nullable(),
        csat: z.number().min(0).max(100).nullable().describe("% of answers 4–5 on the 1–5 scale."),
        ces: z.number().min(1).max(7).nullable().describe("Mean answer."),
      }),
      "CustomerExperience",
      "Unscored customer-experience figures; null when nobody answered.",
    ),
    class: named(
      z.object({
        code: z.string(),
        name: z.string(),
        participants: count(),
        mean: nullableScore("Mean of the participants' total scores; null when the class has fewer than 3 participants."),
        best: nullableScore("Best participant total score; null as mean."),
        rank: z.number().int().min(1).nullable().describe("1 = best, equal scores share the better rank; null as mean."),
      }),
      "ClassFigures",
    )
      .nullable()
      .describe("null while the study is in review: class figures exist only once it is published."),
  }),
  "Summary",
  "The company's figures in one study. Numbers carry the stored precision.",
);

export const InquiryListItemSchema = named(
  z.object({
    ref: z.string(),
    channel: ChannelSchema,
    contactedAt: z.iso.datetime({ offset: true }).describe("The first attempt, in Norwegian time with its UTC offset."),
    answered: z.boolean(),
    totalScore: score("The inquiry's stored total score (2 decimals)."),
    band: BandSchema,
    shopper: named(z.object({ gender: GenderSchema, ageGroup: AgeGroupSchema, region: z.string() }), "Shopper"),
  }),
  "InquiryListItem",
);

export const InquiryPageSchema = named(
  z.object({
    data: z.array(InquiryListItemSchema),
    meta: z.object({
      cursor: z.string().nullable().describe("Pass as ?cursor= for the next page; null on the last page."),
      hasNextPage: z.boolean(),
    }),
  }),
  "InquiryPage",
  "One page of inquiries, newest first.",
);

export const InquiryDetailSchema = named(
  InquiryListItemSchema.extend({
    attempts: z.number().int().min(1).max(2),
    waitSeconds: z.number().int().min(0).nullable(),
    agentName: z.string().nullable().describe("null when unknown or when the company hides its agents' names."),
    scenario: z.string(),
    comment: z.string().nullable(),
    transcript: z.string().nullable(),
    areas: z.array(
      z.object({ code: z.string(), name: z.string(), score: nullableScore("The area score on this inquiry; null where no question of the area applied.") }),
    ),
    questions: z.array(
      named(
        z.object({
          code: z.string(),
          text: z.string(),
          areaCode: z.string(),
          kind: z.enum(QUESTION_KINDS),
          points: z.number().int().min(0).nullable().describe("Points given (the answer itself for unscored kinds); null where not applicable."),
          maxPoints: z.number().int().min(1).nullable().describe("null for unscored kinds."),
          classMean: nullableScore(
            "Mean over the class's participants of points / maxPoints × 100; null for unscored kinds and when fewer than 3 companies of the class answered the question.",
          ),
        }),
        "QuestionResult",
      ),
    ),
  }),
  "InquiryDetail",
);

export const BenchmarkSchema = named(
  z.object({
    year: z.number().int(),
    all: z.object({
      participants: count(),
      inquiries: count(),
      mean: nullableScore("Mean of every participant's total score (each counts once); null when fewer than 3 companies took part."),
      bands: BandCountsSchema.nullable().describe("Band counts over the study's inquiries; null as mean."),
      byChannel: byChannel(
        z.object({
          inquiries: count(),
          mean: nullableScore("Mean of the participants' channel scores; null when fewer than 3 companies were contacted on the channel."),
          bands: BandCountsSchema.nullable().describe("null as mean."),
        }),
      ).describe("Only channels on which the study made inquiries."),
    }),
    class: z.object({
      code: z.string(),
      participants: count(),
      mean: nullableScore("null when the class has fewer than 3 participants (as best, rank and bands)."),
      best: nullableScore("Best participant total score."),
      rank: z.number().int().min(1).nullable(),
      bands: BandCountsSchema.nullable().describe("Band counts over the class's inquiries."),
    }),
    ranking: z
      .array(z.object({ rank: z.number().int().min(1), participantName: z.string(), totalScore: score("As published.") }))
      .nullable()
      .describe("The company's class as published, best first; null when the class has fewer than 3 participants."),
  }),
  "Benchmark",
  "The whole-study and class comparison of one published study.",
);

const AwardWinnersSchema = z
  .array(
    named(
      z.object({ participantName: z.string().describe("As published."), score: score("The score the award was decided on, at its stored precision.") }),
      "AwardWinner",
    ),
  )
  .describe("Equal scores share an award: then there is more than one winner.");

export const AwardsSchema = named(
  z.object({
    year: z.number().int(),
    overall: z.object({ winners: AwardWinnersSchema.describe("The highest total score of the study.") }),
    classes: z
      .array(z.object({ classCode: z.string(), className: z.string(), winners: AwardWinnersSchema }))
      .describe("Rank 1 of each class with at least 3 participants; a class without a winner is left out."),
    channels: z
      .array(z.object({ channel: ChannelSchema, winners: AwardWinnersSchema }))
      .describe("The highest channel score among participants with at least 5 inquiries on it; a channel without a winner is left out."),
  }),
  "Awards",
  "The awards of a published study (spec/season.md); a paused class or company takes no part.",
);

// ---- inputs ----------------------------------------------------------------

export const YearParamSchema = z
  .string()
  .regex(/^\d{4}$/, { error: "the year is four digits, e.g. 2021" })
  .transform(Number);

export const RefParamSchema = z.string().min(1).max(100);

/** Query of a route that takes none: any parameter is refused. */
export const NoQuerySchema = z.strictObject({});

const scoreParam = (description: string) =>
  z.coerce.number({ error: "must be a number from 0 to 100" }).min(0, { error: "must be at least 0" }).max(100, { error: "must be at most 100" }).optional().describe(description);

export const InquiryListQuerySchema = z
  .strictObject({
    cursor: z.string().max(400).optional().describe("meta.cursor of the previous page."),
    limit: z.coerce
      .number({ error: "must be a whole number from 1 to 100" })
      .int({ error: "must be a whole number from 1 to 100" })
      .min(1, { error: "must be at least 1" })
      .max(100, { error: "must be at most 100" })
      .optional()
      .describe("Page size, 1..100 (default 50)."),
    channel: ChannelSchema.optional().describe("Only inquiries on this channel."),
    band: BandSchema.optional().describe("Only inquiries in this band."),
    shopperGender: GenderSchema.optional().describe("Only inquiries by shoppers of this gender."),
    shopperRegion: z.string().min(1).max(100).optional().describe("Only inquiries by shoppers from this region (case-insensitive), e.g. Vestland."),
    minScore: scoreParam("Only inquiries with a total score ≥ this."),
    maxScore: scoreParam("Only inquiries with a total score ≤ this."),
  })
  .refine((q) => q.minScore === undefined || q.maxScore === undefined || q.minScore <= q.maxScore, {
    error: "minScore may not exceed maxScore",
    path: ["minScore"],
  });

// ---- serialisation ---------------------------------------------------------

/** A model's object with Dates → the JSON the schemas describe. */
export function withOsloTimes<T extends { contactedAt: Date }>(item: T): Omit<T, "contactedAt"> & { contactedAt: string } {
  return { ...item, contactedAt: osloIsoDateTime(item.contactedAt) };
}

// ---- the OpenAPI document --------------------------------------------------

const QuerySchema = named(
  z.object({
    id: z.string().uuid(),
    inquiryRef: z.string(),
    questionCode: z.string().nullable().describe("null: the query is on the inquiry as a whole."),
    state: z.enum(["open", "accepted", "partly_accepted", "rejected"]),
    reason: z.string(),
    answer: z.string().nullable().describe("Staff's note; null while open."),
    raisedAt: z.iso.datetime({ offset: true }).describe("Norwegian time with its UTC offset."),
    answeredAt: z.iso.datetime({ offset: true }).nullable(),
  }),
  "Query",
  "A query the company raised in the review window (spec/season.md).",
);
export const QueryListSchema = named(z.array(QuerySchema), "QueryList", "Newest first.");

const planValue = (description: string) => z.number().min(0).max(100).describe(description);

export const PlanMetricSchema = named(
  z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("area"), code: z.string().describe("The area's code, e.g. V."), name: z.string().nullable().describe("Its name in the newest study the company took part in.") }),
    z.object({ kind: z.literal("question"), code: z.string().describe("The question's code, e.g. V1."), name: z.string().nullable().describe("Its text in the newest study the company took part in.") }),
    z.object({ kind: z.literal("channel"), channel: ChannelSchema }),
    z.object({ kind: z.literal("responseTime"), channel: ChannelSchema, goalSeconds: z.number().int().min(1).describe("The goal: answered (or replied to) within this many seconds.") }),
  ]),
  "PlanMetric",
  "What a plan aims at. Every value of it is on a 0–100 scale: for area, question and channel the company's score as the pages show it (the mean of the stored scores of its inquiries); for responseTime the percentage of the company's inquiries on that channel answered within goalSeconds (an unanswered inquiry is outside every goal).",
);

const PlanSchema = named(
  z.object({
    id: z.string().uuid(),
    title: z.string(),
    metric: PlanMetricSchema,
    baseline: planValue("The metric's value in the newest published study when the plan was made (or its metric last changed); null when there was none.").nullable(),
    target: planValue("The value the plan aims to reach in the next study."),
    dueDate: z.iso.date().describe("YYYY-MM-DD (a date in Norway)."),
    status: z.enum(["planned", "in_progress", "done"]),
    result: z
      .object({
        year: z.number().int().describe("The study the result is from: the first published after the baseline's."),
        value: planValue("The metric's value in that study; null when the company has no such figure there.").nullable(),
        met: z.boolean().nullable().describe("value ≥ target; null when value is null."),
      })
      .nullable()
      .describe("null until the next study is published."),
  }),
  "Plan",
  "An action plan of the company (issue 18).",
);
export const PlanListSchema = named(z.array(PlanSchema), "PlanList", "Soonest due first.");

interface ApiOperation {
  path: string;
  summary: string;
  description?: string;
  response: z.ZodType;
  query: z.ZodObject;
  pathParams: { name: string; schema: z.ZodType; description: string }[];
  /** false for the document itself */
  authenticated?: boolean;
}

const yearParam = { name: "year", schema: YearParamSchema, description: "The study year, e.g. 2021." };

/** Every route of the read API; the document below is built from this list alone. */
export const API_OPERATIONS: ApiOperation[] = [
  {
    path: "/api/v1/studies",
    summary: "The published studies the company took part in",
    response: StudyListSchema,
    query: NoQuerySchema,
    pathParams: [],
  },
  {
    path: "/api/v1/studies/{year}/summary",
    summary: "The company's figures in one study",
    response: SummarySchema,
    query: NoQuerySchema,
    pathParams: [yearParam],
  },
  {
    path: "/api/v1/studies/{year}/queries",
    summary: "The company's queries of a study's results (review window)",
    description: "404 when the study is neither in review nor published, or the company did not take part.",
    response: QueryListSchema,
    query: NoQuerySchema,
    pathParams: [yearParam],
  },
  {
    path: "/api/v1/studies/{year}/inquiries",
    summary: "The company's inquiries, newest first, paged with a cursor",
    description: "Filters combine (AND). Follow meta.cursor until it is null; a cursor is opaque and tied to this ordering.",
    response: InquiryPageSchema,
    query: InquiryListQuerySchema,
    pathParams: [yearParam],
  },
  {
    path: "/api/v1/studies/{year}/inquiries/{ref}",
    summary: "One inquiry with every area and question result, comment and transcript",
    response: InquiryDetailSchema,
    query: NoQuerySchema,
    pathParams: [yearParam, { name: "ref", schema: RefParamSchema, description: "The inquiry's reference, e.g. KSP21-00017." }],
  },
  {
    path: "/api/v1/studies/{year}/benchmark",
    summary: "The whole-study and class comparison",
    description: "404 while the study is in review: the class and study figures are made when it is published.",
    response: BenchmarkSchema,
    query: NoQuerySchema,
    pathParams: [yearParam],
  },
  {
    path: "/api/v1/studies/{year}/awards",
    summary: "The winners of a published study: overall, per class and per channel",
    description: "404 before publication (in review, or while a scheduled publication has not yet happened) and when the company did not take part.",
    response: AwardsSchema,
    query: NoQuerySchema,
    pathParams: [yearParam],
  },
  {
    path: "/api/v1/plans",
    summary: "The company's action plans, with baseline, target and the next study's result",
    response: PlanListSchema,
    query: NoQuerySchema,
    pathParams: [],
  },
  {
    path: "/api/v1/openapi.json",
    summary: "This document",
    response: z.object({}).loose(),
    query: NoQuerySchema,
    pathParams: [],
    authenticated: false,
  },
];

const componentRef = (id: string) => `#/components/schemas/${id}`;

function without(object: Record<string, unknown>, ...keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)));
}

/** A parameter's schema; its description goes on the parameter itself. */
function inputSchema(schema: z.ZodType): Record<string, unknown> {
  return without(z.toJSONSchema(schema, { io: "input", target: "draft-2020-12", unrepresentable: "any" }), "$schema", "description");
}

const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: { $ref: componentRef("Error") } } } });

/** OpenAPI 3.1 of the read API, generated from the zod schemas above. */
export function buildOpenApiDocument() {
  const { schemas } = z.toJSONSchema(apiRegistry, { uri: componentRef, target: "draft-2020-12", unrepresentable: "any" }) as {
    schemas: Record<string, Record<string, unknown>>;
  };
  const components = Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, without(schema, "$schema", "$id")]));

  const paths: Record<string, unknown> = {};
  for (const op of API_OPERATIONS) {
    const id = apiRegistry.get(op.response)?.id;
    const parameters = [
      ...op.pathParams.map((p) => ({ name: p.name, in: "path", required: true, description: p.description, schema: inputSchema(p.schema) })),
      ...Object.entries(op.query.shape).map(([name, field]) => ({
        name,
        in: "query",
        required: !(field as z.ZodType).safeParse(undefined).success,
        ...((field as z.ZodType).description ? { description: (field as z.ZodType).description } : {}),
        schema: inputSchema(field as z.ZodType),
      })),
    ];
    const authenticated = op.authenticated !== false;
    paths[op.path] = {
      get: {
        operationId: op.path.replace(/^\/api\/v1\//, "").replace(/[{}]/g, "").replace(/[^a-zA-Z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? "").toUpperCase()),
        summary: op.summary,
        ...(op.description ? { description: op.description } : {}),
        ...(authenticated ? {} : { security: [] }),
        ...(parameters.length ? { parameters } : {}),
        responses: {
          "200": {
            description: op.summary,
            headers: { "Cache-Control": { description: "Always no-store.", schema: { type: "string" } } },
            content: { "application/json": { schema: id ? { $ref: componentRef(id) } : inputSchema(op.response) } },
          },
          "400": errorResponse("An unknown query parameter or a bad value; the message says which."),
          ...(authenticated
            ? {
                "401": errorResponse("No token, an unknown token or a revoked token."),
                "403": errorResponse("The token may not read this."),
                "404": errorResponse("No such study year for this company (a draft counts as none), or no such inquiry; for the benchmark also a study still in review."),
                "429": {
                  ...errorResponse("Too many requests with this token; wait Retry-After seconds."),
                  headers: { "Retry-After": { description: "Seconds to wait.", schema: { type: "integer" } } },
                },
              }
            : {}),
        },
      },
    };
  }

  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: {
      title: "Innsikt read API",
      version: "1.0.0",
      description:
        "A company's own results of Kundeserviceprisen for its BI tools. A token sees exactly what a viewer of its company sees. " +
        "Numbers are JSON numbers with the stored precision. Errors are { \"error\": { \"code\", \"message\" } }. " +
        "Each token may make 120 requests a minute.",
    },
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "A read-API token (iks_…) created by a manager under Settings → API tokens." },
      },
      schemas: components,
    },
  };
}
