/**
 * The forecast's periods (issue 13): a month or a fiscal quarter of the workspace calendar
 * (src/domain/calendar.ts), named by its key, with its first local day and the local day after its
 * last, as forecast_submissions and targets store them. A period is closed once it has ended.
 */
import type { Kysely } from 'kysely'
import { DateTime } from 'luxon'
import { type FiscalCalendar, type Period, periodByKey, periodOf } from '../../domain/calendar.ts'
import type { DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'

export const forecastPeriodKinds = ['month', 'quarter'] as const
export type ForecastPeriodKind = (typeof forecastPeriodKinds)[number]

export interface ForecastCalendar extends FiscalCalendar {
  baseCurrency: string
}

export interface ForecastPeriod extends Period {
  kind: ForecastPeriodKind
  /** First local day, and the local day after the last (exclusive), YYYY-MM-DD. */
  startsOn: string
  endsOn: string
}

/** The workspace's time zone, fiscal year start and base currency. */
export async function forecastCalendar(
  db: Kysely<DB>,
  workspaceId: string,
): Promise<ForecastCalendar> {
  const row = await db
    .selectFrom('workspaces')
    .select(['timeZone', 'fiscalYearStartMonth', 'baseCurrency'])
    .where('id', '=', workspaceId)
    .executeTakeFirst()
  if (!row) throw new AppError('not_found', 'Workspace not found')
  return row
}

export const localDay = (at: Date, timeZone: string) =>
  DateTime.fromJSDate(at, { zone: timeZone }).toISODate() as string

function withDays(period: Period, calendar: FiscalCalendar): ForecastPeriod {
  return {
    ...period,
    kind: period.kind as ForecastPeriodKind,
    startsOn: localDay(period.start, calendar.timeZone),
    endsOn: localDay(period.end, calendar.timeZone),
  }
}

/** The period `key` names, checked against `kind`; 400 naming periodKey otherwise. */
export function forecastPeriod(
  kind: ForecastPeriodKind,
  key: string,
  calendar: FiscalCalendar,
): ForecastPeriod {
  let period: Period
  try {
    period = periodByKey(key, calendar)
  } catch (error) {
    const message = error instanceof RangeError ? error.message.replace(/^period: /, '') : key
    throw new AppError('invalid_input', `periodKey: ${message}`, { field: 'periodKey' })
  }
  if (period.kind !== kind) {
    const example = kind === 'month' ? '2026-11' : 'FY2027-Q1'
    throw new AppError(
      'invalid_input',
      `periodKey: ${key} is a ${period.kind}, not a ${kind} (a ${kind} key looks like ${example})`,
      { field: 'periodKey' },
    )
  }
  return withDays(period, calendar)
}

/** The `kind` period holding `at`. */
export function forecastPeriodAt(kind: ForecastPeriodKind, at: Date, calendar: FiscalCalendar) {
  return withDays(periodOf(kind, at, calendar), calendar)
}

/** The period before `period`. */
export function previousPeriod(period: ForecastPeriod, calendar: FiscalCalendar) {
  return forecastPeriodAt(period.kind, new Date(period.start.getTime() - 1), calendar)
}

/** Whether the period has ended (its last local day is over). */
export const isClosed = (period: Pick<Period, 'end'>, now: Date) =>
  period.end.getTime() <= now.getTime()

/** 409 when the period has ended: submissions and adjustments are for open periods only. */
export function requireOpen(
  period: Pick<ForecastPeriod, 'key' | 'end' | 'endsOn' | 'start'>,
  timeZone: string,
  now: Date,
) {
  if (!isClosed(period, now)) return
  const lastDay = localDay(new Date(period.end.getTime() - 1), timeZone)
  throw new AppError(
    'conflict',
    `periodKey: period ${period.key} has closed (its last day was ${lastDay}); forecasts are submitted and adjusted only for open periods`,
    { field: 'periodKey', periodKey: period.key },
  )
}
