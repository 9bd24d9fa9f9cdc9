/**
 * Nelder-Mead minimisation inside a box: trial points are clamped into [lower, upper], so the search
 * never leaves the admissible region. Small and dependency-free; enough for ≤ 20 parameters.
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
  f: (x: number[]) => number,
  start: readonly number[],
  options: NelderMeadOptions,
): { x: number[]; value: number; evaluations: number } {
  const n = start.length
  const { lower, upper } = options
  const tolerance = options.tolerance ?? 1e-10
  const clamp = (x: number[]) =>
    x.map((v, i) => Math.min(upper[i] as number, Math.max(lower[i] as number, v)))
  let evaluations = 0
  const evaluate = (x: number[]) => {
    evaluations++
    const value = f(x)
    return Number.isFinite(value) ? value : Number.MAX_VALUE
  }
  const simplex: { x: number[]; value: number }[] = []
  const first = clamp(start.slice())
  simplex.push({ x: first, value: evaluate(first) })
  for (let i = 0; i < n; i++) {
    const x = first.slice()
    const step = options.step[i] as number
    x[i] = (x[i] as number) + step
    let point = clamp(x)
    if (point[i] === first[i]) {
      x[i] = (first[i] as number) - step
      point = clamp(x)
    }
    simplex.push({ x: point, value: evaluate(point) })
  }
  const combine = (a: number[], b: number[], t: number) =>
    clamp(a.map((v, i) => v + t * ((b[i] as number) - v)))

  while (evaluations < options.maxEvaluations) {
    simplex.sort((a, b) => a.value - b.value)
    const best = simplex[0] as { x: number[]; value: number }
    const worst = simplex[n] as { x: number[]; value: number }
    const secondWorst = simplex[n - 1] as { x: number[]; value: number }
    if (
      Math.abs(worst.value - best.value) <=
      tolerance * (Math.abs(best.value) + Math.abs(worst.value) + 1e-12)
    )
      break
    const centroid = new Array<number>(n).fill(0)
    for (let k = 0; k < n; k++) {
      const x = (simplex[k] as { x: number[] }).x
      for (let i = 0; i < n; i++) centroid[i] = (centroid[i] as number) + (x[i] as number) / n
    }
    const reflected = combine(centroid, worst.x, -1)
    const reflectedValue = evaluate(reflected)
    if (reflectedValue < best.value) {
      const expanded = combine(centroid, worst.x, -2)
      const expandedValue = evaluate(expanded)
      simplex[n] =
        expandedValue < reflectedValue
          ? { x: expanded, value: expandedValue }
          : { x: reflected, value: reflectedValue }
      continue
    }
    if (reflectedValue < secondWorst.value) {
      simplex[n] = { x: reflected, value: reflectedValue }
      continue
    }
    const outside = reflectedValue < worst.value
    const contracted = combine(centroid, outside ? reflected : worst.x, 0.5)
    const contractedValue = evaluate(contracted)
    if (contractedValue < (outside ? reflectedValue : worst.value)) {
      simplex[n] = { x: contracted, value: contractedValue }
      continue
    }
    for (let k = 1; k <= n; k++) {
      const x = combine(best.x, (simplex[k] as { x: number[] }).x, 0.5)
      simplex[k] = { x, value: evaluate(x) }
    }
  }
  simplex.sort((a, b) => a.value - b.value)
  const best = simplex[0] as { x: number[]; value: number }
  return { x: best.x, value: best.value, evaluations }
}
