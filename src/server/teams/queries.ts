import { type Expression, type Kysely, type SqlBool, sql } from 'kysely'
import type { Database } from '../db/database.ts'
import type { DB } from '../db/schema.ts'
import { afterCursor, orderBy, type Sort, sortKey } from '../records/list.ts'

function teamsQuery(db: Kysely<DB>, workspaceId: string) {
  return db
    .selectFrom('teams as t')
    .leftJoin('users as m', 'm.id', 't.managerId')
    .selectAll('t')
    .select('m.name as managerName')
    .where('t.workspaceId', '=', workspaceId)
}

export function selectTeamPage(
  db: Database,
  workspaceId: string,
  sort: Sort,
  cursor: string | undefined,
  limit: number,
) {
  const after = afterCursor(sort, cursor, 't.id')
  return teamsQuery(db, workspaceId)
    .select(sortKey(sort).as('sortKey'))
    .$if(after !== undefined, (q) => q.where(after as Expression<SqlBool>))
    .orderBy(orderBy(sort, 't.id'))
    .limit(limit + 1)
    .execute()
}

export function findTeam(db: Kysely<DB>, workspaceId: string, id: string) {
  return teamsQuery(db, workspaceId).where('t.id', '=', id).executeTakeFirst()
}

export function lockTeam(db: Kysely<DB>, workspaceId: string, id: string) {
  return db
    .selectFrom('teams')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
}

/** Another team of the workspace with this name, compared case-insensitively. */
export function findTeamNamed(
  db: Kysely<DB>,
  workspaceId: string,
  name: string,
  exceptId?: string,
) {
  return db
    .selectFrom('teams')
    .select(['id', 'name'])
    .where('workspaceId', '=', workspaceId)
    .where(sql<SqlBool>`lower(name) = lower(${name})`)
    .$if(exceptId !== undefined, (q) => q.where('id', '<>', exceptId ?? ''))
    .executeTakeFirst()
}

/** Members of the given teams who still belong to the workspace, by name. */
export function selectTeamMembers(db: Kysely<DB>, workspaceId: string, teamIds: string[]) {
  if (teamIds.length === 0) return Promise.resolve([])
  return db
    .selectFrom('teamMembers as tm')
    .innerJoin('memberships as ms', (join) =>
      join.onRef('ms.workspaceId', '=', 'tm.workspaceId').onRef('ms.userId', '=', 'tm.userId'),
    )
    .innerJoin('users as u', 'u.id', 'tm.userId')
    .select(['tm.teamId', 'u.id', 'u.name'])
    .where('tm.workspaceId', '=', workspaceId)
    .where('tm.teamId', 'in', teamIds)
    .orderBy('u.name')
    .orderBy('u.id')
    .execute()
}

/**
 * Makes the team's members exactly these people. Only the ones who leave are deleted and only
 * the ones who join inserted, so team_member_history (kept by a trigger) records real moves.
 */
export async function replaceTeamMembers(
  db: Kysely<DB>,
  workspaceId: string,
  teamId: string,
  userIds: string[],
) {
  let leaving = db
    .deleteFrom('teamMembers')
    .where('workspaceId', '=', workspaceId)
    .where('teamId', '=', teamId)
  if (userIds.length > 0) leaving = leaving.where('userId', 'not in', userIds)
  await leaving.execute()
  if (userIds.length === 0) return
  await db
    .insertInto('teamMembers')
    .values(userIds.map((userId) => ({ workspaceId, teamId, userId })))
    .onConflict((oc) => oc.columns(['workspaceId', 'teamId', 'userId']).doNothing())
    .execute()
}

export function selectMemberIds(db: Kysely<DB>, workspaceId: string, userIds: string[]) {
  return db
    .selectFrom('memberships')
    .select('userId')
    .where('workspaceId', '=', workspaceId)
    .where('userId', 'in', userIds)
    .execute()
}
