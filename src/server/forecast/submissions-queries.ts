/** SQL of forecast submissions and adjustments (issue 13): rows in, rows out. */
import { type Insertable, type Kysely, sql } from 'kysely'
import type { DB, ForecastSubmissionsTable } from '../db/schema.ts'

export interface SubmissionRow {
  id: string
  repId: string
  repName: string | null
  periodKind: 'month' | 'quarter'
  periodKey: string
  startsOn: string
  endsOn: string
  kind: 'submission' | 'adjustment'
  adjustsId: string | null
  commitAmount: number
  bestCaseAmount: number
  pipelineAmount: number
  note: string | null
  submittedBy: string | null
  submittedByName: string | null
  submittedAt: Date
}

export async function insertSubmission(
  db: Kysely<DB>,
  values: Insertable<ForecastSubmissionsTable>,
): Promise<void> {
  await db.insertInto('forecastSubmissions').values(values).execute()
}

function selectRows(db: Kysely<DB>, workspaceId: string) {
  return db
    .selectFrom('forecastSubmissions as f')
    .leftJoin('users as rep', 'rep.id', 'f.repId')
    .leftJoin('users as by', 'by.id', 'f.submittedBy')
    .select([
      'f.id',
      'f.repId',
      'rep.name as repName',
      'f.periodKind',
      'f.periodKey',
      'f.startsOn',
      'f.endsOn',
      'f.kind',
      'f.adjustsId',
      'f.commitAmount',
      'f.bestCaseAmount',
      'f.pipelineAmount',
      'f.note',
      'f.submittedBy',
      'by.name as submittedByName',
      'f.submittedAt',
    ])
    .where('f.workspaceId', '=', workspaceId)
}

const toRow = (row: SubmissionRow): SubmissionRow => ({
  ...row,
  commitAmount: Number(row.commitAmount),
  bestCaseAmount: Number(row.bestCaseAmount),
  pipelineAmount: Number(row.pipelineAmount),
})

export async function findSubmission(db: Kysely<DB>, workspaceId: string, id: string) {
  const row = await selectRows(db, workspaceId).where('f.id', '=', id).executeTakeFirst()
  return row ? toRow(row) : undefined
}

/** Submissions and adjustments, newest first (keyset on submitted_at, id). */
export async function selectSubmissionPage(
  db: Kysely<DB>,
  workspaceId: string,
  filter: { periodKind?: string; periodKey?: string; repId?: string },
  after: { submittedAt: Date; id: string } | undefined,
  limit: number,
) {
  let query = selectRows(db, workspaceId)
  if (filter.periodKind) query = query.where('f.periodKind', '=', filter.periodKind as 'month')
  if (filter.periodKey) query = query.where('f.periodKey', '=', filter.periodKey)
  if (filter.repId) query = query.where('f.repId', '=', filter.repId)
  // Keyed at millisecond precision: what a cursor (a JavaScript Date) can carry.
  const at = sql<Date>`date_trunc('milliseconds', f.submitted_at)`
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb(at, '<', after.submittedAt),
        eb.and([eb(at, '=', after.submittedAt), eb('f.id', '<', after.id)]),
      ]),
    )
  }
  const rows = await query
    .orderBy(at, 'desc')
    .orderBy('f.id', 'desc')
    .limit(limit + 1)
    .execute()
  return rows.map(toRow)
}

/** Every submission and adjustment of one period, oldest first. */
export async function selectPeriodSubmissions(
  db: Kysely<DB>,
  workspaceId: string,
  periodKind: 'month' | 'quarter',
  periodKey: string,
) {
  const rows = await selectRows(db, workspaceId)
    .where('f.periodKind', '=', periodKind)
    .where('f.periodKey', '=', periodKey)
    .orderBy('f.submittedAt')
    .orderBy('f.id')
    .execute()
  return rows.map(toRow)
}

/** The reps' own submissions (not adjustments) for the given periods of one kind. */
export async function selectRepSubmissions(
  db: Kysely<DB>,
  workspaceId: string,
  periodKind: 'month' | 'quarter',
  periodKeys: readonly string[],
) {
  if (periodKeys.length === 0) return []
  const rows = await db
    .selectFrom('forecastSubmissions')
    .select([
      'repId',
      'periodKey',
      'submittedAt',
      'commitAmount',
      'bestCaseAmount',
      'pipelineAmount',
    ])
    .where('workspaceId', '=', workspaceId)
    .where('kind', '=', 'submission')
    .where('periodKind', '=', periodKind)
    .where('periodKey', 'in', periodKeys)
    .execute()
  return rows.map((r) => ({
    repId: r.repId,
    periodKey: r.periodKey,
    submittedAt: r.submittedAt,
    commit: Number(r.commitAmount),
    bestCase: Number(r.bestCaseAmount),
    pipeline: Number(r.pipelineAmount),
  }))
}

/** A member's role in the workspace, with their name; undefined when not a member. */
export function findMember(db: Kysely<DB>, workspaceId: string, userId: string) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.userId')
    .select(['m.userId', 'm.role', 'u.name'])
    .where('m.workspaceId', '=', workspaceId)
    .where('m.userId', '=', userId)
    .executeTakeFirst()
}

/** The reps (user ids) on the teams `managerId` manages (teams.manager_id), as they are now. */
export async function selectManagedReps(db: Kysely<DB>, workspaceId: string, managerId: string) {
  const rows = await db
    .selectFrom('teams as t')
    .innerJoin('teamMembers as tm', (join) =>
      join.onRef('tm.workspaceId', '=', 't.workspaceId').onRef('tm.teamId', '=', 't.id'),
    )
    .select('tm.userId')
    .distinct()
    .where('t.workspaceId', '=', workspaceId)
    .where('t.managerId', '=', managerId)
    .execute()
  return new Set(rows.map((r) => r.userId))
}
