import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { getData } from '../../api/client.ts'
import { formatMoney } from '../records/money.ts'

export type OutlookMetric = 'leads' | 'mqls' | 'pipeline_created' | 'revenue'

export interface OutlookPoint {
  month: string
  value: number
}

export interface OutlookForecastPoint extends OutlookPoint {
  lower80: number
  upper80: number
  lower95: number
  upper95: number
}

/** One monthly series of GET /api/v1/telescope/outlook: its history, forecast and targets. */
export interface OutlookSeries {
  metric: OutlookMetric
  label: string
  unit: 'count' | 'money'
  /** e.g. 'ETS(M,Ad,M)'; null when the history is too short to forecast. */
  model: string | null
  season: number
  notes: string[]
  backtest: { holdout: number; mape: number | null; rmse: number } | null
  history: OutlookPoint[]
  forecast: OutlookForecastPoint[]
  targets: { month: string; amount: number }[]
}

/** GET /api/v1/telescope/outlook: the long-range forecast (DEFINITIONS.md "Long-range forecast"). */
export interface Outlook {
  asOf: string
  computedAt: string
  currency: string
  lastCompleteMonth: string
  horizon: number
  series: OutlookSeries[]
}

export const outlookHorizons = [12, 24] as const
export type OutlookHorizon = (typeof outlookHorizons)[number]

export const outlookKey = ['telescope', 'outlook'] as const

function outlookPath(horizon: number, refresh = false) {
  return `/api/v1/telescope/outlook?horizon=${horizon}${refresh ? '&refresh=true' : ''}`
}

export function useOutlook(horizon: OutlookHorizon) {
  return useQuery({
    queryKey: [...outlookKey, horizon],
    queryFn: () => getData<Outlook>(outlookPath(horizon)),
    // Switching the horizon keeps the last answer on screen until the next arrives.
    placeholderData: keepPreviousData,
  })
}

/** Computes the outlook again now (the stored one is otherwise kept for the day). */
export function useRecomputeOutlook(horizon: OutlookHorizon) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () => getData<Outlook>(outlookPath(horizon, true)),
    onSuccess: async (outlook) => {
      queryClient.setQueryData([...outlookKey, horizon], outlook)
      await queryClient.invalidateQueries({
        queryKey: outlookKey,
        predicate: (query) => query.queryKey[2] !== horizon,
      })
    },
  })
}

/** A series' figure: money (minor units) in the base currency, else a whole count. */
export function formatValue(
  value: number,
  unit: OutlookSeries['unit'],
  currency: string,
  compact = false,
): string {
  if (unit === 'money') return formatMoney(Math.round(value), currency, compact)
  return new Intl.NumberFormat(undefined, {
    notation: compact ? 'compact' : 'standard',
    maximumFractionDigits: compact ? 1 : 0,
  }).format(value)
}

const errorWords: Record<string, string> = { A: 'additive', M: 'multiplicative' }
const trendWords: Record<string, string> = {
  N: 'no trend',
  A: 'additive trend',
  Ad: 'damped additive trend',
  M: 'multiplicative trend',
  Md: 'damped multiplicative trend',
}
const seasonWords: Record<string, string> = {
  N: 'no seasonality',
  A: 'additive seasonality',
  M: 'multiplicative seasonality',
}

/**
 * An ETS model name in plain words: 'ETS(M,Ad,M)' → multiplicative errors, damped additive trend,
 * multiplicative seasonality. Null when the name is not of that shape.
 */
export function explainModel(model: string): string | null {
  const match = /^ETS\(([AM]),(N|A|Ad|M|Md),([NAM])\)$/.exec(model.replace(/\s/g, ''))
  if (!match) return null
  const [, error = '', trend = '', season = ''] = match
  const parts = [
    `${errorWords[error]} errors (${error === 'A' ? 'surprises of a fixed size' : 'surprises in proportion to the level'})`,
    `${trendWords[trend]}${trend.endsWith('d') ? ' (growth flattens out over the horizon)' : ''}`,
    `${seasonWords[season]}${season === 'A' ? ' (the same number added each month of the year)' : season === 'M' ? ' (each month of the year a share above or below the level)' : ''}`,
  ]
  return `Exponential smoothing with ${parts.join(', ')}.`
}

/** 'Backtest: MAPE 8.4% on the last 12 months held out', or why there is none. */
export function backtestWords(
  backtest: OutlookSeries['backtest'],
  format: (value: number) => string,
): string {
  if (backtest === null) return 'Not enough history to backtest.'
  const months = `the last ${backtest.holdout} month${backtest.holdout === 1 ? '' : 's'} held out`
  if (backtest.mape === null)
    return `Backtest on ${months}: RMSE ${format(backtest.rmse)} (no MAPE: a month held out had zero actual).`
  const mape = backtest.mape.toLocaleString(undefined, { maximumFractionDigits: 1 })
  return `Backtest: MAPE ${mape}% on ${months} (RMSE ${format(backtest.rmse)}).`
}
