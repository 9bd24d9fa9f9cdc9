import { useQuery } from '@tanstack/react-query'
import { getData } from '../../api/client.ts'

export const regretGroupings = ['rep', 'team', 'campaign', 'product'] as const
export type RegretGrouping = (typeof regretGroupings)[number]

/** One group (or every deal), src/server/reports/regret-routes.ts `RegretRow`. */
export interface RegretRow {
  group: { key: string; label: string } | null
  won: number
  regretted: number
  rate: number | null
  churned: number
  refunded: number
  downgraded: number
  poorFit: number
  link: string
  regrettedLink: string
}

/** GET /api/v1/reports/regret, `RegretReport`. */
export interface RegretReport {
  from: string
  to: string
  timeZone: string
  asOf: string
  matureBefore: string
  clamped: boolean
  windowDays: number
  productFitThreshold: number
  groupBy: RegretGrouping | null
  overall: RegretRow
  rows: RegretRow[]
}

export interface RegretParams {
  from: string
  to: string
  groupBy: RegretGrouping | null
}

export function useRegretReport({ from, to, groupBy }: RegretParams) {
  const query = new URLSearchParams()
  if (from) query.set('from', from)
  if (to) query.set('to', to)
  if (groupBy) query.set('groupBy', groupBy)
  return useQuery({
    queryKey: ['reports', 'regret', from, to, groupBy],
    queryFn: () => getData<RegretReport>(`/api/v1/reports/regret?${query.toString()}`),
  })
}

/** "17%" (one decimal under 10%), or "—" when no deal is mature. */
export function formatRegretRate(rate: number | null): string {
  if (rate === null) return '—'
  const percent = rate * 100
  return percent > 0 && percent < 10 ? `${percent.toFixed(1)}%` : `${Math.round(percent)}%`
}
