import { type Kysely, sql } from 'kysely'
import type { DB } from '../db/schema.ts'

/** SQL types a column of an imported row may have (constants of our code, never user input). */
export type SqlType =
  | 'text'
  | 'int'
  | 'bigint'
  | 'boolean'
  | 'date'
  | 'timestamptz'
  | 'uuid'
  | 'jsonb'
  | 'text[]'

export interface UpsertColumn {
  name: string
  type: SqlType
  /** Write the row's value even when null (a value the writer derived, not an empty cell). */
  replace?: boolean
}

export interface UpsertCounts {
  created: number
  updated: number
  unchanged: number
  /** Ids inserted (new records). */
  insertedIds: Set<string>
  /** Ids inserted or changed. */
  writtenIds: Set<string>
}

const tables = ['accounts', 'contacts', 'products', 'deals', 'activities', 'campaigns'] as const
export type UpsertTable = (typeof tables)[number]

/** One record to write: its id (new or existing) and column → value. */
export interface UpsertRow {
  isNew: boolean
  record: Record<string, unknown>
}

/**
 * Writes a batch in two set-based statements, each taking the batch as one JSON parameter: new
 * records insert; existing ones update only the columns given and only when a value differs, so a
 * re-run of the same file changes nothing. An empty (null) cell never clears a stored value
 * (columns marked `replace` excepted); `custom` merges into the stored custom values.
 */
export async function upsertRows(
  db: Kysely<DB>,
  table: UpsertTable,
  workspaceId: string,
  columns: UpsertColumn[],
  rows: UpsertRow[],
  options: { custom: boolean },
): Promise<UpsertCounts> {
  const all: UpsertColumn[] = [
    { name: 'id', type: 'uuid' },
    ...columns,
    ...(options.custom ? [{ name: 'custom', type: 'jsonb' as const }] : []),
  ]
  const fresh = rows.filter((r) => r.isNew).map((r) => r.record)
  const old = rows.filter((r) => !r.isNew).map((r) => r.record)
  const inserted = await insertRows(db, table, workspaceId, all, fresh)
  const updated = await updateRows(db, table, workspaceId, all, old)
  return {
    created: inserted.length,
    updated: updated.length,
    unchanged: old.length - updated.length,
    insertedIds: new Set(inserted),
    writtenIds: new Set([...inserted, ...updated]),
  }
}

const defaultsByTable = new Map<string, Promise<Map<string, string>>>()

/** Column → default expression of the table's NOT NULL columns that have one (our schema's). */
function notNullDefaults(db: Kysely<DB>, table: UpsertTable): Promise<Map<string, string>> {
  let found = defaultsByTable.get(table)
  if (!found) {
    found = sql<{ name: string; fallback: string }>`
      select column_name as name, column_default as fallback
      from information_schema.columns
      where table_schema = current_schema() and table_name = ${table}
        and is_nullable = 'NO' and column_default is not null
    `
      .execute(db)
      .then((result) => new Map(result.rows.map((r) => [r.name, r.fallback])))
    found.catch(() => defaultsByTable.delete(table))
    defaultsByTable.set(table, found)
  }
  return found
}

const recordType = (all: UpsertColumn[]) =>
  sql.join(all.map((c) => sql`${sql.id(c.name)} ${sql.raw(c.type)}`))

async function insertRows(
  db: Kysely<DB>,
  table: UpsertTable,
  workspaceId: string,
  all: UpsertColumn[],
  records: Record<string, unknown>[],
): Promise<string[]> {
  if (records.length === 0) return []
  const defaults = await notNullDefaults(db, table)
  // An empty cell of a new record gets the column's default, as an insert without it would.
  const selected = sql.join(
    all.map((c) => {
      const fallback = defaults.get(c.name)
      return fallback
        ? sql`coalesce(${sql.ref(`r.${c.name}`)}, ${sql.raw(fallback)})`
        : sql.ref(`r.${c.name}`)
    }),
  )
  const result = await sql<{ id: string }>`
    insert into ${sql.table(table)} (workspace_id, ${sql.join(all.map((c) => sql.id(c.name)))})
    select ${workspaceId}::uuid, ${selected}
    from json_to_recordset(${JSON.stringify(records)}::json) as r(${recordType(all)})
    returning id
  `.execute(db)
  return result.rows.map((r) => r.id)
}

async function updateRows(
  db: Kysely<DB>,
  table: UpsertTable,
  workspaceId: string,
  all: UpsertColumn[],
  records: Record<string, unknown>[],
): Promise<string[]> {
  const updatable = all.filter((c) => c.name !== 'id')
  if (records.length === 0 || updatable.length === 0) return []
  const t = (name: string) => sql.ref(`t.${name}`)
  const r = (name: string) => sql.ref(`r.${name}`)
  const merged = (c: UpsertColumn) => {
    if (c.name === 'custom') return sql`${t(c.name)} || coalesce(${r(c.name)}, '{}'::jsonb)`
    return c.replace ? r(c.name) : sql`coalesce(${r(c.name)}, ${t(c.name)})`
  }
  const sets = sql.join([
    ...updatable.map((c) => sql`${sql.id(c.name)} = ${merged(c)}`),
    sql`updated_at = now()`,
  ])
  const before = sql.join(updatable.map((c) => t(c.name)))
  const after = sql.join(updatable.map((c) => merged(c)))
  const result = await sql<{ id: string }>`
    update ${sql.table(table)} as t set ${sets}
    from json_to_recordset(${JSON.stringify(records)}::json) as r(${recordType(all)})
    where t.workspace_id = ${workspaceId}::uuid and t.id = r.id
      and row(${before}) is distinct from row(${after})
    returning t.id
  `.execute(db)
  return result.rows.map((row) => row.id)
}
