import { type PathSet, pathCount } from './path-set.ts'

/**
 * Solves A·x = b in place of a copy, by LU decomposition with partial pivoting. A is n×n, row-major.
 * Returns a solver that can be reused for many right-hand sides (and for Aᵀ).
 */
function factorise(a: Float64Array, n: number) {
  const lu = Float64Array.from(a)
  const pivot = new Int32Array(n)
  for (let k = 0; k < n; k++) {
    let best = k
    let bestValue = Math.abs(lu[k * n + k] ?? 0)
    for (let i = k + 1; i < n; i++) {
      const value = Math.abs(lu[i * n + k] ?? 0)
      if (value > bestValue) {
        best = i
        bestValue = value
      }
    }
    pivot[k] = best
    if (best !== k) {
      for (let j = 0; j < n; j++) {
        const t = lu[k * n + j] ?? 0
        lu[k * n + j] = lu[best * n + j] ?? 0
        lu[best * n + j] = t
      }
    }
    const diagonal = lu[k * n + k] ?? 0
    if (diagonal === 0) throw new RangeError('the transition matrix is singular')
    for (let i = k + 1; i < n; i++) {
      const factor = (lu[i * n + k] ?? 0) / diagonal
      if (factor === 0) continue
      lu[i * n + k] = factor
      for (let j = k + 1; j < n; j++)
        lu[i * n + j] = (lu[i * n + j] ?? 0) - factor * (lu[k * n + j] ?? 0)
    }
  }
  return {
    /** x with A·x = b. */
    solve(b: Float64Array): Float64Array {
      const x = Float64Array.from(b)
      for (let k = 0; k < n; k++) {
        const p = pivot[k] ?? k
        if (p !== k) {
          const t = x[k] ?? 0
          x[k] = x[p] ?? 0
          x[p] = t
        }
      }
      for (let i = 0; i < n; i++) {
        let sum = x[i] ?? 0
        for (let j = 0; j < i; j++) sum -= (lu[i * n + j] ?? 0) * (x[j] ?? 0)
        x[i] = sum
      }
      for (let i = n - 1; i >= 0; i--) {
        let sum = x[i] ?? 0
        for (let j = i + 1; j < n; j++) sum -= (lu[i * n + j] ?? 0) * (x[j] ?? 0)
        x[i] = sum / (lu[i * n + i] ?? 1)
      }
      return x
    },
    /** y with Aᵀ·y = b (P·A = L·U, so Aᵀ = Uᵀ·Lᵀ·P). */
    solveTransposed(b: Float64Array): Float64Array {
      const y = Float64Array.from(b)
      for (let i = 0; i < n; i++) {
        let sum = y[i] ?? 0
        for (let j = 0; j < i; j++) sum -= (lu[j * n + i] ?? 0) * (y[j] ?? 0)
        y[i] = sum / (lu[i * n + i] ?? 1)
      }
      for (let i = n - 1; i >= 0; i--) {
        let sum = y[i] ?? 0
        for (let j = i + 1; j < n; j++) sum -= (lu[j * n + i] ?? 0) * (y[j] ?? 0)
        y[i] = sum
      }
      for (let k = n - 1; k >= 0; k--) {
        const p = pivot[k] ?? k
        if (p !== k) {
          const t = y[k] ?? 0
          y[k] = y[p] ?? 0
          y[p] = t
        }
      }
      return y
    },
  }
}

export interface MarkovResult {
  /** P(conversion) from the start state. */
  conversionProbability: number
  /** Per channel (PathSet order): 1 − P(conversion without it) ÷ P(conversion), 0-1. */
  removalEffects: Float64Array
}

/**
 * The first-order Markov chain of the paths (start, one state per channel, conversion and null),
 * transitions counted as they occur (repeats included), solved exactly as an absorbing chain. Removing
 * channel c sends every visit of c to null, so P(conversion without c) = P(conv) − h_c·x_c, where x_c is
 * P(conversion from c) and h_c = N[start][c] ÷ N[c][c] the probability of ever reaching c, N = (I − Q)⁻¹:
 * one factorisation gives every removal effect.
 */
export function markovRemovalEffects(set: PathSet): MarkovResult {
  const k = set.channels.length
  const n = k + 1 // state 0 is start, channel i is state i + 1
  const counts = new Float64Array(n * n)
  const toConversion = new Float64Array(n)
  const toNull = new Float64Array(n)
  for (let p = 0; p < pathCount(set); p++) {
    const conversions = set.conversions[p] ?? 0
    const nulls = set.nulls[p] ?? 0
    const weight = conversions + nulls
    if (weight <= 0) continue
    let previous = 0
    for (let s = set.offsets[p] ?? 0; s < (set.offsets[p + 1] ?? 0); s++) {
      const state = (set.steps[s] ?? 0) + 1
      counts[previous * n + state] = (counts[previous * n + state] ?? 0) + weight
      previous = state
    }
    toConversion[previous] = (toConversion[previous] ?? 0) + conversions
    toNull[previous] = (toNull[previous] ?? 0) + nulls
  }
  // A = I − Q, where Q holds the transition probabilities between start and channel states.
  const a = new Float64Array(n * n)
  const r = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    let total = (toConversion[i] ?? 0) + (toNull[i] ?? 0)
    for (let j = 0; j < n; j++) total += counts[i * n + j] ?? 0
    a[i * n + i] = 1
    if (total <= 0) continue // never left: behaves like null
    for (let j = 0; j < n; j++)
      a[i * n + j] = (a[i * n + j] ?? 0) - (counts[i * n + j] ?? 0) / total
    r[i] = (toConversion[i] ?? 0) / total
  }
  const removalEffects = new Float64Array(k)
  const lu = factorise(a, n)
  const x = lu.solve(r)
  const conversionProbability = x[0] ?? 0
  if (!(conversionProbability > 0)) return { conversionProbability: 0, removalEffects }
  const unit = new Float64Array(n)
  unit[0] = 1
  const fromStart = lu.solveTransposed(unit) // N[start][·]
  unit[0] = 0
  for (let c = 0; c < k; c++) {
    const state = c + 1
    const visits = fromStart[state] ?? 0
    if (!(visits > 0)) continue
    unit[state] = 1
    const column = lu.solve(unit) // N[·][state]
    unit[state] = 0
    const reach = visits / (column[state] ?? 1)
    const effect = (reach * (x[state] ?? 0)) / conversionProbability
    removalEffects[c] = Math.min(1, Math.max(0, effect))
  }
  return { conversionProbability, removalEffects }
}
