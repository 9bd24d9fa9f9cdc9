/**
 * What changed this week (issue 14; DEFINITIONS.md "Decay"): the change test of every channel's and
 * running campaign's five weekly metrics; the flags (decays first, then improvements) in words,
 * each with its chart's series and normal range.
 */
import type { Kysely } from 'kysely'
import {
  type ChangeResult,
  describeChange,
  formatTrendValue,
  metricSpecs,
  type TrendMetric,
  testChange,
  trendMetrics,
  type WeekValue,
} from '../../domain/decay.ts'
import type { DB } from '../db/schema.ts'
import { loadTrends, type Subject, type WeekInfo, type WorkspaceTrends } from './weekly.ts'

/** Weeks of each flag's chart. */
export const chartWeeks = 26

export type MetricUnit = 'count' | 'rate' | 'money'

export interface TrendPoint {
  week: string
  /** null when the week has nothing to divide by (a rate of no leads). */
  value: number | null
  numerator: number
  denominator: number
}

export interface ChangeFlag {
  subject: Subject
  metric: TrendMetric
  metricLabel: string
  unit: MetricUnit
  status: 'decay' | 'improvement'
  words: string
  changePct: number | null
  current: number
  baseline: number
  range: { low: number; high: number }
  /** The weeks of the test: the 8 baseline weeks and the 4 recent ones. */
  baselineWeeks: string[]
  recentWeeks: string[]
  series: TrendPoint[]
  link: string
}

export interface ChangesReport {
  asOf: string
  currency: string
  lastCompleteWeek: string | null
  decays: ChangeFlag[]
  improvements: ChangeFlag[]
  /** Series tested, and those with too little volume to say. */
  tested: number
  notEnoughData: number
  missingRates: string[]
}

export const unitOf = (metric: TrendMetric): MetricUnit => {
  const kind = metricSpecs[metric].kind
  return kind === 'cost_per_mql' ? 'money' : kind
}

/** A week's value: counts as they are, rates and cost per MQL as numerator ÷ denominator. */
export function pointOf(metric: TrendMetric, w: WeekValue): TrendPoint {
  const kind = metricSpecs[metric].kind
  const value =
    kind === 'count' ? w.numerator : w.denominator > 0 ? w.numerator / w.denominator : null
  return { week: w.week, value, numerator: w.numerator, denominator: w.denominator }
}

export function linkOf(subject: Subject) {
  return subject.kind === 'campaign'
    ? `/telescope/campaigns/${subject.id}`
    : `/telescope/changes?channel=${encodeURIComponent(subject.id)}`
}

/** The change test's verdict in words, money in the base currency. */
export function wordsOf(subject: Subject, result: ChangeResult, currency: string) {
  return describeChange(subject.name, result, (value) =>
    formatTrendValue(result.metric, value, currency),
  )
}

/**
 * A campaign is tested only while it ran through the whole 12-week window: one that started or
 * ended inside it would "decay" merely by starting or stopping.
 */
function ranThrough(trends: WorkspaceTrends, subject: Subject, window: WeekInfo[]) {
  if (subject.kind === 'channel') return true
  const campaign = trends.campaigns.get(subject.id)
  const first = window[0]
  const last = window[window.length - 1]
  if (!campaign || !first || !last) return false
  const lastDay = new Date(`${last.startsOn}T00:00:00Z`)
  lastDay.setUTCDate(lastDay.getUTCDate() + 6)
  const startedInTime = !campaign.startsOn || campaign.startsOn <= first.startsOn
  const stillRunning = !campaign.endsOn || campaign.endsOn >= lastDay.toISOString().slice(0, 10)
  return startedInTime && stillRunning
}

/** The week's flags for the workspace (what the changes page and its snapshot hold). */
export async function computeChanges(
  db: Kysely<DB>,
  workspaceId: string,
  asOf: Date = new Date(),
): Promise<ChangesReport> {
  return changesOf(await loadTrends(db, workspaceId, asOf))
}

export function changesOf(trends: WorkspaceTrends): ChangesReport {
  const flags: ChangeFlag[] = []
  let tested = 0
  let notEnoughData = 0
  const window = trends.weeks.slice(-12)
  for (const { subject, metrics } of trends.series) {
    if (!ranThrough(trends, subject, window)) continue
    for (const metric of trendMetrics) {
      const weeks = metrics[metric]
      const result = testChange(metric, weeks)
      tested += 1
      if (result.status === 'not_enough_data') notEnoughData += 1
      if (result.status !== 'decay' && result.status !== 'improvement') continue
      const tail = weeks.slice(-12)
      flags.push({
        subject,
        metric,
        metricLabel: metricSpecs[metric].label,
        unit: unitOf(metric),
        status: result.status,
        words: wordsOf(subject, result, trends.currency),
        changePct: result.changePct === null ? null : Math.round(result.changePct * 10) / 10,
        current: result.current as number,
        baseline: result.baseline as number,
        range: result.range as { low: number; high: number },
        baselineWeeks: tail.slice(0, 8).map((w) => w.week),
        recentWeeks: tail.slice(8).map((w) => w.week),
        series: weeks.slice(-chartWeeks).map((w) => pointOf(metric, w)),
        link: linkOf(subject),
      })
    }
  }
  const bySize = (a: ChangeFlag, b: ChangeFlag) =>
    Math.abs(b.changePct ?? 0) - Math.abs(a.changePct ?? 0) || a.words.localeCompare(b.words)
  return {
    asOf: trends.asOf,
    currency: trends.currency,
    lastCompleteWeek: trends.weeks[trends.weeks.length - 1]?.week ?? null,
    decays: flags.filter((f) => f.status === 'decay').sort(bySize),
    improvements: flags.filter((f) => f.status === 'improvement').sort(bySize),
    tested,
    notEnoughData,
    missingRates: trends.missingRates,
  }
}
