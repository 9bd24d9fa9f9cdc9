import type { Kysely } from 'kysely'
import { recordAudit } from '../audit/service.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { DB } from '../db/schema.ts'
import { queueAttribution } from './runs.ts'
import {
  type AttributionSettings,
  type AttributionSettingsPatch,
  loadAttributionSettings,
} from './settings.ts'

function present(settings: AttributionSettings) {
  return {
    defaultModel: settings.defaultModel,
    lookbackDays: settings.lookbackDays,
    halfLifeDays: settings.halfLifeDays,
    customWeights: settings.customWeights,
    includeSalesTouches: settings.includeSalesTouches,
    sourcedBy: settings.sourcedBy,
    updatedAt: settings.updatedAt?.toISOString() ?? null,
  }
}

/** The workspace's attribution settings: anyone in it may read them (reports name the model). */
export async function getAttributionSettings(db: Kysely<DB>, principal: Principal) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  return present(await loadAttributionSettings(db, workspaceId))
}

/** Changes the attribution settings (admins and marketing), audited with each change's before/after. */
export async function updateAttributionSettings(
  db: Kysely<DB>,
  principal: Principal,
  patch: AttributionSettingsPatch,
) {
  const { workspaceId } = requirePermission(principal, 'attribution:manage')
  await db.transaction().execute(async (trx) => {
    // Serialises concurrent changes of one workspace's settings.
    await trx
      .selectFrom('workspaces')
      .select('id')
      .where('id', '=', workspaceId)
      .forUpdate()
      .executeTakeFirst()
    const before = await loadAttributionSettings(trx, workspaceId)
    const after = { ...before, ...patch }
    const values = {
      defaultModel: after.defaultModel,
      lookbackDays: after.lookbackDays,
      halfLifeDays: after.halfLifeDays,
      customWeights: JSON.stringify(after.customWeights),
      includeSalesTouches: after.includeSalesTouches,
      sourcedBy: after.sourcedBy,
      updatedAt: new Date(),
    }
    await trx
      .insertInto('attributionSettings')
      .values({ workspaceId, ...values })
      .onConflict((oc) => oc.column('workspaceId').doUpdateSet(values))
      .execute()
    const details: Record<string, { from: unknown; to: unknown }> = {}
    for (const key of Object.keys(patch) as (keyof AttributionSettingsPatch)[]) {
      if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
        details[key] = { from: before[key], to: after[key] }
      }
    }
    await recordAudit(trx, principal, workspaceId, {
      action: 'attribution_settings.update',
      targetType: 'attribution_settings',
      targetId: null,
      details,
    })
    // Every setting changes the credits: recomputed in the background.
    if (Object.keys(details).length > 0) await queueAttribution(trx, workspaceId)
  })
  return getAttributionSettings(db, principal)
}

/** Where the workspace's attribution stands: the last recompute, and one queued or running. */
export async function getAttributionStatus(db: Kysely<DB>, principal: Principal) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const run = await db
    .selectFrom('attributionRuns')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .executeTakeFirst()
  return {
    status: run?.status ?? 'idle',
    queuedAt: run?.queuedAt?.toISOString() ?? null,
    startedAt: run?.startedAt?.toISOString() ?? null,
    finishedAt: run?.finishedAt?.toISOString() ?? null,
    model: run?.model ?? null,
    missingRates: run?.missingRates ?? [],
    error: run?.error ?? null,
  }
}

/** Queues a full recompute now (admins and marketing), audited; the worker runs it in seconds. */
export async function requestAttributionRecompute(db: Kysely<DB>, principal: Principal) {
  const { workspaceId } = requirePermission(principal, 'attribution:manage')
  await db.transaction().execute(async (trx) => {
    await queueAttribution(trx, workspaceId)
    await recordAudit(trx, principal, workspaceId, {
      action: 'attribution.recompute',
      targetType: 'attribution_settings',
      targetId: null,
      details: {},
    })
  })
  return getAttributionStatus(db, principal)
}
