import { missingBin } from './gbm-bins.ts'

/** Split rules shared with scikit-learn's HistGradientBoosting (and LightGBM). */
const minHessianToSplit = 1e-3
const minCategorySupport = 10
const maxCategoryThreshold = 32
/** Histogram layout: per feature 256 bins × (Σ gradient, Σ hessian, count). */
export const binStride = 3
export const featureStride = 256 * binStride

export interface Split {
  feature: number
  bin: number
  categories: Uint32Array | null
  missingLeft: boolean
  gain: number
  gLeft: number
  hLeft: number
  nLeft: number
}

/** Finds the best split of a node from its histogram (scratch buffers reused across nodes). */
export class SplitFinder {
  private readonly catBins = new Int32Array(257)
  private readonly catValues = new Float64Array(257)

  constructor(
    private readonly binCounts: Int32Array,
    private readonly isCategorical: boolean[],
    private readonly params: { minSamplesLeaf: number; l2: number },
  ) {}

  /** The best split of a node over all features (gain > 0 and the leaf constraints), or null. */
  find(hist: Float64Array, sumG: number, sumH: number, count: number): Split | null {
    const { l2, minSamplesLeaf } = this.params
    const parentTerm = (sumG * sumG) / (sumH + l2)
    const best: { split: Split | null; gain: number } = { split: null, gain: 0 }
    const record = (
      feature: number,
      bin: number,
      gain: number,
      gl: number,
      hl: number,
      nl: number,
      missingLeft: boolean,
      categories: Uint32Array | null,
    ) => {
      best.gain = gain
      best.split = { feature, bin, categories, missingLeft, gain, gLeft: gl, hLeft: hl, nLeft: nl }
    }
    /** For categorical prefixes (the left side grows): false once the right side is too small. */
    const consider = (
      feature: number,
      gl: number,
      hl: number,
      nl: number,
      missingLeft: boolean,
      categories: () => Uint32Array,
    ): boolean => {
      if (nl < minSamplesLeaf || hl < minHessianToSplit) return true
      const nr = count - nl
      const hr = sumH - hl
      if (nr < minSamplesLeaf || hr < minHessianToSplit) return false
      const gr = sumG - gl
      const gain = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parentTerm
      if (gain > best.gain) record(feature, 0, gain, gl, hl, nl, missingLeft, categories())
      return true
    }
    for (let f = 0; f < this.isCategorical.length; f++) {
      const base = f * featureStride
      const binCount = this.binCounts[f] as number
      const missingCount = hist[base + missingBin * binStride + 2] as number
      if (this.isCategorical[f]) {
        this.categoricalSplits(hist, f, binCount, missingCount, count, consider)
        continue
      }
      // Left to right, missing values going right (and, when the node has some, the split
      // "all non-missing left, missing right").
      let gl = 0
      let hl = 0
      let nl = 0
      const last = missingCount > 0 ? binCount - 1 : binCount - 2
      for (let b = 0; b <= last; b++) {
        const o = base + b * binStride
        const rows = hist[o + 2] as number
        // An empty bin repeats the previous candidate, which a strict improvement cannot beat.
        if (rows === 0) continue
        gl += hist[o] as number
        hl += hist[o + 1] as number
        nl += rows
        if (nl < minSamplesLeaf || hl < minHessianToSplit) continue
        const nr = count - nl
        const hr = sumH - hl
        if (nr < minSamplesLeaf || hr < minHessianToSplit) break
        const gr = sumG - gl
        const gain = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parentTerm
        // Without missing rows in the node, unseen missing values follow the larger child.
        if (gain > best.gain) record(f, b, gain, gl, hl, nl, missingCount === 0 && nl >= nr, null)
      }
      if (missingCount === 0) continue
      // Right to left, missing values going left.
      let gr = 0
      let hr = 0
      let nr = 0
      for (let b = binCount - 1; b >= 1; b--) {
        const o = base + b * binStride
        const rows = hist[o + 2] as number
        if (rows === 0) continue
        gr += hist[o] as number
        hr += hist[o + 1] as number
        nr += rows
        if (nr < minSamplesLeaf || hr < minHessianToSplit) continue
        const nl = count - nr
        const hl = sumH - hr
        if (nl < minSamplesLeaf || hl < minHessianToSplit) break
        const gl = sumG - gr
        const gain = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parentTerm
        if (gain > best.gain) record(f, b - 1, gain, gl, hl, nl, true, null)
      }
    }
    return best.split
  }

  /**
   * Categorical splits: categories with enough rows (missing counting as one) sorted by
   * Σg / (Σh + smoothing), then the best prefix from either end goes left (LightGBM's method).
   */
  private categoricalSplits(
    hist: Float64Array,
    feature: number,
    binCount: number,
    missingCount: number,
    count: number,
    consider: (
      feature: number,
      gl: number,
      hl: number,
      nl: number,
      missingLeft: boolean,
      categories: () => Uint32Array,
    ) => boolean,
  ) {
    const base = feature * featureStride
    const catBins = this.catBins
    const catValues = this.catValues
    let used = 0
    const addBin = (bin: number) => {
      const o = base + bin * binStride
      if ((hist[o + 2] as number) < minCategorySupport) return
      catBins[used] = bin
      catValues[used] = (hist[o] as number) / ((hist[o + 1] as number) + minCategorySupport)
      used++
    }
    for (let b = 0; b < binCount; b++) addBin(b)
    addBin(missingBin)
    if (used <= 1) return
    for (let i = 1; i < used; i++) {
      const bin = catBins[i] as number
      const value = catValues[i] as number
      let j = i - 1
      while (j >= 0 && (catValues[j] as number) > value) {
        catBins[j + 1] = catBins[j] as number
        catValues[j + 1] = catValues[j] as number
        j--
      }
      catBins[j + 1] = bin
      catValues[j + 1] = value
    }
    const maxCategories = Math.min(maxCategoryThreshold, (used + 1) >> 1)
    for (const direction of [1, -1]) {
      let gl = 0
      let hl = 0
      let nl = 0
      let missingLeft = false
      for (let i = 0; i < maxCategories; i++) {
        const k = direction === 1 ? i : used - 1 - i
        const o = base + (catBins[k] as number) * binStride
        gl += hist[o] as number
        hl += hist[o + 1] as number
        nl += hist[o + 2] as number
        if (catBins[k] === missingBin) missingLeft = true
        const bitset = () => {
          const bits = new Uint32Array(8)
          for (let j = 0; j <= i; j++) {
            const bin = catBins[direction === 1 ? j : used - 1 - j] as number
            if (bin !== missingBin)
              bits[bin >>> 5] = (bits[bin >>> 5] as number) | (1 << (bin & 31))
          }
          return bits
        }
        const missingSide = missingCount === 0 ? nl >= count - nl : missingLeft
        if (!consider(feature, gl, hl, nl, missingSide, bitset)) break
      }
    }
  }
}
