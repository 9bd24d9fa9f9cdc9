/**
 * The sales forecast's arithmetic (issue 13; DEFINITIONS.md "Forecasting and targets"): stage win
 * probabilities learned from the workspace's history, weighted pipeline, pipeline coverage,
 * forecast accuracy (1 − WAPE) and the reverse waterfall from a revenue target to MQLs.
 */

/** The forecast categories a deal (and a rep's submission) falls in. */
export const forecastCategories = [
  'pipeline',
  'best_case',
  'commit',
  'closed_won',
  'omitted',
] as const
export type ForecastCategory = (typeof forecastCategories)[number]

/** The weight of a stage's configured default probability, in deals (DEFINITIONS.md). */
export const priorDeals = 10

/** A closed deal's path: the stages it was in, and whether it was won. */
export interface ClosedDealPath {
  stageIds: readonly string[]
  won: boolean
}

export interface StageProbability {
  stageId: string
  /** (won after the stage + 10 × p₀) ÷ (closed after the stage + 10). */
  probability: number
  /** The configured default p₀, 0-1. */
  prior: number
  closed: number
  won: number
}

/**
 * Each stage's win probability: a Beta prior of `priorDeals` deals at the stage's configured default
 * p₀, updated by the closed deals that were in the stage (a deal counts once per stage however
 * often it came back to it). Stages without history keep p₀.
 */
export function stageWinProbabilities(
  stages: readonly { stageId: string; defaultProbability: number }[],
  closed: readonly ClosedDealPath[],
): StageProbability[] {
  const counts = new Map<string, { closed: number; won: number }>(
    stages.map((s) => [s.stageId, { closed: 0, won: 0 }]),
  )
  for (const deal of closed) {
    for (const stageId of new Set(deal.stageIds)) {
      const count = counts.get(stageId)
      if (!count) continue
      count.closed += 1
      if (deal.won) count.won += 1
    }
  }
  return stages.map((stage) => {
    const prior = stage.defaultProbability
    if (!(prior >= 0 && prior <= 1)) {
      throw new RangeError(`defaultProbability of stage ${stage.stageId}: ${prior} is not in 0-1`)
    }
    const { closed: n, won } = counts.get(stage.stageId) ?? { closed: 0, won: 0 }
    return {
      stageId: stage.stageId,
      probability: winProbability(prior, n, won),
      prior,
      closed: n,
      won,
    }
  })
}

/**
 * (won + 10 × p₀) ÷ (closed + 10): the configured default p₀ as the mean of a Beta prior worth
 * `priorDeals` deals, updated by `closed` deals that were in the stage, `won` of them won.
 */
export function winProbability(prior: number, closed: number, won: number): number {
  if (!(prior >= 0 && prior <= 1)) throw new RangeError(`prior: ${prior} is not in 0-1`)
  if (!(won >= 0 && won <= closed)) throw new RangeError(`won: ${won} is not in 0-${closed}`)
  return (won + priorDeals * prior) / (closed + priorDeals)
}

/** Σ amount × the win probability of the deal's stage (a stage without one counts 0). */
export function weightedPipeline(
  deals: readonly { amount: number; stageId: string }[],
  probabilities: ReadonlyMap<string, number>,
): number {
  let sum = 0
  for (const deal of deals) sum += deal.amount * (probabilities.get(deal.stageId) ?? 0)
  return sum
}

/**
 * Open pipeline closing in the period ÷ the target still to reach: 'met' when nothing remains
 * (the target is reached, or there is none left to cover).
 */
export function pipelineCoverage(openPipeline: number, target: number, achieved: number) {
  const remaining = target - achieved
  if (remaining <= 0) return 'met' as const
  return openPipeline / remaining
}

/**
 * Forecast accuracy = 1 − WAPE = 1 − Σ|forecast − actual| ÷ Σ actual over closed periods; null
 * when nothing was actually achieved (WAPE is undefined). It may be negative: a forecast off by
 * more than the actuals.
 */
export function forecastAccuracy(
  pairs: readonly { forecast: number; actual: number }[],
): number | null {
  let error = 0
  let actual = 0
  for (const pair of pairs) {
    error += Math.abs(pair.forecast - pair.actual)
    actual += pair.actual
  }
  return actual > 0 ? 1 - error / actual : null
}

export interface WaterfallAssumptions {
  /** The revenue target, minor units. */
  revenueTarget: number
  /** Average won deal size, minor units. */
  averageDealSize: number
  /** Share of SQLs that become won deals, 0-1. */
  sqlToWonRate: number
  /** Share of MQLs that become SQLs, 0-1. */
  mqlToSqlRate: number
}

export interface Waterfall {
  wonDeals: number
  sqls: number
  mqls: number
}

/**
 * The reverse waterfall: the won deals a revenue target needs at the average deal size, the SQLs
 * those need at the SQL → won rate, the MQLs those need at the MQL → SQL rate, each rounded up
 * (half a deal cannot be won). A RangeError names an assumption that cannot work.
 */
export function reverseWaterfall(a: WaterfallAssumptions): Waterfall {
  if (!(a.revenueTarget >= 0)) throw new RangeError('revenueTarget: must be 0 or more')
  if (!(a.averageDealSize > 0)) throw new RangeError('averageDealSize: must be more than 0')
  for (const key of ['sqlToWonRate', 'mqlToSqlRate'] as const) {
    if (!(a[key] > 0 && a[key] <= 1)) throw new RangeError(`${key}: must be more than 0, at most 1`)
  }
  // Rounded to 1e-9 first, so that 100 ÷ 0.1 (1000.0000000000001 in floating point) needs 1,000.
  const up = (value: number) => Math.ceil(Math.round(value * 1e9) / 1e9)
  const wonDeals = up(a.revenueTarget / a.averageDealSize)
  const sqls = up(wonDeals / a.sqlToWonRate)
  const mqls = up(sqls / a.mqlToSqlRate)
  return { wonDeals, sqls, mqls }
}

/** The three figures a rep submits for a period (minor units of the base currency). */
export interface SubmittedFigures {
  commit: number
  bestCase: number
  pipeline: number
}

export const submittedCategories = ['commit', 'bestCase', 'pipeline'] as const
export type SubmittedCategory = (typeof submittedCategories)[number]

/** The last of `submissions` made strictly before `start` (DEFINITIONS.md "Forecast accuracy"). */
export function lastSubmissionBefore<T extends { submittedAt: Date }>(
  submissions: readonly T[],
  start: Date,
): T | undefined {
  let last: T | undefined
  for (const s of submissions) {
    if (s.submittedAt.getTime() >= start.getTime()) continue
    if (!last || s.submittedAt.getTime() >= last.submittedAt.getTime()) last = s
  }
  return last
}

/**
 * The figure a forecast call goes by: the manager's adjustment when it is newer than the rep's
 * latest submission, else that submission (a rep resubmitting after an adjustment is heard again).
 */
export function effectiveForecast<T extends SubmittedFigures & { submittedAt: Date }>(
  submission: T | undefined,
  adjustment: T | undefined,
): (T & { source: 'submission' | 'adjustment' }) | undefined {
  if (adjustment && (!submission || adjustment.submittedAt >= submission.submittedAt)) {
    return { ...adjustment, source: 'adjustment' }
  }
  return submission ? { ...submission, source: 'submission' } : undefined
}

export interface CategoryAccuracy {
  /** 1 − WAPE of the category's figure against the actuals; null without actuals. */
  accuracy: number | null
  /** Closed periods with a submission made before they started. */
  periods: number
  /** Σ of the submitted figures, of the actuals, and of |figure − actual| over those periods. */
  forecast: number
  actual: number
  error: number
}

/**
 * Forecast accuracy per submitted category over closed periods: each period's last submission
 * made before it started against what was won in it; periods without such a submission are left
 * out. Pairs of several reps pool into one WAPE (a team's or the company's accuracy).
 */
export function submissionAccuracy(
  periods: readonly { submission: SubmittedFigures | undefined; actual: number }[],
): Record<SubmittedCategory, CategoryAccuracy> {
  const counted = periods.filter(
    (p): p is { submission: SubmittedFigures; actual: number } => p.submission !== undefined,
  )
  const of = (category: SubmittedCategory): CategoryAccuracy => {
    const pairs = counted.map((p) => ({ forecast: p.submission[category], actual: p.actual }))
    return {
      accuracy: forecastAccuracy(pairs),
      periods: pairs.length,
      forecast: pairs.reduce((sum, p) => sum + p.forecast, 0),
      actual: pairs.reduce((sum, p) => sum + p.actual, 0),
      error: pairs.reduce((sum, p) => sum + Math.abs(p.forecast - p.actual), 0),
    }
  }
  return { commit: of('commit'), bestCase: of('bestCase'), pipeline: of('pipeline') }
}
