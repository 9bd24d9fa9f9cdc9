/**
 * The attribution report (issue 12): credited conversions, pipeline and revenue per channel, campaign
 * or month under one model, beside every other model, with cost, ROI, sourced and influenced
 * pipeline, read from the stored rollups (src/server/attribution/compute.ts) and campaign costs.
 * Rollups are monthly by conversion month (UTC), so a range counts the whole months it touches.
 */
import { type Kysely, sql } from 'kysely'
import {
  type AttributionModel,
  attributionModels,
  type ConversionKind,
} from '../../domain/attribution/types.ts'
import { sumInBase } from '../../domain/money.ts'
import { loadAttributionSettings } from '../attribution/settings.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { DB } from '../db/schema.ts'
import { loadRates } from '../exchange-rates/service.ts'
import { type BridgeRange, bridgeRange, workspaceTimeZone } from './bridge-common.ts'
import { monthsOf } from './sla.ts'

export const attributionGroupings = ['channel', 'campaign', 'month'] as const
export type AttributionGrouping = (typeof attributionGroupings)[number]

export interface AttributionReportQuery {
  model?: AttributionModel | undefined
  conversion?: ConversionKind | undefined
  groupBy?: AttributionGrouping | undefined
  from?: string | undefined
  to?: string | undefined
}

interface Amounts {
  conversions: number
  revenue: number
}

interface Spread {
  conversions: [number, number]
  pipeline: [number, number]
  revenue: [number, number]
}

/** Key of a rollup cell: model | conversion | kind | group key. */
const cellKey = (model: string, conversion: string, kind: string, key: string) =>
  `${model}|${conversion}|${kind}|${key}`

/** The first day of the month of an ISO date. */
const monthStart = (date: string) => `${date.slice(0, 7)}-01`

const groupKeySql = (groupBy: AttributionGrouping) =>
  groupBy === 'channel'
    ? sql<string>`coalesce(channel, '')`
    : groupBy === 'campaign'
      ? sql<string>`coalesce(campaign_id::text, 'none')`
      : sql<string>`to_char(month, 'YYYY-MM')`

/** Every rollup in the range summed per model, conversion, kind and group. */
async function rollupCells(
  db: Kysely<DB>,
  workspaceId: string,
  range: BridgeRange,
  groupBy: AttributionGrouping,
) {
  const influence = groupBy === 'channel' ? 'influenced:channel' : 'influenced:campaign'
  const rows = await sql<{
    model: string
    conversion: string
    kind: string
    key: string
    conversions: number
    revenue: string
  }>`
    select model, conversion, kind, ${groupKeySql(groupBy)} as key,
      sum(conversions)::float8 as conversions, sum(revenue)::text as revenue
    from attribution_rollups
    where workspace_id = ${workspaceId}
      and month between ${monthStart(range.from)}::date and ${monthStart(range.to)}::date
      and (model not like 'influenced:%' or model = ${influence})
    group by 1, 2, 3, 4
  `.execute(db)
  const cells = new Map<string, Amounts>()
  for (const row of rows.rows) {
    cells.set(cellKey(row.model, row.conversion, row.kind, row.key), {
      conversions: row.conversions,
      revenue: Number(row.revenue),
    })
  }
  return cells
}

/** Credited conversions, pipeline and revenue per month and channel under one model. */
async function trendCells(
  db: Kysely<DB>,
  workspaceId: string,
  range: BridgeRange,
  model: string,
  conversion: ConversionKind,
) {
  const rows = await sql<{
    month: string
    channel: string
    conversion: string
    conversions: number
    revenue: string
  }>`
    select to_char(month, 'YYYY-MM') as month, channel, conversion,
      sum(conversions)::float8 as conversions, sum(revenue)::text as revenue
    from attribution_rollups
    where workspace_id = ${workspaceId} and model = ${model} and kind = 'touch'
      and conversion in (${conversion}, 'opportunity_created', 'won')
      and month between ${monthStart(range.from)}::date and ${monthStart(range.to)}::date
    group by 1, 2, 3
  `.execute(db)
  return rows.rows
}

/** Campaign costs incurred in the range, in the base currency, per group. */
async function costsPerGroup(
  db: Kysely<DB>,
  workspaceId: string,
  range: BridgeRange,
  groupBy: AttributionGrouping,
) {
  const key =
    groupBy === 'channel'
      ? sql<string>`c.channel`
      : groupBy === 'campaign'
        ? sql<string>`c.id::text`
        : sql<string>`to_char(cc.incurred_on, 'YYYY-MM')`
  const [rows, { baseCurrency, rates }] = await Promise.all([
    sql<{ key: string; currency: string; amount: string }>`
      select ${key} as key, cc.currency, sum(cc.amount)::text as amount
      from campaign_costs cc
      join campaigns c on c.workspace_id = cc.workspace_id and c.id = cc.campaign_id
      where cc.workspace_id = ${workspaceId}
        and cc.incurred_on between ${range.from}::date and ${range.to}::date
      group by 1, 2
    `.execute(db),
    loadRates(db, workspaceId),
  ])
  const perGroup = new Map<string, { currency: string; amount: number }[]>()
  for (const row of rows.rows) {
    const list = perGroup.get(row.key) ?? []
    list.push({ currency: row.currency, amount: Number(row.amount) })
    perGroup.set(row.key, list)
  }
  const costs = new Map<string, number>()
  const missing = new Set<string>()
  for (const [group, items] of perGroup) {
    const sum = sumInBase(items, baseCurrency, rates)
    for (const currency of sum.missing) missing.add(currency)
    // A cost in a currency without a rate counts what can be converted; the gap is reported.
    const converted = sumInBase(
      items.filter((item) => !sum.missing.includes(item.currency)),
      baseCurrency,
      rates,
    )
    costs.set(group, converted.amountInBase ?? 0)
  }
  return { costs, baseCurrency, missingRates: [...missing].sort() }
}

/** Names (and channels) of the workspace's campaigns, deleted ones too: old credits keep them. */
async function campaignNames(db: Kysely<DB>, workspaceId: string) {
  const rows = await db
    .selectFrom('campaigns')
    .select(['id', 'name', 'deletedAt'])
    .where('workspaceId', '=', workspaceId)
    .execute()
  return new Map(
    rows.map((row) => [row.id, row.deletedAt ? `${row.name} (deleted)` : row.name] as const),
  )
}

/** cost ÷ count, or null when either is 0 (nothing spent, or nothing to divide by). */
const costPer = (cost: number, count: number) =>
  cost > 0 && count > 0 ? Math.round(cost / count) : null

/** ROI = (attributed revenue − cost) ÷ cost; null when cost is 0 (DEFINITIONS). */
export const roiOf = (revenue: number, cost: number) => (cost > 0 ? (revenue - cost) / cost : null)

const round = (value: number) => Math.round(value * 1e6) / 1e6

/** The web app's drill-down page for one group of the report. */
function drillLink(
  range: BridgeRange,
  conversion: ConversionKind,
  model: AttributionModel,
  filter: Record<string, string>,
) {
  const params = new URLSearchParams({
    conversion,
    from: range.from,
    to: range.to,
    model,
    ...filter,
  })
  return `/telescope/attribution?${params.toString()}`
}

export async function getAttributionReport(
  db: Kysely<DB>,
  principal: Principal,
  query: AttributionReportQuery,
  now = new Date(),
) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const range = bridgeRange(query, await workspaceTimeZone(db, workspaceId), now)
  const settings = await loadAttributionSettings(db, workspaceId)
  const model = query.model ?? settings.defaultModel
  const conversion = query.conversion ?? 'won'
  const groupBy = query.groupBy ?? 'campaign'
  const [cells, trends, costs, names, run] = await Promise.all([
    rollupCells(db, workspaceId, range, groupBy),
    trendCells(db, workspaceId, range, model, conversion),
    costsPerGroup(db, workspaceId, range, groupBy),
    campaignNames(db, workspaceId),
    db
      .selectFrom('attributionRuns')
      .select(['finishedAt', 'model'])
      .where('workspaceId', '=', workspaceId)
      .executeTakeFirst(),
  ])
  const cell = (m: string, c: ConversionKind, key: string, kind = 'touch'): Amounts =>
    cells.get(cellKey(m, c, kind, key)) ?? { conversions: 0, revenue: 0 }

  const keys = new Set<string>(costs.costs.keys())
  for (const name of cells.keys()) {
    const [, , kind, key] = name.split('|')
    if (kind === 'touch' && key !== undefined) keys.add(key)
  }
  if (groupBy === 'month') for (const month of monthsOf(range.from, range.to)) keys.add(month)
  const labelOf = (key: string) =>
    groupBy === 'campaign'
      ? key === 'none'
        ? '(no campaign)'
        : (names.get(key) ?? '(unknown campaign)')
      : key

  const sourcedModel = settings.sourcedBy
  const influence = groupBy === 'channel' ? 'influenced:channel' : 'influenced:campaign'
  const rows = [...keys].map((key) => {
    const cost = costs.costs.get(key) ?? 0
    const revenue = cell(model, 'won', key).revenue
    const influenced =
      groupBy === 'month'
        ? {
            // Every deal with a touch in its window is influenced by something.
            opportunity: cell('first_touch', 'opportunity_created', key),
            won: cell('first_touch', 'won', key),
          }
        : {
            opportunity: cell(influence, 'opportunity_created', key),
            won: cell(influence, 'won', key),
          }
    return {
      key,
      label: labelOf(key),
      [groupBy]: groupBy === 'campaign' && key === 'none' ? null : key,
      conversions: round(cell(model, conversion, key).conversions),
      pipeline: cell(model, 'opportunity_created', key).revenue,
      revenue,
      cost,
      roi: roiOf(revenue, cost),
      costPerMql: costPer(cost, cell(model, 'mql', key).conversions),
      costPerSql: costPer(cost, cell(model, 'sql', key).conversions),
      costPerWon: costPer(cost, cell(model, 'won', key).conversions),
      sourced: {
        pipeline: cell(sourcedModel, 'opportunity_created', key).revenue,
        revenue: cell(sourcedModel, 'won', key).revenue,
        deals: Math.round(cell(sourcedModel, 'opportunity_created', key).conversions),
      },
      influenced: {
        pipeline: influenced.opportunity.revenue,
        revenue: influenced.won.revenue,
        deals: Math.round(influenced.opportunity.conversions),
      },
      link: drillLink(range, conversion, model, { [groupBy]: key }),
    }
  })
  rows.sort((a, b) =>
    groupBy === 'month'
      ? a.key.localeCompare(b.key)
      : b.revenue - a.revenue ||
        b.pipeline - a.pipeline ||
        b.conversions - a.conversions ||
        a.label.localeCompare(b.label),
  )

  const comparison = rows.map((row) => {
    const models = attributionModels.map((m) => ({
      model: m,
      conversions: round(cell(m, conversion, row.key).conversions),
      pipeline: cell(m, 'opportunity_created', row.key).revenue,
      revenue: cell(m, 'won', row.key).revenue,
    }))
    const spreadOf = (pick: (m: (typeof models)[number]) => number): [number, number] => {
      const values = models.map(pick)
      return [Math.min(...values), Math.max(...values)]
    }
    const spread: Spread = {
      conversions: spreadOf((m) => m.conversions),
      pipeline: spreadOf((m) => m.pipeline),
      revenue: spreadOf((m) => m.revenue),
    }
    return { key: row.key, label: row.label, models, spread }
  })

  const totals = rows.reduce(
    (sum, row) => ({
      conversions: sum.conversions + row.conversions,
      pipeline: sum.pipeline + row.pipeline,
      revenue: sum.revenue + row.revenue,
      cost: sum.cost + row.cost,
    }),
    { conversions: 0, pipeline: 0, revenue: 0, cost: 0 },
  )
  const special = (kind: 'no_touch' | 'pending') => {
    let conversions = 0
    let revenue = 0
    for (const [name, amounts] of cells) {
      if (name.startsWith(`${model}|${conversion}|${kind}|`)) {
        conversions += amounts.conversions
        revenue += amounts.revenue
      }
    }
    return { conversions: round(conversions), revenue }
  }

  return {
    from: range.from,
    to: range.to,
    model,
    defaultModel: settings.defaultModel,
    conversion,
    groupBy,
    baseCurrency: costs.baseCurrency,
    missingRates: costs.missingRates,
    computedAt: run?.finishedAt ? run.finishedAt.toISOString() : null,
    rows,
    totals: {
      ...totals,
      conversions: round(totals.conversions),
      roi: roiOf(totals.revenue, totals.cost),
    },
    noTouch: special('no_touch'),
    pending: special('pending'),
    noTouchLink: drillLink(range, conversion, model, { kind: 'no_touch' }),
    comparison,
    trends: channelTrends(trends, range, conversion),
  }
}

/** Months × channels of the selected model (channels by total revenue, then conversions). */
function channelTrends(
  rows: Awaited<ReturnType<typeof trendCells>>,
  range: BridgeRange,
  conversion: ConversionKind,
) {
  const months = monthsOf(range.from, range.to).map((month) => ({
    month,
    conversions: {} as Record<string, number>,
    pipeline: {} as Record<string, number>,
    revenue: {} as Record<string, number>,
  }))
  const byMonth = new Map(months.map((m) => [m.month, m] as const))
  const weight = new Map<string, number>()
  for (const row of rows) {
    const month = byMonth.get(row.month)
    if (!month) continue
    // Every channel with a credit is drawn, even one that never earned revenue.
    if (!weight.has(row.channel)) weight.set(row.channel, 0)
    if (row.conversion === conversion) {
      month.conversions[row.channel] = round(
        (month.conversions[row.channel] ?? 0) + row.conversions,
      )
    }
    if (row.conversion === 'opportunity_created') {
      month.pipeline[row.channel] = (month.pipeline[row.channel] ?? 0) + Number(row.revenue)
    }
    if (row.conversion === 'won') {
      month.revenue[row.channel] = (month.revenue[row.channel] ?? 0) + Number(row.revenue)
      weight.set(row.channel, (weight.get(row.channel) ?? 0) + Number(row.revenue))
    }
  }
  const channels = [...weight.keys()].sort(
    (a, b) => (weight.get(b) ?? 0) - (weight.get(a) ?? 0) || a.localeCompare(b),
  )
  for (const month of months) {
    for (const channel of channels) {
      month.conversions[channel] ??= 0
      month.pipeline[channel] ??= 0
      month.revenue[channel] ??= 0
    }
  }
  return { channels, months }
}
