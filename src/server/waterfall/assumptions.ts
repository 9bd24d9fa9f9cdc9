/**
 * The reverse waterfall's measured assumptions (issue 13; DEFINITIONS.md "Forecasting and
 * targets"), from the workspace's last 12 complete months (workspace time zone), each with the
 * sample it rests on:
 * - average deal size: revenue of the deals won in the window (base currency) ÷ how many;
 * - SQL → won rate: deals won in the window ÷ SQLs of the window (lifecycle entries into `sql`),
 *   counted as target progress counts them (src/server/targets/progress.ts), capped at 1. A ratio
 *   of volumes, not a 90-day cohort: a sale takes longer than 90 days and several contacts of one
 *   account often become SQLs for one deal, while the waterfall needs SQLs per won deal;
 * - MQL → SQL rate: DEFINITIONS.md "MQL→SQL rate", the share of the contacts first entering `mql`
 *   that reached `sql` within 90 days, over the window's cohorts old enough to have had their 90
 *   days (entered at least 90 days ago), as the Bridge's funnel counts them.
 */
import type { Kysely } from 'kysely'
import { DateTime } from 'luxon'
import { uuidv7 } from 'uuidv7'
import type { DB, TargetMetric } from '../db/schema.ts'
import { selectFunnel } from '../reports/funnel-queries.ts'
import { actualsOf } from '../targets/progress.ts'
import type { WorkspaceCalendar } from './period.ts'

/** Months of history the assumptions are measured over. */
export const assumptionMonths = 12
/** Days an MQL has to reach SQL (DEFINITIONS.md). */
export const conversionDays = 90

export interface MeasuredAssumptions {
  /** The window measured: first day and last day (inclusive), local dates. */
  from: string
  to: string
  baseCurrency: string
  averageDealSize: {
    /** Minor units of the base currency, rounded; null without won deals or with a missing rate. */
    value: number | null
    wonDeals: number
    revenue: number | null
    missingRates: string[]
  }
  sqlToWonRate: { value: number | null; wonDeals: number; sqls: number }
  mqlToSqlRate: {
    value: number | null
    /** MQLs of the cohorts counted, and how many reached SQL within 90 days. */
    mqls: number
    converted: number
    /** The cohorts counted are the MQLs who first entered mql from `from` to this day. */
    cohortTo: string | null
  }
}

/** Rounded to the 6 decimals a plan stores; a positive rate never rounds to 0. */
export const roundRate = (rate: number) => Math.max(1e-6, Math.round(rate * 1e6) / 1e6)

export async function measureAssumptions(
  db: Kysely<DB>,
  workspaceId: string,
  calendar: WorkspaceCalendar,
  now: Date,
): Promise<MeasuredAssumptions> {
  const zone = calendar.timeZone
  const end = DateTime.fromJSDate(now, { zone }).startOf('month')
  const start = end.minus({ months: assumptionMonths })
  const from = start.toISODate() as string
  const endsOn = end.toISODate() as string
  // Cohorts entered before the local day 90 days ago have had all their 90 days.
  const matured = DateTime.fromJSDate(now, { zone }).startOf('day').minus({ days: conversionDays })
  const cohortEnd = DateTime.min(end, matured)

  const ids = { revenue: uuidv7(), deals_won: uuidv7(), sqls: uuidv7() }
  const windows = (Object.keys(ids) as (keyof typeof ids)[]).map((metric) => ({
    id: ids[metric],
    subjectKind: 'company' as const,
    subjectId: '',
    metric: metric as TargetMetric,
    startsOn: from,
    endsOn,
  }))
  const [actuals, funnel] = await Promise.all([
    actualsOf(db, workspaceId, zone, windows),
    cohortEnd > start
      ? selectFunnel(db, {
          workspaceId,
          start: start.toJSDate(),
          end: cohortEnd.toJSDate(),
          timeZone: zone,
          groupBy: null,
          pairs: [{ fromStage: 'mql', toStage: 'sql' }],
          windowDays: conversionDays,
        })
      : Promise.resolve([]),
  ])
  const revenue = actuals.get(ids.revenue) ?? { actual: 0, missingRates: [] }
  const wonDeals = actuals.get(ids.deals_won)?.actual ?? 0
  const sqls = actuals.get(ids.sqls)?.actual ?? 0
  const cohort = funnel.find((row) => row.kind === 'overall' && row.fromStage === 'mql')
  const mqls = Number(cohort?.entered ?? 0)
  const converted = Number(cohort?.converted ?? 0)

  return {
    from,
    to: end.minus({ days: 1 }).toISODate() as string,
    baseCurrency: calendar.baseCurrency,
    averageDealSize: {
      value:
        wonDeals > 0 && revenue.actual !== null && revenue.actual > 0
          ? Math.round(revenue.actual / wonDeals)
          : null,
      wonDeals,
      revenue: revenue.actual,
      missingRates: revenue.missingRates,
    },
    sqlToWonRate: {
      value: wonDeals > 0 && sqls > 0 ? roundRate(Math.min(1, wonDeals / sqls)) : null,
      wonDeals,
      sqls,
    },
    mqlToSqlRate: {
      value: mqls > 0 && converted > 0 ? roundRate(converted / mqls) : null,
      mqls,
      converted,
      cohortTo: cohortEnd > start ? (cohortEnd.minus({ days: 1 }).toISODate() as string) : null,
    },
  }
}
