import { describe, expect, it } from 'vitest'
import { encodeFrame, type Feature, inferFrame, otherLevel, subsetFrame } from './frame.ts'

const numeric = (feature: Feature | undefined) => {
  if (feature?.kind !== 'numeric') throw new Error(`expected numeric, got ${feature?.kind}`)
  return feature
}
const categorical = (feature: Feature | undefined) => {
  if (feature?.kind !== 'categorical') throw new Error(`expected categorical, got ${feature?.kind}`)
  return feature
}

describe('inferFrame', () => {
  it('reads numbers as numeric and anything else as categorical', () => {
    const { frame, schema } = inferFrame([
      { name: 'age', values: ['41', ' 7.5 ', 3, '-2e1', ''] },
      { name: 'plan', values: ['pro', 'free', 'pro', null, 'team'] },
      { name: 'flag', values: [true, false, true, true, false] },
    ])
    expect(frame.rows).toBe(5)
    expect(Array.from(numeric(frame.features[0]).values)).toEqual([41, 7.5, 3, -20, Number.NaN])
    const plan = categorical(frame.features[1])
    // Most frequent first, ties by name.
    expect(plan.levels).toEqual(['pro', 'free', 'team'])
    expect(Array.from(plan.codes)).toEqual([0, 1, 0, -1, 2])
    expect(categorical(frame.features[2]).levels).toEqual(['true', 'false'])
    expect(schema.features.map((f) => f.kind)).toEqual(['numeric', 'categorical', 'categorical'])
  })

  it('keeps a column numeric when ≥ 95 % of its values are numbers, counting the rest as missing', () => {
    const values = Array.from({ length: 20 }, (_, i) => String(i))
    const oneJunk = inferFrame([{ name: 'n', values: [...values.slice(0, 19), 'n/a'] }])
    expect(oneJunk.frame.features[0]?.kind).toBe('numeric')
    expect(numeric(oneJunk.frame.features[0]).values[19]).toBeNaN()
    expect(oneJunk.warnings).toEqual([
      'column n: 1 value(s) that are not numbers (e.g. "n/a") treated as missing',
    ])
    const twoJunk = inferFrame([{ name: 'n', values: [...values.slice(0, 18), 'x', 'y'] }])
    expect(twoJunk.frame.features[0]?.kind).toBe('categorical')
    // Hex, "1,5" and infinity are not plain decimal numbers.
    const odd = inferFrame([{ name: 'n', values: ['0x10', '1,5', 'Infinity', '3'] }])
    expect(odd.frame.features[0]?.kind).toBe('categorical')
  })

  it('treats the missing tokens like empty cells', () => {
    const { frame } = inferFrame([{ name: 'score', values: ['1', 'NA', '3', '?', ' '] }], {
      missing: ['NA', '?'],
    })
    expect(Array.from(numeric(frame.features[0]).values)).toEqual([1, Number.NaN, 3, NaN, NaN])
  })

  it('drops all-missing and constant columns, but keeps a constant with missing values', () => {
    const { frame, dropped } = inferFrame([
      { name: 'empty', values: ['', null, undefined] },
      { name: 'same', values: ['x', 'x', 'x'] },
      { name: 'five', values: [5, 5, 5] },
      { name: 'sometimes', values: [5, '', 5] },
      { name: 'kept', values: ['a', 'b', 'a'] },
    ])
    expect(dropped).toEqual([
      { name: 'empty', reason: 'all values missing' },
      { name: 'same', reason: 'constant' },
      { name: 'five', reason: 'constant' },
    ])
    expect(frame.features.map((f) => f.name)).toEqual(['sometimes', 'kept'])
  })

  it('keeps the maxLevels most frequent categories and folds the rest into "(other)"', () => {
    const values = ['e', 'a', 'a', 'b', 'a', 'c', 'b', 'a', 'd', 'b', 'c', 'd', 'a', 'c', 'b']
    // a×5, b×4, c×3, d×2, e×1
    const { frame, warnings } = inferFrame([{ name: 'city', values }], { maxLevels: 2 })
    const city = categorical(frame.features[0])
    expect(city.levels).toEqual(['a', 'b', otherLevel])
    expect(Array.from(city.codes).slice(0, 6)).toEqual([2, 0, 0, 1, 0, 2])
    expect(warnings[0]).toMatch(/city: 5 categories; the 2 most frequent kept/)
  })

  it('rejects duplicate names and columns of different lengths', () => {
    expect(() =>
      inferFrame([
        { name: 'a', values: [1, 2] },
        { name: 'a', values: [3, 4] },
      ]),
    ).toThrow(/column a: appears twice/)
    expect(() =>
      inferFrame([
        { name: 'a', values: [1, 2] },
        { name: 'b', values: [3] },
      ]),
    ).toThrow(/column b: 1 values, expected 2/)
  })
})

describe('encodeFrame', () => {
  const trained = inferFrame(
    [
      { name: 'size', values: ['10', '20', '30', '40'] },
      { name: 'plan', values: ['pro', 'free', 'pro', 'pro'] },
      { name: 'city', values: ['a', 'a', 'b', 'c'] },
    ],
    { maxLevels: 2 },
  ).schema

  it('encodes new rows with the trained schema, in schema order', () => {
    const frame = encodeFrame(
      trained,
      [
        { name: 'city', values: ['b', 'zzz'] },
        { name: 'plan', values: ['free', 'team'] },
        { name: 'size', values: ['15', 'lots'] },
        { name: 'extra', values: ['x', 'y'] },
      ],
      2,
    )
    expect(frame.features.map((f) => f.name)).toEqual(['size', 'plan', 'city'])
    expect(Array.from(numeric(frame.features[0]).values)).toEqual([15, Number.NaN])
    // "team" is unknown and plan has no "(other)" level → missing.
    expect(Array.from(categorical(frame.features[1]).codes)).toEqual([1, -1])
    // city kept 2 levels (a, then b before c by name) plus "(other)", where unknown levels go.
    const city = categorical(frame.features[2])
    expect(city.levels).toEqual(['a', 'b', otherLevel])
    expect(Array.from(city.codes)).toEqual([1, 2])
  })

  it('fills a column absent from the input with missing values', () => {
    const frame = encodeFrame(trained, [{ name: 'size', values: [1] }], 1)
    expect(Array.from(categorical(frame.features[1]).codes)).toEqual([-1])
    expect(Array.from(categorical(frame.features[2]).codes)).toEqual([-1])
  })
})

describe('subsetFrame', () => {
  it('takes the given rows in order', () => {
    const { frame } = inferFrame([
      { name: 'n', values: [10, 11, 12, 13] },
      { name: 'c', values: ['a', 'b', 'a', 'c'] },
    ])
    const subset = subsetFrame(frame, [3, 0, 0])
    expect(subset.rows).toBe(3)
    expect(Array.from(numeric(subset.features[0]).values)).toEqual([13, 10, 10])
    const c = categorical(subset.features[1])
    expect(Array.from(c.codes).map((code) => c.levels[code])).toEqual(['c', 'a', 'a'])
  })
})
