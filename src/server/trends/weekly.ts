/**
 * The weekly metrics of every channel and campaign (issue 14; docs/trends.md): leads, MQL rate,
 * acceptance rate, cost per MQL and conversion to opportunity over the last 52 complete ISO weeks
 * in the workspace's time zone, as numerator/denominator pairs the change test reads.
 */
import type { Kysely } from 'kysely'
import { DateTime } from 'luxon'
import { periodOf, periodsBetween } from '../../domain/calendar.ts'
import { type TrendMetric, trendMetrics, type WeekValue } from '../../domain/decay.ts'
import { type Money, sumInBase } from '../../domain/money.ts'
import type { DB } from '../db/schema.ts'
import { loadRates } from '../exchange-rates/service.ts'
import {
  type CampaignRow,
  selectCampaigns,
  selectCostWeeks,
  selectLeadWeeks,
  selectMqlWeeks,
  type WeekRange,
} from './queries.ts'

/** Weeks of history kept per series. */
export const historyWeeks = 52
/** Conversion to opportunity: an MQL whose contact is on a deal created within this many days. */
export const conversionDays = 14

export type SubjectKind = 'channel' | 'campaign'

export interface Subject {
  kind: SubjectKind
  /** The channel slug, or the campaign's id. */
  id: string
  name: string
  channel: string
}

export interface WeekInfo {
  week: string
  /** The local Monday, YYYY-MM-DD. */
  startsOn: string
}

export interface SubjectSeries {
  subject: Subject
  /** Each metric's complete weeks, oldest first (conversion to opportunity ends earlier). */
  metrics: Record<TrendMetric, WeekValue[]>
}

export interface WorkspaceTrends {
  asOf: string
  timeZone: string
  currency: string
  weeks: WeekInfo[]
  /** Currencies of costs without an exchange rate (left out of cost per MQL). */
  missingRates: string[]
  campaigns: Map<string, CampaignRow>
  series: SubjectSeries[]
}

/** "paid_social" → "Paid social". */
export function channelName(channel: string): string {
  const words = channel.replaceAll('_', ' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}

interface Tally {
  leads: number
  mqls: number
  accepted: number
  decided: number
  converted: number
  costs: Money[]
}

const emptyTally = (): Tally => ({
  leads: 0,
  mqls: 0,
  accepted: 0,
  decided: 0,
  converted: 0,
  costs: [],
})

/** The 52 complete weeks before the week holding `asOf`, in the workspace's time zone. */
export function completeWeeks(asOf: Date, timeZone: string) {
  const calendar = { timeZone, fiscalYearStartMonth: 1 }
  const current = periodOf('week', asOf, calendar)
  const from = DateTime.fromJSDate(current.start, { zone: timeZone })
    .minus({ weeks: historyWeeks })
    .toJSDate()
  const periods = periodsBetween('week', from, current.start, calendar)
  return { from, to: current.start, periods }
}

/** Every subject's weekly series, from four aggregate queries. */
export async function loadTrends(
  db: Kysely<DB>,
  workspaceId: string,
  asOf: Date = new Date(),
): Promise<WorkspaceTrends> {
  const workspace = await db
    .selectFrom('workspaces')
    .select(['timeZone'])
    .where('id', '=', workspaceId)
    .executeTakeFirstOrThrow()
  const { timeZone } = workspace
  const { from, to, periods } = completeWeeks(asOf, timeZone)
  const range: WeekRange = { workspaceId, timeZone, from, to }
  const [leads, mqls, costs, campaignRows, { baseCurrency, rates }] = await Promise.all([
    selectLeadWeeks(db, range),
    selectMqlWeeks(db, range, conversionDays),
    selectCostWeeks(db, range),
    selectCampaigns(db, workspaceId),
    loadRates(db, workspaceId),
  ])
  const campaigns = new Map(campaignRows.map((c) => [c.id, c]))
  // Tallies per subject key ("channel:paid_social", "campaign:<id>") and week.
  const tallies = new Map<string, Map<string, Tally>>()
  const tally = (key: string, week: string) => {
    let weeks = tallies.get(key)
    if (!weeks) {
      weeks = new Map()
      tallies.set(key, weeks)
    }
    let t = weeks.get(week)
    if (!t) {
      t = emptyTally()
      weeks.set(week, t)
    }
    return t
  }
  const keysOf = (channel: string | null, campaignId: string | null) => {
    const keys: string[] = []
    if (channel) keys.push(`channel:${channel}`)
    if (campaignId && campaigns.has(campaignId)) keys.push(`campaign:${campaignId}`)
    return keys
  }
  for (const row of leads) {
    for (const key of keysOf(row.channel, row.campaignId)) tally(key, row.week).leads += row.n
  }
  for (const row of mqls) {
    for (const key of keysOf(row.channel, row.campaignId)) {
      const t = tally(key, row.week)
      t.mqls += row.n
      t.accepted += row.m
      t.decided += row.decided
      t.converted += row.converted
    }
  }
  for (const row of costs) {
    for (const key of keysOf(row.channel, row.campaignId)) {
      tally(key, row.week).costs.push({ currency: row.currency, amount: row.amount })
    }
  }

  const missing = new Set<string>()
  const costInBase = (items: Money[]) => {
    if (items.length === 0) return 0
    const sum = sumInBase(items, baseCurrency, rates)
    for (const currency of sum.missing) missing.add(currency)
    const known = items.filter((item) => !sum.missing.includes(item.currency))
    return sumInBase(known, baseCurrency, rates).amountInBase ?? 0
  }
  // Conversion to opportunity needs its 14 days after a week's end before the week counts.
  const matureBy = asOf.getTime() - conversionDays * 86_400_000
  const series: SubjectSeries[] = []
  for (const [key, weeks] of tallies) {
    const [kind, id] = key.split(':') as [SubjectKind, string]
    const campaign = kind === 'campaign' ? campaigns.get(id) : undefined
    if (kind === 'campaign' && (!campaign || campaign.deletedAt)) continue
    const subject: Subject = campaign
      ? { kind, id, name: campaign.name, channel: campaign.channel }
      : { kind, id, name: channelName(id), channel: id }
    const metrics = Object.fromEntries(trendMetrics.map((m) => [m, [] as WeekValue[]])) as Record<
      TrendMetric,
      WeekValue[]
    >
    for (const period of periods) {
      const week = period.key
      const t = weeks.get(week) ?? emptyTally()
      metrics.leads.push({ week, numerator: t.leads, denominator: 1 })
      metrics.mql_rate.push({ week, numerator: t.mqls, denominator: t.leads })
      metrics.acceptance_rate.push({ week, numerator: t.accepted, denominator: t.decided })
      metrics.cost_per_mql.push({ week, numerator: costInBase(t.costs), denominator: t.mqls })
      if (period.end.getTime() <= matureBy) {
        metrics.conversion_to_opportunity.push({
          week,
          numerator: t.converted,
          denominator: t.mqls,
        })
      }
    }
    series.push({ subject, metrics })
  }
  series.sort(
    (a, b) =>
      a.subject.kind.localeCompare(b.subject.kind) || a.subject.name.localeCompare(b.subject.name),
  )
  return {
    asOf: periodOf('day', asOf, { timeZone, fiscalYearStartMonth: 1 }).key,
    timeZone,
    currency: baseCurrency,
    weeks: periods.map((p) => ({
      week: p.key,
      startsOn: DateTime.fromJSDate(p.start, { zone: timeZone }).toISODate() as string,
    })),
    missingRates: [...missing].sort(),
    campaigns,
    series,
  }
}
