import type { Frame } from './frame.ts'

/** The bin of a missing value, for numeric and categorical features alike. */
export const missingBin = 255
/** Binning looks at most this many rows (like scikit-learn's subsample of 2·10⁵). */
const binningSample = 200_000

/** How the training rows of each feature map to bins: quantile thresholds or category codes. */
export interface BinMapper {
  /** Per feature: ascending thresholds (bin b holds values in (t[b−1], t[b]]); null for categoricals. */
  thresholds: (Float64Array | null)[]
  /** Per feature: number of non-missing bins. */
  bins: Int32Array
}

function sampleRows(rows: Int32Array, random: () => number): Int32Array {
  if (rows.length <= binningSample) return rows
  const copy = Int32Array.from(rows)
  for (let i = 0; i < binningSample; i++) {
    const j = i + Math.floor(random() * (copy.length - i))
    const swap = copy[i] as number
    copy[i] = copy[j] as number
    copy[j] = swap
  }
  return copy.subarray(0, binningSample)
}

/**
 * Thresholds of one numeric column: midpoints between distinct values when there are at most
 * `maxBins` of them, else the `maxBins`-quantiles (numpy's "midpoint" percentiles, as scikit-learn).
 */
function numericThresholds(sorted: Float64Array, maxBins: number): Float64Array {
  const distinct: number[] = []
  for (let i = 0; i < sorted.length; i++) {
    const value = sorted[i] as number
    if (distinct.length === 0 || distinct[distinct.length - 1] !== value) distinct.push(value)
    if (distinct.length > maxBins) break
  }
  const candidates: number[] = []
  if (distinct.length <= maxBins) {
    for (let i = 1; i < distinct.length; i++) {
      candidates.push(0.5 * (distinct[i - 1] as number) + 0.5 * (distinct[i] as number))
    }
  } else {
    const last = sorted.length - 1
    for (let k = 1; k < maxBins; k++) {
      const position = (k / maxBins) * last
      const lo = sorted[Math.floor(position)] as number
      const hi = sorted[Math.ceil(position)] as number
      candidates.push(0.5 * lo + 0.5 * hi)
    }
  }
  const thresholds: number[] = []
  for (const value of candidates) {
    if (!Number.isFinite(value)) continue
    if (thresholds.length > 0 && (thresholds[thresholds.length - 1] as number) >= value) continue
    thresholds.push(value)
  }
  return Float64Array.from(thresholds)
}

/** Fits the bins of every feature on the given rows (the training part). */
export function fitBinMapper(
  frame: Frame,
  rows: Int32Array,
  maxBins: number,
  random: () => number,
): BinMapper {
  const sample = sampleRows(rows, random)
  const thresholds: (Float64Array | null)[] = []
  const bins = new Int32Array(frame.features.length)
  frame.features.forEach((feature, f) => {
    if (feature.kind === 'categorical') {
      if (feature.levels.length > missingBin) {
        throw new Error(
          `gbm: categorical feature ${feature.name} has ${feature.levels.length} levels, at most ${missingBin}`,
        )
      }
      thresholds.push(null)
      bins[f] = Math.max(feature.levels.length, 1)
      return
    }
    const source = feature.values
    const values = new Float64Array(sample.length)
    for (let i = 0; i < sample.length; i++) values[i] = source[sample[i] as number] as number
    // A typed-array sort puts NaN (missing) last.
    values.sort()
    let count = values.length
    while (count > 0 && Number.isNaN(values[count - 1] as number)) count--
    const sorted = values.subarray(0, count)
    const featureThresholds = numericThresholds(sorted, maxBins)
    thresholds.push(featureThresholds)
    bins[f] = featureThresholds.length + 1
  })
  return { thresholds, bins }
}

/** The bin of a numeric value: how many thresholds lie strictly below it (missing → missingBin). */
function binOf(thresholds: Float64Array, value: number): number {
  if (Number.isNaN(value)) return missingBin
  let lo = 0
  let hi = thresholds.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (value <= (thresholds[mid] as number)) hi = mid
    else lo = mid + 1
  }
  return lo
}

/**
 * Bins a column through a grid over the thresholds' range: each cell remembers the bin of its lower
 * edge, and a short local search from there finds the exact bin (same result as a binary search).
 */
function binColumn(
  thresholds: Float64Array,
  values: Float64Array,
  rows: Int32Array,
  out: Uint8Array,
) {
  const count = thresholds.length
  if (count === 0) {
    for (let i = 0; i < rows.length; i++) {
      out[i] = Number.isNaN(values[rows[i] as number] as number) ? missingBin : 0
    }
    return
  }
  const cells = 1024
  const low = thresholds[0] as number
  const span = (thresholds[count - 1] as number) - low
  const scale = span > 0 && Number.isFinite(span) ? cells / span : 0
  const start = new Uint8Array(cells)
  for (let c = 0; c < cells; c++) start[c] = binOf(thresholds, low + c / (scale || 1))
  for (let i = 0; i < rows.length; i++) {
    const value = values[rows[i] as number] as number
    if (Number.isNaN(value)) {
      out[i] = missingBin
      continue
    }
    const cell = Math.floor((value - low) * scale)
    let bin = start[cell < 0 ? 0 : cell >= cells ? cells - 1 : cell] as number
    let steps = 0
    while (bin < count && value > (thresholds[bin] as number) && steps < 8) {
      bin++
      steps++
    }
    if (steps === 8) bin = binOf(thresholds, value)
    else while (bin > 0 && value <= (thresholds[bin - 1] as number)) bin--
    out[i] = bin
  }
}

/** Bins the given rows of every feature, column by column (one Uint8Array per feature). */
export function binFrame(frame: Frame, mapper: BinMapper, rows: Int32Array): Uint8Array[] {
  return frame.features.map((feature, f) => {
    const out = new Uint8Array(rows.length)
    if (feature.kind === 'categorical') {
      const codes = feature.codes
      for (let i = 0; i < rows.length; i++) {
        const code = codes[rows[i] as number] as number
        out[i] = code < 0 || code >= missingBin ? missingBin : code
      }
      return out
    }
    binColumn(mapper.thresholds[f] as Float64Array, feature.values, rows, out)
    return out
  })
}
