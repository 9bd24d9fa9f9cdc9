import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { envelope, errorResponses, Id, listEnvelope } from '../http/schemas.ts'
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
