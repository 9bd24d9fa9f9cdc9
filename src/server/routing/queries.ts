import { type Kysely, sql } from 'kysely'
import type { DB, Role } from '../db/schema.ts'

/** Roles that sell, and so may receive leads (a viewer or a marketer is never a rep). */
export const sellingRoles: readonly Role[] = ['sales', 'sales_manager', 'admin']

function rulesQuery(db: Kysely<DB>, workspaceId: string) {
  return db
    .selectFrom('routingRules as r')
    .innerJoin('teams as t', (join) =>
      join.onRef('t.workspaceId', '=', 'r.workspaceId').onRef('t.id', '=', 'r.teamId'),
    )
    .selectAll('r')
    .select('t.name as teamName')
    .where('r.workspaceId', '=', workspaceId)
}

/** The workspace's routing rules in the order they are tried. */
export function selectRules(db: Kysely<DB>, workspaceId: string, onlyActive = false) {
  return rulesQuery(db, workspaceId)
    .$if(onlyActive, (q) => q.where('r.isActive', '=', true))
    .orderBy('r.position')
    .orderBy('r.id')
    .execute()
}

export function findRule(db: Kysely<DB>, workspaceId: string, id: string) {
  return rulesQuery(db, workspaceId).where('r.id', '=', id).executeTakeFirst()
}

export function lockRule(db: Kysely<DB>, workspaceId: string, id: string) {
  return db
    .selectFrom('routingRules')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
}

/** Serialises changes to the rules' order (create, reorder) within one workspace. */
export async function lockRuleOrder(db: Kysely<DB>, workspaceId: string) {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`routing_rules:${workspaceId}`}, 0))`.execute(
    db,
  )
}

export async function nextRulePosition(db: Kysely<DB>, workspaceId: string) {
  const row = await db
    .selectFrom('routingRules')
    .select(sql<number>`coalesce(max(position) + 1, 0)::int`.as('next'))
    .where('workspaceId', '=', workspaceId)
    .executeTakeFirstOrThrow()
  return row.next
}

export function findTeamRef(db: Kysely<DB>, workspaceId: string, id: string) {
  return db
    .selectFrom('teams')
    .select(['id', 'name'])
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst()
}

/** Locks the team row, so that routings of one team run one after another. */
export function lockTeamForRouting(db: Kysely<DB>, workspaceId: string, teamId: string) {
  return db
    .selectFrom('teams')
    .select('id')
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', teamId)
    .forUpdate()
    .executeTakeFirst()
}

/** The team's people who are still members of the workspace, with their routing settings. */
export function selectTeamReps(db: Kysely<DB>, workspaceId: string, teamId: string) {
  return db
    .selectFrom('teamMembers as tm')
    .innerJoin('memberships as ms', (join) =>
      join.onRef('ms.workspaceId', '=', 'tm.workspaceId').onRef('ms.userId', '=', 'tm.userId'),
    )
    .leftJoin('routingReps as rr', (join) =>
      join.onRef('rr.workspaceId', '=', 'tm.workspaceId').onRef('rr.userId', '=', 'tm.userId'),
    )
    .select([
      'tm.userId',
      'ms.role',
      'rr.acceptsLeads',
      'rr.capacity',
      'rr.dailyCap',
      'rr.absentFrom',
      'rr.absentUntil',
    ])
    .where('tm.workspaceId', '=', workspaceId)
    .where('tm.teamId', '=', teamId)
    .orderBy('tm.userId')
    .execute()
}

/** Per owner: open handoffs now, and handoffs assigned since `dayStart` (any team). */
export function selectLoads(
  db: Kysely<DB>,
  workspaceId: string,
  userIds: string[],
  dayStart: Date,
) {
  if (userIds.length === 0) return Promise.resolve([])
  return db
    .selectFrom('handoffs')
    .select([
      'ownerId',
      sql<number>`(count(*) filter (where status = 'open'))::int`.as('openCount'),
      sql<number>`(count(*) filter (where assigned_at >= ${dayStart}))::int`.as('todayCount'),
    ])
    .where('workspaceId', '=', workspaceId)
    .where('ownerId', 'in', userIds)
    .where((eb) => eb.or([eb('status', '=', 'open'), eb('assignedAt', '>=', dayStart)]))
    .groupBy('ownerId')
    .execute()
}

/** Per owner: the last time they were assigned a handoff of this team. */
export function selectLastAssigned(
  db: Kysely<DB>,
  workspaceId: string,
  teamId: string,
  userIds: string[],
) {
  if (userIds.length === 0) return Promise.resolve([])
  return db
    .selectFrom('handoffs')
    .select(['ownerId', (eb) => eb.fn.max('assignedAt').as('lastAssignedAt')])
    .where('workspaceId', '=', workspaceId)
    .where('teamId', '=', teamId)
    .where('ownerId', 'in', userIds)
    .where('assignedAt', 'is not', null)
    .groupBy('ownerId')
    .execute()
}

export function findWorkspaceTimeZone(db: Kysely<DB>, workspaceId: string) {
  return db
    .selectFrom('workspaces')
    .select('timeZone')
    .where('id', '=', workspaceId)
    .executeTakeFirst()
}

/** A contact and its account's attributes, for routing. */
export function findLeadRow(db: Kysely<DB>, workspaceId: string, contactId: string) {
  return db
    .selectFrom('contacts as c')
    .leftJoin('accounts as a', (join) =>
      join
        .onRef('a.workspaceId', '=', 'c.workspaceId')
        .onRef('a.id', '=', 'c.accountId')
        .on('a.deletedAt', 'is', null),
    )
    .select(['c.id', 'a.country', 'a.region', 'a.industry', 'a.employees'])
    .where('c.workspaceId', '=', workspaceId)
    .where('c.id', '=', contactId)
    .executeTakeFirst()
}

/**
 * Every member who is in at least one team, with their routing settings; or, given `userId`, that
 * one member whether in a team or not.
 */
export function selectRepRows(db: Kysely<DB>, workspaceId: string, userId?: string) {
  return db
    .selectFrom('memberships as ms')
    .innerJoin('users as u', 'u.id', 'ms.userId')
    .leftJoin('routingReps as rr', (join) =>
      join.onRef('rr.workspaceId', '=', 'ms.workspaceId').onRef('rr.userId', '=', 'ms.userId'),
    )
    .select([
      'ms.userId',
      'ms.role',
      'u.name',
      'u.email',
      'rr.acceptsLeads',
      'rr.capacity',
      'rr.dailyCap',
      'rr.absentFrom',
      'rr.absentUntil',
    ])
    .where('ms.workspaceId', '=', workspaceId)
    .$if(userId !== undefined, (q) => q.where('ms.userId', '=', userId ?? ''))
    .$if(userId === undefined, (q) =>
      q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('teamMembers as tm')
            .select('tm.userId')
            .whereRef('tm.workspaceId', '=', 'ms.workspaceId')
            .whereRef('tm.userId', '=', 'ms.userId'),
        ),
      ),
    )
    .orderBy('u.name')
    .orderBy('ms.userId')
    .execute()
}

/** The teams of the given people, by team name. */
export function selectTeamsOf(db: Kysely<DB>, workspaceId: string, userIds: string[]) {
  if (userIds.length === 0) return Promise.resolve([])
  return db
    .selectFrom('teamMembers as tm')
    .innerJoin('teams as t', (join) =>
      join.onRef('t.workspaceId', '=', 'tm.workspaceId').onRef('t.id', '=', 'tm.teamId'),
    )
    .select(['tm.userId', 't.id', 't.name'])
    .where('tm.workspaceId', '=', workspaceId)
    .where('tm.userId', 'in', userIds)
    .orderBy('t.name')
    .orderBy('t.id')
    .execute()
}

export function findMembership(db: Kysely<DB>, workspaceId: string, userId: string) {
  return db
    .selectFrom('memberships')
    .select(['userId', 'role'])
    .where('workspaceId', '=', workspaceId)
    .where('userId', '=', userId)
    .executeTakeFirst()
}

export function findRepSettings(db: Kysely<DB>, workspaceId: string, userId: string) {
  return db
    .selectFrom('routingReps')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .where('userId', '=', userId)
    .forUpdate()
    .executeTakeFirst()
}
