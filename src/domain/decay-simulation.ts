/**
 * Simulated weekly series for measuring the change test (decay.ts): stable Poisson counts,
 * binomial rates and cost per MQL with steady spend, optionally worsened over the last 4 weeks.
 * Used by decay.test.ts and quoted in docs/trends.md; seeded, so the figures are reproducible.
 */
import { type TrendMetric, testChange, type WeekValue } from './decay.ts'
import { makeRandom } from './random.ts'

export type Random = () => number

/** A Poisson draw (inversion for small means, a rounded normal above 60). */
export function poisson(random: Random, mean: number): number {
  if (mean > 60) {
    const u = Math.max(random(), 1e-12)
    const v = random()
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * z))
  }
  const limit = Math.exp(-mean)
  let k = 0
  let p = random()
  while (p > limit) {
    k += 1
    p *= random()
  }
  return k
}

export function binomial(random: Random, n: number, p: number): number {
  let k = 0
  for (let i = 0; i < n; i += 1) if (random() < p) k += 1
  return k
}

export interface SeriesShape {
  metric: TrendMetric
  /** Counts: weekly mean. Rates: weekly mean denominator. Cost per MQL: weekly mean MQLs. */
  volume: number
  /** Rates: the rate. Cost per MQL: the weekly spend (minor units). */
  level?: number
  weeks: number
  /** Multiplies the metric over the last `shiftWeeks` weeks (1.38 = 38% up). */
  shift?: number
  shiftWeeks?: number
}

/** One simulated series of `weeks` weeks. */
export function simulateSeries(random: Random, shape: SeriesShape): WeekValue[] {
  const out: WeekValue[] = []
  const shiftFrom = shape.weeks - (shape.shiftWeeks ?? 0)
  for (let i = 0; i < shape.weeks; i += 1) {
    const factor = i >= shiftFrom ? (shape.shift ?? 1) : 1
    const week = `w${i}`
    if (shape.metric === 'leads') {
      out.push({ week, numerator: poisson(random, shape.volume * factor), denominator: 1 })
    } else if (shape.metric === 'cost_per_mql') {
      // Spend steady; a worse cost per MQL comes from fewer MQLs for the same money.
      const mqls = poisson(random, shape.volume / factor)
      out.push({ week, numerator: shape.level ?? 10_000, denominator: mqls })
    } else {
      const n = poisson(random, shape.volume)
      const p = Math.min(1, (shape.level ?? 0.3) * factor)
      out.push({ week, numerator: binomial(random, n, p), denominator: n })
    }
  }
  return out
}

/**
 * Share of simulated series-quarters (13 weekly evaluations, each on the 12 weeks ending that
 * week) with at least one flag of the given kinds.
 */
export function alarmRate(
  shape: Omit<SeriesShape, 'weeks'>,
  runs: number,
  seed: number,
  kinds: readonly string[] = ['decay', 'improvement'],
): number {
  const random = makeRandom(seed)
  let alarmed = 0
  for (let run = 0; run < runs; run += 1) {
    const series = simulateSeries(random, { ...shape, weeks: 24 })
    for (let end = 12; end <= 24; end += 1) {
      const { status } = testChange(shape.metric, series.slice(end - 12, end))
      if (kinds.includes(status)) {
        alarmed += 1
        break
      }
    }
  }
  return alarmed / runs
}

/** Share of simulated series whose latest evaluation flags a decay (the shift sustained 4 weeks). */
export function detectionRate(shape: Omit<SeriesShape, 'weeks'>, runs: number, seed: number) {
  const random = makeRandom(seed)
  let detected = 0
  for (let run = 0; run < runs; run += 1) {
    const series = simulateSeries(random, { ...shape, weeks: 12, shiftWeeks: 4 })
    if (testChange(shape.metric, series).status === 'decay') detected += 1
  }
  return detected / runs
}
