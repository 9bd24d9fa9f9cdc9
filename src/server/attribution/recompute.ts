import { type Kysely, sql, type Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'
import {
  type ComputedAttribution,
  type ComputeOptions,
  type Contribution,
  type CreditRow,
  computeAttribution,
} from './compute.ts'
import { loadAttributionFacts } from './facts.ts'
import { loadAttributionSettings } from './settings.ts'

const batch = 2_000

export function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = []
  for (let i = 0; i < rows.length; i += batch) out.push(rows.slice(i, i + batch))
  return out
}

/**
 * Full and incremental runs of one workspace never overlap: each holds this lock for its whole
 * transaction, so an incremental run never mixes with a full run's replacement of every row.
 */
export async function lockAttribution(trx: Transaction<DB>, workspaceId: string) {
  await sql`select pg_advisory_xact_lock(hashtext('attribution'), hashtext(${workspaceId}))`.execute(
    trx,
  )
}

export async function insertCredits(
  trx: Transaction<DB>,
  workspaceId: string,
  credits: CreditRow[],
) {
  for (const rows of chunks(credits)) {
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
}

export async function insertContributions(
  trx: Transaction<DB>,
  workspaceId: string,
  contributions: Contribution[],
) {
  for (const rows of chunks(contributions)) {
    await trx
      .insertInto('attributionContributions')
      .values(
        rows.map((c) => ({
          workspaceId,
          subjectId: c.subjectId,
          conversion: c.conversion,
          rows: JSON.stringify(
            c.rows.map((r) => [
              r.model,
              r.month,
              r.kind,
              r.channel,
              r.campaignId,
              r.conversions,
              r.revenue,
            ]),
          ),
        })),
      )
      .execute()
  }
}

/** Replaces the workspace's rollups, contributions and default-model credits. */
async function store(
  trx: Transaction<DB>,
  workspaceId: string,
  computed: ComputedAttribution,
  startedAt: Date,
) {
  for (const table of [
    'attributionRollups',
    'attributionCredits',
    'attributionContributions',
  ] as const) {
    await trx.deleteFrom(table).where('workspaceId', '=', workspaceId).execute()
  }
  // Changes made before this run read the records are counted; later ones wait in the queue.
  await trx
    .deleteFrom('attributionQueue')
    .where('workspaceId', '=', workspaceId)
    .where('queuedAt', '<=', startedAt)
    .execute()
  for (const rows of chunks(computed.rollups)) {
    await trx
      .insertInto('attributionRollups')
      .values(rows.map((row) => ({ workspaceId, ...row })))
      .execute()
  }
  await insertContributions(trx, workspaceId, computed.contributions)
  await insertCredits(trx, workspaceId, computed.credits)
}

/**
 * Recomputes every model for every conversion kind of a workspace from its records and stores the
 * result (issue 12, the full recompute): rollups of every model, each subject's contribution to
 * them, credits per touch of the default model. `options.weights` fixes the data-driven weights
 * (tests compare the incremental run with a full one under the same weights).
 */
export async function recomputeAttribution(
  db: Kysely<DB>,
  workspaceId: string,
  options: Pick<ComputeOptions, 'weights'> = {},
) {
  return db.transaction().execute(async (trx) => {
    await lockAttribution(trx, workspaceId)
    const startedAt = new Date()
    const settings = await loadAttributionSettings(trx, workspaceId)
    const facts = await loadAttributionFacts(trx, workspaceId)
    const computed = computeAttribution(facts, settings, options)
    await store(trx, workspaceId, computed, startedAt)
    // The run's status belongs to the queue (runs.ts); this records what the computation found.
    const run = {
      finishedAt: new Date(),
      model: settings.defaultModel,
      weights: JSON.stringify(computed.weights),
      missingRates: facts.missingRates,
      error: null,
    }
    await trx
      .insertInto('attributionRuns')
      .values({ workspaceId, startedAt, ...run })
      .onConflict((oc) => oc.column('workspaceId').doUpdateSet(run))
      .execute()
    return { rollups: computed.rollups.length, credits: computed.credits.length }
  })
}
