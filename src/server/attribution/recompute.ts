import { type Kysely, sql } from 'kysely'
import type pg from 'pg'
import { type ConversionKind, conversionKinds } from '../../domain/attribution/types.ts'
import { copyRows } from '../db/copy-text.ts'
import { poolOf, withConnection } from '../db/database.ts'
import type { DB } from '../db/schema.ts'
import { groupTouches, loadAttributionColumns } from './columns.ts'
import type { ComputedAttribution, ComputeOptions, Contribution, CreditRow } from './compute.ts'
import { computeAttributionColumns, contactsRead } from './compute-columns.ts'

/** The stored weights of the last run (jsonb, or its text), as computed ones. */
function parseWeights(stored: unknown): ComputedAttribution['weights'] {
  if (stored === null || stored === undefined) return {}
  const value = typeof stored === 'string' ? JSON.parse(stored) : stored
  return typeof value === 'object' && value !== null
    ? (value as ComputedAttribution['weights'])
    : {}
}

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
export async function lockAttribution(trx: Kysely<DB>, workspaceId: string) {
  await sql`select pg_advisory_xact_lock(hashtext('attribution'), hashtext(${workspaceId}))`.execute(
    trx,
  )
}

/** Rows per INSERT … SELECT FROM unnest(arrays): one statement carries each column as an array. */
const unnestBatch = 20_000

function batches<T>(rows: readonly T[]): T[][] {
  const out: T[][] = []
  for (let i = 0; i < rows.length; i += unnestBatch) out.push(rows.slice(i, i + unnestBatch))
  return out
}

export async function insertCredits(trx: Kysely<DB>, workspaceId: string, credits: CreditRow[]) {
  for (const rows of batches(credits)) {
    await sql`
      insert into attribution_credits (workspace_id, conversion, subject_id, converted_at, kind,
        touchpoint_id, touch_at, channel, campaign_id, credit, revenue)
      select ${workspaceId}, * from unnest(
        ${rows.map((r) => r.conversion)}::text[], ${rows.map((r) => r.subjectId)}::uuid[],
        ${rows.map((r) => new Date(r.convertedAt).toISOString())}::timestamptz[],
        ${rows.map((r) => r.kind)}::text[], ${rows.map((r) => r.touchpointId)}::uuid[],
        ${rows.map((r) => (r.touchAt === null ? null : new Date(r.touchAt).toISOString()))}::timestamptz[],
        ${rows.map((r) => r.channel)}::text[], ${rows.map((r) => r.campaignId)}::uuid[],
        ${rows.map((r) => r.credit)}::float8[], ${rows.map((r) => r.revenue)}::int8[])
    `.execute(trx)
  }
}

export async function insertContributions(
  trx: Kysely<DB>,
  workspaceId: string,
  contributions: Contribution[],
) {
  for (const rows of batches(contributions)) {
    const json = rows.map((c) => JSON.stringify(contributionJson(c)))
    await sql`
      insert into attribution_contributions (workspace_id, subject_id, conversion, converted_at, rows)
      select ${workspaceId}, * from unnest(${rows.map((c) => c.subjectId)}::uuid[],
        ${rows.map((c) => c.conversion)}::text[],
        ${rows.map((c) => new Date(c.convertedAt))}::timestamptz[], ${json}::jsonb[])
    `.execute(trx)
  }
}

/** A contribution's rows as stored (jsonb): [model, month, kind, channel, campaign, conversions, revenue]. */
export const contributionJson = (c: Contribution) =>
  c.rows.map((r) => [r.model, r.month, r.kind, r.channel, r.campaignId, r.conversions, r.revenue])

/**
 * Replaces the workspace's rollups, contributions and default-model credits of these kinds; the new
 * rows go in by COPY on the run's connection (a full run writes hundreds of thousands).
 */
async function store(
  trx: Kysely<DB>,
  client: pg.ClientBase,
  workspaceId: string,
  computed: ComputedAttribution,
  startedAt: Date,
  kinds: readonly ConversionKind[],
) {
  for (const table of [
    'attributionRollups',
    'attributionCredits',
    'attributionContributions',
  ] as const) {
    await trx
      .deleteFrom(table)
      .where('workspaceId', '=', workspaceId)
      .where('conversion', 'in', [...kinds])
      .execute()
  }
  // Changes made before this run read the records are counted; later ones wait in the queue (a
  // run of some kinds only leaves it: the other kinds have not seen those changes).
  if (kinds.length === conversionKinds.length) {
    await trx
      .deleteFrom('attributionQueue')
      .where('workspaceId', '=', workspaceId)
      .where('queuedAt', '<=', startedAt)
      .execute()
  }
  await copyRows(
    client,
    `copy attribution_rollups (workspace_id, model, conversion, month, kind, channel, campaign_id,
      conversions, revenue) from stdin`,
    computed.rollups.map((r) => [
      workspaceId,
      r.model,
      r.conversion,
      r.month,
      r.kind,
      r.channel,
      r.campaignId,
      r.conversions,
      r.revenue,
    ]),
  )
  await copyRows(
    client,
    `copy attribution_contributions (workspace_id, subject_id, conversion, converted_at, rows)
      from stdin`,
    computed.contributions.map((c) => [
      workspaceId,
      c.subjectId,
      c.conversion,
      new Date(c.convertedAt),
      contributionJson(c),
    ]),
    200,
  )
  await copyRows(
    client,
    `copy attribution_credits (workspace_id, conversion, subject_id, converted_at, kind,
      touchpoint_id, touch_at, channel, campaign_id, credit, revenue) from stdin`,
    computed.credits.map((r) => [
      workspaceId,
      r.conversion,
      r.subjectId,
      new Date(r.convertedAt),
      r.kind,
      r.touchpointId,
      r.touchAt === null ? null : new Date(r.touchAt),
      r.channel,
      r.campaignId,
      r.credit,
      r.revenue,
    ]),
  )
}

/**
 * Recomputes every model for every conversion kind of a workspace from its records and stores the
 * result (issue 12, the full recompute): rollups of every model, each subject's contribution to
 * them, credits per touch of the default model. `options.weights` fixes the data-driven weights
 * (tests compare the incremental run with a full one under the same weights); `options.kinds`
 * recomputes only those conversion kinds and keeps the others' rows and weights.
 */
export async function recomputeAttribution(
  db: Kysely<DB>,
  workspaceId: string,
  options: Pick<ComputeOptions, 'weights' | 'kinds'> = {},
) {
  const kinds = options.kinds ?? conversionKinds
  for (const kind of kinds) {
    if (!(conversionKinds as readonly string[]).includes(kind)) {
      throw new RangeError(`unknown conversion ${kind}; use one of ${conversionKinds.join(', ')}`)
    }
  }
  // One connection for the whole transaction: its records arrive by binary COPY (columns.ts).
  return withConnection(poolOf(db), async (trx, client) => {
    await client.query('begin')
    await lockAttribution(trx, workspaceId)
    const startedAt = new Date()
    const settings = await loadAttributionSettings(trx, workspaceId)
    const data = await loadAttributionColumns(trx, client, workspaceId, {
      includeSales: settings.includeSalesTouches,
      withStages: kinds.some((kind) => kind !== 'opportunity_created' && kind !== 'won'),
    })
    const groups = groupTouches(data, contactsRead(data, kinds))
    const computed = computeAttributionColumns(data, groups, settings, {
      ...options,
      kinds,
    })
    await store(trx, client, workspaceId, computed, startedAt, kinds)
    const previous =
      kinds.length === conversionKinds.length
        ? undefined
        : await trx
            .selectFrom('attributionRuns')
            .select('weights')
            .where('workspaceId', '=', workspaceId)
            .executeTakeFirst()
    // The run's status belongs to the queue (runs.ts); this records what the computation found.
    const run = {
      finishedAt: new Date(),
      model: settings.defaultModel,
      weights: JSON.stringify({ ...parseWeights(previous?.weights), ...computed.weights }),
      missingRates: data.missingRates,
      error: null,
    }
    await trx
      .insertInto('attributionRuns')
      .values({ workspaceId, startedAt, ...run })
      .onConflict((oc) => oc.column('workspaceId').doUpdateSet(run))
      .execute()
    await client.query('commit')
    return { rollups: computed.rollups.length, credits: computed.credits.length }
  })
}
