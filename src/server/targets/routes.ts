import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { envelope, errorResponses, IdParams, noContent } from '../http/schemas.ts'
import {
  createTarget,
  deleteTarget,
  getTarget,
  listTargets,
  TargetInput,
  TargetPatch,
  TargetsQuery,
  targetMetrics,
  targetPeriodKinds,
  targetSubjectKinds,
  updateTarget,
} from './service.ts'

export const Target = z
  .object({
    id: z.string(),
    subjectKind: z.enum(targetSubjectKinds),
    subjectId: z.string().describe("'' for the company, the team's id, or the rep's user id"),
    metric: z.enum(targetMetrics),
    periodKind: z.enum(targetPeriodKinds),
    periodKey: z.string().describe('2026-11-29, 2026-W48, 2026-11 or FY2027-Q1'),
    startsOn: z.string().describe("The period's first local day"),
    endsOn: z.string().describe('The day after its last'),
    amount: z.number().describe('Minor units of the base currency for money metrics, else a count'),
    updatedAt: z.date(),
    actual: z
      .number()
      .nullable()
      .describe('The actual over the period so far; null when an exchange rate is missing'),
    attainment: z.number().nullable().describe('actual ÷ amount; null when the amount is 0'),
    missingRates: z.array(z.string()),
  })
  .meta({ id: 'Target' })

export function targetRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/targets',
      {
        schema: {
          tags: ['Targets'],
          summary: 'Targets with their progress',
          description:
            'Targets of reps, teams and the company, in period order, each with its actual so far: revenue and deals won (deals won in the period), pipeline created (deals created), MQLs (handoffs created), SQLs (contacts entering sql). A team counts what its members owned while they were members. Keyset pages (limit ≤ 500).',
          querystring: TargetsQuery,
          response: {
            200: z.object({ data: z.array(Target), nextCursor: z.string().nullable() }),
            ...errorResponses,
          },
        },
      },
      async (request) => listTargets(ctx.db, request.principal, request.query),
    )
    app.get(
      '/targets/:id',
      {
        schema: {
          tags: ['Targets'],
          summary: 'One target with its progress',
          params: IdParams,
          response: { 200: envelope(Target), ...errorResponses },
        },
      },
      async (request) => ({
        data: await getTarget(ctx.db, request.principal, request.params.id),
      }),
    )
    app.post(
      '/targets',
      {
        schema: {
          tags: ['Targets'],
          summary: 'Set a target',
          description:
            'One target per subject, metric and period: a second answers 409 naming the first (details.existingId). The period kind follows from the key, in the workspace calendar (fiscal quarters from its fiscal-year start month). Negative amounts answer 400. MQL targets need mql:manage (admin, marketing), the others targets:manage (admin, sales manager).',
          body: TargetInput,
          response: { 201: envelope(Target), ...errorResponses },
        },
      },
      async (request, reply) => {
        const data = await createTarget(ctx.db, request.principal, request.body)
        return reply.code(201).send({ data })
      },
    )
    app.patch(
      '/targets/:id',
      {
        schema: {
          tags: ['Targets'],
          summary: "Change a target's amount",
          params: IdParams,
          body: TargetPatch,
          response: { 200: envelope(Target), ...errorResponses },
        },
      },
      async (request) => ({
        data: await updateTarget(ctx.db, request.principal, request.params.id, request.body),
      }),
    )
    app.delete(
      '/targets/:id',
      {
        schema: {
          tags: ['Targets'],
          summary: 'Remove a target',
          params: IdParams,
          response: { ...noContent, ...errorResponses },
        },
      },
      async (request, reply) => {
        await deleteTarget(ctx.db, request.principal, request.params.id)
        return reply.code(204).send(null)
      },
    )
  }
}
