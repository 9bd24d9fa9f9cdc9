import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { PageQuery } from '../http/pagination.ts'
import { errorResponses, IdParams, listEnvelope } from '../http/schemas.ts'
import { listTouchpoints, TouchpointQuery } from './service.ts'
import { getTimeline, type TimelineEntity } from './timeline.ts'

const touchpointShape = {
  id: z.string(),
  occurredAt: z.string(),
  type: z.string(),
  eventName: z.string().nullable(),
  channel: z.string(),
  contactId: z.string().nullable(),
  anonymousId: z.string().nullable(),
  accountId: z.string().nullable(),
  campaignId: z.string().nullable(),
  activityId: z.string().nullable().describe('set on the `sales` touch of a logged activity'),
  utm: z.record(z.string(), z.string()).nullable(),
  referrer: z.string().nullable(),
  url: z.string().nullable(),
  properties: z.record(z.string(), z.unknown()),
  isBot: z.boolean().describe('a bot or link scanner: never counted in scoring or attribution'),
  botReason: z
    .string()
    .nullable()
    .describe('bot_user_agent, scanner_user_agent or instant_click (a click right after delivery)'),
  timeFlag: z
    .string()
    .nullable()
    .describe(
      'clamped_future or clamped_past: the sent timestamp was too far in the future or past and was clamped',
    ),
  receivedAt: z.string().nullable().describe('when /v1/* received it (null if not ingested)'),
  context: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe('userAgent, ip, page title/path, library, userId of the sender'),
  createdAt: z.string(),
}
export const Touchpoint = z.object(touchpointShape).meta({ id: 'Touchpoint' })

const TimelineItem = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('touchpoint'), at: z.string(), ...touchpointShape }),
    z.object({
      kind: z.literal('activity'),
      at: z.string().describe('occurredAt, else doneAt, else dueAt, else when it was logged'),
      id: z.string(),
      type: z.string(),
      subject: z.string(),
      body: z.string().nullable(),
      contactId: z.string().nullable(),
      accountId: z.string().nullable(),
      dealId: z.string().nullable(),
      ownerId: z.string().nullable(),
      occurredAt: z.string().nullable(),
      dueAt: z.string().nullable(),
      doneAt: z.string().nullable(),
      done: z.boolean(),
      outcome: z.string().nullable(),
    }),
  ])
  .meta({ id: 'TimelineItem' })

const listDescription =
  'filter: URL-encoded JSON of the filter language over contactId, accountId, campaignId, activityId, anonymousId, type, eventName, channel, occurredAt, isBot. sort: occurredAt or -occurredAt (default).'

const timelines: { entity: TimelineEntity; path: string; summary: string }[] = [
  {
    entity: 'contact',
    path: '/contacts/:id/timeline',
    summary: "A contact's touchpoints and activities, newest first",
  },
  {
    entity: 'account',
    path: '/accounts/:id/timeline',
    summary: "All the account's contacts' touchpoints and the activities on it or them",
  },
  {
    entity: 'deal',
    path: '/deals/:id/timeline',
    summary: "The deal's activities and its account's (or contacts') touchpoints",
  },
]

export function touchpointRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/touchpoints',
      {
        schema: {
          tags: ['Touchpoints'],
          summary: 'List touchpoints',
          description: listDescription,
          querystring: TouchpointQuery,
          response: { 200: listEnvelope(Touchpoint), ...errorResponses },
        },
      },
      async (request) => listTouchpoints(ctx.db, request.principal, request.query),
    )
    for (const timeline of timelines) {
      app.get(
        timeline.path,
        {
          schema: {
            tags: ['Touchpoints'],
            summary: timeline.summary,
            params: IdParams,
            querystring: PageQuery,
            response: { 200: listEnvelope(TimelineItem), ...errorResponses },
          },
        },
        async (request) =>
          getTimeline(ctx.db, request.principal, timeline.entity, request.params.id, request.query),
      )
    }
  }
}
