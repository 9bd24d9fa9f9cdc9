import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { markovRemovalEffects } from './markov.ts'
import { type PathSet, PathSetBuilder } from './path-set.ts'

interface Row {
  path: string[]
  conversions: number
  nulls: number
}

function setOf(rows: readonly Row[]): PathSet {
  const builder = new PathSetBuilder()
  for (const row of rows) builder.add(row.path, row.conversions, row.nulls, 0)
  return builder.build()
}

/**
 * The textbook way, written independently: transition probabilities from counted transitions, P(conv)
 * by iterating x ← Q·x + r to convergence, with the removed channel's state worth 0.
 */
function conversionProbability(rows: readonly Row[], removed?: string): number {
  const counts = new Map<string, Map<string, number>>()
  const add = (from: string, to: string, weight: number) => {
    const row = counts.get(from) ?? new Map<string, number>()
    row.set(to, (row.get(to) ?? 0) + weight)
    counts.set(from, row)
  }
  for (const { path, conversions, nulls } of rows) {
    const weight = conversions + nulls
    if (weight === 0) continue
    let previous = '(start)'
    for (const channel of path) {
      add(previous, channel, weight)
      previous = channel
    }
    add(previous, '(conversion)', conversions)
    add(previous, '(null)', nulls)
  }
  let x = new Map<string, number>()
  for (let iteration = 0; iteration < 100_000; iteration++) {
    const next = new Map<string, number>([['(conversion)', 1]])
    for (const [from, row] of counts) {
      if (from === removed) continue
      let total = 0
      let value = 0
      for (const [to, weight] of row) {
        total += weight
        value += weight * (to === removed ? 0 : (x.get(to) ?? 0))
      }
      next.set(from, value / total)
    }
    let change = 0
    for (const [state, value] of next)
      change = Math.max(change, Math.abs(value - (x.get(state) ?? 0)))
    x = next
    if (change < 1e-15) break
  }
  return x.get('(start)') ?? 0
}

const channels = ['a', 'b', 'c', 'd']
const rowArbitrary = fc.record({
  path: fc.array(fc.constantFrom(...channels), { minLength: 1, maxLength: 6 }),
  conversions: fc.integer({ min: 0, max: 5 }),
  nulls: fc.integer({ min: 0, max: 5 }),
})

describe('markovRemovalEffects', () => {
  it('gives the published worked example: removal effects 0.5, 1, 1', () => {
    const result = markovRemovalEffects(
      setOf([
        { path: ['C1', 'C2', 'C3'], conversions: 1, nulls: 0 },
        { path: ['C1'], conversions: 0, nulls: 1 },
        { path: ['C2', 'C3'], conversions: 0, nulls: 1 },
      ]),
    )
    expect(result.conversionProbability).toBeCloseTo(1 / 3, 12)
    expect([...result.removalEffects].map((v) => +v.toFixed(12))).toEqual([0.5, 1, 1])
  })

  it('matches the chain solved by iteration, channel by channel removed', () => {
    fc.assert(
      fc.property(fc.array(rowArbitrary, { minLength: 1, maxLength: 12 }), (rows) => {
        fc.pre(rows.some((row) => row.conversions > 0))
        const set = setOf(rows)
        const result = markovRemovalEffects(set)
        const base = conversionProbability(rows)
        expect(result.conversionProbability).toBeCloseTo(base, 9)
        set.channels.forEach((channel, i) => {
          const expected = 1 - conversionProbability(rows, channel) / base
          expect(result.removalEffects[i]).toBeCloseTo(expected, 8)
        })
      }),
      { numRuns: 60 },
    )
  })

  it('counts repeats and loops as they occur', () => {
    const rows: Row[] = [
      { path: ['a', 'a', 'b', 'a'], conversions: 2, nulls: 1 },
      { path: ['b', 'b'], conversions: 0, nulls: 3 },
      { path: ['a'], conversions: 1, nulls: 1 },
    ]
    const result = markovRemovalEffects(setOf(rows))
    expect(result.removalEffects[1]).toBeCloseTo(
      1 - conversionProbability(rows, 'b') / conversionProbability(rows),
      10,
    )
  })

  it('gives every channel 0 when nothing converted, never NaN', () => {
    const result = markovRemovalEffects(
      setOf([
        { path: ['a', 'b'], conversions: 0, nulls: 4 },
        { path: ['b'], conversions: 0, nulls: 1 },
      ]),
    )
    expect(result.conversionProbability).toBe(0)
    expect([...result.removalEffects]).toEqual([0, 0])
  })

  it('solves 500 channels and a path of 10,000 touches', () => {
    const rows: Row[] = []
    for (let i = 0; i < 500; i++) {
      rows.push({ path: [`ch${i}`, `ch${(i * 7 + 3) % 500}`], conversions: i % 3, nulls: 1 })
    }
    rows.push({
      path: Array.from({ length: 10_000 }, (_, i) => `ch${(i * 13) % 500}`),
      conversions: 1,
      nulls: 0,
    })
    const result = markovRemovalEffects(setOf(rows))
    expect(result.removalEffects).toHaveLength(500)
    for (const effect of result.removalEffects) {
      expect(Number.isFinite(effect)).toBe(true)
      expect(effect).toBeGreaterThanOrEqual(0)
      expect(effect).toBeLessThanOrEqual(1)
    }
  })
})
