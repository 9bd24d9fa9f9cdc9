import { type Kysely, sql } from 'kysely'
import type { DB } from '../db/schema.ts'
import { readCosts, writeCosts } from './campaign-costs.ts'
import {
  assignIds,
  type BatchOutcome,
  externalKey,
  externalKeyOf,
  type ImportContext,
  resolveOwner,
  rowError,
} from './context.ts'
import type { PreparedRow } from './rows.ts'
import { routeTrashedKeys } from './trash.ts'
import type { ImportEntity, RowError } from './types.ts'
import { type UpsertTable, upsertRows } from './upsert.ts'
import { columnsOf, recordOf } from './write-common.ts'

const str = (v: unknown): v is string => typeof v === 'string' && v !== ''

/** Rows whose owner resolves; the others become row errors. */
export function withOwners(ctx: ImportContext, rows: PreparedRow[], errors: RowError[]) {
  return rows.filter((row) => {
    const error = resolveOwner(ctx, row)
    if (error) errors.push(error)
    return !error
  })
}

export async function writeItems(
  db: Kysely<DB>,
  ctx: ImportContext,
  entity: ImportEntity & UpsertTable,
  items: { row: PreparedRow; id: string; isNew: boolean }[],
  errors: RowError[],
): Promise<BatchOutcome> {
  const columns = columnsOf(
    entity,
    items.map((i) => i.row),
  )
  const counts = await upsertRows(
    db,
    entity,
    ctx.workspaceId,
    columns,
    items.map(({ row, id, isNew }) => ({ isNew, record: recordOf(entity, id, row, columns) })),
    { custom: false },
  )
  return { created: counts.created, updated: counts.updated, unchanged: counts.unchanged, errors }
}

/** Rows that name a new record lacking a value it needs become row errors. */
export function requireForNew(
  items: { row: PreparedRow; id: string; isNew: boolean }[],
  errors: RowError[],
  required: string[],
  what: string,
) {
  return items.filter(({ row, isNew }) => {
    const missing = isNew ? required.find((k) => row.values[k] === undefined) : undefined
    if (missing) errors.push(rowError(row, null, `${missing}: required for a new ${what}`))
    return !missing
  })
}

/** Existing ids by lower(name) and external id, for tables keyed by name. */
async function existingByName(
  db: Kysely<DB>,
  ctx: ImportContext,
  table: 'products' | 'campaigns',
  rows: PreparedRow[],
) {
  const names = rows
    .map((r) => r.values.name)
    .filter(str)
    .map((n) => n.toLowerCase())
  const externalIds = rows.map((r) => r.values.externalId).filter(str)
  const found = await db
    .selectFrom(table)
    .select(['id', 'externalSource', 'externalId'])
    .select(sql<string>`lower(name)`.as('lowerName'))
    .where('workspaceId', '=', ctx.workspaceId)
    .where('deletedAt', 'is', null)
    .where((eb) =>
      eb.or([
        ...(names.length ? [eb(sql`lower(name)`, '=', eb.fn.any(eb.val(names)))] : []),
        ...(externalIds.length ? [eb('externalId', '=', eb.fn.any(eb.val(externalIds)))] : []),
      ]),
    )
    .orderBy('createdAt')
    .execute()
  const existing = new Map<string, string>()
  for (const r of found) {
    if (!existing.has(`n:${r.lowerName}`)) existing.set(`n:${r.lowerName}`, r.id)
    for (const k of externalKeyOf(r.externalSource, r.externalId)) existing.set(k, r.id)
  }
  return existing
}

const nameKeys = (row: PreparedRow) => [
  ...(str(row.values.name) ? [`n:${row.values.name.toLowerCase()}`] : []),
  ...externalKey(row),
]

/** Upserts a batch of products by name (unique per workspace), else external id. */
export async function writeProducts(
  db: Kysely<DB>,
  ctx: ImportContext,
  input: PreparedRow[],
): Promise<BatchOutcome> {
  const errors: RowError[] = []
  const existing = await existingByName(db, ctx, 'products', input)
  const live = await routeTrashedKeys(db, ctx, 'products', input, existing, errors)
  const items = requireForNew(assignIds(live, nameKeys, existing), errors, ['name'], 'product')
  for (const { row, isNew } of items) if (isNew) row.values.currency ??= ctx.baseCurrency
  return writeItems(db, ctx, 'products', items, errors)
}

/** Upserts a batch of campaigns by name, else external id. */
export async function writeCampaigns(
  db: Kysely<DB>,
  ctx: ImportContext,
  input: PreparedRow[],
): Promise<BatchOutcome> {
  const errors: RowError[] = []
  const read = readCosts(ctx, withOwners(ctx, input, errors), errors)
  const existing = await existingByName(db, ctx, 'campaigns', read.rows)
  const live = await routeTrashedKeys(db, ctx, 'campaigns', read.rows, existing, errors)
  const items = requireForNew(
    assignIds(live, nameKeys, existing),
    errors,
    ['name', 'channel'],
    'campaign',
  )
  for (const { row, isNew } of items) {
    if (!isNew) continue
    row.values.currency ??= ctx.baseCurrency
    row.values.type ??= 'other'
    if (row.values.ownerId === undefined && ctx.defaultOwnerId)
      row.values.ownerId = ctx.defaultOwnerId
  }
  const outcome = await writeItems(db, ctx, 'campaigns', items, errors)
  await writeCosts(
    db,
    ctx,
    items.map(({ row, id }) => ({ id, costs: read.costs.get(row) })),
  )
  return outcome
}
