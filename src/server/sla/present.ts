import type { Selectable } from 'kysely'
import type { BusinessCalendar, DayHours, IsoWeekday } from '../../domain/business-hours.ts'
import type { BusinessCalendarsTable, SlaPoliciesTable } from '../db/schema.ts'

export type CalendarRow = Selectable<BusinessCalendarsTable>
export type PolicyRow = Selectable<SlaPoliciesTable> & { calendarName: string | null }
type StoredWeek = Record<string, DayHours | null>

export const isoWeekdays = [1, 2, 3, 4, 5, 6, 7] as const satisfies readonly IsoWeekday[]

/** The stored week (jsonb keyed '1'..'7') as the domain's week; a missing day is closed. */
export function toWeek(stored: StoredWeek): BusinessCalendar['week'] {
  const week = {} as BusinessCalendar['week']
  for (const day of isoWeekdays) {
    const hours = stored[String(day)]
    week[day] = hours ? { start: hours.start, end: hours.end } : null
  }
  return week
}

/** The domain's calendar from a stored row (or the parts of one). */
export function toBusinessCalendar(row: {
  timeZone: string
  week: StoredWeek
  holidays: string[]
}): BusinessCalendar {
  return { timeZone: row.timeZone, week: toWeek(row.week), holidays: [...row.holidays] }
}

/** Minutes as hours for display, to two decimals (90 → 1.5). */
export function hoursOf(minutes: number): number {
  return Math.round((minutes / 60) * 100) / 100
}

export function presentCalendar(row: CalendarRow, usedBy: { id: string; name: string }[]) {
  return {
    id: row.id,
    name: row.name,
    timeZone: row.timeZone,
    week: toWeek(row.week),
    holidays: [...row.holidays],
    isDefault: row.isDefault,
    usedBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

export function presentPolicy(row: PolicyRow) {
  return {
    id: row.id,
    name: row.name,
    segment: row.segment,
    calendarId: row.calendarId,
    calendar: row.calendarId ? { id: row.calendarId, name: row.calendarName ?? '' } : null,
    firstTouchMinutes: row.firstTouchMinutes,
    acceptanceMinutes: row.acceptanceMinutes,
    escalationMinutes: row.escalationMinutes,
    firstTouchHours: hoursOf(row.firstTouchMinutes),
    acceptanceHours: hoursOf(row.acceptanceMinutes),
    escalationHours: hoursOf(row.escalationMinutes),
    reassignOnEscalation: row.reassignOnEscalation,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}
