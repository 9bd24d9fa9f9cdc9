import { type Kysely, sql } from 'kysely'
import type { DB } from '../db/schema.ts'
import { externalKeyOf, type ImportContext, rowError } from './context.ts'
import type { PreparedRow } from './rows.ts'
import type { RowError } from './types.ts'

export type KeyedTable = 'accounts' | 'contacts' | 'deals' | 'products' | 'campaigns' | 'activities'
type MergeTable = 'accounts' | 'contacts'

const nouns: Record<KeyedTable, string> = {
  accounts: 'an account',
  contacts: 'a contact',
  deals: 'a deal',
  products: 'a product',
  campaigns: 'a campaign',
  activities: 'an activity',
}

const hasMerges = (table: KeyedTable): table is MergeTable =>
  table === 'accounts' || table === 'contacts'

/**
 * The live record each merged-away record now lives on: merged_into is followed through chains
 * (a survivor merged in turn) until a record not in the Trash; a chain ending in the Trash leads
 * nowhere (issue 4: an import updates the survivor instead of failing or duplicating).
 */
export async function followMerges(
  db: Kysely<DB>,
  table: MergeTable,
  workspaceId: string,
  start: Map<string, string>,
): Promise<Map<string, string>> {
  const survivors = new Map<string, string>()
  let pending = new Map(start)
  for (let hop = 0; hop < 10 && pending.size > 0; hop++) {
    const rows = await sql<{ id: string; mergedInto: string | null; deletedAt: Date | null }>`
      select id, merged_into as "mergedInto", deleted_at as "deletedAt" from ${sql.table(table)}
      where workspace_id = ${workspaceId}::uuid and id = any(${[...new Set(pending.values())]}::uuid[])
    `.execute(db)
    const byId = new Map(rows.rows.map((r) => [r.id, r]))
    const next = new Map<string, string>()
    for (const [from, at] of pending) {
      const row = byId.get(at)
      if (!row) continue
      if (row.deletedAt === null) survivors.set(from, row.id)
      else if (row.mergedInto) next.set(from, row.mergedInto)
    }
    pending = next
  }
  return survivors
}

/**
 * Records in the Trash that rows name by externalSource + externalId. A merged-away record's key
 * leads to its survivor (added to `existing`, and the row stops carrying the loser's key, which
 * stays the loser's); any other record in the Trash makes the row an error naming externalId.
 * Returns the rows that go on.
 */
export async function routeTrashedKeys(
  db: Kysely<DB>,
  ctx: ImportContext,
  table: KeyedTable,
  rows: PreparedRow[],
  existing: Map<string, string>,
  errors: RowError[],
): Promise<PreparedRow[]> {
  const externalIds = [
    ...new Set(
      rows.map((r) => r.values.externalId).filter((v): v is string => typeof v === 'string'),
    ),
  ]
  if (externalIds.length === 0) return rows
  const found = await sql<{
    id: string
    externalSource: string | null
    externalId: string | null
  }>`
    select id, external_source as "externalSource", external_id as "externalId"
    from ${sql.table(table)}
    where workspace_id = ${ctx.workspaceId}::uuid and deleted_at is not null
      and external_id = any(${externalIds}::text[])
  `.execute(db)
  const trashed = new Map<string, string>()
  for (const r of found.rows)
    for (const k of externalKeyOf(r.externalSource, r.externalId)) trashed.set(k, r.id)
  if (trashed.size === 0) return rows
  const survivors = hasMerges(table)
    ? await followMerges(db, table, ctx.workspaceId, trashed)
    : new Map<string, string>()
  return rows.filter((row) => {
    const key = externalKeyOf(
      String(row.values.externalSource ?? '') || null,
      typeof row.values.externalId === 'string' ? row.values.externalId : null,
    )[0]
    if (key === undefined || !trashed.has(key) || existing.has(key)) return true
    const survivor = survivors.get(key)
    if (survivor) {
      existing.set(key, survivor)
      row.keyOnly = true
      return true
    }
    errors.push(
      rowError(
        row,
        'externalId',
        `externalId: belongs to ${nouns[table]} in the Trash; restore it or import without this id`,
      ),
    )
    return false
  })
}

/** Drops the values that only found the record (the survivor keeps its own key). */
export function dropKeyValues(row: PreparedRow, keys: string[]) {
  if (!row.keyOnly) return
  for (const key of keys) delete row.values[key]
}

/** Marks a row found only through merged-away records' keys (none of its keys found a live one). */
export function markMerged(
  row: PreparedRow,
  keys: string[],
  merged: Map<string, string>,
  existing: Map<string, string>,
) {
  const viaMerge = keys.some((k) => merged.has(k) && existing.has(k))
  const direct = keys.some((k) => existing.has(k) && !merged.has(k))
  if (viaMerge && !direct) row.keyOnly = true
}
