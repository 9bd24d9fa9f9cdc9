import { describe, expect, it } from 'vitest'
import {
  isEmptyValue,
  mergeCustomValues,
  pickFurthestStage,
  pickSources,
  valuesFrom,
} from './merge-values.ts'

const records = [
  { id: 's', values: { title: 'CTO', phone: '', city: null as string | null } },
  { id: 'o1', values: { title: 'Chief', phone: '123', city: null as string | null } },
  { id: 'o2', values: { title: 'Boss', phone: '456', city: 'Berlin' as string | null } },
]

describe('pickSources', () => {
  it("keeps the survivor's value, else the first other's, unless a record is chosen", () => {
    const sources = pickSources(records, ['title', 'phone', 'city'], { title: 'o2' })
    expect(sources).toEqual({ title: 'o2', phone: 'o1', city: 'o2' })
    expect(valuesFrom(records, sources)).toEqual({ title: 'Boss', phone: '123', city: 'Berlin' })
  })

  it('falls back to the survivor when every value is empty', () => {
    expect(pickSources(records.slice(0, 2), ['city'])).toEqual({ city: 's' })
  })
})

describe('isEmptyValue', () => {
  const cases: [unknown, boolean][] = [
    [null, true],
    [undefined, true],
    ['  ', true],
    [[], true],
    [{}, true],
    [0, false],
    [false, false],
    ['x', false],
    [new Date(0), false],
  ]
  for (const [value, empty] of cases) {
    it(`${JSON.stringify(value)} is ${empty ? '' : 'not '}empty`, () =>
      expect(isEmptyValue(value)).toBe(empty))
  }
})

describe('mergeCustomValues', () => {
  it('merges key by key, with custom.<key> choices', () => {
    const merged = mergeCustomValues(
      [
        { id: 's', values: { tier: 'gold', size: null } as Record<string, unknown> },
        { id: 'o', values: { tier: 'silver', size: 10, region: 'eu' } },
      ],
      { 'custom.tier': 'o' },
    )
    expect(merged).toEqual({ tier: 'silver', size: 10, region: 'eu' })
  })
})

describe('pickFurthestStage', () => {
  const cases: [string, (string | null)[], number][] = [
    ['the furthest main stage wins', ['lead', 'sql', 'mql'], 1],
    ['a main stage beats a side state', ['disqualified', 'lead'], 1],
    ['a side state beats no stage', [null, 'recycled'], 1],
    ['ties keep the first', ['mql', 'mql'], 0],
    ['no stage at all keeps the first', [null, null], 0],
  ]
  for (const [name, stages, winner] of cases) {
    it(name, () =>
      expect(pickFurthestStage(stages.map((stage, i) => ({ id: String(i), stage })))).toBe(
        String(winner),
      ),
    )
  }
})
