import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { attributionModels } from '../../domain/attribution/types.ts'
import type { AppContext } from '../context.ts'
import { envelope, errorResponses } from '../http/schemas.ts'
import {
  getAttributionSettings,
  getAttributionStatus,
  requestAttributionRecompute,
  updateAttributionSettings,
} from './service.ts'
import { AttributionSettingsPatch } from './settings.ts'

const Weights = z.object({
  FT: z.number(),
  LC: z.number(),
  OC: z.number(),
  CW: z.number(),
  others: z.number(),
})

export const AttributionSettingsSchema = z
  .object({
    defaultModel: z
      .enum(attributionModels)
      .describe('the model whose per-touch credits are stored'),
    lookbackDays: z.number().describe('touches older than this before a conversion earn nothing'),
    halfLifeDays: z.number().describe('time decay: weight halves every so many days'),
    customWeights: Weights.describe('the custom model: weights per milestone and for the others'),
    includeSalesTouches: z.boolean().describe("whether reps' logged activities count as touches"),
    sourcedBy: z
      .enum(['first_touch', 'lead_creation'])
      .describe("sourced pipeline follows the deal's first touch or its lead-creation touch"),
    updatedAt: z.string().nullable(),
  })
  .meta({ id: 'AttributionSettings' })

export const AttributionStatusSchema = z
  .object({
    status: z.enum(['idle', 'queued', 'running', 'failed']),
    queuedAt: z.string().nullable().describe('when a recompute was last asked for'),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable().describe('when the stored credits were computed'),
    model: z.string().nullable().describe('the default model of the stored per-touch credits'),
    missingRates: z
      .array(z.string())
      .describe(
        'currencies of deals with no exchange rate to the base currency (their value counts 0)',
      ),
    error: z.string().nullable().describe('why the last recompute failed'),
  })
  .meta({ id: 'AttributionStatus' })

const tags = ['Attribution']

/** Attribution (issues 11-12): the workspace's settings (docs/attribution.md). */
export function attributionRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/attribution/settings',
      {
        schema: {
          tags,
          summary: 'The default model, lookback window and other attribution settings',
          response: { 200: envelope(AttributionSettingsSchema), ...errorResponses },
        },
      },
      async (request) => ({ data: await getAttributionSettings(ctx.db, request.principal) }),
    )
    app.patch(
      '/attribution/settings',
      {
        schema: {
          tags,
          summary: 'Change the attribution settings (admins and marketing)',
          description: `Models: ${attributionModels.join(', ')}. Custom weights must add up to 1.`,
          body: AttributionSettingsPatch,
          response: { 200: envelope(AttributionSettingsSchema), ...errorResponses },
        },
      },
      async (request) => ({
        data: await updateAttributionSettings(ctx.db, request.principal, request.body),
      }),
    )
    app.get(
      '/attribution/status',
      {
        schema: {
          tags,
          summary: 'When attribution was last recomputed, and whether a recompute is queued',
          response: { 200: envelope(AttributionStatusSchema), ...errorResponses },
        },
      },
      async (request) => ({ data: await getAttributionStatus(ctx.db, request.principal) }),
    )
    app.post(
      '/attribution/recompute',
      {
        schema: {
          tags,
          summary: 'Recompute every model from the records now (admins and marketing)',
          description: 'Answers 202 with the queued status; the worker recomputes within seconds.',
          response: { 202: envelope(AttributionStatusSchema), ...errorResponses },
        },
      },
      async (request, reply) =>
        reply
          .status(202)
          .send({ data: await requestAttributionRecompute(ctx.db, request.principal) }),
    )
  }
}
