import {
  mergeCustomValues,
  pickFurthestStage,
  pickSources,
  valuesFrom,
} from '../../domain/merge-values.ts'
import { recordAudit } from '../audit/service.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import { AppError } from '../errors.ts'
import { recomputeDealFit } from '../fit/recompute.ts'
import { takeExternalRef } from './merge-contacts.ts'
import { checkMergeInput, type MergeInput, missingOthers } from './merge-input.ts'
import {
  lockAccountsForMerge,
  moveLifecycleEntries,
  moveReferences,
  retireLosers,
} from './queries.ts'

export const accountMergeFields = [
  'name',
  'domain',
  'industry',
  'employees',
  'annualRevenue',
  'country',
  'region',
  'tier',
  'ownerId',
  'lifecycleStage',
] as const

/**
 * Merges other accounts into one, in one transaction: their contacts, deals, activities, touches
 * and stage history become the survivor's, field values follow the choices (default: the
 * survivor's non-empty value, else the first other's), and the others go to the Trash pointing
 * at it.
 */
export async function mergeAccounts(
  db: Database,
  principal: Principal,
  survivorId: string,
  input: MergeInput,
) {
  const { workspaceId } = requirePermission(principal, 'records:write')
  const others = checkMergeInput(survivorId, input, accountMergeFields)
  return db.transaction().execute(async (trx) => {
    const rows = await lockAccountsForMerge(trx, workspaceId, [survivorId, ...others])
    const survivor = rows.find((row) => row.id === survivorId)
    if (!survivor) throw new AppError('not_found', 'Account not found')
    missingOthers('account', others, rows)
    const ordered = [survivor, ...others.map((id) => rows.find((row) => row.id === id) ?? survivor)]
    const choices = input.fields ?? {}
    const records = ordered.map((row) => ({ id: row.id, values: row }))
    const sources = pickSources(records, accountMergeFields, choices)
    // Without a choice the stage furthest along wins: stage history is forward-only.
    sources.lifecycleStage =
      choices.lifecycleStage ??
      pickFurthestStage(ordered.map((row) => ({ id: row.id, stage: row.lifecycleStage }))) ??
      survivorId
    const values = valuesFrom(records, sources)
    // A revenue keeps the currency it was given in.
    const revenueSource = ordered.find((row) => row.id === sources.annualRevenue) ?? survivor
    const custom = mergeCustomValues(
      ordered.map((row) => ({ id: row.id, values: row.custom })),
      choices,
    )

    const move = (table: 'activities' | 'touchpoints' | 'contacts' | 'deals') =>
      moveReferences(trx, workspaceId, table, 'account_id', survivorId, others)
    const moved = {
      lifecycleEntries: await moveLifecycleEntries(trx, workspaceId, 'account', survivorId, others),
      contacts: await move('contacts'),
      deals: await move('deals'),
      activities: await move('activities'),
      touchpoints: await move('touchpoints'),
    }
    await retireLosers(trx, workspaceId, 'account', survivorId, others)
    const externalRef = await takeExternalRef(trx, workspaceId, survivor, ordered, 'account')
    await trx
      .updateTable('accounts')
      .set({
        name: values.name ?? survivor.name,
        domain: values.domain ?? null,
        industry: values.industry ?? null,
        employees: values.employees ?? null,
        annualRevenue: revenueSource.annualRevenue,
        annualRevenueCurrency: revenueSource.annualRevenueCurrency,
        country: values.country ?? null,
        region: values.region ?? null,
        tier: values.tier ?? null,
        ownerId: values.ownerId ?? null,
        lifecycleStage: values.lifecycleStage ?? null,
        custom: JSON.stringify(custom),
        ...(externalRef ?? {}),
        updatedAt: new Date(),
      })
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', survivorId)
      .execute()
    // The survivor's deals (its own and those moved to it) fit its merged industry, size, region.
    await recomputeDealFit(trx, workspaceId, { accountIds: [survivorId] })
    const taken = Object.fromEntries(
      Object.entries(sources).filter(([, source]) => source !== survivorId),
    )
    await recordAudit(trx, principal, workspaceId, {
      action: 'account.merge',
      targetType: 'account',
      targetId: survivorId,
      details: { mergedIds: others, fields: choices, taken, moved, ...(externalRef ?? {}) },
    })
    return { id: survivorId, mergedIds: others, fields: sources, moved }
  })
}
