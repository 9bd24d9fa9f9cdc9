import { type Kysely, sql } from 'kysely'
import type { DB } from '../db/schema.ts'

/** The company's revenue targets (months and quarters) overlapping [from, to) local days. */
export function selectRevenueTargets(
  db: Kysely<DB>,
  workspaceId: string,
  from: string,
  to: string,
) {
  return db
    .selectFrom('targets')
    .select(['periodKind', 'periodKey', 'startsOn', 'endsOn', 'amount'])
    .where('workspaceId', '=', workspaceId)
    .where('subjectKind', '=', 'company')
    .where('subjectId', '=', '')
    .where('metric', '=', 'revenue')
    .where('periodKind', 'in', ['month', 'quarter'])
    .where('endsOn', '>', from)
    .where('startsOn', '<', to)
    .execute()
}

/** Open deals (neither won nor lost) by close month and currency, close dates in [from, to). */
export async function selectOpenPipeline(
  db: Kysely<DB>,
  workspaceId: string,
  from: string,
  to: string,
) {
  const result = await sql<{ month: string; currency: string; amount: string; deals: string }>`
    select to_char(d.close_date, 'YYYY-MM') as month, d.currency,
      sum(d.amount)::bigint as amount, count(*) as deals
    from deals d
    join stages s on s.workspace_id = d.workspace_id and s.id = d.stage_id
    where d.workspace_id = ${workspaceId} and d.deleted_at is null
      and not s.is_won and not s.is_lost
      and d.close_date >= ${from}::date and d.close_date < ${to}::date
    group by 1, 2`.execute(db)
  return result.rows.map((r) => ({
    month: r.month,
    currency: r.currency,
    amount: Number(r.amount),
    deals: Number(r.deals),
  }))
}

/**
 * Deals closed per month of the workspace zone in [start, end): won, lost (DEFINITIONS.md win
 * rate: not counting `poor_fit_walked_away`) and walked away.
 */
export async function selectClosedByMonth(
  db: Kysely<DB>,
  workspaceId: string,
  timeZone: string,
  start: Date,
  end: Date,
) {
  const result = await sql<{ month: string; won: string; lost: string; walked: string }>`
    select to_char(d.closed_at at time zone ${timeZone}, 'YYYY-MM') as month,
      count(*) filter (where s.is_won) as won,
      count(*) filter (where s.is_lost
        and d.loss_reason is distinct from 'poor_fit_walked_away') as lost,
      count(*) filter (where s.is_lost and d.loss_reason = 'poor_fit_walked_away') as walked
    from deals d
    join stages s on s.workspace_id = d.workspace_id and s.id = d.stage_id
    where d.workspace_id = ${workspaceId} and d.deleted_at is null and (s.is_won or s.is_lost)
      and d.closed_at >= ${start} and d.closed_at < ${end}
    group by 1`.execute(db)
  return new Map(
    result.rows.map((r) => [
      r.month,
      { won: Number(r.won), lost: Number(r.lost), walked: Number(r.walked) },
    ]),
  )
}
