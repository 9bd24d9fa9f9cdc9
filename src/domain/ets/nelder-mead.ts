/**
 * Nelder-Mead minimisation inside a box: trial points are clamped into [lower, upper], so the search
 * never leaves the admissible region. Small and dependency-free; enough for a handful of parameters.
 * Works in place on typed arrays: the likelihood is evaluated thousands of times per model.
 */
export interface NelderMeadOptions {
  lower: readonly number[]
  upper: readonly number[]
  /** Initial simplex step per parameter. */
  step: readonly number[]
  maxEvaluations: number
  /** Stop when the simplex's function values differ by less than this (relative). */
  tolerance?: number
}

export function nelderMead(
  f: (x: Float64Array) => number,
  start: ArrayLike<number>,
  options: NelderMeadOptions,
): { x: Float64Array; value: number; evaluations: number } {
  const n = start.length
  const { lower, upper } = options
  const tolerance = options.tolerance ?? 1e-10
  const clampAt = (x: Float64Array, i: number) => {
    const v = x[i] as number
    const lo = lower[i] as number
    const hi = upper[i] as number
    x[i] = Math.min(hi, Math.max(lo, v))
  }
  let evaluations = 0
  const evaluate = (x: Float64Array) => {
    evaluations++
    const value = f(x)
    return Number.isFinite(value) ? value : Number.MAX_VALUE
  }
  const points: Float64Array[] = []
  const values: number[] = []
  const first = Float64Array.from(start)
  for (let i = 0; i < n; i++) clampAt(first, i)
  points.push(first)
  values.push(evaluate(first))
  for (let i = 0; i < n; i++) {
    const x = Float64Array.from(first)
    const step = options.step[i] as number
    x[i] = (first[i] as number) + step
    clampAt(x, i)
    if (x[i] === first[i]) {
      x[i] = (first[i] as number) - step
      clampAt(x, i)
    }
    points.push(x)
    values.push(evaluate(x))
  }
  const order = Array.from({ length: n + 1 }, (_, k) => k)
  const centroid = new Float64Array(n)
  const reflected = new Float64Array(n)
  const trial = new Float64Array(n)
  // out = a + t (b − a), clamped.
  const combine = (out: Float64Array, a: Float64Array, b: Float64Array, t: number) => {
    for (let i = 0; i < n; i++) {
      out[i] = (a[i] as number) + t * ((b[i] as number) - (a[i] as number))
      clampAt(out, i)
    }
  }
  const replaceWorst = (x: Float64Array, value: number) => {
    const worst = order[n] as number
    ;(points[worst] as Float64Array).set(x)
    values[worst] = value
  }

  while (evaluations < options.maxEvaluations) {
    order.sort((a, b) => (values[a] as number) - (values[b] as number))
    const best = values[order[0] as number] as number
    const worst = values[order[n] as number] as number
    const secondWorst = values[order[n - 1] as number] as number
    if (Math.abs(worst - best) <= tolerance * (Math.abs(best) + Math.abs(worst) + 1e-12)) break
    centroid.fill(0)
    for (let k = 0; k < n; k++) {
      const x = points[order[k] as number] as Float64Array
      for (let i = 0; i < n; i++) centroid[i] = (centroid[i] as number) + (x[i] as number) / n
    }
    const worstPoint = points[order[n] as number] as Float64Array
    combine(reflected, centroid, worstPoint, -1)
    const reflectedValue = evaluate(reflected)
    if (reflectedValue < best) {
      combine(trial, centroid, worstPoint, -2)
      const expandedValue = evaluate(trial)
      if (expandedValue < reflectedValue) replaceWorst(trial, expandedValue)
      else replaceWorst(reflected, reflectedValue)
      continue
    }
    if (reflectedValue < secondWorst) {
      replaceWorst(reflected, reflectedValue)
      continue
    }
    const outside = reflectedValue < worst
    combine(trial, centroid, outside ? reflected : worstPoint, 0.5)
    const contractedValue = evaluate(trial)
    if (contractedValue < (outside ? reflectedValue : worst)) {
      replaceWorst(trial, contractedValue)
      continue
    }
    const bestPoint = points[order[0] as number] as Float64Array
    for (let k = 1; k <= n; k++) {
      const x = points[order[k] as number] as Float64Array
      combine(x, bestPoint, x, 0.5)
      values[order[k] as number] = evaluate(x)
    }
  }
  let bestIndex = 0
  for (let k = 1; k <= n; k++)
    if ((values[k] as number) < (values[bestIndex] as number)) bestIndex = k
  return {
    x: Float64Array.from(points[bestIndex] as Float64Array),
    value: values[bestIndex] as number,
    evaluations,
  }
}
