/**
 * Fit and engagement scores (DEFINITIONS.md "Scores"), as pure functions. The server computes the
 * same figures set-based in SQL (src/server/scoring/engine.ts); these are the reference its tests
 * and the docs follow.
 *
 * - fit = clamp(Σ points of the matching active fit rules, 0, 100), rounded to an integer.
 * - engagement = clamp(Σ over matching non-bot touches of points × 2^(−ageDays ÷ halfLifeDays),
 *   0, 100), rounded. Touches older than 10 half-lives are skipped: their weight is below 0.1 %.
 * - explanation: one entry per fired rule, fit rules first, then by position.
 */

export type ScoringRuleKind = 'fit' | 'engagement'

/** An engagement rule's condition: every key given must match; a list matches when it holds the touch's value. */
export interface TouchCondition {
  types?: string[]
  channels?: string[]
  campaignIds?: string[]
  urlContains?: string
  eventNames?: string[]
}

/** One fired rule in a score's explanation; points are decayed for engagement, rounded to 0.1. */
export interface ScoreReason {
  ruleId: string
  kind: ScoringRuleKind
  name: string
  points: number
  /** Engagement: how many touches matched. */
  touches?: number
}

/** A touch as scoring sees it. */
export interface ScoringTouch {
  occurredAt: Date
  type: string
  channel: string
  campaignId: string | null
  url: string | null
  eventName: string | null
  isBot: boolean
}

export interface RuleForScoring {
  id: string
  kind: ScoringRuleKind
  name: string
  position: number
  points: number
  isActive: boolean
}

/** Touches older than this many half-lives weigh less than 2^-10 (0.1 %) and are left out. */
export const maxHalfLives = 10
export const dayMs = 86_400_000

export function clampScore(sum: number): number {
  return Math.round(Math.min(100, Math.max(0, sum)))
}

/** 2^(−ageDays ÷ halfLifeDays); a touch dated after `now` counts as today's. */
export function decayWeight(occurredAt: Date, now: Date, halfLifeDays: number): number {
  const ageDays = Math.max(0, (now.getTime() - occurredAt.getTime()) / dayMs)
  return 2 ** (-ageDays / halfLifeDays)
}

/** Whether a touch counts for scoring at all: bots never, and nothing older than 10 half-lives. */
export function touchCounts(touch: ScoringTouch, now: Date, halfLifeDays: number): boolean {
  if (touch.isBot) return false
  return now.getTime() - touch.occurredAt.getTime() <= maxHalfLives * halfLifeDays * dayMs
}

const inList = (list: string[] | undefined, value: string | null) =>
  list === undefined || (value !== null && list.includes(value))

/** Whether a touch meets an engagement rule's condition (case-insensitive URL match). */
export function touchMatches(condition: TouchCondition, touch: ScoringTouch): boolean {
  if (!inList(condition.types, touch.type)) return false
  if (!inList(condition.channels, touch.channel)) return false
  if (!inList(condition.campaignIds, touch.campaignId)) return false
  if (!inList(condition.eventNames, touch.eventName)) return false
  if (condition.urlContains !== undefined) {
    if (touch.url === null) return false
    if (!touch.url.toLowerCase().includes(condition.urlContains.toLowerCase())) return false
  }
  return true
}

/** Explanation order: fit rules first, then by position, then by name and id (stable). */
export function compareRules(
  a: Pick<RuleForScoring, 'kind' | 'position' | 'name' | 'id'>,
  b: Pick<RuleForScoring, 'kind' | 'position' | 'name' | 'id'>,
): number {
  if (a.kind !== b.kind) return a.kind === 'fit' ? -1 : 1
  if (a.position !== b.position) return a.position - b.position
  if (a.name !== b.name) return a.name < b.name ? -1 : 1
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

export interface Scores {
  fit: number
  engagement: number
  explanation: ScoreReason[]
}

/**
 * A contact's scores. `fitMatches` says which fit rules the contact matches (the filter language
 * decides it, in SQL); `touchConditions` gives each engagement rule's condition by id.
 */
export function scoreContact(input: {
  rules: RuleForScoring[]
  fitMatches: (rule: RuleForScoring) => boolean
  touchConditions: Record<string, TouchCondition>
  touches: ScoringTouch[]
  now: Date
  halfLifeDays: number
}): Scores {
  const rules = input.rules.filter((rule) => rule.isActive).sort(compareRules)
  const counted = input.touches.filter((touch) => touchCounts(touch, input.now, input.halfLifeDays))
  let fitSum = 0
  let engagementSum = 0
  const explanation: ScoreReason[] = []
  for (const rule of rules) {
    if (rule.kind === 'fit') {
      if (!input.fitMatches(rule)) continue
      fitSum += rule.points
      explanation.push({ ruleId: rule.id, kind: 'fit', name: rule.name, points: rule.points })
      continue
    }
    const condition = input.touchConditions[rule.id]
    if (!condition) continue
    const matching = counted.filter((touch) => touchMatches(condition, touch))
    if (matching.length === 0) continue
    const points = matching.reduce(
      (sum, touch) =>
        sum + rule.points * decayWeight(touch.occurredAt, input.now, input.halfLifeDays),
      0,
    )
    engagementSum += points
    explanation.push({
      ruleId: rule.id,
      kind: 'engagement',
      name: rule.name,
      points: Math.round(points * 10) / 10,
      touches: matching.length,
    })
  }
  return { fit: clampScore(fitSum), engagement: clampScore(engagementSum), explanation }
}

/** The bucket (0 for 0-9, …, 9 for 90-100) of a score, for distributions. */
export function scoreBucket(score: number): number {
  return Math.min(9, Math.max(0, Math.floor(score / 10)))
}
