import { describe, expect, it } from 'vitest'
import { makeRandom } from '../random.ts'
import type { Feature, Frame } from './frame.ts'
import { loadLogistic, trainLogistic } from './logistic.ts'
import { loadModel, type TrainedModel } from './model.ts'

/** A seeded generator (mulberry32), the learners' own. */
const random = makeRandom

const num = (name: string, values: number[]): Feature => ({
  name,
  kind: 'numeric',
  values: Float64Array.from(values),
})
const cat = (name: string, levels: string[], values: (string | null)[]): Feature => ({
  name,
  kind: 'categorical',
  levels,
  codes: Int32Array.from(values, (v) => (v === null ? -1 : levels.indexOf(v))),
})
const sigmoid = (m: number) => 1 / (1 + Math.exp(-m))

/** A mixed frame where the outcome depends on x (numeric), plan (categorical) and noise. */
function mixedData(n: number, seed: number, levels = ['free', 'pro', 'team']) {
  const next = random(seed)
  const x: number[] = []
  const noise: number[] = []
  const plan: string[] = []
  const y = new Uint8Array(n)
  const effect = levels.map((_, l) => (l % 3) - 1)
  for (let i = 0; i < n; i++) {
    x.push(next() * 10 + 5)
    noise.push(next())
    const l = Math.floor(next() * levels.length)
    plan.push(levels[l] as string)
    y[i] = next() < sigmoid(0.4 * ((x[i] as number) - 10) + (effect[l] as number)) ? 1 : 0
  }
  const frame: Frame = {
    rows: n,
    features: [num('x', x), cat('plan', levels, plan), num('noise', noise)],
  }
  return { frame, y }
}

/** Stationarity of the objective mean log-loss + ½‖w‖²/(C·n): the gradient must vanish. */
function expectOptimal(model: TrainedModel, frame: Frame, y: Uint8Array, C: number, tol: number) {
  const n = frame.rows
  const margins = model.margins(frame)
  const residual = Array.from(margins, (m, i) => sigmoid(m) - (y[i] as number))
  // Intercept (not penalised): Σ residuals = 0.
  expect(Math.abs(residual.reduce((a, b) => a + b, 0) / n)).toBeLessThan(tol)
  frame.features.forEach((feature) => {
    const contribution = (i: number) =>
      model.explain(frame, i).contributions.find((c) => c.feature === feature.name)
        ?.contribution as number
    if (feature.kind === 'numeric') {
      // contribution = w·z with z standardised (Σz² = n): Σ r·c/n + w²/(C·n) = 0, w² = Σc²/n.
      let rc = 0
      let cc = 0
      for (let i = 0; i < n; i++) {
        const c = contribution(i)
        rc += (residual[i] as number) * c
        cc += c * c
      }
      expect(Math.abs(rc / n + cc / n / (C * n))).toBeLessThan(tol)
      return
    }
    // Each level: Σ over its rows r/n + w_level/(C·n) = 0.
    feature.levels.forEach((_, level) => {
      const rows = [...feature.codes.keys()].filter((i) => feature.codes[i] === level)
      if (rows.length === 0) return
      const w = contribution(rows[0] as number)
      const g = rows.reduce((s, i) => s + (residual[i] as number), 0) / n + w / (C * n)
      expect(Math.abs(g)).toBeLessThan(tol)
    })
  })
}

describe('trainLogistic', () => {
  it('finds the log-odds of each category (nearly unpenalised)', () => {
    // a: 3 of 4 converted → log-odds ln 3; b: 1 of 4 → −ln 3. The optimum splits them evenly
    // around a zero intercept.
    const frame: Frame = {
      rows: 8,
      features: [cat('plan', ['a', 'b'], ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b'])],
    }
    const y = Uint8Array.from([1, 1, 1, 0, 1, 0, 0, 0])
    const model = trainLogistic(frame, y, { C: 1e6 })
    const margins = model.margins(frame)
    expect(margins[0]).toBeCloseTo(Math.log(3), 4)
    expect(margins[7]).toBeCloseTo(-Math.log(3), 4)
    const explained = model.explain(frame, 0)
    expect(explained.bias).toBeCloseTo(0, 4)
    expect(explained.contributions).toEqual([
      { feature: 'plan', value: 'a', contribution: expect.closeTo(Math.log(3), 4) },
    ])
  })

  it('standardises numerics with the training mean and standard deviation', () => {
    // x = ±1 (mean 0, sd 1): 4 of 5 converted at +1, 1 of 5 at −1 → margin = ln 4 · x.
    const x = [1, 1, 1, 1, 1, -1, -1, -1, -1, -1]
    const y = Uint8Array.from([1, 1, 1, 1, 0, 1, 0, 0, 0, 0])
    const model = trainLogistic({ rows: 10, features: [num('x', x)] }, y, { C: 1e6 })
    const margins = model.margins({ rows: 3, features: [num('x', [1, -1, 3])] })
    expect(margins[0]).toBeCloseTo(Math.log(4), 4)
    expect(margins[1]).toBeCloseTo(-Math.log(4), 4)
    expect(margins[2]).toBeCloseTo(3 * Math.log(4), 4)
  })

  it("reaches scikit-learn's optimum (C = 1): the penalised gradient vanishes", () => {
    const { frame, y } = mixedData(3000, 1)
    const model = trainLogistic(frame, y)
    expectOptimal(model, frame, y, 1, 1e-7)
  })

  it('converges with many categories too (the L-BFGS path)', () => {
    const levels = Array.from({ length: 700 }, (_, i) => `city ${i}`)
    const { frame, y } = mixedData(6000, 2, levels)
    const model = trainLogistic(frame, y)
    expectOptimal(model, frame, y, 1, 1e-5)
  })

  it('gives a row missing a numeric the training mean (contribution 0) when training had none', () => {
    const { frame, y } = mixedData(500, 3)
    const model = trainLogistic(frame, y)
    const scoring: Frame = {
      rows: 1,
      features: [num('x', [Number.NaN]), cat('plan', ['unheard of'], ['unheard of'])],
    }
    const explained = model.explain(scoring, 0)
    // Unknown level and no missing level in training → 0; absent column "noise" → 0 too.
    expect(explained.contributions.map((c) => c.contribution)).toEqual([0, 0, 0])
    expect(explained.contributions.map((c) => c.value)).toEqual([null, 'unheard of', null])
    expect(model.margins(scoring)[0]).toBe(explained.bias)
  })

  it('learns the effect of a missing value when training rows had some', () => {
    // Missing x converts (3 of 3), present x does not (0 of 3 at 1 and 2).
    const frame: Frame = {
      rows: 6,
      features: [num('x', [Number.NaN, Number.NaN, Number.NaN, 1, 2, 1])],
    }
    const model = trainLogistic(frame, Uint8Array.from([1, 1, 1, 0, 0, 0]))
    const [missing, present] = [model.explain(frame, 0), model.explain(frame, 3)]
    expect(missing.contributions[0]?.contribution).toBeGreaterThan(0.5)
    expect(missing.contributions[0]?.value).toBeNull()
    expect(model.margins(frame)[0]).toBeGreaterThan(model.margins(frame)[3] as number)
    expect(present.contributions).toHaveLength(1)
  })

  it('stays finite on huge values', () => {
    const { frame, y } = mixedData(200, 8)
    const huge = num(
      'huge',
      Array.from({ length: 200 }, (_, i) => (i % 2 ? 1e308 : -1.7e308)),
    )
    const model = trainLogistic({ rows: 200, features: [...frame.features, huge] }, y)
    const margins = model.margins({ rows: 200, features: [...frame.features, huge] })
    expect(margins.every(Number.isFinite)).toBe(true)
  })

  it('explains every margin exactly, largest contributions first', () => {
    const { frame, y } = mixedData(400, 4)
    const model = trainLogistic(frame, y)
    const margins = model.margins(frame)
    for (const row of [0, 17, 399]) {
      const { bias, contributions } = model.explain(frame, row)
      expect(contributions.map((c) => c.feature).sort()).toEqual(['noise', 'plan', 'x'])
      const sum = contributions.reduce((s, c) => s + c.contribution, bias)
      expect(Math.abs(sum - (margins[row] as number))).toBeLessThan(1e-9)
      const sizes = contributions.map((c) => Math.abs(c.contribution))
      expect(sizes).toEqual([...sizes].sort((a, b) => b - a))
    }
    expect(() => model.explain(frame, 400)).toThrow(/row 400/)
  })

  it('ranks importance by mean |contribution|, summing to 1', () => {
    const { frame, y } = mixedData(2000, 5)
    const importance = trainLogistic(frame, y).importance()
    expect(importance.map((f) => f.feature)).toEqual(['x', 'plan', 'noise'])
    expect(importance.reduce((s, f) => s + f.importance, 0)).toBeCloseTo(1, 12)
    expect(importance.every((f) => f.importance >= 0)).toBe(true)
  })

  it('round-trips through JSON with identical margins', () => {
    const { frame, y } = mixedData(300, 6)
    const model = trainLogistic(frame, y)
    const json = JSON.parse(JSON.stringify(model.toJSON()))
    expect(json.kind).toBe('logistic')
    expect(Array.from(loadModel(json).margins(frame))).toEqual(Array.from(model.margins(frame)))
    expect(loadLogistic(json).importance()).toEqual(model.importance())
  })

  it('rejects labels with one class, bad C and malformed JSON', () => {
    const { frame } = mixedData(10, 7)
    expect(() => trainLogistic(frame, new Uint8Array(10))).toThrow(/both classes/)
    expect(() => trainLogistic(frame, new Uint8Array(10).fill(1))).toThrow(/both classes/)
    expect(() => trainLogistic(frame, Uint8Array.from([1, 0]))).toThrow(/labels: 2, expected 10/)
    expect(() =>
      trainLogistic(frame, Uint8Array.from([1, 0, 1, 0, 1, 0, 1, 0, 1, 0]), { C: 0 }),
    ).toThrow(/C: a positive number/)
    expect(() => loadLogistic({ kind: 'gbm' })).toThrow(/malformed/)
    expect(() => loadModel({ kind: 'forest' })).toThrow(/unknown kind "forest"/)
  })
})
