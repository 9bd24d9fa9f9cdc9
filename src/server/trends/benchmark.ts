/**
 * A campaign's benchmark (issue 14; DEFINITIONS.md "Benchmark"): its cost per MQL, acceptance rate
 * and ROI over its whole life against similar past campaigns (same channel and type, started
 * before it), each with the peers' median, its percentile rank and a verdict.
 */
import { type Kysely, sql } from 'kysely'
import { type Benchmark, benchmarkMetrics, benchmarkOf } from '../../domain/benchmark.ts'
import { sumInBase } from '../../domain/money.ts'
import { loadAttributionSettings } from '../attribution/settings.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { loadRates } from '../exchange-rates/service.ts'

interface CampaignFigures {
  costPerMql: number | null
  acceptanceRate: number | null
  roi: number | null
}

/** Each campaign's lifetime MQLs, decisions, cost in base currency and attributed revenue. */
async function figuresOf(db: Kysely<DB>, workspaceId: string, ids: string[], model: string) {
  const figures = new Map<string, CampaignFigures>()
  if (ids.length === 0) return figures
  const [handoffs, costs, revenue, { baseCurrency, rates }] = await Promise.all([
    sql<{ campaignId: string; mqls: number; accepted: number; decided: number }>`
      select campaign_id as "campaignId", count(*)::int as mqls,
        count(*) filter (where status = 'accepted')::int as accepted,
        count(*) filter (where status in ('accepted', 'rejected'))::int as decided
      from handoffs where workspace_id = ${workspaceId} and campaign_id = any(${ids}::uuid[])
      group by 1`.execute(db),
    sql<{ campaignId: string; currency: string; amount: string }>`
      select campaign_id as "campaignId", currency, sum(amount)::text as amount
      from campaign_costs where workspace_id = ${workspaceId} and campaign_id = any(${ids}::uuid[])
      group by 1, 2`.execute(db),
    sql<{ campaignId: string; revenue: string }>`
      select campaign_id as "campaignId", sum(revenue)::text as revenue
      from attribution_rollups
      where workspace_id = ${workspaceId} and model = ${model} and conversion = 'won'
        and kind = 'touch' and campaign_id = any(${ids}::uuid[])
      group by 1`.execute(db),
    loadRates(db, workspaceId),
  ])
  const mqlsOf = new Map(handoffs.rows.map((r) => [r.campaignId, r]))
  const revenueOf = new Map(revenue.rows.map((r) => [r.campaignId, Number(r.revenue)]))
  for (const id of ids) {
    const items = costs.rows
      .filter((r) => r.campaignId === id)
      .map((r) => ({ currency: r.currency, amount: Number(r.amount) }))
    const cost = sumInBase(items, baseCurrency, rates).amountInBase
    const h = mqlsOf.get(id)
    const mqls = h?.mqls ?? 0
    figures.set(id, {
      // A cost in a currency without a rate leaves cost-based figures unknown, never partial.
      costPerMql: cost !== null && cost > 0 && mqls > 0 ? cost / mqls : null,
      acceptanceRate: h && h.decided > 0 ? h.accepted / h.decided : null,
      roi: cost !== null && cost > 0 ? ((revenueOf.get(id) ?? 0) - cost) / cost : null,
    })
  }
  return figures
}

const figureOf: Record<(typeof benchmarkMetrics)[number], keyof CampaignFigures> = {
  cost_per_mql: 'costPerMql',
  acceptance_rate: 'acceptanceRate',
  roi: 'roi',
}

/** The benchmark card of one campaign; 404 for a campaign not in the workspace. */
export async function getCampaignBenchmark(db: Kysely<DB>, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const campaign = await db
    .selectFrom('campaigns')
    .select(['id', 'name', 'channel', 'type', 'startsOn', 'createdAt'])
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .where('deletedAt', 'is', null)
    .executeTakeFirst()
  if (!campaign) throw new AppError('not_found', 'Campaign not found')
  const started = campaign.startsOn ?? campaign.createdAt.toISOString().slice(0, 10)
  const peers = await db
    .selectFrom('campaigns')
    .select(['id', 'name', 'startsOn'])
    .where('workspaceId', '=', workspaceId)
    .where('deletedAt', 'is', null)
    .where('channel', '=', campaign.channel)
    .where('type', '=', campaign.type)
    .where('id', '!=', campaign.id)
    .where(sql<boolean>`coalesce(starts_on, created_at::date) < ${started}::date`)
    .orderBy('startsOn', 'desc')
    .execute()
  const settings = await loadAttributionSettings(db, workspaceId)
  const figures = await figuresOf(
    db,
    workspaceId,
    [campaign.id, ...peers.map((p) => p.id)],
    settings.defaultModel,
  )
  const own = figures.get(campaign.id) as CampaignFigures
  const metrics: Benchmark[] = benchmarkMetrics.map((metric) =>
    benchmarkOf(
      metric,
      own[figureOf[metric]],
      peers.map((p) => figures.get(p.id)?.[figureOf[metric]] ?? null),
    ),
  )
  return {
    campaign: {
      id: campaign.id,
      name: campaign.name,
      channel: campaign.channel,
      type: campaign.type,
    },
    model: settings.defaultModel,
    currency: (await loadRates(db, workspaceId)).baseCurrency,
    peers: peers.map((p) => ({ id: p.id, name: p.name, startsOn: p.startsOn })),
    metrics,
  }
}
