/** SQL of the forecast call (issue 13): the period's deals, reps, teams, targets and actuals. */
import { type Kysely, sql } from 'kysely'
import type { DB } from '../db/schema.ts'

export interface PeriodDealRow {
  id: string
  name: string
  ownerId: string | null
  ownerName: string | null
  amount: number
  currency: string
  stageId: string
  stageName: string
  isWon: boolean
  forecastCategory: string
  closeDate: string | null
  closedAt: Date | null
}

/**
 * The deals behind a period's numbers: open deals closing in it (by close date, local days
 * [startsOn, endsOn)) not omitted, and deals won in it (closed_at in [start, end)).
 */
export async function selectPeriodDeals(
  db: Kysely<DB>,
  workspaceId: string,
  period: { startsOn: string; endsOn: string; start: Date; end: Date },
) {
  const result = await sql<PeriodDealRow>`
    select d.id, d.name, d.owner_id, u.name as owner_name, d.amount, d.currency, d.stage_id, s.name as stage_name,
      s.is_won, d.forecast_category, d.close_date, d.closed_at
    from deals d
    join stages s on s.workspace_id = d.workspace_id and s.id = d.stage_id
    left join users u on u.id = d.owner_id
    where d.workspace_id = ${workspaceId} and d.deleted_at is null
      and (
        (not s.is_won and not s.is_lost and d.forecast_category <> 'omitted'
          and d.close_date >= ${period.startsOn}::date and d.close_date < ${period.endsOn}::date)
        or (s.is_won and d.closed_at >= ${period.start} and d.closed_at < ${period.end})
      )
    order by d.amount desc, d.name, d.id`.execute(db)
  return result.rows.map((r) => ({ ...r, amount: Number(r.amount) }))
}

/** Won amounts per owner, local month and currency, for deals closed in [from, to). */
export async function selectWonByMonth(
  db: Kysely<DB>,
  workspaceId: string,
  timeZone: string,
  from: Date,
  to: Date,
) {
  const result = await sql<{ ownerId: string; month: string; currency: string; amount: string }>`
    select d.owner_id, to_char(d.closed_at at time zone ${timeZone}, 'YYYY-MM') as month,
      d.currency, sum(d.amount)::text as amount
    from deals d
    join stages s on s.workspace_id = d.workspace_id and s.id = d.stage_id
    where d.workspace_id = ${workspaceId} and d.deleted_at is null and s.is_won
      and d.owner_id is not null and d.closed_at >= ${from} and d.closed_at < ${to}
    group by 1, 2, 3`.execute(db)
  return result.rows.map((r) => ({ ...r, amount: Number(r.amount) }))
}

/** The workspace's members with their names and roles. */
export function selectMembers(db: Kysely<DB>, workspaceId: string) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.userId')
    .select(['m.userId', 'u.name', 'm.role'])
    .where('m.workspaceId', '=', workspaceId)
    .execute()
}

/** Who was in which team at the instant `at` (team_member_history), with the team's manager. */
export function selectTeamsAt(db: Kysely<DB>, workspaceId: string, at: Date) {
  return db
    .selectFrom('teamMemberHistory as h')
    .innerJoin('teams as t', (join) =>
      join.onRef('t.workspaceId', '=', 'h.workspaceId').onRef('t.id', '=', 'h.teamId'),
    )
    .select(['t.id as teamId', 't.name as teamName', 't.managerId', 'h.userId'])
    .distinct()
    .where('h.workspaceId', '=', workspaceId)
    .where('h.joinedAt', '<=', at)
    .where((eb) => eb.or([eb('h.leftAt', 'is', null), eb('h.leftAt', '>', at)]))
    .execute()
}

export function findTeamRow(db: Kysely<DB>, workspaceId: string, id: string) {
  return db
    .selectFrom('teams')
    .select(['id', 'name'])
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst()
}

/** The revenue targets set for exactly this period, per subject. */
export async function selectRevenueTargets(
  db: Kysely<DB>,
  workspaceId: string,
  periodKind: 'month' | 'quarter',
  periodKey: string,
) {
  const rows = await db
    .selectFrom('targets')
    .select(['subjectKind', 'subjectId', 'amount'])
    .where('workspaceId', '=', workspaceId)
    .where('metric', '=', 'revenue')
    .where('periodKind', '=', periodKind)
    .where('periodKey', '=', periodKey)
    .execute()
  return rows.map((r) => ({ ...r, amount: Number(r.amount) }))
}
