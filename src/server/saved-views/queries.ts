import { type Expression, type Kysely, type SqlBool, sql } from 'kysely'
import type { Database } from '../db/database.ts'
import type { DB, SavedViewsTable } from '../db/schema.ts'
import { afterCursor, orderBy, type Sort, sortKey } from '../records/list.ts'

export type SavedViewEntity = SavedViewsTable['entity']

export function selectViewPage(
  db: Database,
  owner: { workspaceId: string; userId: string; entity: SavedViewEntity },
  sort: Sort,
  cursor: string | undefined,
  limit: number,
) {
  const after = afterCursor(sort, cursor, 'v.id')
  return db
    .selectFrom('savedViews as v')
    .selectAll('v')
    .select(sortKey(sort).as('sortKey'))
    .where('v.workspaceId', '=', owner.workspaceId)
    .where('v.userId', '=', owner.userId)
    .where('v.entity', '=', owner.entity)
    .$if(after !== undefined, (q) => q.where(after as Expression<SqlBool>))
    .orderBy(orderBy(sort, 'v.id'))
    .limit(limit + 1)
    .execute()
}

export function findViewByName(
  db: Kysely<DB>,
  owner: { workspaceId: string; userId: string; entity: SavedViewEntity },
  name: string,
) {
  return db
    .selectFrom('savedViews')
    .select('id')
    .where('workspaceId', '=', owner.workspaceId)
    .where('userId', '=', owner.userId)
    .where('entity', '=', owner.entity)
    .where(sql`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst()
}
