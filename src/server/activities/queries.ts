import { type Expression, type Kysely, type SqlBool, sql } from 'kysely'
import type { Database } from '../db/database.ts'
import type { DB } from '../db/schema.ts'
import { afterCursor, orderBy, type Sort, sortKey } from '../records/list.ts'

function selectActivities(db: Kysely<DB>, workspaceId: string) {
  return db
    .selectFrom('activities as a')
    .leftJoin('users as o', 'o.id', 'a.ownerId')
    .leftJoin('contacts as c', (join) =>
      join.onRef('c.workspaceId', '=', 'a.workspaceId').onRef('c.id', '=', 'a.contactId'),
    )
    .leftJoin('accounts as ac', (join) =>
      join.onRef('ac.workspaceId', '=', 'a.workspaceId').onRef('ac.id', '=', 'a.accountId'),
    )
    .leftJoin('deals as d', (join) =>
      join.onRef('d.workspaceId', '=', 'a.workspaceId').onRef('d.id', '=', 'a.dealId'),
    )
    .selectAll('a')
    .select([
      'o.name as ownerName',
      sql<string | null>`nullif(trim(concat_ws(' ', c.first_name, c.last_name)), '')`.as(
        'contactName',
      ),
      'c.email as contactEmail',
      'ac.name as accountName',
      'd.name as dealName',
    ])
    .where('a.workspaceId', '=', workspaceId)
}

export function selectActivityPage(
  db: Database,
  workspaceId: string,
  where: Expression<SqlBool>[],
  sort: Sort,
  cursor: string | undefined,
  limit: number,
) {
  const after = afterCursor(sort, cursor, 'a.id')
  return selectActivities(db, workspaceId)
    .select(sortKey(sort).as('sortKey'))
    .where('a.deletedAt', 'is', null)
    .$if(where.length > 0, (q) => q.where((eb) => eb.and(where)))
    .$if(after !== undefined, (q) => q.where(after as Expression<SqlBool>))
    .orderBy(orderBy(sort, 'a.id'))
    .limit(limit + 1)
    .execute()
}

export function findActivity(db: Kysely<DB>, workspaceId: string, id: string) {
  return selectActivities(db, workspaceId)
    .where('a.id', '=', id)
    .where('a.deletedAt', 'is', null)
    .executeTakeFirst()
}

export function lockActivity(db: Kysely<DB>, workspaceId: string, id: string) {
  return db
    .selectFrom('activities')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .where('deletedAt', 'is', null)
    .forUpdate()
    .executeTakeFirst()
}

/** A live contact, account or deal of the workspace that an activity may link to. */
export function findLinkTarget(
  db: Kysely<DB>,
  workspaceId: string,
  table: 'contacts' | 'accounts' | 'deals',
  id: string,
) {
  return db
    .selectFrom(table)
    .select('id')
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .where('deletedAt', 'is', null)
    .executeTakeFirst()
}

/** The account a contact or deal belongs to (null when it has none). */
export async function findAccountOf(
  db: Kysely<DB>,
  workspaceId: string,
  table: 'contacts' | 'deals',
  id: string,
) {
  const row = await db
    .selectFrom(table)
    .select('accountId')
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst()
  return row?.accountId ?? null
}
