/**
 * The ETS state-space recursions (Hyndman, Koehler, Ord & Snyder, "Forecasting with Exponential
 * Smoothing", 2008): one-step forecasts, the likelihood, point forecasts and simulated sample paths.
 */

export type ErrorType = 'A' | 'M'
export type TrendType = 'N' | 'A' | 'Ad'
export type SeasonType = 'N' | 'A' | 'M'

export interface EtsSpec {
  error: ErrorType
  trend: TrendType
  season: SeasonType
  /** Seasonal period (1 when season is 'N'). */
  period: number
}

export interface EtsParams {
  alpha: number
  /** Hyndman's β (the trend's smoothing on the error, 0 < β < α); 0 without trend. */
  beta: number
  /** 0 < γ < 1 − α; 0 without season. */
  gamma: number
  /** Damping, 1 unless the trend is damped. */
  phi: number
}

/** The states before the first observation: level, trend and the last `period` seasonal states. */
export interface EtsState {
  level: number
  trend: number
  /** seasonal[j] is the state used by observations j, j + m, j + 2m… (oldest first). */
  seasonal: number[]
}

export interface EtsRun {
  /** One-step-ahead forecasts, same length as the data. */
  fitted: number[]
  /** Sum of squared errors: y − μ for additive error, (y − μ) / μ for multiplicative. */
  sse: number
  /** Σ log|μ|, the Jacobian term of the multiplicative-error likelihood. */
  logMu: number
  /** The state after the last observation (seasonal rotated so index 0 is used next). */
  state: EtsState
  /** False when a multiplicative model reached a non-positive level, season or forecast. */
  ok: boolean
}

export const specName = (spec: EtsSpec) => `ETS(${spec.error},${spec.trend},${spec.season})`

/**
 * The multiplicative season's update in Holt-Winters' error-correction form, as statsmodels'
 * ETSModel: s = γ* · y / ℓ + (1 − γ*) · s₋ₘ with γ* = γ / (1 − α) and ℓ the new level. (R's
 * forecast::ets uses s₋ₘ + γ (y − μ) / (ℓ₋₁ + φb₋₁); the two agree to first order.)
 */
function seasonM(p: EtsParams, previous: number, y: number, level: number): number {
  const star = p.gamma / (1 - p.alpha)
  return (star * y) / level + (1 - star) * previous
}

function oneStep(spec: EtsSpec, p: EtsParams, level: number, trend: number, season: number) {
  const base = level + (spec.trend === 'N' ? 0 : p.phi * trend)
  if (spec.season === 'A') return base + season
  if (spec.season === 'M') return base * season
  return base
}

/** Runs the filter over the data from the initial state (`keepFitted` false: the search's fast path). */
export function runEts(
  spec: EtsSpec,
  p: EtsParams,
  initial: EtsState,
  y: readonly number[],
  keepFitted = true,
): EtsRun {
  const m = spec.season === 'N' ? 1 : spec.period
  const seasonal = spec.season === 'N' ? [0] : initial.seasonal.slice()
  let level = initial.level
  let trend = spec.trend === 'N' ? 0 : initial.trend
  const fitted: number[] = keepFitted ? new Array<number>(y.length) : []
  let sse = 0
  let logMu = 0
  let ok = true
  const multiplicative = spec.error === 'M' || spec.season === 'M'
  const trended = spec.trend !== 'N'
  const { alpha, beta, gamma, phi } = p
  const seasonType = spec.season
  const errorM = spec.error === 'M'
  for (let t = 0; t < y.length; t++) {
    const j = t % m
    const s = seasonal[j] as number
    const damped = trended ? phi * trend : 0
    const base = level + damped
    const mu = seasonType === 'A' ? base + s : seasonType === 'M' ? base * s : base
    if (keepFitted) fitted[t] = mu
    const r = (y[t] as number) - mu
    if (errorM) {
      if (!(mu > 0)) {
        ok = false
        break
      }
      const e = r / mu
      sse += e * e
      logMu += Math.log(mu)
    } else {
      sse += r * r
    }
    // The state equations with the raw error r = y − μ (the same for both error types).
    if (seasonType === 'M') {
      level = base + (alpha * r) / s
      trend = trended ? damped + (beta * r) / s : 0
      const next = seasonM(p, s, y[t] as number, level)
      seasonal[j] = next
      if (!(level > 0) || !(next > 0)) {
        ok = false
        break
      }
    } else {
      level = base + alpha * r
      trend = trended ? damped + beta * r : 0
      if (seasonType === 'A') seasonal[j] = s + gamma * r
      if (multiplicative && !(level > 0)) {
        ok = false
        break
      }
    }
  }
  const rotate = y.length % m
  const state: EtsState = {
    level,
    trend,
    seasonal: spec.season === 'N' ? [] : [...seasonal.slice(rotate), ...seasonal.slice(0, rotate)],
  }
  return { fitted, sse, logMu, state, ok: ok && Number.isFinite(sse) }
}

/** Point forecasts h = 1…horizon from the state after the data. */
export function forecastEts(
  spec: EtsSpec,
  p: EtsParams,
  state: EtsState,
  horizon: number,
): number[] {
  const m = spec.season === 'N' ? 1 : spec.period
  const out: number[] = []
  let damp = 0
  let phiPower = 1
  for (let h = 1; h <= horizon; h++) {
    if (spec.trend !== 'N') {
      phiPower *= p.phi
      damp += phiPower
    }
    const base = state.level + damp * state.trend
    const s = state.seasonal[(h - 1) % m] ?? 0
    out.push(spec.season === 'A' ? base + s : spec.season === 'M' ? base * s : base)
  }
  return out
}

/**
 * Sample paths of the fitted model: each step draws an error N(0, σ²) (relative for multiplicative
 * error) and moves the states on. paths[i][h − 1] is path i's value h steps ahead.
 */
export function simulateEts(
  spec: EtsSpec,
  p: EtsParams,
  state: EtsState,
  sigma: number,
  horizon: number,
  paths: number,
  normal: () => number,
): Float64Array[] {
  const m = spec.season === 'N' ? 1 : spec.period
  const out: Float64Array[] = Array.from({ length: horizon }, () => new Float64Array(paths))
  const seasonal = new Float64Array(m)
  for (let i = 0; i < paths; i++) {
    for (let j = 0; j < m; j++) seasonal[j] = spec.season === 'N' ? 0 : (state.seasonal[j] ?? 0)
    let level = state.level
    let trend = state.trend
    for (let h = 0; h < horizon; h++) {
      const j = h % m
      const s = seasonal[j] as number
      const mu = oneStep(spec, p, level, trend, s)
      const e = sigma * normal()
      const r = spec.error === 'M' ? mu * e : e
      ;(out[h] as Float64Array)[i] = mu + r
      const damped = spec.trend === 'N' ? 0 : p.phi * trend
      const base = level + damped
      if (spec.season === 'M') {
        level = base + (p.alpha * r) / s
        trend = spec.trend === 'N' ? 0 : damped + (p.beta * r) / s
        seasonal[j] = seasonM(p, s, mu + r, level)
      } else {
        level = base + p.alpha * r
        trend = spec.trend === 'N' ? 0 : damped + p.beta * r
        if (spec.season === 'A') seasonal[j] = s + p.gamma * r
      }
    }
  }
  return out
}

/**
 * Mean squared error of the in-sample 1…H-step forecasts from every origin ≥ `from` (the model's
 * fitted parameters, states filtered up to each origin): the backtest criterion that picks the model.
 */
export function multiStepMse(
  spec: EtsSpec,
  p: EtsParams,
  initial: EtsState,
  y: readonly number[],
  H: number,
  from: number,
): number {
  const m = spec.season === 'N' ? 1 : spec.period
  const seasonal = spec.season === 'N' ? [0] : initial.seasonal.slice()
  const trended = spec.trend !== 'N'
  let level = initial.level
  let trend = trended ? initial.trend : 0
  let sum = 0
  let count = 0
  for (let t = 0; t < y.length; t++) {
    if (t >= from) {
      let damp = 0
      let phiPower = 1
      for (let h = 1; h <= H && t + h - 1 < y.length; h++) {
        if (trended) {
          phiPower *= p.phi
          damp += phiPower
        }
        const base = level + damp * trend
        const s = seasonal[(t + h - 1) % m] as number
        const f = spec.season === 'A' ? base + s : spec.season === 'M' ? base * s : base
        const e = (y[t + h - 1] as number) - f
        sum += e * e
        count++
      }
    }
    const j = t % m
    const s = seasonal[j] as number
    const damped = trended ? p.phi * trend : 0
    const base = level + damped
    const mu = spec.season === 'A' ? base + s : spec.season === 'M' ? base * s : base
    const r = (y[t] as number) - mu
    if (spec.season === 'M') {
      level = base + (p.alpha * r) / s
      trend = trended ? damped + (p.beta * r) / s : 0
      seasonal[j] = seasonM(p, s, y[t] as number, level)
    } else {
      level = base + p.alpha * r
      trend = trended ? damped + p.beta * r : 0
      if (spec.season === 'A') seasonal[j] = s + p.gamma * r
    }
  }
  return count > 0 ? sum / count : Number.POSITIVE_INFINITY
}
