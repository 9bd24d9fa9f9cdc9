import { type Kysely, sql } from 'kysely'
import { uuidv7 } from 'uuidv7'
import type { Principal } from '../auth/principal.ts'
import type { CustomFieldDefinition } from '../custom-fields/values.ts'
import type { DB } from '../db/schema.ts'
import { getBaseCurrency } from '../exchange-rates/service.ts'
import type { PreparedRow } from './rows.ts'
import type { RowError } from './types.ts'

/** What every batch of one import shares: the workspace, who imports, and lookups made once. */
export interface ImportContext {
  workspaceId: string
  actor: Principal
  /** Owner of created records when the file names none: the importing person, if a person. */
  defaultOwnerId: string | null
  /** Lower-cased email and name of each member → user id. */
  members: Map<string, string>
  baseCurrency: string
  /** The workspace's today + 90 days: a recycled contact's default re-engage date. */
  recycleDate: string
  definitions: CustomFieldDefinition[]
  now: Date
}

export interface BatchOutcome {
  created: number
  updated: number
  unchanged: number
  errors: RowError[]
}

export type BatchWriter = (
  db: Kysely<DB>,
  ctx: ImportContext,
  rows: PreparedRow[],
) => Promise<BatchOutcome>

/** Work a batch needs done before its transaction, outside it (DDL that takes its own locks). */
export type BatchPreparer = (
  db: Kysely<DB>,
  ctx: ImportContext,
  rows: PreparedRow[],
) => Promise<void>

export async function loadContext(
  db: Kysely<DB>,
  workspaceId: string,
  actor: Principal,
  definitions: CustomFieldDefinition[],
): Promise<ImportContext> {
  const members = await db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.userId')
    .select(['u.id', 'u.email', 'u.name'])
    .where('m.workspaceId', '=', workspaceId)
    .execute()
  const byName = new Map<string, string>()
  for (const m of members) byName.set(m.name.trim().toLowerCase(), m.id)
  for (const m of members) byName.set(m.email.trim().toLowerCase(), m.id)
  const day = await db
    .selectFrom('workspaces')
    .select(sql<string>`((now() at time zone time_zone)::date + 90)::text`.as('day'))
    .where('id', '=', workspaceId)
    .executeTakeFirstOrThrow()
  return {
    workspaceId,
    actor,
    defaultOwnerId: actor.kind === 'user' ? actor.userId : null,
    members: byName,
    baseCurrency: await getBaseCurrency(db, workspaceId),
    recycleDate: day.day,
    definitions,
    now: new Date(),
  }
}

export function rowError(row: PreparedRow, field: string | null, reason: string): RowError {
  return { line: row.line, column: field ? (row.columns[field] ?? null) : null, reason }
}

/**
 * Resolves the row's `owner` (a member's email or name) to `ownerId`; an unknown owner is a row
 * error. New records without one get the importing person.
 */
export function resolveOwner(ctx: ImportContext, row: PreparedRow): RowError | undefined {
  const owner = row.values.owner
  if (typeof owner !== 'string') return undefined
  const id = ctx.members.get(owner.trim().toLowerCase())
  if (!id) return rowError(row, 'owner', `owner: no member of this workspace is "${owner}"`)
  row.values.ownerId = id
  return undefined
}

/**
 * Gives each row the id of its record: the existing one its key finds, or a new one. Rows with the
 * same key in one batch become one record (the later row's values win).
 */
export function assignIds(
  rows: PreparedRow[],
  keysOf: (row: PreparedRow) => string[],
  existing: Map<string, string>,
): { row: PreparedRow; id: string; isNew: boolean }[] {
  const byKey = new Map<string, { row: PreparedRow; id: string; isNew: boolean }>()
  const byId = new Map<string, { row: PreparedRow; id: string; isNew: boolean }>()
  const out: { row: PreparedRow; id: string; isNew: boolean }[] = []
  for (const row of rows) {
    const keys = keysOf(row)
    const inBatch = keys.map((k) => byKey.get(k)).find((e) => e !== undefined)
    if (inBatch) {
      Object.assign(inBatch.row.values, row.values)
      Object.assign(inBatch.row.custom, row.custom)
      for (const k of keys) byKey.set(k, inBatch)
      continue
    }
    const found = keys.map((k) => existing.get(k)).find((id) => id !== undefined)
    // Two keys may lead to one record (an external id and a merged-away record's domain).
    const same = found === undefined ? undefined : byId.get(found)
    if (same) {
      Object.assign(same.row.values, row.values)
      Object.assign(same.row.custom, row.custom)
      for (const k of keys) byKey.set(k, same)
      continue
    }
    const entry = { row, id: found ?? uuidv7(), isNew: found === undefined }
    for (const k of keys) byKey.set(k, entry)
    byId.set(entry.id, entry)
    out.push(entry)
  }
  return out
}

export const externalKey = (row: PreparedRow) =>
  typeof row.values.externalId === 'string'
    ? [`x:${String(row.values.externalSource ?? '')}\u0000${row.values.externalId}`]
    : []

export const externalKeyOf = (source: string | null, id: string | null) =>
  id === null ? [] : [`x:${source ?? ''}\u0000${id}`]
