import { describe, expect, it } from 'vitest'
import { makeRandom } from '../random.ts'
import { type Feature, type Frame, schemaOf } from './frame.ts'
import {
  loadCalibratedModel,
  probabilities,
  serializeModel,
  topFactors,
  trainAndSelect,
} from './select.ts'

/** A seeded generator (mulberry32), the learners' own. */
const random = makeRandom

/** Leads oldest first: visits (numeric), industry (categorical) and noise decide conversion. */
function leads(n: number, seed: number) {
  const next = random(seed)
  const industries = ['software', 'retail', 'health', 'energy']
  const effect = [1, -1, 0.5, -0.5]
  const visits = new Float64Array(n)
  const noise = new Float64Array(n)
  const codes = new Int32Array(n)
  const y = new Uint8Array(n)
  const truth = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    visits[i] = Math.floor(next() * 20)
    noise[i] = next()
    codes[i] = Math.floor(next() * industries.length)
    const m = 0.25 * ((visits[i] as number) - 12) + (effect[codes[i] as number] as number)
    truth[i] = 1 / (1 + Math.exp(-m))
    y[i] = next() < (truth[i] as number) ? 1 : 0
  }
  const features: Feature[] = [
    { name: 'visits', kind: 'numeric', values: visits },
    { name: 'industry', kind: 'categorical', codes, levels: industries },
    { name: 'noise', kind: 'numeric', values: noise },
  ]
  const frame: Frame = { rows: n, features }
  return { frame, schema: schemaOf(frame), y, truth }
}

const sum = (values: ArrayLike<number>) => Array.from(values).reduce((a, b) => a + b, 0)

describe('trainAndSelect', () => {
  const { frame, schema, y } = leads(2000, 11)
  const holdoutY = y.slice(1600)
  const { model, report } = trainAndSelect(frame, schema, y, { baseline: y })

  it('splits by time: oldest 70 % train, next 10 % calibrate, newest 20 % measure', () => {
    expect(report.sizes).toEqual({
      train: 1400,
      calibration: 200,
      holdout: 400,
      positives: sum(y),
      holdoutPositives: sum(holdoutY),
    })
  })

  it('chooses the learner with the higher holdout AUC and reports both', () => {
    const { logistic, gbm } = report.learners
    expect(report.chosen).toBe(gbm.auc > logistic.auc ? 'gbm' : 'logistic')
    expect(report.holdout.auc).toBe(report.learners[report.chosen].auc)
    expect(model.learner.kind).toBe(report.chosen)
    for (const learner of [logistic, gbm]) {
      expect(learner.auc).toBeGreaterThan(0.75)
      expect(learner.logLoss).toBeGreaterThan(0)
      expect(learner.brier).toBeLessThan(0.25)
    }
    expect(report.importance[0]?.feature).toBe('visits')
    expect(sum(report.importance.map((f) => f.importance))).toBeCloseTo(1, 9)
  })

  it('measures the baseline on the same holdout', () => {
    // The outcome itself as a baseline ranks perfectly and captures the conversions first.
    expect(report.holdout.baselineAuc).toBe(1)
    const positives = sum(holdoutY)
    expect(report.holdout.gains.map((g) => g.baseline)).toEqual(
      report.holdout.gains.map((g) => Math.min(1, (g.share * 400) / positives)),
    )
    const constant = trainAndSelect(frame, schema, y, { baseline: new Float64Array(2000) })
    expect(constant.report.holdout.baselineAuc).toBe(0.5)
    const none = trainAndSelect(frame, schema, y)
    expect(none.report.holdout.baselineAuc).toBeNull()
    expect(none.report.holdout.gains.every((g) => g.baseline === null)).toBe(true)
  })

  it('reports calibration bins and gains over the whole holdout', () => {
    expect(sum(report.holdout.calibration.map((b) => b.count))).toBe(400)
    expect(report.holdout.gains.map((g) => g.share)).toEqual([
      0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1,
    ])
    expect(report.holdout.gains.at(-1)?.model).toBe(1)
    // Better than random: the top 30 % of scores hold more than 30 % of the conversions.
    expect(report.holdout.gains[2]?.model).toBeGreaterThan(0.45)
  })

  it('gives calibrated probabilities, close to the true ones', () => {
    const big = leads(10_000, 12)
    const trained = trainAndSelect(big.frame, big.schema, big.y)
    const holdout: Frame = {
      rows: 2000,
      features: big.frame.features.map((f) =>
        f.kind === 'numeric'
          ? { ...f, values: f.values.slice(8000) }
          : { ...f, codes: f.codes.slice(8000) },
      ),
    }
    const probs = probabilities(trained.model, holdout)
    const truth = big.truth.slice(8000)
    expect(Math.abs(sum(probs) / 2000 - sum(truth) / 2000)).toBeLessThan(0.02)
    const error = sum(probs.map((p, i) => Math.abs(p - (truth[i] as number)))) / 2000
    expect(error).toBeLessThan(0.06)
  })

  it('serialises to JSON and back with identical probabilities', () => {
    const json = JSON.parse(JSON.stringify(serializeModel(model)))
    const loaded = loadCalibratedModel(json)
    expect(Array.from(probabilities(loaded, frame))).toEqual(
      Array.from(probabilities(model, frame)),
    )
    expect(loaded.schema).toEqual(schema)
    expect(() => loadCalibratedModel({ version: 2 })).toThrow(/malformed/)
  })

  it('lists the top factors of a row, largest first, sign kept', () => {
    const factors = topFactors(model, frame, 5, 2)
    expect(factors.length).toBeLessThanOrEqual(2)
    const all = model.learner.explain(frame, 5).contributions.filter((c) => c.contribution !== 0)
    expect(factors).toEqual(all.slice(0, 2))
    expect(topFactors(model, frame, 5).length).toBeLessThanOrEqual(3)
  })

  it('refuses a split without both classes, naming it', () => {
    const late = Uint8Array.from(y)
    late.fill(0, 1600)
    expect(() => trainAndSelect(frame, schema, late)).toThrow(
      'the holdout (newest 20 % of the leads) has no conversions: a model cannot be trained',
    )
    const early = Uint8Array.from(y)
    early.fill(1, 0, 1400)
    expect(() => trainAndSelect(frame, schema, early)).toThrow(/training set .* only conversions/)
    expect(() => trainAndSelect(frame, schema, y.slice(1))).toThrow(/labels: 1999, expected 2000/)
  })
})
