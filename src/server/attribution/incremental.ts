import { type Kysely, sql, type Transaction } from 'kysely'
import type { ConversionKind } from '../../domain/attribution/types.ts'
import type { DB } from '../db/schema.ts'
import {
  type ComputedAttribution,
  computeAttribution,
  type RollupRow,
  rollupKey,
} from './compute.ts'
import { loadAttributionFacts } from './facts.ts'
import { chunks, insertContributions, insertCredits, lockAttribution } from './recompute.ts'
import { loadAttributionSettings } from './settings.ts'

/**
 * The incremental recompute (issue 12): the deals and contacts whose journeys changed since the last
 * run (attribution_queue, filled by triggers) are attributed again under every model, their old
 * contributions are taken out of the rollups and the new ones added, and their per-touch credits
 * replaced. Data-driven models keep the channel weights of the last full run (the nightly job
 * learns them again), so a few new touches never reshuffle every other deal's credit.
 */

/** Subjects taken from the queue per run: a big import is worked through in several runs. */
const perRun = 5_000

/** The deals and contacts whose journeys the queued changes touch, and what to read for them. */
async function expand(trx: Transaction<DB>, workspaceId: string, queued: QueueRow[]) {
  const ids = (subject: QueueRow['subject']) =>
    queued.filter((row) => row.subject === subject).map((row) => row.id)
  const contacts = ids('contact')
  const accounts = ids('account')
  // A deal's journey is its account's touches (every contact of it), or its contact's without one;
  // its LC is its primary contact's. A deal linked to a changed contact is taken again, too.
  const deals = await sql<{ id: string; accountId: string | null }>`
    select d.id, d.account_id from deals d
    where d.workspace_id = ${workspaceId} and (
      d.id = any(${ids('deal')}::uuid[])
      or d.account_id = any(${accounts}::uuid[])
      or d.account_id in (select c.account_id from contacts c
        where c.workspace_id = ${workspaceId} and c.id = any(${contacts}::uuid[]))
      or d.id in (select dc.deal_id from deal_contacts dc
        where dc.workspace_id = ${workspaceId} and dc.contact_id = any(${contacts}::uuid[])))
  `.execute(trx)
  const dealIds = [...new Set([...ids('deal'), ...deals.rows.map((d) => d.id)])]
  const dealAccounts = deals.rows.flatMap((d) => (d.accountId ? [d.accountId] : []))
  const dealContacts = await trx
    .selectFrom('dealContacts')
    .select('contactId')
    .where('workspaceId', '=', workspaceId)
    .where('dealId', 'in', dealIds.length > 0 ? dealIds : ['00000000-0000-0000-0000-000000000000'])
    .execute()
  return {
    scope: { contactIds: new Set(contacts), dealIds: new Set(dealIds) },
    facts: {
      contactIds: [...new Set([...contacts, ...dealContacts.map((c) => c.contactId)])],
      accountIds: [...new Set([...accounts, ...dealAccounts])],
      dealIds,
    },
  }
}

interface QueueRow {
  subject: 'contact' | 'account' | 'deal'
  id: string
}

type StoredRow = [string, string, string, string | null, string | null, number, number]

/** Adds `sign` × rows into a map of rollup deltas. */
function addDelta(deltas: Map<string, RollupRow>, rows: Iterable<RollupRow>, sign: 1 | -1) {
  for (const row of rows) {
    const key = rollupKey(row)
    const delta = deltas.get(key)
    if (delta) {
      delta.conversions += sign * row.conversions
      delta.revenue += sign * row.revenue
    } else {
      deltas.set(key, {
        ...row,
        conversions: sign * row.conversions,
        revenue: sign * row.revenue,
      })
    }
  }
}

/** Applies rollup deltas: existing rows change, new ones are inserted, emptied ones removed. */
async function applyDeltas(trx: Transaction<DB>, workspaceId: string, deltas: RollupRow[]) {
  for (const rows of chunks(deltas)) {
    const json = JSON.stringify(
      rows.map((r) => ({
        model: r.model,
        conversion: r.conversion,
        month: r.month,
        kind: r.kind,
        channel: r.channel,
        campaign_id: r.campaignId,
        conversions: r.conversions,
        revenue: r.revenue,
      })),
    )
    await sql`
      with d as (
        select * from jsonb_to_recordset(${json}::jsonb) as x (model text, conversion text,
          month date, kind text, channel text, campaign_id uuid, conversions float8, revenue bigint)
      ),
      changed as (
        update attribution_rollups r
        set conversions = r.conversions + d.conversions, revenue = r.revenue + d.revenue
        from d
        where r.workspace_id = ${workspaceId} and r.model = d.model
          and r.conversion = d.conversion and r.month = d.month and r.kind = d.kind
          and r.channel is not distinct from d.channel
          and r.campaign_id is not distinct from d.campaign_id
        returning d.model, d.conversion, d.month, d.kind, d.channel, d.campaign_id
      )
      insert into attribution_rollups
        (workspace_id, model, conversion, month, kind, channel, campaign_id, conversions, revenue)
      select ${workspaceId}, d.model, d.conversion, d.month, d.kind, d.channel, d.campaign_id,
        d.conversions, d.revenue
      from d
      where not exists (select 1 from changed c
        where c.model = d.model and c.conversion = d.conversion and c.month = d.month
          and c.kind = d.kind and c.channel is not distinct from d.channel
          and c.campaign_id is not distinct from d.campaign_id)
    `.execute(trx)
  }
  // A credit taken back to nothing leaves no row (float sums: a tolerance far below any credit).
  await sql`
    delete from attribution_rollups
    where workspace_id = ${workspaceId} and abs(conversions) < 1e-9 and revenue = 0
  `.execute(trx)
}

/**
 * Works through a workspace's queue (up to `perRun` changes) when it has a full run to build on.
 * Answers how many deals and contacts were attributed again, or null when there was nothing to do.
 */
export async function runIncrementalAttribution(db: Kysely<DB>, workspaceId: string) {
  return db.transaction().execute(async (trx) => {
    await lockAttribution(trx, workspaceId)
    const run = await trx
      .selectFrom('attributionRuns')
      .select(['finishedAt', 'weights', 'status'])
      .where('workspaceId', '=', workspaceId)
      .executeTakeFirst()
    // Never computed, or a full run is on its way: it will count these changes.
    if (!run?.finishedAt || run.status !== 'idle') return null
    const queued = await sql<QueueRow>`
      delete from attribution_queue where ctid = any(array(
        select ctid from attribution_queue
        where workspace_id = ${workspaceId} order by queued_at limit ${perRun}))
      returning subject, id
    `.execute(trx)
    if (queued.rows.length === 0) return null
    const { scope, facts: factsScope } = await expand(trx, workspaceId, queued.rows)
    const settings = await loadAttributionSettings(trx, workspaceId)
    const facts = await loadAttributionFacts(trx, workspaceId, factsScope)
    const computed = computeAttribution(facts, settings, {
      scope,
      weights: (run.weights ?? {}) as ComputedAttribution['weights'],
    })
    const contactIds = [...scope.contactIds]
    const dealIds = [...scope.dealIds]
    // Deals and contacts are separate subjects: a deal's conversions, a contact's conversions.
    const mine = (alias: string) => sql`(
      (${sql.ref(`${alias}.subject_id`)} = any(${contactIds}::uuid[])
        and ${sql.ref(`${alias}.conversion`)} in ('lead_created', 'mql', 'sql'))
      or (${sql.ref(`${alias}.subject_id`)} = any(${dealIds}::uuid[])
        and ${sql.ref(`${alias}.conversion`)} in ('opportunity_created', 'won')))`
    const old = await sql<{ conversion: string; rows: StoredRow[] }>`
      delete from attribution_contributions c
      where c.workspace_id = ${workspaceId} and ${mine('c')}
      returning c.conversion, c.rows
    `.execute(trx)
    const deltas = new Map<string, RollupRow>()
    for (const contribution of old.rows) {
      addDelta(
        deltas,
        contribution.rows.map(
          ([model, month, kind, channel, campaignId, conversions, revenue]) => ({
            model: model as RollupRow['model'],
            conversion: contribution.conversion as ConversionKind,
            month,
            kind: kind as RollupRow['kind'],
            channel,
            campaignId,
            conversions,
            revenue,
          }),
        ),
        -1,
      )
    }
    addDelta(
      deltas,
      computed.contributions.flatMap((c) => c.rows),
      1,
    )
    await applyDeltas(trx, workspaceId, [...deltas.values()])
    await insertContributions(trx, workspaceId, computed.contributions)
    await sql`
      delete from attribution_credits ac where ac.workspace_id = ${workspaceId} and ${mine('ac')}
    `.execute(trx)
    await insertCredits(trx, workspaceId, computed.credits)
    return { subjects: scope.contactIds.size + scope.dealIds.size, queued: queued.rows.length }
  })
}

/** Workspaces with queued changes and a full run to build on, oldest change first. */
export async function workspacesWithChanges(db: Kysely<DB>): Promise<string[]> {
  const rows = await sql<{ workspaceId: string }>`
    select q.workspace_id from attribution_queue q
    join attribution_runs r on r.workspace_id = q.workspace_id
    where r.finished_at is not null and r.status = 'idle'
    group by q.workspace_id order by min(q.queued_at) limit 100
  `.execute(db)
  return rows.rows.map((row) => row.workspaceId)
}
