import { describe, expect, it } from 'vitest'
import { makeRandom } from '../random.ts'
import type { Feature, Frame } from './frame.ts'
import { loadGbm, trainGbm } from './gbm.ts'
import { loadModel } from './model.ts'

const numeric = (name: string, values: number[]): Feature => ({
  name,
  kind: 'numeric',
  values: Float64Array.from(values),
})
const categorical = (name: string, levels: string[], codes: number[]): Feature => ({
  name,
  kind: 'categorical',
  levels,
  codes: Int32Array.from(codes),
})
const frameOf = (...features: Feature[]): Frame => ({
  rows: features[0]
    ? (features[0].kind === 'numeric' ? features[0].values : features[0].codes).length
    : 0,
  features,
})
/** One split, no shrinkage: the single tree's leaves are the Newton steps, easy to compute by hand. */
const stump = { maxIter: 1, maxLeafNodes: 2, minSamplesLeaf: 1, learningRate: 1 }

describe('trainGbm on hand-computed stumps', () => {
  it('splits a numeric feature at the midpoint with Newton leaf values', () => {
    // baseline log(2/2) = 0, p = ½: g = ±½, h = ¼; left {1,2}: −(½+½)/(¼+¼) = −2, right +2.
    const model = trainGbm(
      frameOf(numeric('x', [1, 2, 3, 4])),
      Uint8Array.from([0, 0, 1, 1]),
      stump,
    )
    expect(Array.from(model.margins(frameOf(numeric('x', [1, 2, 3, 4]))))).toEqual([-2, -2, 2, 2])
    // Threshold is the midpoint 2.5; a missing value unseen in training follows the larger child
    // (a tie here: left).
    const probe = frameOf(numeric('x', [2.5, 2.6, Number.NaN]))
    expect(Array.from(model.margins(probe))).toEqual([-2, 2, -2])
    expect(model.importance()).toEqual([{ feature: 'x', importance: 1 }])
  })

  it('groups categories by their gradient ratio', () => {
    // 10 rows each of a (y=1), b (y=0), c (y=1): baseline ln 2, p = ⅔, h = 2/9.
    // Left {a, c}: G = 20·(−⅓), H = 20·2/9 → +1.5; right {b}: G = 10·⅔, H = 10·2/9 → −3.
    const codes = [...Array(10).fill(0), ...Array(10).fill(1), ...Array(10).fill(2)]
    const y = Uint8Array.from(codes, (code) => (code === 1 ? 0 : 1))
    const model = trainGbm(frameOf(categorical('plan', ['a', 'b', 'c'], codes)), y, stump)
    const margins = model.margins(frameOf(categorical('plan', ['a', 'b', 'c'], [0, 1, 2, -1])))
    expect(margins[0]).toBeCloseTo(Math.LN2 + 1.5, 10)
    expect(margins[1]).toBeCloseTo(Math.LN2 - 3, 10)
    expect(margins[2]).toBeCloseTo(Math.LN2 + 1.5, 10)
    // No missing plan in training: missing follows the larger child, {a, c}.
    expect(margins[3]).toBeCloseTo(Math.LN2 + 1.5, 10)
  })

  it('learns which side missing values go to', () => {
    const xs = [0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9, Number.NaN, Number.NaN]
    const probe = frameOf(numeric('x', [0.2, 0.8, Number.NaN]))
    // Missing rows convert like high values → they go right with them.
    const high = trainGbm(
      frameOf(numeric('x', xs)),
      Uint8Array.from([0, 0, 0, 0, 1, 1, 1, 1, 1, 1]),
      stump,
    ).margins(probe)
    expect(high[2]).toBe(high[1])
    expect(high[2]).not.toBe(high[0])
    // Missing rows convert like low values → they go left with them.
    const low = trainGbm(
      frameOf(numeric('x', xs)),
      Uint8Array.from([1, 1, 1, 1, 0, 0, 0, 0, 1, 1]),
      stump,
    ).margins(probe)
    expect(low[2]).toBe(low[0])
    expect(low[2]).not.toBe(low[1])
  })

  it('sends missing values left even when the top bins are smaller than a leaf', () => {
    // x = 0…39 (one row per bin) and 10 missing; y = 1 below 20 and when missing.
    // Left {x < 20, missing}: 30 rows, right 20 rows; baseline ln 1.5, p = 0.6, h = 0.24:
    // left −(30·−0.4)/(30·0.24) = 5/3, right −(20·0.6)/(20·0.24) = −2.5.
    const xs = [...Array.from({ length: 40 }, (_, i) => i), ...Array(10).fill(Number.NaN)]
    const y = Uint8Array.from(xs, (x) => (Number.isNaN(x) || x < 20 ? 1 : 0))
    const model = trainGbm(frameOf(numeric('x', xs)), y, { ...stump, minSamplesLeaf: 5 })
    const [low, high, missing] = model.margins(frameOf(numeric('x', [5, 30, Number.NaN])))
    expect(low).toBeCloseTo(Math.log(1.5) + 5 / 3, 10)
    expect(high).toBeCloseTo(Math.log(1.5) - 2.5, 10)
    expect(missing).toBeCloseTo(Math.log(1.5) + 5 / 3, 10)
  })

  it('explains a row: contributions and bias add up to the margin', () => {
    const model = trainGbm(
      frameOf(numeric('x', [1, 2, 3, 4])),
      Uint8Array.from([0, 0, 1, 1]),
      stump,
    )
    expect(model.explain(frameOf(numeric('x', [1, 2, 3, 4])), 3)).toEqual({
      bias: 0,
      contributions: [{ feature: 'x', value: 4, contribution: 2 }],
    })
  })
})

/** Synthetic leads: an interaction (x1 > 0 xor x2 > 0), a categorical effect, a missing signal, noise. */
function synthetic(rows: number, seed: number) {
  const random = makeRandom(seed)
  const levels = ['web', 'event', 'partner', 'ads', 'referral']
  const x1: number[] = []
  const x2: number[] = []
  const noise: number[] = []
  const source: number[] = []
  const visits: number[] = []
  const truth: number[] = []
  const y = new Uint8Array(rows)
  for (let i = 0; i < rows; i++) {
    x1.push(random() * 2 - 1)
    x2.push(random() * 2 - 1)
    noise.push(random())
    source.push(random() < 0.05 ? -1 : Math.floor(random() * levels.length))
    visits.push(random() < 0.3 ? Number.NaN : random() * 10)
    const xor = (x1[i] as number) > 0 !== (x2[i] as number) > 0 ? 2 : -2
    const bySource = source[i] === 1 || source[i] === 4 ? 1.5 : 0
    const missing = Number.isNaN(visits[i]) ? 1 : 0
    const z = xor + bySource + missing - 1
    truth.push(z)
    y[i] = random() < 1 / (1 + Math.exp(-z)) ? 1 : 0
  }
  const frame = frameOf(
    numeric('x1', x1),
    numeric('x2', x2),
    numeric('noise', noise),
    categorical('source', levels, source),
    numeric('visits', visits),
  )
  return { frame, y, truth }
}

/** Share of (positive, negative) pairs ordered correctly by score, ties half (AUC). */
function pairwiseAuc(scores: ArrayLike<number>, truth: ArrayLike<number>): number {
  let good = 0
  let pairs = 0
  for (let i = 0; i < truth.length; i += 7) {
    for (let j = 0; j < truth.length; j += 11) {
      if ((truth[i] as number) <= (truth[j] as number)) continue
      pairs++
      const d = (scores[i] as number) - (scores[j] as number)
      good += d > 0 ? 1 : d === 0 ? 0.5 : 0
    }
  }
  return good / pairs
}

describe('trainGbm on synthetic data', () => {
  const train = synthetic(4000, 1)
  const test = synthetic(2000, 2)
  const model = trainGbm(train.frame, train.y, { earlyStopping: true })

  it('learns the interaction, the categorical effect and the missing signal', () => {
    const margins = model.margins(test.frame)
    // Ranking by the true log-odds (an additive model, blind to the xor, stays below 0.75).
    expect(pairwiseAuc(margins, test.truth)).toBeGreaterThan(0.85)
    const quadrants = frameOf(
      numeric('x1', [0.5, 0.5, -0.5, -0.5]),
      numeric('x2', [0.5, -0.5, 0.5, -0.5]),
      numeric('noise', [0.5, 0.5, 0.5, 0.5]),
      categorical('source', ['web', 'event', 'partner', 'ads', 'referral'], [0, 0, 0, 0]),
      numeric('visits', [5, 5, 5, 5]),
    )
    const [same1, differ1, differ2, same2] = model.margins(quadrants) as unknown as number[]
    expect(Math.min(differ1 as number, differ2 as number)).toBeGreaterThan(
      Math.max(same1 as number, same2 as number) + 1.5,
    )
    const ranks = model.importance().map((entry) => entry.feature)
    expect(ranks.slice(0, 2).sort()).toEqual(['x1', 'x2'])
    expect(ranks.at(-1)).toBe('noise')
    const probe = frameOf(
      numeric('x1', [0.5, 0.5, 0.5, 0.5]),
      numeric('x2', [-0.5, -0.5, -0.5, -0.5]),
      numeric('noise', [0.5, 0.5, 0.5, 0.5]),
      categorical('source', ['web', 'event', 'partner', 'ads', 'referral'], [1, 0, 0, 0]),
      numeric('visits', [5, 5, Number.NaN, 5]),
    )
    const [event, web, webMissing, webAgain] = model.margins(probe)
    expect(event as number).toBeGreaterThan((web as number) + 0.8)
    expect(webMissing as number).toBeGreaterThan((web as number) + 0.5)
    expect(webAgain).toBe(web)
  })

  it('explains every row: one entry per feature, sorted, adding up to the margin', () => {
    const margins = model.margins(test.frame)
    for (const row of [0, 1, 17, 999]) {
      const { bias, contributions } = model.explain(test.frame, row)
      expect(contributions.map((c) => c.feature).sort()).toEqual([
        'noise',
        'source',
        'visits',
        'x1',
        'x2',
      ])
      const sum = contributions.reduce((total, c) => total + c.contribution, bias)
      expect(Math.abs(sum - (margins[row] as number))).toBeLessThan(1e-9)
      const sizes = contributions.map((c) => Math.abs(c.contribution))
      expect(sizes).toEqual([...sizes].sort((a, b) => b - a))
    }
    const source = test.frame.features[3]
    const code = source?.kind === 'categorical' ? (source.codes[0] as number) : -1
    const shown = model.explain(test.frame, 0).contributions.find((c) => c.feature === 'source')
    expect(shown?.value).toBe(
      code < 0 ? null : ['web', 'event', 'partner', 'ads', 'referral'][code],
    )
  })

  it('gives importances that are non-negative, descending and sum to 1', () => {
    const importance = model.importance()
    expect(importance).toHaveLength(5)
    expect(importance.reduce((sum, entry) => sum + entry.importance, 0)).toBeCloseTo(1, 12)
    for (let i = 1; i < importance.length; i++) {
      expect(importance[i]?.importance).toBeLessThanOrEqual(importance[i - 1]?.importance as number)
      expect(importance[i]?.importance).toBeGreaterThanOrEqual(0)
    }
  })

  it('round-trips through JSON with identical margins and explanations', () => {
    const loaded = loadGbm(JSON.parse(JSON.stringify(model.toJSON())))
    expect(loaded.kind).toBe('gbm')
    expect(loaded.margins(test.frame)).toEqual(model.margins(test.frame))
    expect(loaded.explain(test.frame, 5)).toEqual(model.explain(test.frame, 5))
    expect(loaded.importance()).toEqual(model.importance())
    const dispatched = loadModel(JSON.parse(JSON.stringify(model.toJSON())))
    expect(dispatched.margins(test.frame)).toEqual(model.margins(test.frame))
  })

  it('is deterministic for a seed', () => {
    const again = trainGbm(train.frame, train.y, { earlyStopping: true })
    expect(JSON.stringify(again.toJSON())).toBe(JSON.stringify(model.toJSON()))
  })

  it('matches features by name, whatever their order in the frame', () => {
    const reordered: Frame = { rows: test.frame.rows, features: [...test.frame.features].reverse() }
    expect(model.margins(reordered)).toEqual(model.margins(test.frame))
  })

  it('stops early when the validation loss stops improving', () => {
    const noise = synthetic(12_000, 3)
    const y = Uint8Array.from({ length: 12_000 }, (_, i) => (i % 3 === 0 ? 1 : 0))
    const stopped = trainGbm(noise.frame, y) as unknown as { toJSON(): { trees: unknown[] } }
    expect(stopped.toJSON().trees.length).toBeLessThan(40)
    const full = trainGbm(noise.frame, y, { earlyStopping: false, maxIter: 60 })
    expect((full.toJSON() as { trees: unknown[] }).trees.length).toBe(60)
  })
})

describe('trainGbm and loadGbm reject bad input', () => {
  const frame = frameOf(numeric('x', [1, 2, 3, 4]))

  it('rejects a target with a single class', () => {
    expect(() => trainGbm(frame, Uint8Array.from([1, 1, 1, 1]))).toThrow(
      'gbm: the target has a single class (4 positives of 4 rows); both are needed',
    )
  })

  it('rejects targets that do not match the rows, or are not 0/1', () => {
    expect(() => trainGbm(frame, Uint8Array.from([0, 1]))).toThrow('gbm: 2 targets for 4 rows')
    expect(() => trainGbm(frame, Uint8Array.from([0, 1, 2, 0]))).toThrow(
      'gbm: target of row 2 is 2, expected 0 or 1',
    )
  })

  it('rejects out-of-range options', () => {
    const y = Uint8Array.from([0, 0, 1, 1])
    expect(() => trainGbm(frame, y, { maxBins: 256 })).toThrow('gbm: maxBins must be 2-255')
    expect(() => trainGbm(frame, y, { learningRate: 0 })).toThrow('learningRate')
  })

  it('rejects a frame without a trained feature and JSON that is not a gbm model', () => {
    const model = trainGbm(frame, Uint8Array.from([0, 0, 1, 1]), stump)
    expect(() => model.margins(frameOf(numeric('z', [1])))).toThrow(
      'gbm: the frame lacks feature x',
    )
    expect(() => loadGbm({ kind: 'logistic' })).toThrow('gbm: not a gbm model')
    expect(() => loadGbm(null)).toThrow('gbm: not a gbm model')
    const json = JSON.parse(JSON.stringify(model.toJSON()))
    json.trees[0].left.pop()
    expect(() => loadGbm(json)).toThrow('gbm: tree 0 is malformed')
  })
})
