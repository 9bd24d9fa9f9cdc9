import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  type Money,
  minorUnitDigits,
  splitByLargestRemainder,
  sumInBase,
  sumPerCurrency,
} from './money.ts'

const rates = new Map([
  ['EUR', 1.1],
  ['GBP', 1.25],
  ['JPY', 0.0067],
  ['BHD', 2.65],
])

describe('sumInBase', () => {
  const cases: {
    name: string
    items: Money[]
    base?: string
    inBase: number | null
    missing?: string[]
  }[] = [
    { name: 'nothing sums to zero', items: [], inBase: 0 },
    {
      name: 'the base currency needs no rate',
      items: [
        { currency: 'USD', amount: 1000 },
        { currency: 'USD', amount: 250 },
      ],
      inBase: 1250,
    },
    {
      name: 'another currency is multiplied by its rate',
      items: [
        { currency: 'USD', amount: 1000 },
        { currency: 'EUR', amount: 1000 },
      ],
      inBase: 2100,
    },
    {
      name: 'a currency without minor units is scaled to the base minor unit',
      items: [{ currency: 'JPY', amount: 10_000 }],
      inBase: 6700,
    },
    {
      name: 'a three-digit currency is scaled down to the base minor unit',
      items: [{ currency: 'BHD', amount: 1000 }],
      inBase: 265,
    },
    {
      name: 'converting into a base without minor units',
      items: [{ currency: 'USD', amount: 100 }],
      base: 'JPY',
      inBase: 149,
    },
    {
      name: 'the total is rounded once, not each part',
      items: [
        { currency: 'GBP', amount: 2 },
        { currency: 'BHD', amount: 10 },
      ],
      inBase: 5,
    },
    {
      name: 'a missing rate makes the total unknown and is named',
      items: [
        { currency: 'USD', amount: 100 },
        { currency: 'CHF', amount: 100 },
        { currency: 'AUD', amount: 100 },
      ],
      inBase: null,
      missing: ['AUD', 'CHF'],
    },
    {
      name: 'a currency whose amounts sum to zero needs no rate',
      items: [{ currency: 'CHF', amount: 0 }],
      inBase: 0,
    },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const base = c.base ?? 'USD'
      const baseRates = base === 'JPY' ? new Map([['USD', 149.3]]) : rates
      const result = sumInBase(c.items, base, baseRates)
      expect(result.amountInBase).toBe(c.inBase)
      expect(result.missing).toEqual(c.missing ?? [])
    })
  }

  it('keeps the sum of each currency beside the converted total', () => {
    const result = sumInBase(
      [
        { currency: 'USD', amount: 1 },
        { currency: 'EUR', amount: 2 },
        { currency: 'USD', amount: 3 },
      ],
      'USD',
      rates,
    )
    expect(result.amounts).toEqual([
      { currency: 'EUR', amount: 2 },
      { currency: 'USD', amount: 4 },
    ])
  })
})

describe('sumPerCurrency', () => {
  it('adds amounts of one currency and orders currencies alphabetically', () => {
    expect(
      sumPerCurrency([
        { currency: 'USD', amount: 5 },
        { currency: 'CHF', amount: 7 },
        { currency: 'USD', amount: -2 },
      ]),
    ).toEqual([
      { currency: 'CHF', amount: 7 },
      { currency: 'USD', amount: 3 },
    ])
  })
})

describe('minorUnitDigits', () => {
  it.each([
    ['USD', 2],
    ['EUR', 2],
    ['JPY', 0],
    ['BHD', 3],
  ])('%s has %i digits', (currency, digits) => {
    expect(minorUnitDigits(currency)).toBe(digits)
  })
})

describe('splitByLargestRemainder', () => {
  it.each([
    [100, [1, 1, 1], [34, 33, 33]],
    [1000, [0.2, 0.4, 0.4], [200, 400, 400]],
    [5, [0.5, 0.5], [3, 2]],
    [7, [0, 1, 1], [0, 4, 3]],
    [0, [0.3, 0.7], [0, 0]],
    [-100, [1, 2], [-33, -67]],
    [1, [0.1, 0.1, 0.8], [0, 0, 1]],
  ])('splits %i over %j as %j', (amount, shares, expected) => {
    expect(splitByLargestRemainder(amount, shares)).toEqual(expected)
  })

  it('always adds up to the amount, whatever the shares', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 12 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 40 }),
        (amount, raw) => {
          const shares = [...raw, 1e-9]
          const parts = splitByLargestRemainder(amount, shares)
          expect(parts.reduce((sum, part) => sum + part, 0)).toBe(amount)
          parts.forEach((part, i) => {
            expect(part).toBeGreaterThanOrEqual(0)
            expect(
              Math.abs(part - (amount * (shares[i] ?? 0)) / shares.reduce((a, b) => a + b)),
            ).toBeLessThan(1.0001)
          })
        },
      ),
    )
  })

  it('refuses shares that are negative or all 0, and amounts that are not whole', () => {
    expect(() => splitByLargestRemainder(10, [0, 0])).toThrow(/positive sum/)
    expect(() => splitByLargestRemainder(10, [2, -1])).toThrow(/non-negative/)
    expect(() => splitByLargestRemainder(1.5, [1])).toThrow(/not an integer/)
  })
})
