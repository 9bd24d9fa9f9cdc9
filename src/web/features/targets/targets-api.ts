import { type PeriodKind, periodByKey, periodOf } from '../../../domain/calendar.ts'
import type { Workspace } from '../../api/types.ts'
import { formatMoney } from '../records/money.ts'

export type TargetMetric = 'revenue' | 'deals_won' | 'mqls' | 'sqls' | 'pipeline_created'
export type TargetSubjectKind = 'company' | 'team' | 'rep'

/** GET /api/v1/targets (one row). */
export interface Target {
  id: string
  subjectKind: TargetSubjectKind
  subjectId: string
  metric: TargetMetric
  periodKind: PeriodKind
  periodKey: string
  startsOn: string
  endsOn: string
  amount: number
  updatedAt: string
  actual: number | null
  attainment: number | null
  missingRates: string[]
}

export const targetsKey = ['targets'] as const

export const metricLabels: Record<TargetMetric, string> = {
  revenue: 'Revenue',
  deals_won: 'Deals won',
  pipeline_created: 'Pipeline created',
  sqls: 'SQLs',
  mqls: 'MQLs',
}

export const periodKindLabels: Record<PeriodKind, string> = {
  day: 'Day',
  week: 'Week',
  month: 'Month',
  quarter: 'Fiscal quarter',
}

export const isMoney = (metric: TargetMetric) =>
  metric === 'revenue' || metric === 'pipeline_created'

/** A target's figure: money in the base currency, else a count. */
export function formatFigure(value: number | null, metric: TargetMetric, currency: string) {
  if (value === null) return '—'
  return isMoney(metric) ? formatMoney(value, currency) : value.toLocaleString()
}

/** The key of the `kind` period holding now, in the workspace calendar ('2026-11', 'FY2027-Q1'). */
export function currentPeriodKey(kind: PeriodKind, workspace: Workspace, at = new Date()) {
  return periodOf(kind, at, {
    timeZone: workspace.timeZone,
    fiscalYearStartMonth: workspace.fiscalYearStartMonth,
  }).key
}

/** The key of the period before (-1) or after (1) the one named; the key itself if invalid. */
export function shiftPeriodKey(key: string, workspace: Workspace, by: -1 | 1) {
  const calendar = {
    timeZone: workspace.timeZone,
    fiscalYearStartMonth: workspace.fiscalYearStartMonth,
  }
  try {
    const period = periodByKey(key, calendar)
    const at = by < 0 ? new Date(period.start.getTime() - 1) : period.end
    return periodOf(period.kind, at, calendar).key
  } catch {
    return key
  }
}
