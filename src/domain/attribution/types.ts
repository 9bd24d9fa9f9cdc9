/**
 * The attribution engine's words (DEFINITIONS.md, Attribution): journeys of touches with milestones,
 * the conversion they lead to, and the credit each touch earns under a model.
 */

/** Milestones of a buyer's journey: first touch, lead creation, opportunity creation, closed won. */
export type Milestone = 'FT' | 'LC' | 'OC' | 'CW'
export const milestones: readonly Milestone[] = ['FT', 'LC', 'OC', 'CW']

export const attributionModels = [
  'first_touch',
  'lead_creation',
  'last_touch',
  'linear',
  'time_decay',
  'u_shaped',
  'w_shaped',
  'full_path',
  'custom',
  'markov',
  'shapley',
] as const
export type AttributionModel = (typeof attributionModels)[number]

export const conversionKinds = ['lead_created', 'mql', 'sql', 'opportunity_created', 'won'] as const
export type ConversionKind = (typeof conversionKinds)[number]

export interface Touch {
  id: string
  channel: string
  campaign: string | null
  /** Milliseconds since the epoch. */
  at: number
  /** The milestones this touch is; FT defaults to the journey's earliest touch when none is flagged. */
  milestones?: readonly Milestone[]
}

export interface Conversion {
  /** Milliseconds since the epoch; only touches at or before it earn credit. */
  at: number
  /** Revenue in integer minor units of one currency (0 when the conversion has no value). */
  value: number
  /** The deal is still open: full path's CW share is a separate pending row (conversion `won` only). */
  pending?: boolean
}

/** One journey: its touches in any order, and the conversion it led to (null: did not convert). */
export interface Journey {
  id: string
  touches: readonly Touch[]
  conversion: Conversion | null
}

/** Weights of the custom model per milestone and for the touches between them ("others"). */
export interface MilestoneWeights {
  FT: number
  LC: number
  OC: number
  CW: number
  others: number
}

export interface AttributionOptions {
  model: AttributionModel
  /** Days before the conversion a touch may be and still earn credit; null: no limit. Default 90. */
  lookbackDays?: number | null
  /** Time decay's half-life in days. Default 7. */
  halfLifeDays?: number
  /** The custom model's weights (any non-negative numbers with a positive sum; normalised). */
  customWeights?: MilestoneWeights
  /** Shapley above 16 channels: seed and permutations of the sampling. Defaults 0 and 10,000. */
  shapleySeed?: number
  shapleyPermutations?: number
  /**
   * Data-driven models only: channel weights to use instead of learning them from these journeys
   * (the product's incremental recompute credits a few journeys with the weights of the last full
   * run). A channel missing from them weighs 0.
   */
  channelWeights?: Readonly<Record<string, number>>
}

/**
 * The credit of one conversion given to one row: a touch, the pending CW share of an open deal
 * (full path), or nothing when no touch falls in the lookback window.
 */
export interface Credit {
  journeyId: string
  kind: 'touch' | 'pending' | 'no_touch'
  touchId: string | null
  channel: string | null
  campaign: string | null
  /** The share of the conversion, 0-1; a conversion's shares sum to 1. */
  credit: number
  /** The share of its value in minor units; a conversion's values sum to its value exactly. */
  value: number
}

export interface CreditTotal {
  conversions: number
  value: number
}

export interface AttributionResult {
  model: AttributionModel
  credits: Credit[]
  /** Per channel, sorted by name; pending and no-touch shares are not in any channel. */
  byChannel: Array<CreditTotal & { channel: string }>
  /** Per campaign, sorted by name; touches without a campaign are under null, last. */
  byCampaign: Array<CreditTotal & { campaign: string | null }>
  pending: CreditTotal
  noTouch: CreditTotal
  /** Data-driven models: the weight of each channel (removal effect, or max(φ, 0)). */
  channelWeights?: Record<string, number>
}
