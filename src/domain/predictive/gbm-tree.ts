import { missingBin } from './gbm-bins.ts'
import { binStride, featureStride, type Split, SplitFinder } from './gbm-split.ts'

export interface GrowParams {
  maxLeafNodes: number
  minSamplesLeaf: number
  l2: number
  learningRate: number
}

/** A node of a grown tree; `feature` is −1 for a leaf. Values are already shrunk by the learning rate. */
export interface GrownNode {
  value: number
  count: number
  feature: number
  binThreshold: number
  /** Bitset (8 × 32 bits) of the category bins that go left; null for numeric splits. */
  categories: Uint32Array | null
  missingLeft: boolean
  gain: number
  left: number
  right: number
}

interface WorkNode {
  id: number
  start: number
  end: number
  sumG: number
  sumH: number
  hist: Float64Array | null
  split: Split | null
}

export function inBitset(bits: Uint32Array, bin: number): boolean {
  return ((bits[bin >>> 5] as number) & (1 << (bin & 31))) !== 0
}

/**
 * Grows one regression tree on gradients and hessians, leaf-wise (best gain first) up to
 * maxLeafNodes, from per-node histograms; a child's histogram is the parent's minus its sibling's.
 */
export class TreeGrower {
  private readonly rows: number
  private readonly partition: Int32Array
  private readonly buffer: Int32Array
  /** The same bins row by row (rows × features), so a node's rows are read contiguously. */
  private readonly rowBins: Uint8Array
  /** Histogram of the root with only the counts filled in (they never change). */
  private readonly rootCounts: Float64Array
  private readonly pool: Float64Array[] = []
  private readonly splitter: SplitFinder

  constructor(
    private readonly bins: Uint8Array[],
    binCounts: Int32Array,
    isCategorical: boolean[],
    private readonly params: GrowParams,
  ) {
    this.rows = bins[0]?.length ?? 0
    this.partition = new Int32Array(this.rows)
    this.buffer = new Int32Array(this.rows)
    this.splitter = new SplitFinder(binCounts, isCategorical, params)
    this.rowBins = new Uint8Array(this.rows * bins.length)
    this.rootCounts = new Float64Array(bins.length * featureStride)
    bins.forEach((column, f) => {
      for (let i = 0; i < column.length; i++) {
        const bin = column[i] as number
        this.rowBins[i * bins.length + f] = bin
        const at = f * featureStride + bin * binStride + 2
        this.rootCounts[at] = (this.rootCounts[at] as number) + 1
      }
    })
  }

  /** Grows a tree and adds its leaf values to `raw` (the training rows' margins). */
  grow(g: Float64Array, h: Float64Array, raw: Float64Array): GrownNode[] {
    const { maxLeafNodes, minSamplesLeaf } = this.params
    for (let i = 0; i < this.rows; i++) this.partition[i] = i
    let sumG = 0
    let sumH = 0
    for (let i = 0; i < this.rows; i++) {
      sumG += g[i] as number
      sumH += h[i] as number
    }
    const nodes: GrownNode[] = []
    const work: WorkNode[] = []
    const addNode = (start: number, end: number, nodeG: number, nodeH: number): WorkNode => {
      const node = {
        id: nodes.length,
        start,
        end,
        sumG: nodeG,
        sumH: nodeH,
        hist: null,
        split: null,
      }
      nodes.push(this.leaf(nodeG, nodeH, end - start))
      work.push(node)
      return node
    }
    const root = addNode(0, this.rows, sumG, sumH)
    const splittable: WorkNode[] = []
    if (this.rows >= 2 * minSamplesLeaf) {
      root.hist = this.histogram(root, g, h, true)
      root.split = this.splitter.find(root.hist, sumG, sumH, this.rows)
      if (root.split) splittable.push(root)
      else this.release(root)
    }
    let leaves = 1
    while (splittable.length > 0 && leaves < maxLeafNodes) {
      let pick = 0
      for (let i = 1; i < splittable.length; i++) {
        if ((splittable[i]?.split?.gain ?? 0) > (splittable[pick]?.split?.gain ?? 0)) pick = i
      }
      const parent = splittable.splice(pick, 1)[0] as WorkNode
      const split = parent.split as Split
      const middle = this.applySplit(parent, split)
      const left = addNode(parent.start, middle, split.gLeft, split.hLeft)
      const right = addNode(
        middle,
        parent.end,
        parent.sumG - split.gLeft,
        parent.sumH - split.hLeft,
      )
      const node = nodes[parent.id] as GrownNode
      node.feature = split.feature
      node.binThreshold = split.bin
      node.categories = split.categories
      node.missingLeft = split.missingLeft
      node.gain = split.gain
      node.left = left.id
      node.right = right.id
      leaves++
      const canSplitLeft = middle - parent.start >= 2 * minSamplesLeaf
      const canSplitRight = parent.end - middle >= 2 * minSamplesLeaf
      if (leaves < maxLeafNodes && (canSplitLeft || canSplitRight)) {
        const [small, large] =
          middle - parent.start <= parent.end - middle ? [left, right] : [right, left]
        small.hist = this.histogram(small, g, h, false)
        const parentHist = parent.hist as Float64Array
        const smallHist = small.hist
        for (let i = 0; i < parentHist.length; i++) {
          parentHist[i] = (parentHist[i] as number) - (smallHist[i] as number)
        }
        large.hist = parentHist
        parent.hist = null
        for (const child of [left, right]) {
          const hist = child.hist as Float64Array
          const count = child.end - child.start
          if (count >= 2 * minSamplesLeaf) {
            child.split = this.splitter.find(hist, child.sumG, child.sumH, count)
          }
          if (child.split) splittable.push(child)
          else this.release(child)
        }
      } else {
        this.release(parent)
      }
    }
    for (const node of splittable) this.release(node)
    for (const item of work) {
      const node = nodes[item.id] as GrownNode
      if (node.feature >= 0) continue
      const value = node.value
      for (let i = item.start; i < item.end; i++) {
        const row = this.partition[i] as number
        raw[row] = (raw[row] as number) + value
      }
    }
    return nodes
  }

  private leaf(sumG: number, sumH: number, count: number): GrownNode {
    const denominator = sumH + this.params.l2
    const value = denominator > 0 ? (-sumG / denominator) * this.params.learningRate : 0
    return {
      value,
      count,
      feature: -1,
      binThreshold: 0,
      categories: null,
      missingLeft: false,
      gain: 0,
      left: -1,
      right: -1,
    }
  }

  private release(node: WorkNode) {
    if (node.hist) this.pool.push(node.hist)
    node.hist = null
  }

  /** Σ gradient, Σ hessian and count per feature and bin over the node's rows (row-major pass). */
  private histogram(node: WorkNode, g: Float64Array, h: Float64Array, isRoot: boolean) {
    const features = this.bins.length
    // Locals, not the imported bindings: the JIT folds them in the hottest loop of training.
    const stride = featureStride
    const width = binStride
    const hist = this.pool.pop() ?? new Float64Array(features * stride)
    const rowBins = this.rowBins
    const end = hist.length
    if (isRoot) {
      // The root holds every row: its counts never change, only Σg and Σh are summed.
      hist.set(this.rootCounts)
      for (let row = 0; row < this.rows; row++) {
        const gi = g[row] as number
        const hi = h[row] as number
        let base = row * features
        for (let o = 0; o < end; o += stride) {
          const a = o + (rowBins[base++] as number) * width
          hist[a] = (hist[a] as number) + gi
          hist[a + 1] = (hist[a + 1] as number) + hi
        }
      }
      return hist
    }
    hist.fill(0)
    const part = this.partition
    for (let i = node.start; i < node.end; i++) {
      const row = part[i] as number
      const gi = g[row] as number
      const hi = h[row] as number
      let base = row * features
      let o = 0
      // Two features per step: fewer loop overheads on the hottest loop of training.
      for (; o + stride < end; o += 2 * stride) {
        const a = o + (rowBins[base] as number) * width
        const b = o + stride + (rowBins[base + 1] as number) * width
        base += 2
        hist[a] = (hist[a] as number) + gi
        hist[a + 1] = (hist[a + 1] as number) + hi
        hist[a + 2] = (hist[a + 2] as number) + 1
        hist[b] = (hist[b] as number) + gi
        hist[b + 1] = (hist[b + 1] as number) + hi
        hist[b + 2] = (hist[b + 2] as number) + 1
      }
      if (o < end) {
        const a = o + (rowBins[base] as number) * width
        hist[a] = (hist[a] as number) + gi
        hist[a + 1] = (hist[a + 1] as number) + hi
        hist[a + 2] = (hist[a + 2] as number) + 1
      }
    }
    return hist
  }

  /** Stable in-place partition of the node's rows; returns the first position of the right child. */
  private applySplit(node: WorkNode, split: Split): number {
    const column = this.bins[split.feature] as Uint8Array
    const part = this.partition
    const buffer = this.buffer
    const { bin: threshold, categories, missingLeft } = split
    let nLeft = node.start
    let nRight = 0
    for (let i = node.start; i < node.end; i++) {
      const row = part[i] as number
      const bin = column[row] as number
      const goLeft =
        bin === missingBin ? missingLeft : categories ? inBitset(categories, bin) : bin <= threshold
      if (goLeft) part[nLeft++] = row
      else buffer[nRight++] = row
    }
    part.set(buffer.subarray(0, nRight), nLeft)
    return nLeft
  }
}

/** Adds one grown tree's output to `out`, routing rows by their bins (validation rows). */
export function addTreeBinned(nodes: GrownNode[], bins: Uint8Array[], out: Float64Array) {
  for (let row = 0; row < out.length; row++) {
    let node = nodes[0] as GrownNode
    while (node.feature >= 0) {
      const bin = (bins[node.feature] as Uint8Array)[row] as number
      const goLeft =
        bin === missingBin
          ? node.missingLeft
          : node.categories
            ? inBitset(node.categories, bin)
            : bin <= node.binThreshold
      node = nodes[goLeft ? node.left : node.right] as GrownNode
    }
    out[row] = (out[row] as number) + node.value
  }
}
