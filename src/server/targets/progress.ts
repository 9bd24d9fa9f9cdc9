/**
 * How far each target has got (issue 13; DEFINITIONS.md "Forecasting and targets"): the actual of
 * its metric over its period, for its subject.
 *
 * - revenue: Σ amount of deals won (closed in the period, stage won), in the base currency;
 *   deals_won: how many. pipeline_created: Σ amount of deals created in the period.
 * - mqls: handoffs created in the period (one per MQL, re-MQLs included; a rep's are the ones they
 *   own). sqls: contacts entering the lifecycle stage `sql` in the period (a rep's: contacts they
 *   own).
 * - A rep's actual counts what they own; a team's, what its members owned while they were members
 *   (team_member_history), so a rep moved mid-period counts for each team only while in it; the
 *   company's, everything.
 * Periods are local days of the workspace's time zone: [starts_on, ends_on) at local midnight.
 */
import { type Kysely, sql } from 'kysely'
import { sumInBase } from '../../domain/money.ts'
import type { DB, TargetMetric, TargetPeriodKind, TargetSubjectKind } from '../db/schema.ts'
import { loadRates } from '../exchange-rates/service.ts'

export interface TargetWindow {
  id: string
  subjectKind: TargetSubjectKind
  subjectId: string
  metric: TargetMetric
  startsOn: string
  endsOn: string
}

export interface TargetProgress extends TargetWindow {
  periodKind: TargetPeriodKind
  periodKey: string
  amount: number
  /** The metric's actual over the period: minor units for revenue and pipeline, else a count. */
  actual: number | null
  /** actual ÷ amount; null when the amount is 0 or the actual unknown (a missing exchange rate). */
  attainment: number | null
  /** Currencies of the actual that have no exchange rate to the base currency. */
  missingRates: string[]
}

export const moneyMetrics: ReadonlySet<TargetMetric> = new Set(['revenue', 'pipeline_created'])

interface ActualRow {
  id: string
  currency: string | null
  amount: number
  count: number
}

/**
 * The facts of each metric (who owned it, when, how much) joined to the targets' windows: one
 * query for any mix of subjects, metrics and periods.
 */
async function selectActuals(
  db: Kysely<DB>,
  workspaceId: string,
  timeZone: string,
  windows: readonly TargetWindow[],
): Promise<ActualRow[]> {
  if (windows.length === 0) return []
  const metrics = [...new Set(windows.map((w) => w.metric))]
  const from = windows.map((w) => w.startsOn).sort()[0]
  const to = windows
    .map((w) => w.endsOn)
    .sort()
    .at(-1)
  const repIds = [
    ...new Set(windows.filter((w) => w.subjectKind === 'rep').map((w) => w.subjectId)),
  ]
  const onlyReps = windows.every((w) => w.subjectKind === 'rep')
  const has = (m: TargetMetric) => metrics.includes(m)
  const parts = []
  const bound = sql`at >= (${from}::date)::timestamp at time zone ${timeZone}
    and at < (${to}::date)::timestamp at time zone ${timeZone}`
  const owner = (column: string) =>
    onlyReps ? sql`and ${sql.ref(column)} = any(${repIds}::text[])` : sql``
  if (has('revenue') || has('deals_won')) {
    parts.push(sql`select metric, owner_id, at, currency, amount from (
      select unnest(array['revenue', 'deals_won']) as metric, d.owner_id, d.closed_at as at,
        d.currency, d.amount
      from deals d join stages st on st.workspace_id = d.workspace_id and st.id = d.stage_id
      where d.workspace_id = ${workspaceId} and d.deleted_at is null and st.is_won
        and d.closed_at is not null ${owner('d.owner_id')}) f where ${bound}`)
  }
  if (has('pipeline_created')) {
    parts.push(sql`select metric, owner_id, at, currency, amount from (
      select 'pipeline_created' as metric, d.owner_id, d.created_at as at, d.currency, d.amount
      from deals d
      where d.workspace_id = ${workspaceId} and d.deleted_at is null ${owner('d.owner_id')}) f
      where ${bound}`)
  }
  if (has('mqls')) {
    parts.push(sql`select metric, owner_id, at, currency, amount from (
      select 'mqls' as metric, h.owner_id, h.created_at as at, null::text as currency,
        0::bigint as amount
      from handoffs h where h.workspace_id = ${workspaceId} ${owner('h.owner_id')}) f
      where ${bound}`)
  }
  if (has('sqls')) {
    parts.push(sql`select metric, owner_id, at, currency, amount from (
      select 'sqls' as metric, c.owner_id, e.entered_at as at, null::text as currency,
        0::bigint as amount
      from lifecycle_entries e
      join contacts c on c.workspace_id = e.workspace_id and c.id = e.record_id
      where e.workspace_id = ${workspaceId} and e.entity = 'contact' and e.stage = 'sql'
        and c.deleted_at is null ${owner('c.owner_id')}) f
      where ${bound}`)
  }
  const teamIds = [
    ...new Set(windows.filter((w) => w.subjectKind === 'team').map((w) => w.subjectId)),
  ]
  // Facts are summed per local day first (targets are whole local days): a rep's per owner, a
  // team's per team over its members' stretches (exact to the instant), the company's over all.
  const result = await sql<ActualRow>`
    with t as (
      select * from jsonb_to_recordset(${JSON.stringify(windows)}::jsonb)
        as t (id text, "subjectKind" text, "subjectId" text, metric text, "startsOn" date,
          "endsOn" date)
    ),
    facts as (${sql.join(parts, sql` union all `)}),
    daily as (
      select metric, owner_id, (at at time zone ${timeZone})::date as day, currency,
        sum(amount) as amount, count(*) as n
      from facts group by 1, 2, 3, 4
    ),
    team_daily as (
      select f.metric, h.team_id::text as team, (f.at at time zone ${timeZone})::date as day,
        f.currency, sum(f.amount) as amount, count(*) as n
      from facts f
      join team_member_history h on h.workspace_id = ${workspaceId} and h.user_id = f.owner_id
        and f.at >= h.joined_at and (h.left_at is null or f.at < h.left_at)
      where h.team_id::text = any(${teamIds}::text[])
      group by 1, 2, 3, 4
    ),
    company_daily as (
      select metric, day, currency, sum(amount) as amount, sum(n) as n from daily group by 1, 2, 3
    ),
    matched as (
      select t.id, d.currency, d.amount, d.n from t
      join daily d on d.metric = t.metric and d.owner_id = t."subjectId"
        and d.day >= t."startsOn" and d.day < t."endsOn"
      where t."subjectKind" = 'rep'
      union all
      select t.id, d.currency, d.amount, d.n from t
      join team_daily d on d.metric = t.metric and d.team = t."subjectId"
        and d.day >= t."startsOn" and d.day < t."endsOn"
      where t."subjectKind" = 'team'
      union all
      select t.id, d.currency, d.amount, d.n from t
      join company_daily d on d.metric = t.metric
        and d.day >= t."startsOn" and d.day < t."endsOn"
      where t."subjectKind" = 'company'
    )
    select id, currency, sum(amount)::bigint as amount, sum(n)::bigint as count
    from matched group by id, currency
  `.execute(db)
  return result.rows
}

/** The actual of each window, keyed by its id (money in base-currency minor units). */
export async function actualsOf(
  db: Kysely<DB>,
  workspaceId: string,
  timeZone: string,
  windows: readonly TargetWindow[],
): Promise<Map<string, { actual: number | null; missingRates: string[] }>> {
  const needsMoney = windows.some((w) => moneyMetrics.has(w.metric))
  const [rows, rates] = await Promise.all([
    selectActuals(db, workspaceId, timeZone, windows),
    needsMoney ? loadRates(db, workspaceId) : undefined,
  ])
  const byId = new Map<string, ActualRow[]>()
  for (const row of rows) byId.set(row.id, [...(byId.get(row.id) ?? []), row])
  const out = new Map<string, { actual: number | null; missingRates: string[] }>()
  for (const window of windows) {
    const parts = byId.get(window.id) ?? []
    if (!moneyMetrics.has(window.metric) || !rates) {
      out.set(window.id, {
        actual: parts.reduce((n, p) => n + Number(p.count), 0),
        missingRates: [],
      })
      continue
    }
    const money = parts
      .filter((p) => p.currency !== null)
      .map((p) => ({ currency: p.currency as string, amount: Number(p.amount) }))
    const sum = sumInBase(money, rates.baseCurrency, rates.rates)
    out.set(window.id, { actual: sum.amountInBase, missingRates: sum.missing })
  }
  return out
}

export interface ProgressQuery {
  subjectKind?: TargetSubjectKind
  subjectId?: string
  metric?: TargetMetric
  periodKinds?: readonly TargetPeriodKind[]
  /** Only the periods holding this local day (YYYY-MM-DD). */
  on?: string
  /** Only the periods overlapping [from, to] (local days, both included). */
  from?: string
  to?: string
}

/** The workspace's targets matching the query, each with its actual and attainment. */
export async function targetProgress(
  db: Kysely<DB>,
  workspaceId: string,
  query: ProgressQuery,
): Promise<TargetProgress[]> {
  let select = db
    .selectFrom('targets')
    .select([
      'id',
      'subjectKind',
      'subjectId',
      'metric',
      'periodKind',
      'periodKey',
      'startsOn',
      'endsOn',
      'amount',
    ])
    .where('workspaceId', '=', workspaceId)
  if (query.subjectKind) select = select.where('subjectKind', '=', query.subjectKind)
  if (query.subjectId !== undefined) select = select.where('subjectId', '=', query.subjectId)
  if (query.metric) select = select.where('metric', '=', query.metric)
  if (query.periodKinds) select = select.where('periodKind', 'in', [...query.periodKinds])
  if (query.on) select = select.where('startsOn', '<=', query.on).where('endsOn', '>', query.on)
  if (query.from) select = select.where('endsOn', '>', query.from)
  if (query.to) select = select.where('startsOn', '<=', query.to)
  const [targets, workspace] = await Promise.all([
    select.orderBy('startsOn').orderBy('periodKind').orderBy('metric').execute(),
    db
      .selectFrom('workspaces')
      .select('timeZone')
      .where('id', '=', workspaceId)
      .executeTakeFirstOrThrow(),
  ])
  return withProgress(db, workspaceId, workspace.timeZone, targets)
}

/** Adds each target's actual and attainment. */
export async function withProgress<T extends TargetWindow & { amount: number }>(
  db: Kysely<DB>,
  workspaceId: string,
  timeZone: string,
  targets: readonly T[],
): Promise<(T & Pick<TargetProgress, 'actual' | 'attainment' | 'missingRates'>)[]> {
  const actuals = await actualsOf(db, workspaceId, timeZone, targets)
  return targets.map((target) => {
    const { actual, missingRates } = actuals.get(target.id) ?? { actual: 0, missingRates: [] }
    const amount = Number(target.amount)
    return {
      ...target,
      amount,
      actual,
      attainment: actual === null || amount === 0 ? null : actual / amount,
      missingRates,
    }
  })
}
