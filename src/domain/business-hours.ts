/**
 * The business-hours clock of the two-way SLA (issue 7; DEFINITIONS.md "Handoff and the two-way
 * SLA"): time to first touch and the acceptance/decision windows count business minutes of a
 * calendar, by default Mon-Fri 09:00-17:00 in the workspace time zone.
 *
 * Dates are instants; opening hours and holidays are wall-clock times and dates in the calendar's
 * IANA zone, resolved by luxon (so DST is the zone's, not ours):
 *   - a day's hours are [start, end) local time; a day that loses an hour inside them (spring
 *     forward) has one fewer business hour, a day that repeats one (fall back) has one more;
 *   - a start or end inside a DST gap moves forward by the gap (02:30 on a day that skips 02:00-03:00
 *     is 03:30, as luxon does); one inside a repeated hour is its first occurrence;
 *   - `end` may be '24:00' (the next local midnight), so round-the-clock hours are expressible;
 *     overnight intervals (end ≤ start) are refused.
 * Everything walks day by day, never minute by minute.
 */
import { DateTime, IANAZone } from 'luxon'
import { z } from 'zod'

export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7

/** Opening hours of one day, local 'HH:MM' (end may be '24:00'), start < end. */
export interface DayHours {
  start: string
  end: string
}

export interface BusinessCalendar {
  /** IANA time zone, e.g. 'Europe/Paris'. */
  timeZone: string
  /** Hours by ISO weekday (1 = Monday … 7 = Sunday); null = closed all day. */
  week: Record<IsoWeekday, DayHours | null>
  /** Closed local dates, 'YYYY-MM-DD'. */
  holidays: readonly string[]
}

/** The workspace calendar of DEFINITIONS.md: Mon-Fri 09:00-17:00 in `timeZone`, no holidays. */
export function defaultCalendar(timeZone: string): BusinessCalendar {
  const day = { start: '09:00', end: '17:00' }
  return {
    timeZone,
    week: { 1: day, 2: day, 3: day, 4: day, 5: day, 6: null, 7: null },
    holidays: [],
  }
}

const clockPattern = /^(?:[01]\d|2[0-3]):[0-5]\d$/
const isEndClock = (value: string) => clockPattern.test(value) || value === '24:00'
const Clock = z.string().regex(clockPattern, { error: 'must be a time HH:MM such as 09:00' })
const EndClock = z.string().refine(isEndClock, {
  error: 'must be a time HH:MM such as 17:00, or 24:00 for midnight',
})

const DayHoursInput = z
  .object(
    { start: Clock, end: EndClock },
    { error: 'must be { start, end } or null for a closed day' },
  )
  .refine(
    // Compared only when both are times; a malformed one already has its own message.
    (hours) =>
      !clockPattern.test(hours.start) ||
      !isEndClock(hours.end) ||
      minuteOfDay(hours.end) > minuteOfDay(hours.start),
    {
      error:
        'end must be after start; overnight hours (ending at or before the start) are not supported',
      path: ['end'],
    },
  )
  .nullable()

/** A business calendar as an admin enters it (SLA policy or workspace settings), validated. */
export const BusinessCalendarInput = z.object({
  timeZone: z.string().refine((zone) => IANAZone.isValidZone(zone), {
    error: 'must be an IANA time zone such as Europe/Paris',
  }),
  week: z
    .strictObject(
      {
        1: DayHoursInput,
        2: DayHoursInput,
        3: DayHoursInput,
        4: DayHoursInput,
        5: DayHoursInput,
        6: DayHoursInput,
        7: DayHoursInput,
      },
      {
        error: (issue) =>
          issue.code === 'unrecognized_keys'
            ? `unknown day ${issue.keys.map((key) => `"${key}"`).join(', ')}; days are 1 (Monday) to 7 (Sunday)`
            : 'must be an object of days 1 (Monday) to 7 (Sunday)',
      },
    )
    .refine((week) => Object.values(week).some((hours) => hours !== null), {
      error: 'at least one day of the week must have opening hours',
    }),
  holidays: z
    .array(z.iso.date({ error: 'must be a date YYYY-MM-DD such as 2026-12-25' }))
    .max(366, { error: 'at most 366 holidays' }),
})
export type BusinessCalendarInput = z.infer<typeof BusinessCalendarInput>

/** Whether the calendar is open at `at` (opening instant included, closing instant excluded). */
export function isOpen(calendar: BusinessCalendar, at: Date): boolean {
  const t = checkedTime(at)
  const hours = openingHours(calendar, localDay(calendar.timeZone, t))
  return hours !== null && hours.open <= t && t < hours.close
}

/** The first instant at or after `at` when the calendar is open (`at` itself when open). */
export function nextOpening(calendar: BusinessCalendar, at: Date): Date {
  return addBusinessMinutes(calendar, at, 0)
}

/**
 * The instant when `minutes` business minutes have elapsed since `from`; outside hours the clock
 * starts at the next opening. A window that ends exactly at closing time is due at closing time.
 * This is how a handoff's due time is stored when it is created.
 */
export function addBusinessMinutes(calendar: BusinessCalendar, from: Date, minutes: number): Date {
  if (!Number.isFinite(minutes) || minutes < 0) {
    throw new RangeError(`business minutes must be a finite number ≥ 0, got ${minutes}`)
  }
  const t = checkedTime(from)
  let remaining = minutes * minuteMs
  let day = localDay(calendar.timeZone, t)
  let closedDays = 0
  for (;;) {
    const hours = openingHours(calendar, day)
    if (hours !== null && hours.close > t) {
      closedDays = 0
      const start = Math.max(hours.open, t)
      if (remaining <= hours.close - start) return new Date(start + remaining)
      remaining -= hours.close - start
    } else if (++closedDays > maxClosedDays) {
      throw new RangeError(
        `the calendar (${calendar.timeZone}) has no opening hours in ${maxClosedDays} days`,
      )
    }
    day += 1
  }
}

/**
 * Business minutes in [from, to), 0 when to ≤ from; fractional when the instants are not on whole
 * minutes. This is how time to first touch is measured.
 */
export function businessMinutesBetween(calendar: BusinessCalendar, from: Date, to: Date): number {
  const start = checkedTime(from)
  const end = checkedTime(to)
  if (end <= start) return 0
  const lastDay = localDay(calendar.timeZone, end)
  let total = 0
  for (let day = localDay(calendar.timeZone, start); day <= lastDay; day++) {
    const hours = openingHours(calendar, day)
    if (hours === null) continue
    const overlap = Math.min(hours.close, end) - Math.max(hours.open, start)
    if (overlap > 0) total += overlap
  }
  return total / minuteMs
}

const minuteMs = 60_000
const dayMs = 24 * 60 * minuteMs
// Ten years without an opening: only a calendar that is never open gets here (the schema allows at
// most 366 holidays), so stop rather than loop forever.
const maxClosedDays = 3_700

function checkedTime(date: Date): number {
  const t = date.getTime()
  if (Number.isNaN(t)) throw new RangeError('invalid date')
  return t
}

/**
 * The local date of an instant in `timeZone`, as a day number (days since 1970-01-01): the day
 * whose local midnight is the last one at or before `t`. UTC offsets stay within ±14 hours, so it is
 * the UTC date or a neighbour.
 */
function localDay(timeZone: string, t: number): number {
  const utcDay = Math.floor(t / dayMs)
  for (let day = utcDay + 1; day >= utcDay - 1; day--) {
    if (localInstant(timeZone, day, 0) <= t) return day
  }
  throw new RangeError(`no local date for ${new Date(t).toISOString()} in ${timeZone}`)
}

/** The opening and closing instants of one local day, or null when closed all day. */
function openingHours(
  calendar: BusinessCalendar,
  day: number,
): { open: number; close: number } | null {
  // 1970-01-01 was a Thursday (ISO 4).
  const weekday = ((((day + 3) % 7) + 7) % 7) + 1
  const hours = calendar.week[weekday as IsoWeekday]
  if (!hours || holidaysOf(calendar).has(day)) return null
  const open = localInstant(calendar.timeZone, day, minuteOfDay(hours.start))
  const close = localInstant(calendar.timeZone, day, minuteOfDay(hours.end))
  // Both ends inside one DST gap collapse to the same instant: no hours that day.
  return close > open ? { open, close } : null
}

// Memos of pure functions, so that a day costs a few map look-ups rather than luxon's Intl calls.
// Calendars are values: a holidays array is read once, not watched for changes.
const holidayDays = new WeakMap<readonly string[], Set<number>>()
const instantsByZone = new Map<string, Map<number, number>>()
const maxInstantsPerZone = 100_000

function holidaysOf(calendar: BusinessCalendar): Set<number> {
  let days = holidayDays.get(calendar.holidays)
  if (!days) {
    days = new Set(calendar.holidays.map((date) => Date.parse(`${date}T00:00:00Z`) / dayMs))
    holidayDays.set(calendar.holidays, days)
  }
  return days
}

/**
 * The instant of a local wall-clock minute (0-1440, 1440 = the next midnight) of a local day, by
 * luxon: a time inside a DST gap moves forward past it; one that occurs twice is the first.
 */
function localInstant(timeZone: string, day: number, minute: number): number {
  if (minute === 1440) return localInstant(timeZone, day + 1, 0)
  let instants = instantsByZone.get(timeZone)
  if (!instants) {
    instants = new Map()
    instantsByZone.set(timeZone, instants)
  }
  const key = day * 1440 + minute
  const known = instants.get(key)
  if (known !== undefined) return known
  const date = new Date(day * dayMs)
  const local = DateTime.fromObject(
    {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      hour: Math.floor(minute / 60),
      minute: minute % 60,
    },
    { zone: timeZone },
  )
  if (!local.isValid) throw new RangeError(`invalid time zone or date: ${timeZone}`)
  // luxon alone resolves a repeated wall time by today's offset, so the answer would change with
  // the season the code runs in; take the first occurrence instead.
  const instant = Math.min(...local.getPossibleOffsets().map((candidate) => candidate.toMillis()))
  if (instants.size >= maxInstantsPerZone) instants.clear()
  instants.set(key, instant)
  return instant
}

function minuteOfDay(clock: string): number {
  const [hours = '', minutes = ''] = clock.split(':')
  return Number(hours) * 60 + Number(minutes)
}
