import { type Kysely, sql } from 'kysely'
import type { DB } from '../db/schema.ts'
import {
  assignIds,
  type BatchOutcome,
  externalKey,
  externalKeyOf,
  type ImportContext,
  rowError,
} from './context.ts'
import { findContactKeys, resolveAccounts } from './related.ts'
import type { PreparedRow } from './rows.ts'
import { routeTrashedKeys } from './trash.ts'
import type { RowError } from './types.ts'
import { requireForNew, withOwners, writeItems } from './write-simple.ts'

const str = (v: unknown): v is string => typeof v === 'string' && v !== ''

// The link columns an activity row may carry, each naming a record of this workspace by a
// natural key: the contact by email, else by the id it had where the file came from (its
// external id here); the deal by its external reference, else that id, else its name.
const linkKeys = [
  'contact',
  'contactRef',
  'deal',
  'dealRef',
  'dealExternalSource',
  'dealExternalId',
]

function resolveContacts(db: Kysely<DB>, ctx: ImportContext, rows: PreparedRow[]) {
  const emails = rows.map((r) => r.values.contact).filter(str)
  const refs = rows.map((r) => r.values.contactRef).filter(str)
  return findContactKeys(db, ctx, emails, refs)
}

const dealKeysOf = (row: PreparedRow) => {
  const v = row.values
  return [
    ...(str(v.dealExternalId)
      ? externalKeyOf(str(v.dealExternalSource) ? v.dealExternalSource : null, v.dealExternalId)
      : []),
    ...(str(v.dealRef) ? externalKeyOf(null, v.dealRef) : []),
    ...(str(v.deal) ? [`n:${v.deal.toLowerCase()}`] : []),
  ]
}

async function resolveDeals(db: Kysely<DB>, ctx: ImportContext, rows: PreparedRow[]) {
  const externalIds = rows.flatMap((r) => [r.values.dealExternalId, r.values.dealRef]).filter(str)
  const names = rows
    .map((r) => r.values.deal)
    .filter(str)
    .map((n) => n.toLowerCase())
  const byKey = new Map<string, string>()
  if (externalIds.length === 0 && names.length === 0) return byKey
  const found = await db
    .selectFrom('deals')
    .select(['id', 'externalSource', 'externalId', sql<string>`lower(name)`.as('lowerName')])
    .where('workspaceId', '=', ctx.workspaceId)
    .where('deletedAt', 'is', null)
    .where((eb) =>
      eb.or([
        ...(externalIds.length ? [eb('externalId', '=', eb.fn.any(eb.val(externalIds)))] : []),
        ...(names.length ? [eb(sql`lower(name)`, '=', eb.fn.any(eb.val(names)))] : []),
      ]),
    )
    .orderBy('createdAt')
    .execute()
  // A name shared by two deals names neither.
  const named = new Map<string, string | null>()
  for (const d of found) {
    for (const k of externalKeyOf(d.externalSource, d.externalId)) byKey.set(k, d.id)
    const key = `n:${d.lowerName}`
    named.set(key, named.has(key) ? null : d.id)
  }
  for (const [key, id] of named) if (id) byKey.set(key, id)
  return byKey
}

/** Links each row to its contact and deal; one that names a missing record is a row error. */
function linkRows(
  rows: PreparedRow[],
  contacts: Map<string, string>,
  deals: Map<string, string>,
  errors: RowError[],
) {
  return rows.filter((row) => {
    const v = row.values
    if (str(v.contact) || str(v.contactRef)) {
      const id =
        (str(v.contact) ? contacts.get(`e:${v.contact}`) : undefined) ??
        (str(v.contactRef) ? contacts.get(externalKeyOf(null, v.contactRef)[0] ?? '') : undefined)
      if (!id) {
        const field = str(v.contact) ? 'contact' : 'contactRef'
        errors.push(rowError(row, field, `${field}: no contact here is ${String(v[field])}`))
        return false
      }
      v.contactId = id
    }
    const keys = dealKeysOf(row)
    if (keys.length > 0) {
      const id = keys.map((k) => deals.get(k)).find((x) => x !== undefined)
      if (!id) {
        const field = ['dealExternalId', 'dealRef', 'deal'].find((k) => str(v[k])) ?? 'deal'
        errors.push(rowError(row, field, `${field}: no deal here is ${String(v[field])}`))
        return false
      }
      v.dealId = id
    }
    for (const key of linkKeys) delete v[key]
    return true
  })
}

/**
 * Upserts a batch of activities by external id, else by type + subject + time + contact (so a
 * file without ids re-imports unchanged); links the contact, account and deal it names.
 */
export async function writeActivities(
  db: Kysely<DB>,
  ctx: ImportContext,
  input: PreparedRow[],
): Promise<BatchOutcome> {
  const errors: RowError[] = []
  const owned = withOwners(ctx, input, errors)
  const contacts = await resolveContacts(db, ctx, owned)
  const deals = await resolveDeals(db, ctx, owned)
  const rows = linkRows(owned, contacts, deals, errors)
  await resolveAccounts(db, ctx, rows)
  const existing = await existingActivities(db, ctx, rows)
  const live = await routeTrashedKeys(db, ctx, 'activities', rows, existing, errors)
  const items = requireForNew(
    assignIds(live, activityKeys, existing),
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
