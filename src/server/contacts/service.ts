import type { Kysely } from 'kysely'
import { uuidv7 } from 'uuidv7'
import type { LifecycleState } from '../../domain/lifecycle.ts'
import { recordAudit } from '../audit/service.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import { customFilterFields, loadDefinitions } from '../custom-fields/values.ts'
import type { Database } from '../db/database.ts'
import type { DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { emitLifecycleChanged, openHandoff, openHandoffOf } from '../handoffs/open.ts'
import { notFoundOrMerged } from '../merges/lookup.ts'
import { changes } from '../records/fields.ts'
import { compileFilter, parseFilterParam } from '../records/filter.ts'
import { type ListQuery, parseSort, searchCondition, toPage } from '../records/list.ts'
import { moveToTrash } from '../trash/move-to-trash.ts'
import { contactFields, contactSorts } from './fields.ts'
import type { ContactInput, ContactPatch } from './input.ts'
import { presentContact } from './present.ts'
import { contactPageQuery, findContact, lockContacts, selectContactStages } from './queries.ts'
import { applyContactRules, type ContactRow } from './rules.ts'

/** The query of one page of contacts (exported so tests can check its plan uses an index). */
export async function buildContactList(db: Kysely<DB>, workspaceId: string, query: ListQuery) {
  const filter = parseFilterParam(query.filter)
  const definitions = filter ? await loadDefinitions(db, workspaceId, 'contact') : []
  const fields = { ...contactFields, ...customFilterFields(definitions, 'c') }
  const sort = parseSort(query.sort, contactSorts, '-updatedAt')
  const where = [
    searchCondition('c.search', query.q),
    filter ? compileFilter(filter, fields) : undefined,
  ].filter((w) => w !== undefined)
  return { sort, query: contactPageQuery(db, workspaceId, where, sort, query.cursor, query.limit) }
}

/** Contacts of the workspace: `q` over names and email, the filter language, any sortable field. */
export async function listContacts(db: Database, principal: Principal, query: ListQuery) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const list = await buildContactList(db, workspaceId, query)
  return toPage(await list.query.execute(), query.limit, list.sort, presentContact)
}

/** One contact with its account and owner summaries and its lifecycle stage history. */
export async function getContact(db: Database, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const row = await findContact(db, workspaceId, id)
  if (!row) throw await notFoundOrMerged(db, workspaceId, 'contact', id, 'Contact not found')
  const stageHistory = await selectContactStages(db, workspaceId, id)
  return {
    ...presentContact(row),
    stageHistory: stageHistory.map((s) => ({
      stage: s.stage,
      enteredAt: s.enteredAt.toISOString(),
      isReentry: s.isReentry,
    })),
  }
}

/**
 * A contact set to mql through the records API is an MQL by hand: its handoff opens in the same
 * transaction (issue 7), unless one is already open.
 */
async function openManualHandoff(
  trx: Kysely<DB>,
  principal: Principal,
  workspaceId: string,
  contactId: string,
) {
  if (await openHandoffOf(trx, workspaceId, contactId)) return
  await openHandoff(trx, {
    workspaceId,
    contactId,
    source: 'manual',
    reason: `Marked MQL by ${principal.name}`,
    actorId: principal.kind === 'user' ? principal.userId : null,
  })
}

/** A unique-index race lost after our own check still names the field. */
async function naming<T>(write: Promise<T>): Promise<T> {
  try {
    return await write
  } catch (error) {
    const constraint = (error as { constraint?: unknown }).constraint
    if ((error as { code?: unknown }).code === '23505' && constraint === 'contacts_email_key') {
      throw new AppError('conflict', 'email: already belongs to another contact', {
        field: 'email',
      })
    }
    throw error
  }
}

/** Creates a contact; its lifecycle stage (if any) starts its stage history. */
export async function createContact(db: Database, principal: Principal, input: ContactInput) {
  const { workspaceId } = requirePermission(principal, 'records:write')
  const id = uuidv7()
  await db.transaction().execute(async (trx) => {
    const values = await applyContactRules(trx, { workspaceId, id }, input)
    await naming(
      trx
        .insertInto('contacts')
        .values({ workspaceId, id, ...values })
        .execute(),
    )
    if (values.lifecycleStage === 'mql') await openManualHandoff(trx, principal, workspaceId, id)
    await recordAudit(trx, principal, workspaceId, {
      action: 'contact.create',
      targetType: 'contact',
      targetId: id,
      details: {
        email: values.email ?? null,
        firstName: input.firstName ?? null,
        lastName: input.lastName ?? null,
      },
    })
  })
  return getContact(db, principal, id)
}

export async function updateContact(
  db: Database,
  principal: Principal,
  id: string,
  patch: ContactPatch,
) {
  const { workspaceId } = requirePermission(principal, 'records:write')
  await db.transaction().execute(async (trx) => {
    const [before] = await lockContacts(trx, workspaceId, [id])
    if (!before) throw new AppError('not_found', 'Contact not found')
    await applyPatch(trx, principal, before, patch)
  })
  return getContact(db, principal, id)
}

async function applyPatch(
  trx: Kysely<DB>,
  principal: Principal,
  before: ContactRow,
  patch: ContactPatch,
) {
  const { workspaceId, id } = before
  const values = await applyContactRules(trx, { workspaceId, id }, patch, before)
  await naming(
    trx
      .updateTable('contacts')
      .set({ ...values, updatedAt: new Date() })
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', id)
      .execute(),
  )
  if (values.lifecycleStage !== undefined) {
    await emitLifecycleChanged(
      trx,
      workspaceId,
      id,
      before.lifecycleStage,
      values.lifecycleStage as LifecycleState,
      `changed by ${principal.name}`,
    )
  }
  if (values.lifecycleStage === 'mql') await openManualHandoff(trx, principal, workspaceId, id)
  const { custom: _custom, ...written } = values
  await recordAudit(trx, principal, workspaceId, {
    action: 'contact.update',
    targetType: 'contact',
    targetId: id,
    details: changes(before, {
      ...written,
      ...(patch.firstTouchUtm !== undefined ? { firstTouchUtm: patch.firstTouchUtm } : {}),
      ...(patch.lastTouchUtm !== undefined ? { lastTouchUtm: patch.lastTouchUtm } : {}),
      ...(patch.custom !== undefined ? { custom: JSON.parse(String(values.custom)) } : {}),
    }),
  })
}

/** Applies one patch to up to 200 contacts in one transaction: all change or none. */
export async function bulkUpdateContacts(
  db: Database,
  principal: Principal,
  ids: string[],
  patch: ContactPatch,
) {
  const { workspaceId } = requirePermission(principal, 'records:write')
  for (const field of ['email', 'externalId'] as const) {
    if (patch[field]) {
      throw new AppError('invalid_input', `${field}: cannot be set on many contacts at once`, {
        field,
      })
    }
  }
  const unique = [...new Set(ids)]
  await db.transaction().execute(async (trx) => {
    const found = await lockContacts(trx, workspaceId, unique)
    const missing = unique.filter((id) => !found.some((f) => f.id === id))
    if (missing.length > 0)
      throw new AppError('not_found', `Contacts not found: ${missing.join(', ')}`, { ids: missing })
    for (const before of found) await applyPatch(trx, principal, before, patch)
  })
  return { updated: unique.length }
}

/** Moves a contact to the Trash (restorable for 30 days); its email is free again meanwhile. */
export async function deleteContact(db: Database, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'records:delete')
  await moveToTrash(db, principal, workspaceId, { entity: 'contact', id })
}
