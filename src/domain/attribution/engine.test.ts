import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { attribute } from './engine.ts'
import { type AttributionModel, attributionModels, type Journey, type Milestone } from './types.ts'

const day = 86_400_000

const touchArbitrary = fc.record({
  channel: fc.constantFrom('email', 'paid_search', 'organic', 'events', 'sales'),
  campaign: fc.option(fc.constantFrom('spring', 'summer', 'webinar'), { nil: null }),
  day: fc.integer({ min: 0, max: 200 }),
  milestones: fc.subarray<Milestone>(['FT', 'LC', 'OC', 'CW'], { maxLength: 2 }),
})

const journeyArbitrary = fc
  .record({
    touches: fc.array(touchArbitrary, { maxLength: 9 }),
    converts: fc.boolean(),
    conversionDay: fc.integer({ min: 0, max: 220 }),
    value: fc.integer({ min: 0, max: 10 ** 9 }),
    pending: fc.boolean(),
  })
  .map(
    (raw): Omit<Journey, 'id'> => ({
      touches: raw.touches.map((touch, i) => ({
        id: `t${i}`,
        channel: touch.channel,
        campaign: touch.campaign,
        at: touch.day * day + i,
        milestones: touch.milestones,
      })),
      conversion: raw.converts
        ? { at: raw.conversionDay * day + 5, value: raw.value, pending: raw.pending }
        : null,
    }),
  )

const journeysArbitrary = fc
  .array(journeyArbitrary, { minLength: 1, maxLength: 25 })
  .map((list) => list.map((journey, i): Journey => ({ ...journey, id: `j${i}` })))

const modelArbitrary = fc.constantFrom<AttributionModel>(...attributionModels)
const weightsArbitrary = fc
  .record({
    FT: fc.integer({ min: 0, max: 5 }),
    LC: fc.integer({ min: 0, max: 5 }),
    OC: fc.integer({ min: 0, max: 5 }),
    CW: fc.integer({ min: 0, max: 5 }),
    others: fc.integer({ min: 0, max: 5 }),
  })
  .filter((w) => w.FT + w.LC + w.OC + w.CW + w.others > 0)

const optionsArbitrary = fc.record({
  model: modelArbitrary,
  lookbackDays: fc.constantFrom(90, 30, null),
  halfLifeDays: fc.constantFrom(7, 1, 30),
  customWeights: weightsArbitrary,
})

describe('attribute: properties over generated journeys', () => {
  it('gives each conversion credits ≥ 0 that sum to 1, and its value exactly in minor units', () => {
    fc.assert(
      fc.property(journeysArbitrary, optionsArbitrary, (journeys, options) => {
        const result = attribute(journeys, options)
        for (const journey of journeys) {
          const rows = result.credits.filter((credit) => credit.journeyId === journey.id)
          if (!journey.conversion) {
            expect(rows).toEqual([])
            continue
          }
          const credit = rows.reduce((sum, row) => sum + row.credit, 0)
          expect(credit).toBeCloseTo(1, 9)
          expect(rows.reduce((sum, row) => sum + row.value, 0)).toBe(journey.conversion.value)
          for (const row of rows) {
            expect(row.credit).toBeGreaterThan(0)
            expect(row.value).toBeGreaterThanOrEqual(0)
            expect(Number.isInteger(row.value)).toBe(true)
          }
        }
        const converted = journeys.filter((journey) => journey.conversion)
        const totals = [...result.byChannel, result.pending, result.noTouch]
        expect(totals.reduce((sum, total) => sum + total.conversions, 0)).toBeCloseTo(
          converted.length,
          8,
        )
        expect(result.byCampaign.reduce((sum, total) => sum + total.value, 0)).toBe(
          result.byChannel.reduce((sum, total) => sum + total.value, 0),
        )
        expect(totals.reduce((sum, total) => sum + total.value, 0)).toBe(
          converted.reduce((sum, journey) => sum + (journey.conversion?.value ?? 0), 0),
        )
      }),
      { numRuns: 300 },
    )
  })

  it('only credits touches at or before the conversion and inside the lookback window', () => {
    fc.assert(
      fc.property(journeysArbitrary, optionsArbitrary, (journeys, options) => {
        const result = attribute(journeys, options)
        for (const credit of result.credits) {
          if (credit.kind !== 'touch') continue
          const journey = journeys.find((entry) => entry.id === credit.journeyId)
          const touch = journey?.touches.find((entry) => entry.id === credit.touchId)
          const conversion = journey?.conversion
          if (!touch || !conversion) throw new Error('a credit points at nothing')
          expect(touch.at).toBeLessThanOrEqual(conversion.at)
          if (options.lookbackDays !== null) {
            expect(touch.at).toBeGreaterThanOrEqual(conversion.at - options.lookbackDays * day)
          }
        }
      }),
      { numRuns: 200 },
    )
  })

  it('gives the same output for the same input, whatever the order of the touches', () => {
    fc.assert(
      fc.property(journeysArbitrary, optionsArbitrary, fc.integer(), (journeys, options, seed) => {
        const first = attribute(journeys, options)
        expect(attribute(journeys, options)).toEqual(first)
        const shuffled = journeys.map((journey, j) => ({
          ...journey,
          touches: [...journey.touches].sort(
            (a, b) => Math.sin(seed + j + a.at) - Math.sin(seed + j + b.at),
          ),
        }))
        const key = (credit: { journeyId: string; touchId: string | null; kind: string }) =>
          `${credit.journeyId}/${credit.kind}/${credit.touchId}`
        const sorted = (credits: typeof first.credits) =>
          [...credits].sort((a, b) => (key(a) < key(b) ? -1 : 1))
        expect(sorted(attribute(shuffled, options).credits)).toEqual(sorted(first.credits))
      }),
      { numRuns: 150 },
    )
  })
})

/** A journey whose touches are given as [channel, day, milestones], converting on `on`. */
function journey(
  id: string,
  touches: Array<[string, number, Milestone[]?]>,
  conversion: { on: number; value: number; pending?: boolean } | null,
): Journey {
  return {
    id,
    touches: touches.map(([channel, at, flags], i) => ({
      id: `${id}.${i}`,
      channel,
      campaign: `${channel}-campaign`,
      at: at * day,
      milestones: flags,
    })),
    conversion: conversion
      ? { at: conversion.on * day, value: conversion.value, pending: conversion.pending }
      : null,
  }
}

const creditsOf = (journeys: Journey[], model: AttributionModel, lookbackDays = 90) =>
  attribute(journeys, { model, lookbackDays }).credits.map((credit) => [
    credit.kind === 'touch' ? credit.touchId : credit.kind,
    +credit.credit.toFixed(6),
    credit.value,
  ])

describe('attribute: folding and windows on journeys', () => {
  it('W-shaped with FT = LC gives that touch 60% and the OC touch 30%', () => {
    const journeys = [
      journey(
        'd',
        [
          ['email', 1, ['FT', 'LC']],
          ['events', 3],
          ['paid', 5, ['OC']],
        ],
        {
          on: 8,
          value: 1000,
        },
      ),
    ]
    expect(creditsOf(journeys, 'w_shaped')).toEqual([
      ['d.0', 0.6, 600],
      ['d.1', 0.1, 100],
      ['d.2', 0.3, 300],
    ])
  })

  it('treats a milestone outside the lookback window as missing, FT included', () => {
    const journeys = [
      journey(
        'd',
        [
          ['email', 0, ['FT']],
          ['events', 100, ['LC']],
          ['paid', 110],
        ],
        {
          on: 120,
          value: 999,
        },
      ),
    ]
    // FT (day 0) is 120 days before: U-shaped folds its 40% into LC; the others are none.
    expect(creditsOf(journeys, 'u_shaped')).toEqual([['d.1', 1, 999]])
    expect(creditsOf(journeys, 'first_touch')).toEqual([['d.1', 1, 999]])
    // With FT inside a longer window, the touch after LC is no "other": FT and LC share it all.
    expect(creditsOf(journeys, 'u_shaped', 365)).toEqual([
      ['d.0', 0.5, 500],
      ['d.1', 0.5, 499],
    ])
  })

  it('ignores touches after the conversion and milestones they carry', () => {
    const journeys = [
      journey(
        'd',
        [
          ['email', 1],
          ['events', 2, ['LC']],
          ['paid', 9, ['OC']],
        ],
        {
          on: 5,
          value: 100,
        },
      ),
    ]
    expect(creditsOf(journeys, 'w_shaped')).toEqual([
      ['d.0', 0.5, 50],
      ['d.1', 0.5, 50],
    ])
    expect(creditsOf(journeys, 'last_touch')).toEqual([['d.1', 1, 100]])
  })

  it('keeps the CW share of an open deal as a pending row under full path', () => {
    const journeys = [
      journey(
        'd',
        [
          ['email', 1, ['FT']],
          ['web', 2, ['LC']],
          ['paid', 3, ['OC']],
          ['events', 4],
        ],
        {
          on: 10,
          value: 10_000,
          pending: true,
        },
      ),
    ]
    const result = attribute(journeys, { model: 'full_path' })
    expect(result.pending).toEqual({ conversions: 0.225, value: 2250 })
    expect(result.byChannel.map((row) => [row.channel, +row.conversions.toFixed(6)])).toEqual([
      ['email', 0.225],
      ['events', 0.1],
      ['paid', 0.225],
      ['web', 0.225],
    ])
  })

  it('gives a conversion without a touch in its window to a no-touch row', () => {
    const journeys = [journey('d', [['email', 1]], { on: 200, value: 70 })]
    const result = attribute(journeys, { model: 'linear' })
    expect(result.credits).toEqual([
      expect.objectContaining({ kind: 'no_touch', credit: 1, value: 70 }),
    ])
    expect(result.noTouch).toEqual({ conversions: 1, value: 70 })
    expect(result.byChannel).toEqual([])
  })

  it('splits a data-driven conversion over its own channels by weight, then equally per touch', () => {
    // The worked example: removal effects C1 0.5, C2 1, C3 1.
    const lost = [
      journey('lost1', [['C1', 1]], null),
      journey(
        'lost2',
        [
          ['C2', 1],
          ['C3', 2],
        ],
        null,
      ),
    ]
    const won = journey(
      'won',
      [
        ['C1', 1],
        ['C2', 2],
        ['C3', 3],
      ],
      { on: 5, value: 1000 },
    )
    const result = attribute([won, ...lost], { model: 'markov' })
    expect(result.channelWeights).toEqual({ C1: 0.5, C2: 1, C3: 1 })
    const rows = result.credits.map((credit) => [
      credit.channel,
      +credit.credit.toFixed(6),
      credit.value,
    ])
    expect(rows).toEqual([
      ['C1', 0.2, 200],
      ['C2', 0.4, 400],
      ['C3', 0.4, 400],
    ])
    const twice = journey(
      'won',
      [
        ['C1', 1],
        ['C2', 2],
        ['C3', 3],
        ['C3', 4],
      ],
      { on: 5, value: 1000 },
    )
    const c3 = attribute([twice, ...lost], { model: 'shapley' }).credits.filter(
      (credit) => credit.channel === 'C3',
    )
    expect(c3).toHaveLength(2)
    expect(c3[0]?.credit).toBeCloseTo(c3[1]?.credit ?? 0, 12)
  })

  it('credits one journey alone with given weights as it would among all (incremental runs)', () => {
    const lost = journey(
      'lost',
      [
        ['C2', 1],
        ['C3', 2],
      ],
      null,
    )
    const won = journey(
      'won',
      [
        ['C1', 1],
        ['C2', 2],
        ['C3', 3],
      ],
      { on: 5, value: 1000 },
    )
    const all = attribute([won, lost, journey('lost1', [['C1', 1]], null)], { model: 'markov' })
    const alone = attribute([won], { model: 'markov', channelWeights: all.channelWeights })
    expect(alone.credits).toEqual(all.credits)
    expect(alone.channelWeights).toEqual({ C1: 0.5, C2: 1, C3: 1 })
    // Learned from the won journey alone, every channel would weigh the same.
    expect(attribute([won], { model: 'markov' }).credits.map((c) => c.value)).toEqual([
      334, 333, 333,
    ])
  })

  it('splits a data-driven conversion equally over its channels when all weigh 0', () => {
    const journeys = [
      journey(
        'a',
        [
          ['x', 1],
          ['y', 2],
          ['y', 3],
        ],
        { on: 4, value: 9 },
      ),
      journey(
        'b',
        [
          ['x', 1],
          ['y', 2],
        ],
        null,
      ),
    ]
    // Shapley: v({x, y}) = 1/2 and no other coalition, so both channels weigh 1/4.
    const result = attribute(journeys, { model: 'shapley' })
    expect(result.credits.map((credit) => +credit.credit.toFixed(6))).toEqual([0.5, 0.25, 0.25])
    const none = attribute([journey('c', [['x', 1]], { on: 2, value: 3 })], { model: 'shapley' })
    expect(none.credits.map((credit) => credit.credit)).toEqual([1])
  })

  it('names the journey and the problem on bad input', () => {
    const bad = journey('j7', [['email', 1]], { on: 2, value: 1.5 })
    expect(() => attribute([bad], { model: 'linear' })).toThrow(/journey j7: .*1\.5/)
    const noChannel = journey('j8', [['', 1]], { on: 2, value: 1 })
    expect(() => attribute([noChannel], { model: 'linear' })).toThrow(
      /journey j8: touch j8\.0 has no channel/,
    )
    expect(() => attribute([], { model: 'nonsense' as AttributionModel })).toThrow(/unknown model/)
    expect(() => attribute([], { model: 'time_decay', halfLifeDays: 0 })).toThrow(/halfLifeDays/)
    expect(() => attribute([], { model: 'custom' })).toThrow(/customWeights/)
  })
})
