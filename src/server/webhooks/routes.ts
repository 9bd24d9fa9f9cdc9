import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { PageQuery } from '../http/pagination.ts'
import { envelope, errorResponses, IdParams, listEnvelope, noContent } from '../http/schemas.ts'
import { webhookEventTypes, webhookFormats } from './events.ts'
import {
  createWebhook,
  DeliveryQuery,
  deleteWebhook,
  listDeliveries,
  listWebhooks,
  replayDelivery,
  rotateWebhookSecret,
  sendTestDelivery,
  updateWebhook,
  WebhookInput,
  WebhookPatch,
} from './service.ts'

const Webhook = z
  .object({
    id: z.string(),
    name: z.string(),
    url: z.string(),
    eventTypes: z.array(z.string()),
    format: z.enum(webhookFormats),
    isActive: z.boolean(),
    secret: z
      .string()
      .describe('In full only in the answers of create and rotate-secret; masked otherwise'),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Webhook' })

const WebhookDelivery = z
  .object({
    id: z.string(),
    subscriptionId: z.string(),
    eventType: z.string(),
    eventId: z.string(),
    idempotencyKey: z.string().describe('Sent as Idempotency-Key; the same on every attempt'),
    status: z.enum(['pending', 'succeeded', 'failed']),
    attempts: z.number().int(),
    nextAttemptAt: z.string().nullable(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    payload: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
    deliveredAt: z.string().nullable(),
  })
  .meta({ id: 'WebhookDelivery' })

const tags = ['Webhooks']
const about = `Outbound webhooks POST signed JSON (or Slack messages) to your URL when ${webhookEventTypes.join(', ')} happen. Admins only (webhooks:manage). See docs/webhooks.md.`

export function webhookRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/webhooks',
      {
        schema: {
          tags,
          summary: "The workspace's webhook subscriptions, newest first",
          description: about,
          querystring: PageQuery,
          response: { 200: listEnvelope(Webhook), ...errorResponses },
        },
      },
      async (request) => listWebhooks(ctx.db, request.principal, request.query),
    )
    app.post(
      '/webhooks',
      {
        schema: {
          tags,
          summary: 'Subscribe a URL to event types; the answer shows the signing secret once',
          description: about,
          body: WebhookInput,
          response: { 201: envelope(Webhook), ...errorResponses },
        },
      },
      async (request, reply) => {
        const data = await createWebhook(ctx.db, request.principal, request.body)
        return reply.status(201).send({ data })
      },
    )
    app.patch(
      '/webhooks/:id',
      {
        schema: {
          tags,
          summary: 'Change, pause (isActive: false) or resume a subscription',
          description: 'A paused subscription gets no new deliveries and sends none it has queued.',
          params: IdParams,
          body: WebhookPatch,
          response: { 200: envelope(Webhook), ...errorResponses },
        },
      },
      async (request) => ({
        data: await updateWebhook(ctx.db, request.principal, request.params.id, request.body),
      }),
    )
    app.delete(
      '/webhooks/:id',
      {
        schema: {
          tags,
          summary: 'Delete a subscription and its delivery log',
          params: IdParams,
          response: { ...noContent, ...errorResponses },
        },
      },
      async (request, reply) => {
        await deleteWebhook(ctx.db, request.principal, request.params.id)
        return reply.status(204).send(null)
      },
    )
    app.post(
      '/webhooks/:id/rotate-secret',
      {
        schema: {
          tags,
          summary: 'Replace the signing secret at once; the answer shows the new one once',
          params: IdParams,
          response: { 200: envelope(Webhook), ...errorResponses },
        },
      },
      async (request) => ({
        data: await rotateWebhookSecret(ctx.db, request.principal, request.params.id),
      }),
    )
    app.post(
      '/webhooks/:id/test',
      {
        schema: {
          tags,
          summary: 'Queue a `ping` delivery to this subscription only',
          description: 'Answers the queued delivery; it is sent within seconds by the worker.',
          params: IdParams,
          response: { 202: envelope(WebhookDelivery), ...errorResponses },
        },
      },
      async (request, reply) => {
        const data = await sendTestDelivery(ctx.db, request.principal, request.params.id)
        return reply.status(202).send({ data })
      },
    )
    app.get(
      '/webhooks/:id/deliveries',
      {
        schema: {
          tags,
          summary: "One subscription's delivery log, newest first",
          params: IdParams,
          querystring: DeliveryQuery,
          response: { 200: listEnvelope(WebhookDelivery), ...errorResponses },
        },
      },
      async (request) =>
        listDeliveries(ctx.db, request.principal, request.params.id, request.query),
    )
    app.post(
      '/webhooks/deliveries/:id/replay',
      {
        schema: {
          tags,
          summary: 'Send a delivery again, with the same payload and Idempotency-Key',
          description: 'Back to pending, due now, attempts reset.',
          params: IdParams,
          response: { 202: envelope(WebhookDelivery), ...errorResponses },
        },
      },
      async (request, reply) => {
        const data = await replayDelivery(ctx.db, request.principal, request.params.id)
        return reply.status(202).send({ data })
      },
    )
  }
}
