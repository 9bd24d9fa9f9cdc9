import type { Kysely } from 'kysely'
import {
  mergeCustomValues,
  pickFurthestStage,
  pickSources,
  valuesFrom,
} from '../../domain/merge-values.ts'
import { recordAudit } from '../audit/service.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import type { DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { checkMergeInput, type MergeInput, missingOthers } from './merge-input.ts'
import {
  clearExternalRef,
  lockContactsForMerge,
  moveDealContacts,
  moveLifecycleEntries,
  moveReferences,
  retireLosers,
} from './queries.ts'

export const contactMergeFields = [
  'email',
  'firstName',
  'lastName',
  'title',
  'persona',
  'phone',
  'accountId',
  'lifecycleStage',
  'ownerId',
  'source',
  'firstTouchUtm',
  'lastTouchUtm',
  'emailOptIn',
  'doNotContact',
] as const

/**
 * Merges other contacts into one, in one transaction: their stage history, activities, touches
 * and deal links become the survivor's, field values follow the choices (default: the survivor's
 * non-empty value, else the first other's; the furthest stage; "do not contact" if any has it),
 * and the others go to the Trash pointing at it, out of reach of a restore.
 */
export async function mergeContacts(
  db: Database,
  principal: Principal,
  survivorId: string,
  input: MergeInput,
) {
  const { workspaceId } = requirePermission(principal, 'records:write')
  const others = checkMergeInput(survivorId, input, contactMergeFields)
  return db.transaction().execute(async (trx) => {
    const rows = await lockContactsForMerge(trx, workspaceId, [survivorId, ...others])
    const survivor = rows.find((row) => row.id === survivorId)
    if (!survivor) throw new AppError('not_found', 'Contact not found')
    missingOthers('contact', others, rows)
    const ordered = [survivor, ...others.map((id) => rows.find((row) => row.id === id) ?? survivor)]
    const choices = input.fields ?? {}
    const records = ordered.map((row) => ({ id: row.id, values: row }))
    const sources = pickSources(records, contactMergeFields, choices)
    // Without a choice the stage furthest along wins: stage history is forward-only.
    sources.lifecycleStage =
      choices.lifecycleStage ??
      pickFurthestStage(ordered.map((row) => ({ id: row.id, stage: row.lifecycleStage }))) ??
      survivorId
    // Lead status and re-engage date belong to the stage they came with.
    const stageSource = ordered.find((row) => row.id === sources.lifecycleStage) ?? survivor
    // Without a choice, a "do not contact" on any of the records is kept (the safer side).
    if (choices.doNotContact === undefined) {
      sources.doNotContact = (ordered.find((row) => row.doNotContact) ?? survivor).id
    }
    const doNotContact = (ordered.find((row) => row.id === sources.doNotContact) ?? survivor)
      .doNotContact
    const values = valuesFrom(records, sources)
    const custom = mergeCustomValues(
      ordered.map((row) => ({ id: row.id, values: row.custom })),
      choices,
    )

    const moved = await moveContactReferences(trx, workspaceId, survivorId, others)
    await retireLosers(trx, workspaceId, 'contact', survivorId, others)
    const externalRef = await takeExternalRef(trx, workspaceId, survivor, ordered)
    await trx
      .updateTable('contacts')
      .set({
        email: values.email ?? null,
        firstName: values.firstName ?? null,
        lastName: values.lastName ?? null,
        title: values.title ?? null,
        persona: values.persona ?? null,
        phone: values.phone ?? null,
        accountId: values.accountId ?? null,
        lifecycleStage: stageSource.lifecycleStage,
        leadStatus: stageSource.leadStatus,
        recycleUntil: stageSource.recycleUntil,
        ownerId: values.ownerId ?? null,
        source: values.source ?? null,
        firstTouchUtm: json(values.firstTouchUtm),
        lastTouchUtm: json(values.lastTouchUtm),
        emailOptIn: values.emailOptIn ?? survivor.emailOptIn,
        doNotContact,
        custom: JSON.stringify(custom),
        ...(externalRef ?? {}),
        updatedAt: new Date(),
      })
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', survivorId)
      .execute()
    const taken = Object.fromEntries(
      Object.entries(sources).filter(([, source]) => source !== survivorId),
    )
    await recordAudit(trx, principal, workspaceId, {
      action: 'contact.merge',
      targetType: 'contact',
      targetId: survivorId,
      details: { mergedIds: others, fields: choices, taken, moved, ...(externalRef ?? {}) },
    })
    return { id: survivorId, mergedIds: others, fields: sources, moved }
  })
}

const json = (value: Record<string, string> | null | undefined) =>
  value ? JSON.stringify(value) : null

async function moveContactReferences(
  trx: Kysely<DB>,
  workspaceId: string,
  survivorId: string,
  others: string[],
) {
  return {
    lifecycleEntries: await moveLifecycleEntries(trx, workspaceId, 'contact', survivorId, others),
    activities: await moveReferences(
      trx,
      workspaceId,
      'activities',
      'contact_id',
      survivorId,
      others,
    ),
    touchpoints: await moveReferences(
      trx,
      workspaceId,
      'touchpoints',
      'contact_id',
      survivorId,
      others,
    ),
    dealLinks: await moveDealContacts(trx, workspaceId, survivorId, others),
  }
}

/** A survivor without an external reference takes the first other's (imports find it by it). */
export async function takeExternalRef(
  trx: Kysely<DB>,
  workspaceId: string,
  survivor: { externalId: string | null },
  ordered: { id: string; externalSource: string | null; externalId: string | null }[],
  entity: 'contact' | 'account' = 'contact',
) {
  if (survivor.externalId !== null) return undefined
  const lender = ordered.find((row) => row.externalId !== null)
  if (!lender) return undefined
  await clearExternalRef(trx, workspaceId, entity, lender.id)
  return { externalSource: lender.externalSource, externalId: lender.externalId }
}
