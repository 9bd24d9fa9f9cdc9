import { useQuery } from '@tanstack/react-query'
import { getData } from '../../api/client.ts'

/** GET /api/v1/leader (src/server/leader/routes.ts), mirrored. */
export interface RevenuePoint {
  period: string
  won: number | null
  target: number | null
  targetSource: 'month' | 'quarter' | null
  attainment: number | null
  link: string
}

export interface CoveragePoint {
  period: string
  openPipeline: number | null
  openDeals: number
  target: number | null
  achieved: number
  remaining: number | null
  value: number | 'met' | null
}

export interface RatePoint {
  period: string
  value: number | null
}

export interface LeaderView {
  asOf: string
  timeZone: string
  baseCurrency: string
  months: string[]
  revenue: {
    value?: RevenuePoint
    series: RevenuePoint[]
    quarters: {
      period: string
      startsOn: string
      endsOn: string
      won: number | null
      target: number
      attainment: number | null
    }[]
    missingRates: string[]
    link: string
  }
  coverage: { value?: CoveragePoint; series: CoveragePoint[]; link: string }
  alignment: { value: number | null; period: string; series: RatePoint[]; link: string }
  regret: {
    value: number | null
    from: string
    to: string
    won: number
    regretted: number
    series: (RatePoint & { won: number; regretted: number })[]
    link: string
  }
  winRate: {
    value: number | null
    from: string
    to: string
    won: number
    lost: number
    walkedAway: number
    series: (RatePoint & { won: number; lost: number; walked: number })[]
    link: string
  }
  insights: {
    note: string
    from: string
    to: string
    lossReasons: {
      reason: string | null
      count: number
      share: number | null
      goodOutcome: boolean
      link: string | null
    }[]
    objections: { tagId: string; name: string; count: number; link: string }[]
    series: { period: string; losses: number; rejected: number }[]
    link: string
  }
}

export function useLeaderView() {
  return useQuery({
    queryKey: ['leader'],
    queryFn: () => getData<LeaderView>('/api/v1/leader?months=12'),
  })
}
