import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { envelope, errorResponses, Id, IdParams, listEnvelope } from '../http/schemas.ts'
import { CallQuery, callBuckets, forecastCall } from './call.ts'
import { listStageProbabilities } from './probabilities.ts'
import {
  AdjustmentInput,
  adjustForecast,
  listSubmissions,
  SubmissionInput,
  SubmissionQuery,
  submitForecast,
} from './submissions.ts'

const LearnedStage = z
  .object({
    stageId: z.string(),
    pipelineId: z.string(),
    name: z.string(),
    position: z.number().int(),
    isWon: z.boolean(),
    isLost: z.boolean(),
    prior: z.number().describe("The stage's configured win probability, 0-1"),
    closed: z.number().int().describe('Closed deals that were ever in the stage'),
    won: z.number().int().describe('Of those, the ones won'),
    probability: z
      .number()
      .describe('(won + 10 × prior) ÷ (closed + 10); 1 for a won stage, 0 for a lost one'),
  })
  .meta({ id: 'LearnedStageProbability' })

const Person = z.object({ id: z.string(), name: z.string() })

const Submission = z
  .object({
    id: z.string(),
    kind: z.enum(['submission', 'adjustment']),
    adjustsId: z.string().nullable().describe('The submission an adjustment adjusts'),
    rep: Person,
    periodKind: z.enum(['month', 'quarter']),
    periodKey: z.string(),
    startsOn: z.string(),
    endsOn: z.string().describe('The day after the last day'),
    commit: z.number().int(),
    bestCase: z.number().int(),
    pipeline: z.number().int(),
    currency: z.string().describe('The base currency: figures are its minor units'),
    note: z.string().nullable(),
    submittedBy: Person.nullable(),
    submittedAt: z.string(),
  })
  .meta({ id: 'ForecastSubmission' })

const Figures = z.object({
  commit: z.number().int(),
  bestCase: z.number().int(),
  pipeline: z.number().int(),
})

const CategoryAccuracy = z.object({
  accuracy: z.number().nullable().describe('1 − WAPE; null without actuals'),
  periods: z.number().int().describe('Closed periods with a submission made before they started'),
  forecast: z.number(),
  actual: z.number(),
  error: z.number().describe('Σ |figure − actual|'),
})

const CallFigures = {
  categories: z
    .object(
      Object.fromEntries(
        callBuckets.map((b) => [b, z.object({ amount: z.number(), count: z.number().int() })]),
      ) as Record<
        (typeof callBuckets)[number],
        z.ZodObject<{ amount: z.ZodNumber; count: z.ZodNumber }>
      >,
    )
    .describe(
      'Open deals closing in the period by forecast category (omitted left out), and closed_won: deals won in it; base currency',
    ),
  openPipeline: z.number(),
  weighted: z.number().describe('Σ open amount × learned stage probability'),
  won: z.number(),
  target: z.number().nullable().describe("The period's revenue target; null when none is set"),
  coverage: z
    .union([z.number(), z.literal('met')])
    .nullable()
    .describe('Open pipeline ÷ (target − won); met when nothing remains; null without a target'),
  accuracy: z.object({
    commit: CategoryAccuracy,
    bestCase: CategoryAccuracy,
    pipeline: CategoryAccuracy,
  }),
}

const Rollup = z.object({
  repIds: z.array(z.string()),
  submitted: Figures.extend({ reps: z.number().int() })
    .nullable()
    .describe("Σ the reps' latest submissions"),
  effective: Figures.extend({ reps: z.number().int() })
    .nullable()
    .describe('Σ the effective figures (adjustments when newer)'),
  ...CallFigures,
})

const ForecastCall = z
  .object({
    period: z.object({
      kind: z.enum(['month', 'quarter']),
      key: z.string(),
      startsOn: z.string(),
      endsOn: z.string(),
      closed: z.boolean(),
      timeZone: z.string(),
    }),
    team: Person.nullable(),
    baseCurrency: z.string(),
    missingRates: z.array(z.string()),
    accuracyPeriods: z.array(z.string()),
    canSubmit: z.boolean().describe('Whether the caller may submit their own forecast now'),
    reps: z.array(
      z.object({
        rep: Person,
        teams: z.array(Person),
        submission: Submission.nullable(),
        adjustment: Submission.nullable(),
        effective: Figures.extend({ source: z.enum(['submission', 'adjustment']) }).nullable(),
        canSubmit: z.boolean(),
        canAdjust: z.boolean(),
        ...CallFigures,
      }),
    ),
    teams: z.array(Rollup.extend({ team: Person })),
    company: Rollup,
    deals: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        ownerId: z.string().nullable(),
        ownerName: z.string().nullable(),
        amount: z.number(),
        currency: z.string(),
        amountInBase: z.number().nullable(),
        stageName: z.string(),
        probability: z.number(),
        weighted: z.number().nullable(),
        bucket: z.enum(callBuckets),
        closeDate: z.string().nullable(),
        closedAt: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'ForecastCall' })

export function forecastRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/forecast/stage-probabilities',
      {
        schema: {
          tags: ['Forecast'],
          summary: "Each stage's win probability, learned from the workspace's closed deals",
          description:
            'DEFINITIONS.md "Weighted pipeline": a Beta prior of 10 deals at the stage\'s configured probability, updated by the closed deals that were ever in the stage (by their stage changes). What weighted pipeline multiplies amounts by.',
          querystring: z.object({ pipelineId: Id.optional() }),
          response: { 200: z.object({ data: z.array(LearnedStage) }), ...errorResponses },
        },
      },
      async (request) => ({
        data: await listStageProbabilities(ctx.db, request.principal, request.query),
      }),
    )
    app.post(
      '/forecast/submissions',
      {
        schema: {
          tags: ['Forecast'],
          summary: 'Submit a forecast for an open month or fiscal quarter',
          description:
            'A new row every time (history kept). commit, bestCase and pipeline are minor units of the base currency; bestCase must be at least commit. A period that has ended answers 409. repId defaults to the caller; another rep needs forecast:manage as their team manager (or admin).',
          body: SubmissionInput,
          response: { 201: envelope(Submission), ...errorResponses },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send({ data: await submitForecast(ctx.db, request.principal, request.body) }),
    )
    app.post(
      '/forecast/submissions/:id/adjust',
      {
        schema: {
          tags: ['Forecast'],
          summary: "Adjust a rep's submission, with a note (their team's manager or an admin)",
          description:
            "Stored as a new row of kind adjustment pointing at the submission; figures left out keep the submission's. The note is required; a closed period answers 409.",
          params: IdParams,
          body: AdjustmentInput,
          response: { 201: envelope(Submission), ...errorResponses },
        },
      },
      async (request, reply) =>
        reply.status(201).send({
          data: await adjustForecast(ctx.db, request.principal, request.params.id, request.body),
        }),
    )
    app.get(
      '/forecast/submissions',
      {
        schema: {
          tags: ['Forecast'],
          summary: 'The history of forecast submissions and adjustments, newest first',
          querystring: SubmissionQuery,
          response: { 200: listEnvelope(Submission), ...errorResponses },
        },
      },
      async (request) => listSubmissions(ctx.db, request.principal, request.query),
    )
    app.get(
      '/forecast/call',
      {
        schema: {
          tags: ['Forecast'],
          summary: 'The forecast call of a period: submissions vs weighted vs coverage vs target',
          description:
            "Per rep: latest submission and adjustment, the deals behind each number by forecast category, weighted pipeline (learned stage probabilities), won so far, the revenue target, pipeline coverage and forecast accuracy (1 − WAPE) over the last 6 closed months or 4 closed quarters; rolled up by team (members at the call's moment) and for the company. Amounts in the base currency.",
          querystring: CallQuery,
          response: { 200: envelope(ForecastCall), ...errorResponses },
        },
      },
      async (request) => ({
        data: await forecastCall(ctx.db, request.principal, request.query),
      }),
    )
  }
}
