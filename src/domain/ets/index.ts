import { makeRandom } from '../random.ts'
import { type EtsFit, estimateEts } from './estimate.ts'
import {
  type EtsSpec,
  forecastEts,
  multiStepMse,
  type SeasonType,
  simulateEts,
  specName,
  type TrendType,
} from './model.ts'

export interface EtsOptions {
  /** Points to forecast, ≥ 1. */
  horizon: number
  /** Period (12 monthly, 52 weekly, 4 quarterly, 1 = none); default 1. */
  season?: number
  /** Seed of the simulated intervals; default 0 (same input → same output). */
  seed?: number
}

export interface EtsResult {
  /** e.g. 'ETS(M,Ad,M)': error, trend (Ad = damped), season. */
  model: string
  forecast: number[]
  lower80: number[]
  upper80: number[]
  lower95: number[]
  upper95: number[]
  /** One-step-ahead in-sample fits, same length as the input. */
  fitted: number[]
  /** The period actually used (1 when seasonality was dropped). */
  season: number
  /** Plain-words fallbacks taken. */
  notes: string[]
}

/** Input the forecast cannot use (too short, not finite, bad options); the message says why. */
export class EtsInputError extends Error {}

const paths = 2000

function check(values: readonly number[], options: EtsOptions) {
  if (!Number.isInteger(options.horizon) || options.horizon < 1)
    throw new EtsInputError(`horizon must be a whole number ≥ 1 (got ${options.horizon})`)
  const season = options.season ?? 1
  if (!Number.isInteger(season) || season < 1)
    throw new EtsInputError(`season must be a whole number ≥ 1 (got ${season})`)
  if (values.length < 3)
    throw new EtsInputError(`at least 3 points are needed to forecast (got ${values.length})`)
  const bad = values.findIndex((v) => !Number.isFinite(v))
  if (bad >= 0)
    throw new EtsInputError(`value ${bad + 1} is not a finite number (${String(values[bad])})`)
}

/**
 * The candidate models: additive or multiplicative error, no / additive / damped trend, no /
 * additive / multiplicative season (multiplicative parts only for strictly positive data).
 * Unlike R's forecast::ets, additive error with multiplicative season (classic Holt-Winters) stays
 * in: the backtest criterion, not the likelihood, compares the models.
 */
function candidates(period: number, positive: boolean): EtsSpec[] {
  const trends: TrendType[] = ['N', 'A', 'Ad']
  const seasons: SeasonType[] = period > 1 ? (positive ? ['N', 'A', 'M'] : ['N', 'A']) : ['N']
  const specs: EtsSpec[] = []
  for (const error of positive ? (['A', 'M'] as const) : (['A'] as const))
    for (const trend of trends)
      for (const season of seasons) {
        specs.push({ error, trend, season, period: season === 'N' ? 1 : period })
      }
  return specs
}

/** Standard normal draws (Box-Muller) from the seeded generator. */
function normals(seed: number): () => number {
  const random = makeRandom(seed)
  let spare: number | undefined
  return () => {
    if (spare !== undefined) {
      const value = spare
      spare = undefined
      return value
    }
    const u = 1 - random()
    const v = random()
    const r = Math.sqrt(-2 * Math.log(u))
    spare = r * Math.sin(2 * Math.PI * v)
    return r * Math.cos(2 * Math.PI * v)
  }
}

function quantile(sorted: Float64Array, p: number): number {
  const at = p * (sorted.length - 1)
  const i = Math.floor(at)
  const lo = sorted[i] as number
  const hi = sorted[Math.min(i + 1, sorted.length - 1)] as number
  return lo + (at - i) * (hi - lo)
}

function flat(values: readonly number[], horizon: number, season: number, notes: string[]) {
  const last = values[values.length - 1] as number
  const same = () => new Array<number>(horizon).fill(last)
  return {
    model: 'ETS(A,N,N)',
    forecast: same(),
    lower80: same(),
    upper80: same(),
    lower95: same(),
    upper95: same(),
    fitted: values.map(() => last),
    season,
    notes: [...notes, 'The series is constant: the forecast repeats it, with no spread.'],
  }
}

/**
 * Fits every admissible ETS model by maximum likelihood, keeps the one whose in-sample 1…H-step
 * forecasts erred least (a backtest over the history) and
 * forecasts `horizon` points with 80% and 95% intervals from 2,000 simulated sample paths.
 * Fallbacks (listed in `notes`): no seasonality below two full seasons; additive models only for
 * series with zeros or negative values. Non-negative series get forecasts and bounds ≥ 0.
 */
export function fitEts(values: readonly number[], options: EtsOptions): EtsResult {
  check(values, options)
  const notes: string[] = []
  const n = values.length
  let period = options.season ?? 1
  if (period > 1 && n < 2 * period) {
    notes.push(`No seasonality: fewer than two seasons (${n} < ${2 * period} points).`)
    period = 1
  }
  const positive = values.every((v) => v > 0)
  const nonNegative = values.every((v) => v >= 0)
  if (!positive) notes.push('Additive models only: the series has zeros or negative values.')
  const min = Math.min(...values)
  const max = Math.max(...values)
  if (max - min <= 1e-12 * Math.max(1, Math.abs(max)))
    return flat(values, options.horizon, period, notes)

  // Selection by backtest: the mean squared error of the 1…H-step forecasts (H = the season, at
  // least 4) from every origin after the first third of the series. The likelihood's choice
  // (AICc) favours models good one step ahead; the outlook is read 12-24 months ahead.
  const H = Math.max(period, 4)
  const from = Math.max(2, Math.floor(n / 3))
  let best: { fit: EtsFit; score: number } | undefined
  for (const spec of candidates(period, positive)) {
    const fit = estimateEts(spec, values)
    if (!fit.run.ok || fit.k >= n - 1) continue
    const score = multiStepMse(spec, fit.params, fit.initial, values, H, from)
    if (Number.isFinite(score) && (!best || score < best.score)) best = { fit, score }
  }
  let chosen: EtsFit
  if (best) chosen = best.fit
  else {
    chosen = estimateEts({ error: 'A', trend: 'N', season: 'N', period: 1 }, values)
    notes.push('Too few points to compare models: simple exponential smoothing.')
    period = 1
  }
  return project(chosen, values, options, period, notes, nonNegative)
}

function project(
  fit: EtsFit,
  values: readonly number[],
  options: EtsOptions,
  period: number,
  notes: string[],
  nonNegative: boolean,
): EtsResult {
  const { spec, params, run } = fit
  const n = values.length
  const horizon = options.horizon
  const point = forecastEts(spec, params, run.state, horizon)
  const sigma = Math.sqrt(run.sse / Math.max(1, n - fit.k))
  const sims = simulateEts(
    spec,
    params,
    run.state,
    sigma,
    horizon,
    paths,
    normals(options.seed ?? 0),
  )
  const last = values[n - 1] as number
  const clean = (v: number, fallback: number) => {
    const x = Number.isFinite(v) ? v : fallback
    return nonNegative ? Math.max(0, x) : x
  }
  const forecast = point.map((v) => clean(v, last))
  const bands = {
    lower80: [] as number[],
    upper80: [] as number[],
    lower95: [] as number[],
    upper95: [] as number[],
  }
  sims.forEach((column, h) => {
    const f = forecast[h] as number
    // A path that blew up (a multiplicative state crossing 0) sorts to the ends and is dropped.
    column.sort()
    let from = 0
    let to = column.length
    while (from < to && !Number.isFinite(column[from] as number)) from++
    while (to > from && !Number.isFinite(column[to - 1] as number)) to--
    const finite = column.subarray(from, to)
    const q = (p: number) => (finite.length ? quantile(finite, p) : f)
    const l95 = clean(q(0.025), f)
    const l80 = clean(q(0.1), f)
    const u80 = clean(q(0.9), f)
    const u95 = clean(q(0.975), f)
    bands.lower80.push(Math.min(l80, f))
    bands.upper80.push(Math.max(u80, f))
    bands.lower95.push(Math.min(l95, l80, f))
    bands.upper95.push(Math.max(u95, u80, f))
  })
  return {
    model: specName(spec),
    forecast,
    ...bands,
    fitted: run.fitted.map((v, t) => clean(v, values[t] as number)),
    season: spec.season === 'N' ? 1 : period,
    notes,
  }
}

/**
 * Fits on all but the last `holdout` points and scores the forecast of them: RMSE and MAPE (percent;
 * null when an actual is 0). The result's forecast is the `horizon` points after the fitted ones.
 */
export function backtestEts(
  values: readonly number[],
  options: EtsOptions & { holdout: number },
): EtsResult & { holdout: { rmse: number; mape: number | null } } {
  const { holdout } = options
  if (!Number.isInteger(holdout) || holdout < 1)
    throw new EtsInputError(`holdout must be a whole number ≥ 1 (got ${holdout})`)
  if (holdout >= values.length)
    throw new EtsInputError(
      `holdout (${holdout}) must be smaller than the number of points (${values.length})`,
    )
  const train = values.slice(0, values.length - holdout)
  const actual = values.slice(values.length - holdout)
  const result = fitEts(train, { ...options, horizon: Math.max(options.horizon, holdout) })
  let squares = 0
  let percents = 0
  let hasZero = false
  actual.forEach((a, i) => {
    const f = result.forecast[i] as number
    squares += (a - f) ** 2
    if (a === 0) hasZero = true
    else percents += Math.abs((a - f) / a)
  })
  const cut = (xs: number[]) => xs.slice(0, options.horizon)
  return {
    ...result,
    forecast: cut(result.forecast),
    lower80: cut(result.lower80),
    upper80: cut(result.upper80),
    lower95: cut(result.lower95),
    upper95: cut(result.upper95),
    holdout: {
      rmse: Math.sqrt(squares / holdout),
      mape: hasZero ? null : (100 * percents) / holdout,
    },
  }
}
