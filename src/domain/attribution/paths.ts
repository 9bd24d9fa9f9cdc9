import { markovRemovalEffects } from './markov.ts'
import { type PathSet, pathCount } from './path-set.ts'
import { type ShapleyOptions, shapleyValues } from './shapley.ts'

/** Models for path data, where no milestones are known (the offline CLI and the literature). */
export const pathModels = [
  'first_touch',
  'last_touch',
  'linear',
  'position_based',
  'markov',
  'shapley',
] as const
export type PathModel = (typeof pathModels)[number]

export interface ChannelTotal {
  conversions: number
  value: number
}

export interface PathAttribution {
  /** Per model, per channel (sorted by name). */
  models: Partial<Record<PathModel, Record<string, ChannelTotal>>>
  totalConversions: number
  totalValue: number
  /** Markov removal effects and Shapley values behind the data-driven totals, per channel. */
  weights: { markov?: Record<string, number>; shapley?: Record<string, number> }
  /** Shapley's method: exact up to 16 channels, else sampled. */
  shapleyMethod?: 'exact' | 'sampled'
}

/**
 * Share of each position of a path under a heuristic model. Position based: 40% first, 40% last, 20%
 * shared by the middle; 50/50 for two touches; 100% for one (DEFINITIONS.md). Linear gives every
 * position 1/n, so a channel that appears twice gets two shares.
 */
function positionShare(model: PathModel, position: number, length: number): number {
  switch (model) {
    case 'first_touch':
      return position === 0 ? 1 : 0
    case 'last_touch':
      return position === length - 1 ? 1 : 0
    case 'linear':
      return 1 / length
    default: {
      if (length === 1) return 1
      if (length === 2) return 0.5
      if (position === 0 || position === length - 1) return 0.4
      return 0.2 / (length - 2)
    }
  }
}

function heuristicTotals(
  set: PathSet,
  model: PathModel,
): { conversions: Float64Array; values: Float64Array } {
  const conversions = new Float64Array(set.channels.length)
  const values = new Float64Array(set.channels.length)
  for (let p = 0; p < pathCount(set); p++) {
    const start = set.offsets[p] ?? 0
    const length = (set.offsets[p + 1] ?? 0) - start
    const converted = set.conversions[p] ?? 0
    const value = set.values[p] ?? 0
    if (length === 0 || (converted === 0 && value === 0)) continue
    for (let i = 0; i < length; i++) {
      const share = positionShare(model, i, length)
      if (share === 0) continue
      const channel = set.steps[start + i] ?? 0
      conversions[channel] = (conversions[channel] ?? 0) + share * converted
      values[channel] = (values[channel] ?? 0) + share * value
    }
  }
  return { conversions, values }
}

/** Data-driven totals on path data: weight ÷ Σ weights × total conversions (and × total value). */
function weightedTotals(weights: Float64Array, totalConversions: number, totalValue: number) {
  const sum = weights.reduce((total, weight) => total + weight, 0)
  const shares = weights.map((weight) => (sum > 0 ? weight / sum : 0))
  return {
    conversions: shares.map((share) => share * totalConversions),
    values: shares.map((share) => share * totalValue),
  }
}

/** Channel indexes in the order of their names, so output never depends on the order of the paths. */
function sortedByName(channels: readonly string[]): number[] {
  return channels
    .map((_, i) => i)
    .sort((a, b) => {
      const x = channels[a] ?? ''
      const y = channels[b] ?? ''
      return x < y ? -1 : x > y ? 1 : 0
    })
}

function totalsByName(
  channels: readonly string[],
  conversions: Float64Array,
  values: Float64Array,
): Record<string, ChannelTotal> {
  // fromEntries, not assignment: a channel may be called "__proto__".
  return Object.fromEntries(
    sortedByName(channels).map((i) => [
      channels[i] ?? '',
      { conversions: conversions[i] ?? 0, value: values[i] ?? 0 },
    ]),
  )
}

function weightsByName(channels: readonly string[], weights: Float64Array): Record<string, number> {
  return Object.fromEntries(sortedByName(channels).map((i) => [channels[i] ?? '', weights[i] ?? 0]))
}

/**
 * Attributes path data (journeys as channel paths with conversion, null and value counts) under the
 * given models. Every model's channel totals add up to the file's total conversions and total value
 * (apart from paths without channels); with no conversion at all every total is 0.
 */
export function attributePaths(
  set: PathSet,
  models: readonly PathModel[],
  shapley: ShapleyOptions = {},
): PathAttribution {
  let totalConversions = 0
  let totalValue = 0
  for (let p = 0; p < pathCount(set); p++) {
    if ((set.offsets[p + 1] ?? 0) === (set.offsets[p] ?? 0)) continue
    totalConversions += set.conversions[p] ?? 0
    totalValue += set.values[p] ?? 0
  }
  const result: PathAttribution = { models: {}, totalConversions, totalValue, weights: {} }
  for (const model of models) {
    let totals: { conversions: Float64Array; values: Float64Array }
    if (model === 'markov') {
      const { removalEffects } = markovRemovalEffects(set)
      result.weights.markov = weightsByName(set.channels, removalEffects)
      totals = weightedTotals(removalEffects, totalConversions, totalValue)
    } else if (model === 'shapley') {
      const { values, method } = shapleyValues(set, shapley)
      result.weights.shapley = weightsByName(set.channels, values)
      result.shapleyMethod = method
      // Credits ∝ max(φ, 0), DEFINITIONS.md.
      totals = weightedTotals(
        values.map((value) => Math.max(0, value)),
        totalConversions,
        totalValue,
      )
    } else totals = heuristicTotals(set, model)
    result.models[model] = totalsByName(set.channels, totals.conversions, totals.values)
  }
  return result
}
