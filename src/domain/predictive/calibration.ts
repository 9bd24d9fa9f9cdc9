/**
 * Platt scaling: maps a learner's margin to a calibrated probability p = 1 / (1 + exp(−(a·margin + b))),
 * fitted on rows the learner did not train on, with Platt's smoothed targets (N₊+1)/(N₊+2) and
 * 1/(N₋+2) so that a perfectly separated calibration set still gives finite a and b.
 */

export interface Platt {
  a: number
  b: number
}

/** Fits a and b by Newton's method with backtracking (Lin, Lin and Weng's robust variant). */
export function fitPlatt(margins: ArrayLike<number>, y: Uint8Array): Platt {
  const n = y.length
  if (margins.length !== n) throw new Error('margins and labels differ in length')
  let positives = 0
  for (let i = 0; i < n; i++) positives += y[i] === 1 ? 1 : 0
  const negatives = n - positives
  const hi = (positives + 1) / (positives + 2)
  const lo = 1 / (negatives + 2)
  const target = (i: number) => (y[i] === 1 ? hi : lo)
  // Objective: Σ −t log p − (1 − t) log(1 − p), with z = a·m + b.
  const value = (a: number, b: number) => {
    let sum = 0
    for (let i = 0; i < n; i++) {
      const z = a * (margins[i] as number) + b
      const t = target(i)
      // −t log σ(z) − (1−t) log(1−σ(z)) = log(1 + e^z) − t z
      sum += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - t * z
    }
    return sum
  }
  let a = 0
  let b = Math.log((positives + 1) / (negatives + 1))
  let current = value(a, b)
  for (let iter = 0; iter < 100; iter++) {
    let ga = 0
    let gb = 0
    let haa = 1e-12
    let hab = 0
    let hbb = 1e-12
    for (let i = 0; i < n; i++) {
      const m = margins[i] as number
      const z = a * m + b
      const p = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z))
      const d = p - target(i)
      const w = p * (1 - p)
      ga += d * m
      gb += d
      haa += w * m * m
      hab += w * m
      hbb += w
    }
    if (Math.abs(ga) < 1e-9 && Math.abs(gb) < 1e-9) break
    const det = haa * hbb - hab * hab
    const da = -(hbb * ga - hab * gb) / det
    const db = -(-hab * ga + haa * gb) / det
    const slope = ga * da + gb * db
    let step = 1
    let next = current
    while (step >= 1e-10) {
      next = value(a + step * da, b + step * db)
      if (next <= current + 1e-4 * step * slope) break
      step /= 2
    }
    if (step < 1e-10) break
    a += step * da
    b += step * db
    const improvement = current - next
    current = next
    if (improvement < 1e-12 * Math.max(1, Math.abs(current))) break
  }
  return { a, b }
}

/** The calibrated probability of a margin. */
export function applyPlatt(platt: Platt, margin: number): number {
  const z = platt.a * margin + platt.b
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z))
}
