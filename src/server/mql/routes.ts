import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { envelope, errorResponses, noContent } from '../http/schemas.ts'
import {
  deleteMqlTarget,
  getMqlRules,
  listMqlTargets,
  MonthParams,
  MqlRulesPatch,
  MqlTargetInput,
  MqlTargetsQuery,
  setMqlTarget,
  updateMqlRules,
} from './service.ts'

export const MqlRules = z
  .object({
    fitMin: z.number().int(),
    engagementMin: z.number().int(),
    predictiveInCharge: z.boolean(),
    predictiveMin: z.number(),
    highIntentForms: z.boolean(),
    updatedAt: z.string().nullable().describe('null while the defaults apply'),
  })
  .meta({ id: 'MqlRules' })

export const MqlTarget = z
  .object({ month: z.string().describe('YYYY-MM'), target: z.number().int().nullable() })
  .meta({ id: 'MqlTarget' })

export function mqlRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/mql/rules',
      {
        schema: {
          tags: ['MQL'],
          summary: "The workspace's MQL rules: score thresholds and high-intent forms",
          description:
            'The defaults (fit ≥ 50, engagement ≥ 50, forms on) until someone changes them.',
          response: { 200: envelope(MqlRules), ...errorResponses },
        },
      },
      async (request) => ({ data: await getMqlRules(ctx.db, request.principal) }),
    )
    app.patch(
      '/mql/rules',
      {
        schema: {
          tags: ['MQL'],
          summary: 'Change the MQL rules',
          description:
            'Needs mql:manage (admin, marketing). predictiveInCharge: true needs the admin role (403 otherwise) and answers 409 until a predictive model is trained, or while the workspace has fewer than 1,000 leads or 120 conversions in the last 200 days.',
          body: MqlRulesPatch,
          response: { 200: envelope(MqlRules), ...errorResponses },
        },
      },
      async (request) => ({
        data: await updateMqlRules(ctx.db, request.principal, request.body),
      }),
    )
    app.get(
      '/mql/targets',
      {
        schema: {
          tags: ['MQL'],
          summary: 'Monthly MQL targets, each month of the range with its target or null',
          description:
            'Without from and to: the 6 months before the current one (workspace time zone), the current one and the 5 after. At most 60 months.',
          querystring: MqlTargetsQuery,
          response: { 200: envelope(z.array(MqlTarget)), ...errorResponses },
        },
      },
      async (request) => ({
        data: await listMqlTargets(ctx.db, request.principal, request.query),
      }),
    )
    app.put(
      '/mql/targets/:month',
      {
        schema: {
          tags: ['MQL'],
          summary: "Set a month's MQL target",
          description: 'Needs mql:manage (admin, marketing).',
          params: MonthParams,
          body: MqlTargetInput,
          response: { 200: envelope(MqlTarget), ...errorResponses },
        },
      },
      async (request) => ({
        data: await setMqlTarget(ctx.db, request.principal, request.params.month, request.body),
      }),
    )
    app.delete(
      '/mql/targets/:month',
      {
        schema: {
          tags: ['MQL'],
          summary: "Remove a month's MQL target",
          description: 'Needs mql:manage (admin, marketing).',
          params: MonthParams,
          response: { ...noContent, ...errorResponses },
        },
      },
      async (request, reply) => {
        await deleteMqlTarget(ctx.db, request.principal, request.params.month)
        return reply.status(204).send(null)
      },
    )
  }
}
