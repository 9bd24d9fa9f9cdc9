import { type Expression, type Kysely, type SqlBool, sql } from 'kysely'
import type { DB } from '../db/schema.ts'
import { afterCursor, orderBy, type Sort, sortKey } from '../records/list.ts'

/** Whose notifications: one person in one workspace. */
export interface Recipient {
  workspaceId: string
  userId: string
}

export function selectNotificationPage(
  db: Kysely<DB>,
  recipient: Recipient,
  options: { unreadOnly: boolean; sort: Sort; cursor: string | undefined; limit: number },
) {
  const after = afterCursor(options.sort, options.cursor, 'n.id')
  return db
    .selectFrom('notifications as n')
    .selectAll('n')
    .select(sortKey(options.sort).as('sortKey'))
    .where('n.workspaceId', '=', recipient.workspaceId)
    .where('n.userId', '=', recipient.userId)
    .$if(options.unreadOnly, (q) => q.where('n.readAt', 'is', null))
    .$if(after !== undefined, (q) => q.where(after as Expression<SqlBool>))
    .orderBy(orderBy(options.sort, 'n.id'))
    .limit(options.limit + 1)
    .execute()
}

export async function countUnreadNotifications(db: Kysely<DB>, recipient: Recipient) {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('workspaceId', '=', recipient.workspaceId)
    .where('userId', '=', recipient.userId)
    .where('readAt', 'is', null)
    .executeTakeFirstOrThrow()
  return Number(row.count)
}

/** Marks one of the person's notifications read, keeping the first read time; undefined if not theirs. */
export function markNotificationRead(db: Kysely<DB>, recipient: Recipient, id: string) {
  return db
    .updateTable('notifications')
    .set({ readAt: sql<Date>`coalesce(read_at, now())` })
    .where('workspaceId', '=', recipient.workspaceId)
    .where('userId', '=', recipient.userId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst()
}

export async function markAllNotificationsRead(db: Kysely<DB>, recipient: Recipient) {
  const result = await db
    .updateTable('notifications')
    .set({ readAt: sql<Date>`now()` })
    .where('workspaceId', '=', recipient.workspaceId)
    .where('userId', '=', recipient.userId)
    .where('readAt', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

/** The ids among userIds who are members of the workspace now. */
export async function selectMemberIds(db: Kysely<DB>, workspaceId: string, userIds: string[]) {
  const rows = await db
    .selectFrom('memberships')
    .select('userId')
    .where('workspaceId', '=', workspaceId)
    .where('userId', 'in', userIds)
    .execute()
  return rows.map((r) => r.userId)
}

export async function selectAdminIds(db: Kysely<DB>, workspaceId: string) {
  const rows = await db
    .selectFrom('memberships')
    .select('userId')
    .where('workspaceId', '=', workspaceId)
    .where('role', '=', 'admin')
    .orderBy('userId')
    .execute()
  return rows.map((r) => r.userId)
}
