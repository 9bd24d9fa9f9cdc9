import { describe, expect, it } from 'vitest'
import { describeChange, median, testChange, type WeekValue } from './decay.ts'
import { alarmRate, detectionRate, type SeriesShape } from './decay-simulation.ts'

const weeks = (counts: number[]): WeekValue[] =>
  counts.map((count, i) => ({ week: `w${i}`, numerator: count, denominator: 1 }))

describe('testChange', () => {
  it('flags leads well below their 8-week median as a decay, with the range in words', () => {
    // Baseline 8 weeks: median 50, MAD 2 → weekly sd max(2.97, √50 = 7.07).
    const series = weeks([48, 50, 52, 49, 51, 50, 47, 53, 30, 31, 29, 30])
    const result = testChange('leads', series)
    expect(result.status).toBe('decay')
    expect(result.baseline).toBe(50)
    expect(result.current).toBe(30)
    expect(result.changePct).toBe(-40)
    // se = 7.07 × √(1/4 + π/16) = 4.72; range 50 ± 3 × 4.72.
    expect(result.range?.low).toBeCloseTo(
      50 - 3 * Math.sqrt(50) * Math.sqrt(0.25 + Math.PI / 16),
      6,
    )
    expect(describeChange('Paid social', result)).toBe(
      'Paid social: leads down 40% over 4 weeks, outside its normal range (usual 35.8–64.2 a week)',
    )
  })

  it('calls a rise in cost per MQL a decay and a fall an improvement', () => {
    const base = Array.from({ length: 8 }, (_, i) => ({
      week: `w${i}`,
      numerator: 1_400_000,
      denominator: 100,
    }))
    const up = [...base, ...base.slice(0, 4).map((w) => ({ ...w, denominator: 72 }))]
    const worse = testChange('cost_per_mql', up)
    expect(worse.status).toBe('decay')
    expect(worse.baseline).toBeCloseTo(14_000, 6)
    expect(Math.round(worse.changePct ?? 0)).toBe(39)
    expect(describeChange('Paid social', worse)).toMatch(
      /^Paid social: cost per MQL up 39% over 4 weeks, outside its normal range \(usual \$\d+–\$\d+\)$/,
    )
    const down = [...base, ...base.slice(0, 4).map((w) => ({ ...w, denominator: 140 }))]
    expect(testChange('cost_per_mql', down).status).toBe('improvement')
  })

  it('calls a fall in a rate a decay and leaves a small wobble alone', () => {
    const at = (rate: number, n = 200) => ({
      week: 'w',
      numerator: Math.round(rate * n),
      denominator: n,
    })
    const base = Array.from({ length: 8 }, () => at(0.3))
    expect(testChange('mql_rate', [...base, at(0.18), at(0.19), at(0.18), at(0.2)]).status).toBe(
      'decay',
    )
    expect(testChange('mql_rate', [...base, at(0.29), at(0.31), at(0.28), at(0.3)]).status).toBe(
      'normal',
    )
    expect(
      testChange('acceptance_rate', [...base, at(0.45), at(0.44), at(0.46), at(0.45)]).status,
    ).toBe('improvement')
  })

  it('says not enough data for short series, thin counts and small denominators, never a flag', () => {
    expect(testChange('leads', weeks([50, 50, 50])).status).toBe('not_enough_data')
    const thin = testChange('leads', weeks([3, 4, 2, 5, 3, 4, 3, 4, 0, 0, 0, 0]))
    expect(thin.status).toBe('not_enough_data')
    expect(thin.reason).toContain('median of 3.5 a week')
    const small = Array.from({ length: 12 }, () => ({ week: 'w', numerator: 1, denominator: 2 }))
    expect(testChange('mql_rate', small).status).toBe('not_enough_data')
    const noCost = Array.from({ length: 12 }, () => ({ week: 'w', numerator: 0, denominator: 20 }))
    expect(testChange('cost_per_mql', noCost).status).toBe('not_enough_data')
    const empty = Array.from({ length: 12 }, () => ({ week: 'w', numerator: 0, denominator: 0 }))
    const none = testChange('acceptance_rate', empty)
    expect(none).toMatchObject({ status: 'not_enough_data', current: null, range: null })
  })

  it('keeps an MQL rate above 100% (older leads qualifying) finite', () => {
    const week = (numerator: number) => ({ week: 'w', numerator, denominator: 20 })
    const result = testChange('mql_rate', [...Array(8).fill(week(30)), ...Array(4).fill(week(29))])
    expect(result.status).toBe('normal')
    expect(Number.isFinite(result.range?.low)).toBe(true)
    expect(result.range?.high).toBeGreaterThanOrEqual(1.5)
  })

  it('never answers NaN for zeros', () => {
    const zeros = testChange('leads', weeks(Array(12).fill(0)))
    expect(zeros.status).toBe('not_enough_data')
    expect(median([])).toBeNaN()
  })
})

// The false-alarm budget (DEFINITIONS.md "Decay"): ≤ 5% of series-quarters (13 weekly evaluations)
// with any flag, decay or improvement, on stable data. docs/trends.md quotes these shapes.
const stable: Omit<SeriesShape, 'weeks'>[] = [
  { metric: 'leads', volume: 5 },
  { metric: 'leads', volume: 8 },
  { metric: 'leads', volume: 20 },
  { metric: 'leads', volume: 50 },
  { metric: 'leads', volume: 200 },
  { metric: 'mql_rate', volume: 10, level: 0.3 },
  { metric: 'mql_rate', volume: 30, level: 0.3 },
  { metric: 'mql_rate', volume: 100, level: 0.2 },
  { metric: 'mql_rate', volume: 400, level: 0.1 },
  { metric: 'acceptance_rate', volume: 15, level: 0.8 },
  { metric: 'acceptance_rate', volume: 60, level: 0.7 },
  { metric: 'conversion_to_opportunity', volume: 40, level: 0.15 },
  { metric: 'cost_per_mql', volume: 6, level: 50_000 },
  { metric: 'cost_per_mql', volume: 20, level: 50_000 },
  { metric: 'cost_per_mql', volume: 100, level: 50_000 },
]

describe('false alarms on stable simulated series', () => {
  it.each(stable)('$metric at volume $volume: ≤ 5% of quarters with any flag', (shape) => {
    const rate = alarmRate(shape, 1000, 7)
    expect(rate).toBeLessThanOrEqual(0.05)
  })
})

describe('detection of a 35-40% worsening sustained over 4 weeks', () => {
  it.each([
    { shape: { metric: 'leads', volume: 60, shift: 0.62 }, power: 0.8 },
    { shape: { metric: 'mql_rate', volume: 200, level: 0.25, shift: 0.63 }, power: 0.8 },
    { shape: { metric: 'acceptance_rate', volume: 40, level: 0.7, shift: 0.63 }, power: 0.9 },
    { shape: { metric: 'cost_per_mql', volume: 100, level: 50_000, shift: 1.38 }, power: 0.75 },
  ] as { shape: Omit<SeriesShape, 'weeks'>; power: number }[])(
    '$shape.metric at medium volume ($shape.volume a week) is flagged in ≥ $power of series',
    ({ shape, power }) => {
      expect(detectionRate(shape, 500, 3)).toBeGreaterThanOrEqual(power)
    },
  )
})
