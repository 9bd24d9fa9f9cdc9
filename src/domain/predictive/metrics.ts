/** Measures of a binary scorer: ranking (AUC, gains), probabilities (log loss, Brier, calibration). */

export interface CalibrationBin {
  lower: number
  upper: number
  /** Mean predicted probability of the bin's rows. */
  predicted: number
  /** Share of the bin's rows that are positive. */
  observed: number
  count: number
}

export interface GainsPoint {
  /** Share of rows taken, best scores first (0.1 … 1 for ten groups). */
  share: number
  /** Cumulative share of all positives among them. */
  captured: number
  /** captured / share (1 = no better than random). */
  lift: number
}

function checkLengths(scores: ArrayLike<number>, y: Uint8Array) {
  if (scores.length !== y.length) {
    throw new Error(`scores and labels differ in length (${scores.length} and ${y.length})`)
  }
}

/**
 * Area under the ROC curve: the chance that a random positive scores above a random negative, ties
 * counting half (Mann-Whitney with mid-ranks). NaN when one class is absent; NaN scores rank lowest.
 */
export function auc(scores: ArrayLike<number>, y: Uint8Array): number {
  checkLengths(scores, y)
  const n = y.length
  const order = new Uint32Array(n)
  for (let i = 0; i < n; i++) order[i] = i
  const key = (i: number) => {
    const s = scores[i] as number
    return Number.isNaN(s) ? Number.NEGATIVE_INFINITY : s
  }
  order.sort((a, b) => key(a) - key(b) || 0)
  let positives = 0
  let rankSum = 0
  let i = 0
  while (i < n) {
    let j = i
    const value = key(order[i] as number)
    while (j + 1 < n && key(order[j + 1] as number) === value) j++
    const midRank = (i + j) / 2 + 1
    for (let k = i; k <= j; k++) {
      if (y[order[k] as number] === 1) {
        positives++
        rankSum += midRank
      }
    }
    i = j + 1
  }
  const negatives = n - positives
  if (positives === 0 || negatives === 0) return Number.NaN
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives)
}

/** Mean negative log-likelihood of the labels (probabilities clipped to [1e-15, 1 − 1e-15]). */
export function logLoss(probs: ArrayLike<number>, y: Uint8Array): number {
  checkLengths(probs, y)
  if (y.length === 0) return Number.NaN
  let sum = 0
  for (let i = 0; i < y.length; i++) {
    const p = Math.min(1 - 1e-15, Math.max(1e-15, probs[i] as number))
    sum -= y[i] === 1 ? Math.log(p) : Math.log(1 - p)
  }
  return sum / y.length
}

/** Mean squared difference between the probability and the 0/1 outcome. */
export function brier(probs: ArrayLike<number>, y: Uint8Array): number {
  checkLengths(probs, y)
  if (y.length === 0) return Number.NaN
  let sum = 0
  for (let i = 0; i < y.length; i++) sum += ((probs[i] as number) - (y[i] as number)) ** 2
  return sum / y.length
}

/** Equal-width probability bins (0–0.1, 0.1–0.2 … for 10): mean predicted vs observed rate; empty bins omitted. */
export function calibrationBins(
  probs: ArrayLike<number>,
  y: Uint8Array,
  bins = 10,
): CalibrationBin[] {
  checkLengths(probs, y)
  const sums = new Float64Array(bins)
  const hits = new Float64Array(bins)
  const counts = new Float64Array(bins)
  for (let i = 0; i < y.length; i++) {
    const p = probs[i] as number
    if (Number.isNaN(p)) continue
    const bin = Math.min(bins - 1, Math.max(0, Math.floor(p * bins)))
    sums[bin] = (sums[bin] as number) + p
    hits[bin] = (hits[bin] as number) + (y[i] as number)
    counts[bin] = (counts[bin] as number) + 1
  }
  const out: CalibrationBin[] = []
  for (let bin = 0; bin < bins; bin++) {
    const count = counts[bin] as number
    if (count === 0) continue
    out.push({
      lower: bin / bins,
      upper: (bin + 1) / bins,
      predicted: (sums[bin] as number) / count,
      observed: (hits[bin] as number) / count,
      count,
    })
  }
  return out
}

/**
 * Cumulative gains: rows sorted by score, best first (ties keep row order), cut into `groups` equal
 * shares; each point is the share of all positives captured so far. No positives → captured 0.
 */
export function gains(scores: ArrayLike<number>, y: Uint8Array, groups = 10): GainsPoint[] {
  checkLengths(scores, y)
  const n = y.length
  const order = Array.from({ length: n }, (_, i) => i)
  const key = (i: number) => {
    const s = scores[i] as number
    return Number.isNaN(s) ? Number.NEGATIVE_INFINITY : s
  }
  order.sort((a, b) => key(b) - key(a) || a - b)
  let total = 0
  for (let i = 0; i < n; i++) total += y[i] as number
  const out: GainsPoint[] = []
  let taken = 0
  let found = 0
  for (let g = 1; g <= groups; g++) {
    const cut = Math.round((g * n) / groups)
    for (; taken < cut; taken++) found += y[order[taken] as number] as number
    const share = g / groups
    const captured = total > 0 ? found / total : 0
    out.push({ share, captured, lift: captured / share })
  }
  return out
}
