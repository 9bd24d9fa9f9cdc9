import type { Feature, Frame } from './frame.ts'
import { type Contribution, cellValue, type TrainedModel } from './model.ts'

export type GbmFeature =
  | { name: string; kind: 'numeric' }
  | { name: string; kind: 'categorical'; levels: string[] }

/** One tree in JSON: parallel arrays over its nodes (a leaf has left = −1). */
export interface TreeJson {
  feature: number[]
  threshold: number[]
  left: number[]
  right: number[]
  missingLeft: number[]
  /** Per node: the category codes that go left (categorical splits), else null. */
  categories: (number[] | null)[]
  value: number[]
}

export interface GbmJson {
  kind: 'gbm'
  version: 1
  features: GbmFeature[]
  baseline: number
  gains: number[]
  trees: TreeJson[]
}

const numericMissingRight = 0
const numericMissingLeft = 1
const categoricalTest = 2

/** Rows scored together tree after tree (their column slices fit in the CPU cache). */
const scoringBlock = 2048

/** Throws an Error prefixed with the learner's name. */
export function check(condition: boolean, message: string) {
  if (!condition) throw new Error(`gbm: ${message}`)
}

/** Trees packed into flat typed arrays for fast scoring. */
export class GbmModel implements TrainedModel {
  readonly kind = 'gbm' as const
  private readonly roots: Int32Array
  private readonly feature: Int32Array
  private readonly threshold: Float64Array
  private readonly left: Int32Array
  private readonly right: Int32Array
  private readonly missingLeft: Uint8Array
  /** Per node: the test (numericMissingRight, numericMissingLeft or categoricalTest). */
  private readonly test: Uint8Array
  private readonly categoryOffset: Int32Array
  private readonly categoryBits: Uint32Array
  private readonly value: Float64Array

  constructor(private readonly json: GbmJson) {
    const size = json.trees.reduce((sum, tree) => sum + tree.value.length, 0)
    const categorical = json.trees.reduce(
      (sum, tree) => sum + tree.categories.filter((codes) => codes !== null).length,
      0,
    )
    this.roots = new Int32Array(json.trees.length)
    this.feature = new Int32Array(size)
    this.threshold = new Float64Array(size)
    this.left = new Int32Array(size)
    this.right = new Int32Array(size)
    this.missingLeft = new Uint8Array(size)
    this.test = new Uint8Array(size)
    this.categoryOffset = new Int32Array(size).fill(-1)
    this.categoryBits = new Uint32Array(categorical * 8)
    this.value = new Float64Array(size)
    let offset = 0
    let bitsOffset = 0
    json.trees.forEach((tree, t) => {
      this.roots[t] = offset
      for (let i = 0; i < tree.value.length; i++) {
        const node = offset + i
        const isLeaf = (tree.left[i] ?? -1) < 0
        this.feature[node] = isLeaf ? -1 : (tree.feature[i] ?? -1)
        this.threshold[node] = tree.threshold[i] ?? 0
        this.left[node] = isLeaf ? -1 : offset + (tree.left[i] as number)
        this.right[node] = isLeaf ? -1 : offset + (tree.right[i] as number)
        this.missingLeft[node] = tree.missingLeft[i] ? 1 : 0
        this.test[node] = tree.missingLeft[i] ? numericMissingLeft : numericMissingRight
        this.value[node] = tree.value[i] ?? 0
        const codes = tree.categories[i]
        if (codes) {
          this.categoryOffset[node] = bitsOffset
          this.test[node] = categoricalTest
          for (const code of codes) {
            const word = bitsOffset + (code >>> 5)
            this.categoryBits[word] = (this.categoryBits[word] as number) | (1 << (code & 31))
          }
          bitsOffset += 8
        }
      }
      offset += tree.value.length
    })
  }

  /** The frame's features in model order, matched by name and kind. */
  private resolve(frame: Frame): { index: number; feature: Feature }[] {
    const byName = new Map(frame.features.map((feature, index) => [feature.name, index]))
    return this.json.features.map((spec) => {
      const index = byName.get(spec.name)
      const feature = index === undefined ? undefined : frame.features[index]
      check(feature !== undefined, `the frame lacks feature ${spec.name}`)
      check(feature?.kind === spec.kind, `feature ${spec.name} is not ${spec.kind}`)
      return { index: index as number, feature: feature as Feature }
    })
  }

  /** Whether a value goes left at an internal node (NaN fails x ≤ t and passes ¬(x > t)). */
  private goesLeft(node: number, x: number): boolean {
    const test = this.test[node]
    if (test === numericMissingRight) return x <= (this.threshold[node] as number)
    if (test === numericMissingLeft) return !(x > (this.threshold[node] as number))
    if (Number.isNaN(x)) return this.missingLeft[node] === 1
    const offset = this.categoryOffset[node] as number
    return x < 256 && ((this.categoryBits[offset + (x >>> 5)] as number) & (1 << (x & 31))) !== 0
  }

  margins(frame: Frame): Float64Array {
    const columns = this.resolve(frame).map(({ feature }) => {
      if (feature.kind === 'numeric') return feature.values
      const values = new Float64Array(frame.rows)
      for (let row = 0; row < frame.rows; row++) {
        const code = feature.codes[row] as number
        values[row] = code < 0 ? Number.NaN : code
      }
      return values
    })
    const out = new Float64Array(frame.rows).fill(this.json.baseline)
    const { feature, threshold, left, right, test, value } = this
    // Blocks of rows, so the block's slice of every column stays in cache across the trees.
    for (let from = 0; from < frame.rows; from += scoringBlock) {
      const to = Math.min(from + scoringBlock, frame.rows)
      for (let t = 0; t < this.roots.length; t++) {
        const root = this.roots[t] as number
        for (let row = from; row < to; row++) {
          let node = root
          let next = left[node] as number
          while (next >= 0) {
            const x = (columns[feature[node] as number] as Float64Array)[row] as number
            const kind = test[node]
            const goLeft =
              kind === numericMissingRight
                ? x <= (threshold[node] as number)
                : kind === numericMissingLeft
                  ? !(x > (threshold[node] as number))
                  : this.goesLeft(node, x)
            node = goLeft ? next : (right[node] as number)
            next = left[node] as number
          }
          out[row] = (out[row] as number) + (value[node] as number)
        }
      }
    }
    return out
  }

  explain(frame: Frame, row: number): { bias: number; contributions: Contribution[] } {
    check(Number.isInteger(row) && row >= 0 && row < frame.rows, `row ${row} is out of range`)
    const columns = this.resolve(frame)
    const x = Float64Array.from(columns, ({ feature }) => {
      if (feature.kind === 'numeric') return feature.values[row] as number
      const code = feature.codes[row] as number
      return code < 0 ? Number.NaN : code
    })
    const totals = new Float64Array(columns.length)
    let bias = this.json.baseline
    for (let t = 0; t < this.roots.length; t++) {
      let node = this.roots[t] as number
      bias += this.value[node] as number
      while ((this.left[node] as number) >= 0) {
        const f = this.feature[node] as number
        const child = this.goesLeft(node, x[f] as number)
          ? (this.left[node] as number)
          : (this.right[node] as number)
        totals[f] =
          (totals[f] as number) + (this.value[child] as number) - (this.value[node] as number)
        node = child
      }
    }
    const contributions = columns.map(({ index }, f) => ({
      feature: this.json.features[f]?.name ?? '',
      value: cellValue(frame, index, row),
      contribution: totals[f] as number,
    }))
    contributions.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
    return { bias, contributions }
  }

  importance(): { feature: string; importance: number }[] {
    const total = this.json.gains.reduce((sum, gain) => sum + gain, 0)
    const share = 1 / Math.max(this.json.features.length, 1)
    return this.json.features
      .map((spec, f) => ({
        feature: spec.name,
        importance: total > 0 ? (this.json.gains[f] ?? 0) / total : share,
      }))
      .sort((a, b) => b.importance - a.importance)
  }

  toJSON(): GbmJson {
    return this.json
  }
}
