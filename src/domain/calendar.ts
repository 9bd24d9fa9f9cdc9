/**
 * The workspace calendar of targets and forecasts (issue 13; DEFINITIONS.md "Forecasting and
 * targets"): days, weeks, months and fiscal quarters in the workspace's time zone.
 *
 * - A day is local midnight to midnight (23 or 25 hours across a DST change: luxon's zone rules).
 * - A week is an ISO week, Monday to Sunday; it may cross a month, a quarter or a year, and is
 *   keyed by its ISO week-year ('2026-W01' starts on Monday 29 December 2025).
 * - A month is a calendar month; a fiscal quarter is three months from the fiscal year's start
 *   month (1 = January … 12 = December).
 * - A fiscal year is named by the calendar year in which it ends (a year starting in February
 *   2026 is FY2027), as Salesforce does by default; starting in January, it is the calendar year.
 *
 * Periods are half-open instants [start, end). Keys: '2026-11-29', '2026-W48', '2026-11',
 * 'FY2027-Q1'.
 */
import { DateTime } from 'luxon'

export type PeriodKind = 'day' | 'week' | 'month' | 'quarter'

export const periodKinds: readonly PeriodKind[] = ['day', 'week', 'month', 'quarter']

export interface FiscalCalendar {
  /** IANA time zone, e.g. 'Europe/Paris'. */
  timeZone: string
  /** The fiscal year's first month, 1-12. */
  fiscalYearStartMonth: number
}

export interface Period {
  kind: PeriodKind
  key: string
  /** The first instant of the period. */
  start: Date
  /** The first instant after it. */
  end: Date
}

function check(calendar: FiscalCalendar) {
  const { fiscalYearStartMonth: month } = calendar
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    throw new RangeError(`fiscalYearStartMonth: ${month} is not a month from 1 to 12`)
  }
  if (!DateTime.local().setZone(calendar.timeZone).isValid) {
    throw new RangeError(`timeZone: ${calendar.timeZone} is not an IANA time zone`)
  }
}

/** The fiscal year (by its ending year) and quarter (1-4) of a local calendar month. */
export function fiscalQuarterOf(year: number, month: number, startMonth: number) {
  const offset = (month - startMonth + 12) % 12
  const fiscalYear = startMonth === 1 || month < startMonth ? year : year + 1
  return { fiscalYear, quarter: Math.floor(offset / 3) + 1 }
}

function periodFrom(kind: PeriodKind, first: DateTime, calendar: FiscalCalendar): Period {
  const next =
    kind === 'day'
      ? first.plus({ days: 1 })
      : kind === 'week'
        ? first.plus({ weeks: 1 })
        : kind === 'month'
          ? first.plus({ months: 1 })
          : first.plus({ months: 3 })
  let key: string
  if (kind === 'day') key = first.toISODate() as string
  else if (kind === 'week') {
    key = `${first.weekYear}-W${String(first.weekNumber).padStart(2, '0')}`
  } else if (kind === 'month') key = first.toFormat('yyyy-MM')
  else {
    const { fiscalYear, quarter } = fiscalQuarterOf(
      first.year,
      first.month,
      calendar.fiscalYearStartMonth,
    )
    key = `FY${fiscalYear}-Q${quarter}`
  }
  return { kind, key, start: first.toJSDate(), end: next.startOf('day').toJSDate() }
}

/** The local start of the `kind` period holding local time `at`. */
function firstOf(kind: PeriodKind, at: DateTime, startMonth: number): DateTime {
  if (kind === 'day') return at.startOf('day')
  if (kind === 'week') return at.startOf('week')
  const month = at.startOf('month')
  if (kind === 'month') return month
  const back = (((at.month - startMonth) % 3) + 3) % 3
  return month.minus({ months: back })
}

/** The `kind` period of the workspace calendar that holds the instant `at`. */
export function periodOf(kind: PeriodKind, at: Date, calendar: FiscalCalendar): Period {
  check(calendar)
  const local = DateTime.fromJSDate(at, { zone: calendar.timeZone })
  return periodFrom(kind, firstOf(kind, local, calendar.fiscalYearStartMonth), calendar)
}

const keyPatterns: [PeriodKind, RegExp][] = [
  ['day', /^(\d{4})-(\d{2})-(\d{2})$/],
  ['week', /^(\d{4})-W(\d{2})$/],
  ['month', /^(\d{4})-(\d{2})$/],
  ['quarter', /^FY(\d{4})-Q([1-4])$/],
]

/** The period a key names; a RangeError names what is wrong with a bad one. */
export function periodByKey(key: string, calendar: FiscalCalendar): Period {
  check(calendar)
  const zone = calendar.timeZone
  for (const [kind, pattern] of keyPatterns) {
    const match = pattern.exec(key)
    if (!match) continue
    const [a, b, c] = match.slice(1).map(Number) as [number, number, number]
    let first: DateTime
    if (kind === 'day') first = DateTime.fromObject({ year: a, month: b, day: c }, { zone })
    else if (kind === 'week') {
      first = DateTime.fromObject({ weekYear: a, weekNumber: b, weekday: 1 }, { zone })
    } else if (kind === 'month')
      first = DateTime.fromObject({ year: a, month: b, day: 1 }, { zone })
    else {
      // FY a starts in the start month of year a − 1 (or of year a when it starts in January).
      const startMonth = calendar.fiscalYearStartMonth
      const yearStart = DateTime.fromObject(
        { year: startMonth === 1 ? a : a - 1, month: startMonth, day: 1 },
        { zone },
      )
      first = yearStart.plus({ months: (b - 1) * 3 })
    }
    const period = first.isValid ? periodFrom(kind, first.startOf('day'), calendar) : undefined
    // Luxon rolls some impossible dates over (week 53 of a 52-week year): the key must survive.
    if (!period || period.key !== key) throw new RangeError(`period: ${key} is not a valid ${kind}`)
    return period
  }
  throw new RangeError(
    `period: ${key} is not a day (2026-11-29), week (2026-W48), month (2026-11) or quarter (FY2027-Q1)`,
  )
}

/** The `kind` periods overlapping [from, to), in order. */
export function periodsBetween(
  kind: PeriodKind,
  from: Date,
  to: Date,
  calendar: FiscalCalendar,
): Period[] {
  const out: Period[] = []
  if (to.getTime() <= from.getTime()) return out
  let period = periodOf(kind, from, calendar)
  while (period.start.getTime() < to.getTime()) {
    out.push(period)
    period = periodOf(kind, period.end, calendar)
  }
  return out
}

/**
 * The share of `period` that falls in [from, to), by local calendar days (a target spread evenly
 * over its days, DST-long or short days counting one each): how much of a month's target a week
 * crossing two months carries.
 */
export function dayShare(period: Period, from: Date, to: Date, calendar: FiscalCalendar): number {
  const days = periodsBetween('day', period.start, period.end, calendar)
  if (days.length === 0) return 0
  const inside = days.filter(
    (day) => day.start.getTime() >= from.getTime() && day.end.getTime() <= to.getTime(),
  )
  return inside.length / days.length
}
