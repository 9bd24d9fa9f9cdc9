import { type Kysely, sql } from 'kysely'
import type { DB } from '../db/schema.ts'
import { recomputeDealFit } from '../fit/recompute.ts'
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
import { dropKeyValues, followMerges, markMerged, routeTrashedKeys } from './trash.ts'
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
  return (
    db
      .selectFrom('accounts')
      .select(['id', 'domain', 'externalSource', 'externalId', 'lifecycleStage', 'mergedInto'])
      .select(sql<string>`lower(name)`.as('lowerName'))
      .where('workspaceId', '=', ctx.workspaceId)
      // Accounts merged into another answer for their survivor (issue 4).
      .where((eb) => eb.or([eb('deletedAt', 'is', null), eb('mergedInto', 'is not', null)]))
      .where((eb) =>
        eb.or([
          ...(domains.length ? [eb('domain', '=', eb.fn.any(eb.val(domains)))] : []),
          ...(names.length ? [eb(sql`lower(name)`, '=', eb.fn.any(eb.val(names)))] : []),
          ...(externalIds.length ? [eb('externalId', '=', eb.fn.any(eb.val(externalIds)))] : []),
        ]),
      )
      .orderBy('createdAt')
      .execute()
  )
}

function keysOfAccount(a: {
  domain: string | null
  lowerName: string
  externalSource: string | null
  externalId: string | null
}) {
  return [
    ...(a.domain ? [`d:${a.domain}`] : []),
    `n:${a.lowerName}`,
    ...externalKeyOf(a.externalSource, a.externalId),
  ]
}

// Natural key of an account: its normalised domain, else its name, else its external id.
const accountKeys = (row: PreparedRow) => {
  if (str(row.values.domain)) return [`d:${row.values.domain}`, ...externalKey(row)]
  return [`n:${String(row.values.name).toLowerCase()}`, ...externalKey(row)]
}

/** The lifecycle stage of each record rows may update (survivors of merges included). */
async function currentStages(
  db: Kysely<DB>,
  ctx: ImportContext,
  ids: string[],
  found: { id: string; lifecycleStage: string | null }[],
): Promise<[string, string | null][]> {
  const known = new Map(found.map((a) => [a.id, a.lifecycleStage]))
  const missing = ids.filter((id) => !known.has(id))
  if (missing.length > 0) {
    const more = await db
      .selectFrom('accounts')
      .select(['id', 'lifecycleStage'])
      .where('workspaceId', '=', ctx.workspaceId)
      .where('id', 'in', missing)
      .execute()
    for (const a of more) known.set(a.id, a.lifecycleStage)
  }
  return [...known]
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
  const all = await existingAccounts(db, ctx, rows)
  const found = all.filter((a) => a.mergedInto === null)
  const existing = new Map<string, string>()
  for (const a of found) {
    // An account without a domain is found by name; one with a domain only by that domain.
    for (const k of keysOfAccount(a)) if (!existing.has(k)) existing.set(k, a.id)
  }
  const merged = new Map<string, string>()
  for (const a of all)
    if (a.mergedInto !== null)
      for (const k of keysOfAccount(a)) if (!existing.has(k)) merged.set(k, a.id)
  for (const [key, id] of await followMerges(db, 'accounts', ctx.workspaceId, merged))
    existing.set(key, id)
  for (const row of rows) markMerged(row, accountKeys(row), merged, existing)
  const live = await routeTrashedKeys(db, ctx, 'accounts', rows, existing, errors)
  const stages = new Map(await currentStages(db, ctx, [...new Set(existing.values())], found))
  let items = assignIds(live, accountKeys, existing)
  for (const { row } of items)
    dropKeyValues(row, ['externalSource', 'externalId', 'domain', 'name'])
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
  // Product fit (issue 9) of the deals of accounts whose industry, employees or region may have changed.
  const updated = items.filter((i) => !i.isNew && counts.writtenIds.has(i.id)).map((i) => i.id)
  await recomputeDealFit(db, ctx.workspaceId, { accountIds: updated })
  return { created: counts.created, updated: counts.updated, unchanged: counts.unchanged, errors }
}
