import { makeRandom } from '../random.ts'
import type { Frame } from './frame.ts'
import { binFrame, fitBinMapper } from './gbm-bins.ts'
import { check, type GbmFeature, type GbmJson, GbmModel, type TreeJson } from './gbm-model.ts'
import { addTreeBinned, type GrownNode, TreeGrower } from './gbm-tree.ts'
import type { TrainedModel } from './model.ts'

/** Options of trainGbm; defaults are scikit-learn's HistGradientBoostingClassifier's (maxIter aside). */
export interface GbmOptions {
  learningRate?: number
  maxIter?: number
  maxLeafNodes?: number
  minSamplesLeaf?: number
  l2?: number
  maxBins?: number
  /** 'auto': on when there are more than 10,000 rows. */
  earlyStopping?: boolean | 'auto'
  validationFraction?: number
  nIterNoChange?: number
  tol?: number
  seed?: number
}

function sigmoidLogLoss(raw: Float64Array, y: Uint8Array): number {
  let total = 0
  for (let i = 0; i < raw.length; i++) {
    const r = raw[i] as number
    total += Math.log1p(Math.exp(-Math.abs(r))) + Math.max(r, 0) - (y[i] as number) * r
  }
  return total / Math.max(raw.length, 1)
}

/** Stratified train/validation split of row indices, shuffled by the seeded generator. */
function splitRows(y: Uint8Array, fraction: number, random: () => number) {
  const train: number[] = []
  const validation: number[] = []
  for (const label of [0, 1]) {
    const rows: number[] = []
    for (let i = 0; i < y.length; i++) if (y[i] === label) rows.push(i)
    for (let i = rows.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      const swap = rows[i] as number
      rows[i] = rows[j] as number
      rows[j] = swap
    }
    const size = Math.round(rows.length * fraction)
    for (let i = 0; i < rows.length; i++) (i < size ? validation : train).push(rows[i] as number)
  }
  const sorted = (rows: number[]) => Int32Array.from(rows).sort()
  return { train: sorted(train), validation: sorted(validation) }
}

/** scikit-learn's rule: stop when none of the last n scores beat the one before them by tol. */
function shouldStop(losses: number[], n: number, tol: number): boolean {
  if (losses.length < n + 1) return false
  const reference = losses[losses.length - n - 1] as number
  for (let i = losses.length - n; i < losses.length; i++) {
    if ((losses[i] as number) < reference - tol) return false
  }
  return true
}

/**
 * Trains a histogram gradient-boosted tree classifier (binary log loss) like scikit-learn's
 * HistGradientBoostingClassifier: quantile bins, categorical partitions, learned missing direction,
 * leaf-wise trees with Newton leaf values, early stopping on a stratified validation share.
 */
export function trainGbm(frame: Frame, y: Uint8Array, opts: GbmOptions = {}): TrainedModel {
  const learningRate = opts.learningRate ?? 0.1
  const maxIter = opts.maxIter ?? 300
  const maxLeafNodes = opts.maxLeafNodes ?? 31
  const minSamplesLeaf = opts.minSamplesLeaf ?? 20
  const l2 = opts.l2 ?? 0
  const maxBins = opts.maxBins ?? 255
  const validationFraction = opts.validationFraction ?? 0.1
  const nIterNoChange = opts.nIterNoChange ?? 10
  const tol = opts.tol ?? 1e-7
  check(learningRate > 0, 'learningRate must be positive')
  check(Number.isInteger(maxIter) && maxIter >= 1, 'maxIter must be a positive integer')
  check(Number.isInteger(maxLeafNodes) && maxLeafNodes >= 2, 'maxLeafNodes must be at least 2')
  check(Number.isInteger(minSamplesLeaf) && minSamplesLeaf >= 1, 'minSamplesLeaf must be ≥ 1')
  check(l2 >= 0, 'l2 must be ≥ 0')
  check(Number.isInteger(maxBins) && maxBins >= 2 && maxBins <= 255, 'maxBins must be 2-255')
  check(validationFraction > 0 && validationFraction < 1, 'validationFraction must be in (0, 1)')
  check(Number.isInteger(nIterNoChange) && nIterNoChange >= 1, 'nIterNoChange must be ≥ 1')
  check(y.length === frame.rows, `${y.length} targets for ${frame.rows} rows`)
  check(frame.features.length > 0, 'the frame has no features')
  let positives = 0
  for (let i = 0; i < y.length; i++) {
    check(y[i] === 0 || y[i] === 1, `target of row ${i} is ${y[i]}, expected 0 or 1`)
    positives += y[i] as number
  }
  check(
    positives > 0 && positives < y.length,
    `the target has a single class (${positives} positives of ${y.length} rows); both are needed`,
  )
  const random = makeRandom(opts.seed ?? 42)
  const early = opts.earlyStopping ?? 'auto'
  const isEarly = early === 'auto' ? frame.rows > 10_000 : early
  const split = isEarly
    ? splitRows(y, validationFraction, random)
    : { train: Int32Array.from({ length: frame.rows }, (_, i) => i), validation: new Int32Array(0) }

  const mapper = fitBinMapper(frame, split.train, maxBins, random)
  const trainBins = binFrame(frame, mapper, split.train)
  const validationBins = binFrame(frame, mapper, split.validation)
  const yTrain = Uint8Array.from(split.train, (row) => y[row] as number)
  const yValidation = Uint8Array.from(split.validation, (row) => y[row] as number)
  let trainPositives = 0
  for (const label of yTrain) trainPositives += label
  check(
    trainPositives > 0 && trainPositives < yTrain.length,
    'the training part has a single class',
  )
  const prior = trainPositives / yTrain.length
  const baseline = Math.log(prior / (1 - prior))

  const raw = new Float64Array(yTrain.length).fill(baseline)
  const rawValidation = new Float64Array(yValidation.length).fill(baseline)
  const g = new Float64Array(yTrain.length)
  const h = new Float64Array(yTrain.length)
  const isCategorical = frame.features.map((feature) => feature.kind === 'categorical')
  const grower = new TreeGrower(trainBins, mapper.bins, isCategorical, {
    maxLeafNodes,
    minSamplesLeaf,
    l2,
    learningRate,
  })
  const trees: GrownNode[][] = []
  const losses = [sigmoidLogLoss(rawValidation, yValidation)]
  for (let iteration = 0; iteration < maxIter; iteration++) {
    for (let i = 0; i < raw.length; i++) {
      const p = 1 / (1 + Math.exp(-(raw[i] as number)))
      g[i] = p - (yTrain[i] as number)
      h[i] = p * (1 - p)
    }
    const nodes = grower.grow(g, h, raw)
    trees.push(nodes)
    if (nodes.length === 1) break
    if (isEarly) {
      addTreeBinned(nodes, validationBins, rawValidation)
      losses.push(sigmoidLogLoss(rawValidation, yValidation))
      if (shouldStop(losses, nIterNoChange, tol)) break
    }
  }

  const gains = new Array<number>(frame.features.length).fill(0)
  const treeJson = trees.map((nodes): TreeJson => {
    for (const node of nodes) {
      if (node.feature >= 0) gains[node.feature] = (gains[node.feature] as number) + node.gain
    }
    return {
      feature: nodes.map((node) => node.feature),
      threshold: nodes.map((node) => {
        if (node.feature < 0 || node.categories) return 0
        const thresholds = mapper.thresholds[node.feature] as Float64Array
        // The split "every non-missing value left" has no threshold above it.
        return thresholds[node.binThreshold] ?? Number.MAX_VALUE
      }),
      left: nodes.map((node) => node.left),
      right: nodes.map((node) => node.right),
      missingLeft: nodes.map((node) => (node.missingLeft ? 1 : 0)),
      categories: nodes.map((node) => {
        if (!node.categories) return null
        const codes: number[] = []
        for (let code = 0; code < 256; code++) {
          if (((node.categories[code >>> 5] as number) & (1 << (code & 31))) !== 0) codes.push(code)
        }
        return codes
      }),
      value: nodes.map((node) => node.value),
    }
  })
  const features = frame.features.map(
    (feature): GbmFeature =>
      feature.kind === 'numeric'
        ? { name: feature.name, kind: 'numeric' }
        : { name: feature.name, kind: 'categorical', levels: [...feature.levels] },
  )
  return new GbmModel({ kind: 'gbm', version: 1, features, baseline, gains, trees: treeJson })
}

/** Rebuilds a trained model from its toJSON(). */
export function loadGbm(json: unknown): TrainedModel {
  const model = json as Partial<GbmJson> | null
  check(
    typeof model === 'object' && model !== null && model.kind === 'gbm' && model.version === 1,
    'not a gbm model (kind "gbm", version 1)',
  )
  const valid = model as GbmJson
  check(
    Array.isArray(valid.features) && Array.isArray(valid.trees),
    'model without features or trees',
  )
  check(typeof valid.baseline === 'number', 'model without a baseline')
  check(
    Array.isArray(valid.gains) && valid.gains.length === valid.features.length,
    'model gains do not match its features',
  )
  for (const [t, tree] of valid.trees.entries()) {
    const size = Array.isArray(tree?.value) ? tree.value.length : 0
    const keys = ['feature', 'threshold', 'left', 'right', 'missingLeft', 'categories'] as const
    check(
      size > 0 && keys.every((key) => Array.isArray(tree[key]) && tree[key].length === size),
      `tree ${t} is malformed`,
    )
  }
  return new GbmModel(valid)
}
