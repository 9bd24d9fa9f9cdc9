/**
 * The workspace calendar as the planner and the leader view use it: the workspace's zone, fiscal
 * year and base currency, and a plan's period (a month or a fiscal quarter) from its key, with
 * its first and day-after-last local dates as the targets table stores them.
 */
import type { Kysely } from 'kysely'
import { DateTime } from 'luxon'
import { type FiscalCalendar, type Period, periodByKey, periodOf } from '../../domain/calendar.ts'
import type { DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'

export type PlanPeriodKind = 'month' | 'quarter'
export const planPeriodKinds = ['month', 'quarter'] as const

export interface WorkspaceCalendar extends FiscalCalendar {
  baseCurrency: string
}

export interface PlanPeriod extends Period {
  kind: PlanPeriodKind
  /** First local day, and the local day after the last (exclusive), YYYY-MM-DD. */
  startsOn: string
  endsOn: string
}

/** The workspace's calendar, or 404 when the workspace does not exist. */
export async function loadCalendar(
  db: Kysely<DB>,
  workspaceId: string,
): Promise<WorkspaceCalendar> {
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

function withDays(period: Period, calendar: FiscalCalendar): PlanPeriod {
  return {
    ...period,
    kind: period.kind as PlanPeriodKind,
    startsOn: localDay(period.start, calendar.timeZone),
    endsOn: localDay(period.end, calendar.timeZone),
  }
}

/** The period a key names, checked against its kind; 400 naming periodKey otherwise. */
export function planPeriod(
  kind: PlanPeriodKind,
  key: string,
  calendar: FiscalCalendar,
): PlanPeriod {
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
export function planPeriodAt(kind: PlanPeriodKind, at: Date, calendar: FiscalCalendar) {
  return withDays(periodOf(kind, at, calendar), calendar)
}
