import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import { actualsOf } from '../targets/progress.ts'
import { planPeriod, type WorkspaceCalendar } from './period.ts'
import type { PlanRow } from './queries.ts'

const progressMetrics = ['revenue', 'deals_won', 'sqls', 'mqls'] as const

/** Plans as the API shows them, with each one's progress (one actuals query for all of them). */
export async function presentPlans(
  db: Kysely<DB>,
  workspaceId: string,
  calendar: WorkspaceCalendar,
  rows: PlanRow[],
  now: Date,
) {
  const windows = rows.flatMap((row) =>
    progressMetrics.map((metric) => ({
      id: crypto.randomUUID(),
      planId: row.id,
      subjectKind: 'company' as const,
      subjectId: '',
      metric,
      startsOn: row.startsOn,
      endsOn: row.endsOn,
    })),
  )
  const actuals = await actualsOf(db, workspaceId, calendar.timeZone, windows)
  const actualOf = (planId: string, metric: (typeof progressMetrics)[number]) => {
    const window = windows.find((w) => w.planId === planId && w.metric === metric)
    return (window && actuals.get(window.id)) || { actual: null, missingRates: [] }
  }
  return rows.map((row) => {
    const period = planPeriod(row.periodKind, row.periodKey, calendar)
    const elapsed = Math.min(
      1,
      Math.max(
        0,
        (now.getTime() - period.start.getTime()) / (period.end.getTime() - period.start.getTime()),
      ),
    )
    const measure = (metric: (typeof progressMetrics)[number], needed: number) => {
      const { actual } = actualOf(row.id, metric)
      return { needed, actual, share: actual === null ? null : actual / needed }
    }
    const revenue = measure('revenue', Number(row.revenueTarget))
    const agreement = (by: string | null, name: string | null, at: Date | null) =>
      at ? { userId: by, name, at: at.toISOString() } : null
    const sales = agreement(row.salesAgreedBy, row.salesAgreedByName, row.salesAgreedAt)
    const marketing = agreement(
      row.marketingAgreedBy,
      row.marketingAgreedByName,
      row.marketingAgreedAt,
    )
    return {
      id: row.id,
      periodKind: row.periodKind,
      periodKey: row.periodKey,
      startsOn: row.startsOn,
      endsOn: row.endsOn,
      isOver: period.end.getTime() <= now.getTime(),
      baseCurrency: calendar.baseCurrency,
      revenueTarget: Number(row.revenueTarget),
      averageDealSize: Number(row.averageDealSize),
      sqlToWonRate: Number(row.sqlToWonRate),
      mqlToSqlRate: Number(row.mqlToSqlRate),
      wonNeeded: row.wonNeeded,
      sqlsNeeded: row.sqlsNeeded,
      mqlsNeeded: row.mqlsNeeded,
      agreements: { sales, marketing },
      agreed: sales !== null && marketing !== null,
      createdBy: row.createdBy ? { userId: row.createdBy, name: row.createdByName } : null,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      progress: {
        asOf: now.toISOString(),
        elapsed,
        revenue,
        wonDeals: measure('deals_won', row.wonNeeded),
        sqls: measure('sqls', row.sqlsNeeded),
        mqls: measure('mqls', row.mqlsNeeded),
        missingRates: actualOf(row.id, 'revenue').missingRates,
      },
    }
  })
}
