import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { getData, getPage, postData } from '../../api/client.ts'
import { formatMoney, toMajor } from '../records/money.ts'

export type PeriodKind = 'month' | 'quarter'
export type Bucket = 'commit' | 'best_case' | 'pipeline' | 'closed_won'
export const buckets: readonly Bucket[] = ['commit', 'best_case', 'pipeline', 'closed_won']
export const bucketLabels: Record<Bucket, string> = {
  commit: 'Commit',
  best_case: 'Best case',
  pipeline: 'Pipeline',
  closed_won: 'Won',
}

export interface Person {
  id: string
  name: string
}

/** src/server/forecast/routes.ts `ForecastSubmission`. */
export interface Submission {
  id: string
  kind: 'submission' | 'adjustment'
  adjustsId: string | null
  rep: Person
  periodKind: PeriodKind
  periodKey: string
  startsOn: string
  endsOn: string
  commit: number
  bestCase: number
  pipeline: number
  currency: string
  note: string | null
  submittedBy: Person | null
  submittedAt: string
}

export interface Figures {
  commit: number
  bestCase: number
  pipeline: number
}

export interface CategoryAccuracy {
  accuracy: number | null
  periods: number
  forecast: number
  actual: number
  error: number
}

export interface CallFigures {
  categories: Record<Bucket, { amount: number; count: number }>
  openPipeline: number
  weighted: number
  won: number
  target: number | null
  coverage: number | 'met' | null
  accuracy: { commit: CategoryAccuracy; bestCase: CategoryAccuracy; pipeline: CategoryAccuracy }
}

export interface RepRow extends CallFigures {
  rep: Person
  teams: Person[]
  submission: Submission | null
  adjustment: Submission | null
  effective: (Figures & { source: 'submission' | 'adjustment' }) | null
  canSubmit: boolean
  canAdjust: boolean
}

export interface Rollup extends CallFigures {
  repIds: string[]
  submitted: (Figures & { reps: number }) | null
  effective: (Figures & { reps: number }) | null
}

export interface DealLine {
  id: string
  name: string
  ownerId: string | null
  ownerName: string | null
  amount: number
  currency: string
  amountInBase: number | null
  stageName: string
  probability: number
  weighted: number | null
  bucket: Bucket
  closeDate: string | null
  closedAt: string | null
}

/** GET /api/v1/forecast/call, `ForecastCall`. */
export interface ForecastCall {
  period: {
    kind: PeriodKind
    key: string
    startsOn: string
    endsOn: string
    closed: boolean
    timeZone: string
  }
  team: Person | null
  baseCurrency: string
  missingRates: string[]
  accuracyPeriods: string[]
  canSubmit: boolean
  reps: RepRow[]
  teams: (Rollup & { team: Person })[]
  company: Rollup
  deals: DealLine[]
}

export interface CallParams {
  periodKind: PeriodKind
  periodKey: string | null
  teamId: string | null
}

const forecastKeys = { all: ['forecast'] as const }

export function useForecastCall({ periodKind, periodKey, teamId }: CallParams) {
  const query = new URLSearchParams({ periodKind })
  if (periodKey) query.set('periodKey', periodKey)
  if (teamId) query.set('teamId', teamId)
  return useQuery({
    queryKey: [...forecastKeys.all, 'call', periodKind, periodKey, teamId],
    queryFn: () => getData<ForecastCall>(`/api/v1/forecast/call?${query.toString()}`),
  })
}

export function useSubmissionHistory(periodKind: PeriodKind, periodKey: string | undefined) {
  return useQuery({
    queryKey: [...forecastKeys.all, 'submissions', periodKind, periodKey],
    enabled: periodKey !== undefined,
    queryFn: () =>
      getPage<Submission>(
        `/api/v1/forecast/submissions?periodKind=${periodKind}&periodKey=${encodeURIComponent(periodKey ?? '')}`,
        200,
        null,
      ),
  })
}

export interface SubmissionBody extends Figures {
  periodKind: PeriodKind
  periodKey: string
  note?: string
}

export function useSubmitForecast() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: SubmissionBody) =>
      postData<Submission>('/api/v1/forecast/submissions', body),
    onSuccess: () => client.invalidateQueries({ queryKey: forecastKeys.all }),
  })
}

export function useAdjustForecast() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: ({ id, ...body }: Figures & { id: string; note: string }) =>
      postData<Submission>(`/api/v1/forecast/submissions/${encodeURIComponent(id)}/adjust`, body),
    onSuccess: () => client.invalidateQueries({ queryKey: forecastKeys.all }),
  })
}

/** Whole units of the base currency: a forecast call talks in round figures. */
export function formatAmount(minor: number, currency: string) {
  try {
    return new Intl.NumberFormat(undefined, {
      style: 'currency',
      currency,
      minimumFractionDigits: 0,
      maximumFractionDigits: 0,
    }).format(toMajor(minor, currency))
  } catch {
    return formatMoney(minor, currency)
  }
}

export function formatCoverage(coverage: number | 'met' | null) {
  if (coverage === null) return '—'
  if (coverage === 'met') return 'Met'
  return `${coverage.toFixed(1)}×`
}

export function formatAccuracy(accuracy: number | null) {
  return accuracy === null ? '—' : `${Math.round(accuracy * 100)}%`
}
