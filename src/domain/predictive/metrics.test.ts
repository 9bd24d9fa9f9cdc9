import { describe, expect, it } from 'vitest'
import { auc, brier, calibrationBins, gains, logLoss } from './metrics.ts'

const labels = (...values: number[]) => Uint8Array.from(values)

describe('auc', () => {
  it('is the share of positive–negative pairs ranked the right way', () => {
    // Positives 0.35 and 0.8 against negatives 0.1 and 0.4: 0.35 > 0.1, 0.8 > both → 3 of 4 pairs.
    expect(auc([0.1, 0.4, 0.35, 0.8], labels(0, 0, 1, 1))).toBeCloseTo(0.75, 12)
    expect(auc([1, 2, 3, 4], labels(0, 0, 1, 1))).toBe(1)
    expect(auc([4, 3, 2, 1], labels(0, 0, 1, 1))).toBe(0)
  })

  it('gives ties half credit', () => {
    // Positive 0.5 ties both negatives (½ + ½), positive 0.9 beats both (2) → 3 of 4.
    expect(auc([0.5, 0.5, 0.5, 0.9], labels(1, 0, 0, 1))).toBeCloseTo(0.75, 12)
    expect(auc([7, 7, 7, 7], labels(1, 0, 1, 0))).toBe(0.5)
  })

  it('is NaN when a class is absent, and ranks NaN scores lowest', () => {
    expect(auc([0.2, 0.3], labels(1, 1))).toBeNaN()
    expect(auc([], labels())).toBeNaN()
    expect(auc([Number.NaN, 0.1], labels(0, 1))).toBe(1)
  })

  it('rejects scores and labels of different lengths', () => {
    expect(() => auc([0.1], labels(0, 1))).toThrow(/differ in length/)
  })
})

describe('logLoss and brier', () => {
  it('average the per-row loss', () => {
    expect(logLoss([0.8, 0.4], labels(1, 0))).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 12)
    expect(brier([0.8, 0.4], labels(1, 0))).toBeCloseTo((0.04 + 0.16) / 2, 12)
  })

  it('stays finite for certain but wrong probabilities', () => {
    expect(logLoss([0, 1], labels(1, 0))).toBeCloseTo(-Math.log(1e-15), 2)
    expect(brier([0, 1], labels(1, 0))).toBe(1)
  })
})

describe('calibrationBins', () => {
  it('groups rows into equal-width bins, omitting empty ones', () => {
    const bins = calibrationBins([0.05, 0.15, 0.12, 0.95, 1], labels(0, 1, 0, 1, 1))
    expect(bins).toHaveLength(3)
    expect(bins[0]).toEqual({ lower: 0, upper: 0.1, predicted: 0.05, observed: 0, count: 1 })
    expect(bins[1]).toMatchObject({ lower: 0.1, upper: 0.2, observed: 0.5, count: 2 })
    expect(bins[1]?.predicted).toBeCloseTo(0.135, 12)
    // 1.0 falls in the last bin, not an eleventh.
    expect(bins[2]).toMatchObject({ lower: 0.9, upper: 1, observed: 1, count: 2 })
    expect(bins[2]?.predicted).toBeCloseTo(0.975, 12)
  })

  it('takes the number of bins', () => {
    const bins = calibrationBins([0.1, 0.6, 0.7], labels(0, 1, 0), 2)
    expect(bins.map((b) => [b.lower, b.upper, b.count])).toEqual([
      [0, 0.5, 1],
      [0.5, 1, 2],
    ])
  })
})

describe('gains', () => {
  it('accumulates the share of positives captured, best scores first', () => {
    const scores = [0.9, 0.1, 0.8, 0.2, 0.7, 0.3, 0.6, 0.4, 0.5, 0.05]
    const y = labels(1, 0, 1, 0, 0, 1, 0, 0, 0, 0)
    // Sorted: 0.9(+) 0.8(+) | 0.7 0.6 | 0.5 0.4 | 0.3(+) 0.2 | 0.1 0.05
    const points = gains(scores, y, 5)
    expect(points.map((p) => p.share)).toEqual([0.2, 0.4, 0.6, 0.8, 1])
    expect(points.map((p) => p.captured)).toEqual([2 / 3, 2 / 3, 2 / 3, 1, 1])
    expect(points[0]?.lift).toBeCloseTo(2 / 3 / 0.2, 12)
    expect(points[4]?.lift).toBe(1)
  })

  it('keeps row order among ties', () => {
    expect(gains([5, 5, 5, 5], labels(1, 0, 0, 0), 4).map((p) => p.captured)).toEqual([1, 1, 1, 1])
    expect(gains([5, 5, 5, 5], labels(0, 0, 0, 1), 4).map((p) => p.captured)).toEqual([0, 0, 0, 1])
  })

  it('captures nothing (not NaN) without positives', () => {
    expect(gains([0.3, 0.2], labels(0, 0), 2)).toEqual([
      { share: 0.5, captured: 0, lift: 0 },
      { share: 1, captured: 0, lift: 0 },
    ])
  })
})
