import { describe, expect, it } from 'vitest'
import { makeRandom } from '../random.ts'
import { applyPlatt, fitPlatt } from './calibration.ts'

/** A seeded generator (mulberry32), the learners' own. */
const random = makeRandom

describe('fitPlatt', () => {
  it("uses Platt's smoothed targets, so separated data gives finite parameters", () => {
    // Targets (1+1)/(1+2)… here 2 positives → 3/4, 2 negatives → 1/4; σ(a + b) = 3/4 and
    // σ(−a + b) = 1/4 give b = 0 and a = ln 3.
    const platt = fitPlatt([-1, -1, 1, 1], Uint8Array.from([0, 0, 1, 1]))
    expect(platt.a).toBeCloseTo(Math.log(3), 6)
    expect(platt.b).toBeCloseTo(0, 6)
  })

  it('recovers the slope and offset of a miscalibrated score', () => {
    const next = random(7)
    const n = 20_000
    const margins = new Float64Array(n)
    const y = new Uint8Array(n)
    for (let i = 0; i < n; i++) {
      const m = next() * 8 - 4
      margins[i] = m
      y[i] = next() < 1 / (1 + Math.exp(-(2 * m - 1))) ? 1 : 0
    }
    const platt = fitPlatt(margins, y)
    expect(platt.a).toBeGreaterThan(1.85)
    expect(platt.a).toBeLessThan(2.15)
    expect(platt.b).toBeGreaterThan(-1.15)
    expect(platt.b).toBeLessThan(-0.85)
  })

  it('gives a constant probability near the base rate when the margins say nothing', () => {
    // Platt's targets for 1 positive of 4: 2/3 and 1/5 → mean (2/3 + 3/5) / 4 = 19/60.
    const platt = fitPlatt([0, 0, 0, 0], Uint8Array.from([1, 0, 0, 0]))
    expect(applyPlatt(platt, 0)).toBeCloseTo(19 / 60, 6)
  })
})

describe('applyPlatt', () => {
  it('maps margins to probabilities without overflow', () => {
    expect(applyPlatt({ a: Math.log(3), b: 0 }, 1)).toBeCloseTo(0.75, 12)
    expect(applyPlatt({ a: 1, b: 0 }, 1000)).toBe(1)
    expect(applyPlatt({ a: 1, b: 0 }, -1000)).toBe(0)
  })
})
