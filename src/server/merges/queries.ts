import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { Database } from '../db/database.ts'
import type { DB } from '../db/schema.ts'
import type { KeyColumn } from './keys.ts'

export type MergeEntity = 'contact' | 'account'
const tableOf = { contact: 'contacts', account: 'accounts' } as const

/** Members shown per group; larger groups say their size. */
export const maxGroupMembers = 51

export interface KeyGroup {
  key: string
  size: number
  ids: string[]
}

export interface KeyRange {
  /** Groups whose key sorts after this one (the cursor). */
  afterKey?: string | undefined
  /** Only the group with this key (the groups of one record). */
  key?: string | undefined
}

/**
 * Groups of live records (not in the Trash, not merged) sharing a stored key, in key order, with
 * their size and oldest members. The conditions repeat the partial index's (migration
 * 2026-11-27T0120), so the groups come from an index-only scan that stops after `limit` of them
 * and each group's members from the first entries of its key.
 */
export async function selectKeyGroups(
  db: Database,
  workspaceId: string,
  entity: MergeEntity,
  column: KeyColumn,
  range: KeyRange,
  limit: number,
): Promise<KeyGroup[]> {
  const result = await keyGroupsQuery(workspaceId, entity, column, range, limit).execute(db)
  return result.rows
}

/** The SQL of selectKeyGroups, for EXPLAIN in tests and benchmarks. */
export function keyGroupsQuery(
  workspaceId: string,
  entity: MergeEntity,
  column: KeyColumn,
  range: KeyRange,
  limit: number,
): RawBuilder<KeyGroup> {
  const table = sql.table(tableOf[entity])
  const key = sql.ref(`x.${column}`)
  const memberKey = sql.ref(`m.${column}`)
  return sql<KeyGroup>`
    select g.key, g.size, members.ids from (
      select ${key} as key, count(*)::int as size from ${table} x
      where x.workspace_id = ${workspaceId} and ${key} is not null
        and x.deleted_at is null and x.merged_into is null
        ${range.afterKey === undefined ? sql`` : sql`and ${key} > ${range.afterKey}`}
        ${range.key === undefined ? sql`` : sql`and ${key} = ${range.key}`}
      group by ${key} having count(*) > 1
      order by ${key}
      limit ${limit}
    ) g
    cross join lateral (
      select array_agg(first.id::text order by first.created_at, first.id) as ids from (
        select m.id, m.created_at from ${table} m
        where m.workspace_id = ${workspaceId} and ${memberKey} = g.key
          and m.deleted_at is null and m.merged_into is null
        order by m.created_at, m.id
        limit ${maxGroupMembers}
      ) first
    ) members
    order by g.key
  `
}

/** A live record's stored keys in the order of `columns`; undefined if gone, trashed or merged. */
export async function selectRecordKeys(
  db: Database,
  workspaceId: string,
  entity: MergeEntity,
  id: string,
  columns: readonly KeyColumn[],
): Promise<(string | null)[] | undefined> {
  const result = await sql<{ keys: (string | null)[] }>`
    select array[${sql.join(columns.map((column) => sql.ref(column)))}]::text[] as keys
    from ${sql.table(tableOf[entity])}
    where workspace_id = ${workspaceId} and id = ${id} and deleted_at is null
      and merged_into is null
  `.execute(db)
  return result.rows[0]?.keys
}

export function selectContactSummaries(db: Database, workspaceId: string, ids: string[]) {
  return db
    .selectFrom('contacts as c')
    .leftJoin('accounts as a', (join) =>
      join.onRef('a.workspaceId', '=', 'c.workspaceId').onRef('a.id', '=', 'c.accountId'),
    )
    .leftJoin('users as o', 'o.id', 'c.ownerId')
    .select([
      'c.id',
      'c.email',
      'c.firstName',
      'c.lastName',
      'c.phone',
      'c.title',
      'c.accountId',
      'a.name as accountName',
      'c.lifecycleStage',
      'o.name as ownerName',
      'c.createdAt',
      'c.updatedAt',
    ])
    .where('c.workspaceId', '=', workspaceId)
    .where('c.id', 'in', ids)
    .execute()
}

export function selectAccountSummaries(db: Database, workspaceId: string, ids: string[]) {
  return db
    .selectFrom('accounts as a')
    .leftJoin('users as o', 'o.id', 'a.ownerId')
    .select([
      'a.id',
      'a.name',
      'a.domain',
      'a.industry',
      'a.employees',
      'a.country',
      'a.lifecycleStage',
      'o.name as ownerName',
      'a.createdAt',
      'a.updatedAt',
    ])
    .select((eb) => [
      eb
        .selectFrom('contacts as c')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('c.workspaceId', '=', 'a.workspaceId')
        .whereRef('c.accountId', '=', 'a.id')
        .where('c.deletedAt', 'is', null)
        .as('contactCount'),
    ])
    .where('a.workspaceId', '=', workspaceId)
    .where('a.id', 'in', ids)
    .execute()
}

/** Locks the live contacts among `ids`, in id order so two merges cannot deadlock. */
export function lockContactsForMerge(db: Kysely<DB>, workspaceId: string, ids: string[]) {
  return db
    .selectFrom('contacts')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .where('id', 'in', ids)
    .where('deletedAt', 'is', null)
    .orderBy('id')
    .forUpdate()
    .execute()
}

export function lockAccountsForMerge(db: Kysely<DB>, workspaceId: string, ids: string[]) {
  return db
    .selectFrom('accounts')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .where('id', 'in', ids)
    .where('deletedAt', 'is', null)
    .orderBy('id')
    .forUpdate()
    .execute()
}

const count = (result: { numUpdatedRows?: bigint; numAffectedRows?: bigint }) =>
  Number(result.numUpdatedRows ?? result.numAffectedRows ?? 0n)

/** Lifecycle entries of the losers become the survivor's: every entry kept, ordered by time. */
export async function moveLifecycleEntries(
  db: Kysely<DB>,
  workspaceId: string,
  entity: MergeEntity,
  survivorId: string,
  loserIds: string[],
) {
  const result = await db
    .updateTable('lifecycleEntries')
    .set({ recordId: survivorId })
    .where('workspaceId', '=', workspaceId)
    .where('entity', '=', entity)
    .where('recordId', 'in', loserIds)
    .executeTakeFirst()
  return count(result)
}

/** Points every row of `table` whose `column` names a loser at the survivor (trashed rows too). */
export async function moveReferences(
  db: Kysely<DB>,
  workspaceId: string,
  table: 'activities' | 'touchpoints' | 'contacts' | 'deals',
  column: 'contact_id' | 'account_id',
  survivorId: string,
  loserIds: string[],
) {
  const result = await sql`
    update ${sql.table(table)} set ${sql.ref(column)} = ${survivorId}
    where workspace_id = ${workspaceId} and ${sql.ref(column)} in (${sql.join(loserIds)})
  `.execute(db)
  return Number(result.numAffectedRows ?? 0n)
}

/**
 * Deal links of the losers move to the survivor. Where the survivor (or two losers) was already on
 * the deal, one link stays: primary if any was, with the survivor's role, else a loser's.
 */
export async function moveDealContacts(
  db: Kysely<DB>,
  workspaceId: string,
  survivorId: string,
  loserIds: string[],
) {
  const losers = sql.join(loserIds)
  const moved = await sql`
    insert into deal_contacts (workspace_id, deal_id, contact_id, role, is_primary)
    select workspace_id, deal_id, ${survivorId}::uuid,
      (array_agg(role order by is_primary desc, role nulls last))[1], bool_or(is_primary)
    from deal_contacts where workspace_id = ${workspaceId} and contact_id in (${losers})
    group by workspace_id, deal_id
    on conflict (workspace_id, deal_id, contact_id) do update
      set is_primary = deal_contacts.is_primary or excluded.is_primary,
          role = coalesce(deal_contacts.role, excluded.role)
  `.execute(db)
  await sql`
    delete from deal_contacts where workspace_id = ${workspaceId} and contact_id in (${losers})
  `.execute(db)
  return Number(moved.numAffectedRows ?? 0n)
}

/**
 * The losers go to the Trash pointing at the survivor; records merged into a loser earlier now
 * point at the survivor too, so one hop always reaches a live record.
 */
export async function retireLosers(
  db: Kysely<DB>,
  workspaceId: string,
  entity: MergeEntity,
  survivorId: string,
  loserIds: string[],
) {
  const table = sql.table(tableOf[entity])
  await sql`
    update ${table} set merged_into = ${survivorId}
    where workspace_id = ${workspaceId} and merged_into in (${sql.join(loserIds)})
  `.execute(db)
  await sql`
    update ${table} set deleted_at = now(), updated_at = now(), merged_into = ${survivorId}
    where workspace_id = ${workspaceId} and id in (${sql.join(loserIds)})
  `.execute(db)
}

/** Clears a loser's external reference so the survivor can take it (the key is unique). */
export async function clearExternalRef(
  db: Kysely<DB>,
  workspaceId: string,
  entity: MergeEntity,
  id: string,
) {
  await sql`
    update ${sql.table(tableOf[entity])} set external_source = null, external_id = null
    where workspace_id = ${workspaceId} and id = ${id}
  `.execute(db)
}

/** The record a merged id was merged into, if it was. */
export async function selectMergedInto(
  db: Kysely<DB>,
  workspaceId: string,
  entity: MergeEntity,
  id: string,
) {
  const result = await sql<{ mergedInto: string }>`
    select merged_into from ${sql.table(tableOf[entity])}
    where workspace_id = ${workspaceId} and id = ${id} and merged_into is not null
  `.execute(db)
  return result.rows[0]?.mergedInto
}
