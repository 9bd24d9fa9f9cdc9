import type { Kysely } from 'kysely'
import { uuidv7 } from 'uuidv7'
import type { DB } from '../db/schema.ts'

/** What a workspace can subscribe to (issue 7); docs/webhooks.md describes each payload. */
export const webhookEventTypes = [
  'handoff.created',
  'handoff.accepted',
  'handoff.rejected',
  'handoff.breached',
  'handoff.escalated',
  'lifecycle.changed',
  'deal.won',
  'deal.lost',
  'bridge.digest',
] as const
export type WebhookEventType = (typeof webhookEventTypes)[number]
/** `ping` is never subscribed to: it is what "Send test" delivers to one subscription. */
export type WebhookDeliveryType = WebhookEventType | 'ping'

export const webhookFormats = ['json', 'slack'] as const
export type WebhookFormat = (typeof webhookFormats)[number]

export interface WebhookEvent {
  id: string
  type: WebhookDeliveryType
  createdAt: string
  workspaceId: string
  data: Record<string, unknown>
}

/** The subscription fields a delivery is built from. */
export interface DeliveryTarget {
  id: string
  format: WebhookFormat
}

const headlines: Record<WebhookDeliveryType, string> = {
  'handoff.created': 'New handoff',
  'handoff.accepted': 'Handoff accepted',
  'handoff.rejected': 'Handoff rejected',
  'handoff.breached': 'SLA breached on a handoff',
  'handoff.escalated': 'Handoff escalated to the team manager',
  'lifecycle.changed': 'Lifecycle stage changed',
  'deal.won': 'Deal won',
  'deal.lost': 'Deal lost',
  'bridge.digest': 'Bridge weekly digest',
  ping: 'Test delivery from Tandem',
}

/** Slack's mrkdwn gives &, < and > a meaning; data written by people must not trigger it. */
function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** "New handoff: contactName Ada Lovelace, ownerName Bo" from the event's simple fields. */
export function describeEvent(type: WebhookDeliveryType, data: Record<string, unknown>): string {
  const facts = Object.entries(data)
    .filter(([, value]) => ['string', 'number', 'boolean'].includes(typeof value))
    .slice(0, 6)
    .map(([key, value]) => `${key} ${String(value)}`)
  return facts.length > 0 ? `${headlines[type]}: ${facts.join(', ')}` : `${headlines[type]}.`
}

/** The body sent to one subscription: Tandem's JSON envelope, or a Slack incoming-webhook message. */
export function buildPayload(
  event: WebhookEvent,
  format: WebhookFormat,
  text?: string,
): Record<string, unknown> {
  if (format === 'json') return { ...event }
  const sentence = escapeSlack(text ?? describeEvent(event.type, event.data))
  return {
    text: sentence,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: sentence } },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `Tandem · \`${event.type}\` · ${event.createdAt}` }],
      },
    ],
  }
}

/**
 * Queues one pending delivery of the event per target, in the caller's transaction (the outbox):
 * nothing is sent here, so a rolled-back change never reaches a receiver and a slow receiver never
 * slows the request. The idempotency key is stable per (event, subscription) across retries.
 */
export async function queueDeliveries(
  trx: Kysely<DB>,
  event: WebhookEvent,
  targets: DeliveryTarget[],
  text?: string,
) {
  if (targets.length === 0) return []
  const now = new Date(event.createdAt)
  return trx
    .insertInto('webhookDeliveries')
    .values(
      targets.map((target) => ({
        workspaceId: event.workspaceId,
        id: uuidv7(),
        subscriptionId: target.id,
        eventType: event.type,
        eventId: event.id,
        idempotencyKey: `${event.id}:${target.id}`,
        payload: JSON.stringify(buildPayload(event, target.format, text)),
        status: 'pending' as const,
        nextAttemptAt: now,
        createdAt: now,
      })),
    )
    .returningAll()
    .execute()
}

/** A new event of the workspace, stamped now. */
export function newEvent(
  workspaceId: string,
  type: WebhookDeliveryType,
  data: Record<string, unknown>,
): WebhookEvent {
  return { id: uuidv7(), type, createdAt: new Date().toISOString(), workspaceId, data }
}

/**
 * Emits a webhook event from inside the caller's transaction: one pending delivery per active
 * subscription of the workspace that subscribed to this type; the dispatcher sends them after commit.
 * `options.text` is the sentence Slack-format subscriptions show (a plain one is built otherwise).
 */
export async function emitWebhookEvent(
  trx: Kysely<DB>,
  workspaceId: string,
  type: WebhookEventType,
  data: Record<string, unknown>,
  options: { text?: string } = {},
): Promise<void> {
  await emitWebhookEvents(trx, [{ workspaceId, type, data, text: options.text }])
}

/**
 * Many events in one go (the SLA scan's batches): one subscription query per workspace and one
 * insert of every delivery, in the caller's transaction like emitWebhookEvent.
 */
export async function emitWebhookEvents(
  trx: Kysely<DB>,
  items: readonly {
    workspaceId: string
    type: WebhookEventType
    data: Record<string, unknown>
    text?: string
  }[],
): Promise<void> {
  const workspaces = [...new Set(items.map((i) => i.workspaceId))]
  if (workspaces.length === 0) return
  const subscriptions = await trx
    .selectFrom('webhookSubscriptions')
    .select(['workspaceId', 'id', 'format', 'eventTypes'])
    .where('workspaceId', 'in', workspaces)
    .where('isActive', '=', true)
    .execute()
  if (subscriptions.length === 0) return
  const rows = items.flatMap((item) => {
    const targets = subscriptions.filter(
      (s) => s.workspaceId === item.workspaceId && s.eventTypes.includes(item.type),
    )
    if (targets.length === 0) return []
    const event = newEvent(item.workspaceId, item.type, item.data)
    const now = new Date(event.createdAt)
    return targets.map((target) => ({
      workspaceId: event.workspaceId,
      id: uuidv7(),
      subscriptionId: target.id,
      eventType: event.type,
      eventId: event.id,
      idempotencyKey: `${event.id}:${target.id}`,
      payload: JSON.stringify(buildPayload(event, target.format, item.text)),
      status: 'pending' as const,
      nextAttemptAt: now,
      createdAt: now,
    }))
  })
  for (let i = 0; i < rows.length; i += 2000) {
    await trx
      .insertInto('webhookDeliveries')
      .values(rows.slice(i, i + 2000))
      .execute()
  }
}
