import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import { ensurePersonas } from '../personas/service.ts'
import { findSuppressedEmails } from '../privacy/suppressions.ts'
import {
  assignIds,
  type BatchOutcome,
  externalKey,
  externalKeyOf,
  type ImportContext,
  resolveOwner,
  rowError,
} from './context.ts'
import { insertLifecycleEntries, planLifecycle, resolveAccounts } from './related.ts'
import type { PreparedRow } from './rows.ts'
import { dropKeyValues, followMerges, markMerged } from './trash.ts'
import type { RowError } from './types.ts'
import { upsertRows } from './upsert.ts'
import { checkCustom, columnsOf, recordOf } from './write-common.ts'

const queueStages: readonly unknown[] = ['mql', 'sal']

async function existingContacts(db: Kysely<DB>, ctx: ImportContext, rows: PreparedRow[]) {
  const emails = rows.map((r) => r.values.email).filter((e): e is string => typeof e === 'string')
  const externalIds = rows
    .map((r) => r.values.externalId)
    .filter((e): e is string => typeof e === 'string')
  if (emails.length === 0 && externalIds.length === 0) return []
  return db
    .selectFrom('contacts')
    .select(['id', 'email', 'externalSource', 'externalId', 'lifecycleStage', 'leadStatus'])
    .select(['recycleUntil', 'deletedAt', 'mergedInto'])
    .where('workspaceId', '=', ctx.workspaceId)
    .where((eb) =>
      eb.or([
        // External ids stay unique in the Trash too (contacts_external_key): look there as well.
        // A contact merged into another answers for its survivor by its email too (issue 4).
        ...(emails.length
          ? [
              eb.and([
                eb.or([eb('deletedAt', 'is', null), eb('mergedInto', 'is not', null)]),
                eb('email', '=', eb.fn.any(eb.val(emails))),
              ]),
            ]
          : []),
        ...(externalIds.length ? [eb('externalId', '=', eb.fn.any(eb.val(externalIds)))] : []),
      ]),
    )
    .execute()
}

const contactKeys = (row: PreparedRow) => [
  ...(typeof row.values.email === 'string' ? [`e:${row.values.email}`] : []),
  ...externalKey(row),
]

/**
 * Upserts a batch of contacts by email, else externalSource + externalId; names its account
 * (created when missing) and owner; stamps lifecycle history like the API; keeps lead status only
 * inside mql/sal and gives recycled contacts a re-engage date.
 */
export async function writeContacts(
  db: Kysely<DB>,
  ctx: ImportContext,
  input: PreparedRow[],
): Promise<BatchOutcome> {
  const errors: RowError[] = []
  const personas = input.some((r) => r.values.persona !== undefined)
    ? new Set((await ensurePersonas(db, ctx.workspaceId)).map((p) => p.key))
    : new Set<string>()
  const emailOf = (row: PreparedRow) =>
    typeof row.values.email === 'string' ? row.values.email : undefined
  const suppressed = await findSuppressedEmails(
    db,
    ctx.workspaceId,
    input.flatMap((row) => emailOf(row) ?? []),
  )
  const rows = input.filter((row) => {
    const persona = row.values.persona
    const email = emailOf(row)
    const error =
      (email && suppressed.has(email)
        ? rowError(row, 'email', 'email: suppressed (erased on request)')
        : undefined) ??
      resolveOwner(ctx, row) ??
      checkCustom(ctx, row) ??
      (typeof persona === 'string' && !personas.has(persona)
        ? rowError(row, 'persona', `persona: "${persona}" is not a persona of this workspace`)
        : undefined)
    if (error) errors.push(error)
    return !error
  })
  const all = await existingContacts(db, ctx, rows)
  const found = all.filter((c) => c.mergedInto === null)
  const existing = new Map<string, string>()
  const current = new Map<string, ContactNow>(found.map((c) => [c.id, c]))
  for (const c of found) {
    if (c.email && !c.deletedAt) existing.set(`e:${c.email}`, c.id)
    for (const k of externalKeyOf(c.externalSource, c.externalId)) existing.set(k, c.id)
  }
  const merged = new Map<string, string>()
  for (const c of all) {
    if (c.mergedInto === null) continue
    const keys = [
      ...(c.email ? [`e:${c.email}`] : []),
      ...externalKeyOf(c.externalSource, c.externalId),
    ]
    for (const k of keys) if (!existing.has(k)) merged.set(k, c.id)
  }
  for (const [key, id] of await followMerges(db, 'contacts', ctx.workspaceId, merged))
    existing.set(key, id)
  for (const row of rows) markMerged(row, contactKeys(row), merged, existing)
  for (const c of await survivorsOf(db, ctx, [...existing.values()], current)) current.set(c.id, c)
  const keyed = rows.filter((row) => {
    const error = keyConflict(row, existing, current)
    if (error) errors.push(error)
    return !error
  })
  const assigned = assignIds(keyed, contactKeys, existing)
  for (const { row } of assigned) dropKeyValues(row, ['externalSource', 'externalId', 'email'])
  let items = assigned.filter(({ row, isNew }) => {
    const v = row.values
    if (!isNew || v.email || v.firstName || v.lastName) return true
    errors.push(rowError(row, null, 'a contact needs an email, a first name or a last name'))
    return false
  })
  const { plans, errors: stageErrors } = await planLifecycle(
    db,
    ctx,
    'contact',
    items.map(({ row, id }) => ({ row, id, current: current.get(id)?.lifecycleStage ?? null })),
  )
  items = items.filter(({ row }) => {
    const error = stageErrors.get(row)
    if (error) errors.push(error)
    return !error
  })
  for (const { row, id, isNew } of items) {
    const before = current.get(id)
    applyStageRules(ctx, row, before)
    if (isNew && row.values.ownerId === undefined && ctx.defaultOwnerId)
      row.values.ownerId = ctx.defaultOwnerId
  }
  await resolveAccounts(
    db,
    ctx,
    items.map((i) => i.row),
  )
  const columns = columnsOf(
    'contacts',
    items.map((i) => i.row),
  )
  const counts = await upsertRows(
    db,
    'contacts',
    ctx.workspaceId,
    columns.map((c) => (c.name === 'lead_status' ? { ...c, replace: true } : c)),
    items.map(({ row, id, isNew }) => ({ isNew, record: recordOf('contacts', id, row, columns) })),
    { custom: items.some((i) => Object.keys(i.row.custom).length > 0) },
  )
  await insertLifecycleEntries(
    db,
    ctx,
    'contact',
    plans.filter((p) => counts.writtenIds.has(p.recordId)),
  )
  return { created: counts.created, updated: counts.updated, unchanged: counts.unchanged, errors }
}

type ContactNow = {
  id: string
  lifecycleStage: string | null
  leadStatus: string | null
  recycleUntil: string | null
  deletedAt: Date | null
}

/** The records found through merges, which the first lookup did not load. */
async function survivorsOf(
  db: Kysely<DB>,
  ctx: ImportContext,
  ids: string[],
  current: Map<string, ContactNow>,
): Promise<ContactNow[]> {
  const missing = [...new Set(ids)].filter((id) => !current.has(id))
  if (missing.length === 0) return []
  return db
    .selectFrom('contacts')
    .select(['id', 'lifecycleStage', 'leadStatus', 'recycleUntil', 'deletedAt'])
    .where('workspaceId', '=', ctx.workspaceId)
    .where('id', 'in', missing)
    .execute()
}

/** A row whose email and external id name two different contacts, or a contact in the Trash. */
function keyConflict(
  row: PreparedRow,
  existing: Map<string, string>,
  current: Map<string, { deletedAt: Date | null }>,
) {
  const ids = contactKeys(row).map((k) => existing.get(k))
  const [byEmail, byExternal] =
    typeof row.values.email === 'string' ? [ids[0], ids[1]] : [undefined, ids[0]]
  if (byEmail && byExternal && byEmail !== byExternal) {
    return rowError(row, 'externalId', 'externalId: belongs to another contact than the email')
  }
  if (byExternal && current.get(byExternal)?.deletedAt) {
    return rowError(
      row,
      'externalId',
      'externalId: belongs to a contact in the Trash; restore it or import without this id',
    )
  }
  return undefined
}

/**
 * Lead status lives only inside mql and sal (DEFINITIONS.md): a row's status elsewhere is dropped,
 * a contact entering mql or sal starts at `new`, one leaving them loses its status; a recycled
 * contact keeps or gets a re-engage date (today + 90 days), others have none.
 */
function applyStageRules(
  ctx: ImportContext,
  row: PreparedRow,
  before:
    | { lifecycleStage: string | null; leadStatus: string | null; recycleUntil: string | null }
    | undefined,
) {
  const v = row.values
  const stage = v.lifecycleStage ?? before?.lifecycleStage ?? null
  const wasQueued = queueStages.includes(before?.lifecycleStage ?? null)
  if (!queueStages.includes(stage)) v.leadStatus = null
  else if (v.leadStatus === undefined)
    v.leadStatus = wasQueued ? (before?.leadStatus ?? 'new') : 'new'
  if (stage === 'recycled')
    v.recycleUntil = before?.lifecycleStage === 'recycled' ? before.recycleUntil : ctx.recycleDate
  else v.recycleUntil = null
}
