/**
 * The funnel report of the Bridge (issue 8): stage-to-stage conversion over the lifecycle
 * `subscriber → lead → mql → sal → sql → opportunity → customer` (DEFINITIONS.md "Lifecycle" and
 * "MQL→SQL rate"). The cohort of a stage is the contacts whose first entry into it (not a
 * re-entry) falls in [from, to] of the workspace time zone; a contact converted when it entered the
 * next stage within 90 days of entering the earlier one. A jump stamps the skipped stages with the
 * same time, so it counts as converted at every stage it passed, in 0 days. Time between stages
 * (median and 90th percentile, in days) is over the converted. Overall, per entry month (cohorts),
 * and per campaign, channel (of the contact's lead-creation touch), segment (its account's
 * employees) or team (its owner's teams; an owner in two teams counts in both).
 */
import type { Kysely } from 'kysely'
import { DateTime } from 'luxon'
import { lifecycleStages } from '../../domain/lifecycle.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { DB } from '../db/schema.ts'
import {
  type BridgeGrouping,
  type BridgeRange,
  bridgeRange,
  drillLink,
  workspaceTimeZone,
} from './bridge-common.ts'
import { type FunnelAggregate, selectFunnel } from './funnel-queries.ts'
import { monthsOf } from './sla.ts'

/** The stages the funnel runs through (evangelist is after the sale: not a conversion step). */
export const funnelStages = lifecycleStages.slice(0, 7)
/** Consecutive stage pairs: subscriber → lead, …, opportunity → customer. */
export const funnelPairs = funnelStages
  .slice(0, -1)
  .map((fromStage, i) => ({ fromStage, toStage: funnelStages[i + 1] as string }))

/** Days a contact has to reach the next stage to count as converted (DEFINITIONS.md). */
export const conversionWindowDays = 90

export type FunnelGrouping = BridgeGrouping

export interface FunnelGroup {
  key: string
  label: string
}

export interface FunnelRow {
  /** null: every contact (no grouping). */
  group: FunnelGroup | null
  fromStage: string
  toStage: string
  /** Contacts whose first entry into fromStage falls in the range. */
  entered: number
  /** Of those, the ones that entered toStage within 90 days. */
  converted: number
  /** converted ÷ entered; null when nobody entered. */
  rate: number | null
  /** Days from fromStage to toStage among the converted (percentile_cont). */
  medianDays: number | null
  p90Days: number | null
  enteredLink: string
  convertedLink: string
}

export interface FunnelCohort {
  /** Entry month, YYYY-MM of the workspace time zone. */
  month: string
  fromStage: string
  toStage: string
  entered: number
  converted: number
  rate: number | null
  /** False while the month's last entrants have not had their whole 90 days yet. */
  complete: boolean
  enteredLink: string
  convertedLink: string
}

export interface FunnelReport {
  from: string
  to: string
  timeZone: string
  asOf: string
  groupBy: FunnelGrouping | null
  conversionWindowDays: number
  stages: string[]
  overall: FunnelRow[]
  /** Per group × stage pair when grouped (groups by volume, "none" last); else `overall`. */
  rows: FunnelRow[]
  cohorts: FunnelCohort[]
}

export interface FunnelQuery {
  from?: string | undefined
  to?: string | undefined
  groupBy?: FunnelGrouping | undefined
}

const noneLabels: Record<FunnelGrouping, string> = {
  campaign: 'No campaign',
  channel: 'No channel',
  segment: 'No segment',
  team: 'No team',
}

const segmentLabels: Record<string, string> = {
  smb: 'SMB',
  mid_market: 'Mid-market',
  enterprise: 'Enterprise',
}

/** The drill-down filter of a group (records.ts: campaignId, channel, segment, teamId). */
const filterName: Record<FunnelGrouping, string> = {
  campaign: 'campaignId',
  channel: 'channel',
  segment: 'segment',
  team: 'teamId',
}

function rate(converted: number, entered: number) {
  return entered === 0 ? null : converted / entered
}

function row(
  range: BridgeRange,
  pair: { fromStage: string; toStage: string },
  aggregate: FunnelAggregate | undefined,
  group: FunnelGroup | null,
  groupBy: FunnelGrouping | null,
): FunnelRow {
  const entered = aggregate?.entered ?? 0
  const converted = aggregate?.converted ?? 0
  const filters = {
    stage: pair.fromStage,
    ...(group && groupBy ? { [filterName[groupBy]]: group.key } : {}),
  }
  return {
    group,
    fromStage: pair.fromStage,
    toStage: pair.toStage,
    entered,
    converted,
    rate: rate(converted, entered),
    medianDays: aggregate?.medianDays ?? null,
    p90Days: aggregate?.p90Days ?? null,
    enteredLink: drillLink('contacts', range, filters),
    convertedLink: drillLink('contacts', range, { ...filters, reached: pair.toStage }),
  }
}

/** The report of GET /api/v1/reports/funnel. */
export async function getFunnelReport(
  db: Kysely<DB>,
  principal: Principal,
  query: FunnelQuery,
  now = new Date(),
): Promise<FunnelReport> {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const timeZone = await workspaceTimeZone(db, workspaceId)
  const range = bridgeRange(query, timeZone, now)
  const groupBy = query.groupBy ?? null
  const aggregates = await selectFunnel(db, {
    workspaceId,
    start: range.start,
    end: range.end,
    timeZone,
    groupBy,
    pairs: funnelPairs,
    windowDays: conversionWindowDays,
  })

  const overallOf = new Map<string, FunnelAggregate>()
  const monthOf = new Map<string, FunnelAggregate>()
  const groups = new Map<string, { group: FunnelGroup; volume: number }>()
  const groupedOf = new Map<string, FunnelAggregate>()
  for (const a of aggregates) {
    if (a.kind === 'overall') overallOf.set(a.fromStage, a)
    else if (a.kind === 'month') monthOf.set(`${a.month}|${a.fromStage}`, a)
    else if (groupBy) {
      const key = a.key ?? 'none'
      const label =
        a.key === null
          ? noneLabels[groupBy]
          : groupBy === 'segment'
            ? (segmentLabels[a.key] ?? a.key)
            : (a.label ?? a.key)
      const known = groups.get(key)
      if (known) known.volume += a.entered
      else groups.set(key, { group: { key, label }, volume: a.entered })
      groupedOf.set(`${key}|${a.fromStage}`, a)
    }
  }

  const overall = funnelPairs.map((pair) =>
    row(range, pair, overallOf.get(pair.fromStage), null, null),
  )
  const ordered = [...groups.values()].sort(
    (x, y) =>
      Number(x.group.key === 'none') - Number(y.group.key === 'none') ||
      y.volume - x.volume ||
      x.group.label.localeCompare(y.group.label),
  )
  const rows = groupBy
    ? ordered.flatMap(({ group }) =>
        funnelPairs.map((pair) =>
          row(range, pair, groupedOf.get(`${group.key}|${pair.fromStage}`), group, groupBy),
        ),
      )
    : overall

  const rangeEnd = range.end.getTime()
  const cohorts = monthsOf(range.from, range.to).flatMap((month) => {
    const monthEnd = DateTime.fromISO(`${month}-01`, { zone: timeZone }).plus({ months: 1 })
    // The month's last entrant (the range may end before the month does) needs its 90 days.
    const lastEntry = DateTime.fromMillis(Math.min(monthEnd.toMillis(), rangeEnd), {
      zone: timeZone,
    })
    const complete = lastEntry.plus({ days: conversionWindowDays }).toMillis() <= now.getTime()
    return funnelPairs.map((pair) => {
      const a = monthOf.get(`${month}|${pair.fromStage}`)
      const entered = a?.entered ?? 0
      const converted = a?.converted ?? 0
      const filters = { stage: pair.fromStage, month }
      return {
        month,
        fromStage: pair.fromStage,
        toStage: pair.toStage,
        entered,
        converted,
        rate: rate(converted, entered),
        complete,
        enteredLink: drillLink('contacts', range, filters),
        convertedLink: drillLink('contacts', range, { ...filters, reached: pair.toStage }),
      }
    })
  })

  return {
    from: range.from,
    to: range.to,
    timeZone,
    asOf: now.toISOString(),
    groupBy,
    conversionWindowDays,
    stages: [...funnelStages],
    overall,
    rows,
    cohorts,
  }
}
