import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { envelope, errorResponses, IdParams, noContent } from '../http/schemas.ts'
import {
  createScoringRule,
  deleteScoringRule,
  listScoringRules,
  RuleInput,
  RulePatch,
  updateScoringRule,
} from './rules.ts'
import {
  getContactScores,
  getScoringSettings,
  PreviewInput,
  previewScoring,
  recomputeContactScores,
  SettingsPatch,
  updateScoringSettings,
} from './service.ts'

const Kind = z.enum(['fit', 'engagement'])

export const ScoringRuleSchema = z
  .object({
    id: z.string(),
    kind: Kind,
    name: z.string(),
    position: z.number().describe('order in lists and explanations (fit rules first)'),
    condition: z
      .unknown()
      .describe(
        'fit: a filter of the filter language over contact fields; engagement: { types?, channels?, campaignIds?, urlContains?, eventNames? }',
      ),
    points: z.number(),
    isActive: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'ScoringRule' })

export const ScoreReasonSchema = z
  .object({
    ruleId: z.string(),
    kind: Kind,
    name: z.string(),
    points: z.number().describe('fit: the rule points; engagement: the decayed sum, to 0.1'),
    touches: z.number().optional().describe('engagement: how many touches matched'),
  })
  .meta({ id: 'ScoreReason' })

const ScoringSettingsSchema = z
  .object({
    halfLifeDays: z.number(),
    productFitThreshold: z.number(),
    updatedAt: z.string().nullable(),
    queued: z.number().describe('contacts waiting to be rescored'),
  })
  .meta({ id: 'ScoringSettings' })

const Distribution = z
  .object({
    fit: z.array(z.number()).describe('contacts per bucket 0-9, 10-19, …, 90-100'),
    engagement: z.array(z.number()),
    mql: z.number().describe('contacts before MQL that qualify by score'),
  })
  .meta({ id: 'ScoreDistribution' })

const ScoringPreviewSchema = z
  .object({
    rules: z.array(
      z.object({ index: z.number(), id: z.string().nullable(), contacts: z.number() }),
    ),
    current: Distribution,
    proposed: Distribution,
  })
  .meta({ id: 'ScoringPreview' })

export const ContactScoresSchema = z
  .object({
    fit: z.number().nullable().describe('null: not scored yet'),
    engagement: z.number().nullable(),
    scoredAt: z.string().nullable(),
    explanation: z.array(ScoreReasonSchema),
    history: z.array(
      z.object({
        recordedAt: z.string(),
        fit: z.number(),
        engagement: z.number(),
        cause: z.enum(['rules', 'touch', 'record', 'decay', 'manual']),
      }),
    ),
    mql: z.object({
      fitMin: z.number(),
      engagementMin: z.number(),
      predictiveInCharge: z.boolean().describe('the predictive model decides MQLs'),
      predictiveMin: z.number(),
      qualifies: z.boolean(),
    }),
    predictive: z
      .object({
        probability: z
          .number()
          .describe('chance of becoming a customer within 90 days of lead creation (0-1)'),
        scoredAt: z.string(),
        modelId: z.string(),
        factors: z
          .array(
            z.object({
              feature: z.string(),
              label: z.string(),
              value: z.union([z.string(), z.number()]).nullable(),
              contribution: z.number().describe('in log-odds: > 0 raises the probability'),
            }),
          )
          .describe('the top 5 contributing factors'),
      })
      .nullable()
      .describe('null until a predictive model has scored this contact'),
  })
  .meta({ id: 'ContactScores' })

const tags = ['Scoring']

/** Scores (issue 9): scoring rules, settings, preview and contact scores (docs/scoring.md). */
export function scoringRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/scoring/rules',
      {
        schema: {
          tags,
          summary: 'List the scoring rules',
          description: 'Fit rules first, then engagement rules, each by position.',
          response: { 200: envelope(z.array(ScoringRuleSchema)), ...errorResponses },
        },
      },
      async (request) => ({ data: await listScoringRules(ctx.db, request.principal) }),
    )
    app.post(
      '/scoring/rules',
      {
        schema: {
          tags,
          summary: 'Add a scoring rule',
          description:
            'Fit conditions are filters over contact fields; engagement conditions match touches. A rule with the same condition as another active rule is refused (400 naming condition). Every workspace contact is rescored in the background.',
          body: RuleInput,
          response: { 201: envelope(ScoringRuleSchema), ...errorResponses },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send({ data: await createScoringRule(ctx.db, request.principal, request.body) }),
    )
    app.patch(
      '/scoring/rules/:id',
      {
        schema: {
          tags,
          summary: 'Change a scoring rule',
          description: 'Any field, partially; a change rescores every contact in the background.',
          params: IdParams,
          body: RulePatch,
          response: { 200: envelope(ScoringRuleSchema), ...errorResponses },
        },
      },
      async (request) => ({
        data: await updateScoringRule(ctx.db, request.principal, request.params.id, request.body),
      }),
    )
    app.delete(
      '/scoring/rules/:id',
      {
        schema: {
          tags,
          summary: 'Delete a scoring rule',
          description: 'Every contact is rescored in the background.',
          params: IdParams,
          response: { ...noContent, ...errorResponses },
        },
      },
      async (request, reply) => {
        await deleteScoringRule(ctx.db, request.principal, request.params.id)
        return reply.status(204).send(null)
      },
    )
    app.get(
      '/scoring/settings',
      {
        schema: {
          tags,
          summary: 'The half-life of engagement points and the product-fit threshold',
          description: 'queued: contacts waiting to be rescored.',
          response: { 200: envelope(ScoringSettingsSchema), ...errorResponses },
        },
      },
      async (request) => ({ data: await getScoringSettings(ctx.db, request.principal) }),
    )
    app.patch(
      '/scoring/settings',
      {
        schema: {
          tags,
          summary: 'Change the half-life or the product-fit threshold',
          description:
            'A half-life change rescores every contact in the background; the threshold applies when deals are read.',
          body: SettingsPatch,
          response: { 200: envelope(ScoringSettingsSchema), ...errorResponses },
        },
      },
      async (request) => ({
        data: await updateScoringSettings(ctx.db, request.principal, request.body),
      }),
    )
    app.post(
      '/scoring/preview',
      {
        schema: {
          tags,
          summary: 'Preview a proposed set of scoring rules before saving it',
          description:
            'Per rule, the contacts it touches; the fit and engagement distributions now and with the proposed rules, and the contacts before MQL that would qualify. Nothing is saved.',
          body: PreviewInput,
          response: { 200: envelope(ScoringPreviewSchema), ...errorResponses },
        },
      },
      async (request) => ({
        data: await previewScoring(ctx.db, request.principal, request.body),
      }),
    )
    app.get(
      '/contacts/:id/scores',
      {
        schema: {
          tags,
          summary: "A contact's fit and engagement scores, why, and their history",
          description:
            'Null scores: not scored yet. history: one point per change, oldest first, the last 365 days.',
          params: IdParams,
          response: { 200: envelope(ContactScoresSchema), ...errorResponses },
        },
      },
      async (request) => ({
        data: await getContactScores(ctx.db, request.principal, request.params.id),
      }),
    )
    app.post(
      '/contacts/:id/scores/recompute',
      {
        schema: {
          tags,
          summary: 'Rescore a contact now (rather than within seconds, by the worker)',
          params: IdParams,
          response: { 200: envelope(ContactScoresSchema), ...errorResponses },
        },
      },
      async (request) => ({
        data: await recomputeContactScores(ctx.db, request.principal, request.params.id),
      }),
    )
  }
}
