import { randomBytes } from 'node:crypto'
import { uuidv7 } from 'uuidv7'
import { z } from 'zod'
import { recordAudit } from '../audit/service.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import { AppError } from '../errors.ts'
import { decodeCursor, encodeCursor, type Page, PageQuery } from '../http/pagination.ts'
import { changes } from '../records/fields.ts'
import { newEvent, queueDeliveries, webhookEventTypes, webhookFormats } from './events.ts'
import { presentDelivery, presentSubscription } from './present.ts'
import {
  deleteSubscription,
  findSubscription,
  insertSubscription,
  lockDelivery,
  lockSubscription,
  requeueDelivery,
  selectDeliveries,
  selectSubscriptions,
  updateSubscription,
} from './queries.ts'

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0
  } catch {
    return false
  }
}

const WebhookUrl = z
  .string()
  .trim()
  .max(2000)
  .refine(isHttpUrl, { message: 'must be an http:// or https:// URL' })
const EventTypes = z
  .array(z.enum(webhookEventTypes))
  .min(1, { message: 'choose at least one event type' })
  .max(50)

export const WebhookInput = z.object({
  name: z.string().trim().min(1).max(200),
  url: WebhookUrl,
  eventTypes: EventTypes,
  format: z.enum(webhookFormats).default('json'),
})
export type WebhookInput = z.infer<typeof WebhookInput>

export const WebhookPatch = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  url: WebhookUrl.optional(),
  eventTypes: EventTypes.optional(),
  format: z.enum(webhookFormats).optional(),
  isActive: z.boolean().optional(),
})
export type WebhookPatch = z.infer<typeof WebhookPatch>

export const DeliveryQuery = PageQuery.extend({
  status: z.enum(['pending', 'succeeded', 'failed']).optional(),
})
export type DeliveryQuery = z.infer<typeof DeliveryQuery>

/** A signing secret: `whsec_` and 32 random bytes, base64url. */
function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`
}

/** Event types in the order of the catalogue, each once. */
function tidyEventTypes(types: readonly string[]): string[] {
  return webhookEventTypes.filter((type) => types.includes(type))
}

async function requireSubscription(db: Database, workspaceId: string, id: string) {
  const row = await findSubscription(db, workspaceId, id)
  if (!row) throw new AppError('not_found', 'Webhook not found')
  return row
}

/** The workspace's webhook subscriptions, newest first, their secrets masked. */
export async function listWebhooks(db: Database, principal: Principal, page: Page) {
  const { workspaceId } = requirePermission(principal, 'webhooks:manage')
  const after = decodeCursor(page.cursor, ['id'])
  const rows = await selectSubscriptions(db, workspaceId, after && String(after.id), page.limit)
  const data = rows.slice(0, page.limit)
  const last = data.at(-1)
  return {
    data: data.map((row) => presentSubscription(row)),
    nextCursor: rows.length > page.limit && last ? encodeCursor({ id: last.id }) : null,
  }
}

/** Subscribes a URL to event types; answers the new signing secret, shown this once. */
export async function createWebhook(db: Database, principal: Principal, input: WebhookInput) {
  const { workspaceId } = requirePermission(principal, 'webhooks:manage')
  const row = await db.transaction().execute(async (trx) => {
    const created = await insertSubscription(trx, {
      workspaceId,
      id: uuidv7(),
      name: input.name,
      url: input.url,
      eventTypes: tidyEventTypes(input.eventTypes),
      format: input.format,
      secret: newSecret(),
      createdBy: principal.kind === 'user' ? principal.userId : null,
    })
    await recordAudit(trx, principal, workspaceId, {
      action: 'webhook.create',
      targetType: 'webhook',
      targetId: created.id,
      details: {
        name: created.name,
        url: created.url,
        eventTypes: created.eventTypes,
        format: created.format,
      },
    })
    return created
  })
  return presentSubscription(row, { revealSecret: true })
}

/** Renames, re-targets, changes the events or format of, pauses or resumes a subscription. */
export async function updateWebhook(
  db: Database,
  principal: Principal,
  id: string,
  patch: WebhookPatch,
) {
  const { workspaceId } = requirePermission(principal, 'webhooks:manage')
  const fields = {
    ...patch,
    ...(patch.eventTypes ? { eventTypes: tidyEventTypes(patch.eventTypes) } : {}),
  }
  const row = await db.transaction().execute(async (trx) => {
    const before = await lockSubscription(trx, workspaceId, id)
    if (!before) throw new AppError('not_found', 'Webhook not found')
    const after = await updateSubscription(trx, workspaceId, id, fields)
    await recordAudit(trx, principal, workspaceId, {
      action: 'webhook.update',
      targetType: 'webhook',
      targetId: id,
      details: changes(before, fields),
    })
    return after
  })
  return presentSubscription(row)
}

/** Deletes a subscription and its delivery log; pending deliveries are never sent. */
export async function deleteWebhook(db: Database, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'webhooks:manage')
  await db.transaction().execute(async (trx) => {
    const before = await lockSubscription(trx, workspaceId, id)
    if (!before) throw new AppError('not_found', 'Webhook not found')
    await deleteSubscription(trx, workspaceId, id)
    await recordAudit(trx, principal, workspaceId, {
      action: 'webhook.delete',
      targetType: 'webhook',
      targetId: id,
      details: { name: before.name, url: before.url, eventTypes: before.eventTypes },
    })
  })
}

/**
 * Replaces the signing secret at once and answers the new one, shown this once. Deliveries not yet
 * sent, retries included, are signed with the new secret.
 */
export async function rotateWebhookSecret(db: Database, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'webhooks:manage')
  const row = await db.transaction().execute(async (trx) => {
    const before = await lockSubscription(trx, workspaceId, id)
    if (!before) throw new AppError('not_found', 'Webhook not found')
    const after = await updateSubscription(trx, workspaceId, id, { secret: newSecret() })
    await recordAudit(trx, principal, workspaceId, {
      action: 'webhook.rotate_secret',
      targetType: 'webhook',
      targetId: id,
    })
    return after
  })
  return presentSubscription(row, { revealSecret: true })
}

/** Queues a `ping` delivery to this one subscription, so an admin can check the receiver. */
export async function sendTestDelivery(db: Database, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'webhooks:manage')
  const row = await db.transaction().execute(async (trx) => {
    const subscription = await lockSubscription(trx, workspaceId, id)
    if (!subscription) throw new AppError('not_found', 'Webhook not found')
    if (!subscription.isActive) {
      throw new AppError('conflict', 'This webhook is paused: resume it to send a test')
    }
    const event = newEvent(workspaceId, 'ping', {
      subscriptionId: id,
      message: 'Tandem can reach this URL',
    })
    const [delivery] = await queueDeliveries(trx, event, [subscription])
    await recordAudit(trx, principal, workspaceId, {
      action: 'webhook.test',
      targetType: 'webhook',
      targetId: id,
      details: { deliveryId: delivery?.id ?? null },
    })
    return delivery
  })
  if (!row) throw new Error('a test delivery was not queued')
  return presentDelivery(row)
}

/** One subscription's delivery log, newest first, optionally of one status. */
export async function listDeliveries(
  db: Database,
  principal: Principal,
  subscriptionId: string,
  query: DeliveryQuery,
) {
  const { workspaceId } = requirePermission(principal, 'webhooks:manage')
  await requireSubscription(db, workspaceId, subscriptionId)
  const after = decodeCursor(query.cursor, ['id'])
  const rows = await selectDeliveries(db, workspaceId, subscriptionId, {
    status: query.status,
    beforeId: after && String(after.id),
    limit: query.limit,
  })
  const data = rows.slice(0, query.limit)
  const last = data.at(-1)
  return {
    data: data.map(presentDelivery),
    nextCursor: rows.length > query.limit && last ? encodeCursor({ id: last.id }) : null,
  }
}

/**
 * Sends a delivery again: back to pending, due now, attempts reset, with the SAME payload and
 * Idempotency-Key, so a receiver that already has it can tell.
 */
export async function replayDelivery(db: Database, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'webhooks:manage')
  const row = await db.transaction().execute(async (trx) => {
    const delivery = await lockDelivery(trx, workspaceId, id)
    if (!delivery) throw new AppError('not_found', 'Delivery not found')
    const subscription = await findSubscription(trx, workspaceId, delivery.subscriptionId)
    if (!subscription?.isActive) {
      throw new AppError('conflict', 'This webhook is paused: resume it to replay its deliveries')
    }
    const replayed = await requeueDelivery(trx, workspaceId, id, new Date())
    await recordAudit(trx, principal, workspaceId, {
      action: 'webhook_delivery.replay',
      targetType: 'webhook_delivery',
      targetId: id,
      details: {
        subscriptionId: delivery.subscriptionId,
        eventType: delivery.eventType,
        previousStatus: delivery.status,
        previousAttempts: delivery.attempts,
      },
    })
    return replayed
  })
  return presentDelivery(row)
}
