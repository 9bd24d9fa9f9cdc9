import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import { type ComputedAttribution, computeAttribution } from './compute.ts'
import { loadAttributionFacts } from './facts.ts'
import { loadAttributionSettings } from './settings.ts'

const batch = 2_000

function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = []
  for (let i = 0; i < rows.length; i += batch) out.push(rows.slice(i, i + batch))
  return out
}

/** Replaces the workspace's stored rollups and default-model credits with a new computation. */
async function store(db: Kysely<DB>, workspaceId: string, computed: ComputedAttribution) {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('attributionRollups').where('workspaceId', '=', workspaceId).execute()
    await trx.deleteFrom('attributionCredits').where('workspaceId', '=', workspaceId).execute()
    for (const rows of chunks(computed.rollups)) {
      await trx
        .insertInto('attributionRollups')
        .values(rows.map((row) => ({ workspaceId, ...row })))
        .execute()
    }
    for (const rows of chunks(computed.credits)) {
      await trx
        .insertInto('attributionCredits')
        .values(
          rows.map((row) => ({
            workspaceId,
            conversion: row.conversion,
            subjectId: row.subjectId,
            convertedAt: new Date(row.convertedAt),
            kind: row.kind,
            touchpointId: row.touchpointId,
            touchAt: row.touchAt === null ? null : new Date(row.touchAt),
            channel: row.channel,
            campaignId: row.campaignId,
            credit: row.credit,
            revenue: row.revenue,
          })),
        )
        .execute()
    }
  })
}

/**
 * Recomputes every model for every conversion kind of a workspace from its records and stores the
 * result (issue 12, the full recompute): rollups of every model, credits per touch of the default one.
 */
export async function recomputeAttribution(db: Kysely<DB>, workspaceId: string) {
  const startedAt = new Date()
  const settings = await loadAttributionSettings(db, workspaceId)
  const facts = await loadAttributionFacts(db, workspaceId)
  const computed = computeAttribution(facts, settings)
  await store(db, workspaceId, computed)
  // The run's status belongs to the queue (runs.ts); this records what the computation found.
  const run = {
    finishedAt: new Date(),
    model: settings.defaultModel,
    weights: JSON.stringify(computed.weights),
    missingRates: facts.missingRates,
    error: null,
  }
  await db
    .insertInto('attributionRuns')
    .values({ workspaceId, startedAt, ...run })
    .onConflict((oc) => oc.column('workspaceId').doUpdateSet(run))
    .execute()
  return { rollups: computed.rollups.length, credits: computed.credits.length }
}
