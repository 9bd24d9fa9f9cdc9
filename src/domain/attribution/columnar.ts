import { splitByLargestRemainder } from '../money.ts'
import { markovRemovalEffects } from './markov.ts'
import { PathSetBuilder } from './path-set.ts'
import { normaliseWeights, type RuleModel, type RuleSettings, ruleShares } from './rules.ts'
import { shapleyValues } from './shapley.ts'
import {
  type AttributionModel,
  attributionModels,
  type Milestone,
  type MilestoneWeights,
} from './types.ts'

/**
 * The engine of `engine.ts` over columns (issue 12, the full recompute of millions of touches):
 * touches live once in typed arrays, a journey is a range of an index list (deals of one account
 * share its touches), and every model runs in one pass over the journeys. Credits go to a sink
 * instead of objects. For the same journeys it gives exactly what `attribute()` gives under each
 * model (columnar.test.ts), with the product's rule for open deals: a pending journey is credited
 * under full path only and teaches the data-driven models nothing.
 */

export interface TouchColumns {
  /** Milliseconds since the epoch. */
  at: Float64Array
  /** Index into `channels`. */
  channel: Int32Array
  channels: readonly string[]
}

export interface JourneyColumns {
  count: number
  /** Journey j's touches in time order: touch indexes order[from[j]] … order[to[j] − 1]. */
  order: Int32Array
  from: Int32Array
  to: Int32Array
  /** When the journey converted; NaN: it did not. */
  conversionAt: Float64Array
  /** The conversion's value in minor units. */
  value: Float64Array
  /** 1: an open deal's pending `won`. */
  pending: Uint8Array
  /** Positions in `order` of the LC, OC and CW touches; −1: missing. FT is the journey's first touch. */
  lc: Int32Array
  oc: Int32Array
  cw: Int32Array
}

export type CreditKind = 'touch' | 'pending' | 'no_touch'

/** Receives each credit: the touch's index (−1 for pending and no-touch rows). */
export type CreditSink = (
  model: AttributionModel,
  journey: number,
  touch: number,
  kind: CreditKind,
  credit: number,
  value: number,
) => void

export interface ColumnarOptions {
  models?: readonly AttributionModel[]
  /** Days of the lookback window; null: none. */
  lookbackDays: number | null
  halfLifeDays: number
  customWeights?: MilestoneWeights
  shapleySeed?: number
  shapleyPermutations?: number
  /** Weights to use instead of learning them (the incremental recompute's). */
  channelWeights?: Partial<Record<'markov' | 'shapley', Readonly<Record<string, number>>>>
}

export interface ColumnarResult {
  channelWeights: { markov: Record<string, number>; shapley: Record<string, number> }
}

const dayMs = 86_400_000

/** Each journey's credited range in `order`: inside the window for a conversion, all otherwise. */
function creditedRanges(
  touches: TouchColumns,
  journeys: JourneyColumns,
  lookbackDays: number | null,
) {
  const start = new Int32Array(journeys.count)
  const end = new Int32Array(journeys.count)
  const { at } = touches
  const { order } = journeys
  for (let j = 0; j < journeys.count; j++) {
    const from = journeys.from[j] as number
    const to = journeys.to[j] as number
    const conversionAt = journeys.conversionAt[j] as number
    if (Number.isNaN(conversionAt)) {
      start[j] = from
      end[j] = to
      continue
    }
    const earliest = lookbackDays === null ? -Infinity : conversionAt - lookbackDays * dayMs
    let s = from
    while (s < to && (at[order[s] as number] as number) < earliest) s++
    let e = s
    while (e < to && (at[order[e] as number] as number) <= conversionAt) e++
    start[j] = s
    end[j] = e
  }
  return { start, end }
}

/** Markov removal effects and Shapley values over the settled journeys (as engine.ts learns them). */
function learnWeights(
  touches: TouchColumns,
  journeys: JourneyColumns,
  ranges: { start: Int32Array; end: Int32Array },
  options: ColumnarOptions,
  needed: { markov: boolean; shapley: boolean },
) {
  const builder = new PathSetBuilder()
  const names = new Array<number>(touches.channels.length).fill(-1)
  const steps: number[] = []
  for (let j = 0; j < journeys.count; j++) {
    if (journeys.pending[j]) continue
    const s = ranges.start[j] as number
    const e = ranges.end[j] as number
    if (e <= s) continue
    steps.length = 0
    for (let p = s; p < e; p++) {
      const c = touches.channel[journeys.order[p] as number] as number
      let index = names[c] as number
      if (index < 0) {
        index = builder.channelIndex(touches.channels[c] as string)
        names[c] = index
      }
      steps.push(index)
    }
    const converted = !Number.isNaN(journeys.conversionAt[j] as number)
    builder.addIndexes(steps, converted ? 1 : 0, converted ? 0 : 1)
  }
  const set = builder.build()
  const weigh = (values: ArrayLike<number>) =>
    Object.fromEntries(set.channels.map((channel, i) => [channel, values[i] ?? 0]))
  return {
    markov: needed.markov ? weigh(markovRemovalEffects(set).removalEffects) : {},
    shapley: needed.shapley
      ? weigh(
          shapleyValues(set, {
            seed: options.shapleySeed,
            permutations: options.shapleyPermutations,
          }).values.map((value) => Math.max(0, value)),
        )
      : {},
  }
}

/**
 * Attributes every converting journey under each model, calling `sink` for each credit in the order
 * `attribute()` lists them within a journey, and returns the data-driven weights it used.
 */
export function attributeColumns(
  touches: TouchColumns,
  journeys: JourneyColumns,
  options: ColumnarOptions,
  sink: CreditSink,
): ColumnarResult {
  const models = options.models ?? attributionModels
  for (const model of models) {
    if (!(attributionModels as readonly string[]).includes(model)) {
      throw new RangeError(`unknown model ${model}`)
    }
  }
  const settings: RuleSettings = {
    halfLifeDays: options.halfLifeDays,
    customWeights: options.customWeights,
  }
  if (models.includes('custom')) {
    if (!options.customWeights) throw new RangeError('the custom model needs customWeights')
    normaliseWeights(options.customWeights)
  }
  const ranges = creditedRanges(touches, journeys, options.lookbackDays)
  const fixed = options.channelWeights ?? {}
  const needed = {
    markov: models.includes('markov') && !fixed.markov,
    shapley: models.includes('shapley') && !fixed.shapley,
  }
  const learned =
    needed.markov || needed.shapley
      ? learnWeights(touches, journeys, ranges, options, needed)
      : { markov: {}, shapley: {} }
  const channelWeights = {
    markov: { ...(fixed.markov ?? learned.markov) },
    shapley: { ...(fixed.shapley ?? learned.shapley) },
  }
  const weightOf = (weights: Readonly<Record<string, number>>) =>
    Float64Array.from(touches.channels, (name) =>
      Object.hasOwn(weights, name) ? (weights[name] ?? 0) : 0,
    )
  const weightsOf = {
    markov: weightOf(channelWeights.markov),
    shapley: weightOf(channelWeights.shapley),
  }
  const ruleModels = models.filter(
    (model): model is RuleModel => model !== 'markov' && model !== 'shapley',
  )
  const dataModels = models.filter(
    (model): model is 'markov' | 'shapley' => model === 'markov' || model === 'shapley',
  )

  const { at, channel } = touches
  const { order } = journeys
  const times: number[] = []
  const positions: Partial<Record<Milestone, number>> = {}
  const rows: number[] = []
  const parts: number[] = []
  const distinct: number[] = []
  const counts = new Int32Array(touches.channels.length)
  const emit = (
    model: AttributionModel,
    j: number,
    s: number,
    shares: Float64Array,
    pendingShare: number,
  ) => {
    rows.length = 0
    parts.length = 0
    for (let i = 0; i < shares.length; i++) {
      const share = shares[i] as number
      if (share > 0) {
        rows.push(i)
        parts.push(share)
      }
    }
    if (pendingShare > 0) parts.push(pendingShare)
    const values = splitByLargestRemainder(journeys.value[j] as number, parts)
    for (let k = 0; k < rows.length; k++) {
      const touch = order[s + (rows[k] as number)] as number
      sink(model, j, touch, 'touch', parts[k] as number, values[k] ?? 0)
    }
    if (pendingShare > 0) {
      sink(model, j, -1, 'pending', pendingShare, values[rows.length] ?? 0)
    }
  }

  for (let j = 0; j < journeys.count; j++) {
    const conversionAt = journeys.conversionAt[j] as number
    if (Number.isNaN(conversionAt)) continue
    const pending = journeys.pending[j] === 1
    const s = ranges.start[j] as number
    const e = ranges.end[j] as number
    const value = journeys.value[j] as number
    if (e <= s) {
      for (const model of models) {
        if (pending && model !== 'full_path') continue
        sink(model, j, -1, 'no_touch', 1, value)
      }
      continue
    }
    times.length = 0
    for (let p = s; p < e; p++) times.push(at[order[p] as number] as number)
    const from = journeys.from[j] as number
    for (const milestone of ['FT', 'LC', 'OC', 'CW'] as const) delete positions[milestone]
    const place = (milestone: Milestone, position: number) => {
      if (position >= s && position < e) positions[milestone] = position - s
    }
    place('FT', from)
    place('LC', journeys.lc[j] as number)
    place('OC', journeys.oc[j] as number)
    place('CW', journeys.cw[j] as number)
    const input = { times, positions, conversionAt, pending }
    for (const model of ruleModels) {
      if (pending && model !== 'full_path') continue
      const shares = ruleShares(model, input, settings)
      emit(model, j, s, shares.touches, shares.pending)
    }
    if (pending || dataModels.length === 0) continue
    // Data-driven: the conversion over the journey's channels ∝ weight, then equally per touch.
    distinct.length = 0
    for (let p = s; p < e; p++) {
      const c = channel[order[p] as number] as number
      if ((counts[c] as number) === 0) distinct.push(c)
      counts[c] = (counts[c] as number) + 1
    }
    for (const model of dataModels) {
      const weights = weightsOf[model]
      let sum = 0
      for (const c of distinct) sum += weights[c] as number
      const shares = new Float64Array(e - s)
      for (let p = s; p < e; p++) {
        const c = channel[order[p] as number] as number
        const channelShare = sum > 0 ? (weights[c] as number) / sum : 1 / distinct.length
        shares[p - s] = channelShare / (counts[c] as number)
      }
      emit(model, j, s, shares, 0)
    }
    for (const c of distinct) counts[c] = 0
  }
  return { channelWeights }
}
