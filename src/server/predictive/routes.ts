import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { envelope, errorResponses } from '../http/schemas.ts'
import { readModelState, requestRetrain } from './service.ts'

const LearnerReport = z.object({ auc: z.number(), logLoss: z.number(), brier: z.number() })

export const PredictiveModelState = z
  .object({
    eligibility: z
      .object({
        leads: z.number().describe('leads created in the last 200 days'),
        conversions: z.number().describe('contacts that became customers in the last 200 days'),
        minLeads: z.number(),
        minConversions: z.number(),
        eligible: z.boolean().describe('whether the model may be put in charge of the MQL rule'),
      })
      .describe('DEFINITIONS.md: at least 1,000 leads and 120 conversions in the last 200 days'),
    inCharge: z.boolean().describe('whether the model decides MQLs (the MQL rules)'),
    predictiveMin: z.number().describe('the probability P at which the model makes an MQL'),
    training: z.object({
      status: z.enum(['idle', 'queued', 'running', 'failed']),
      error: z
        .string()
        .nullable()
        .describe('why the last training failed or had not enough history'),
      startedAt: z.string().nullable(),
    }),
    model: z
      .object({
        id: z.string(),
        trainedAt: z.string(),
        learner: z.enum(['logistic', 'gbm']),
        leadsFrom: z.string().describe('lead creation date of the oldest training lead'),
        leadsTo: z.string().describe('lead creation date of the newest labelled lead'),
        sizes: z.object({
          train: z.number(),
          calibration: z.number(),
          holdout: z.number(),
          positives: z.number(),
          holdoutPositives: z.number(),
        }),
        learners: z.object({ logistic: LearnerReport, gbm: LearnerReport }),
        holdout: z.object({
          auc: z.number(),
          baselineAuc: z
            .number()
            .nullable()
            .describe('AUC of the rule-based score (fit + engagement at lead creation)'),
          calibration: z.array(
            z.object({
              lower: z.number(),
              upper: z.number(),
              predicted: z.number(),
              observed: z.number(),
              count: z.number(),
            }),
          ),
          gains: z.array(
            z.object({ share: z.number(), model: z.number(), baseline: z.number().nullable() }),
          ),
        }),
        importance: z.array(
          z.object({ feature: z.string(), label: z.string(), importance: z.number() }),
        ),
        scored: z.number().describe('contacts with a predictive score'),
      })
      .nullable()
      .describe('null until a model was trained'),
  })
  .meta({ id: 'PredictiveModelState' })

export function predictiveRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/predictive/model',
      {
        schema: {
          tags: ['Scores'],
          summary: "The workspace's predictive model: holdout accuracy, calibration, lift",
          description:
            'The newest trained model with its measurement on the time-ordered holdout (the newest 20 % of labelled leads), the rule-based score measured on the same holdout, the data thresholds of DEFINITIONS.md and the training status.',
          response: { 200: envelope(PredictiveModelState), ...errorResponses },
        },
      },
      async (request) => ({ data: await readModelState(ctx.db, request.principal) }),
    )
    app.post(
      '/predictive/model/retrain',
      {
        schema: {
          tags: ['Scores'],
          summary: 'Queue a training of the predictive model',
          description:
            'Needs scoring:manage (admin, marketing). The worker trains within seconds; poll GET /predictive/model while training.status is queued or running. Every contact is scored again after training.',
          response: { 202: envelope(PredictiveModelState), ...errorResponses },
        },
      },
      async (request, reply) =>
        reply.status(202).send({ data: await requestRetrain(ctx.db, request.principal) }),
    )
  }
}
