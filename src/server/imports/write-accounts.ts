import { type Kysely, sql } from 'kysely'
import type { DB } from '../db/schema.ts'
import {
  assignIds,
  type BatchOutcome,
  externalKey,
  externalKeyOf,
  type ImportContext,
  resolveOwner,
  rowError,
} from './context.ts'
import { insertLifecycleEntries, planLifecycle } from './related.ts'
import type { PreparedRow } from './rows.ts'
import type { RowError } from './types.ts'
import { upsertRows } from './upsert.ts'
import { checkCustom, columnsOf, recordOf } from './write-common.ts'

const str = (v: unknown): v is string => typeof v === 'string' && v !== ''

async function existingAccounts(db: Kysely<DB>, ctx: ImportContext, rows: PreparedRow[]) {
  const domains = rows.map((r) => r.values.domain).filter(str)
  const names = rows
    .map((r) => r.values.name)
    .filter(str)
    .map((n) => n.toLowerCase())
  const externalIds = rows.map((r) => r.values.externalId).filter(str)
  return db
    .selectFrom('accounts')
    .select(['id', 'domain', 'externalSource', 'externalId', 'lifecycleStage'])
    .select(sql<string>`lower(name)`.as('lowerName'))
    .where('workspaceId', '=', ctx.workspaceId)
    .where('deletedAt', 'is', null)
    .where((eb) =>
      eb.or([
        ...(domains.length ? [eb('domain', '=', eb.fn.any(eb.val(domains)))] : []),
        ...(names.length ? [eb(sql`lower(name)`, '=', eb.fn.any(eb.val(names)))] : []),
        ...(externalIds.length ? [eb('externalId', '=', eb.fn.any(eb.val(externalIds)))] : []),
      ]),
    )
    .orderBy('createdAt')
    .execute()
}

// Natural key of an account: its normalised domain, else its name, else its external id.
const accountKeys = (row: PreparedRow) => {
  if (str(row.values.domain)) return [`d:${row.values.domain}`, ...externalKey(row)]
  return [`n:${String(row.values.name).toLowerCase()}`, ...externalKey(row)]
}

/** Upserts a batch of accounts by domain, else name, else external id; stamps lifecycle history. */
export async function writeAccounts(
  db: Kysely<DB>,
  ctx: ImportContext,
  input: PreparedRow[],
): Promise<BatchOutcome> {
  const errors: RowError[] = []
  const rows = input.filter((row) => {
    const error = resolveOwner(ctx, row) ?? checkCustom(ctx, row)
    if (error) errors.push(error)
    return !error
  })
  const found = await existingAccounts(db, ctx, rows)
  const existing = new Map<string, string>()
  for (const a of found) {
    if (a.domain && !existing.has(`d:${a.domain}`)) existing.set(`d:${a.domain}`, a.id)
    // An account without a domain is found by name; one with a domain only by that domain.
    if (!existing.has(`n:${a.lowerName}`)) existing.set(`n:${a.lowerName}`, a.id)
    for (const k of externalKeyOf(a.externalSource, a.externalId)) existing.set(k, a.id)
  }
  const stages = new Map(found.map((a) => [a.id, a.lifecycleStage]))
  let items = assignIds(rows, accountKeys, existing)
  const { plans, errors: stageErrors } = await planLifecycle(
    db,
    ctx,
    'account',
    items.map(({ row, id }) => ({ row, id, current: stages.get(id) ?? null })),
  )
  items = items.filter(({ row, isNew }) => {
    const error =
      stageErrors.get(row) ??
      (isNew && !str(row.values.name)
        ? rowError(row, null, 'name: required for a new account')
        : undefined)
    if (error) errors.push(error)
    else if (isNew && row.values.ownerId === undefined && ctx.defaultOwnerId)
      row.values.ownerId = ctx.defaultOwnerId
    return !error
  })
  const columns = columnsOf(
    'accounts',
    items.map((i) => i.row),
  )
  const counts = await upsertRows(
    db,
    'accounts',
    ctx.workspaceId,
    columns,
    items.map(({ row, id, isNew }) => ({ isNew, record: recordOf('accounts', id, row, columns) })),
    { custom: items.some((i) => Object.keys(i.row.custom).length > 0) },
  )
  await insertLifecycleEntries(
    db,
    ctx,
    'account',
    plans.filter((p) => counts.writtenIds.has(p.recordId)),
  )
  return { created: counts.created, updated: counts.updated, unchanged: counts.unchanged, errors }
}
