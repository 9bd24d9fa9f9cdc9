import { monthLabel } from '../mql/mql-api.ts'
import { toMajor } from '../records/money.ts'
import type { OutlookSeries } from './outlook-api.ts'

/** Months of actuals drawn before the forecast. */
export const historyShown = 24

export interface ChartRow {
  month: string
  label: string
  actual: number | null
  forecast: number | null
  band80: [number, number] | null
  band95: [number, number] | null
  target: number | null
}

/**
 * The chart's rows: the last months of actuals, then the forecast with its intervals, and the
 * targets where there are any. The forecast line starts at the last actual so the two join.
 */
export function chartRows(series: OutlookSeries, currency: string): ChartRow[] {
  const scale = (value: number) =>
    series.unit === 'money' ? toMajor(value, currency) : Math.round(value * 100) / 100
  const targets = new Map(series.targets.map((t) => [t.month, scale(t.amount)]))
  const history = series.history.slice(-historyShown)
  const rows: ChartRow[] = history.map((h) => ({
    month: h.month,
    label: monthLabel(h.month),
    actual: scale(h.value),
    forecast: null,
    band80: null,
    band95: null,
    target: targets.get(h.month) ?? null,
  }))
  const last = rows.at(-1)
  if (last && last.actual !== null && series.forecast.length > 0) {
    last.forecast = last.actual
    last.band80 = [last.actual, last.actual]
    last.band95 = [last.actual, last.actual]
  }
  for (const f of series.forecast) {
    rows.push({
      month: f.month,
      label: monthLabel(f.month),
      actual: null,
      forecast: scale(f.value),
      band80: [scale(f.lower80), scale(f.upper80)],
      band95: [scale(f.lower95), scale(f.upper95)],
      target: targets.get(f.month) ?? null,
    })
  }
  return rows
}
