import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { envelope, errorResponses, IdParams, listEnvelope } from '../http/schemas.ts'
import { IdentityMergeQuery, listIdentityMerges, undoIdentityMerge } from './service.ts'

const IdentityMerge = z
  .object({
    id: z.string(),
    contactId: z.string(),
    anonymousId: z.string().describe("the anonymous visitor's id whose touches joined the contact"),
    reason: z.enum(['identify', 'alias']),
    messageId: z.string().nullable().describe('the identify or alias message that made it'),
    touchpointsMoved: z.number().describe('earlier anonymous touches that joined the contact'),
    mergedAt: z.string(),
    undoneAt: z.string().nullable(),
    undoneBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  })
  .meta({ id: 'IdentityMerge' })

export function identityRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/identity-merges',
      {
        schema: {
          tags: ['Touchpoints'],
          summary: 'Identity merges: anonymous histories joined to contacts, newest first',
          querystring: IdentityMergeQuery,
          response: { 200: listEnvelope(IdentityMerge), ...errorResponses },
        },
      },
      async (request) => listIdentityMerges(ctx.db, request.principal, request.query),
    )
    app.post(
      '/identity-merges/:id/undo',
      {
        schema: {
          tags: ['Touchpoints'],
          summary: 'Undo an identity merge (admin)',
          description:
            "The anonymous id's touches leave the contact and the link is forgotten; the contact's first/last-touch UTM values and lead-creation touch are worked out again. 409 if already undone.",
          params: IdParams,
          response: { 200: envelope(IdentityMerge), ...errorResponses },
        },
      },
      async (request) => ({
        data: await undoIdentityMerge(ctx.db, request.principal, request.params.id),
      }),
    )
  }
}
