import { useQuery } from '@tanstack/react-query'
import { getData } from '../../api/client.ts'

export const funnelGroupings = ['campaign', 'channel', 'segment', 'team'] as const
export type FunnelGrouping = (typeof funnelGroupings)[number]

/** One stage pair (of one group), src/server/reports/funnel-routes.ts `FunnelRow`. */
export interface FunnelRow {
  group: { key: string; label: string } | null
  fromStage: string
  toStage: string
  entered: number
  converted: number
  rate: number | null
  medianDays: number | null
  p90Days: number | null
  enteredLink: string
  convertedLink: string
}

/** One entry month × stage pair, `FunnelCohort`. */
export interface FunnelCohort {
  month: string
  fromStage: string
  toStage: string
  entered: number
  converted: number
  rate: number | null
  complete: boolean
  enteredLink: string
  convertedLink: string
}

/** GET /api/v1/reports/funnel. */
export interface FunnelReport {
  from: string
  to: string
  timeZone: string
  asOf: string
  groupBy: FunnelGrouping | null
  conversionWindowDays: number
  stages: string[]
  overall: FunnelRow[]
  rows: FunnelRow[]
  cohorts: FunnelCohort[]
}

export interface FunnelParams {
  from: string
  to: string
  groupBy: FunnelGrouping | null
}

export function useFunnelReport({ from, to, groupBy }: FunnelParams) {
  const query = new URLSearchParams()
  if (from) query.set('from', from)
  if (to) query.set('to', to)
  if (groupBy) query.set('groupBy', groupBy)
  return useQuery({
    queryKey: ['reports', 'funnel', from, to, groupBy],
    queryFn: () => getData<FunnelReport>(`/api/v1/reports/funnel?${query.toString()}`),
  })
}

/** "42%", or "—" when nobody entered. */
export function formatRate(rate: number | null): string {
  return rate === null ? '—' : `${Math.round(rate * 100)}%`
}

/** "3.5 d" under ten days, "12 d" above; "—" when nothing converted. */
export function formatDays(days: number | null): string {
  if (days === null) return '—'
  return `${days < 10 ? days.toFixed(1) : Math.round(days)} d`
}
