import type { AttributionModel, Milestone, MilestoneWeights } from './types.ts'

const dayMs = 86_400_000

/** The rule-based models (everything but Markov and Shapley). */
export type RuleModel = Exclude<AttributionModel, 'markov' | 'shapley'>

/** Shares of the position-based models, DEFINITIONS.md (Attribution). */
const positionWeights: Partial<Record<RuleModel, MilestoneWeights>> = {
  first_touch: { FT: 1, LC: 0, OC: 0, CW: 0, others: 0 },
  lead_creation: { FT: 0, LC: 1, OC: 0, CW: 0, others: 0 },
  u_shaped: { FT: 0.4, LC: 0.4, OC: 0, CW: 0, others: 0.2 },
  w_shaped: { FT: 0.3, LC: 0.3, OC: 0.3, CW: 0, others: 0.1 },
  full_path: { FT: 0.225, LC: 0.225, OC: 0.225, CW: 0.225, others: 0.1 },
}

/** One conversion's touches as the rules see them: in time order, all inside the lookback window. */
export interface RuleInput {
  /** Milliseconds since the epoch, ascending. */
  times: readonly number[]
  /** Index (into times) of the touch that is each milestone; absent: the milestone is missing here. */
  positions: Partial<Record<Milestone, number>>
  conversionAt: number
  /** The deal is open: CW is present, as a pending share outside the touches. */
  pending: boolean
}

export interface RuleShares {
  /** Per touch, 0-1. */
  touches: Float64Array
  /** The pending CW share of an open deal (full path and custom only). */
  pending: number
}

export interface RuleSettings {
  halfLifeDays: number
  customWeights?: MilestoneWeights
}

/** Checks custom weights (finite, non-negative, positive sum) and scales them to sum to 1. */
export function normaliseWeights(weights: MilestoneWeights): MilestoneWeights {
  const values = [weights.FT, weights.LC, weights.OC, weights.CW, weights.others]
  if (values.some((value) => !Number.isFinite(value) || value < 0)) {
    throw new RangeError('custom weights must be finite numbers ≥ 0')
  }
  const sum = values.reduce((total, value) => total + value, 0)
  if (sum <= 0) throw new RangeError('custom weights must not all be 0')
  return {
    FT: weights.FT / sum,
    LC: weights.LC / sum,
    OC: weights.OC / sum,
    CW: weights.CW / sum,
    others: weights.others / sum,
  }
}

/**
 * Milestone shares with the folding rule: coinciding milestones add up on their touch; a missing
 * milestone's share goes to the present ones in proportion to their shares; "others" are the touches
 * strictly between the first and the last milestone present, and with none their share is spread like
 * a missing milestone's. When no position of the model is present, the earliest touch gets it all.
 */
function foldMilestones(input: RuleInput, weights: MilestoneWeights): RuleShares {
  const n = input.times.length
  const shares = new Float64Array(n)
  const present: Array<{ milestone: Milestone; index: number }> = []
  for (const milestone of ['FT', 'LC', 'OC'] as const) {
    const index = input.positions[milestone]
    if (index !== undefined) present.push({ milestone, index })
  }
  // An open deal's CW lies after every touch; a won deal's CW is its flagged touch.
  const cwIndex = input.pending ? n : input.positions.CW
  if (cwIndex !== undefined) present.push({ milestone: 'CW', index: cwIndex })

  const milestoneTouches = new Set(present.map((entry) => entry.index))
  const first = Math.min(...present.map((entry) => entry.index))
  const last = Math.max(...present.map((entry) => entry.index))
  const others: number[] = []
  for (let index = first + 1; index < last; index++) {
    if (!milestoneTouches.has(index)) others.push(index)
  }
  const milestoneSum = present.reduce((sum, entry) => sum + weights[entry.milestone], 0)
  const othersShare = others.length > 0 ? weights.others : 0
  let pending = 0
  if (milestoneSum + othersShare <= 0) {
    shares[0] = 1
    return { touches: shares, pending }
  }
  const othersPart = milestoneSum > 0 ? othersShare : 1
  const scale = milestoneSum > 0 ? (1 - othersPart) / milestoneSum : 0
  for (const entry of present) {
    const share = weights[entry.milestone] * scale
    if (entry.index === n) pending += share
    else shares[entry.index] = (shares[entry.index] ?? 0) + share
  }
  if (others.length > 0) {
    for (const index of others) shares[index] = (shares[index] ?? 0) + othersPart / others.length
  }
  return { touches: shares, pending }
}

/** The share of one conversion each touch earns under a rule-based model (shares sum to 1). */
export function ruleShares(model: RuleModel, input: RuleInput, settings: RuleSettings): RuleShares {
  const n = input.times.length
  if (n === 0) throw new RangeError('a conversion with no touch has no rule shares')
  const shares = new Float64Array(n)
  switch (model) {
    case 'last_touch':
      shares[n - 1] = 1
      return { touches: shares, pending: 0 }
    case 'linear':
      shares.fill(1 / n)
      return { touches: shares, pending: 0 }
    case 'time_decay': {
      // Weight ∝ 2^(−days before the conversion / half-life), DEFINITIONS.md; measured from the
      // newest touch so that very old touches do not underflow to 0 together.
      const newest = input.times[n - 1] ?? input.conversionAt
      let sum = 0
      for (let i = 0; i < n; i++) {
        const days = (newest - (input.times[i] ?? newest)) / dayMs
        const weight = 2 ** (-days / settings.halfLifeDays)
        shares[i] = weight
        sum += weight
      }
      for (let i = 0; i < n; i++) shares[i] = (shares[i] ?? 0) / sum
      return { touches: shares, pending: 0 }
    }
    case 'custom': {
      if (!settings.customWeights) throw new RangeError('the custom model needs weights')
      return foldMilestones(input, normaliseWeights(settings.customWeights))
    }
    default: {
      const weights = positionWeights[model]
      if (!weights) throw new RangeError(`unknown model ${model}`)
      return foldMilestones(input, weights)
    }
  }
}
