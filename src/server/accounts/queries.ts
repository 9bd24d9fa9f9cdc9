import { type Expression, type Kysely, type SqlBool, sql } from 'kysely'
import type { Database } from '../db/database.ts'
import type { DB } from '../db/schema.ts'
import type { Sort } from '../records/list.ts'
import { afterCursor, orderBy, sortKey } from '../records/list.ts'

export function selectAccountPage(
  db: Database,
  workspaceId: string,
  where: Expression<SqlBool>[],
  sort: Sort,
  cursor: string | undefined,
  limit: number,
) {
  const after = afterCursor(sort, cursor, 'a.id')
  return db
    .selectFrom('accounts as a')
    .leftJoin('users as o', 'o.id', 'a.ownerId')
    .selectAll('a')
    .select(['o.name as ownerName', sortKey(sort).as('sortKey')])
    .where('a.workspaceId', '=', workspaceId)
    .where('a.deletedAt', 'is', null)
    .$if(where.length > 0, (q) => q.where((eb) => eb.and(where)))
    .$if(after !== undefined, (q) => q.where(after as Expression<SqlBool>))
    .orderBy(orderBy(sort, 'a.id'))
    .limit(limit + 1)
    .execute()
}

export function findAccount(
  db: Kysely<DB>,
  workspaceId: string,
  id: string,
  options: { deleted?: boolean } = {},
) {
  return db
    .selectFrom('accounts as a')
    .leftJoin('users as o', 'o.id', 'a.ownerId')
    .selectAll('a')
    .select('o.name as ownerName')
    .where('a.workspaceId', '=', workspaceId)
    .where('a.id', '=', id)
    .$if(!options.deleted, (q) => q.where('a.deletedAt', 'is', null))
    .executeTakeFirst()
}

export function lockAccounts(db: Kysely<DB>, workspaceId: string, ids: string[]) {
  return db
    .selectFrom('accounts')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .where('id', 'in', ids)
    .where('deletedAt', 'is', null)
    .forUpdate()
    .execute()
}

export function selectReachedStages(
  db: Kysely<DB>,
  workspaceId: string,
  entity: 'account' | 'contact',
  id: string,
) {
  return db
    .selectFrom('lifecycleEntries')
    .select(['stage', 'enteredAt', 'isReentry'])
    .where('workspaceId', '=', workspaceId)
    .where('entity', '=', entity)
    .where('recordId', '=', id)
    .orderBy('enteredAt')
    .orderBy('id')
    .execute()
}

export function countAccountChildren(db: Database, workspaceId: string, id: string) {
  return sql<{ contacts: number; deals: number }>`
    select (select count(*) from contacts where workspace_id = ${workspaceId} and account_id = ${id}
              and deleted_at is null)::int as contacts,
           (select count(*) from deals where workspace_id = ${workspaceId} and account_id = ${id}
              and deleted_at is null)::int as deals
  `.execute(db)
}
