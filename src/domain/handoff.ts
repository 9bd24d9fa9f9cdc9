/**
 * The handoff's rules (DEFINITIONS.md "Handoff and the two-way SLA", "Reasons for rejecting a
 * lead"): which rejection reasons recycle and which disqualify by default, and the state of a
 * handoff's SLA clocks at a moment. Pure: the server stores the times, this reads them.
 */

export const recycleReasons = ['no_budget', 'bad_timing', 'no_response', 'no_need'] as const
export const disqualifyReasons = [
  'not_icp',
  'wrong_persona',
  'existing_customer_or_open_deal',
  'duplicate',
  'competitor_partner_or_student',
  'invalid_contact_data',
  'spam_or_test',
] as const
export const rejectionReasons = [...recycleReasons, ...disqualifyReasons] as const
export type RejectionReason = (typeof rejectionReasons)[number]
export type RejectionOutcome = 'recycle' | 'disqualify'

/** Days until a recycled lead is re-engaged when the rep names no date (DEFINITIONS.md). */
export const defaultRecycleDays = 90

/** The outcome a reason has unless the rep overrides it. */
export function defaultOutcome(reason: RejectionReason): RejectionOutcome {
  return (recycleReasons as readonly string[]).includes(reason) ? 'recycle' : 'disqualify'
}

/** Rep-initiated activity types: the first of them on the contact is the handoff's first touch. */
export const firstTouchActivityTypes = ['call', 'email', 'meeting'] as const

export interface SlaTimes {
  createdAt: Date
  firstTouchDueAt: Date
  decisionDueAt: Date
  firstTouchAt: Date | null
  decidedAt: Date | null
}

/**
 * `running`: no first touch yet, the window still open. `met`: first-touched within the window.
 * `missed`: first-touched late, or untouched at the window's end (DEFINITIONS.md: a miss).
 * `closed`: rejected before any first touch and before the window ended (not counted).
 */
export type ClockState = 'running' | 'met' | 'missed' | 'closed'

export function firstTouchState(times: SlaTimes, now: Date): ClockState {
  if (times.firstTouchAt) {
    return times.firstTouchAt.getTime() <= times.firstTouchDueAt.getTime() ? 'met' : 'missed'
  }
  if (now.getTime() > times.firstTouchDueAt.getTime()) {
    // Untouched at the window's end is a miss, even when rejected afterwards.
    if (!times.decidedAt || times.decidedAt.getTime() > times.firstTouchDueAt.getTime())
      return 'missed'
  }
  return times.decidedAt ? 'closed' : 'running'
}

/** The decision clock (acceptance window): decided in time, late, or still running. */
export function decisionState(times: SlaTimes, now: Date): Exclude<ClockState, 'closed'> {
  if (times.decidedAt) {
    return times.decidedAt.getTime() <= times.decisionDueAt.getTime() ? 'met' : 'missed'
  }
  return now.getTime() > times.decisionDueAt.getTime() ? 'missed' : 'running'
}

/**
 * The ISO date a rejected lead is re-engaged on: the rep's date (today or later, in the workspace's
 * calendar) or today + 90 days. Returns an error message for a date in the past.
 */
export function recycleDate(
  today: string,
  requested: string | undefined,
): { ok: true; date: string } | { ok: false; message: string } {
  if (requested === undefined) return { ok: true, date: addDays(today, defaultRecycleDays) }
  if (requested < today) {
    return { ok: false, message: `must be today (${today}) or later, not ${requested}` }
  }
  return { ok: true, date: requested }
}

function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`)
  date.setUTCDate(date.getUTCDate() + days)
  return date.toISOString().slice(0, 10)
}
