/**
 * The Telescope's long-range forecast (issue 14; DEFINITIONS.md "Long-range forecast"): monthly
 * leads, MQLs, pipeline created and revenue for the next 24 months by exponential smoothing with
 * trend and seasonality (src/domain/ets), with 80% and 95% prediction intervals, the backtest
 * error on the last months held out, and the company's monthly targets on the same months.
 *
 * The whole workspace is computed at once and kept as the day's `outlook` snapshot.
 */
import type { Kysely } from 'kysely'
import { DateTime } from 'luxon'
import { periodOf, periodsBetween } from '../../domain/calendar.ts'
import { backtestEts, EtsInputError, fitEts } from '../../domain/ets/index.ts'
import type { DB } from '../db/schema.ts'
import { loadRates } from '../exchange-rates/service.ts'
import { snapshot } from '../telescope/snapshots.ts'
import {
  companyMonthlyTargets,
  type Month,
  monthlyHistory,
  type OutlookMetric,
  outlookMetrics,
} from './queries.ts'

/** How far the outlook looks ahead, in months; the page may show fewer. */
export const maxHorizon = 24
/** How far back the history is read, in months. */
const historyMonths = 60
const season = 12

const labels: Record<OutlookMetric, string> = {
  leads: 'Leads',
  mqls: 'MQLs',
  pipeline_created: 'Pipeline created',
  revenue: 'Revenue',
}

export interface OutlookPoint {
  month: string
  value: number
  lower80: number
  upper80: number
  lower95: number
  upper95: number
}

export interface OutlookSeries {
  metric: OutlookMetric
  label: string
  unit: 'count' | 'money'
  /** e.g. ETS(M,Ad,M); null when the history is too short to forecast. */
  model: string | null
  season: number
  notes: string[]
  backtest: { holdout: number; mape: number | null; rmse: number } | null
  history: { month: string; value: number }[]
  forecast: OutlookPoint[]
  targets: { month: string; amount: number }[]
}

export interface Outlook {
  asOf: string
  currency: string
  lastCompleteMonth: string
  horizon: number
  series: OutlookSeries[]
}

function localDate(at: Date, timeZone: string): string {
  return DateTime.fromJSDate(at, { zone: timeZone }).toISODate() as string
}

/** The held-out months of the backtest: a year when two seasons remain to fit, else half a year. */
export function holdoutFor(points: number): number | null {
  if (points >= 3 * season) return season
  if (points >= 18) return 6
  return null
}

/** Rounds to what the series counts in: whole leads, whole minor units. */
const whole = (n: number) => Math.round(n)

export function forecastSeries(
  metric: OutlookMetric,
  months: readonly Month[],
  allValues: readonly number[],
  future: readonly string[],
): Omit<OutlookSeries, 'targets'> {
  // The history starts at the first month with anything in it (before it, the workspace was empty).
  const start = allValues.findIndex((v) => v !== 0)
  const values = start < 0 ? [] : allValues.slice(start)
  const history = values.map((value, i) => ({ month: months[start + i]?.key ?? '', value }))
  const base = {
    metric,
    label: labels[metric],
    unit:
      metric === 'pipeline_created' || metric === 'revenue'
        ? ('money' as const)
        : ('count' as const),
    history,
  }
  try {
    const fit = fitEts(values, { horizon: future.length, season })
    const holdout = holdoutFor(values.length)
    const backtest =
      holdout === null ? null : backtestEts(values, { horizon: holdout, holdout, season }).holdout
    return {
      ...base,
      model: fit.model,
      season: fit.season,
      notes: fit.notes,
      backtest: backtest && holdout !== null ? { holdout, ...backtest } : null,
      forecast: future.map((month, i) => ({
        month,
        value: whole(fit.forecast[i] ?? 0),
        lower80: whole(fit.lower80[i] ?? 0),
        upper80: whole(fit.upper80[i] ?? 0),
        lower95: whole(fit.lower95[i] ?? 0),
        upper95: whole(fit.upper95[i] ?? 0),
      })),
    }
  } catch (error) {
    if (!(error instanceof EtsInputError)) throw error
    return {
      ...base,
      model: null,
      season: 1,
      notes: [
        `Not enough history to forecast: ${values.length} complete month${values.length === 1 ? '' : 's'} with activity; at least 3 are needed.`,
      ],
      backtest: null,
      forecast: [],
    }
  }
}

/** Computes the workspace's outlook as of `now` (the current month is the first forecast month). */
export async function computeOutlook(
  db: Kysely<DB>,
  workspaceId: string,
  now = new Date(),
): Promise<Outlook> {
  const workspace = await db
    .selectFrom('workspaces')
    .select(['timeZone', 'fiscalYearStartMonth'])
    .where('id', '=', workspaceId)
    .executeTakeFirstOrThrow()
  const calendar = workspace
  const current = periodOf('month', now, calendar)
  const firstStart = DateTime.fromJSDate(current.start, { zone: calendar.timeZone })
    .minus({ months: historyMonths })
    .toJSDate()
  const months: Month[] = periodsBetween('month', firstStart, current.start, calendar).map((p) => ({
    key: p.key,
    startsOn: localDate(p.start, calendar.timeZone),
    endsOn: localDate(p.end, calendar.timeZone),
  }))
  const futureEnd = DateTime.fromJSDate(current.start, { zone: calendar.timeZone })
    .plus({ months: maxHorizon })
    .toJSDate()
  const future = periodsBetween('month', current.start, futureEnd, calendar).map((p) => p.key)
  const [history, targets, rates] = await Promise.all([
    monthlyHistory(db, workspaceId, calendar.timeZone, months),
    companyMonthlyTargets(db, workspaceId, months[0]?.key ?? current.key, future.at(-1) ?? ''),
    loadRates(db, workspaceId),
  ])
  const series = outlookMetrics.map((metric) => {
    const { values, missingRates } = history[metric]
    const result = forecastSeries(metric, months, values, future)
    const notes =
      missingRates.length > 0
        ? [
            ...result.notes,
            `Amounts in ${missingRates.join(', ')} are left out: no exchange rate to ${rates.baseCurrency}.`,
          ]
        : result.notes
    const firstShown = result.history[0]?.month ?? current.key
    return {
      ...result,
      notes,
      targets: targets
        .filter((t) => t.metric === metric && t.periodKey >= firstShown)
        .map((t) => ({ month: t.periodKey, amount: t.amount })),
    }
  })
  return {
    asOf: periodOf('day', now, calendar).key,
    currency: rates.baseCurrency,
    lastCompleteMonth: months.at(-1)?.key ?? current.key,
    horizon: maxHorizon,
    series,
  }
}

/** The day's stored outlook (computed when missing or on refresh), cut to `horizon` months. */
export async function getOutlook(
  db: Kysely<DB>,
  workspaceId: string,
  options: { horizon: number; refresh?: boolean },
) {
  const stored = await snapshot(db, workspaceId, 'outlook', () => computeOutlook(db, workspaceId), {
    refresh: options.refresh,
  })
  const body = stored.body
  return {
    ...body,
    computedAt: stored.computedAt.toISOString(),
    horizon: options.horizon,
    series: body.series.map((s) => {
      const forecast = s.forecast.slice(0, options.horizon)
      const last = forecast.at(-1)?.month
      return {
        ...s,
        forecast,
        targets: last ? s.targets.filter((t) => t.month <= last) : s.targets,
      }
    }),
  }
}
