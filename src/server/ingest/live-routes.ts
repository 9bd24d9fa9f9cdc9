import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { envelope, errorResponses } from '../http/schemas.ts'
import { getLiveTracking } from './live.ts'

const LiveTracking = z
  .object({
    waiting: z
      .number()
      .int()
      .describe('events acknowledged and not yet written (a moment, usually)'),
    events: z.array(
      z.object({
        id: z.string(),
        occurredAt: z.string(),
        receivedAt: z.string().nullable(),
        type: z.string().describe('the touchpoint type: page_view, form_submit, …'),
        eventName: z.string().nullable(),
        channel: z.string(),
        url: z.string().nullable(),
        anonymousId: z.string().nullable(),
        isBot: z.boolean(),
        contact: z
          .object({ id: z.string(), name: z.string().nullable(), email: z.string().nullable() })
          .nullable()
          .describe('null while the visitor is anonymous'),
      }),
    ),
    setAside: z
      .array(
        z.object({
          id: z.string(),
          receivedAt: z.string(),
          failedAt: z.string().nullable(),
          events: z.number().int(),
          error: z.string(),
        }),
      )
      .describe('acknowledged requests that could not be written (docs/ingestion.md, Failures)'),
    rejections: z
      .array(
        z.object({
          id: z.string(),
          receivedAt: z.string(),
          endpoint: z.string(),
          message: z.string(),
          ip: z.string().nullable(),
        }),
      )
      .describe('requests /v1/* refused for this workspace’s write keys (at most one a second)'),
  })
  .meta({ id: 'LiveTracking' })

export function liveTrackingRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/tracking/live',
      {
        schema: {
          tags: ['Tracking'],
          summary: 'What the website and libraries sent lately: events, waiting, refused',
          description:
            'The latest tracked events of the last 7 days (page views, tracks, form submits; identify, group and alias change contacts and accounts instead), newest first by their time, with their contact; the events acknowledged and not yet written; requests set aside as unwritable; and the last requests /v1/* refused for a write key of this workspace, with the reason. Settings → Tracking polls it to show that an installation works.',
          querystring: z.object({
            limit: z.coerce.number().int().min(1).max(200).default(50),
          }),
          response: { 200: envelope(LiveTracking), ...errorResponses },
        },
      },
      async (request) => getLiveTracking(ctx.db, request.principal, request.query),
    )
  }
}
