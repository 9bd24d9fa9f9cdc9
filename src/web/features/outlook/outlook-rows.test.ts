import { describe, expect, it } from 'vitest'
import { backtestWords, explainModel, type OutlookSeries } from './outlook-api.ts'
import { chartRows } from './outlook-rows.ts'

const point = (month: string, value: number, spread: number) => ({
  month,
  value,
  lower80: value - spread,
  upper80: value + spread,
  lower95: value - 2 * spread,
  upper95: value + 2 * spread,
})

function series(overrides: Partial<OutlookSeries> = {}): OutlookSeries {
  return {
    metric: 'revenue',
    label: 'Revenue',
    unit: 'money',
    model: 'ETS(A,A,N)',
    season: 1,
    notes: [],
    backtest: null,
    history: [
      { month: '2026-09', value: 100_000 },
      { month: '2026-10', value: 120_000 },
    ],
    forecast: [point('2026-11', 130_000, 10_000), point('2026-12', 140_000, 20_000)],
    targets: [
      { month: '2026-10', amount: 110_000 },
      { month: '2026-12', amount: 150_000 },
    ],
    ...overrides,
  }
}

describe('chartRows', () => {
  it('puts actuals, then the forecast with its bands, in major units, with targets on their months', () => {
    const rows = chartRows(series(), 'USD')
    expect(rows.map((r) => r.month)).toEqual(['2026-09', '2026-10', '2026-11', '2026-12'])
    expect(rows.map((r) => r.actual)).toEqual([1000, 1200, null, null])
    expect(rows.map((r) => r.target)).toEqual([null, 1100, null, 1500])
    expect(rows[2]).toMatchObject({ forecast: 1300, band80: [1200, 1400], band95: [1100, 1500] })
    expect(rows[3]).toMatchObject({ forecast: 1400, band80: [1200, 1600], band95: [1000, 1800] })
  })

  it('starts the forecast line and bands at the last actual so the lines join', () => {
    const rows = chartRows(series(), 'USD')
    expect(rows[0]).toMatchObject({ forecast: null, band80: null })
    expect(rows[1]).toMatchObject({ forecast: 1200, band80: [1200, 1200], band95: [1200, 1200] })
  })

  it('keeps counts as they are and shows only the last 24 months of history', () => {
    const history = Array.from({ length: 30 }, (_, i) => ({
      month: `${2024 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
      value: i,
    }))
    const rows = chartRows(
      series({ unit: 'count', history, forecast: [point('2026-07', 31.5, 2)], targets: [] }),
      'USD',
    )
    expect(rows).toHaveLength(25)
    expect(rows[0]).toMatchObject({ month: '2024-07', actual: 6 })
    expect(rows[24]).toMatchObject({ month: '2026-07', forecast: 31.5, band95: [27.5, 35.5] })
  })

  it('draws no forecast when there is none', () => {
    const rows = chartRows(series({ model: null, forecast: [] }), 'USD')
    expect(rows.every((r) => r.forecast === null && r.band80 === null)).toBe(true)
  })
})

describe('explainModel', () => {
  it('says each part of an ETS name in words', () => {
    const words = explainModel('ETS(M,Ad,M)') ?? ''
    expect(words).toMatch(/^Exponential smoothing with multiplicative errors/)
    expect(words).toContain('damped additive trend')
    expect(words).toContain('multiplicative seasonality')
    expect(explainModel('ETS(A,N,N)')).toContain('no trend, no seasonality')
  })

  it('gives null for a name it does not know', () => {
    expect(explainModel('ARIMA(1,1,1)')).toBeNull()
    expect(explainModel('ETS(X,A,N)')).toBeNull()
  })
})

describe('backtestWords', () => {
  const plain = (v: number) => String(Math.round(v))
  it('gives the MAPE and the months held out', () => {
    expect(backtestWords({ holdout: 12, mape: 8.44, rmse: 31.2 }, plain)).toBe(
      'Backtest: MAPE 8.4% on the last 12 months held out (RMSE 31).',
    )
  })

  it('says why there is no MAPE or no backtest', () => {
    expect(backtestWords({ holdout: 6, mape: null, rmse: 4 }, plain)).toBe(
      'Backtest on the last 6 months held out: RMSE 4 (no MAPE: a month held out had zero actual).',
    )
    expect(backtestWords(null, plain)).toBe('Not enough history to backtest.')
  })
})
