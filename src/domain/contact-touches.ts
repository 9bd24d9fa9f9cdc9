import type { TouchpointType } from './touchpoints.ts'

/**
 * What a contact's touches say about it (DEFINITIONS.md, Touchpoints and Attribution): the UTM
 * values of its first and last touch that carried any, and its lead-creation touch (LC): the
 * `form_submit` that made the person known, else the first touch at or after the identify that
 * made them known. Bot and scanner touches never count.
 */

export interface TouchFact {
  id: string
  occurredAt: Date
  type: TouchpointType
  /** The touch's UTM values; null or empty when it had none. */
  utm: Record<string, string> | null
  isBot: boolean
}

export interface ContactTouchState {
  /** When the person became known: their first identify, else when the contact was created. */
  identifiedAt: Date
  /** Whether first-touch UTM values are stored, and the time of their touch (null if imported). */
  hasFirstUtm: boolean
  firstUtmAt: Date | null
  hasLastUtm: boolean
  lastUtmAt: Date | null
  leadCreation: { at: Date; type: string } | null
}

export interface TouchSummaryChange {
  firstUtm?: { utm: Record<string, string>; at: Date }
  lastUtm?: { utm: Record<string, string>; at: Date }
  leadCreation?: { id: string; at: Date; type: TouchpointType }
}

/** A form submitted this close to the identify is the one that made the person known. */
export const leadFormWindowMs = 10 * 60_000

const hasUtm = (utm: Record<string, string> | null): utm is Record<string, string> =>
  utm !== null && Object.keys(utm).length > 0

/** 2: the form that made them known; 1: a touch at or after the identify; 0: not a candidate. */
function leadRank(at: Date, type: string, identifiedAt: Date): number {
  const offset = at.getTime() - identifiedAt.getTime()
  if (type === 'form_submit' && Math.abs(offset) <= leadFormWindowMs) return 2
  return offset >= 0 ? 1 : 0
}

/** The changes new touches make to a contact's first/last UTM values and lead-creation touch. */
export function summarizeTouches(
  state: ContactTouchState,
  touches: readonly TouchFact[],
): TouchSummaryChange {
  const change: TouchSummaryChange = {}
  // Stored first-touch values without a time (imported) stay: nothing says a live touch came first.
  const isFirstKept = state.hasFirstUtm && state.firstUtmAt === null
  let firstAt = state.hasFirstUtm ? state.firstUtmAt : null
  let lastAt = state.hasLastUtm ? state.lastUtmAt : null
  let lead = state.leadCreation && {
    at: state.leadCreation.at,
    rank: leadRank(state.leadCreation.at, state.leadCreation.type, state.identifiedAt) || 1,
  }
  for (const touch of touches) {
    if (touch.isBot) continue
    const at = touch.occurredAt
    if (hasUtm(touch.utm)) {
      if (!isFirstKept && (firstAt === null || at < firstAt)) {
        change.firstUtm = { utm: touch.utm, at }
        firstAt = at
      }
      if (lastAt === null || at >= lastAt) {
        change.lastUtm = { utm: touch.utm, at }
        lastAt = at
      }
    }
    const rank = leadRank(at, touch.type, state.identifiedAt)
    if (rank > 0 && (!lead || rank > lead.rank || (rank === lead.rank && at < lead.at))) {
      change.leadCreation = { id: touch.id, at, type: touch.type }
      lead = { at, rank }
    }
  }
  return change
}
