import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { envelope, errorResponses, IdParams, listEnvelope } from '../http/schemas.ts'
import {
  countUnread,
  listNotifications,
  NotificationQuery,
  readAllNotifications,
  readNotification,
} from './service.ts'

export const Notification = z
  .object({
    id: z.string(),
    kind: z.string(),
    title: z.string(),
    body: z.string().nullable(),
    link: z.string().nullable().describe('a path inside the web app'),
    createdAt: z.string(),
    readAt: z.string().nullable(),
  })
  .meta({ id: 'Notification' })

const Count = z.object({ count: z.number().int() })
const personal =
  'Only the signed-in person’s own notifications; an API key has no notifications (403).'

export function notificationRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/notifications',
      {
        schema: {
          tags: ['Notifications'],
          summary: 'Your notifications, newest first',
          description: personal,
          querystring: NotificationQuery,
          response: { 200: listEnvelope(Notification), ...errorResponses },
        },
      },
      async (request) => listNotifications(ctx.db, request.principal, request.query),
    )
    app.get(
      '/notifications/unread-count',
      {
        schema: {
          tags: ['Notifications'],
          summary: 'How many of your notifications are unread',
          description: personal,
          response: { 200: envelope(Count), ...errorResponses },
        },
      },
      async (request) => ({ data: await countUnread(ctx.db, request.principal) }),
    )
    app.post(
      '/notifications/read-all',
      {
        schema: {
          tags: ['Notifications'],
          summary: 'Mark all your notifications read',
          description: `${personal} Answers how many were marked.`,
          response: { 200: envelope(Count), ...errorResponses },
        },
      },
      async (request) => ({ data: await readAllNotifications(ctx.db, request.principal) }),
    )
    app.post(
      '/notifications/:id/read',
      {
        schema: {
          tags: ['Notifications'],
          summary: 'Mark one of your notifications read',
          description: `${personal} Marking it again keeps the first read time.`,
          params: IdParams,
          response: { 200: envelope(Notification), ...errorResponses },
        },
      },
      async (request) => ({
        data: await readNotification(ctx.db, request.principal, request.params.id),
      }),
    )
  }
}
