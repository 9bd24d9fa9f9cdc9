import { type Expression, type Kysely, type SqlBool, sql } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { Sort } from '../records/list.ts'
import { afterCursor, orderBy, sortKey } from '../records/list.ts'

/** Contacts with their owner's name and their account's name (null when it is in the Trash). */
function contactsQuery(db: Kysely<DB>, workspaceId: string) {
  return db
    .selectFrom('contacts as c')
    .leftJoin('users as o', 'o.id', 'c.ownerId')
    .leftJoin('accounts as acc', (join) =>
      join
        .onRef('acc.workspaceId', '=', 'c.workspaceId')
        .onRef('acc.id', '=', 'c.accountId')
        .on('acc.deletedAt', 'is', null),
    )
    .selectAll('c')
    .select(['o.name as ownerName', 'acc.name as accountName'])
    .where('c.workspaceId', '=', workspaceId)
}

/** One page of the list, as a query (not run) so its plan can be checked against the indexes. */
export function contactPageQuery(
  db: Kysely<DB>,
  workspaceId: string,
  where: Expression<SqlBool>[],
  sort: Sort,
  cursor: string | undefined,
  limit: number,
) {
  const after = afterCursor(sort, cursor, 'c.id')
  return contactsQuery(db, workspaceId)
    .select(sortKey(sort).as('sortKey'))
    .where('c.deletedAt', 'is', null)
    .$if(where.length > 0, (q) => q.where((eb) => eb.and(where)))
    .$if(after !== undefined, (q) => q.where(after as Expression<SqlBool>))
    .orderBy(orderBy(sort, 'c.id'))
    .limit(limit + 1)
}

export function findContact(db: Kysely<DB>, workspaceId: string, id: string) {
  return contactsQuery(db, workspaceId)
    .where('c.id', '=', id)
    .where('c.deletedAt', 'is', null)
    .executeTakeFirst()
}

export function lockContacts(db: Kysely<DB>, workspaceId: string, ids: string[]) {
  return db
    .selectFrom('contacts')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .where('id', 'in', ids)
    .where('deletedAt', 'is', null)
    .forUpdate()
    .execute()
}

/** Another contact (not in the Trash) with this email. */
export function findContactByEmail(
  db: Kysely<DB>,
  workspaceId: string,
  email: string,
  exceptId?: string,
) {
  return db
    .selectFrom('contacts')
    .select(['id', 'firstName', 'lastName'])
    .where('workspaceId', '=', workspaceId)
    .where('email', '=', email)
    .where('deletedAt', 'is', null)
    .$if(exceptId !== undefined, (q) => q.where('id', '<>', exceptId ?? ''))
    .executeTakeFirst()
}

export function findContactByExternalRef(
  db: Kysely<DB>,
  workspaceId: string,
  ref: { externalSource: string | null; externalId: string },
  exceptId?: string,
) {
  return db
    .selectFrom('contacts')
    .select('id')
    .where('workspaceId', '=', workspaceId)
    .where('externalSource', ref.externalSource === null ? 'is' : '=', ref.externalSource)
    .where('externalId', '=', ref.externalId)
    .$if(exceptId !== undefined, (q) => q.where('id', '<>', exceptId ?? ''))
    .executeTakeFirst()
}

/** The account if it belongs to the workspace and is not in the Trash. */
export function findLiveAccount(db: Kysely<DB>, workspaceId: string, id: string) {
  return db
    .selectFrom('accounts')
    .select('id')
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .where('deletedAt', 'is', null)
    .executeTakeFirst()
}

export function selectContactStages(db: Kysely<DB>, workspaceId: string, id: string) {
  return db
    .selectFrom('lifecycleEntries')
    .select(['stage', 'enteredAt', 'isReentry'])
    .where('workspaceId', '=', workspaceId)
    .where('entity', '=', 'contact')
    .where('recordId', '=', id)
    .orderBy('enteredAt')
    .orderBy('id')
    .execute()
}

/** The date `days` after today in the workspace's time zone, as YYYY-MM-DD. */
export async function selectWorkspaceDate(db: Kysely<DB>, workspaceId: string, days: number) {
  const row = await db
    .selectFrom('workspaces')
    .select(sql<string>`(now() at time zone time_zone)::date + ${days}::int`.as('day'))
    .where('id', '=', workspaceId)
    .executeTakeFirstOrThrow()
  return row.day
}
