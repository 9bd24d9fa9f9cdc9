import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { getData } from '../../api/client.ts'
import { toMajor } from '../records/money.ts'

export type TrendMetric =
  | 'leads'
  | 'mql_rate'
  | 'acceptance_rate'
  | 'cost_per_mql'
  | 'conversion_to_opportunity'

export type TrendUnit = 'count' | 'rate' | 'money'

export interface TrendSubject {
  kind: 'channel' | 'campaign'
  id: string
  name: string
  channel: string
}

export interface TrendPoint {
  week: string
  value: number | null
  numerator: number
  denominator: number
}

/** One flag of GET /api/v1/telescope/changes (DEFINITIONS.md "Decay"). */
export interface ChangeFlag {
  subject: TrendSubject
  metric: TrendMetric
  metricLabel: string
  unit: TrendUnit
  status: 'decay' | 'improvement'
  words: string
  changePct: number | null
  current: number
  baseline: number
  range: { low: number; high: number }
  baselineWeeks: string[]
  recentWeeks: string[]
  series: TrendPoint[]
  link: string
}

export interface Changes {
  asOf: string
  computedAt: string
  currency: string
  lastCompleteWeek: string | null
  decays: ChangeFlag[]
  improvements: ChangeFlag[]
  tested: number
  notEnoughData: number
  missingRates: string[]
}

export interface TrendSeries {
  metric: TrendMetric
  label: string
  unit: TrendUnit
  upIsWorse: boolean
  status: 'decay' | 'improvement' | 'normal' | 'not_enough_data'
  words: string
  changePct: number | null
  current: number | null
  baseline: number | null
  range: { low: number; high: number } | null
  series: TrendPoint[]
}

export interface Trends {
  asOf: string
  currency: string
  subject: TrendSubject
  link: string
  weeks: { week: string; startsOn: string }[]
  metrics: TrendSeries[]
}

export type BenchmarkVerdict = 'better' | 'worse' | 'typical' | 'too_few_peers' | 'no_value'

export interface CampaignBenchmark {
  campaign: { id: string; name: string; channel: string; type: string }
  model: string
  currency: string
  peers: { id: string; name: string; startsOn: string | null }[]
  metrics: {
    metric: 'cost_per_mql' | 'acceptance_rate' | 'roi'
    value: number | null
    peerMedian: number | null
    percentile: number | null
    peers: number
    verdict: BenchmarkVerdict
  }[]
}

export const changesKey = ['telescope', 'changes'] as const

export function useChanges() {
  return useQuery({
    queryKey: changesKey,
    queryFn: () => getData<Changes>('/api/v1/telescope/changes'),
  })
}

/** Tests every series again now (the stored flags are otherwise kept for the day). */
export function useRecomputeChanges() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () => getData<Changes>('/api/v1/telescope/changes?refresh=true'),
    onSuccess: (changes) => queryClient.setQueryData(changesKey, changes),
  })
}

export function useChannelTrends(channel: string | null) {
  return useQuery({
    queryKey: ['telescope', 'trends', 'channel', channel],
    queryFn: () =>
      getData<Trends>(`/api/v1/telescope/trends?channel=${encodeURIComponent(channel ?? '')}`),
    enabled: channel !== null,
  })
}

export function useCampaignBenchmark(id: string) {
  return useQuery({
    queryKey: ['campaigns', id, 'benchmark'],
    queryFn: () => getData<CampaignBenchmark>(`/api/v1/campaigns/${id}/benchmark`),
    enabled: id !== '',
  })
}

/** A metric's value as people read it: a count a week, a percentage, or money. */
export function formatTrendValue(value: number, unit: TrendUnit, currency: string): string {
  if (unit === 'money') {
    // Whole units, as the sentences say them: "$35", not "$35.00".
    return new Intl.NumberFormat(undefined, {
      style: 'currency',
      currency,
      maximumFractionDigits: 0,
    }).format(toMajor(value, currency))
  }
  if (unit === 'rate') return `${Math.round(value * 1000) / 10}%`
  return new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 }).format(value)
}

/** "2026-W47" → "W47 2026" for axes and summaries. */
export function weekLabel(week: string): string {
  const [year, number] = week.split('-W')
  return `W${number} ${year}`
}
