import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { DealDetail } from '../deals/routes.ts'
import { envelope, errorResponses, IdParams } from '../http/schemas.ts'
import { overrideFit, removeFitOverride } from './service.ts'

const OverrideInput = z.object({
  reason: z
    .string()
    .trim()
    .min(10, 'write at least 10 characters: why this deal may go on despite its poor fit')
    .max(1000)
    .describe('why the deal may move on despite its poor fit (10-1000 characters)'),
})

/** Product fit (issue 9): a sales manager's override of the poor-fit guard. */
export function fitRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/deals/:id/fit-override',
      {
        schema: {
          tags: ['Deals'],
          summary: 'Override the poor-fit guard of a deal, with a reason',
          description:
            'Lets a deal flagged poor fit move into a proposal-or-later stage. Needs fit:override (sales managers and admins); audited as deal.fit_override with the reason. 400 when the deal is not flagged poor fit.',
          params: IdParams,
          body: OverrideInput,
          response: { 200: envelope(DealDetail), ...errorResponses },
        },
      },
      async (request) => ({
        data: await overrideFit(ctx.db, request.principal, request.params.id, request.body.reason),
      }),
    )
    app.delete(
      '/deals/:id/fit-override',
      {
        schema: {
          tags: ['Deals'],
          summary: "Remove a deal's fit override",
          description:
            'The poor-fit guard stands before the deal again. Needs fit:override; audited.',
          params: IdParams,
          response: { 200: envelope(DealDetail), ...errorResponses },
        },
      },
      async (request) => ({
        data: await removeFitOverride(ctx.db, request.principal, request.params.id),
      }),
    )
  }
}
