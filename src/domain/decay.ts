/**
 * The change test behind "what changed" (issue 14; DEFINITIONS.md "Decay"): the latest 4 complete
 * weeks of a weekly metric against its own trailing 8-week median (the 8 weeks before them).
 *
 * The normal range is the baseline median ± 3 standard errors of the difference "4-week value −
 * 8-week median". The weekly spread is estimated robustly (1.4826 × the baseline's MAD) and never
 * below the sampling noise of the volumes behind it (Poisson for counts, binomial for rates given
 * their denominators, relative 1/√MQLs for cost per MQL), so a quiet baseline cannot shrink the
 * range below what chance alone produces. Outside the range, a change in the metric's bad direction
 * is a decay, the other way an improvement; a change under 10% is never flagged. Too little volume
 * answers `not_enough_data`, never a flag. docs/trends.md gives the false-alarm figures.
 */

export type TrendMetric =
  | 'leads'
  | 'mql_rate'
  | 'acceptance_rate'
  | 'cost_per_mql'
  | 'conversion_to_opportunity'

export const trendMetrics: readonly TrendMetric[] = [
  'leads',
  'mql_rate',
  'acceptance_rate',
  'cost_per_mql',
  'conversion_to_opportunity',
]

export type MetricKind = 'count' | 'rate' | 'cost_per_mql'

export interface MetricSpec {
  kind: MetricKind
  /** Whether a rise is bad news (cost per MQL); for the others a fall is. */
  upIsWorse: boolean
  label: string
}

export const metricSpecs: Record<TrendMetric, MetricSpec> = {
  leads: { kind: 'count', upIsWorse: false, label: 'leads' },
  mql_rate: { kind: 'rate', upIsWorse: false, label: 'MQL rate' },
  acceptance_rate: { kind: 'rate', upIsWorse: false, label: 'acceptance rate' },
  cost_per_mql: { kind: 'cost_per_mql', upIsWorse: true, label: 'cost per MQL' },
  conversion_to_opportunity: {
    kind: 'rate',
    upIsWorse: false,
    label: 'conversion to opportunity',
  },
}

/**
 * One complete week. Counts: numerator = the count, denominator = 1. Rates: numerator ÷
 * denominator (MQLs ÷ leads, accepted ÷ decided…). Cost per MQL: numerator = cost, denominator =
 * MQLs. A week with denominator 0 has no value of its own (a rate of nothing).
 */
export interface WeekValue {
  week: string
  numerator: number
  denominator: number
}

export type ChangeStatus = 'decay' | 'improvement' | 'normal' | 'not_enough_data'

export interface ChangeResult {
  metric: TrendMetric
  status: ChangeStatus
  /** The latest 4 weeks' value (pooled: Σ numerators ÷ Σ denominators; counts: weekly mean). */
  current: number | null
  /** The median of the 8 weeks before them. */
  baseline: number | null
  /** (current − baseline) ÷ baseline × 100; null when the baseline is 0 or unknown. */
  changePct: number | null
  /** The normal range of the 4-week value; null when there is not enough data. */
  range: { low: number; high: number } | null
  /** Why the test could not run, in words. */
  reason: string | null
}

export const recentWeeks = 4
export const baselineWeeks = 8
/** Standard errors either side of the median that make the normal range (see the tests). */
export const rangeWidth = 3
/** A change smaller than this share is never flagged, however large the volume. */
export const minimumChange = 0.1

/** Volume needed before the test says anything. */
export const minimumVolume = {
  /** Counts: a baseline median of at least this many a week. */
  weeklyCount: 5,
  /** Rates: denominators over the 4 recent weeks and over the 8 baseline weeks. */
  rateRecent: 30,
  rateBaseline: 60,
  /** Cost per MQL: MQLs over the 4 recent weeks and over the 8 baseline weeks. */
  mqlsRecent: 12,
  mqlsBaseline: 24,
  /** Baseline weeks with a value (rates and cost per MQL skip weeks with denominator 0). */
  baselineWeeksWithValue: 6,
} as const

/** The middle value (mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((x, y) => x - y)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

const sum = (values: readonly number[]) => values.reduce((total, v) => total + v, 0)

function notEnough(metric: TrendMetric, reason: string, current: number | null = null) {
  return {
    metric,
    status: 'not_enough_data' as const,
    current,
    baseline: null,
    changePct: null,
    range: null,
    reason,
  }
}

/**
 * Tests the latest 4 weeks of `series` (complete weeks, oldest first; the last is the latest
 * complete week) against the 8 weeks before them. Fewer than 12 weeks: not enough data.
 */
export function testChange(metric: TrendMetric, series: readonly WeekValue[]): ChangeResult {
  const spec = metricSpecs[metric]
  const needed = recentWeeks + baselineWeeks
  if (series.length < needed) {
    return notEnough(metric, `${series.length} complete weeks; the test needs ${needed}`)
  }
  const window = series.slice(series.length - needed)
  const base = window.slice(0, baselineWeeks)
  const recent = window.slice(baselineWeeks)
  const recentNum = sum(recent.map((w) => w.numerator))
  const recentDen = sum(recent.map((w) => w.denominator))

  let current: number
  let center: number
  /** The weekly standard deviation, robust and floored by the sampling noise. */
  let weeklySd: number
  /** Variance factors of the 4-week value and of the median, in units of a typical week. */
  let recentFactor: number
  let medianFactor: number
  /** Cost per MQL only: the baseline's median on the log scale. */
  let logCenter = 0

  if (spec.kind === 'count') {
    const values = base.map((w) => w.numerator)
    center = median(values)
    current = recentNum / recentWeeks
    if (center < minimumVolume.weeklyCount) {
      return notEnough(
        metric,
        `a median of ${center} a week; the test needs ${minimumVolume.weeklyCount}`,
        current,
      )
    }
    const noise = Math.sqrt(center)
    weeklySd = Math.max(1.4826 * mad(values, center), noise)
    recentFactor = 1 / recentWeeks
    medianFactor = Math.PI / (2 * baselineWeeks)
  } else {
    const valued = base.filter((w) => w.denominator > 0)
    const baseDen = sum(valued.map((w) => w.denominator))
    const needRecent = spec.kind === 'rate' ? minimumVolume.rateRecent : minimumVolume.mqlsRecent
    const needBase = spec.kind === 'rate' ? minimumVolume.rateBaseline : minimumVolume.mqlsBaseline
    const unit = spec.kind === 'rate' ? '' : ' MQLs'
    const currentValue = recentDen > 0 ? recentNum / recentDen : null
    if (recentDen < needRecent) {
      return notEnough(
        metric,
        `${recentDen}${unit} in the last 4 weeks; the test needs ${needRecent}`,
        currentValue,
      )
    }
    if (baseDen < needBase || valued.length < minimumVolume.baselineWeeksWithValue) {
      return notEnough(
        metric,
        `${baseDen}${unit} over ${valued.length} of the 8 weeks before; the test needs ${needBase} over ${minimumVolume.baselineWeeksWithValue}`,
        currentValue,
      )
    }
    current = recentNum / recentDen
    const typicalDen = baseDen / valued.length
    if (spec.kind === 'rate') {
      const values = valued.map((w) => w.numerator / w.denominator)
      center = median(values)
      // Binomial noise of one typical week, with the rate pulled off 0 and 1 (Agresti-Coull).
      const pooled = (sum(valued.map((w) => w.numerator)) + 1) / (baseDen + 2)
      // An MQL rate is a flow ratio and may pass 100%: then its numerator's Poisson noise.
      const noise =
        pooled < 1
          ? Math.sqrt((pooled * (1 - pooled)) / typicalDen)
          : Math.sqrt(pooled / typicalDen)
      weeklySd = Math.max(1.4826 * mad(values, center), noise)
    } else {
      const spent = valued.filter((w) => w.numerator > 0)
      if (spent.length < minimumVolume.baselineWeeksWithValue || recentNum <= 0) {
        return notEnough(metric, 'too few weeks with both cost and MQLs', currentValue)
      }
      // Cost per MQL of one typical week: relative noise 1/√MQLs (spend steady, MQLs Poisson).
      const logs = spent.map((w) => Math.log(w.numerator / w.denominator))
      logCenter = median(logs)
      center = Math.exp(logCenter)
      weeklySd = Math.max(1.4826 * mad(logs, logCenter), 1 / Math.sqrt(typicalDen))
    }
    recentFactor = typicalDen / recentDen
    medianFactor = Math.PI / (2 * valued.length)
  }

  const se = weeklySd * Math.sqrt(recentFactor + medianFactor)
  let low: number
  let high: number
  if (spec.kind === 'cost_per_mql') {
    // Tested on the log scale: a ratio of costs to a Poisson count is skewed, its log is not.
    low = Math.exp(logCenter - rangeWidth * se)
    high = Math.exp(logCenter + rangeWidth * se)
  } else {
    low = Math.max(0, center - rangeWidth * se)
    const top = center + rangeWidth * se
    high = spec.kind === 'rate' ? Math.min(Math.max(1, center), top) : top
  }
  const changePct = center > 0 ? ((current - center) / center) * 100 : null
  const outside = current < low || current > high
  const large = center > 0 ? Math.abs(current - center) / center >= minimumChange : outside
  let status: ChangeStatus = 'normal'
  if (outside && large) {
    const worse = spec.upIsWorse ? current > center : current < center
    status = worse ? 'decay' : 'improvement'
  }
  return {
    metric,
    status,
    current,
    baseline: center,
    changePct,
    range: { low, high },
    reason: null,
  }
}

function mad(values: readonly number[], center: number) {
  return median(values.map((v) => Math.abs(v - center)))
}

/** How to write one value of a metric (money in minor units for cost per MQL). */
export type ValueFormat = (metric: TrendMetric, value: number) => string

/** The default writing: counts with one decimal at most, rates in percent, money as given. */
export function formatTrendValue(metric: TrendMetric, value: number, currency = 'USD'): string {
  const kind = metricSpecs[metric].kind
  if (kind === 'rate') return `${Math.round(value * 1000) / 10}%`
  if (kind === 'count') return `${Math.round(value * 10) / 10}`
  return new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency,
    maximumFractionDigits: 0,
  }).format(value / 100)
}

/**
 * The flag in words, e.g. "Paid social: cost per MQL up 38% over 4 weeks, outside its normal
 * range (usual $120–$160)". Counts speak of weekly values ("leads down 40% … (usual 45–61 a week)").
 */
export function describeChange(
  subject: string,
  result: ChangeResult,
  format: (value: number) => string = (value) => formatTrendValue(result.metric, value),
): string {
  const spec = metricSpecs[result.metric]
  if (result.status === 'not_enough_data') {
    return `${subject}: not enough data for ${spec.label} (${result.reason})`
  }
  const range = result.range as { low: number; high: number }
  const perWeek = spec.kind === 'count' ? ' a week' : ''
  const usual = `usual ${format(range.low)}–${format(range.high)}${perWeek}`
  const pct = result.changePct === null ? null : Math.round(Math.abs(result.changePct))
  const direction = (result.current ?? 0) >= (result.baseline ?? 0) ? 'up' : 'down'
  const moved = pct === null ? `${direction}` : `${direction} ${pct}%`
  if (result.status === 'normal') {
    return `${subject}: ${spec.label} ${moved} over 4 weeks, within its normal range (${usual})`
  }
  return `${subject}: ${spec.label} ${moved} over 4 weeks, outside its normal range (${usual})`
}
