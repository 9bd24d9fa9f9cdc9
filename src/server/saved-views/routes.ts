import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { envelope, errorResponses, IdParams, listEnvelope, noContent } from '../http/schemas.ts'
import {
  createSavedView,
  deleteSavedView,
  listSavedViews,
  SavedViewInput,
  SavedViewQuery,
} from './service.ts'

export const SavedView = z
  .object({
    id: z.string(),
    entity: z.string(),
    name: z.string(),
    filter: z.unknown().describe('the filter language, or null'),
    sort: z.string().nullable(),
    columns: z.array(z.string()),
    createdAt: z.string(),
  })
  .meta({ id: 'SavedView' })

export function savedViewRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/saved-views',
      {
        schema: {
          tags: ['Saved views'],
          summary: "The signed-in person's saved views of one entity, by name",
          querystring: SavedViewQuery,
          response: { 200: listEnvelope(SavedView), ...errorResponses },
        },
      },
      async (request) => listSavedViews(ctx.db, request.principal, request.query),
    )
    app.post(
      '/saved-views',
      {
        schema: {
          tags: ['Saved views'],
          summary: 'Save a filter, sort and columns of a list',
          body: SavedViewInput,
          response: { 201: envelope(SavedView), ...errorResponses },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send({ data: await createSavedView(ctx.db, request.principal, request.body) }),
    )
    app.delete(
      '/saved-views/:id',
      {
        schema: {
          tags: ['Saved views'],
          summary: 'Delete one of your saved views',
          params: IdParams,
          response: { ...noContent, ...errorResponses },
        },
      },
      async (request, reply) => {
        await deleteSavedView(ctx.db, request.principal, request.params.id)
        return reply.status(204).send(null)
      },
    )
  }
}
