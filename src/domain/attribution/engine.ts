import { splitByLargestRemainder } from '../money.ts'
import { markovRemovalEffects } from './markov.ts'
import { PathSetBuilder } from './path-set.ts'
import { normaliseWeights, type RuleModel, ruleShares } from './rules.ts'
import { shapleyValues } from './shapley.ts'
import {
  type AttributionOptions,
  type AttributionResult,
  attributionModels,
  type Credit,
  type CreditTotal,
  type Journey,
  type Milestone,
  milestones,
  type Touch,
} from './types.ts'

const dayMs = 86_400_000

/** A journey checked and put in time order (ties keep their input order). */
interface OrderedJourney {
  journey: Journey
  touches: Touch[]
  /** Index of each milestone's touch in `touches`; FT defaults to the earliest touch. */
  positions: Partial<Record<Milestone, number>>
}

function fail(journey: Journey, message: string): never {
  throw new RangeError(`journey ${journey.id}: ${message}`)
}

function orderJourney(journey: Journey): OrderedJourney {
  for (const touch of journey.touches) {
    if (typeof touch.channel !== 'string' || touch.channel === '') {
      fail(journey, `touch ${touch.id} has no channel`)
    }
    if (!Number.isFinite(touch.at)) fail(journey, `touch ${touch.id} has no valid time`)
  }
  const conversion = journey.conversion
  if (conversion) {
    if (!Number.isFinite(conversion.at)) fail(journey, 'the conversion has no valid time')
    if (!Number.isSafeInteger(conversion.value) || conversion.value < 0) {
      fail(
        journey,
        `the conversion value ${conversion.value} is not a whole number of minor units ≥ 0`,
      )
    }
  }
  let sorted = true
  for (let i = 1; i < journey.touches.length && sorted; i++) {
    sorted = (journey.touches[i - 1]?.at ?? 0) <= (journey.touches[i]?.at ?? 0)
  }
  const touches = sorted
    ? (journey.touches as Touch[])
    : journey.touches
        .map((touch, index) => ({ touch, index }))
        .sort((a, b) => a.touch.at - b.touch.at || a.index - b.index)
        .map((entry) => entry.touch)
  const positions: Partial<Record<Milestone, number>> = {}
  touches.forEach((touch, index) => {
    // A milestone flagged on several touches is the earliest of them.
    for (const milestone of touch.milestones ?? []) {
      if (positions[milestone] === undefined) positions[milestone] = index
    }
  })
  if (positions.FT === undefined && touches.length > 0) positions.FT = 0
  return { journey, touches, positions }
}

/** The touches that earn credit for the journey's conversion: at or before it, inside the window. */
function creditedRange(ordered: OrderedJourney, lookbackDays: number | null): [number, number] {
  const conversion = ordered.journey.conversion
  const { touches } = ordered
  if (!conversion) return [0, touches.length]
  const from = lookbackDays === null ? -Infinity : conversion.at - lookbackDays * dayMs
  let start = 0
  while (start < touches.length && (touches[start]?.at ?? 0) < from) start++
  let end = start
  while (end < touches.length && (touches[end]?.at ?? 0) <= conversion.at) end++
  return [start, end]
}

/**
 * Channel weights of a data-driven model over every journey: converting journeys contribute the
 * channels of their credited touches, the others all their touches (the caller picks them inside its
 * lookback window). Journeys without a touch tell nothing about channels and are left out.
 */
function dataDrivenWeights(
  model: 'markov' | 'shapley',
  journeys: readonly OrderedJourney[],
  ranges: ReadonlyArray<[number, number]>,
  options: AttributionOptions,
): Map<string, number> {
  const builder = new PathSetBuilder()
  journeys.forEach((ordered, j) => {
    const [start, end] = ranges[j] ?? [0, 0]
    if (end <= start) return
    const converted = ordered.journey.conversion !== null
    builder.addSteps(ordered.touches, start, end, converted ? 1 : 0, converted ? 0 : 1)
  })
  const set = builder.build()
  const weights =
    model === 'markov'
      ? markovRemovalEffects(set).removalEffects
      : shapleyValues(set, {
          seed: options.shapleySeed,
          permutations: options.shapleyPermutations,
        }).values.map((value) => Math.max(0, value))
  return new Map(set.channels.map((channel, i) => [channel, weights[i] ?? 0]))
}

/**
 * A data-driven model's shares on one journey: its conversion is split over its own channels in
 * proportion to their weights (equally if all are 0), and within a channel equally over its touches.
 */
function weightedShares(touches: readonly Touch[], weights: ReadonlyMap<string, number>) {
  const counts = new Map<string, number>()
  for (const touch of touches) counts.set(touch.channel, (counts.get(touch.channel) ?? 0) + 1)
  let sum = 0
  for (const channel of counts.keys()) sum += weights.get(channel) ?? 0
  const shares = new Float64Array(touches.length)
  touches.forEach((touch, i) => {
    const channelShare = sum > 0 ? (weights.get(touch.channel) ?? 0) / sum : 1 / counts.size
    shares[i] = channelShare / (counts.get(touch.channel) ?? 1)
  })
  return shares
}

function checkOptions(options: AttributionOptions) {
  if (!(attributionModels as readonly string[]).includes(options.model)) {
    throw new RangeError(
      `unknown model ${options.model}; use one of ${attributionModels.join(', ')}`,
    )
  }
  const lookback = options.lookbackDays
  if (
    lookback !== undefined &&
    lookback !== null &&
    !(Number.isFinite(lookback) && lookback >= 0)
  ) {
    throw new RangeError('lookbackDays must be a number of days ≥ 0')
  }
  const halfLife = options.halfLifeDays
  if (halfLife !== undefined && !(Number.isFinite(halfLife) && halfLife > 0)) {
    throw new RangeError('halfLifeDays must be a number of days > 0')
  }
  if (options.model === 'custom') {
    if (!options.customWeights) throw new RangeError('the custom model needs customWeights')
    normaliseWeights(options.customWeights)
  }
}

function addTo<K>(totals: Map<K, CreditTotal>, key: K, credit: number, value: number) {
  const total = totals.get(key) ?? { conversions: 0, value: 0 }
  total.conversions += credit
  total.value += value
  totals.set(key, total)
}

const compareNames = (a: string | null, b: string | null) =>
  a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1

/**
 * Attributes each journey's conversion to its touches under one model (DEFINITIONS.md, Attribution):
 * the credits of one conversion sum to 1 and its value to the conversion's value in minor units
 * (largest remainder); journeys without a conversion only inform the data-driven models. The same
 * input always gives the same output.
 */
export function attribute(
  journeys: readonly Journey[],
  options: AttributionOptions,
): AttributionResult {
  checkOptions(options)
  const lookbackDays = options.lookbackDays === undefined ? 90 : options.lookbackDays
  const settings = {
    halfLifeDays: options.halfLifeDays ?? 7,
    customWeights: options.customWeights,
  }
  const ordered = journeys.map(orderJourney)
  const ranges = ordered.map((entry) => creditedRange(entry, lookbackDays))
  const model = options.model
  const weights =
    model === 'markov' || model === 'shapley'
      ? options.channelWeights
        ? new Map(Object.entries(options.channelWeights))
        : dataDrivenWeights(model, ordered, ranges, options)
      : undefined

  const credits: Credit[] = []
  const byChannel = new Map<string, CreditTotal>()
  const byCampaign = new Map<string | null, CreditTotal>()
  const pending: CreditTotal = { conversions: 0, value: 0 }
  const noTouch: CreditTotal = { conversions: 0, value: 0 }
  ordered.forEach((entry, j) => {
    const conversion = entry.journey.conversion
    if (!conversion) return
    const journeyId = entry.journey.id
    const [start, end] = ranges[j] ?? [0, 0]
    if (end <= start) {
      credits.push({
        journeyId,
        kind: 'no_touch',
        touchId: null,
        channel: null,
        campaign: null,
        credit: 1,
        value: conversion.value,
      })
      noTouch.conversions += 1
      noTouch.value += conversion.value
      return
    }
    const touches = entry.touches.slice(start, end)
    let shares: Float64Array
    let pendingShare = 0
    if (weights) shares = weightedShares(touches, weights)
    else {
      const positions: Partial<Record<Milestone, number>> = {}
      for (const milestone of milestones) {
        const index = entry.positions[milestone]
        if (index !== undefined && index >= start && index < end)
          positions[milestone] = index - start
      }
      const result = ruleShares(
        model as RuleModel,
        {
          times: touches.map((touch) => touch.at),
          positions,
          conversionAt: conversion.at,
          pending: conversion.pending === true,
        },
        settings,
      )
      shares = result.touches
      pendingShare = result.pending
    }
    const rows: Array<{ index: number; share: number }> = []
    shares.forEach((share, index) => {
      if (share > 0) rows.push({ index, share })
    })
    const parts = [...rows.map((row) => row.share), ...(pendingShare > 0 ? [pendingShare] : [])]
    const values = splitByLargestRemainder(conversion.value, parts)
    rows.forEach((row, k) => {
      const touch = touches[row.index] as Touch
      const value = values[k] ?? 0
      credits.push({
        journeyId,
        kind: 'touch',
        touchId: touch.id,
        channel: touch.channel,
        campaign: touch.campaign,
        credit: row.share,
        value,
      })
      addTo(byChannel, touch.channel, row.share, value)
      addTo(byCampaign, touch.campaign, row.share, value)
    })
    if (pendingShare > 0) {
      const value = values[rows.length] ?? 0
      credits.push({
        journeyId,
        kind: 'pending',
        touchId: null,
        channel: null,
        campaign: null,
        credit: pendingShare,
        value,
      })
      pending.conversions += pendingShare
      pending.value += value
    }
  })
  return {
    model,
    credits,
    byChannel: [...byChannel.entries()]
      .sort(([a], [b]) => compareNames(a, b))
      .map(([channel, total]) => ({ channel, ...total })),
    byCampaign: [...byCampaign.entries()]
      .sort(([a], [b]) => compareNames(a, b))
      .map(([campaign, total]) => ({ campaign, ...total })),
    pending,
    noTouch,
    ...(weights ? { channelWeights: Object.fromEntries(weights) } : {}),
  }
}
