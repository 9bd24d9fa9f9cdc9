import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { TagRefSchema } from '../feedback/routes.ts'
import { envelope, errorResponses, IdParams, listEnvelope } from '../http/schemas.ts'
import { ListQuery } from '../records/list.ts'
import { addMoveToTrashRoute } from '../trash/routes.ts'
import {
  ActivityInput,
  ActivityPatch,
  createActivity,
  deleteActivity,
  getActivity,
  listActivities,
  updateActivity,
} from './service.ts'

const Ref = z.object({ id: z.string(), name: z.string() }).nullable()

export const Activity = z
  .object({
    id: z.string(),
    type: z.string(),
    subject: z.string(),
    body: z.string().nullable(),
    contactId: z.string().nullable(),
    contact: Ref,
    accountId: z.string().nullable(),
    account: Ref,
    dealId: z.string().nullable(),
    deal: Ref,
    ownerId: z.string().nullable(),
    owner: Ref,
    occurredAt: z.string().nullable(),
    dueAt: z.string().nullable(),
    doneAt: z.string().nullable(),
    done: z.boolean(),
    outcome: z.string().nullable(),
    tags: z.array(TagRefSchema).describe('objections and competitors mentioned'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Activity' })

const listDescription =
  'q: case-insensitive substring of the subject. filter: URL-encoded JSON of the filter language over type, subject, outcome, contactId, accountId, dealId, ownerId, occurredAt, dueAt, doneAt, done, createdAt, updatedAt (e.g. open tasks: {"all":[{"field":"type","op":"eq","value":"task"},{"field":"done","op":"eq","value":false}]}). sort: occurredAt, dueAt, createdAt, updatedAt; prefix - for descending (default -occurredAt).'

export function activityRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/activities',
      {
        schema: {
          tags: ['Activities'],
          summary: 'List activities',
          description: listDescription,
          querystring: ListQuery,
          response: { 200: listEnvelope(Activity), ...errorResponses },
        },
      },
      async (request) => listActivities(ctx.db, request.principal, request.query),
    )
    app.post(
      '/activities',
      {
        schema: {
          tags: ['Activities'],
          summary: 'Log a call, email, meeting, note or task',
          description:
            'Link it to at least one of contactId, accountId, dealId. A call, meeting or email is also recorded as a touchpoint of channel `sales`.',
          body: ActivityInput,
          response: { 201: envelope(Activity), ...errorResponses },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send({ data: await createActivity(ctx.db, request.principal, request.body) }),
    )
    app.get(
      '/activities/:id',
      {
        schema: {
          tags: ['Activities'],
          summary: 'One activity',
          params: IdParams,
          response: { 200: envelope(Activity), ...errorResponses },
        },
      },
      async (request) => ({
        data: await getActivity(ctx.db, request.principal, request.params.id),
      }),
    )
    app.patch(
      '/activities/:id',
      {
        schema: {
          tags: ['Activities'],
          summary: 'Change an activity (its sales touchpoint follows)',
          params: IdParams,
          body: ActivityPatch,
          response: { 200: envelope(Activity), ...errorResponses },
        },
      },
      async (request) => ({
        data: await updateActivity(ctx.db, request.principal, request.params.id, request.body),
      }),
    )
    addMoveToTrashRoute(
      app,
      ctx,
      { path: '/activities/:id', tag: 'Activities', noun: 'an activity' },
      deleteActivity,
    )
  }
}
