import type { Expression, Kysely, SqlBool } from 'kysely'
import type { Database } from '../db/database.ts'
import type { DB } from '../db/schema.ts'
import { afterCursor, orderBy, type Sort, sortKey } from '../records/list.ts'

export function selectTouchpointPage(
  db: Database,
  workspaceId: string,
  where: Expression<SqlBool>[],
  sort: Sort,
  cursor: string | undefined,
  limit: number,
) {
  const after = afterCursor(sort, cursor, 't.id')
  return db
    .selectFrom('touchpoints as t')
    .selectAll('t')
    .select(sortKey(sort).as('sortKey'))
    .where('t.workspaceId', '=', workspaceId)
    .$if(where.length > 0, (q) => q.where((eb) => eb.and(where)))
    .$if(after !== undefined, (q) => q.where(after as Expression<SqlBool>))
    .orderBy(orderBy(sort, 't.id'))
    .limit(limit + 1)
    .execute()
}

export function findActivityTouchpoints(db: Kysely<DB>, workspaceId: string, activityId: string) {
  return db
    .selectFrom('touchpoints')
    .select(['id', 'occurredAt'])
    .where('workspaceId', '=', workspaceId)
    .where('activityId', '=', activityId)
    .execute()
}

export function deleteActivityTouchpoints(db: Kysely<DB>, workspaceId: string, activityId: string) {
  return db
    .deleteFrom('touchpoints')
    .where('workspaceId', '=', workspaceId)
    .where('activityId', '=', activityId)
    .execute()
}

/** Claims a message id for deduplication; undefined when another touchpoint already has it. */
export function claimMessageId(
  db: Kysely<DB>,
  row: { workspaceId: string; messageId: string; touchpointId: string; occurredAt: Date },
) {
  return db
    .insertInto('touchpointMessageIds')
    .values(row)
    .onConflict((oc) => oc.columns(['workspaceId', 'messageId']).doNothing())
    .returning('touchpointId')
    .executeTakeFirst()
}

export function findMessageId(db: Kysely<DB>, workspaceId: string, messageId: string) {
  return db
    .selectFrom('touchpointMessageIds')
    .select('touchpointId')
    .where('workspaceId', '=', workspaceId)
    .where('messageId', '=', messageId)
    .executeTakeFirst()
}

/** Whether a live contact, account or deal of the workspace has this id (timeline 404s). */
export async function hasRecord(
  db: Database,
  workspaceId: string,
  table: 'contacts' | 'accounts' | 'deals',
  id: string,
) {
  const row = await db
    .selectFrom(table)
    .select('id')
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .where('deletedAt', 'is', null)
    .executeTakeFirst()
  return row !== undefined
}

export function findDealAccount(db: Database, workspaceId: string, dealId: string) {
  return db
    .selectFrom('deals')
    .select('accountId')
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', dealId)
    .where('deletedAt', 'is', null)
    .executeTakeFirst()
}
