import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { attributeColumns, type JourneyColumns, type TouchColumns } from './columnar.ts'
import { attribute } from './engine.ts'
import { type AttributionModel, attributionModels, type Journey, type Milestone } from './types.ts'

const day = 86_400_000
const channelNames = ['email', 'paid_search', 'organic', 'events', 'sales']

/** Accounts with time-ordered touches, and journeys (deals) over an account's touches. */
const worldArbitrary = fc
  .record({
    accounts: fc.array(
      fc.array(
        fc.record({
          channel: fc.integer({ min: 0, max: channelNames.length - 1 }),
          day: fc.integer({ min: 0, max: 200 }),
        }),
        { maxLength: 9 },
      ),
      { minLength: 1, maxLength: 6 },
    ),
    journeys: fc.array(
      fc.record({
        account: fc.nat(),
        converts: fc.boolean(),
        conversionDay: fc.integer({ min: 0, max: 220 }),
        value: fc.integer({ min: 0, max: 10 ** 9 }),
        pending: fc.boolean(),
        lc: fc.option(fc.nat(), { nil: undefined }),
        oc: fc.option(fc.nat(), { nil: undefined }),
        cw: fc.option(fc.nat(), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 20 },
    ),
    lookbackDays: fc.option(fc.integer({ min: 0, max: 120 }), { nil: null }),
    halfLifeDays: fc.integer({ min: 1, max: 30 }),
    fixed: fc.boolean(),
  })
  .map((raw) => {
    const at: number[] = []
    const channel: number[] = []
    const order: number[] = []
    const ranges = raw.accounts.map((touches) => {
      const from = order.length
      touches
        .map((touch, i) => ({ ...touch, at: touch.day * day + i }))
        .sort((a, b) => a.at - b.at)
        .forEach((touch) => {
          order.push(at.length)
          at.push(touch.at)
          channel.push(touch.channel)
        })
      return [from, order.length] as const
    })
    return { raw, at, channel, order, ranges }
  })

type World = typeof worldArbitrary extends fc.Arbitrary<infer T> ? T : never

function columnsOf(world: World) {
  const { raw, ranges } = world
  const count = raw.journeys.length
  const touches: TouchColumns = {
    at: Float64Array.from(world.at),
    channel: Int32Array.from(world.channel),
    channels: channelNames,
  }
  const journeys: JourneyColumns = {
    count,
    order: Int32Array.from(world.order),
    from: new Int32Array(count),
    to: new Int32Array(count),
    conversionAt: new Float64Array(count),
    value: new Float64Array(count),
    pending: new Uint8Array(count),
    lc: new Int32Array(count),
    oc: new Int32Array(count),
    cw: new Int32Array(count),
  }
  const objects: Journey[] = raw.journeys.map((j, k) => {
    const [from, to] = ranges[j.account % ranges.length] ?? [0, 0]
    const size = to - from
    const position = (pick: number | undefined) =>
      pick === undefined || size === 0 ? -1 : from + (pick % size)
    journeys.from[k] = from
    journeys.to[k] = to
    journeys.conversionAt[k] = j.converts ? j.conversionDay * day + 5 : Number.NaN
    journeys.value[k] = j.value
    journeys.pending[k] = j.converts && j.pending ? 1 : 0
    journeys.lc[k] = position(j.lc)
    journeys.oc[k] = position(j.oc)
    journeys.cw[k] = position(j.cw)
    const flags = (p: number) => {
      const list: Milestone[] = []
      if (journeys.lc[k] === p) list.push('LC')
      if (journeys.oc[k] === p) list.push('OC')
      if (journeys.cw[k] === p) list.push('CW')
      return list
    }
    const touches = []
    for (let p = from; p < to; p++) {
      const t = world.order[p] as number
      touches.push({
        id: `t${t}`,
        channel: channelNames[world.channel[t] as number] as string,
        campaign: null,
        at: world.at[t] as number,
        milestones: flags(p),
      })
    }
    return {
      id: `j${k}`,
      touches,
      conversion: j.converts
        ? { at: j.conversionDay * day + 5, value: j.value, pending: j.converts && j.pending }
        : null,
    }
  })
  return { touches, journeys, objects }
}

describe('attributeColumns', () => {
  it('gives exactly what attribute() gives, model by model, on shared touch ranges', () => {
    fc.assert(
      fc.property(worldArbitrary, (world) => {
        const { touches, journeys, objects } = columnsOf(world)
        const { raw } = world
        const fixed = raw.fixed
          ? { markov: { email: 0.5, organic: 0.2 }, shapley: { events: 1, paid_search: 0 } }
          : undefined
        const customWeights = { FT: 1, LC: 2, OC: 0, CW: 3, others: 1 }
        const got = new Map<AttributionModel, unknown[]>()
        const result = attributeColumns(
          touches,
          journeys,
          {
            lookbackDays: raw.lookbackDays,
            halfLifeDays: raw.halfLifeDays,
            customWeights,
            channelWeights: fixed,
          },
          (model, journey, touch, kind, credit, value) => {
            const list = got.get(model) ?? []
            list.push({
              journeyId: `j${journey}`,
              kind,
              touchId: touch < 0 ? null : `t${touch}`,
              credit,
              value,
            })
            got.set(model, list)
          },
        )
        const settled = objects.filter((j) => !j.conversion?.pending)
        for (const model of attributionModels) {
          const expected = attribute(model === 'full_path' ? objects : settled, {
            model,
            lookbackDays: raw.lookbackDays,
            halfLifeDays: raw.halfLifeDays,
            customWeights,
            ...(fixed && (model === 'markov' || model === 'shapley')
              ? { channelWeights: fixed[model] }
              : {}),
          })
          const credits = expected.credits.map(({ journeyId, kind, touchId, credit, value }) => ({
            journeyId,
            kind,
            touchId,
            credit,
            value,
          }))
          expect(got.get(model) ?? [], model).toEqual(credits)
          if (model === 'markov' || model === 'shapley') {
            expect(result.channelWeights[model], model).toEqual(expected.channelWeights)
          }
        }
      }),
      { numRuns: 300 },
    )
  })

  it('refuses an unknown model and a custom model without weights', () => {
    const touches = { at: new Float64Array(), channel: new Int32Array(), channels: [] }
    const journeys: JourneyColumns = {
      count: 0,
      order: new Int32Array(),
      from: new Int32Array(),
      to: new Int32Array(),
      conversionAt: new Float64Array(),
      value: new Float64Array(),
      pending: new Uint8Array(),
      lc: new Int32Array(),
      oc: new Int32Array(),
      cw: new Int32Array(),
    }
    const options = { lookbackDays: 90, halfLifeDays: 7 }
    const sink = () => {}
    expect(() =>
      attributeColumns(touches, journeys, { ...options, models: ['nope' as 'linear'] }, sink),
    ).toThrow('unknown model nope')
    expect(() =>
      attributeColumns(touches, journeys, { ...options, models: ['custom'] }, sink),
    ).toThrow('custom model needs customWeights')
  })
})
