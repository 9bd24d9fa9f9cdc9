import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PathSetBuilder } from './path-set.ts'
import { shapleyValues } from './shapley.ts'

interface Row {
  path: string[]
  conversions: number
  nulls: number
}

function setOf(rows: readonly Row[]) {
  const builder = new PathSetBuilder()
  for (const row of rows) builder.add(row.path, row.conversions, row.nulls, 0)
  return builder.build()
}

/** The textbook sum over all 2ⁿ coalitions, with v(S) straight from DEFINITIONS.md. */
function bruteForce(rows: readonly Row[], channels: readonly string[]): number[] {
  const n = channels.length
  const groups = new Map<number, { conversions: number; journeys: number }>()
  for (const row of rows) {
    let rowMask = 0
    for (const channel of row.path) rowMask |= 1 << channels.indexOf(channel)
    const group = groups.get(rowMask) ?? { conversions: 0, journeys: 0 }
    group.conversions += row.conversions
    group.journeys += row.conversions + row.nulls
    groups.set(rowMask, group)
  }
  const worth = (mask: number) => {
    const group = groups.get(mask)
    return group && group.journeys > 0 ? group.conversions / group.journeys : 0
  }
  const factorials = [1]
  for (let k = 1; k <= n; k++) factorials.push((factorials[k - 1] ?? 1) * k)
  const factorial = (k: number) => factorials[k] ?? 1
  const values = new Array<number>(n).fill(0)
  for (let i = 0; i < n; i++) {
    for (let mask = 0; mask < 1 << n; mask++) {
      if (mask & (1 << i)) continue
      let size = 0
      for (let m = mask; m; m &= m - 1) size++
      const weight = (factorial(size) * factorial(n - size - 1)) / factorial(n)
      values[i] = (values[i] ?? 0) + weight * (worth(mask | (1 << i)) - worth(mask))
    }
  }
  return values
}

const rowArbitrary = (channels: string[]) =>
  fc.record({
    path: fc.array(fc.constantFrom(...channels), { minLength: 1, maxLength: 5 }),
    conversions: fc.integer({ min: 0, max: 4 }),
    nulls: fc.integer({ min: 0, max: 4 }),
  })

describe('shapleyValues', () => {
  it('equals the sum over every coalition (exact up to 16 channels)', () => {
    const channels = ['a', 'b', 'c', 'd', 'e']
    fc.assert(
      fc.property(fc.array(rowArbitrary(channels), { minLength: 1, maxLength: 15 }), (rows) => {
        const set = setOf(rows)
        const result = shapleyValues(set)
        expect(result.method).toBe('exact')
        const expected = bruteForce(rows, set.channels)
        for (let i = 0; i < set.channels.length; i++) {
          expect(result.values[i]).toBeCloseTo(expected[i] ?? 0, 12)
        }
      }),
      { numRuns: 60 },
    )
  })

  it('is efficient: the values add up to the worth of all channels together', () => {
    const rows: Row[] = [
      { path: ['a', 'b', 'c'], conversions: 3, nulls: 1 },
      { path: ['a'], conversions: 1, nulls: 3 },
      { path: ['b', 'c'], conversions: 1, nulls: 1 },
    ]
    const { values } = shapleyValues(setOf(rows))
    expect(values.reduce((sum, v) => sum + v, 0)).toBeCloseTo(0.75, 12)
  })

  it('samples above 16 channels, seeded, close to the exact values', () => {
    const channels = Array.from({ length: 18 }, (_, i) => `c${String(i).padStart(2, '0')}`)
    const rows: Row[] = []
    for (let i = 0; i < 18; i++) {
      rows.push({ path: [channels[i] ?? ''], conversions: i % 4, nulls: 2 })
      rows.push({
        path: [channels[i] ?? '', channels[(i + 1) % 18] ?? ''],
        conversions: 1,
        nulls: 1,
      })
    }
    const set = setOf(rows)
    const first = shapleyValues(set)
    expect(first.method).toBe('sampled')
    expect(shapleyValues(set).values).toEqual(first.values)
    expect(shapleyValues(set, { seed: 1 }).values).not.toEqual(first.values)
    const exact = bruteForce(rows, set.channels)
    for (let i = 0; i < set.channels.length; i++) {
      expect(Math.abs((first.values[i] ?? 0) - (exact[i] ?? 0))).toBeLessThan(0.02)
    }
  })

  it('does not depend on the order of the paths when sampling', () => {
    const rows: Row[] = Array.from({ length: 20 }, (_, i) => ({
      path: [`c${i}`, `c${(i + 3) % 20}`],
      conversions: i % 3,
      nulls: 1,
    }))
    const forward = shapleyValues(setOf(rows))
    const backward = shapleyValues(setOf([...rows].reverse()))
    const byName = (set: ReturnType<typeof setOf>, values: Float64Array) =>
      Object.fromEntries(set.channels.map((channel, i) => [channel, values[i]]))
    expect(byName(setOf([...rows].reverse()), backward.values)).toEqual(
      byName(setOf(rows), forward.values),
    )
  })
})
