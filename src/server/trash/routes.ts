import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { Principal } from '../auth/principal.ts'
import type { AppContext } from '../context.ts'
import type { Database } from '../db/database.ts'
import { envelope, errorResponses, Id, IdParams, listEnvelope, noContent } from '../http/schemas.ts'
import { trashEntities } from './queries.ts'
import { listTrash, restoreFromTrash, TrashQuery } from './service.ts'

const TrashItem = z
  .object({
    entity: z.enum(trashEntities),
    id: z.string(),
    name: z.string().describe("the record's name, or an activity's subject"),
    deletedAt: z.string(),
    purgeOn: z.string().describe('the day (UTC) after which it is deleted for good'),
  })
  .meta({ id: 'TrashItem' })

export function trashRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/trash',
      {
        schema: {
          tags: ['Trash'],
          summary: 'Records of one entity deleted within the last 30 days, newest deletion first',
          querystring: TrashQuery,
          response: { 200: listEnvelope(TrashItem), ...errorResponses },
        },
      },
      async (request) => listTrash(ctx.db, request.principal, request.query),
    )
    app.post(
      '/trash/:entity/:id/restore',
      {
        schema: {
          tags: ['Trash'],
          summary: 'Restore a record from the Trash',
          description:
            'A unique key taken meanwhile (account domain, contact email, product name, campaign utm values) answers 409 naming the field; after 30 days, 404.',
          params: z.object({ entity: z.enum(trashEntities), id: Id }),
          response: {
            200: envelope(TrashItem.pick({ entity: true, id: true, name: true })),
            ...errorResponses,
          },
        },
      },
      async (request) => ({
        data: await restoreFromTrash(
          ctx.db,
          request.principal,
          request.params.entity,
          request.params.id,
        ),
      }),
    )
  }
}

/**
 * Adds the DELETE route of a record that goes to the Trash rather than away at once, e.g.
 * `DELETE /accounts/:id`, answered 204.
 */
export function addMoveToTrashRoute(
  app: Parameters<FastifyPluginAsyncZod>[0],
  ctx: AppContext,
  route: { path: string; tag: string; noun: string },
  moveToTrash: (db: Database, principal: Principal, id: string) => Promise<void>,
) {
  app.delete(
    route.path,
    {
      schema: {
        tags: [route.tag],
        summary: `Move ${route.noun} to the Trash (restorable for 30 days)`,
        params: IdParams,
        response: { ...noContent, ...errorResponses },
      },
    },
    async (request, reply) => {
      await moveToTrash(ctx.db, request.principal, request.params.id)
      return reply.status(204).send(null)
    },
  )
}
