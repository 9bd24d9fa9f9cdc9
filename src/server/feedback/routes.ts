import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { envelope, errorResponses, IdParams } from '../http/schemas.ts'
import {
  addDefaultObjections,
  createFeedbackTag,
  deleteFeedbackTag,
  FeedbackTagInput,
  FeedbackTagPatch,
  FeedbackTagQuery,
  listFeedbackTags,
  updateFeedbackTag,
} from './service.ts'

export const FeedbackTag = z
  .object({
    id: z.string(),
    kind: z.enum(['objection', 'competitor']),
    name: z.string(),
    description: z.string().nullable(),
    archived: z.boolean(),
    archivedAt: z.string().nullable(),
    usage: z.number().describe('how many activities, handoff rejections and deals carry it'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'FeedbackTag' })

/** A tag as a tagged record shows it (activities, handoffs, deals). */
export const TagRefSchema = z
  .object({ id: z.string(), kind: z.enum(['objection', 'competitor']), name: z.string() })
  .meta({ id: 'FeedbackTagRef' })

const tags = ['Feedback']

export function feedbackRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/feedback-tags',
      {
        schema: {
          tags,
          summary: 'List the objections and competitors records can be tagged with',
          description:
            'Objections first, then competitors, by name; archived tags only with includeArchived=true. usage counts the records carrying each tag.',
          querystring: FeedbackTagQuery,
          response: { 200: envelope(z.array(FeedbackTag)), ...errorResponses },
        },
      },
      async (request) => ({
        data: await listFeedbackTags(ctx.db, request.principal, request.query),
      }),
    )
    app.post(
      '/feedback-tags',
      {
        schema: {
          tags,
          summary: 'Add an objection or a competitor to the taxonomy',
          description: 'Names are unique per kind, case-insensitively (409 naming name).',
          body: FeedbackTagInput,
          response: { 201: envelope(FeedbackTag), ...errorResponses },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send({ data: await createFeedbackTag(ctx.db, request.principal, request.body) }),
    )
    app.post(
      '/feedback-tags/defaults',
      {
        schema: {
          tags,
          summary: 'Add the default objections (those missing; running it again adds nothing)',
          response: {
            200: envelope(z.object({ added: z.number(), tags: z.array(FeedbackTag) })),
            ...errorResponses,
          },
        },
      },
      async (request) => ({ data: await addDefaultObjections(ctx.db, request.principal) }),
    )
    app.patch(
      '/feedback-tags/:id',
      {
        schema: {
          tags,
          summary: 'Rename, describe, archive or restore a feedback tag',
          description:
            'An archived tag stays on the records that carry it but can no longer be added to others.',
          params: IdParams,
          body: FeedbackTagPatch,
          response: { 200: envelope(FeedbackTag), ...errorResponses },
        },
      },
      async (request) => ({
        data: await updateFeedbackTag(ctx.db, request.principal, request.params.id, request.body),
      }),
    )
    app.delete(
      '/feedback-tags/:id',
      {
        schema: {
          tags,
          summary: 'Delete a feedback tag, or archive it when records use it',
          description: 'result says which: deleted (no record used it) or archived.',
          params: IdParams,
          response: {
            200: envelope(
              z.object({
                id: z.string(),
                result: z.enum(['deleted', 'archived']),
                usage: z.number(),
              }),
            ),
            ...errorResponses,
          },
        },
      },
      async (request) => ({
        data: await deleteFeedbackTag(ctx.db, request.principal, request.params.id),
      }),
    )
  }
}
