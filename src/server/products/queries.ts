import { type Expression, type Kysely, type SqlBool, sql } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { Sort } from '../records/list.ts'
import { afterCursor, orderBy, sortKey } from '../records/list.ts'

export function selectProductPage(
  db: Kysely<DB>,
  workspaceId: string,
  where: Expression<SqlBool>[],
  sort: Sort,
  cursor: string | undefined,
  limit: number,
) {
  const after = afterCursor(sort, cursor, 'p.id')
  return db
    .selectFrom('products as p')
    .selectAll('p')
    .select(sortKey(sort).as('sortKey'))
    .where('p.workspaceId', '=', workspaceId)
    .where('p.deletedAt', 'is', null)
    .$if(where.length > 0, (q) => q.where((eb) => eb.and(where)))
    .$if(after !== undefined, (q) => q.where(after as Expression<SqlBool>))
    .orderBy(orderBy(sort, 'p.id'))
    .limit(limit + 1)
    .execute()
}

export function findProduct(db: Kysely<DB>, workspaceId: string, id: string) {
  return db
    .selectFrom('products')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .where('deletedAt', 'is', null)
    .executeTakeFirst()
}

export function lockProduct(db: Kysely<DB>, workspaceId: string, id: string) {
  return db
    .selectFrom('products')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .where('deletedAt', 'is', null)
    .forUpdate()
    .executeTakeFirst()
}

/** A live product whose name equals this one ignoring case, other than `exceptId`. */
export function findProductNamed(
  db: Kysely<DB>,
  workspaceId: string,
  name: string,
  exceptId?: string,
) {
  return db
    .selectFrom('products')
    .select(['id', 'name'])
    .where('workspaceId', '=', workspaceId)
    .where(sql<string>`lower(name)`, '=', name.toLowerCase())
    .where('deletedAt', 'is', null)
    .$if(exceptId !== undefined, (q) => q.where('id', '<>', exceptId ?? ''))
    .executeTakeFirst()
}

/** The live products among `ids`, with the fields a deal's line items need. */
export function selectProductsById(db: Kysely<DB>, workspaceId: string, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([])
  return db
    .selectFrom('products')
    .select(['id', 'name', 'price', 'currency'])
    .where('workspaceId', '=', workspaceId)
    .where('id', 'in', ids)
    .where('deletedAt', 'is', null)
    .execute()
}
