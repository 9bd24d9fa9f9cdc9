/**
 * The monthly history behind the Telescope's long-range forecast (issue 14), counted exactly as
 * the company's targets count them (src/server/targets/progress.ts): MQLs, pipeline created and
 * revenue; plus leads, the contacts entering the lifecycle stage `lead` (DEFINITIONS.md
 * "Lifecycle"). Months are the workspace's local calendar months.
 */
import { type Kysely, sql } from 'kysely'
import type { DB, TargetMetric } from '../db/schema.ts'
import { actualsOf } from '../targets/progress.ts'

export type OutlookMetric = 'leads' | 'mqls' | 'pipeline_created' | 'revenue'
export const outlookMetrics: readonly OutlookMetric[] = [
  'leads',
  'mqls',
  'pipeline_created',
  'revenue',
]

export interface Month {
  /** YYYY-MM */
  key: string
  /** The first local day, YYYY-MM-DD. */
  startsOn: string
  /** The first local day after it. */
  endsOn: string
}

export interface MonthlyValues {
  values: number[]
  /** Currencies that have no exchange rate to the base currency (their amounts are left out). */
  missingRates: string[]
}

/** Each metric's value per month, in the order of `months` (money in base-currency minor units). */
export async function monthlyHistory(
  db: Kysely<DB>,
  workspaceId: string,
  timeZone: string,
  months: readonly Month[],
): Promise<Record<OutlookMetric, MonthlyValues>> {
  const targetMetrics: TargetMetric[] = ['mqls', 'pipeline_created', 'revenue']
  const windows = targetMetrics.flatMap((metric) =>
    months.map((m) => ({
      id: `${metric}:${m.key}`,
      subjectKind: 'company' as const,
      subjectId: '',
      metric,
      startsOn: m.startsOn,
      endsOn: m.endsOn,
    })),
  )
  const [actuals, leads] = await Promise.all([
    actualsOf(db, workspaceId, timeZone, windows),
    monthlyLeads(db, workspaceId, timeZone, months),
  ])
  const series = (metric: TargetMetric): MonthlyValues => {
    const missing = new Set<string>()
    const values = months.map((m) => {
      const actual = actuals.get(`${metric}:${m.key}`)
      for (const c of actual?.missingRates ?? []) missing.add(c)
      return actual?.actual ?? 0
    })
    return { values, missingRates: [...missing].sort() }
  }
  return {
    leads: { values: months.map((m) => leads.get(m.key) ?? 0), missingRates: [] },
    mqls: series('mqls'),
    pipeline_created: series('pipeline_created'),
    revenue: series('revenue'),
  }
}

async function monthlyLeads(
  db: Kysely<DB>,
  workspaceId: string,
  timeZone: string,
  months: readonly Month[],
): Promise<Map<string, number>> {
  const first = months[0]
  const last = months.at(-1)
  if (!first || !last) return new Map()
  const result = await sql<{ month: string; n: string }>`
    select to_char(e.entered_at at time zone ${timeZone}, 'YYYY-MM') as month, count(*) as n
    from lifecycle_entries e
    join contacts c on c.workspace_id = e.workspace_id and c.id = e.record_id
    where e.workspace_id = ${workspaceId} and e.entity = 'contact' and e.stage = 'lead'
      and c.deleted_at is null
      and e.entered_at >= (${first.startsOn}::date)::timestamp at time zone ${timeZone}
      and e.entered_at < (${last.endsOn}::date)::timestamp at time zone ${timeZone}
    group by 1
  `.execute(db)
  return new Map(result.rows.map((r) => [r.month, Number(r.n)]))
}

/** The company's monthly targets of the metrics that have them, keyed by metric and month. */
export async function companyMonthlyTargets(
  db: Kysely<DB>,
  workspaceId: string,
  from: string,
  to: string,
): Promise<{ metric: TargetMetric; periodKey: string; amount: number }[]> {
  const rows = await db
    .selectFrom('targets')
    .select(['metric', 'periodKey', 'amount'])
    .where('workspaceId', '=', workspaceId)
    .where('subjectKind', '=', 'company')
    .where('periodKind', '=', 'month')
    .where('metric', 'in', ['mqls', 'pipeline_created', 'revenue'])
    .where('periodKey', '>=', from)
    .where('periodKey', '<=', to)
    .orderBy('periodKey')
    .execute()
  return rows.map((r) => ({ ...r, amount: Number(r.amount) }))
}
