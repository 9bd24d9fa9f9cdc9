import { decomposeSeason, initialLevelTrend } from './initial.ts'
import { type EtsParams, type EtsRun, type EtsSpec, type EtsState, runEts } from './model.ts'
import { nelderMead } from './nelder-mead.ts'

export interface EtsFit {
  spec: EtsSpec
  params: EtsParams
  initial: EtsState
  run: EtsRun
  /** Free parameters, σ included (smoothing, damping, initial states). */
  k: number
  /** −2 log-likelihood up to a constant shared by every model of the same data. */
  objective: number
  aic: number
  /** AICc, or Infinity when the series is too short for it (n − k − 1 ≤ 0). */
  aicc: number
}

// Parameter space of R's forecast::ets ("usual" bounds): 0 < α < 1, 0 < β < α, 0 < γ < 1 − α,
// 0.8 ≤ φ ≤ 0.98. β and γ are searched as fractions of their upper bound so the region is a box.
const low = 1e-4
const high = 0.9999

/** −2 log-likelihood (without constants) of a run: n log(SSE/n), plus 2 Σ log μ for M error. */
export function objectiveOf(spec: EtsSpec, run: EtsRun, n: number, scale: number): number {
  if (!run.ok) return Number.POSITIVE_INFINITY
  const floor = spec.error === 'M' ? 1e-20 : 1e-20 * scale * scale
  const sse = Math.max(run.sse, floor * n)
  return n * Math.log(sse / n) + (spec.error === 'M' ? 2 * run.logMu : 0)
}

/**
 * Maximum-likelihood fit of one ETS model: smoothing parameters, damping and the initial level and
 * trend by bounded Nelder-Mead (twice, the second from the first's optimum); the initial seasonal
 * states from a classical decomposition of the first seasons (not searched: 11 more parameters
 * would multiply the cost and, in our trials, not improve the forecasts).
 */
export function estimateEts(spec: EtsSpec, y: readonly number[]): EtsFit {
  const n = y.length
  const m = spec.season === 'N' ? 1 : spec.period
  const seasonal = spec.season === 'N' ? [] : decomposeSeason(y, m, spec.season)
  const adjusted = y.map((v, t) => {
    const s = seasonal[t % m]
    if (s === undefined) return v
    return spec.season === 'M' ? v / s : v - s
  })
  const start = initialLevelTrend(adjusted, m, spec.trend !== 'N')
  const mean = y.reduce((a, b) => a + b, 0) / n
  const sd = Math.sqrt(y.reduce((a, b) => a + (b - mean) ** 2, 0) / n)
  const scale = Math.max(Math.abs(mean), sd, 1e-9)
  const multiplicative = spec.error === 'M' || spec.season === 'M'
  const hasTrend = spec.trend !== 'N'
  const damped = spec.trend === 'Ad'

  const x0: number[] = [spec.season === 'N' ? 0.5 : 0.2]
  const lower: number[] = [low]
  const upper: number[] = [high]
  const step: number[] = [0.1]
  const add = (value: number, lo: number, hi: number, s: number) => {
    x0.push(value)
    lower.push(lo)
    upper.push(hi)
    step.push(s)
  }
  if (hasTrend) add(0.1, low, high, 0.1)
  if (spec.season !== 'N') add(0.1, low, high, 0.1)
  if (damped) add(0.97, 0.8, 0.98, 0.05)
  add(
    start.level,
    multiplicative ? 1e-8 * scale : Number.NEGATIVE_INFINITY,
    Number.POSITIVE_INFINITY,
    Math.max(0.1 * Math.abs(start.level), 0.05 * sd, 1e-6 * scale),
  )
  if (hasTrend)
    add(
      start.trend,
      Number.NEGATIVE_INFINITY,
      Number.POSITIVE_INFINITY,
      Math.max(0.1 * Math.abs(start.trend), 0.01 * sd, 1e-6 * scale),
    )

  const decode = (x: ArrayLike<number>): { params: EtsParams; initial: EtsState } => {
    let i = 0
    const alpha = x[i++] as number
    const beta = hasTrend ? alpha * (x[i++] as number) : 0
    const gamma = spec.season !== 'N' ? (1 - alpha) * (x[i++] as number) : 0
    const phi = damped ? (x[i++] as number) : 1
    const level = x[i++] as number
    const trend = hasTrend ? (x[i++] as number) : 0
    return { params: { alpha, beta, gamma, phi }, initial: { level, trend, seasonal } }
  }
  const f = (x: Float64Array) => {
    const decoded = decode(x)
    return objectiveOf(spec, runEts(spec, decoded.params, decoded.initial, y, false), n, scale)
  }
  // A search and a restart from its optimum (clamping at a bound can flatten the simplex).
  const maxEvaluations = 100 * x0.length + 100
  const tolerance = 1e-8
  let best = nelderMead(f, x0, { lower, upper, step, maxEvaluations, tolerance })
  const again = nelderMead(f, best.x, { lower, upper, step, maxEvaluations, tolerance })
  if (again.value <= best.value) best = again

  const { params, initial } = decode(best.x)
  const run = runEts(spec, params, initial, y)
  const k = x0.length + (spec.season !== 'N' ? m - 1 : 0) + 1
  const objective = objectiveOf(spec, run, n, scale)
  const aic = objective + 2 * k
  const aicc = n - k - 1 > 0 ? aic + (2 * k * (k + 1)) / (n - k - 1) : Number.POSITIVE_INFINITY
  return { spec, params, initial, run, k, objective, aic, aicc }
}
