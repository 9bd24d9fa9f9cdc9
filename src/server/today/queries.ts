/**
 * The Today page's SQL (issue 13): each query is bounded by the reps it is asked about and walks an
 * index that starts with (workspace_id, owner_id): activities_owner_task_due_idx (tasks),
 * contacts_owner_updated_idx (hot leads), deals_owner_updated_idx (deals), handoffs_owner_idx.
 */
import { type Kysely, sql } from 'kysely'
import type { DB, TargetMetric, TargetPeriodKind } from '../db/schema.ts'

/** A member of the workspace, with their name and role; undefined for anyone else. */
export function findMember(db: Kysely<DB>, workspaceId: string, userId: string) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.userId')
    .select(['u.id', 'u.name', 'm.role'])
    .where('m.workspaceId', '=', workspaceId)
    .where('m.userId', '=', userId)
    .executeTakeFirst()
}

/** Whether `managerId` manages a team that `userId` is a member of. */
export async function isTeamManagerOf(
  db: Kysely<DB>,
  workspaceId: string,
  managerId: string,
  userId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('teams as t')
    .innerJoin('teamMembers as tm', (j) =>
      j.onRef('tm.workspaceId', '=', 't.workspaceId').onRef('tm.teamId', '=', 't.id'),
    )
    .select('t.id')
    .where('t.workspaceId', '=', workspaceId)
    .where('t.managerId', '=', managerId)
    .where('tm.userId', '=', userId)
    .executeTakeFirst()
  return row !== undefined
}

export function findTeam(db: Kysely<DB>, workspaceId: string, teamId: string) {
  return db
    .selectFrom('teams as t')
    .leftJoin('users as u', 'u.id', 't.managerId')
    .select(['t.id', 't.name', 't.managerId', 'u.name as managerName'])
    .where('t.workspaceId', '=', workspaceId)
    .where('t.id', '=', teamId)
    .executeTakeFirst()
}

/** The first team (by name) the person manages, for the team view without a teamId. */
export function findManagedTeam(db: Kysely<DB>, workspaceId: string, managerId: string) {
  return db
    .selectFrom('teams')
    .select('id')
    .where('workspaceId', '=', workspaceId)
    .where('managerId', '=', managerId)
    .orderBy('name')
    .orderBy('id')
    .executeTakeFirst()
}

/** A team's members who still belong to the workspace, by name. */
export function selectTeamReps(db: Kysely<DB>, workspaceId: string, teamId: string) {
  return db
    .selectFrom('teamMembers as tm')
    .innerJoin('memberships as m', (j) =>
      j.onRef('m.workspaceId', '=', 'tm.workspaceId').onRef('m.userId', '=', 'tm.userId'),
    )
    .innerJoin('users as u', 'u.id', 'tm.userId')
    .select(['u.id', 'u.name'])
    .where('tm.workspaceId', '=', workspaceId)
    .where('tm.teamId', '=', teamId)
    .orderBy('u.name')
    .orderBy('u.id')
    .execute()
}

/** Open tasks of a rep due before `before` (the end of their today), the earliest due first. */
export function selectOpenTasks(
  db: Kysely<DB>,
  workspaceId: string,
  repId: string,
  before: Date,
  limit: number,
) {
  return db
    .selectFrom('activities as a')
    .leftJoin('contacts as c', (j) =>
      j.onRef('c.workspaceId', '=', 'a.workspaceId').onRef('c.id', '=', 'a.contactId'),
    )
    .leftJoin('accounts as ac', (j) =>
      j.onRef('ac.workspaceId', '=', 'a.workspaceId').onRef('ac.id', '=', 'a.accountId'),
    )
    .leftJoin('deals as d', (j) =>
      j.onRef('d.workspaceId', '=', 'a.workspaceId').onRef('d.id', '=', 'a.dealId'),
    )
    .select([
      'a.id',
      'a.subject',
      'a.dueAt',
      'a.contactId',
      'c.firstName',
      'c.lastName',
      'c.email',
      'a.accountId',
      'ac.name as accountName',
      'a.dealId',
      'd.name as dealName',
    ])
    .where('a.workspaceId', '=', workspaceId)
    .where('a.ownerId', '=', repId)
    .where('a.type', '=', 'task')
    .where('a.deletedAt', 'is', null)
    .where('a.doneAt', 'is', null)
    .where('a.dueAt', '<', before)
    .orderBy('a.dueAt')
    .orderBy('a.id')
    .limit(limit)
    .execute()
}

export interface TaskCounts {
  ownerId: string
  /** Open tasks due before now. */
  overdue: number
  /** Open tasks due from now to the end of today. */
  dueLaterToday: number
  /** Tasks due today (local day), done or not, and how many of them are done. */
  todayTotal: number
  todayDone: number
}

/** Task counts per rep; one index range per rep (tasks due before the end of today). */
export async function selectTaskCounts(
  db: Kysely<DB>,
  workspaceId: string,
  repIds: readonly string[],
  window: { now: Date; todayStart: Date; todayEnd: Date },
): Promise<TaskCounts[]> {
  if (repIds.length === 0) return []
  const { now, todayStart, todayEnd } = window
  return db
    .selectFrom('activities')
    .select([
      'ownerId',
      sql<number>`count(*) filter (where done_at is null and due_at < ${now})::int`.as('overdue'),
      sql<number>`count(*) filter (where done_at is null and due_at >= ${now})::int`.as(
        'dueLaterToday',
      ),
      sql<number>`count(*) filter (where due_at >= ${todayStart})::int`.as('todayTotal'),
      sql<number>`count(*) filter (where due_at >= ${todayStart} and done_at is not null)::int`.as(
        'todayDone',
      ),
    ])
    .where('workspaceId', '=', workspaceId)
    .where('ownerId', 'in', [...repIds])
    .where('type', '=', 'task')
    .where('deletedAt', 'is', null)
    .where('dueAt', '<', todayEnd)
    .where((eb) => eb.or([eb('doneAt', 'is', null), eb('dueAt', '>=', todayStart)]))
    .groupBy('ownerId')
    .execute() as Promise<TaskCounts[]>
}

/** Leads of a rep with the highest engagement, then fit (contact_scores). */
export function selectHotLeads(db: Kysely<DB>, workspaceId: string, repId: string, limit: number) {
  return db
    .selectFrom('contacts as c')
    .innerJoin('contactScores as s', (j) =>
      j.onRef('s.workspaceId', '=', 'c.workspaceId').onRef('s.contactId', '=', 'c.id'),
    )
    .leftJoin('accounts as a', (j) =>
      j.onRef('a.workspaceId', '=', 'c.workspaceId').onRef('a.id', '=', 'c.accountId'),
    )
    .select([
      'c.id',
      'c.firstName',
      'c.lastName',
      'c.email',
      'c.title',
      'c.lifecycleStage',
      'c.leadStatus',
      'c.accountId',
      'a.name as accountName',
      's.fit',
      's.engagement',
    ])
    .where('c.workspaceId', '=', workspaceId)
    .where('c.ownerId', '=', repId)
    .where('c.deletedAt', 'is', null)
    .where('c.mergedInto', 'is', null)
    .where('c.erasedAt', 'is', null)
    .where((eb) =>
      eb.or([
        eb('c.lifecycleStage', 'is', null),
        eb('c.lifecycleStage', 'not in', ['customer', 'evangelist', 'disqualified']),
      ]),
    )
    .orderBy('s.engagement', 'desc')
    .orderBy('s.fit', 'desc')
    .orderBy('c.id')
    .limit(limit)
    .execute()
}

/** Open deals of the reps (not in a won or lost stage), with their stage and account. */
function openDeals(db: Kysely<DB>, workspaceId: string, repIds: readonly string[]) {
  return db
    .selectFrom('deals as d')
    .innerJoin('stages as st', (j) =>
      j.onRef('st.workspaceId', '=', 'd.workspaceId').onRef('st.id', '=', 'd.stageId'),
    )
    .leftJoin('accounts as a', (j) =>
      j.onRef('a.workspaceId', '=', 'd.workspaceId').onRef('a.id', '=', 'd.accountId'),
    )
    .where('d.workspaceId', '=', workspaceId)
    .where('d.ownerId', 'in', [...repIds])
    .where('d.deletedAt', 'is', null)
    .where('st.isWon', '=', false)
    .where('st.isLost', '=', false)
}

/** Open deals of the reps whose close date is in [from, to) (local dates), soonest first. */
export function selectDealsClosing(
  db: Kysely<DB>,
  workspaceId: string,
  repIds: readonly string[],
  from: string,
  to: string,
) {
  if (repIds.length === 0) return Promise.resolve([])
  return openDeals(db, workspaceId, repIds)
    .select([
      'd.id',
      'd.name',
      'd.ownerId',
      'd.amount',
      'd.currency',
      'd.closeDate',
      'd.forecastCategory',
      'd.stageId',
      'st.name as stageName',
      'd.accountId',
      'a.name as accountName',
    ])
    .where('d.closeDate', '>=', from)
    .where('d.closeDate', '<', to)
    .orderBy('d.closeDate')
    .orderBy('d.amount', 'desc')
    .orderBy('d.id')
    .execute()
}

/** Open deals of the reps flagged poor fit (fit below the threshold) and not overridden. */
export function selectPoorFitDeals(
  db: Kysely<DB>,
  workspaceId: string,
  repIds: readonly string[],
  threshold: number,
) {
  if (repIds.length === 0) return Promise.resolve([])
  return openDeals(db, workspaceId, repIds)
    .select([
      'd.id',
      'd.name',
      'd.ownerId',
      'd.amount',
      'd.currency',
      'd.closeDate',
      'd.productFit',
      'd.fitDetails',
      'd.stageId',
      'st.name as stageName',
      'st.isProposalOrLater',
      'd.accountId',
      'a.name as accountName',
    ])
    .where('d.productFit', 'is not', null)
    .where('d.productFit', '<', threshold)
    .where('d.fitOverrideAt', 'is', null)
    .orderBy('d.productFit')
    .orderBy('d.id')
    .execute()
}

/** Open handoffs per owner, and how many of them have a missed clock at `now`. */
export async function selectHandoffCounts(
  db: Kysely<DB>,
  workspaceId: string,
  repIds: readonly string[],
  now: Date,
) {
  if (repIds.length === 0) return []
  return db
    .selectFrom('handoffs')
    .select([
      'ownerId',
      sql<number>`count(*)::int`.as('open'),
      sql<number>`count(*) filter (where (first_touch_at is null and first_touch_due_at < ${now})
        or first_touch_at > first_touch_due_at or decision_due_at < ${now})::int`.as('breached'),
    ])
    .where('workspaceId', '=', workspaceId)
    .where('ownerId', 'in', [...repIds])
    .where('status', '=', 'open')
    .groupBy('ownerId')
    .execute() as Promise<{ ownerId: string; open: number; breached: number }[]>
}

/** The reps' targets of one kind of period holding the local day `on`. */
export function selectRepTargets(
  db: Kysely<DB>,
  workspaceId: string,
  repIds: readonly string[],
  query: { periodKinds: readonly TargetPeriodKind[]; on: string; metric?: TargetMetric },
) {
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
    .where('subjectKind', '=', 'rep')
    .where('subjectId', 'in', [...repIds])
    .where('periodKind', 'in', [...query.periodKinds])
    .where('startsOn', '<=', query.on)
    .where('endsOn', '>', query.on)
  if (query.metric) select = select.where('metric', '=', query.metric)
  return select.orderBy('periodKind').orderBy('metric').execute()
}
