import type { Kysely } from 'kysely'
import type { DB, WebhookSubscriptionsTable } from '../db/schema.ts'

type SubscriptionValues = Pick<
  WebhookSubscriptionsTable,
  'workspaceId' | 'id' | 'name' | 'url' | 'eventTypes' | 'secret' | 'createdBy'
> & { format: 'json' | 'slack' }

export function insertSubscription(db: Kysely<DB>, values: SubscriptionValues) {
  return db
    .insertInto('webhookSubscriptions')
    .values(values)
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** The workspace's subscriptions, newest first (ids are time-ordered). */
export function selectSubscriptions(
  db: Kysely<DB>,
  workspaceId: string,
  beforeId: string | undefined,
  limit: number,
) {
  return db
    .selectFrom('webhookSubscriptions')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .$if(beforeId !== undefined, (q) => q.where('id', '<', beforeId ?? ''))
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute()
}

export function findSubscription(db: Kysely<DB>, workspaceId: string, id: string) {
  return db
    .selectFrom('webhookSubscriptions')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst()
}

export function lockSubscription(db: Kysely<DB>, workspaceId: string, id: string) {
  return db
    .selectFrom('webhookSubscriptions')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
}

export function updateSubscription(
  db: Kysely<DB>,
  workspaceId: string,
  id: string,
  fields: Partial<Omit<SubscriptionValues, 'workspaceId' | 'id'>> & { isActive?: boolean },
) {
  return db
    .updateTable('webhookSubscriptions')
    .set({ ...fields, updatedAt: new Date() })
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** Deletes the subscription; its delivery log goes with it (foreign key cascade). */
export function deleteSubscription(db: Kysely<DB>, workspaceId: string, id: string) {
  return db
    .deleteFrom('webhookSubscriptions')
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .execute()
}

/** One subscription's deliveries, newest first, optionally of one status. */
export function selectDeliveries(
  db: Kysely<DB>,
  workspaceId: string,
  subscriptionId: string,
  filter: { status?: WebhookDeliveriesStatus; beforeId?: string; limit: number },
) {
  return db
    .selectFrom('webhookDeliveries')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .where('subscriptionId', '=', subscriptionId)
    .$if(filter.status !== undefined, (q) => q.where('status', '=', filter.status ?? 'pending'))
    .$if(filter.beforeId !== undefined, (q) => q.where('id', '<', filter.beforeId ?? ''))
    .orderBy('id', 'desc')
    .limit(filter.limit + 1)
    .execute()
}

export type WebhookDeliveriesStatus = 'pending' | 'succeeded' | 'failed'

export function lockDelivery(db: Kysely<DB>, workspaceId: string, id: string) {
  return db
    .selectFrom('webhookDeliveries')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
}

/** Puts a delivery back in the queue, due now, with its attempts reset and the same key. */
export function requeueDelivery(db: Kysely<DB>, workspaceId: string, id: string, now: Date) {
  return db
    .updateTable('webhookDeliveries')
    .set({ status: 'pending', attempts: 0, nextAttemptAt: now, deliveredAt: null })
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
}
