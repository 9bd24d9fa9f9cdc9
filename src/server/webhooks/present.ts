import type { Selectable } from 'kysely'
import type { WebhookDeliveriesTable, WebhookSubscriptionsTable } from '../db/schema.ts'

export type SubscriptionRow = Selectable<WebhookSubscriptionsTable>
export type DeliveryRow = Selectable<WebhookDeliveriesTable>

/** `whsec_****abcd`: enough to tell secrets apart, too little to sign with. */
export function maskSecret(secret: string): string {
  return `whsec_****${secret.slice(-4)}`
}

/** The secret is shown in full only right after it is made (create, rotate-secret). */
export function presentSubscription(
  row: SubscriptionRow,
  options: { revealSecret?: boolean } = {},
) {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    eventTypes: row.eventTypes,
    format: row.format,
    isActive: row.isActive,
    secret: options.revealSecret ? row.secret : maskSecret(row.secret),
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

export function presentDelivery(row: DeliveryRow) {
  return {
    id: row.id,
    subscriptionId: row.subscriptionId,
    eventType: row.eventType,
    eventId: row.eventId,
    idempotencyKey: row.idempotencyKey,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    payload: row.payload,
    createdAt: row.createdAt.toISOString(),
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
  }
}
