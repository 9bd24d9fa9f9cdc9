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
import { resolveAccounts } from './related.ts'
import type { PreparedRow } from './rows.ts'
import type { ImportEntity, RowError } from './types.ts'
import { type UpsertTable, upsertRows } from './upsert.ts'
import { columnsOf, recordOf } from './write-common.ts'

const str = (v: unknown): v is string => typeof v === 'string' && v !== ''

/** Rows whose owner resolves; the others become row errors. */
function withOwners(ctx: ImportContext, rows: PreparedRow[], errors: RowError[]) {
  return rows.filter((row) => {
    const error = resolveOwner(ctx, row)
    if (error) errors.push(error)
    return !error
  })
}

async function writeItems(
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
function requireForNew(
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
  const items = requireForNew(assignIds(input, nameKeys, existing), errors, ['name'], 'product')
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
  const rows = withOwners(ctx, input, errors)
  const existing = await existingByName(db, ctx, 'campaigns', rows)
  const items = requireForNew(
    assignIds(rows, nameKeys, existing),
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
  return writeItems(db, ctx, 'campaigns', items, errors)
}

async function resolveContacts(db: Kysely<DB>, ctx: ImportContext, rows: PreparedRow[]) {
  const emails = rows.map((r) => r.values.contact).filter(str)
  if (emails.length === 0) return new Map<string, string>()
  const found = await db
    .selectFrom('contacts')
    .select(['id', 'email'])
    .where('workspaceId', '=', ctx.workspaceId)
    .where('deletedAt', 'is', null)
    .where('email', '=', (eb) => eb.fn.any(eb.val(emails)))
    .execute()
  return new Map(found.map((c) => [String(c.email), c.id]))
}

/**
 * Upserts a batch of activities by external id, else by type + subject + time + contact (so a
 * file without ids re-imports unchanged); the contact is found by email (unknown: row error).
 */
export async function writeActivities(
  db: Kysely<DB>,
  ctx: ImportContext,
  input: PreparedRow[],
): Promise<BatchOutcome> {
  const errors: RowError[] = []
  const contacts = await resolveContacts(db, ctx, input)
  const rows = withOwners(ctx, input, errors).filter((row) => {
    const email = row.values.contact
    if (!str(email)) return true
    const id = contacts.get(email)
    if (id) row.values.contactId = id
    else errors.push(rowError(row, 'contact', `contact: no contact has the email ${email}`))
    return id !== undefined
  })
  await resolveAccounts(db, ctx, rows)
  const existing = await existingActivities(db, ctx, rows)
  const items = requireForNew(
    assignIds(rows, activityKeys, existing),
    errors,
    ['type', 'subject'],
    'activity',
  )
  for (const { row, isNew } of items)
    if (isNew && row.values.ownerId === undefined && ctx.defaultOwnerId)
      row.values.ownerId = ctx.defaultOwnerId
  return writeItems(db, ctx, 'activities', items, errors)
}

const activityKeys = (row: PreparedRow) => {
  const external = externalKey(row)
  if (external.length > 0) return external
  const v = row.values
  return [`a:${v.type}\u0000${v.subject}\u0000${v.occurredAt ?? ''}\u0000${v.contactId ?? ''}`]
}

async function existingActivities(db: Kysely<DB>, ctx: ImportContext, rows: PreparedRow[]) {
  const externalIds = rows.map((r) => r.values.externalId).filter(str)
  const subjects = rows.map((r) => r.values.subject).filter(str)
  const existing = new Map<string, string>()
  if (externalIds.length === 0 && subjects.length === 0) return existing
  const found = await db
    .selectFrom('activities')
    .select(['id', 'type', 'subject', 'occurredAt', 'contactId', 'externalSource', 'externalId'])
    .where('workspaceId', '=', ctx.workspaceId)
    .where('deletedAt', 'is', null)
    .where((eb) =>
      eb.or([
        ...(externalIds.length ? [eb('externalId', '=', eb.fn.any(eb.val(externalIds)))] : []),
        ...(subjects.length ? [eb('subject', '=', eb.fn.any(eb.val(subjects)))] : []),
      ]),
    )
    .execute()
  for (const a of found) {
    const at = a.occurredAt ? new Date(a.occurredAt).toISOString() : ''
    existing.set(`a:${a.type}\u0000${a.subject}\u0000${at}\u0000${a.contactId ?? ''}`, a.id)
    for (const k of externalKeyOf(a.externalSource, a.externalId)) existing.set(k, a.id)
  }
  return existing
}
