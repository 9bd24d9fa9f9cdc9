import type { Kysely } from 'kysely'
import type { BusinessCalendar } from '../../domain/business-hours.ts'
import type { DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { isoWeekdays } from './present.ts'
import { selectPolicies } from './queries.ts'
import { builtInPolicyName, defaultSlaWindows, loadPolicyCalendars } from './resolve.ts'

// A window must end within about a year of business hours: a 100,000-minute window on a calendar
// open a few minutes a week would put due times centuries away, and computing them walks every
// day in between inside the transaction that creates the handoff.
const maxWeeks = 52

function minuteOfDay(clock: string) {
  const [hours = '0', minutes = '0'] = clock.split(':')
  return Number(hours) * 60 + Number(minutes)
}

/** Nominal business minutes in one week of the calendar (DST and holidays aside). */
export function weeklyMinutes(calendar: BusinessCalendar): number {
  let total = 0
  for (const day of isoWeekdays) {
    const hours = calendar.week[day]
    if (hours) total += minuteOfDay(hours.end) - minuteOfDay(hours.start)
  }
  return total
}

/**
 * Checks, after a change to calendars or policies and inside its transaction, that every
 * policy's longest clock (decision, or first touch plus escalation) fits in a year of its
 * calendar's hours; else invalid_input naming `field`.
 */
export async function checkWindowsFit(db: Kysely<DB>, workspaceId: string, field: string) {
  const calendarOf = await loadPolicyCalendars(db, workspaceId)
  const policies = [
    ...(await selectPolicies(db, workspaceId)),
    { id: null, name: builtInPolicyName, ...defaultSlaWindows },
  ]
  for (const policy of policies) {
    const span = Math.max(
      policy.acceptanceMinutes,
      policy.firstTouchMinutes + policy.escalationMinutes,
    )
    const weekly = weeklyMinutes(calendarOf(policy.id))
    if (span > weekly * maxWeeks) {
      throw new AppError(
        'invalid_input',
        `${field}: the policy "${policy.name}" needs ${span} business minutes, more than a year of its calendar's hours (${weekly} a week); shorten its windows or open more hours`,
        { field, policyId: policy.id },
      )
    }
  }
}
